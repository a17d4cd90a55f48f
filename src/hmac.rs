//! HS256, HS384, HS512: HMAC with SHA-256, SHA-384, SHA-512 (RFC 7518 §3.2), by the `hmac`
//! crate, tags compared in constant time. Each key type is bound to its one algorithm.
//!
//! Two kinds of key per algorithm: the secret's bytes (`Hs256Key`, a `const fn`, so the secret
//! can stay in flash) and a prepared key (`Hs256Prepared`): the hash states after the secret's
//! inner and outer padding blocks, computed once at run time, so that each verification hashes
//! two blocks fewer. Both give the same verdict on every input (tests/hmac_prepared.rs, and the
//! `keys` fuzz target).

use hmac::{Hmac, KeyInit, Mac};

use crate::error::Error;

/// Shortest accepted HS256 secret: the hash output size (RFC 7518 §3.2).
#[cfg(feature = "hs256")]
pub const HS256_MIN_SECRET_LEN: usize = 32;
/// Length of an HS256 tag. Truncated tags are refused.
#[cfg(feature = "hs256")]
pub const HS256_TAG_LEN: usize = 32;
/// Shortest accepted HS384 secret: the hash output size (RFC 7518 §3.2).
#[cfg(feature = "hs384")]
pub const HS384_MIN_SECRET_LEN: usize = 48;
/// Length of an HS384 tag. Truncated tags are refused.
#[cfg(feature = "hs384")]
pub const HS384_TAG_LEN: usize = 48;
/// Shortest accepted HS512 secret: the hash output size (RFC 7518 §3.2).
#[cfg(feature = "hs512")]
pub const HS512_MIN_SECRET_LEN: usize = 64;
/// Length of an HS512 tag. Truncated tags are refused.
#[cfg(feature = "hs512")]
pub const HS512_TAG_LEN: usize = 64;

/// One key type per HMAC algorithm: a borrowed secret of at least the hash size, a `Debug`
/// that shows its length only, and a constant-time verification of full-length tags.
macro_rules! hmac_key {
    (
        $feature:literal,
        $name:ident,
        $prepared:ident,
        $alg:literal,
        $hash:ty,
        $min:ident,
        $tag:ident
    ) => {
        #[doc = concat!("A shared secret for ", $alg, ", borrowed from where it was provisioned.")]
        ///
        /// Its `Debug` shows the secret's length, never its bytes.
        #[cfg(feature = $feature)]
        #[derive(Clone, Copy)]
        pub struct $name<'k> {
            secret: &'k [u8],
        }

        #[cfg(feature = $feature)]
        impl core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("len", &self.secret.len())
                    .finish_non_exhaustive()
            }
        }

        #[cfg(feature = $feature)]
        impl<'k> $name<'k> {
            /// A key from its secret bytes.
            ///
            /// # Errors
            #[doc = concat!("[`Error::SecretTooShort`] for secrets shorter than [`", stringify!($min), "`].")]
            pub const fn new(secret: &'k [u8]) -> Result<Self, Error> {
                if secret.len() < $min {
                    return Err(Error::SecretTooShort {
                        len: secret.len(),
                        min: $min,
                    });
                }
                Ok(Self { secret })
            }

            #[doc = concat!("Verifies an ", $alg, " tag over `message` in constant time. Out of line, like")]
            /// the other algorithms, so no algorithm's stack frame is paid by another's
            /// verification.
            #[inline(never)]
            pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> Result<(), Error> {
                if tag.len() != $tag {
                    return Err(Error::SignatureLength {
                        len: tag.len(),
                        expected: $tag,
                    });
                }
                let mut mac = <Hmac<$hash> as KeyInit>::new_from_slice(self.secret)
                    .map_err(|_| Error::InvalidKey)?;
                mac.update(message);
                mac.verify_slice(tag).map_err(|_| Error::BadSignature)
            }
        }

        #[doc = concat!("An ", $alg, " secret prepared once for many verifications: the hash states after")]
        /// the secret's inner and outer padding blocks (RFC 2104), so that each verification
        /// hashes two blocks fewer than with the secret's bytes (for a short token, about a
        /// quarter of its hashing). Built at run time, e.g. at start-up from a secret in flash,
        #[doc = concat!("and lent to [`Key::", $feature, "_prepared`](crate::Key::", $feature, "_prepared).")]
        ///
        /// The states forge tags as well as the secret does: its `Debug` shows the secret's
        /// length only, and it is not `Copy`. It is not wiped on drop.
        #[cfg(feature = $feature)]
        #[derive(Clone)]
        pub struct $prepared {
            mac: Hmac<$hash>,
            len: usize,
        }

        #[cfg(feature = $feature)]
        impl core::fmt::Debug for $prepared {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($prepared))
                    .field("len", &self.len)
                    .finish_non_exhaustive()
            }
        }

        #[cfg(feature = $feature)]
        impl $prepared {
            /// Hashes the secret's padding blocks.
            ///
            /// # Errors
            #[doc = concat!("[`Error::SecretTooShort`] for secrets shorter than [`", stringify!($min), "`], as")]
            #[doc = concat!("[`", stringify!($name), "::new`].")]
            pub fn new(secret: &[u8]) -> Result<Self, Error> {
                let len = $name::new(secret)?.secret.len();
                let mac = <Hmac<$hash> as KeyInit>::new_from_slice(secret)
                    .map_err(|_| Error::InvalidKey)?;
                Ok(Self { mac, len })
            }

            #[doc = concat!("Verifies an ", $alg, " tag over `message` in constant time, from a copy of the")]
            /// prepared states. Out of line, like the other algorithms.
            #[inline(never)]
            pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> Result<(), Error> {
                if tag.len() != $tag {
                    return Err(Error::SignatureLength {
                        len: tag.len(),
                        expected: $tag,
                    });
                }
                let mut mac = self.mac.clone();
                mac.update(message);
                mac.verify_slice(tag).map_err(|_| Error::BadSignature)
            }
        }
    };
}

hmac_key!(
    "hs256",
    Hs256Key,
    Hs256Prepared,
    "HS256",
    sha2::Sha256,
    HS256_MIN_SECRET_LEN,
    HS256_TAG_LEN
);
hmac_key!(
    "hs384",
    Hs384Key,
    Hs384Prepared,
    "HS384",
    sha2::Sha384,
    HS384_MIN_SECRET_LEN,
    HS384_TAG_LEN
);
hmac_key!(
    "hs512",
    Hs512Key,
    Hs512Prepared,
    "HS512",
    sha2::Sha512,
    HS512_MIN_SECRET_LEN,
    HS512_TAG_LEN
);
