//! HS256: HMAC with SHA-256 (RFC 7518 §3.2), by the `hmac` crate, tag compared in constant time.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::Error;

/// Shortest accepted HS256 secret: the hash output size (RFC 7518 §3.2).
pub const HS256_MIN_SECRET_LEN: usize = 32;
/// Length of an HS256 tag. Truncated tags are refused.
pub const HS256_TAG_LEN: usize = 32;

/// A shared secret for HS256, borrowed from where it was provisioned.
#[derive(Clone, Copy)]
pub struct Hs256Key<'k> {
    secret: &'k [u8],
}

impl core::fmt::Debug for Hs256Key<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hs256Key")
            .field("len", &self.secret.len())
            .finish_non_exhaustive()
    }
}

impl<'k> Hs256Key<'k> {
    /// A key from its secret bytes.
    ///
    /// # Errors
    /// [`Error::SecretTooShort`] for secrets under 32 bytes.
    pub const fn new(secret: &'k [u8]) -> Result<Self, Error> {
        if secret.len() < HS256_MIN_SECRET_LEN {
            return Err(Error::SecretTooShort { len: secret.len() });
        }
        Ok(Self { secret })
    }

    /// Verifies an HS256 tag over `message` in constant time. Out of line, like the other
    /// algorithms, so no algorithm's stack frame is paid by another's verification.
    #[inline(never)]
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> Result<(), Error> {
        if tag.len() != HS256_TAG_LEN {
            return Err(Error::SignatureLength {
                len: tag.len(),
                expected: HS256_TAG_LEN,
            });
        }
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.secret)
            .map_err(|_| Error::InvalidKey)?;
        mac.update(message);
        mac.verify_slice(tag).map_err(|_| Error::BadSignature)
    }
}
