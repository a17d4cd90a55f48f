#![no_std]
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(
    feature = "es256",
    feature = "es384",
    feature = "_rsa",
    feature = "_hmac",
    feature = "eddsa",
    feature = "external"
)))]
compile_error!(
    "tokengate verifies nothing without at least one of the features es256, es384, rs256, \
     rs384, rs512, ps256, ps384, ps512, hs256, hs384, hs512, eddsa, external"
);

#[cfg(any(test, feature = "std"))]
#[macro_use]
extern crate std;

mod alg;
mod arena;
mod base64url;
mod claims;
mod compact;
#[cfg(any(feature = "es256", feature = "es384"))]
mod ecdsa;
mod error;
mod header;
mod json;
pub mod jwk;
mod keys;
#[cfg(feature = "offline")]
mod offline;
mod policy;
mod swar;
mod verify;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

#[cfg(feature = "eddsa")]
mod eddsa;
#[cfg(feature = "es256")]
mod es256;
#[cfg(feature = "es384")]
mod es384;
#[cfg(feature = "external")]
mod external;
#[cfg(feature = "_hmac")]
mod hmac;
#[cfg(feature = "_rsa")]
mod rsa;

pub use alg::Alg;
pub use arena::StrList;
pub use claims::{Audience, Claims, NumericDate, Scopes};
pub use error::{Error, Part, Segment};
pub use header::Header;
pub use json::{MAX_DEPTH, MAX_MEMBERS};
pub use keys::Key;
pub use policy::{Expected, Policy, ReplayId};
pub use verify::{
    Buffers, DEFAULT_CAPACITY, DEFAULT_MAX_TOKEN_LEN, Evidence, Hook, Jws, MAX_SIGNATURE_LEN,
    Verified, Verifier,
};

#[cfg(feature = "offline")]
pub use offline::{
    AnchoredClock, KEY_SET_TYP, KeyRing, MAX_ROTATED_ISSUER, MAX_ROTATED_KID, MAX_ROTATED_SECRET,
    OfflineGate, ReplayGuard,
};

#[cfg(feature = "hs256")]
pub use crate::hmac::{HS256_MIN_SECRET_LEN, HS256_TAG_LEN, Hs256Key, Hs256Prepared};
#[cfg(feature = "hs384")]
pub use crate::hmac::{HS384_MIN_SECRET_LEN, HS384_TAG_LEN, Hs384Key, Hs384Prepared};
#[cfg(feature = "hs512")]
pub use crate::hmac::{HS512_MIN_SECRET_LEN, HS512_TAG_LEN, Hs512Key, Hs512Prepared};
#[cfg(feature = "_rsa")]
pub use crate::rsa::{
    RSA_MAX_BITS, RSA_MIN_BITS, Rsa2048, Rsa3072, Rsa4096, RsaModulus, RsaPublicKey,
};
#[cfg(feature = "eddsa")]
pub use eddsa::{ED25519_KEY_LEN, ED25519_SIGNATURE_LEN, Ed25519Key};
#[cfg(feature = "es256")]
pub use es256::{ES256_SIGNATURE_LEN, Es256Key, Es256KeyTable};
#[cfg(feature = "es384")]
pub use es384::{ES384_SIGNATURE_LEN, Es384Key};
#[cfg(feature = "external")]
pub use external::{ExternalKey, SignatureCheck};

/// Switches that weaken a [`Policy`]. Each one is a decision someone should have to defend.
pub mod danger {
    use crate::Policy;

    /// Accepts tokens without `exp`: such a token never expires.
    pub const fn allow_missing_exp(policy: Policy<'_>) -> Policy<'_> {
        policy.without_exp()
    }
}

/// The system clock as Unix seconds, for hosts. Firmware passes its own trusted clock.
#[cfg(feature = "std")]
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
