//! Signed key rotation: a new key set delivered as a JWS signed by a provisioned rotation key,
//! its payload a versioned JWK Set, decoded without heap into storage the caller owns.
//!
//! The payload is `{"ver": 7, "keys": [JWK, ...]}`: JWKs read by [`jwk`](crate::jwk), under its
//! rules (an `oct` key needs `"alg": "HS256"`, `"HS384"` or `"HS512"`; an `RSA` key is RS256
//! unless its `alg` names another RSA algorithm), each optionally with, as a tokengate extension,
//! `iss`: the issuer the key is bound to ([`Key::with_issuer`]). The header must have `typ`
//! [`KEY_SET_TYP`].

use heapless::Vec;

#[cfg(any(feature = "_rsa", feature = "_hmac"))]
use crate::alg::Alg;
#[cfg(feature = "eddsa")]
use crate::eddsa::Ed25519Key;
use crate::error::{Error, Part};
#[cfg(feature = "es256")]
use crate::es256::Es256Key;
#[cfg(feature = "es384")]
use crate::es384::Es384Key;
#[cfg(feature = "hs256")]
use crate::hmac::Hs256Key;
#[cfg(feature = "hs384")]
use crate::hmac::Hs384Key;
#[cfg(feature = "hs512")]
use crate::hmac::Hs512Key;
use crate::json::{self, JsonStr, Object, Value};
use crate::jwk::{self, Jwk};
use crate::keys::Key;
#[cfg(feature = "_rsa")]
use crate::rsa::{Rsa2048, Rsa3072, Rsa4096};
#[allow(unused_imports)] // Linked from the docs.
use crate::verify::Verifier;
use crate::verify::{Buffers, Jws};

/// The `typ` a key-set token must carry, so that no other JWS signed by the same key can pass for
/// a key set (RFC 8725 §3.11).
pub const KEY_SET_TYP: &str = "tokengate-keyset+jwt";

/// Longest `kid` a rotated key can have, in bytes.
pub const MAX_ROTATED_KID: usize = 64;
/// Longest issuer a rotated key can be bound to, in bytes.
pub const MAX_ROTATED_ISSUER: usize = 128;
/// Longest HMAC secret in a rotated key set, in bytes: one SHA-256 block (HMAC hashes longer
/// keys down anyway), and the shortest HS512 secret.
pub const MAX_ROTATED_SECRET: usize = 64;

// A slot is fixed storage sized for its largest key, by design. `Debug` by hand: an HMAC
// secret never appears in it. RSA and HMAC keys carry the algorithm they are bound to.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Material {
    Empty,
    #[cfg(feature = "es256")]
    Es256(Es256Key),
    #[cfg(feature = "es384")]
    Es384(Es384Key),
    #[cfg(feature = "eddsa")]
    Ed25519(Ed25519Key),
    #[cfg(feature = "_rsa")]
    Rs2048(Rsa2048, Alg),
    #[cfg(feature = "_rsa")]
    Rs3072(Rsa3072, Alg),
    #[cfg(feature = "_rsa")]
    Rs4096(Rsa4096, Alg),
    #[cfg(feature = "_hmac")]
    Hmac {
        alg: Alg,
        secret: [u8; MAX_ROTATED_SECRET],
        len: usize,
    },
}

/// Names the algorithm and the key's size, never key bytes: an HMAC key prints its secret's length
/// only, the public keys their size (an RSA modulus in bits), so a debug dump of a ring is short
/// and safe to log.
impl core::fmt::Debug for Material {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Material::Empty => f.write_str("Empty"),
            #[cfg(feature = "es256")]
            Material::Es256(_) => f.write_str("Es256"),
            #[cfg(feature = "es384")]
            Material::Es384(_) => f.write_str("Es384"),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(_) => f.write_str("Ed25519"),
            #[cfg(feature = "_rsa")]
            Material::Rs2048(k, alg) => rsa_debug(f, *alg, k.bits()),
            #[cfg(feature = "_rsa")]
            Material::Rs3072(k, alg) => rsa_debug(f, *alg, k.bits()),
            #[cfg(feature = "_rsa")]
            Material::Rs4096(k, alg) => rsa_debug(f, *alg, k.bits()),
            #[cfg(feature = "_hmac")]
            Material::Hmac {
                alg,
                secret: _,
                len,
            } => f
                .debug_struct(debug_name(*alg))
                .field("secret_len", len)
                .finish_non_exhaustive(),
        }
    }
}

#[cfg(feature = "_rsa")]
fn rsa_debug(f: &mut core::fmt::Formatter<'_>, alg: Alg, bits: u32) -> core::fmt::Result {
    f.debug_struct(debug_name(alg))
        .field("bits", &bits)
        .finish()
}

/// The name of an algorithm as its `Debug` writes it (`Rs256`, `Hs512`, ...).
#[cfg(any(feature = "_rsa", feature = "_hmac"))]
const fn debug_name(alg: Alg) -> &'static str {
    match alg {
        Alg::Es256 => "Es256",
        Alg::Es384 => "Es384",
        Alg::Rs256 => "Rs256",
        Alg::Hs256 => "Hs256",
        Alg::Hs384 => "Hs384",
        Alg::Hs512 => "Hs512",
        Alg::Rs384 => "Rs384",
        Alg::Rs512 => "Rs512",
        Alg::Ps256 => "Ps256",
        Alg::Ps384 => "Ps384",
        Alg::Ps512 => "Ps512",
        Alg::EdDsa => "EdDsa",
    }
}

/// Storage for one rotated key: material, `kid` and issuer binding, in fixed arrays.
///
/// Its `Debug` shows the algorithm, the `kid` and the issuer, and for an HMAC key the secret's
/// length only, never its bytes.
#[derive(Clone, Debug)]
struct KeySlot {
    material: Material,
    kid: Text<MAX_ROTATED_KID>,
    issuer: Text<MAX_ROTATED_ISSUER>,
}

impl KeySlot {
    const EMPTY: KeySlot = KeySlot {
        material: Material::Empty,
        kid: Text::EMPTY,
        issuer: Text::EMPTY,
    };

    fn key(&self) -> Option<Key<'_>> {
        let key = match &self.material {
            Material::Empty => return None,
            #[cfg(feature = "es256")]
            Material::Es256(k) => Key::es256(k),
            #[cfg(feature = "es384")]
            Material::Es384(k) => Key::es384(k),
            #[cfg(feature = "eddsa")]
            Material::Ed25519(k) => Key::ed25519(k),
            #[cfg(feature = "_rsa")]
            Material::Rs2048(k, alg) => Key::rsa(k, *alg).ok()?,
            #[cfg(feature = "_rsa")]
            Material::Rs3072(k, alg) => Key::rsa(k, *alg).ok()?,
            #[cfg(feature = "_rsa")]
            Material::Rs4096(k, alg) => Key::rsa(k, *alg).ok()?,
            #[cfg(feature = "_hmac")]
            Material::Hmac { alg, secret, len } => hmac_key(*alg, secret.get(..*len)?)?,
        };
        let key = match self.kid.as_str() {
            Some(kid) => key.with_kid(kid),
            None => key,
        };
        Some(match self.issuer.as_str() {
            Some(issuer) => key.with_issuer(issuer),
            None => key,
        })
    }
}

/// A short string in a fixed array.
#[derive(Clone, Copy)]
struct Text<const N: usize> {
    bytes: [u8; N],
    len: Option<usize>,
}

impl<const N: usize> Text<N> {
    const EMPTY: Self = Self {
        bytes: [0; N],
        len: None,
    };

    fn set(&mut self, s: Option<JsonStr<'_>>, too_large: Error) -> Result<(), Error> {
        self.len = match s {
            None => None,
            Some(s) => Some(s.decode_into(&mut self.bytes).ok_or(too_large)?.len()),
        };
        Ok(())
    }

    fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(self.bytes.get(..self.len?)?).ok()
    }
}

/// The string, not the 64 or 128 bytes of its array.
impl<const N: usize> core::fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.as_str(), f)
    }
}

/// Up to `K` keys installed from signed key-set tokens, and the version of the set.
///
/// The keys live in the ring (about 1 KiB per slot, the size of an RSA-4096 key with its
/// Montgomery constants); [`KeyRing::keys`] lends them out for a [`Verifier`]. A new set replaces
/// the whole ring, or, if anything is wrong with it, leaves the ring as it was.
///
/// A set's `ver` is an anti-rollback counter: [`install`](KeyRing::install) takes the newest
/// version the device has accepted and refuses anything older ([`Error::StaleKeySet`]).
/// Persisting a ring is persisting its token: store the last accepted key-set token (its version
/// is in it, and is what `install` returned), and at boot install it again with that version;
/// an older set replayed then, or later, is refused. The issuer must give every new set a
/// higher `ver`.
///
/// HS256 entries carry secrets, and a JWS is signed, not encrypted: deliver such sets only over
/// a confidential channel. The ring's `Debug` never shows them: it lists the version, the
/// capacity and the installed keys by type, `kid` and issuer (HS256 secrets by length only).
#[derive(Clone)]
pub struct KeyRing<const K: usize> {
    slots: [KeySlot; K],
    version: Option<u64>,
}

impl<const K: usize> core::fmt::Debug for KeyRing<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        /// The occupied slots, as a list.
        struct Installed<'a>(&'a [KeySlot]);
        impl core::fmt::Debug for Installed<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list()
                    .entries(
                        self.0
                            .iter()
                            .filter(|slot| !matches!(slot.material, Material::Empty)),
                    )
                    .finish()
            }
        }
        f.debug_struct("KeyRing")
            .field("version", &self.version)
            .field("capacity", &K)
            .field("keys", &Installed(&self.slots))
            .finish()
    }
}

impl<const K: usize> Default for KeyRing<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const K: usize> KeyRing<K> {
    /// An empty ring, with no version.
    pub const fn new() -> Self {
        Self {
            slots: [KeySlot::EMPTY; K],
            version: None,
        }
    }

    /// The version of the installed set, if any.
    pub const fn version(&self) -> Option<u64> {
        self.version
    }

    /// The installed keys, for a [`Verifier`].
    pub fn keys(&self) -> Vec<Key<'_>, K> {
        self.slots.iter().filter_map(KeySlot::key).collect()
    }

    /// Installs the key set in `token` if it is signed by one of `rotation_keys` and its version
    /// is not older than `newest_accepted`; returns that version.
    ///
    /// `newest_accepted` is the newest key-set version this device has accepted: the persisted
    /// one (0 before the first set). A set of exactly that version is installed again (how a
    /// stored set is restored at boot); any older set is refused.
    ///
    /// Nothing changes unless every key of the set is valid and fits.
    ///
    /// ```
    /// # fn sets(ring: &mut tokengate::KeyRing<4>, stored: &str, newer: &str, rotation_keys: &[tokengate::Key<'_>]) -> Result<(), tokengate::Error> {
    /// # let mut buffers = tokengate::Buffers::<4096>::new();
    /// // At boot: the stored token and the version it was accepted at.
    /// let version = ring.install(stored, rotation_keys, 7, &mut buffers)?;
    /// // A rotation later: anything from that version up.
    /// let version = ring.install(newer, rotation_keys, version, &mut buffers)?;
    /// // Persist `newer` and `version`.
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Signature-layer errors as for [`Jws::verify`] (a token not signed by a rotation key fails
    /// there); [`Error::WrongType`] without the `typ` [`KEY_SET_TYP`];
    /// [`Error::StaleKeySet`] for an old version; [`Error::MalformedKeySet`] for a payload that is
    /// not a versioned JWK Set; for a key of the set, the error of [`jwk`](crate::jwk) that
    /// refused it, or [`Error::InvalidMember`] ([`Part::Jwk`]) for an `iss` that is not a string;
    /// [`Error::KeySetTooLarge`] for more than `K` keys or a `kid`, issuer or secret longer than
    /// its storage.
    pub fn install<const N: usize>(
        &mut self,
        token: impl AsRef<[u8]>,
        rotation_keys: &[Key<'_>],
        newest_accepted: u64,
        buffers: &mut Buffers<N>,
    ) -> Result<u64, Error> {
        let jws = Jws::verify(rotation_keys, token, buffers)?;
        match jws.header().typ() {
            Some(typ) if typ == KEY_SET_TYP => {}
            _ => return Err(Error::WrongType),
        }
        let (version, keys) = read_set(jws.payload())?;
        if version < newest_accepted {
            return Err(Error::StaleKeySet {
                version,
                minimum: newest_accepted,
            });
        }
        // First pass: every key must be valid and fit, with nothing written.
        let mut count = 0usize;
        let mut probe = KeySlot::EMPTY;
        for entry in keys.elements() {
            read_jwk(
                entry.map_err(|_| Error::MalformedKeySet)?,
                &mut probe,
                count,
                K,
            )?;
            count = count.saturating_add(1);
        }
        if count > K {
            return Err(Error::KeySetTooLarge {
                keys: count,
                capacity: K,
            });
        }
        // Second pass: the same reads into the ring; they cannot fail now.
        let mut slots = self.slots.iter_mut();
        for (index, (entry, slot)) in keys.elements().zip(&mut slots).enumerate() {
            read_jwk(entry.map_err(|_| Error::MalformedKeySet)?, slot, index, K)?;
        }
        slots.for_each(|slot| *slot = KeySlot::EMPTY);
        self.version = Some(version);
        Ok(version)
    }
}

/// `ver` and `keys` of a key-set payload, which must be one strict JSON object.
fn read_set(payload: &[u8]) -> Result<(u64, json::Array<'_>), Error> {
    let mut version = None;
    let mut keys = None;
    Object::read(payload, Part::Jwk, |name, value| {
        if name.eq_str("ver") {
            let Value::Num(n) = value else {
                return Err(Error::MalformedKeySet);
            };
            version = Some(version_number(n).ok_or(Error::MalformedKeySet)?);
        } else if name.eq_str("keys") {
            let Value::Array(array) = value else {
                return Err(Error::MalformedKeySet);
            };
            keys = Some(array);
        }
        Ok(())
    })
    .map_err(|_| Error::MalformedKeySet)?;
    Ok((
        version.ok_or(Error::MalformedKeySet)?,
        keys.ok_or(Error::MalformedKeySet)?,
    ))
}

/// Reads one JWK into `slot`. `count` keys came before it in a ring of `capacity`.
fn read_jwk(
    value: Value<'_>,
    slot: &mut KeySlot,
    count: usize,
    capacity: usize,
) -> Result<(), Error> {
    let jwk = jwk::entry(value)?;
    let issuer = issuer(&jwk)?;
    if count >= capacity {
        // Counted by the caller; keep reading so the error reports the whole set.
        return Ok(());
    }
    let too_large = Error::KeySetTooLarge {
        keys: count.saturating_add(1),
        capacity,
    };
    slot.material = material(&jwk, too_large)?;
    slot.kid.set(jwk.kid_text(), too_large)?;
    slot.issuer.set(issuer, too_large)?;
    Ok(())
}

/// A key-set version: a JSON number that is a non-negative integer of at most 64 bits, in plain
/// digits (no fraction, no exponent: `7.0` and `7e0` are not versions).
fn version_number(number: &str) -> Option<u64> {
    number.bytes().try_fold(0u64, |n, digit| {
        let digit = u64::from(digit.is_ascii_digit().then(|| digit.checked_sub(b'0'))??);
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// The `iss` member of a rotated JWK: a tokengate extension, so not read by [`jwk`].
fn issuer<'a>(jwk: &Jwk<'a>) -> Result<Option<JsonStr<'a>>, Error> {
    for member in jwk.object().members() {
        let (name, value) = member.map_err(|_| Error::Json { part: Part::Jwk })?;
        if name.eq_str("iss") {
            let Value::Str(issuer) = value else {
                return Err(Error::InvalidMember {
                    part: Part::Jwk,
                    name: "iss",
                });
            };
            return Ok(Some(issuer));
        }
    }
    Ok(None)
}

/// The HMAC key of `alg` (its feature enabled) with `secret`.
#[cfg(feature = "_hmac")]
fn hmac_key(alg: Alg, secret: &[u8]) -> Option<Key<'_>> {
    match alg {
        #[cfg(feature = "hs256")]
        Alg::Hs256 => Hs256Key::new(secret).ok().map(Key::hs256),
        #[cfg(feature = "hs384")]
        Alg::Hs384 => Hs384Key::new(secret).ok().map(Key::hs384),
        #[cfg(feature = "hs512")]
        Alg::Hs512 => Hs512Key::new(secret).ok().map(Key::hs512),
        _ => None,
    }
}

/// The key material of a JWK, in a slot's storage.
fn material(jwk: &Jwk<'_>, too_large: Error) -> Result<Material, Error> {
    // An RSA-4096 modulus, or a secret before it is measured against the slot.
    let mut decoded = [0u8; 512];
    let decoded = match jwk.material(&mut decoded) {
        Err(Error::TooLarge { .. }) => return Err(too_large),
        other => other?,
    };
    Ok(match decoded {
        #[cfg(feature = "es256")]
        jwk::Material::Es256(point) => Material::Es256(Es256Key::new(&point)?),
        #[cfg(feature = "es384")]
        jwk::Material::Es384(point) => Material::Es384(Es384Key::new(&point)?),
        #[cfg(feature = "eddsa")]
        jwk::Material::Ed25519(x) => Material::Ed25519(Ed25519Key::new(&x)?),
        #[cfg(feature = "_rsa")]
        jwk::Material::Rsa { n, e } => match n.len() {
            0..=256 => Material::Rs2048(Rsa2048::new(n, e)?, jwk.alg()),
            257..=384 => Material::Rs3072(Rsa3072::new(n, e)?, jwk.alg()),
            _ => Material::Rs4096(Rsa4096::new(n, e)?, jwk.alg()),
        },
        #[cfg(feature = "_hmac")]
        jwk::Material::Oct(bytes) => {
            let mut secret = [0u8; MAX_ROTATED_SECRET];
            secret
                .get_mut(..bytes.len())
                .ok_or(too_large)?
                .copy_from_slice(bytes);
            Material::Hmac {
                alg: jwk.alg(),
                secret,
                len: bytes.len(),
            }
        }
        // The material of an algorithm that is not compiled in: `jwk` refuses such keys.
        #[allow(unreachable_patterns)]
        _ => {
            return Err(Error::Jwk {
                reason: jwk::Reason::UnsupportedKty,
            });
        }
    })
}
