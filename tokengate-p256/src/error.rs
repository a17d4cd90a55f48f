//! Why a verification failed.

use core::fmt;

/// Why a key or a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The public key is not an uncompressed SEC1 encoding `04 ‖ x ‖ y` of a point on P-256
    /// (`x, y < p` and `y² = x³ − 3x + b`).
    InvalidKey,
    /// `r` or `s` is outside `[1, n − 1]`, or the signature does not verify.
    BadSignature,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidKey => "not an uncompressed P-256 point",
            Self::BadSignature => "bad ECDSA P-256 signature",
        })
    }
}

impl core::error::Error for Error {}
