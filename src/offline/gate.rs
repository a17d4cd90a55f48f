//! The offline gate: verification, replay protection and an RTC-less clock in one call.

use serde::Deserialize;

use super::clock::AnchoredClock;
use super::replay::{ReplayGuard, Ticket};
use crate::error::Error;
use crate::verify::{Buffers, Evidence, Hook, Verified, Verifier};

/// A device's gate state: an [`AnchoredClock`] and a [`ReplayGuard`] of `R` entries, used with a
/// [`Verifier`] (keys and policy, usually `static`, possibly one per command).
///
/// [`OfflineGate::admit`] accepts a token only if the verifier accepts it at the clock's time and
/// it was not accepted before; then (and only then) the guard remembers it and, under a policy
/// [`with_iat_as_time`](crate::Policy::with_iat_as_time), the clock moves up to its `iat`.
///
/// ```
/// use tokengate::{AnchoredClock, Buffers, Expected, Hs256Key, Key, OfflineGate, Policy, ReplayGuard, Verifier};
///
/// static KEYS: [Key<'static>; 1] = [match Hs256Key::new(b"0123456789abcdef0123456789abcdef") {
///     Ok(secret) => Key::hs256(secret),
///     Err(_) => panic!(),
/// }];
/// static VERIFIER: Verifier<'static, 'static> = Verifier::new(
///     &KEYS,
///     Policy::new(Expected::Exactly("https://issuer.example"), Expected::Exactly("door-17"))
///         .with_iat_as_time(),
/// );
/// // Provisioned at build time: the device knows it is at least 2023-11-14 22:13:20 UTC.
/// const BUILD_TIME: u64 = 1_700_000_000;
/// let clock = AnchoredClock::new(BUILD_TIME, 0, 1_000)?; // a 1 kHz tick counter
/// let mut gate = OfflineGate::new(clock, ReplayGuard::<16>::new());
///
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiZG9vci0xNyIsImV4cCI6MTgwMDAwMDAwMCwiaWF0IjoxNzk5OTk5OTAwLCJqdGkiOiJjbWQtNDIifQ.Ig0PLn6x6OSZzsmchtpzCq89ABugxZt-8fxmfE9BLGI";
/// let mut buffers = Buffers::<512>::new();
/// assert!(gate.admit(&VERIFIER, token, 5_000, &mut buffers).is_ok());
/// // The token's iat (1799999900) moved the clock forward; the same token is refused now.
/// assert_eq!(gate.now(5_000), 1_799_999_900);
/// assert_eq!(gate.admit(&VERIFIER, token, 6_000, &mut buffers).unwrap_err(), tokengate::Error::Replayed);
/// # Ok::<(), tokengate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct OfflineGate<const R: usize> {
    clock: AnchoredClock,
    replay: ReplayGuard<R>,
}

impl<const R: usize> OfflineGate<R> {
    /// A gate from its parts.
    pub const fn new(clock: AnchoredClock, replay: ReplayGuard<R>) -> Self {
        Self { clock, replay }
    }

    /// The gate's time at `ticks` (a lower bound on the real time).
    pub const fn now(&self, ticks: u64) -> u64 {
        self.clock.now(ticks)
    }

    /// The clock, e.g. to save its time before a reset.
    pub const fn clock(&self) -> &AnchoredClock {
        &self.clock
    }

    /// The clock, to advance it from a source the caller trusts.
    pub fn clock_mut(&mut self) -> &mut AnchoredClock {
        &mut self.clock
    }

    /// The replay guard, e.g. to [`save`](ReplayGuard::save) it.
    pub const fn replay_guard(&self) -> &ReplayGuard<R> {
        &self.replay
    }

    /// Verifies `token` with `verifier` at the clock's time for tick count `ticks`, then admits
    /// it once.
    ///
    /// # Errors
    /// As [`Verifier::verify_once`].
    pub fn admit<'b, const N: usize>(
        &mut self,
        verifier: &Verifier<'_, '_>,
        token: impl AsRef<[u8]>,
        ticks: u64,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b>, Error> {
        verifier.verify_with_hook(token, &mut self.at(ticks), buffers)
    }

    /// As [`OfflineGate::admit`], with the caller's claims type (see
    /// [`Verifier::verify_with_claims`]).
    ///
    /// # Errors
    /// As [`OfflineGate::admit`] and [`Verifier::verify_with_claims`].
    pub fn admit_with_claims<'b, C: Deserialize<'b>, const N: usize>(
        &mut self,
        verifier: &Verifier<'_, '_>,
        token: impl AsRef<[u8]>,
        ticks: u64,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b, C>, Error> {
        verifier.verify_with_claims_and_hook(token, &mut self.at(ticks), buffers)
    }

    fn at(&mut self, ticks: u64) -> AtTicks<'_, R> {
        AtTicks { gate: self, ticks }
    }
}

/// The gate as the verifier's [`Hook`] for one token, at tick count `ticks`.
struct AtTicks<'g, const R: usize> {
    gate: &'g mut OfflineGate<R>,
    ticks: u64,
}

impl<const R: usize> Hook for AtTicks<'_, R> {
    /// The clock's lower bound, raised to the token's signed `iat` when the policy takes it as
    /// evidence of the time.
    fn now(&mut self, iat: Option<u64>) -> u64 {
        let floor = self.gate.clock.now(self.ticks);
        iat.map_or(floor, |iat| floor.max(iat))
    }

    /// Admits the token to the replay guard, then moves the clock to the time it was checked at.
    fn accept(&mut self, evidence: &Evidence<'_>) -> Result<(), Error> {
        self.gate
            .replay
            .admit(Ticket::new(evidence)?, evidence.now())?;
        self.gate.clock.advance(evidence.now(), self.ticks);
        Ok(())
    }
}
