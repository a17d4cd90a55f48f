//! The algorithms tokengate verifies.

use crate::error::Error;
use crate::json::JsonStr;

/// A JWS algorithm (RFC 7518 §3.1) that tokengate can verify. Each provisioned key is bound to
/// exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Alg {
    /// ECDSA using P-256 and SHA-256.
    Es256,
    /// RSASSA-PKCS1-v1_5 using SHA-256.
    Rs256,
    /// HMAC using SHA-256.
    Hs256,
}

impl Alg {
    /// The `alg` header value, e.g. `"ES256"`.
    pub const fn name(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Rs256 => "RS256",
            Alg::Hs256 => "HS256",
        }
    }

    /// Reads a header's `alg`: the exact, case-sensitive names only. `none` in any letter case
    /// is [`Error::AlgNone`]; every other value is [`Error::UnsupportedAlg`].
    pub(crate) fn from_header(value: &JsonStr<'_>) -> Result<Self, Error> {
        for alg in [Alg::Es256, Alg::Rs256, Alg::Hs256] {
            if value.eq_str(alg.name()) {
                return Ok(alg);
            }
        }
        let mut chars = value.chars();
        let is_none = "none"
            .chars()
            .all(|n| chars.next().is_some_and(|c| c.eq_ignore_ascii_case(&n)))
            && chars.next().is_none();
        Err(if is_none {
            Error::AlgNone
        } else {
            Error::UnsupportedAlg
        })
    }
}

impl core::fmt::Display for Alg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
