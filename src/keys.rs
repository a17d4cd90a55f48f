//! Provisioned keys and how a token picks one.
//!
//! A [`Key`] is key material bound to exactly one [`Alg`] and an optional `kid`. Keys are plain
//! data built by `const fn`s, so a key set is a `static [Key; N]` in flash. The header's `jwk`,
//! `jku`, `x5u` and `x5c` are never consulted.

#[cfg(any(
    feature = "es256",
    feature = "es384",
    feature = "_rsa",
    feature = "external"
))]
use sha2::Digest;
#[cfg(any(
    feature = "es256",
    feature = "rs256",
    feature = "ps256",
    feature = "external"
))]
use sha2::Sha256;

use crate::alg::Alg;
use crate::error::Error;
use crate::json::JsonStr;

#[cfg(feature = "eddsa")]
use crate::eddsa::Ed25519Key;
#[cfg(feature = "es256")]
use crate::es256::{Es256Key, Es256KeyTable};
#[cfg(feature = "es384")]
use crate::es384::Es384Key;
#[cfg(feature = "external")]
use crate::external::ExternalKey;
#[cfg(feature = "hs256")]
use crate::hmac::{Hs256Key, Hs256Prepared};
#[cfg(feature = "hs384")]
use crate::hmac::{Hs384Key, Hs384Prepared};
#[cfg(feature = "hs512")]
use crate::hmac::{Hs512Key, Hs512Prepared};
#[cfg(feature = "_rsa")]
use crate::rsa::{RsaModulus, RsaPublicKey, Scheme};

/// The RSA operations a key set needs, whatever the key's integer size.
#[cfg(feature = "_rsa")]
pub(crate) trait RsaKey: Sync {
    fn verify_prehashed(&self, scheme: Scheme, hash: &[u8], signature: &[u8]) -> Result<(), Error>;
    fn bits(&self) -> u32;
}

#[cfg(feature = "_rsa")]
impl<const LIMBS: usize> RsaKey for RsaPublicKey<LIMBS> {
    fn verify_prehashed(&self, scheme: Scheme, hash: &[u8], signature: &[u8]) -> Result<(), Error> {
        RsaPublicKey::verify_prehashed(self, scheme, hash, signature)
    }
    fn bits(&self) -> u32 {
        RsaPublicKey::bits(self)
    }
}

#[cfg(feature = "_rsa")]
impl RsaKey for RsaModulus<'_> {
    fn verify_prehashed(&self, scheme: Scheme, hash: &[u8], signature: &[u8]) -> Result<(), Error> {
        RsaModulus::verify_prehashed(self, scheme, hash, signature)
    }
    fn bits(&self) -> u32 {
        RsaModulus::bits(self)
    }
}

/// The ES256 operations of a key with a precomputed table, whatever the table's size.
#[cfg(feature = "es256")]
pub(crate) trait Es256TableKey: Sync {
    fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error>;
    fn check_on_curve(&self) -> Result<(), Error>;
}

#[cfg(feature = "es256")]
impl<const POINTS: usize> Es256TableKey for Es256KeyTable<POINTS> {
    fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
        Es256KeyTable::verify_signature(self, hash, signature)
    }
    fn check_on_curve(&self) -> Result<(), Error> {
        Es256KeyTable::check_on_curve(self)
    }
}

#[derive(Clone, Copy)]
enum Material<'k> {
    #[cfg(feature = "es256")]
    Es256(&'k Es256Key),
    #[cfg(feature = "es256")]
    Es256Table(&'k dyn Es256TableKey),
    #[cfg(feature = "es384")]
    Es384(&'k Es384Key),
    #[cfg(feature = "_rsa")]
    Rsa(&'k dyn RsaKey, Scheme),
    #[cfg(feature = "hs256")]
    Hs256(Hs256Key<'k>),
    #[cfg(feature = "hs256")]
    Hs256Prepared(&'k Hs256Prepared),
    #[cfg(feature = "hs384")]
    Hs384(Hs384Key<'k>),
    #[cfg(feature = "hs384")]
    Hs384Prepared(&'k Hs384Prepared),
    #[cfg(feature = "hs512")]
    Hs512(Hs512Key<'k>),
    #[cfg(feature = "hs512")]
    Hs512Prepared(&'k Hs512Prepared),
    #[cfg(feature = "eddsa")]
    Ed25519(&'k Ed25519Key),
    #[cfg(feature = "external")]
    External(&'k dyn ExternalKey, Alg),
}

/// A provisioned verification key: key material, the one algorithm it verifies, and an optional
/// key ID.
///
/// ```
/// use tokengate::{Es256Key, Hs256Key, Key};
/// # const POINT: [u8; 65] = [4; 65];
/// static DOOR_KEY: Es256Key = match Es256Key::new(&POINT) {
///     Ok(key) => key,
///     Err(_) => panic!("not a SEC1 point"),
/// };
/// static KEYS: [Key<'static>; 2] = [
///     Key::es256(&DOOR_KEY).with_kid("door-2026"),
///     match Hs256Key::new(b"a shared secret of at least 32 bytes") {
///         Ok(secret) => Key::hs256(secret),
///         Err(_) => panic!("secret too short"),
///     },
/// ];
/// ```
#[derive(Clone, Copy)]
pub struct Key<'k> {
    kid: Option<&'k str>,
    issuer: Option<&'k str>,
    material: Material<'k>,
}

impl core::fmt::Debug for Key<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Key")
            .field("alg", &self.alg())
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl<'k> Key<'k> {
    /// An ES256 key.
    #[cfg(feature = "es256")]
    pub const fn es256(key: &'k Es256Key) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Es256(key),
        }
    }

    /// An ES256 key with a precomputed table of its multiples (see [`Es256KeyTable`]): the
    /// same verdicts as [`Key::es256`] of the table's point in about half the instructions, for
    /// `POINTS` × 64 bytes of flash.
    #[cfg(feature = "es256")]
    pub const fn es256_table<const POINTS: usize>(table: &'k Es256KeyTable<POINTS>) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Es256Table(table),
        }
    }

    /// An ES384 key. An ES384 key never verifies an ES256 token, nor an ES256 key an ES384 one.
    #[cfg(feature = "es384")]
    pub const fn es384(key: &'k Es384Key) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Es384(key),
        }
    }

    /// An RS256 key (RSASSA-PKCS1-v1_5 with SHA-256) of an [`Rsa2048`](crate::Rsa2048),
    /// [`Rsa3072`](crate::Rsa3072) or [`Rsa4096`](crate::Rsa4096). The same modulus
    /// provisioned for another RSA algorithm is another `Key`: each is bound to one.
    #[cfg(feature = "rs256")]
    pub const fn rs256<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Rs256)
    }

    /// An RS384 key (RSASSA-PKCS1-v1_5 with SHA-384); see [`Key::rs256`].
    #[cfg(feature = "rs384")]
    pub const fn rs384<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Rs384)
    }

    /// An RS512 key (RSASSA-PKCS1-v1_5 with SHA-512); see [`Key::rs256`].
    #[cfg(feature = "rs512")]
    pub const fn rs512<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Rs512)
    }

    /// A PS256 key (RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt); see
    /// [`Key::rs256`].
    #[cfg(feature = "ps256")]
    pub const fn ps256<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Ps256)
    }

    /// A PS384 key (RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt); see
    /// [`Key::rs256`].
    #[cfg(feature = "ps384")]
    pub const fn ps384<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Ps384)
    }

    /// A PS512 key (RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt); see
    /// [`Key::rs256`].
    #[cfg(feature = "ps512")]
    pub const fn ps512<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>) -> Self {
        Self::rsa_scheme(key, Scheme::Ps512)
    }

    /// An RSA key bound to `alg` (`RS256`, `RS384`, `RS512`, `PS256`, `PS384` or `PS512`, its
    /// feature enabled), for code that learns the algorithm at run time (a JWK's `alg`).
    ///
    /// # Errors
    /// [`Error::UnsupportedAlg`] for another algorithm or one whose feature is off.
    #[cfg(feature = "_rsa")]
    pub const fn rsa<const LIMBS: usize>(
        key: &'k RsaPublicKey<LIMBS>,
        alg: Alg,
    ) -> Result<Self, Error> {
        match Scheme::of(alg) {
            Some(scheme) => Ok(Self::rsa_scheme(key, scheme)),
            None => Err(Error::UnsupportedAlg),
        }
    }

    /// An RSA key of an [`RsaModulus`] (a modulus whose Montgomery constants are computed each
    /// time it checks a signature, and only then) bound to `alg`, as [`Key::rsa`]: the same
    /// key choice, binding and verdicts as an [`RsaPublicKey`] of the same modulus.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlg`] for an algorithm that is not RSA or whose feature is off.
    #[cfg(feature = "_rsa")]
    pub const fn rsa_modulus(key: &'k RsaModulus<'k>, alg: Alg) -> Result<Self, Error> {
        match Scheme::of(alg) {
            Some(scheme) => Ok(Self {
                kid: None,
                issuer: None,
                material: Material::Rsa(key, scheme),
            }),
            None => Err(Error::UnsupportedAlg),
        }
    }

    #[cfg(feature = "_rsa")]
    const fn rsa_scheme<const LIMBS: usize>(key: &'k RsaPublicKey<LIMBS>, scheme: Scheme) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Rsa(key, scheme),
        }
    }

    /// An HS256 key.
    #[cfg(feature = "hs256")]
    pub const fn hs256(key: Hs256Key<'k>) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs256(key),
        }
    }

    /// An HS256 key from a prepared secret ([`Hs256Prepared`]): the same verdicts as
    /// [`Key::hs256`] with the secret's bytes, two hash blocks fewer per verification.
    #[cfg(feature = "hs256")]
    pub const fn hs256_prepared(key: &'k Hs256Prepared) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs256Prepared(key),
        }
    }

    /// An HS384 key.
    #[cfg(feature = "hs384")]
    pub const fn hs384(key: Hs384Key<'k>) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs384(key),
        }
    }

    /// An HS384 key from a prepared secret ([`Hs384Prepared`]): the same verdicts as
    /// [`Key::hs384`] with the secret's bytes, two hash blocks fewer per verification.
    #[cfg(feature = "hs384")]
    pub const fn hs384_prepared(key: &'k Hs384Prepared) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs384Prepared(key),
        }
    }

    /// An HS512 key.
    #[cfg(feature = "hs512")]
    pub const fn hs512(key: Hs512Key<'k>) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs512(key),
        }
    }

    /// An HS512 key from a prepared secret ([`Hs512Prepared`]): the same verdicts as
    /// [`Key::hs512`] with the secret's bytes, two hash blocks fewer per verification.
    #[cfg(feature = "hs512")]
    pub const fn hs512_prepared(key: &'k Hs512Prepared) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Hs512Prepared(key),
        }
    }

    /// An EdDSA key on Ed25519: it verifies tokens whose `alg` is `EdDSA` or `Ed25519`
    /// ([`Alg::EdDsa`]), and no other.
    #[cfg(feature = "eddsa")]
    pub const fn ed25519(key: &'k Ed25519Key) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::Ed25519(key),
        }
    }

    /// A key whose signature check the integrator does (hardware, a secure element, another
    /// library), bound to `alg` like every key: tokengate still parses, picks the key by `kid`,
    /// refuses a token of another algorithm, checks the signature's length, the claims and the
    /// policy. See [`ExternalKey`].
    #[cfg(feature = "external")]
    pub const fn external(key: &'k dyn ExternalKey, alg: Alg) -> Self {
        Self {
            kid: None,
            issuer: None,
            material: Material::External(key, alg),
        }
    }

    /// The same key with a key ID. Tokens that carry a `kid` select keys by it (exact,
    /// case-sensitive match).
    #[must_use]
    pub const fn with_kid(mut self, kid: &'k str) -> Self {
        self.kid = Some(kid);
        self
    }

    /// The same key bound to one issuer: a token it verifies must claim exactly this `iss`,
    /// or it is rejected with [`Error::KeyIssuerMismatch`], whatever the policy accepts. With
    /// several trusted issuers in one key set, this is what stops issuer A's key from
    /// vouching for a token that claims to come from issuer B.
    #[must_use]
    pub const fn with_issuer(mut self, issuer: &'k str) -> Self {
        self.issuer = Some(issuer);
        self
    }

    /// The issuer this key is bound to, if any.
    pub const fn issuer(&self) -> Option<&'k str> {
        self.issuer
    }

    /// The algorithm this key is bound to.
    pub const fn alg(&self) -> Alg {
        match self.material {
            #[cfg(feature = "es256")]
            Material::Es256(_) | Material::Es256Table(_) => Alg::Es256,
            #[cfg(feature = "es384")]
            Material::Es384(_) => Alg::Es384,
            #[cfg(feature = "_rsa")]
            Material::Rsa(_, scheme) => scheme.alg(),
            #[cfg(feature = "hs256")]
            Material::Hs256(_) | Material::Hs256Prepared(_) => Alg::Hs256,
            #[cfg(feature = "hs384")]
            Material::Hs384(_) | Material::Hs384Prepared(_) => Alg::Hs384,
            #[cfg(feature = "hs512")]
            Material::Hs512(_) | Material::Hs512Prepared(_) => Alg::Hs512,
            #[cfg(feature = "eddsa")]
            Material::Ed25519(_) => Alg::EdDsa,
            #[cfg(feature = "external")]
            Material::External(_, alg) => alg,
        }
    }

    /// The key ID, if provisioned with one.
    pub const fn kid(&self) -> Option<&'k str> {
        self.kid
    }

    /// Checks what the `const` constructors cannot: that an ES256 point is on P-256, an ES384
    /// point on P-384, an Ed25519 key a point of large order. Run it at boot or in a
    /// provisioning test. An [`Es256Key`]'s, [`Es384Key`](crate::Es384Key)'s or `Ed25519Key`'s
    /// point is checked again on every use;
    /// an [`Es256KeyTable`]'s was checked when its table was computed (with `es256-p256`,
    /// which computes no table: on every use, like an `Es256Key`'s).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a point that is not on the curve (or, Ed25519, of small
    /// order).
    pub fn validate(&self) -> Result<(), Error> {
        match self.material {
            #[cfg(feature = "es256")]
            Material::Es256(key) => key.check_on_curve(),
            #[cfg(feature = "es256")]
            Material::Es256Table(table) => table.check_on_curve(),
            #[cfg(feature = "es384")]
            Material::Es384(key) => key.check_on_curve(),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(key) => key.check(),
            #[allow(unreachable_patterns)]
            _ => Ok(()),
        }
    }

    /// The RSA modulus size, for an RSA key (RS* or PS*).
    pub fn rsa_bits(&self) -> Option<u32> {
        match self.material {
            #[cfg(feature = "_rsa")]
            Material::Rsa(key, _) => Some(key.bits()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Verifies a raw JWS signature over `message` with this key's algorithm. This is the
    /// signature layer alone: no header, no claims, no policy. Tokens go through
    /// [`Verifier`](crate::Verifier).
    ///
    /// # Errors
    /// [`Error::SignatureLength`] for a signature of the wrong size, [`Error::BadSignature`]
    /// when it does not verify, [`Error::InvalidKey`] for an ES256 or ES384 point off the curve
    /// or an Ed25519 key that is not a point of large order.
    pub fn verify_signature(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let mut hash = None;
        self.verify_with(message, &mut hash, signature)
    }

    /// Verifies with the SHA-256 of `message` computed at most once across keys.
    #[cfg_attr(
        not(any(
            feature = "es256",
            feature = "rs256",
            feature = "ps256",
            feature = "external"
        )),
        allow(unused_variables)
    )]
    fn verify_with(
        &self,
        message: &[u8],
        hash: &mut Option<[u8; 32]>,
        signature: &[u8],
    ) -> Result<(), Error> {
        #[cfg(any(
            feature = "es256",
            feature = "rs256",
            feature = "ps256",
            feature = "external"
        ))]
        let digest = |hash: &mut Option<[u8; 32]>| -> [u8; 32] {
            *hash.get_or_insert_with(|| sha256(message))
        };
        match self.material {
            #[cfg(feature = "es256")]
            Material::Es256(key) => key.verify_prehashed(&digest(hash), signature),
            #[cfg(feature = "es256")]
            Material::Es256Table(table) => table.verify_prehashed(&digest(hash), signature),
            #[cfg(feature = "es384")]
            Material::Es384(key) => key.verify_prehashed(&sha384(message), signature),
            #[cfg(feature = "_rsa")]
            Material::Rsa(key, scheme) => match scheme {
                #[cfg(feature = "rs256")]
                Scheme::Rs256 => key.verify_prehashed(scheme, &digest(hash), signature),
                #[cfg(feature = "ps256")]
                Scheme::Ps256 => key.verify_prehashed(scheme, &digest(hash), signature),
                #[cfg(feature = "rs384")]
                Scheme::Rs384 => key.verify_prehashed(scheme, &sha384(message), signature),
                #[cfg(feature = "ps384")]
                Scheme::Ps384 => key.verify_prehashed(scheme, &sha384(message), signature),
                #[cfg(feature = "rs512")]
                Scheme::Rs512 => key.verify_prehashed(scheme, &sha512(message), signature),
                #[cfg(feature = "ps512")]
                Scheme::Ps512 => key.verify_prehashed(scheme, &sha512(message), signature),
            },
            #[cfg(feature = "hs256")]
            Material::Hs256(key) => key.verify(message, signature),
            #[cfg(feature = "hs256")]
            Material::Hs256Prepared(key) => key.verify(message, signature),
            #[cfg(feature = "hs384")]
            Material::Hs384(key) => key.verify(message, signature),
            #[cfg(feature = "hs384")]
            Material::Hs384Prepared(key) => key.verify(message, signature),
            #[cfg(feature = "hs512")]
            Material::Hs512(key) => key.verify(message, signature),
            #[cfg(feature = "hs512")]
            Material::Hs512Prepared(key) => key.verify(message, signature),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(key) => key.verify(message, signature),
            #[cfg(feature = "external")]
            Material::External(key, alg) => {
                crate::external::verify(key, alg, message, || digest(hash), signature)
            }
        }
    }
}

/// SHA-256, out of line: its state is on the stack only while it hashes.
#[cfg(any(
    feature = "es256",
    feature = "rs256",
    feature = "ps256",
    feature = "external"
))]
#[inline(never)]
fn sha256(message: &[u8]) -> [u8; 32] {
    Sha256::digest(message).into()
}

/// SHA-384, out of line (see [`sha256`]).
#[cfg(any(feature = "es384", feature = "rs384", feature = "ps384"))]
#[inline(never)]
fn sha384(message: &[u8]) -> [u8; 48] {
    sha2::Sha384::digest(message).into()
}

/// SHA-512, out of line (see [`sha256`]).
#[cfg(any(feature = "rs512", feature = "ps512"))]
#[inline(never)]
fn sha512(message: &[u8]) -> [u8; 64] {
    sha2::Sha512::digest(message).into()
}

/// Picks the keys a token may be verified with and tries them.
///
/// - A token with a `kid` uses the keys with that `kid`; if none has it, the keys provisioned
///   without a `kid`; if there are none, [`Error::UnknownKid`].
/// - A token without a `kid` uses every key.
///
/// Of those, only keys bound to the token's `alg` are tried. If none is, the error is
/// [`Error::AlgMismatch`] for a token that named its key, [`Error::NoKeyForAlg`] otherwise. The
/// first key that verifies wins; if none does, the error of the first key whose signature length
/// matched is returned (else the first [`Error::SignatureLength`]).
pub(crate) fn verify_with_keys<'k>(
    keys: &[Key<'k>],
    alg: Alg,
    kid: Option<&JsonStr<'_>>,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<Key<'k>, Error> {
    let named = |key: &Key<'_>| match (kid, key.kid) {
        (Some(wanted), Some(have)) => wanted.eq_str(have),
        _ => false,
    };
    let by_kid = kid.is_some() && keys.iter().any(named);
    if kid.is_some() && !by_kid && !keys.iter().any(|k| k.kid.is_none()) {
        return Err(Error::UnknownKid);
    }
    let mut hash = None;
    let mut mismatch = None;
    let mut first_error = None;
    for key in keys {
        let chosen = match (kid, by_kid) {
            (None, _) => true,
            (Some(_), true) => named(key),
            (Some(_), false) => key.kid.is_none(),
        };
        if !chosen {
            continue;
        }
        if key.alg() != alg {
            mismatch.get_or_insert(key.alg());
            continue;
        }
        match key.verify_with(signing_input, &mut hash, signature) {
            Ok(()) => return Ok(*key),
            // A key the signature's length fits says more than one it does not fit.
            Err(e) => match first_error {
                None | Some(Error::SignatureLength { .. }) => first_error = Some(e),
                Some(_) => {}
            },
        }
    }
    Err(match (first_error, mismatch, kid) {
        (Some(e), _, _) => e,
        (None, Some(key), Some(_)) => Error::AlgMismatch { token: alg, key },
        _ => Error::NoKeyForAlg { alg },
    })
}
