//! The offline gate: what a device without a network or a real-time clock adds to the verifier.
//!
//! Each part is built on the verifier's public extension points only: [`Hook`](crate::Hook)
//! (time and a last word on each token) and [`Jws::verify`](crate::Jws::verify) (a signed
//! payload that is not a JWT).
//!
//! | file | owns |
//! |---|---|
//! | `gate.rs` | [`OfflineGate`]: a clock and a replay guard in one call |
//! | `clock.rs` | [`AnchoredClock`]: time from a trusted anchor and a tick counter |
//! | `replay.rs` | [`ReplayGuard`] and [`Verifier::verify_once`](crate::Verifier::verify_once) |
//! | `rotation.rs` | [`KeyRing`]: keys installed from signed, versioned key sets |

mod clock;
mod gate;
mod replay;
mod rotation;

pub use clock::AnchoredClock;
pub use gate::OfflineGate;
pub use replay::ReplayGuard;
pub use rotation::{KEY_SET_TYP, KeyRing, MAX_ROTATED_ISSUER, MAX_ROTATED_KID, MAX_ROTATED_SECRET};
