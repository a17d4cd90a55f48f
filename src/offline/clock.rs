//! Time for devices without a real-time clock: a trusted anchor advanced by a monotonic tick
//! count.

use crate::error::Error;

/// A lower bound on the current Unix time for a device with no real-time clock.
///
/// It starts from a time the device trusts (provisioned at build or manufacturing time, or saved
/// before the last reset) taken at a tick count, and moves with a monotonic tick counter the
/// caller reads (a SysTick-extended counter, a low-power timer). Ticks are `u64`: extend narrower
/// counters yourself. A counter that goes backwards (a reset without re-anchoring) only stops the
/// clock; it never moves it back.
///
/// The only other way it moves is forward, and only on verified evidence: the `iat` of a token
/// that an [`OfflineGate`](crate::OfflineGate) accepted under a policy
/// [`with_iat_as_time`](crate::Policy::with_iat_as_time), or a time the caller vouches for with
/// [`AnchoredClock::advance_to_trusted`]. Nothing unverified can move it.
///
/// # What an attacker can and cannot do
/// - The clock is a lower bound: between anchors it lags real time by the time the device was
///   off plus tick drift, so a token may be accepted for that long after it really expired.
///   Short token lifetimes and fresh anchors keep the window small.
/// - Whoever controls the anchor sources controls that window. Moving the clock *forward* needs a
///   token the issuer signed (its `iat` is the issuer's time) or the caller's trusted source; too
///   far forward, and valid tokens look expired: a denial of service, not a way in.
/// - Moving it *backward* is impossible: not by replaying an old token (its `iat` is below the
///   clock), not by a reset (restore from a saved [`AnchoredClock::now`] value), not by a tick
///   counter that wraps or restarts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AnchoredClock {
    anchor: u64,
    anchor_ticks: u64,
    ticks_per_second: u64,
}

impl AnchoredClock {
    /// A clock at the trusted Unix time `trusted_now` when the tick counter reads `ticks`.
    ///
    /// # Errors
    /// [`Error::ZeroTickRate`] when `ticks_per_second` is zero.
    pub const fn new(trusted_now: u64, ticks: u64, ticks_per_second: u64) -> Result<Self, Error> {
        if ticks_per_second == 0 {
            return Err(Error::ZeroTickRate);
        }
        Ok(Self {
            anchor: trusted_now,
            anchor_ticks: ticks,
            ticks_per_second,
        })
    }

    /// The time (Unix seconds, a lower bound) when the counter reads `ticks`.
    pub const fn now(&self, ticks: u64) -> u64 {
        let elapsed = match ticks
            .saturating_sub(self.anchor_ticks)
            .checked_div(self.ticks_per_second)
        {
            Some(seconds) => seconds,
            None => 0,
        };
        self.anchor.saturating_add(elapsed)
    }

    /// Moves the clock to `time` at `ticks` if that is later than it reads; never backwards.
    /// For time sources the caller trusts (GNSS, authenticated NTP); returns whether it moved.
    pub fn advance_to_trusted(&mut self, time: u64, ticks: u64) -> bool {
        self.advance(time, ticks)
    }

    pub(crate) fn advance(&mut self, time: u64, ticks: u64) -> bool {
        if time > self.now(ticks) {
            self.anchor = time;
            self.anchor_ticks = ticks;
            true
        } else {
            false
        }
    }
}
