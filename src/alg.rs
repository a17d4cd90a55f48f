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
    /// ECDSA using P-384 and SHA-384.
    Es384,
    /// RSASSA-PKCS1-v1_5 using SHA-256.
    Rs256,
    /// HMAC using SHA-256.
    Hs256,
    /// HMAC using SHA-384.
    Hs384,
    /// HMAC using SHA-512.
    Hs512,
    /// RSASSA-PKCS1-v1_5 using SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 using SHA-512.
    Rs512,
    /// RSASSA-PSS using SHA-256, MGF1 with SHA-256 and a 32-byte salt.
    Ps256,
    /// RSASSA-PSS using SHA-384, MGF1 with SHA-384 and a 48-byte salt.
    Ps384,
    /// RSASSA-PSS using SHA-512, MGF1 with SHA-512 and a 64-byte salt.
    Ps512,
    /// EdDSA with Ed25519 (RFC 8037), read from the header as `EdDSA` or as the fully-specified
    /// `Ed25519` (RFC 9864): both name the same verification with the same key, so one variant.
    /// Ed448 is not supported.
    EdDsa,
}

impl Alg {
    /// The `alg` header value, e.g. `"ES256"`.
    pub const fn name(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Es384 => "ES384",
            Alg::Rs256 => "RS256",
            Alg::Hs256 => "HS256",
            Alg::Hs384 => "HS384",
            Alg::Hs512 => "HS512",
            Alg::Rs384 => "RS384",
            Alg::Rs512 => "RS512",
            Alg::Ps256 => "PS256",
            Alg::Ps384 => "PS384",
            Alg::Ps512 => "PS512",
            Alg::EdDsa => "EdDSA",
        }
    }

    /// Every variant, in declaration order.
    pub(crate) const ALL: [Alg; 12] = [
        Alg::Es256,
        Alg::Es384,
        Alg::Rs256,
        Alg::Hs256,
        Alg::Hs384,
        Alg::Hs512,
        Alg::Rs384,
        Alg::Rs512,
        Alg::Ps256,
        Alg::Ps384,
        Alg::Ps512,
        Alg::EdDsa,
    ];

    /// Whether this algorithm's feature is enabled: a software key for it can be built.
    pub(crate) const fn is_compiled(self) -> bool {
        match self {
            Alg::Es256 => cfg!(feature = "es256"),
            Alg::Es384 => cfg!(feature = "es384"),
            Alg::Rs256 => cfg!(feature = "rs256"),
            Alg::Hs256 => cfg!(feature = "hs256"),
            Alg::Hs384 => cfg!(feature = "hs384"),
            Alg::Hs512 => cfg!(feature = "hs512"),
            Alg::Rs384 => cfg!(feature = "rs384"),
            Alg::Rs512 => cfg!(feature = "rs512"),
            Alg::Ps256 => cfg!(feature = "ps256"),
            Alg::Ps384 => cfg!(feature = "ps384"),
            Alg::Ps512 => cfg!(feature = "ps512"),
            Alg::EdDsa => cfg!(feature = "eddsa"),
        }
    }

    /// Whether `value` names this algorithm: its [`name`](Self::name), or for [`Alg::EdDsa`]
    /// also the fully-specified `Ed25519` (RFC 9864). Exact and case-sensitive.
    pub(crate) fn is_named(self, value: &JsonStr<'_>) -> bool {
        value.eq_str(self.name()) || (self == Alg::EdDsa && value.eq_str("Ed25519"))
    }

    /// Reads a header's `alg`: the exact, case-sensitive names only (each variant's
    /// [`name`](Self::name), and `Ed25519` for [`Alg::EdDsa`]), whether or not the
    /// algorithm's feature is enabled (a token of an algorithm compiled out finds no key:
    /// [`Error::NoKeyForAlg`]). `none` in any letter case
    /// is [`Error::AlgNone`]; every other value is [`Error::UnsupportedAlg`].
    pub(crate) fn from_header(value: &JsonStr<'_>) -> Result<Self, Error> {
        for alg in Self::ALL {
            if alg.is_named(value) {
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
