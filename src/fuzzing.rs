//! Entry points into single layers, for fuzz targets only (feature `fuzzing`). Not a stable API:
//! applications use [`Verifier`](crate::Verifier), which runs every layer.

use crate::arena::Arena;
use crate::claims::{Claims, RawClaims};
use crate::compact;
use crate::error::{Error, Segment};
use crate::header::{Header, RawHeader};
use crate::policy::Policy;

/// The base64url layer: decodes one segment into `out` (rejecting every non-canonical form).
///
/// # Errors
/// [`Error::Base64`] or [`Error::TooLarge`].
pub fn decode_segment<'b>(encoded: &[u8], out: &'b mut [u8]) -> Result<&'b [u8], Error> {
    compact::decode(encoded, out, Segment::Payload)
}

/// The header layer: strict JSON, then `alg` / `kid` / `typ` / `crit` / `b64`, decoded into
/// `scratch`.
///
/// # Errors
/// What [`Verifier::verify`](crate::Verifier::verify) reports for a bad header.
pub fn header<'a>(json: &'a [u8], scratch: &'a mut [u8]) -> Result<Header<'a>, Error> {
    RawHeader::parse(json)?.decode(&mut Arena::new(scratch))
}

/// The claims layer: strict JSON, registered claims, `policy` at `now` (with a header that has
/// no `typ`), then the strings decoded into `scratch`.
///
/// # Errors
/// What [`Verifier::verify`](crate::Verifier::verify) reports for bad claims or a policy
/// failure.
pub fn claims<'a>(
    json: &'a [u8],
    policy: &Policy<'_>,
    now: u64,
    scratch: &'a mut [u8],
) -> Result<Claims<'a>, Error> {
    let raw = RawClaims::parse(json)?;
    let header = RawHeader {
        alg: crate::Alg::Hs256,
        kid: None,
        typ: None,
    };
    policy.check(&header, &raw, None, now)?;
    raw.decode(&mut Arena::new(scratch))
}

/// The ES256 arithmetic alone: verifies `signature` (`r ‖ s`) over a message whose SHA-256 is
/// `hash`, for the uncompressed SEC1 point `sec1`, by the path the `es256` feature compiles
/// (tokengate's own P-256 unless `es256-p256` is on).
///
/// # Errors
/// [`Error::InvalidKey`] for a key that is not a P-256 point, [`Error::BadSignature`] for a
/// signature that does not verify.
#[cfg(feature = "es256")]
pub fn es256_verify_prehashed(
    sec1: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    crate::Es256Key::new(sec1)?.verify_prehashed(hash, signature)
}

// The P-256 field and scalar arithmetic of the default ES256 path, for the `p256_field` fuzz
// target: `tokengate-p256`'s `hazmat` module (enabled by the `fuzzing` feature).
#[cfg(all(feature = "es256", not(feature = "es256-p256")))]
pub use tokengate_p256::hazmat::{field as p256_field, scalar as p256_scalar};
