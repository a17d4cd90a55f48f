//! The gate on the host, with embedded-hal-mock's pin and delay: the relay moves exactly when
//! the token is valid, for this device and grants the command's scope; the script's output is
//! the committed expected output of every firmware.

use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt::Write as _;

use door_gate::provisioned::{
    BUILD_TIME, CAPACITY, CLOCK, HOLD_MS, KEYS, POLICY, RSA2048, RSA2048_KID, TICKS_PER_SECOND,
};
use door_gate::script::{self, SCRIPT, Tally};
use door_gate::{Command, Decision, Gate};
use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{ErrorType, OutputPin};
use embedded_hal_mock::eh1::MockError;
use embedded_hal_mock::eh1::delay::{CheckedDelay, Transaction as DelayTx};
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinTx};
use tokengate::{Alg, AnchoredClock, Buffers, Error, Key, Part};

fn pulse() -> (PinMock, CheckedDelay) {
    (
        PinMock::new(&[PinTx::set(State::High), PinTx::set(State::Low)]),
        CheckedDelay::new(&[DelayTx::delay_ms(HOLD_MS)]),
    )
}

fn untouched() -> (PinMock, CheckedDelay) {
    (PinMock::new(&[]), CheckedDelay::new(&[]))
}

fn clock_at(now: u64) -> AnchoredClock {
    AnchoredClock::new(now, 0, TICKS_PER_SECOND).expect("a tick rate")
}

/// Runs one command through a fresh gate over `pin` and `delay`, checks the mocks saw exactly
/// what they expected, and returns the decision (as an owned summary).
fn decide(step: usize, pin: PinMock, delay: CheckedDelay) -> Result<Alg, Error> {
    decide_token(SCRIPT[step].token, CLOCK, pin, delay)
}

fn decide_token(token: &str, now: u64, pin: PinMock, delay: CheckedDelay) -> Result<Alg, Error> {
    let mut gate = Gate::new(KEYS, POLICY, pin, delay, HOLD_MS, clock_at(now));
    let mut buffers = Buffers::<CAPACITY>::new();
    let decision = match gate.handle(Command::OpenDoor, token.as_bytes(), 0, &mut buffers) {
        Ok(Decision::Granted(v)) => {
            assert!(v.has_scope("door:open"));
            assert_eq!(v.claims().aud().iter().collect::<Vec<_>>(), ["door-17"]);
            Ok(v.header().alg())
        }
        Ok(Decision::Denied(e)) => Err(e),
        Err(e) => panic!("pin error {e:?}"),
    };
    let (mut pin, mut delay) = gate.release();
    pin.done();
    delay.done();
    decision
}

#[test]
fn valid_tokens_pulse_the_relay() {
    for (step, alg) in [
        (0, Alg::Es256),
        (1, Alg::Rs256),
        (2, Alg::Hs256),
        (14, Alg::Ps256),
    ] {
        let (pin, delay) = pulse();
        assert_eq!(decide(step, pin, delay), Ok(alg), "{}", SCRIPT[step].what);
    }
}

#[test]
fn the_eddsa_token_opens_only_a_door_with_an_ed25519_key() {
    // The Cortex-M0 door is built without the `eddsa` feature (scripts/firmware-check): no key
    // of its has the token's kid `ed25519-test`, so it refuses the token before any signature.
    #[cfg(feature = "eddsa")]
    let ((pin, delay), expected) = (pulse(), Ok(Alg::EdDsa));
    #[cfg(not(feature = "eddsa"))]
    let ((pin, delay), expected) = (untouched(), Err(Error::UnknownKid));
    assert_eq!(decide(13, pin, delay), expected, "{}", SCRIPT[13].what);
}

#[test]
fn refused_tokens_leave_the_relay_alone() {
    let cases = [
        (
            4,
            Error::Expired {
                now: CLOCK,
                exp: CLOCK - 1,
            },
        ),
        (5, Error::WrongAudience),
        (6, Error::MissingScope),
        (7, Error::BadSignature),
        (8, Error::SegmentCount),
        (9, Error::TooDeep { part: Part::Claims }),
        (
            15,
            Error::AlgMismatch {
                token: Alg::Ps256,
                key: Alg::Rs256,
            },
        ),
    ];
    for (step, error) in cases {
        let (pin, delay) = untouched();
        assert_eq!(
            decide(step, pin, delay),
            Err(error),
            "{}",
            SCRIPT[step].what
        );
    }
}

#[test]
fn a_token_is_accepted_once() {
    // One pulse for the first use; the replay is refused and leaves the relay alone.
    let (pin, delay) = pulse();
    let mut gate = Gate::new(KEYS, POLICY, pin, delay, HOLD_MS, clock_at(BUILD_TIME));
    let mut buffers = Buffers::<CAPACITY>::new();
    let token = SCRIPT[3].token;
    assert_eq!(token, SCRIPT[0].token);
    for (ticks, expected) in [(1_000, Ok(Alg::Es256)), (2_000, Err(Error::Replayed))] {
        let decision = match gate.handle(Command::OpenDoor, token.as_bytes(), ticks, &mut buffers) {
            Ok(Decision::Granted(v)) => Ok(v.header().alg()),
            Ok(Decision::Denied(e)) => Err(e),
            Err(e) => panic!("pin error {e:?}"),
        };
        assert_eq!(decision, expected);
    }
    let (mut pin, mut delay) = gate.release();
    pin.done();
    delay.done();
}

#[test]
fn the_clock_starts_at_build_time_and_moves_on_verified_iat() {
    // The valid ES256 token expires at 2100-01-01T00:00:00Z.
    let exp = 4_102_444_800;
    let (pin, delay) = pulse();
    assert_eq!(
        decide_token(SCRIPT[0].token, exp - 1, pin, delay),
        Ok(Alg::Es256)
    );
    let (pin, delay) = untouched();
    assert_eq!(
        decide_token(SCRIPT[0].token, exp, pin, delay),
        Err(Error::Expired { now: exp, exp })
    );
    // The clock only moves forward on a token it accepted: the later HS256 token (iat an hour
    // after the build time) moves it, and then the 30-minute token has expired.
    let (pin, delay) = pulse();
    let mut gate = Gate::new(KEYS, POLICY, pin, delay, HOLD_MS, clock_at(BUILD_TIME));
    let mut buffers = Buffers::<CAPACITY>::new();
    let later = SCRIPT[11].token;
    let short_lived = SCRIPT[12].token;
    assert!(matches!(
        gate.handle(Command::OpenDoor, later.as_bytes(), 1_000, &mut buffers),
        Ok(Decision::Granted(_))
    ));
    assert_eq!(gate.now(1_000), BUILD_TIME + 3600);
    assert!(matches!(
        gate.handle(Command::OpenDoor, short_lived.as_bytes(), 2_000, &mut buffers),
        Ok(Decision::Denied(Error::Expired { exp, .. })) if exp == BUILD_TIME + 1800
    ));
    let (mut pin, mut delay) = gate.release();
    pin.done();
    delay.done();
}

#[test]
fn the_deep_token_fits_the_buffers_and_is_validly_signed() {
    // It must be refused for its depth, not its size or signature: with a key set that
    // verifies it and a capacity one byte too small, the error changes to TooLarge.
    let token = SCRIPT[9].token;
    let mut small = Buffers::<{ CAPACITY / 2 }>::new();
    let verifier = tokengate::Verifier::new(KEYS, POLICY);
    assert!(matches!(
        verifier.verify(token, CLOCK, &mut small),
        Err(Error::TooLarge { .. })
    ));
    let jws = verifier
        .verify_jws(token, &mut Buffers::<CAPACITY>::new())
        .map(|j| j.payload().len());
    let len = jws.expect("the signature verifies");
    let depth = 1100;
    assert!(
        len > 2 * depth,
        "payload of {len} bytes nests {depth} levels"
    );
}

#[test]
fn the_alg_confusion_token_is_refused_for_its_binding_not_its_signature() {
    // The PS256 token names the RS256 binding of the RSA-2048 key, which signed it: bound to
    // PS256 under that kid, the same key verifies it.
    let token = SCRIPT[15].token;
    let keys = [Key::ps256(&RSA2048).with_kid(RSA2048_KID)];
    let verifier = tokengate::Verifier::new(&keys, POLICY);
    let mut buffers = Buffers::<CAPACITY>::new();
    let verified = verifier.verify(token, CLOCK, &mut buffers);
    assert_eq!(verified.map(|v| v.header().alg()), Ok(Alg::Ps256));
}

#[test]
fn a_failing_pin_is_reported_not_swallowed() {
    let pin = PinMock::new(&[
        PinTx::set(State::High).with_error(MockError::Io(std::io::ErrorKind::Other))
    ]);
    let delay = CheckedDelay::new(&[]);
    let mut gate = Gate::new(KEYS, POLICY, pin, delay, HOLD_MS, clock_at(CLOCK));
    let mut buffers = Buffers::<CAPACITY>::new();
    let result = gate.handle(
        Command::OpenDoor,
        SCRIPT[0].token.as_bytes(),
        0,
        &mut buffers,
    );
    assert!(result.is_err());
    let (mut pin, mut delay) = gate.release();
    pin.done();
    delay.done();
}

/// A relay and a delay that write the same lines as the firmware's, into a shared log.
struct Logged<'a>(&'a RefCell<String>);

impl ErrorType for Logged<'_> {
    type Error = Infallible;
}

impl OutputPin for Logged<'_> {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().push_str("   relay off\n");
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().push_str("   relay on\n");
        Ok(())
    }
}

impl DelayNs for Logged<'_> {
    fn delay_ns(&mut self, ns: u32) {
        let _ = writeln!(self.0.borrow_mut(), "   hold {} us", ns / 1000);
    }
    fn delay_ms(&mut self, ms: u32) {
        let _ = writeln!(self.0.borrow_mut(), "   hold {ms} ms");
    }
}

impl std::fmt::Write for Logged<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

#[test]
fn the_script_prints_what_every_firmware_must_print() {
    let log = RefCell::new(String::new());
    let mut gate = Gate::new(
        KEYS,
        POLICY,
        Logged(&log),
        Logged(&log),
        HOLD_MS,
        clock_at(BUILD_TIME),
    );
    let mut buffers = Buffers::<CAPACITY>::new();
    let tally = script::run(&mut gate, &mut buffers, Logged(&log)).expect("runs");
    // The doors with this build's keys: with EdDSA, the Cortex-M4F and RV32 ones, which grant
    // the EdDSA token; without, the Cortex-M0 one, which refuses it (scripts/firmware-check
    // builds it and runs these tests without the `eddsa` feature too).
    #[cfg(feature = "eddsa")]
    let (targets, expected_tally) = (
        ["thumbv7em-none-eabihf", "riscv32imc-unknown-none-elf"].as_slice(),
        Tally {
            granted: 7,
            denied: 9,
        },
    );
    #[cfg(not(feature = "eddsa"))]
    let (targets, expected_tally) = (
        ["thumbv6m-none-eabi"].as_slice(),
        Tally {
            granted: 6,
            denied: 10,
        },
    );
    assert_eq!(tally, expected_tally);
    let body = log.into_inner();

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../expected");
    for target in targets {
        let path = format!("{dir}/{target}.txt");
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The firmware adds a banner of two lines before the script, and a stack line after.
        let lines: Vec<&str> = expected.lines().collect();
        assert!(lines[0].contains(target), "{path}: banner names the target");
        let script_part = lines[2..lines.len() - 1].join("\n") + "\n";
        assert_eq!(script_part, body, "{path}");
    }
}
