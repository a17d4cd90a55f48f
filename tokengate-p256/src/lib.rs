#![no_std]
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(test)]
#[macro_use]
extern crate std;

mod ecdsa;
mod error;
mod field;
mod key_table;
mod point;
mod safegcd;
mod scalar;
mod tables;

#[cfg(feature = "hazmat")]
#[doc(hidden)]
pub mod hazmat;

#[cfg(test)]
mod tests;

pub use error::Error;
pub use key_table::KeyTable;

use point::Affine;

/// Verifies an ECDSA P-256 signature `r ‖ s` (big-endian, 32 bytes each) over a message whose
/// hash is `hash` (SHA-256 for ES256), with the public key `point`, an uncompressed SEC1
/// encoding `04 ‖ x ‖ y`.
///
/// Accepts exactly what the `p256` crate's `VerifyingKey::verify_prehash` accepts: high `s`
/// verifies, `hash` is taken modulo `n`.
///
/// ```
/// use tokengate_p256::{Error, verify_prehashed};
///
/// // RFC 6979, A.2.5: the key, SHA-256("sample") and its signature.
/// let point = *b"\x04\
///     \x60\xfe\xd4\xba\x25\x5a\x9d\x31\xc9\x61\xeb\x74\xc6\x35\x6d\x68\
///     \xc0\x49\xb8\x92\x3b\x61\xfa\x6c\xe6\x69\x62\x2e\x60\xf2\x9f\xb6\
///     \x79\x03\xfe\x10\x08\xb8\xbc\x99\xa4\x1a\xe9\xe9\x56\x28\xbc\x64\
///     \xf2\xf1\xb2\x0c\x2d\x7e\x9f\x51\x77\xa3\xc2\x94\xd4\x46\x22\x99";
/// let hash = *b"\
///     \xaf\x2b\xdb\xe1\xaa\x9b\x6e\xc1\xe2\xad\xe1\xd6\x94\xf4\x1f\xc7\
///     \x1a\x83\x1d\x02\x68\xe9\x89\x15\x62\x11\x3d\x8a\x62\xad\xd1\xbf";
/// let mut signature = *b"\
///     \xef\xd4\x8b\x2a\xac\xb6\xa8\xfd\x11\x40\xdd\x9c\xd4\x5e\x81\xd6\
///     \x9d\x2c\x87\x7b\x56\xaa\xf9\x91\xc3\x4d\x0e\xa8\x4e\xaf\x37\x16\
///     \xf7\xcb\x1c\x94\x2d\x65\x7c\x41\xd4\x36\xc7\xa1\xb6\xe2\x9f\x65\
///     \xf3\xe9\x00\xdb\xb9\xaf\xf4\x06\x4d\xc4\xab\x2f\x84\x3a\xcd\xa8";
/// assert_eq!(verify_prehashed(&point, &hash, &signature), Ok(()));
///
/// signature[63] ^= 1;
/// assert_eq!(verify_prehashed(&point, &hash, &signature), Err(Error::BadSignature));
/// ```
///
/// # Errors
/// [`Error::InvalidKey`] unless `point` is `04 ‖ x ‖ y` with `x, y < p` on the curve;
/// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does not
/// verify.
pub fn verify_prehashed(
    point: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    let q = Affine::from_sec1(point).ok_or(Error::InvalidKey)?;
    ecdsa::verify(&q, hash, signature)
}

/// Whether `point` is an uncompressed SEC1 encoding `04 ‖ x ‖ y` of a point on P-256:
/// `x, y < p` and `y² = x³ − 3x + b`. The keys [`verify_prehashed`] and [`KeyTable::new`]
/// accept.
///
/// ```
/// let mut point = [0u8; 65];
/// point[0] = 0x04;
/// assert!(!tokengate_p256::is_on_curve(&point)); // (0, 0)
/// ```
pub const fn is_on_curve(point: &[u8; 65]) -> bool {
    Affine::from_sec1(point).is_some()
}
