//! Keys as C data (`const`, in flash), turned into the library's `Key`s for each call: cheaply
//! (checks and small copies; an RSA key is its borrowed modulus, whose Montgomery constants the
//! library computes only if the token selects that key).

use core::ffi::{c_int, c_void};

use heapless::Vec;
use tg::{Alg, Error, Key};

use crate::status::{self, TOKENGATE_STATUS_TOO_MANY_KEYS, tokengate_status};
use crate::view::{self, tokengate_str};

/// An algorithm, as in a key's `alg` (a `uint32_t`: any value a C caller stores is valid; one
/// that names no algorithm, or one compiled out of this build, is
/// `TOKENGATE_STATUS_UNSUPPORTED_ALG`). 0 is no algorithm, so a zeroed key is refused.
pub type tokengate_alg = u32;

/// ECDSA on P-256 with SHA-256. Key: a 65-byte uncompressed SEC1 point `04 || x || y`.
pub const TOKENGATE_ALG_ES256: tokengate_alg = 1;
/// ECDSA on P-384 with SHA-384. Key: a 97-byte uncompressed SEC1 point.
pub const TOKENGATE_ALG_ES384: tokengate_alg = 2;
/// RSASSA-PKCS1-v1_5 with SHA-256. Key: the big-endian modulus (2048 to 4096 bits) and
/// `rsa_exponent`.
pub const TOKENGATE_ALG_RS256: tokengate_alg = 3;
/// RSASSA-PKCS1-v1_5 with SHA-384 (key as RS256).
pub const TOKENGATE_ALG_RS384: tokengate_alg = 4;
/// RSASSA-PKCS1-v1_5 with SHA-512 (key as RS256).
pub const TOKENGATE_ALG_RS512: tokengate_alg = 5;
/// RSASSA-PSS with SHA-256 (key as RS256).
pub const TOKENGATE_ALG_PS256: tokengate_alg = 6;
/// RSASSA-PSS with SHA-384 (key as RS256).
pub const TOKENGATE_ALG_PS384: tokengate_alg = 7;
/// RSASSA-PSS with SHA-512 (key as RS256).
pub const TOKENGATE_ALG_PS512: tokengate_alg = 8;
/// HMAC with SHA-256. Key: the shared secret, at least 32 bytes.
pub const TOKENGATE_ALG_HS256: tokengate_alg = 9;
/// HMAC with SHA-384. Key: the shared secret, at least 48 bytes.
pub const TOKENGATE_ALG_HS384: tokengate_alg = 10;
/// HMAC with SHA-512. Key: the shared secret, at least 64 bytes.
pub const TOKENGATE_ALG_HS512: tokengate_alg = 11;
/// EdDSA on Ed25519 (`alg` `EdDSA` or `Ed25519`). Key: the 32-byte public key.
pub const TOKENGATE_ALG_EDDSA: tokengate_alg = 12;

/// Most keys one call takes. The call's stack holds this many converted keys whatever the
/// number passed: about 120 bytes each on a 32-bit target (the largest, an ES384 point; an RSA
/// key is a view of its modulus), under 1 KiB in all, plus the library's view of each (about
/// 30 bytes).
pub const TOKENGATE_MAX_KEYS: usize = 8;

/// What an external key's callback returns for a valid signature; any other value is invalid.
pub const TOKENGATE_SIGNATURE_VALID: c_int = 1;

/// The signature check of an external key (hardware crypto, a secure element, another library):
/// `handle` is the key's `external_handle`; `alg` the key's algorithm (which is the token's);
/// for ECDSA and RSA, `digest` is the signing input's hash under the algorithm's hash (32, 48 or
/// 64 bytes), for HMAC and EdDSA it is NULL with `digest_len` 0 and the check is over
/// `signing_input` (`BASE64URL(header).BASE64URL(payload)` as received); `signature` is the
/// decoded JWS signature (ECDSA: `r || s`, not DER), of the length the algorithm has (checked
/// before the call; RSA: 256 to 512 bytes, the callback compares it with its modulus). The
/// pointers are valid during the call only. Return `TOKENGATE_SIGNATURE_VALID` (1) for a valid
/// signature and anything else otherwise, including on a failure of the hardware. It is called
/// only during a verification, on the caller's thread; it must return (no `longjmp`).
pub type tokengate_external_verify = Option<
    unsafe extern "C" fn(
        handle: *mut c_void,
        alg: tokengate_alg,
        digest: *const u8,
        digest_len: usize,
        signing_input: *const u8,
        input_len: usize,
        signature: *const u8,
        signature_len: usize,
    ) -> c_int,
>;

/// A provisioned key, as `const` data that can live in flash: the algorithm it is bound to, its
/// material, and optionally a key ID and an issuer.
///
/// `material` by algorithm: ES256 a 65-byte and ES384 a 97-byte uncompressed SEC1 point; RS*
/// and PS* the big-endian modulus (leading zeros allowed) with `rsa_exponent`; HS* the secret;
/// EdDSA the 32-byte key. `rsa_exponent` is ignored for other algorithms.
///
/// `kid`: tokens with a `kid` select keys by it (exact match). `issuer`: a token this key
/// verifies must claim exactly this `iss` (`TOKENGATE_STATUS_KEY_ISSUER_MISMATCH` otherwise).
/// Either may be `{NULL, 0}`.
///
/// An external key has `external_verify` set: its signature check is that callback's (with
/// `external_handle`), and `material` is not read. Everything else (parsing, the choice of key
/// by `kid`, the binding to `alg`, the signature's length, the claims, the policy) stays in
/// tokengate. Needs the `external` feature (otherwise `TOKENGATE_STATUS_UNSUPPORTED_ALG`).
///
/// Each call re-checks each key it is given, selected by the token or not (the SEC1 encoding,
/// the RSA modulus size and parity and the exponent, the secret length: comparisons over the
/// key's bytes, a few hundred instructions per key), so a malformed key is refused with its
/// status on every call. An RSA key's Montgomery constants are computed only when the token
/// selects that key (by `kid`, then `alg`) and its signature has the modulus' length: once per
/// such call, on the call's stack (on a Cortex-M4 about 200,000 instructions for RSA-2048,
/// 40% of an RS256-2048 verification, and 0.5 KiB of stack; 1 KiB for RSA-4096).
/// `tokengate_key_check` checks a key once, at boot or in a test.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tokengate_key {
    /// A `TOKENGATE_ALG_*` value.
    pub alg: tokengate_alg,
    /// RSA only: the public exponent (usually 65537).
    pub rsa_exponent: u32,
    /// The key material (see above).
    pub material: *const u8,
    /// Length of `material` in bytes.
    pub material_len: usize,
    /// Key ID, or `{NULL, 0}`.
    pub kid: tokengate_str,
    /// Issuer the key is bound to, or `{NULL, 0}`.
    pub issuer: tokengate_str,
    /// An external key's signature check, or NULL for a key with `material`.
    pub external_verify: tokengate_external_verify,
    /// Passed to `external_verify` as its `handle`.
    pub external_handle: *mut c_void,
}

/// The converted material of one key, where the library's `Key` borrows it from.
pub(crate) enum Slot<'c> {
    #[cfg(feature = "es256")]
    Es256(tg::Es256Key),
    #[cfg(feature = "es384")]
    Es384(tg::Es384Key),
    /// The modulus, checked; its constants are computed by the library when the key is used.
    #[cfg(feature = "rsa")]
    Rsa(tg::RsaModulus<'c>, Alg),
    #[cfg(feature = "hs256")]
    Hs256(tg::Hs256Key<'c>),
    #[cfg(feature = "hs384")]
    Hs384(tg::Hs384Key<'c>),
    #[cfg(feature = "hs512")]
    Hs512(tg::Hs512Key<'c>),
    #[cfg(feature = "eddsa")]
    Ed25519(tg::Ed25519Key),
    #[cfg(feature = "external")]
    External(CExternal, Alg),
    /// Never built: keeps `'c` used whatever the features.
    #[allow(dead_code)]
    Unused(core::marker::PhantomData<&'c ()>),
}

/// A C callback as the library's external key.
#[cfg(feature = "external")]
pub(crate) struct CExternal {
    verify: unsafe extern "C" fn(
        *mut c_void,
        tokengate_alg,
        *const u8,
        usize,
        *const u8,
        usize,
        *const u8,
        usize,
    ) -> c_int,
    handle: *mut c_void,
}

// SAFETY: `ExternalKey` asks for `Sync` because a Rust key set may be a `static` shared between
// threads. A `CExternal` lives on the stack of one C API call and is used only by that call, on
// the caller's thread: the handle is never shared with another thread by tokengate.
#[cfg(feature = "external")]
unsafe impl Sync for CExternal {}

#[cfg(feature = "external")]
impl tg::ExternalKey for CExternal {
    fn verify(&self, check: &tg::SignatureCheck<'_>) -> bool {
        let digest = check.digest();
        let input = check.signing_input();
        let signature = check.signature();
        let digest_ptr = if digest.is_empty() {
            core::ptr::null()
        } else {
            digest.as_ptr()
        };
        // SAFETY: the C caller provided `verify` and `handle` for this key and promised the
        // function may be called with them during the verification (the contract of
        // `tokengate_key`); every pointer passed is valid for its length during the call.
        let answer = unsafe {
            (self.verify)(
                self.handle,
                c_alg(check.alg()),
                digest_ptr,
                digest.len(),
                input.as_ptr(),
                input.len(),
                signature.as_ptr(),
                signature.len(),
            )
        };
        answer == TOKENGATE_SIGNATURE_VALID
    }
}

/// The library algorithm of any C value, compiled in or not (an external key checks its own).
#[cfg(feature = "external")]
fn any_alg(alg: tokengate_alg) -> Option<Alg> {
    Some(match alg {
        TOKENGATE_ALG_ES256 => Alg::Es256,
        TOKENGATE_ALG_ES384 => Alg::Es384,
        TOKENGATE_ALG_RS256 => Alg::Rs256,
        TOKENGATE_ALG_RS384 => Alg::Rs384,
        TOKENGATE_ALG_RS512 => Alg::Rs512,
        TOKENGATE_ALG_PS256 => Alg::Ps256,
        TOKENGATE_ALG_PS384 => Alg::Ps384,
        TOKENGATE_ALG_PS512 => Alg::Ps512,
        TOKENGATE_ALG_HS256 => Alg::Hs256,
        TOKENGATE_ALG_HS384 => Alg::Hs384,
        TOKENGATE_ALG_HS512 => Alg::Hs512,
        TOKENGATE_ALG_EDDSA => Alg::EdDsa,
        _ => return None,
    })
}

/// The library algorithm of a C value, if this build has it.
fn alg_of(alg: tokengate_alg) -> Option<Alg> {
    Some(match alg {
        #[cfg(feature = "es256")]
        TOKENGATE_ALG_ES256 => Alg::Es256,
        #[cfg(feature = "es384")]
        TOKENGATE_ALG_ES384 => Alg::Es384,
        #[cfg(feature = "rs256")]
        TOKENGATE_ALG_RS256 => Alg::Rs256,
        #[cfg(feature = "rs384")]
        TOKENGATE_ALG_RS384 => Alg::Rs384,
        #[cfg(feature = "rs512")]
        TOKENGATE_ALG_RS512 => Alg::Rs512,
        #[cfg(feature = "ps256")]
        TOKENGATE_ALG_PS256 => Alg::Ps256,
        #[cfg(feature = "ps384")]
        TOKENGATE_ALG_PS384 => Alg::Ps384,
        #[cfg(feature = "ps512")]
        TOKENGATE_ALG_PS512 => Alg::Ps512,
        #[cfg(feature = "hs256")]
        TOKENGATE_ALG_HS256 => Alg::Hs256,
        #[cfg(feature = "hs384")]
        TOKENGATE_ALG_HS384 => Alg::Hs384,
        #[cfg(feature = "hs512")]
        TOKENGATE_ALG_HS512 => Alg::Hs512,
        #[cfg(feature = "eddsa")]
        TOKENGATE_ALG_EDDSA => Alg::EdDsa,
        _ => return None,
    })
}

/// The C value of a library algorithm (0 for one this API does not know).
pub(crate) fn c_alg(alg: Alg) -> tokengate_alg {
    match alg {
        Alg::Es256 => TOKENGATE_ALG_ES256,
        Alg::Es384 => TOKENGATE_ALG_ES384,
        Alg::Rs256 => TOKENGATE_ALG_RS256,
        Alg::Rs384 => TOKENGATE_ALG_RS384,
        Alg::Rs512 => TOKENGATE_ALG_RS512,
        Alg::Ps256 => TOKENGATE_ALG_PS256,
        Alg::Ps384 => TOKENGATE_ALG_PS384,
        Alg::Ps512 => TOKENGATE_ALG_PS512,
        Alg::Hs256 => TOKENGATE_ALG_HS256,
        Alg::Hs384 => TOKENGATE_ALG_HS384,
        Alg::Hs512 => TOKENGATE_ALG_HS512,
        Alg::EdDsa => TOKENGATE_ALG_EDDSA,
        _ => 0,
    }
}

/// A key's strings, checked.
pub(crate) struct Names<'c> {
    kid: Option<&'c str>,
    issuer: Option<&'c str>,
}

impl<'c> Slot<'c> {
    /// Converts one C key.
    ///
    /// # Safety
    /// `key`'s pointers must be valid for their lengths (or NULL) for `'c`.
    pub(crate) unsafe fn new(key: &tokengate_key) -> Result<(Self, Names<'c>), tokengate_status> {
        // SAFETY: forwarded from this function's contract.
        let kid = unsafe { view::optional_str(key.kid) }?;
        // SAFETY: forwarded from this function's contract.
        let issuer = unsafe { view::optional_str(key.issuer) }?;
        if let Some(verify) = key.external_verify {
            #[cfg(feature = "external")]
            {
                let alg = any_alg(key.alg).ok_or(status::of(Error::UnsupportedAlg))?;
                let external = CExternal {
                    verify,
                    handle: key.external_handle,
                };
                return Ok((Slot::External(external, alg), Names { kid, issuer }));
            }
            #[cfg(not(feature = "external"))]
            {
                let _ = verify;
                return Err(status::of(Error::UnsupportedAlg));
            }
        }
        // SAFETY: forwarded from this function's contract.
        let material = unsafe { view::bytes(key.material, key.material_len) }?;
        let alg = alg_of(key.alg).ok_or(status::of(Error::UnsupportedAlg))?;
        let slot = Self::material(alg, material, key.rsa_exponent).map_err(status::of)?;
        Ok((slot, Names { kid, issuer }))
    }

    #[cfg_attr(not(feature = "rsa"), allow(unused_variables))]
    fn material(alg: Alg, material: &'c [u8], exponent: u32) -> Result<Self, Error> {
        #[cfg(any(feature = "es256", feature = "es384", feature = "eddsa"))]
        fn fixed<const N: usize>(material: &[u8]) -> Result<&[u8; N], Error> {
            material.try_into().map_err(|_| Error::InvalidKey)
        }
        Ok(match alg {
            #[cfg(feature = "es256")]
            Alg::Es256 => Slot::Es256(tg::Es256Key::new(fixed(material)?)?),
            #[cfg(feature = "es384")]
            Alg::Es384 => Slot::Es384(tg::Es384Key::new(fixed(material)?)?),
            #[cfg(feature = "hs256")]
            Alg::Hs256 => Slot::Hs256(tg::Hs256Key::new(material)?),
            #[cfg(feature = "hs384")]
            Alg::Hs384 => Slot::Hs384(tg::Hs384Key::new(material)?),
            #[cfg(feature = "hs512")]
            Alg::Hs512 => Slot::Hs512(tg::Hs512Key::new(material)?),
            #[cfg(feature = "eddsa")]
            Alg::EdDsa => Slot::Ed25519(tg::Ed25519Key::new(fixed(material)?)?),
            // The checks of an `Rsa4096` (the smallest integer the modulus fits, leading zero
            // bytes not counting, had the same ones), not its constants.
            #[cfg(feature = "rsa")]
            _ => Slot::Rsa(tg::RsaModulus::new(material, exponent)?, alg),
            #[cfg(not(feature = "rsa"))]
            _ => return Err(Error::UnsupportedAlg),
        })
    }

    /// The library's key over this slot.
    fn key<'s>(&'s self, names: &Names<'s>) -> Result<Key<'s>, Error> {
        let key = match self {
            #[cfg(feature = "es256")]
            Slot::Es256(k) => Key::es256(k),
            #[cfg(feature = "es384")]
            Slot::Es384(k) => Key::es384(k),
            #[cfg(feature = "rsa")]
            Slot::Rsa(k, alg) => Key::rsa_modulus(k, *alg)?,
            #[cfg(feature = "hs256")]
            Slot::Hs256(k) => Key::hs256(*k),
            #[cfg(feature = "hs384")]
            Slot::Hs384(k) => Key::hs384(*k),
            #[cfg(feature = "hs512")]
            Slot::Hs512(k) => Key::hs512(*k),
            #[cfg(feature = "eddsa")]
            Slot::Ed25519(k) => Key::ed25519(k),
            #[cfg(feature = "external")]
            Slot::External(k, alg) => Key::external(k, *alg),
            Slot::Unused(_) => return Err(Error::UnsupportedAlg),
        };
        let key = match names.kid {
            Some(kid) => key.with_kid(kid),
            None => key,
        };
        Ok(match names.issuer {
            Some(issuer) => key.with_issuer(issuer),
            None => key,
        })
    }
}

/// The converted slots of up to `TOKENGATE_MAX_KEYS` keys.
pub(crate) type Slots<'c> = Vec<(Slot<'c>, Names<'c>), TOKENGATE_MAX_KEYS>;

// The figures of `TOKENGATE_MAX_KEYS`' documentation, where they are stated (32-bit targets):
// the slots under 1 KiB, the library's view of a key about 30 bytes.
#[cfg(target_pointer_width = "32")]
const _: () = assert!(size_of::<Slots<'static>>() < 1024);
#[cfg(target_pointer_width = "32")]
const _: () = assert!(size_of::<Key<'static>>() <= 32);

/// Converts the C keys into `slots`.
///
/// # Safety
/// `keys` must point to `n` keys whose pointers are valid for `'c` (or NULL).
pub(crate) unsafe fn convert<'c>(
    keys: *const tokengate_key,
    n: usize,
    slots: &mut Slots<'c>,
) -> Result<(), tokengate_status> {
    if keys.is_null() {
        return Err(status::TOKENGATE_STATUS_NULL_ARGUMENT);
    }
    if n == 0 {
        return Err(status::TOKENGATE_STATUS_INVALID_ARGUMENT);
    }
    if n > TOKENGATE_MAX_KEYS {
        return Err(TOKENGATE_STATUS_TOO_MANY_KEYS);
    }
    // SAFETY: forwarded from this function's contract.
    let keys = unsafe { view::array(keys, n) }?;
    for key in keys {
        // SAFETY: forwarded from this function's contract.
        let converted = unsafe { Slot::new(key) }?;
        slots
            .push(converted)
            .map_err(|_| TOKENGATE_STATUS_TOO_MANY_KEYS)?;
    }
    Ok(())
}

/// The library's keys over converted slots.
pub(crate) fn keys<'s>(
    slots: &'s Slots<'_>,
) -> Result<Vec<Key<'s>, TOKENGATE_MAX_KEYS>, tokengate_status> {
    let mut keys = Vec::new();
    for (slot, names) in slots {
        let names = Names {
            kid: names.kid,
            issuer: names.issuer,
        };
        let key = slot.key(&names).map_err(status::of)?;
        keys.push(key).map_err(|_| TOKENGATE_STATUS_TOO_MANY_KEYS)?;
    }
    Ok(keys)
}

/// Checks one key as a verification would, and more: the conversion (every check a
/// verification makes of each key it is given: for RSA the modulus size and parity and the
/// exponent, which are all an RSA key can fail on: its Montgomery constants, computed by a
/// verification that selects the key, exist for any such modulus), then that an ES256 or ES384
/// point is on its curve and an Ed25519 key a point of large order (which a verification checks
/// only when the key is tried). For boot or a provisioning test.
///
/// Returns `TOKENGATE_STATUS_OK`, `TOKENGATE_STATUS_NULL_ARGUMENT`,
/// `TOKENGATE_STATUS_INVALID_ARGUMENT` (a `kid` or `issuer` that is not UTF-8),
/// `TOKENGATE_STATUS_UNSUPPORTED_ALG`, `TOKENGATE_STATUS_INVALID_KEY`,
/// `TOKENGATE_STATUS_RSA_KEY_SIZE` or `TOKENGATE_STATUS_SECRET_TOO_SHORT`.
///
/// # Safety
/// `key` must be NULL or point to a key whose pointers are valid for their lengths (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_key_check(key: *const tokengate_key) -> tokengate_status {
    if !key.is_aligned() {
        return status::TOKENGATE_STATUS_INVALID_ARGUMENT;
    }
    // SAFETY: `key` is aligned, and NULL or pointing to a key by this function's contract; a
    // key is pointers and integers, valid whatever its bytes.
    let Some(key) = (unsafe { key.as_ref() }) else {
        return status::TOKENGATE_STATUS_NULL_ARGUMENT;
    };
    // SAFETY: the key's pointers are valid for this call, by this function's contract.
    let (slot, names) = match unsafe { Slot::new(key) } {
        Ok(converted) => converted,
        Err(status) => return status,
    };
    status::result(slot.key(&names).and_then(|key| key.validate()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack figures of `TOKENGATE_MAX_KEYS`' documentation: on this (64-bit) host, where
    /// pointers and lengths are twice their size on a 32-bit target, a slot is still below
    /// 140 bytes (an ES384 point, 97 bytes, is the largest material) and the library's keys
    /// below 64.
    #[test]
    fn slot_sizes() {
        let slot = size_of::<(Slot<'_>, Names<'_>)>();
        let slots = size_of::<Slots<'_>>();
        let keys = size_of::<Vec<Key<'_>, TOKENGATE_MAX_KEYS>>();
        std::println!("key slot: {slot} bytes, slots: {slots} bytes, keys: {keys} bytes");
        assert!(slot < 140, "{slot}");
        assert!(slots < TOKENGATE_MAX_KEYS * 140, "{slots}");
        assert!(keys < TOKENGATE_MAX_KEYS * 64, "{keys}");
    }
}
