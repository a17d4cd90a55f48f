//! EdDSA with Ed25519 (RFC 8037; `alg` `EdDSA`, or the fully-specified `Ed25519` of RFC 9864),
//! on `ed25519-dalek`'s `verify_strict`. Ed448 is not supported.
//!
//! What is refused, and where:
//!
//! - a public key whose `y` is not below 2^255 − 19 (a non-canonical encoding of `A`):
//!   [`Ed25519Key::new`], a `const fn`, with [`Error::InvalidKey`];
//! - a public key that is not a curve point, or is of small order (the all-zero key, the
//!   identity, the other torsion points): [`Error::InvalidKey`], on every use and by
//!   [`Key::validate`](crate::Key::validate) (decompression is not a `const fn`);
//! - a signature that is not 64 bytes: [`Error::SignatureLength`];
//! - `S` ≥ L (a malleable, non-canonical `S`), a small-order `R`, a non-canonical `R` (the
//!   recomputed `R` is compared by its canonical encoding), and every signature that does not
//!   verify: [`Error::BadSignature`]. The check is RFC 8032 §5.1.7's cofactorless equation
//!   `[S]B = R + [k]A`.
//!
//! Why `ed25519-dalek` (measured when EdDSA was added): its `verify_strict` gives every verdict
//! of Wycheproof's `ed25519_test.json` (151 of 151), 37.7 µs a verification on the x86-64
//! development machine, and on Cortex-M4 (the firmware `bench`, opt-level `s`) 1.91 M
//! instructions, 8.2 KiB peak stack and 43 KB more flash than the same firmware without EdDSA.
//! `ed25519-compact` (no default features) also gives all 151 verdicts, 52.0 µs, 1.54 M
//! instructions and 6.5 KiB of stack, but adds 307 KB of flash; `salty` accepts `S ≥ L` (five
//! Wycheproof cases wrong) and takes 1.59 ms on the host.

use ed25519_dalek::{Signature, VerifyingKey};

use crate::error::Error;

/// Length of an Ed25519 signature: `R ‖ S`, 32 bytes each (RFC 8032 §5.1.6).
pub const ED25519_SIGNATURE_LEN: usize = 64;

/// Length of an Ed25519 public key (RFC 8032 §5.1.5).
pub const ED25519_KEY_LEN: usize = 32;

/// An Ed25519 public key for EdDSA, its 32-byte encoding (the JWK's `x`, RFC 8037 §2).
///
/// [`Ed25519Key::new`] is a `const fn`, so a key can be a `static` in flash. It checks that the
/// encoded `y` is canonical; that the encoding is a point of large order is checked whenever the
/// key is used (such a key never verifies anything: it is [`Error::InvalidKey`]) and up front by
/// [`Key::validate`](crate::Key::validate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ed25519Key {
    bytes: [u8; ED25519_KEY_LEN],
}

impl Ed25519Key {
    /// A key from its 32-byte encoding.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the encoded `y` (the low 255 bits, little-endian) is 2^255 − 19
    /// or more.
    pub const fn new(bytes: &[u8; ED25519_KEY_LEN]) -> Result<Self, Error> {
        if !canonical_y(bytes) {
            return Err(Error::InvalidKey);
        }
        Ok(Self { bytes: *bytes })
    }

    /// The 32-byte encoding.
    pub const fn to_bytes(&self) -> [u8; ED25519_KEY_LEN] {
        self.bytes
    }

    /// The decompressed point, if it is on the curve and not of small order.
    fn point(&self) -> Result<VerifyingKey, Error> {
        match VerifyingKey::from_bytes(&self.bytes) {
            Ok(key) if !key.is_weak() => Ok(key),
            _ => Err(Error::InvalidKey),
        }
    }

    /// Checks that the key is a point of large order.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] otherwise.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.point().map(|_| ())
    }

    /// Verifies an Ed25519 signature over `message` (RFC 8032 §5.1.7, strict).
    ///
    /// Out of line, so that the stack frame of the curve arithmetic is only there while an
    /// EdDSA signature is checked.
    #[inline(never)]
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let signature: &[u8; ED25519_SIGNATURE_LEN] =
            signature.try_into().map_err(|_| Error::SignatureLength {
                len: signature.len(),
                expected: ED25519_SIGNATURE_LEN,
            })?;
        let key = self.point()?;
        key.verify_strict(message, &Signature::from_bytes(signature))
            .map_err(|_| Error::BadSignature)
    }
}

/// Whether the low 255 bits of `bytes`, little-endian, are below 2^255 − 19 (`7f ff .. ff ed`
/// from the top byte down): the top byte (sign bit masked) is not 0x7f, or one of bytes 30 to 1
/// is not 0xff, or byte 0 is below 0xed.
const fn canonical_y(bytes: &[u8; ED25519_KEY_LEN]) -> bool {
    let [low, middle @ .., high] = bytes;
    if *high & 0x7f != 0x7f {
        return true;
    }
    let mut rest: &[u8] = middle;
    while let [byte, tail @ ..] = rest {
        if *byte != 0xff {
            return true;
        }
        rest = tail;
    }
    *low < 0xed
}
