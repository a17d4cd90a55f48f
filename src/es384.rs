//! ES384: ECDSA over P-384 with SHA-384 (RFC 7518 §3.4), on the `p384` crate's arithmetic
//! (`no_std`, no heap: its field and scalar elements are fixed-size integers).

use crate::ecdsa::{is_uncompressed_point, verify_prehash_by};
use crate::error::Error;

/// Length of an ES384 signature: `r ‖ s`, 48 bytes each, big-endian (RFC 7518 §3.4).
pub const ES384_SIGNATURE_LEN: usize = 96;

/// The P-384 field prime, big-endian: coordinates must be below it.
const P: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
];

/// A P-384 public key for ES384, as an uncompressed SEC1 point `04 ‖ x ‖ y`.
///
/// [`Es384Key::new`] is a `const fn`, so a key can be a `static` in flash. It checks the encoding
/// and that both coordinates are field elements; that the point is on the curve is checked
/// whenever the key is used (a point off the curve never verifies anything: it is
/// [`Error::InvalidKey`]) and up front by [`Key::validate`](crate::Key::validate), as for an
/// [`Es256Key`](crate::Es256Key).
///
/// Its `Debug` shows the first bytes of `x` only: enough to tell keys apart in a log.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Es384Key {
    sec1: [u8; 97],
}

impl core::fmt::Debug for Es384Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [_, a, b, c, d, ..] = self.sec1;
        f.debug_struct("Es384Key")
            .field("x", &format_args!("{a:02x}{b:02x}{c:02x}{d:02x}\u{2026}"))
            .finish_non_exhaustive()
    }
}

impl Es384Key {
    /// A key from its 97-byte uncompressed SEC1 encoding.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless the first byte is `0x04` and `x`, `y` are below the field
    /// prime.
    pub const fn new(sec1: &[u8; 97]) -> Result<Self, Error> {
        if !is_uncompressed_point(sec1, &P) {
            return Err(Error::InvalidKey);
        }
        Ok(Self { sec1: *sec1 })
    }

    /// The SEC1 encoding.
    pub const fn to_sec1(&self) -> [u8; 97] {
        self.sec1
    }

    /// Checks the curve equation.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a point that is not on P-384.
    pub(crate) fn check_on_curve(&self) -> Result<(), Error> {
        p384::ecdsa::VerifyingKey::from_sec1_bytes(&self.sec1)
            .map(|_| ())
            .map_err(|_| Error::InvalidKey)
    }

    /// Verifies an ES384 signature over a message whose SHA-384 is `hash`.
    ///
    /// Out of line, so that the stack frame of the P-384 arithmetic is only there while an
    /// ES384 signature is checked.
    ///
    /// # Errors
    /// [`Error::SignatureLength`] unless the signature has [`ES384_SIGNATURE_LEN`] bytes;
    /// [`Error::InvalidKey`] for a point off the curve; [`Error::BadSignature`] for `r` or `s`
    /// outside `[1, n − 1]` or a signature that does not verify. High-s signatures are valid
    /// ECDSA and verify, as for ES256.
    #[inline(never)]
    pub(crate) fn verify_prehashed(&self, hash: &[u8; 48], signature: &[u8]) -> Result<(), Error> {
        let signature = <&[u8; ES384_SIGNATURE_LEN]>::try_from(signature).map_err(|_| {
            Error::SignatureLength {
                len: signature.len(),
                expected: ES384_SIGNATURE_LEN,
            }
        })?;
        verify_prehash_by!(p384, &self.sec1, hash, signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_checks() {
        let mut point = [0u8; 97];
        assert_eq!(Es384Key::new(&point), Err(Error::InvalidKey));
        point[0] = 4;
        assert!(Es384Key::new(&point).is_ok());
        point[1..49].copy_from_slice(&P);
        assert_eq!(Es384Key::new(&point), Err(Error::InvalidKey));
        point[49..].copy_from_slice(&P);
        point[48] = 0xfe;
        assert_eq!(Es384Key::new(&point), Err(Error::InvalidKey));
        point[96] = 0xfe;
        assert!(Es384Key::new(&point).is_ok());
        // On-curve is checked at use.
        assert_eq!(
            Es384Key::new(&point).unwrap().check_on_curve(),
            Err(Error::InvalidKey)
        );
        point[0] = 2;
        assert_eq!(Es384Key::new(&point), Err(Error::InvalidKey));
    }

    #[test]
    fn debug_is_short() {
        let mut point = [0u8; 97];
        point[0] = 4;
        point[1..5].copy_from_slice(&[0xaa, 0xbb, 0xcc, 0xdd]);
        let key = Es384Key::new(&point).unwrap();
        assert_eq!(format!("{key:?}"), "Es384Key { x: aabbccdd\u{2026}, .. }");
    }
}
