//! The C API of tokengate: a heap-free JWT verifier for C firmware, behind the header
//! `include/tokengate.h` (generated from this crate by cbindgen; `tests` fail when the committed
//! header drifts).
//!
//! Modelled on t_cose and PSA Crypto: keys and the policy are `const` C structs that can live
//! in flash, the caller allocates the buffers (`tokengate_buffers`, a size fixed in the header),
//! every call returns a `tokengate_status`, verified claims are `{ptr, len}` views into the
//! caller's buffers. No heap, no global mutable state: every function works on what it is given.
//!
//! `unsafe` lives in this crate only (the library is `#![forbid(unsafe_code)]`), in the few
//! places where C pointers become references; each says why it is sound.

#![no_std]
#![allow(non_camel_case_types)]

// Hosts: std brings the panic runtime the staticlib and cdylib need. A panic (which the
// library is written never to raise) cannot unwind into C: Rust aborts the process when a panic
// would leave an `extern "C"` function.
#[cfg(any(test, feature = "std"))]
extern crate std;

mod keys;
#[cfg(feature = "offline")]
mod offline;
mod policy;
mod status;
mod verify;
mod view;

pub use keys::*;
#[cfg(feature = "offline")]
pub use offline::*;
pub use policy::*;
pub use status::*;
pub use verify::*;
pub use view::tokengate_str;

/// Firmware without a panic handler of its own: a panic (a bug: the library's lints forbid
/// indexing, `unwrap` and unchecked arithmetic, and its fuzz targets look for panics) parks the
/// core here, where a watchdog resets it.
#[cfg(all(feature = "panic-handler", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(test)]
mod header;
#[cfg(test)]
mod vectors;
