//! Keys whose signature check the integrator does: a hardware accelerator (CryptoCell, STM32
//! PKA), a secure element (ATECC608), any PSA Crypto implementation (`psa_verify_hash`).
//!
//! Only the signature check leaves tokengate. Parsing, the choice of key by `kid`, the binding of
//! a key to one algorithm, the signature's length, the claims and the policy stay here: an
//! [`ExternalKey`] is asked only after the token named its algorithm and kid, and only with a
//! signature of the length that algorithm has (RSA: 256 to 512 bytes, the modulus sizes
//! tokengate accepts; the hardware knows its modulus and must compare the exact length). It
//! answers valid or invalid; invalid is [`Error::BadSignature`].
//!
//! What the check is given ([`SignatureCheck`]): the algorithm, the signing input (for HMAC and
//! Ed25519, which hash the message themselves), and its digest under the algorithm's hash (for
//! ECDSA and RSA, which verify a hash: `psa_verify_hash`). The digest is computed in software
//! here (SHA-256, SHA-384 or SHA-512, so a build with `external` links all three).

use sha2::Digest;

use crate::alg::Alg;
use crate::error::Error;

/// The smallest RSA signature an external RSA key is asked about: a 2048-bit modulus.
const RSA_MIN_SIGNATURE_LEN: usize = 256;
/// The largest: a 4096-bit modulus.
const RSA_MAX_SIGNATURE_LEN: usize = 512;

/// A key held outside tokengate (in hardware, a secure element, another library) that checks
/// signatures for one [`Alg`]; provisioned with [`Key::external`](crate::Key::external).
///
/// ```
/// use tokengate::{Alg, ExternalKey, Key, SignatureCheck};
///
/// /// Slot 3 of the device's secure element holds the issuer's P-256 key.
/// struct SecureElementSlot(u8);
///
/// impl ExternalKey for SecureElementSlot {
///     fn verify(&self, check: &SignatureCheck<'_>) -> bool {
///         // e.g. atcab_verify_stored(check.digest(), check.signature(), self.0, &mut valid)
///         let _ = (self.0, check.digest(), check.signature());
///         false
///     }
/// }
///
/// static SLOT: SecureElementSlot = SecureElementSlot(3);
/// static KEYS: [Key<'static>; 1] = [Key::external(&SLOT, Alg::Es256).with_kid("door-2026")];
/// ```
pub trait ExternalKey: Sync {
    /// Whether `check.signature()` is a valid signature of `check.alg()` over the token's
    /// signing input with this key. For ECDSA and RSA, check [`SignatureCheck::digest`]; for
    /// HMAC and Ed25519, [`SignatureCheck::signing_input`]. An ECDSA signature is the JWS form:
    /// `r‖s`, each the curve's size, big-endian (not DER). Return `false` on any failure of the
    /// hardware as well: only `true` lets a token through.
    fn verify(&self, check: &SignatureCheck<'_>) -> bool;
}

/// One signature for an [`ExternalKey`] to check.
#[derive(Clone, Copy)]
pub struct SignatureCheck<'a> {
    alg: Alg,
    signing_input: &'a [u8],
    digest: &'a [u8],
    signature: &'a [u8],
}

impl<'a> SignatureCheck<'a> {
    /// The algorithm (the key's, which is the token's: a token of another algorithm never
    /// reaches this key).
    pub const fn alg(&self) -> Alg {
        self.alg
    }

    /// The JWS signing input: `BASE64URL(header) '.' BASE64URL(payload)`, as received.
    pub const fn signing_input(&self) -> &'a [u8] {
        self.signing_input
    }

    /// The signing input's hash under the algorithm's hash function: 32 bytes for ES256,
    /// RS256 and PS256, 48 for ES384, RS384 and PS384, 64 for RS512 and PS512; empty for HMAC
    /// and EdDSA, which take the signing input.
    pub const fn digest(&self) -> &'a [u8] {
        self.digest
    }

    /// The decoded signature, of the algorithm's length (checked before the call).
    pub const fn signature(&self) -> &'a [u8] {
        self.signature
    }
}

impl core::fmt::Debug for SignatureCheck<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignatureCheck")
            .field("alg", &self.alg)
            .field("signing_input_len", &self.signing_input.len())
            .field("signature_len", &self.signature.len())
            .finish_non_exhaustive()
    }
}

/// The signature length `alg` requires: exact for the fixed-size algorithms, a range for RSA.
fn check_length(alg: Alg, signature: &[u8]) -> Result<(), Error> {
    let len = signature.len();
    let (min, max) = match alg {
        Alg::Es256 | Alg::EdDsa | Alg::Hs512 => (64, 64),
        Alg::Es384 => (96, 96),
        Alg::Hs256 => (32, 32),
        Alg::Hs384 => (48, 48),
        Alg::Rs256 | Alg::Rs384 | Alg::Rs512 | Alg::Ps256 | Alg::Ps384 | Alg::Ps512 => {
            (RSA_MIN_SIGNATURE_LEN, RSA_MAX_SIGNATURE_LEN)
        }
    };
    if len < min {
        Err(Error::SignatureLength { len, expected: min })
    } else if len > max {
        Err(Error::SignatureLength { len, expected: max })
    } else {
        Ok(())
    }
}

/// Checks `signature` over `message` with an external key bound to `alg`. `sha256` is the
/// SHA-256 of `message` shared across the keys a token tries.
pub(crate) fn verify(
    key: &dyn ExternalKey,
    alg: Alg,
    message: &[u8],
    sha256: impl FnOnce() -> [u8; 32],
    signature: &[u8],
) -> Result<(), Error> {
    check_length(alg, signature)?;
    let mut digest = [0u8; 64];
    let digest_len = match alg {
        Alg::Es256 | Alg::Rs256 | Alg::Ps256 => copy(&mut digest, &sha256()),
        Alg::Es384 | Alg::Rs384 | Alg::Ps384 => copy(&mut digest, &sha2::Sha384::digest(message)),
        Alg::Rs512 | Alg::Ps512 => copy(&mut digest, &sha2::Sha512::digest(message)),
        Alg::Hs256 | Alg::Hs384 | Alg::Hs512 | Alg::EdDsa => 0,
    };
    let check = SignatureCheck {
        alg,
        signing_input: message,
        digest: digest.get(..digest_len).unwrap_or_default(),
        signature,
    };
    if key.verify(&check) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

/// Copies `hash` to the front of `out`; returns its length.
fn copy(out: &mut [u8; 64], hash: &[u8]) -> usize {
    for (o, h) in out.iter_mut().zip(hash) {
        *o = *h;
    }
    hash.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(check_length(Alg::Es256, &[0; 64]), Ok(()));
        assert_eq!(
            check_length(Alg::Es256, &[0; 63]),
            Err(Error::SignatureLength {
                len: 63,
                expected: 64
            })
        );
        assert_eq!(
            check_length(Alg::Ps256, &[0; 513]),
            Err(Error::SignatureLength {
                len: 513,
                expected: 512
            })
        );
        assert_eq!(check_length(Alg::Rs256, &[0; 384]), Ok(()));
    }
}
