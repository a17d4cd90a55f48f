//! The gate: verify, then drive the relay, or refuse and leave it alone.

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::OutputPin;
use tokengate::{AnchoredClock, Buffers, Error, Key, OfflineGate, Policy, Verified, Verifier};

use crate::provisioned::REPLAY_ENTRIES;

/// A command the device accepts over its link, each with the scopes a token must grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Command {
    /// Energise the door relay for the hold time, then release it.
    OpenDoor,
}

impl Command {
    /// Scopes the token must grant (in `scope` or `scp`) for this command.
    pub const fn scopes(self) -> &'static [&'static str] {
        match self {
            Command::OpenDoor => &["door:open"],
        }
    }

    /// The command as it appears on the wire and in logs.
    pub const fn name(self) -> &'static str {
        match self {
            Command::OpenDoor => "open-door",
        }
    }
}

/// What the gate decided about one command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'b> {
    /// The token verified and the command was carried out.
    Granted(Verified<'b>),
    /// The token was refused; the relay was not touched.
    Denied(Error),
}

/// A door relay behind a token check.
///
/// The keys and the base policy (issuer, audience, time checks) are the device's provisioning;
/// each command adds the scopes it needs, so one call decides everything. The gate keeps the
/// device's clock (no RTC: an [`AnchoredClock`]) and a replay guard, in an [`OfflineGate`].
pub struct Gate<'k, P, D> {
    keys: &'k [Key<'k>],
    policy: Policy<'k>,
    relay: P,
    delay: D,
    hold_ms: u32,
    state: OfflineGate<REPLAY_ENTRIES>,
}

impl<'k, P: OutputPin, D: DelayNs> Gate<'k, P, D> {
    /// A gate over `relay` that accepts tokens signed by one of `keys` and satisfying `policy`,
    /// and holds the relay for `hold_ms` per granted command, with time kept by `clock`. The
    /// policy's own scopes are replaced by each command's.
    pub const fn new(
        keys: &'k [Key<'k>],
        policy: Policy<'k>,
        relay: P,
        delay: D,
        hold_ms: u32,
        clock: AnchoredClock,
    ) -> Self {
        Self {
            keys,
            policy,
            relay,
            delay,
            hold_ms,
            state: OfflineGate::new(clock, tokengate::ReplayGuard::new()),
        }
    }

    /// The gate's time when the tick counter reads `ticks`.
    pub const fn now(&self, ticks: u64) -> u64 {
        self.state.now(ticks)
    }

    /// Verifies `token` for `command` at the clock's time for tick count `ticks`, and pulses the
    /// relay only if the token is valid, for this device, grants the command's scopes and was
    /// not used before.
    ///
    /// # Errors
    /// The relay pin's error. A pin that fails after being raised may leave the relay energised:
    /// the caller should treat the error as a hardware fault.
    pub fn handle<'b, const N: usize>(
        &mut self,
        command: Command,
        token: &[u8],
        ticks: u64,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Decision<'b>, P::Error> {
        let verifier = Verifier::new(self.keys, self.policy.with_scopes(command.scopes()));
        match self.state.admit(&verifier, token, ticks, buffers) {
            Ok(verified) => {
                #[cfg(feature = "defmt")]
                defmt::info!(
                    "{=str}: granted, {=str} key {=str}",
                    command.name(),
                    verified.header().alg().name(),
                    verified.header().kid().unwrap_or("-")
                );
                self.relay.set_high()?;
                self.delay.delay_ms(self.hold_ms);
                self.relay.set_low()?;
                Ok(Decision::Granted(verified))
            }
            Err(error) => {
                #[cfg(feature = "defmt")]
                defmt::warn!("{=str}: denied, {}", command.name(), error);
                Ok(Decision::Denied(error))
            }
        }
    }

    /// The relay and the delay back, e.g. to check a mock's expectations.
    pub fn release(self) -> (P, D) {
        (self.relay, self.delay)
    }
}
