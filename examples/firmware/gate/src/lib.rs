//! A door relay that opens only for a bearer token that is valid, is for this device and grants
//! the command's scope: the job `tokengate` exists for, as a `no_std` library.
//!
//! [`Gate`] is generic over embedded-hal's [`OutputPin`](embedded_hal::digital::OutputPin) and
//! [`DelayNs`](embedded_hal::delay::DelayNs), so the same code drives a GPIO on every firmware
//! target and a mock pin in the host tests. [`provisioned`] is what the device is given at the
//! factory (keys, its name, its issuer); [`script`] is the fixed list of commands every firmware
//! runs and the host tests check against the committed expected output.
#![no_std]

mod gate;
pub mod provisioned;
pub mod script;

pub use gate::{Command, Decision, Gate};
