//! JWKs (RFC 7517) as key material: a JWK or a JWK Set in, each key's algorithm, `kid` and
//! material out, decoded into storage the caller owns. No heap. Every rule that binds a JWK to
//! an algorithm is here; the key constructors ([`Es256Key::new`](crate::Es256Key::new),
//! [`Es384Key::new`](crate::Es384Key::new), [`Rsa2048::new`](crate::Rsa2048) and its sizes, [`Hs256Key::new`](crate::Hs256Key::new)
//! and the other HMAC key types) then accept what a [`Jwk`] gives them, and [`Jwk::alg`] says
//! which [`Key`](crate::Key) constructor binds it.
//!
//! [`parse`] reads one JWK; [`keys`] the JWKs of a JWK Set (`{"keys": [...]}`), each entry its
//! own `Result`, so the caller decides what to skip. The JSON goes through the verifier's strict
//! reader (RFC 8259, nesting and member bounds, no member name twice). Then, in this order:
//!
//! | member | rule | refused with |
//! |---|---|---|
//! | all | a strict JSON object | [`Error::Json`], [`Error::NotAnObject`], [`Error::TooDeep`], [`Error::TooManyMembers`], [`Error::DuplicateMember`] |
//! | `kty` `use` `alg` `kid` `crv` `x` `y` `n` `e` `k` | strings | [`Error::InvalidMember`] |
//! | `key_ops` | an array of strings | [`Error::InvalidMember`] |
//! | `use` | absent or `"sig"` | [`Reason::UseNotSig`] |
//! | `key_ops` | absent or with `"verify"` | [`Reason::KeyOpsWithoutVerify`] |
//! | `kty` | `EC` (ES256, ES384), `RSA` (RS256, RS384, RS512, PS256, PS384, PS512), `oct` (HS256, HS384, HS512) or `OKP` (EdDSA), one of its algorithms' features enabled | [`Error::MissingMember`], [`Reason::UnsupportedKty`] |
//! | `alg` | absent, or an algorithm of `kty` whose feature is enabled | [`Reason::AlgNotForKty`] |
//! | `alg` | absent for `EC`: ES256 on `P-256`, ES384 on `P-384`; for `RSA`: RS256 (its feature enabled); for `OKP`: EdDSA, which `"EdDSA"` and `"Ed25519"` both name | [`Reason::AlgNotForKty`] |
//! | `alg` | present for `oct` | [`Reason::OctWithoutAlg`] |
//! | `crv` | `P-256` or `P-384` (EC) | [`Error::MissingMember`], [`Reason::UnsupportedCrv`] |
//! | `crv` | the curve of `alg`: `P-256` for ES256, `P-384` for ES384 (EC) | [`Reason::AlgNotForKty`] (naming the curve's algorithm) |
//! | `x` `y` | 32 bytes each on `P-256`, 48 on `P-384` (EC), a point on the curve | [`Error::MissingMember`], [`Error::InvalidMember`], [`Error::InvalidKey`] |
//! | `crv` | `Ed25519` (OKP); `Ed448`, `X25519`, `X448` are refused | [`Error::MissingMember`], [`Reason::UnsupportedOkpCrv`] |
//! | `x` | 32 bytes (OKP), a canonical encoding of a point of large order on Ed25519 | [`Error::MissingMember`], [`Error::InvalidMember`], [`Error::InvalidKey`] |
//! | `n` | 2048 to 4096 bits, odd (RSA) | [`Error::MissingMember`], [`Error::InvalidMember`], [`Error::RsaKeySize`], [`Error::InvalidKey`] |
//! | `e` | at most 32 bits, odd, at least 3 (RSA) | [`Error::MissingMember`], [`Error::InvalidMember`], [`Error::InvalidKey`] |
//! | `k` | at least the hash size of `alg`: 32 bytes (HS256), 48 (HS384), 64 (HS512) | [`Error::MissingMember`], [`Error::InvalidMember`], [`Error::SecretTooShort`] |
//!
//! JSON errors name [`Part::Jwk`], and so do [`Error::MissingMember`] and
//! [`Error::InvalidMember`]; a [`Reason`] comes as [`Error::Jwk`]. `x`, `y`, `n`, `e` and `k`
//! are canonical unpadded base64url (RFC 7515 §2) once JSON escapes are decoded; anything else is
//! [`Error::InvalidMember`]. Leading zero bytes of `n` and `e` are dropped.
//!
//! An `EC` key without `alg` is bound to its curve's one algorithm: ES256 on `P-256`, ES384 on
//! `P-384`; an `alg` of the other curve is refused (an ES256 `alg` on a `P-384` key is
//! [`Reason::AlgNotForKty`] naming ES384, and the reverse naming ES256). An `OKP` key without
//! `alg` is EdDSA (on Ed25519, its only curve here). An
//! `RSA` key without `alg` is RS256, as it always was here (the most common RSA algorithm, and
//! what an issuer that omits `alg` nearly always means); a key meant for RS384, RS512 or PS* must
//! say so, and is then bound to that algorithm only: the same modulus is never tried for
//! another. An `oct` key without `alg` is refused: a secret may be meant for HS256, HS384, HS512
//! or an encryption algorithm, and one secret serves one algorithm (RFC 8725 §3.1); write
//! `"alg": "HS256"` (or `HS384`, `HS512`) to provision it.
//!
//! Private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`) are never read
//! ([`Jwk::has_private_members`] says whether there are any); other members (`x5c`, `x5t`,
//! `ext`, ...) are ignored.
//!
//! ```
//! use tokengate::jwk::{self, Material};
//! use tokengate::{Error, Es256Key, Key};
//!
//! let set = r#"{"keys": [
//!     {"kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"},
//!     {"kty": "EC", "crv": "P-256", "kid": "door-2026",
//!      "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
//!      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
//! ]}"#;
//! let mut entries = jwk::keys(set)?;
//! assert_eq!(
//!     entries.next().map(|entry| entry.err()),
//!     Some(Some(Error::Jwk { reason: jwk::Reason::UseNotSig }))
//! );
//! let door = entries.next().ok_or(Error::UnknownKid)??;
//! // Storage for the material (an RSA modulus or a secret) and the kid, owned by the caller.
//! let mut material = [0u8; 512];
//! let mut kid = [0u8; 64];
//! let Material::Es256(point) = door.material(&mut material)? else {
//!     return Err(Error::UnsupportedAlg);
//! };
//! let point = Es256Key::new(&point)?;
//! let key = Key::es256(&point);
//! let key = match door.kid_into(&mut kid)? {
//!     Some(kid) => key.with_kid(kid),
//!     None => key,
//! };
//! assert_eq!(key.kid(), Some("door-2026"));
//! # Ok::<(), Error>(())
//! ```

use core::fmt;

use crate::alg::Alg;
use crate::compact;
use crate::error::{Error, Part};
use crate::json::{self, JsonStr, Object, Value};

// Defined next to `Error`, whose `Error::Jwk` holds it, so that error.rs needs nothing from here.
pub use crate::error::Reason;

/// Key material of a [`Jwk`], decoded: what the key constructors take.
///
/// Its `Debug` shows the type and sizes, never a secret's bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Material<'b> {
    /// The uncompressed SEC1 point `04 ‖ x ‖ y`, on P-256: for
    /// [`Es256Key::new`](crate::Es256Key::new).
    Es256([u8; 65]),
    /// The uncompressed SEC1 point `04 ‖ x ‖ y`, on P-384: for
    /// [`Es384Key::new`](crate::Es384Key::new).
    Es384([u8; 97]),
    /// The RSA modulus, big-endian without leading zero bytes (256 to 512 bytes), and the
    /// public exponent: for [`Rsa2048`](crate::Rsa2048), [`Rsa3072`](crate::Rsa3072) or
    /// [`Rsa4096`](crate::Rsa4096) `::new`, by the modulus size, then the [`Key`](crate::Key)
    /// constructor of [`Jwk::alg`] (RS256, RS384, RS512, PS256, PS384 or PS512).
    Rsa {
        /// The modulus.
        n: &'b [u8],
        /// The public exponent.
        e: u32,
    },
    /// The HMAC secret, at least the hash size of [`Jwk::alg`] (32, 48 or 64 bytes): for
    /// `Hs256Key::new`, `Hs384Key::new` or `Hs512Key::new`.
    Oct(&'b [u8]),
    /// The 32-byte Ed25519 public key (`x`), canonical and of large order: for
    /// [`Ed25519Key::new`](crate::Ed25519Key::new).
    Ed25519([u8; 32]),
}

impl fmt::Debug for Material<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Material::Es256(_) => f.write_str("Es256"),
            Material::Es384(_) => f.write_str("Es384"),
            Material::Ed25519(_) => f.write_str("Ed25519"),
            Material::Rsa { n, e } => f
                .debug_struct("Rsa")
                .field("n_len", &n.len())
                .field("e", e)
                .finish(),
            Material::Oct(secret) => f
                .debug_struct("Oct")
                .field("secret_len", &secret.len())
                .finish_non_exhaustive(),
        }
    }
}

/// A JWK that passed every rule, borrowed from its JSON text: its algorithm, `kid` and key
/// material, decoded on demand into the caller's storage.
///
/// Its `Debug` shows the algorithm, the `kid` and the material's size, never a secret.
#[derive(Clone, Copy)]
pub struct Jwk<'a> {
    alg: Alg,
    kid: Option<JsonStr<'a>>,
    private: bool,
    source: Source<'a>,
    // Read by key rotation only (its `iss` extension).
    #[cfg_attr(not(feature = "offline"), allow(dead_code))]
    object: Object<'a>,
}

/// The checked material, still encoded where it would need storage.
// A build without every algorithm never constructs some variants.
#[cfg_attr(
    not(all(
        feature = "es256",
        feature = "es384",
        feature = "_rsa",
        feature = "_hmac",
        feature = "eddsa"
    )),
    allow(dead_code)
)]
#[derive(Clone, Copy)]
enum Source<'a> {
    Es256([u8; 65]),
    Es384([u8; 97]),
    /// `len` significant bytes of `n`.
    Rs256 {
        n: JsonStr<'a>,
        len: usize,
        e: u32,
    },
    Hs256 {
        k: JsonStr<'a>,
        len: usize,
    },
    Ed25519([u8; 32]),
}

impl fmt::Debug for Jwk<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// A JSON string, decoded, in quotes.
        struct Text<'a>(JsonStr<'a>);
        impl fmt::Debug for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"")?;
                self.0
                    .chars()
                    .try_for_each(|c| fmt::Display::fmt(&c.escape_debug(), f))?;
                f.write_str("\"")
            }
        }
        f.debug_struct("Jwk")
            .field("alg", &self.alg)
            .field("kid", &self.kid.map(Text))
            .field("material_len", &self.material_len())
            .field("private_members", &self.private)
            .finish()
    }
}

impl<'a> Jwk<'a> {
    /// The algorithm the key is bound to.
    pub const fn alg(&self) -> Alg {
        self.alg
    }

    /// The `kid`, JSON escapes decoded into `out`; `None` without one. It never needs more bytes
    /// than the JSON text holds.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `out` is too small.
    pub fn kid_into<'b>(&self, out: &'b mut [u8]) -> Result<Option<&'b str>, Error> {
        let Some(kid) = self.kid else {
            return Ok(None);
        };
        let capacity = out.len();
        kid.decode_into(out).map(Some).ok_or(Error::TooLarge {
            needed: kid.decoded_len(),
            capacity,
        })
    }

    /// Whether the JWK has private key members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`). They are
    /// never read, but such a file is a private key and should not be published.
    pub const fn has_private_members(&self) -> bool {
        self.private
    }

    /// Bytes that [`material`](Self::material) writes into its `out`: the modulus of an RSA
    /// key (at most 512), the secret of an HMAC key, 0 for ES256, ES384 and EdDSA (the point
    /// is returned).
    pub const fn material_len(&self) -> usize {
        match self.source {
            Source::Es256(_) | Source::Es384(_) | Source::Ed25519(_) => 0,
            Source::Rs256 { len, .. } | Source::Hs256 { len, .. } => len,
        }
    }

    /// The key material, decoded into the front of `out` (see
    /// [`material_len`](Self::material_len)).
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `out` is too small.
    pub fn material<'b>(&self, out: &'b mut [u8]) -> Result<Material<'b>, Error> {
        Ok(match self.source {
            Source::Es256(point) => Material::Es256(point),
            Source::Es384(point) => Material::Es384(point),
            Source::Ed25519(x) => Material::Ed25519(x),
            Source::Rs256 { n, len, e } => Material::Rsa {
                n: decode_into(n, "n", true, len, out)?,
                e,
            },
            Source::Hs256 { k, len } => Material::Oct(decode_into(k, "k", false, len, out)?),
        })
    }

    /// The `kid` as it is in the JSON text.
    #[cfg(feature = "offline")]
    pub(crate) const fn kid_text(&self) -> Option<JsonStr<'a>> {
        self.kid
    }

    /// The JWK's JSON object, for members the rules do not read (a rotated key's `iss`).
    #[cfg(feature = "offline")]
    pub(crate) const fn object(&self) -> Object<'a> {
        self.object
    }
}

/// Reads one JWK: a JSON object that must pass every rule of the [module](self).
///
/// # Errors
/// Those of the rules.
pub fn parse(jwk: &str) -> Result<Jwk<'_>, Error> {
    let mut members = Members::default();
    let object = Object::read_str(jwk, Part::Jwk, |name, value| members.read(name, value))?;
    members.bind(object)
}

/// Reads a JWK Set, `{"keys": [...]}`: the JSON of the whole set is checked here; each key is
/// read as the iterator reaches it, as by [`parse`], into its own `Result`. Other members of the
/// set are ignored.
///
/// # Errors
/// JSON errors ([`Part::Jwk`]); [`Error::MissingMember`] without `keys`,
/// [`Error::InvalidMember`] when it is not an array.
pub fn keys(set: &str) -> Result<Keys<'_>, Error> {
    let mut keys = None;
    Object::read_str(set, Part::Jwk, |name, value| {
        if name.eq_str("keys") {
            let Value::Array(array) = value else {
                return Err(invalid("keys"));
            };
            keys = Some(array);
        }
        Ok(())
    })?;
    Ok(Keys {
        elements: keys.ok_or(missing("keys"))?.elements(),
    })
}

/// The keys of a JWK Set, in order, from [`keys`]: each a [`Jwk`] or the error that refused it
/// (an entry that is not an object is [`Error::NotAnObject`]).
pub struct Keys<'a> {
    elements: json::Elements<'a>,
}

impl fmt::Debug for Keys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys").finish_non_exhaustive()
    }
}

impl<'a> Iterator for Keys<'a> {
    type Item = Result<Jwk<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let element = self.elements.next()?;
        Some(element.map_err(|_| json_error()).and_then(entry))
    }
}

/// Reads one element of a validated JWK Set's `keys`.
pub(crate) fn entry(value: Value<'_>) -> Result<Jwk<'_>, Error> {
    let Value::Object(object) = value else {
        return Err(Error::NotAnObject { part: Part::Jwk });
    };
    let mut members = Members::default();
    for member in object.members() {
        let (name, value) = member.map_err(|_| json_error())?;
        members.read(name, value)?;
    }
    members.bind(object)
}

const fn json_error() -> Error {
    Error::Json { part: Part::Jwk }
}

const fn missing(name: &'static str) -> Error {
    Error::MissingMember {
        part: Part::Jwk,
        name,
    }
}

const fn invalid(name: &'static str) -> Error {
    Error::InvalidMember {
        part: Part::Jwk,
        name,
    }
}

/// The algorithms of each key type, in the order a refusal names them.
const EC_ALGS: [Alg; 2] = [Alg::Es256, Alg::Es384];
const RSA_ALGS: [Alg; 6] = [
    Alg::Rs256,
    Alg::Rs384,
    Alg::Rs512,
    Alg::Ps256,
    Alg::Ps384,
    Alg::Ps512,
];
const OCT_ALGS: [Alg; 3] = [Alg::Hs256, Alg::Hs384, Alg::Hs512];
const OKP_ALGS: [Alg; 1] = [Alg::EdDsa];

const fn refused(reason: Reason) -> Error {
    Error::Jwk { reason }
}

/// Member names the rules read, then the private ones, which are only noticed.
const NAMES: [&str; 18] = [
    "kty", "use", "key_ops", "alg", "kid", "crv", "x", "y", "n", "e", "k", "d", "p", "q", "dp",
    "dq", "qi", "oth",
];
const PRIVATE: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// The members of a JWK the rules read, as found.
#[derive(Default)]
struct Members<'a> {
    kty: Option<JsonStr<'a>>,
    key_use: Option<JsonStr<'a>>,
    /// Whether `key_ops` includes `verify`.
    verify_op: Option<bool>,
    alg: Option<JsonStr<'a>>,
    kid: Option<JsonStr<'a>>,
    crv: Option<JsonStr<'a>>,
    x: Option<JsonStr<'a>>,
    y: Option<JsonStr<'a>>,
    n: Option<JsonStr<'a>>,
    e: Option<JsonStr<'a>>,
    k: Option<JsonStr<'a>>,
    private: bool,
}

impl<'a> Members<'a> {
    /// Takes one member, checking its JSON type.
    fn read(&mut self, name: JsonStr<'a>, value: Value<'a>) -> Result<(), Error> {
        let Some(name) = name.one_of(&NAMES) else {
            return Ok(());
        };
        if PRIVATE.contains(&name) {
            self.private = true;
            return Ok(());
        }
        if name == "key_ops" {
            let Value::Array(ops) = value else {
                return Err(invalid(name));
            };
            let mut verify = false;
            for op in ops.elements() {
                let Value::Str(op) = op.map_err(|_| json_error())? else {
                    return Err(invalid(name));
                };
                verify |= op.eq_str("verify");
            }
            self.verify_op = Some(verify);
            return Ok(());
        }
        let Value::Str(text) = value else {
            return Err(invalid(name));
        };
        let field = match name {
            "kty" => &mut self.kty,
            "use" => &mut self.key_use,
            "alg" => &mut self.alg,
            "kid" => &mut self.kid,
            "crv" => &mut self.crv,
            "x" => &mut self.x,
            "y" => &mut self.y,
            "n" => &mut self.n,
            "e" => &mut self.e,
            _ => &mut self.k,
        };
        *field = Some(text);
        Ok(())
    }

    /// Applies the rules, in the order of the module's table.
    // With only external keys compiled in, every JWK is refused (`UnsupportedKty`) before a key
    // is built.
    #[cfg_attr(
        not(any(
            feature = "es256",
            feature = "es384",
            feature = "_rsa",
            feature = "_hmac",
            feature = "eddsa"
        )),
        allow(unreachable_code, unused_variables)
    )]
    fn bind(self, object: Object<'a>) -> Result<Jwk<'a>, Error> {
        if self.key_use.is_some_and(|u| !u.eq_str("sig")) {
            return Err(refused(Reason::UseNotSig));
        }
        if self.verify_op == Some(false) {
            return Err(refused(Reason::KeyOpsWithoutVerify));
        }
        let kty = self.kty.ok_or(missing("kty"))?;
        // The key type's algorithms, and the one it stands for without `alg`.
        let (algs, default): (&[Alg], Option<Alg>) = match kty.one_of(&["EC", "RSA", "oct", "OKP"])
        {
            // Its curve's algorithm (ES256 if the curve is missing or unknown: `ec` refuses
            // it).
            Some("EC") => (&EC_ALGS, Some(self.curve_alg().unwrap_or(Alg::Es256))),
            Some("RSA") => (&RSA_ALGS, Some(Alg::Rs256)),
            Some("oct") => (&OCT_ALGS, None),
            Some("OKP") => (&OKP_ALGS, Some(Alg::EdDsa)),
            _ => (&[], None),
        };
        // Those compiled in.
        let mut enabled = algs.iter().copied().filter(|alg| alg.is_compiled());
        let Some(first) = enabled.clone().next() else {
            return Err(refused(Reason::UnsupportedKty));
        };
        // The algorithm a refusal names: the type's default, or its first one compiled in.
        let key = default.unwrap_or(first);
        let alg = match (self.alg, default) {
            (Some(named), _) => enabled
                .find(|alg| alg.is_named(&named))
                .ok_or(refused(Reason::AlgNotForKty { key }))?,
            (None, Some(alg)) => enabled
                .find(|&a| a == alg)
                .ok_or(refused(Reason::AlgNotForKty { key }))?,
            (None, None) => return Err(refused(Reason::OctWithoutAlg)),
        };
        let source = match alg {
            #[cfg(feature = "es256")]
            Alg::Es256 => self.ec(alg)?,
            #[cfg(feature = "es384")]
            Alg::Es384 => self.ec(alg)?,
            #[cfg(feature = "_rsa")]
            Alg::Rs256 | Alg::Rs384 | Alg::Rs512 | Alg::Ps256 | Alg::Ps384 | Alg::Ps512 => {
                self.rsa()?
            }
            #[cfg(feature = "_hmac")]
            Alg::Hs256 | Alg::Hs384 | Alg::Hs512 => self.oct(alg)?,
            #[cfg(feature = "eddsa")]
            Alg::EdDsa => self.okp()?,
            #[allow(unreachable_patterns)]
            _ => return Err(refused(Reason::UnsupportedKty)),
        };
        Ok(Jwk {
            alg,
            kid: self.kid,
            private: self.private,
            source,
            object,
        })
    }

    /// The algorithm of the key's `crv`, if it is a curve tokengate knows.
    fn curve_alg(&self) -> Option<Alg> {
        match self.crv?.one_of(&["P-256", "P-384"])? {
            "P-256" => Some(Alg::Es256),
            _ => Some(Alg::Es384),
        }
    }

    /// An `EC` key for `alg` (ES256 or ES384): `crv` must be that algorithm's curve.
    #[cfg(any(feature = "es256", feature = "es384"))]
    fn ec(&self, alg: Alg) -> Result<Source<'a>, Error> {
        self.crv.ok_or(missing("crv"))?;
        let curve = self.curve_alg().ok_or(refused(Reason::UnsupportedCrv))?;
        if curve != alg {
            return Err(refused(Reason::AlgNotForKty { key: curve }));
        }
        match alg {
            #[cfg(feature = "es256")]
            Alg::Es256 => {
                let mut point = [4u8; 65];
                self.coordinates(&mut point)?;
                crate::Es256Key::new(&point)?.check_on_curve()?;
                Ok(Source::Es256(point))
            }
            #[cfg(feature = "es384")]
            Alg::Es384 => {
                let mut point = [4u8; 97];
                self.coordinates(&mut point)?;
                crate::Es384Key::new(&point)?.check_on_curve()?;
                Ok(Source::Es384(point))
            }
            _ => Err(refused(Reason::UnsupportedCrv)),
        }
    }

    /// Decodes `x` and `y` into the SEC1 point `point` (`04 ‖ x ‖ y`), each filling half of
    /// what follows the prefix exactly.
    #[cfg(any(feature = "es256", feature = "es384"))]
    fn coordinates(&self, point: &mut [u8]) -> Result<(), Error> {
        let coordinates = point.get_mut(1..).ok_or(Error::InvalidKey)?;
        let half = coordinates.len() / 2;
        let (x, y) = coordinates.split_at_mut(half);
        coordinate(self.x, "x", x)?;
        coordinate(self.y, "y", y)
    }

    #[cfg(feature = "eddsa")]
    fn okp(&self) -> Result<Source<'a>, Error> {
        let crv = self.crv.ok_or(missing("crv"))?;
        if !crv.eq_str("Ed25519") {
            return Err(refused(Reason::UnsupportedOkpCrv));
        }
        let mut x = [0u8; 32];
        coordinate(self.x, "x", &mut x)?;
        crate::Ed25519Key::new(&x)?.check()?;
        Ok(Source::Ed25519(x))
    }

    #[cfg(feature = "_rsa")]
    fn rsa(&self) -> Result<Source<'a>, Error> {
        use crate::rsa::{RSA_MAX_BITS, RSA_MIN_BITS};
        let n = self.n.ok_or(missing("n"))?;
        let modulus = Uint::scan(n).ok_or(invalid("n"))?;
        let e = self.e.ok_or(missing("e"))?;
        let exponent = Uint::scan(e).ok_or(invalid("e"))?;
        let e = exponent.to_u32().ok_or(invalid("e"))?;
        let bits = modulus.bits();
        if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
            return Err(Error::RsaKeySize { bits });
        }
        if modulus.last & 1 == 0 || e < 3 || e & 1 == 0 {
            return Err(Error::InvalidKey);
        }
        Ok(Source::Rs256 {
            n,
            len: modulus.len,
            e,
        })
    }

    #[cfg(feature = "_hmac")]
    fn oct(&self, alg: Alg) -> Result<Source<'a>, Error> {
        let k = self.k.ok_or(missing("k"))?;
        let mut len = 0usize;
        each_byte(k, |_| len = len.saturating_add(1)).ok_or(invalid("k"))?;
        // The hash size of the algorithm (RFC 7518 §3.2), as its key type's `new` checks.
        let min = match alg {
            Alg::Hs384 => 48,
            Alg::Hs512 => 64,
            _ => 32,
        };
        if len < min {
            return Err(Error::SecretTooShort { len });
        }
        Ok(Source::Hs256 { k, len })
    }
}

/// Decodes a base64url coordinate that must fill `out` exactly.
#[cfg(any(feature = "es256", feature = "es384", feature = "eddsa"))]
fn coordinate(value: Option<JsonStr<'_>>, name: &'static str, out: &mut [u8]) -> Result<(), Error> {
    let value = value.ok_or(missing(name))?;
    let mut at = 0usize;
    each_byte(value, |byte| {
        if let Some(slot) = out.get_mut(at) {
            *slot = byte;
        }
        at = at.saturating_add(1);
    })
    .ok_or(invalid(name))?;
    if at != out.len() {
        return Err(invalid(name));
    }
    Ok(())
}

/// An unsigned big-endian integer in base64url, seen without storing it.
#[cfg(feature = "_rsa")]
#[derive(Clone, Copy, Default)]
struct Uint {
    /// Bytes from the first non-zero one.
    len: usize,
    /// The first non-zero byte.
    first: u8,
    /// The last byte.
    last: u8,
    /// The value, while it fits.
    low: u64,
}

#[cfg(feature = "_rsa")]
impl Uint {
    fn scan(value: JsonStr<'_>) -> Option<Self> {
        let mut u = Uint::default();
        each_byte(value, |byte| {
            if u.len == 0 && byte != 0 {
                u.first = byte;
            }
            if u.len > 0 || byte != 0 {
                u.len = u.len.saturating_add(1);
            }
            u.last = byte;
            u.low = (u.low << 8) | u64::from(byte);
        })?;
        Some(u)
    }

    fn bits(&self) -> u32 {
        let bytes = u32::try_from(self.len).unwrap_or(u32::MAX / 8);
        bytes
            .saturating_mul(8)
            .saturating_sub(self.first.leading_zeros())
    }

    fn to_u32(self) -> Option<u32> {
        if self.len > 4 {
            return None;
        }
        u32::try_from(self.low).ok()
    }
}

/// Decodes the `len` bytes of a base64url member (after its leading zero bytes, if `strip`) into
/// the front of `out`.
fn decode_into<'b>(
    value: JsonStr<'_>,
    name: &'static str,
    strip: bool,
    len: usize,
    out: &'b mut [u8],
) -> Result<&'b [u8], Error> {
    let capacity = out.len();
    let out = out.get_mut(..len).ok_or(Error::TooLarge {
        needed: len,
        capacity,
    })?;
    let mut at = 0usize;
    each_byte(value, |byte| {
        if strip && at == 0 && byte == 0 {
            return;
        }
        if let Some(slot) = out.get_mut(at) {
            *slot = byte;
        }
        at = at.saturating_add(1);
    })
    .ok_or(invalid(name))?;
    if at != len {
        return Err(invalid(name));
    }
    Ok(out)
}

/// Feeds the bytes that a JSON string of canonical unpadded base64url (RFC 7515 §2) decodes to
/// into `byte`, one quantum at a time, JSON escapes decoded first; `None` if it is not one.
fn each_byte(value: JsonStr<'_>, mut byte: impl FnMut(u8)) -> Option<()> {
    let mut flush = |quantum: &[u8]| -> Option<()> {
        let mut bytes = [0u8; 3];
        let n = compact::decode_quantum(quantum, &mut bytes)?;
        bytes.get(..n)?.iter().for_each(|&b| byte(b));
        Some(())
    };
    let mut quantum = [0u8; 4];
    let mut len = 0usize;
    for c in value.chars() {
        *quantum.get_mut(len)? = u8::try_from(c).ok()?;
        len = len.saturating_add(1);
        if len == quantum.len() {
            flush(&quantum)?;
            len = 0;
        }
    }
    if len > 0 {
        flush(quantum.get(..len)?)?;
    }
    Some(())
}
