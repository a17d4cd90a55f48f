//! The fixed command script every firmware runs: one command per case the issue names, each
//! with a token minted by `tokens/make_tokens.py`. The output of [`run`] is compared with
//! `expected/<target>.txt` after a QEMU run, and with the same file by the host tests.

use core::fmt::Write;

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::OutputPin;
use tokengate::Buffers;

use crate::gate::{Command, Decision, Gate};

/// One command received over the device's link, with its bearer token.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// What the token is, for the log.
    pub what: &'static str,
    /// The command.
    pub command: Command,
    /// The compact JWT that came with it.
    pub token: &'static str,
}

macro_rules! token {
    ($name:literal) => {
        include_str!(concat!("../../tokens/", $name, ".jwt")).trim_ascii_end()
    };
}

const fn open(what: &'static str, token: &'static str) -> Step {
    Step {
        what,
        command: Command::OpenDoor,
        token,
    }
}

/// The script, in order. Commands arrive one second apart (see [`run`]).
pub const SCRIPT: [Step; 16] = [
    open("valid ES256", token!("valid-es256")),
    open("valid RS256-2048", token!("valid-rs256-2048")),
    open("valid HS256", token!("valid-hs256")),
    open(
        "the valid ES256 token again (replay)",
        token!("valid-es256"),
    ),
    open("expired (HS256)", token!("expired")),
    open("wrong aud door-18 (RS256-2048)", token!("wrong-aud")),
    open("scope door:status only (ES256)", token!("missing-scope")),
    open("bad signature (ES256)", token!("bad-signature")),
    open("malformed: two segments", token!("malformed")),
    open("claims nested 1100 levels deep (ES256)", token!("deep")),
    open(
        "valid ES256, expires 30 min after build time",
        token!("short-lived"),
    ),
    open(
        "valid HS256 issued 1 h after build time",
        token!("later-hs256"),
    ),
    open(
        "the 30-min token, now that the clock moved",
        token!("short-lived"),
    ),
    open("valid EdDSA (Ed25519)", token!("valid-eddsa")),
    open("valid PS256-2048", token!("valid-ps256-2048")),
    open(
        "PS256 naming the RS256 key's kid (alg confusion)",
        token!("ps256-for-rs256-key"),
    ),
];

/// The longest token of the script and of the footprint measurements (RS256-4096).
pub const VALID_RS256_4096: &str = token!("valid-rs256-4096");

/// What a run of the script decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Commands carried out.
    pub granted: u32,
    /// Commands refused.
    pub denied: u32,
}

/// Why a run stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunError<E> {
    /// The relay pin failed.
    Pin(E),
    /// The log could not be written.
    Log,
}

impl<E> From<core::fmt::Error> for RunError<E> {
    fn from(_: core::fmt::Error) -> Self {
        RunError::Log
    }
}

/// Runs [`SCRIPT`] through `gate`, one verification at a time in `buffers`, and writes a line
/// per command and its outcome to `log` (the relay's own lines, if it writes any, come in
/// between). Command `n` arrives when the tick counter reads `n` seconds' worth of
/// [`TICKS_PER_SECOND`](crate::provisioned::TICKS_PER_SECOND): a fixed timeline, so every
/// target prints the same clock readings.
///
/// # Errors
/// [`RunError::Pin`] when the relay fails, [`RunError::Log`] when `log` does.
pub fn run<P, D, W, const N: usize>(
    gate: &mut Gate<'_, P, D>,
    buffers: &mut Buffers<N>,
    mut log: W,
) -> Result<Tally, RunError<P::Error>>
where
    P: OutputPin,
    D: DelayNs,
    W: Write,
{
    let mut tally = Tally::default();
    for (n, step) in (1u32..).zip(SCRIPT.iter()) {
        let ticks = u64::from(n).saturating_mul(crate::provisioned::TICKS_PER_SECOND);
        writeln!(
            log,
            "{n}. {}, {} (clock {})",
            step.command.name(),
            step.what,
            gate.now(ticks)
        )?;
        match gate.handle(step.command, step.token.as_bytes(), ticks, buffers) {
            Ok(Decision::Granted(verified)) => {
                tally.granted = tally.granted.saturating_add(1);
                let header = verified.header();
                writeln!(
                    log,
                    "   granted: {} key {}, sub {}",
                    header.alg().name(),
                    header.kid().unwrap_or("-"),
                    verified.claims().sub().unwrap_or("-"),
                )?;
            }
            Ok(Decision::Denied(error)) => {
                tally.denied = tally.denied.saturating_add(1);
                writeln!(log, "   denied: {error:?}")?;
            }
            Err(pin) => return Err(RunError::Pin(pin)),
        }
    }
    writeln!(
        log,
        "script: {} granted, {} denied",
        tally.granted, tally.denied
    )?;
    Ok(tally)
}
