//! ES256: ECDSA over P-256 with SHA-256 (RFC 7518 §3.4).
//!
//! By default the arithmetic is tokengate's own 32-bit P-256 (`p256fast`, written for
//! Cortex-M: about 7× fewer instructions than the `p256` crate there); the `es256-p256` feature
//! runs the same checks on the `p256` crate instead, for comparison. Both accept and reject
//! exactly the same inputs (the differential test and fuzz target hold them to that).

use crate::error::Error;

/// Length of an ES256 signature: `r ‖ s`, 32 bytes each, big-endian (RFC 7518 §3.4).
pub const ES256_SIGNATURE_LEN: usize = 64;

/// The P-256 field prime, big-endian: coordinates must be below it.
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// A P-256 public key for ES256, as an uncompressed SEC1 point `04 ‖ x ‖ y`.
///
/// [`Es256Key::new`] is a `const fn`, so a key can be a `static` in flash. It checks the encoding
/// and that both coordinates are field elements; that the point is on the curve is checked
/// whenever the key is used (a point off the curve never verifies anything: it is
/// [`Error::InvalidKey`]) and up front by [`Key::validate`](crate::Key::validate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Es256Key {
    sec1: [u8; 65],
}

impl Es256Key {
    /// A key from its 65-byte uncompressed SEC1 encoding.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless the first byte is `0x04` and `x`, `y` are below the field
    /// prime.
    pub const fn new(sec1: &[u8; 65]) -> Result<Self, Error> {
        let [tag, coordinates @ ..] = sec1;
        let (x, y) = coordinates.split_at(32);
        if *tag != 0x04 || !below_p(x) || !below_p(y) {
            return Err(Error::InvalidKey);
        }
        Ok(Self { sec1: *sec1 })
    }

    /// The SEC1 encoding.
    pub const fn to_sec1(&self) -> [u8; 65] {
        self.sec1
    }

    /// Checks the curve equation.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a point that is not on P-256.
    pub(crate) fn check_on_curve(&self) -> Result<(), Error> {
        #[cfg(not(feature = "es256-p256"))]
        let on_curve = crate::p256fast::is_on_curve(&self.sec1);
        #[cfg(feature = "es256-p256")]
        let on_curve = p256::ecdsa::VerifyingKey::from_sec1_bytes(&self.sec1).is_ok();
        if on_curve {
            Ok(())
        } else {
            Err(Error::InvalidKey)
        }
    }

    /// Verifies an ES256 signature over a message whose SHA-256 is `hash`.
    ///
    /// Out of line, so that the stack frame of the P-256 arithmetic is only there while an
    /// ES256 signature is checked, not in every verification that inlines the key dispatch.
    #[inline(never)]
    pub(crate) fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
        let signature = signature_bytes(signature)?;
        // Both reject r or s outside [1, n - 1]; high-s signatures are valid ECDSA and verify.
        #[cfg(not(feature = "es256-p256"))]
        return crate::p256fast::verify_prehashed(&self.sec1, hash, signature);
        #[cfg(feature = "es256-p256")]
        return by_p256_crate(&self.sec1, hash, signature);
    }
}

/// An ES256 signature as its fixed `r ‖ s` array, for every kind of ES256 key.
///
/// # Errors
/// [`Error::SignatureLength`] unless it is exactly [`ES256_SIGNATURE_LEN`] bytes.
pub(crate) fn signature_bytes(signature: &[u8]) -> Result<&[u8; ES256_SIGNATURE_LEN], Error> {
    <&[u8; ES256_SIGNATURE_LEN]>::try_from(signature).map_err(|_| Error::SignatureLength {
        len: signature.len(),
        expected: ES256_SIGNATURE_LEN,
    })
}

/// [`Es256Key::verify_prehashed`] by the `p256` crate.
#[cfg(feature = "es256-p256")]
fn by_p256_crate(
    sec1: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; ES256_SIGNATURE_LEN],
) -> Result<(), Error> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    let key = VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Error::InvalidKey)?;
    let signature = Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
    key.verify_prehash(hash, &signature)
        .map_err(|_| Error::BadSignature)
}

/// Whether a 32-byte big-endian integer is below the field prime (constant-time is not needed:
/// public keys are public).
const fn below_p(x: &[u8]) -> bool {
    let mut i = 0;
    while i < P.len() && i < x.len() {
        // Both indices are below their slice's length.
        #[allow(clippy::indexing_slicing)]
        let (a, b) = (x[i], P[i]);
        if a != b {
            return a < b;
        }
        i = i.saturating_add(1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_checks() {
        let mut point = [0u8; 65];
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
        point[0] = 4;
        assert!(Es256Key::new(&point).is_ok());
        point[1..33].copy_from_slice(&P);
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
        point[32] = 0xfe;
        assert!(Es256Key::new(&point).is_ok());
        // On-curve is checked at use.
        assert_eq!(
            Es256Key::new(&point).unwrap().check_on_curve(),
            Err(Error::InvalidKey)
        );
        point[0] = 2;
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
    }
}
