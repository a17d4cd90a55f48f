//! Public keys from the places issuers publish them (JWK Sets, single JWKs, PEM public keys,
//! PEM X.509 certificates) and HS256/HS384/HS512 secrets, checked by the tokengate library's own
//! constructors so that every key kept here is one the device accepts.

use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};
use serde_json::Value;
use spki::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;
use tokengate::jwk;
use tokengate::{
    Ed25519Key, Es256Key, Es384Key, Hs256Key, Hs384Key, Hs512Key, Key, Rsa2048, Rsa3072, Rsa4096,
};

/// rsaEncryption (RFC 8017 A.1).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS: an RSA key restricted to PSS, which RS256 (PKCS#1 v1.5) must not use.
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-ecPublicKey (RFC 5480).
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1 / prime256v1 / P-256 (RFC 5480).
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1 / P-384 (RFC 5480).
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// id-Ed25519 (RFC 8410): an EdDSA key.
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Key material in the form the library's constructors take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Material {
    /// An uncompressed SEC1 P-256 point, `04 ‖ x ‖ y`.
    Es256(Box<[u8; 65]>),
    /// An uncompressed SEC1 P-384 point, `04 ‖ x ‖ y`.
    Es384(Box<[u8; 97]>),
    /// A big-endian RSA modulus without leading zero bytes, the public exponent, and the RSA
    /// algorithm the key is bound to (RS256 from PEM and X.509, or a JWK's `alg`).
    Rsa {
        n: Vec<u8>,
        e: u32,
        alg: tokengate::Alg,
    },
    /// A shared secret and the HMAC algorithm it is bound to (HS256, HS384 or HS512: its
    /// flag, or a JWK's `alg`).
    Hmac {
        secret: Vec<u8>,
        alg: tokengate::Alg,
    },
    /// An Ed25519 public key (EdDSA), its 32-byte encoding.
    Ed25519(Box<[u8; 32]>),
}

impl Material {
    /// The algorithm the key is bound to.
    pub(crate) fn alg(&self) -> &'static str {
        match self {
            Material::Es256(_) => "ES256",
            Material::Es384(_) => "ES384",
            Material::Rsa { alg, .. } => alg.name(),
            Material::Hmac { alg, .. } => alg.name(),
            Material::Ed25519(_) => "EdDSA",
        }
    }

    /// A short description: curve, RSA size, secret length.
    pub(crate) fn describe(&self) -> String {
        match self {
            Material::Es256(_) => "P-256".into(),
            Material::Es384(_) => "P-384".into(),
            Material::Rsa { n, e, .. } => format!("RSA-{} e={e}", rsa_bits(n)),
            Material::Hmac { secret, .. } => format!("{}-byte secret", secret.len()),
            Material::Ed25519(_) => "Ed25519".into(),
        }
    }
}

/// A key ready to provision: material, optional `kid`, and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct Provisioned {
    pub(crate) kid: Option<String>,
    pub(crate) material: Material,
    pub(crate) origin: String,
}

/// The keys read so far, and what was skipped or noticed on the way.
#[derive(Default, Debug)]
pub(crate) struct KeySet {
    pub(crate) keys: Vec<Provisioned>,
    /// One line per key that was not provisioned, with the reason.
    pub(crate) skipped: Vec<String>,
    /// Other remarks worth a warning (e.g. private members in a public key set).
    pub(crate) notes: Vec<String>,
}

/// A key built at run time for the library: the material the [`Key`] borrows.
pub(crate) enum Built {
    Es256(Es256Key),
    Es384(Es384Key),
    Rsa2048(Box<Rsa2048>, tokengate::Alg),
    Rsa3072(Box<Rsa3072>, tokengate::Alg),
    Rsa4096(Box<Rsa4096>, tokengate::Alg),
    Hmac(Vec<u8>, tokengate::Alg),
    Ed25519(Box<Ed25519Key>),
}

impl Built {
    /// Builds the library's key from the material, with the library's own checks.
    pub(crate) fn new(material: &Material) -> Result<Self, tokengate::Error> {
        let built = match material {
            Material::Es256(point) => Built::Es256(Es256Key::new(point)?),
            Material::Es384(point) => Built::Es384(Es384Key::new(point)?),
            Material::Rsa { n, e, alg } => match rsa_bits(n) {
                0..=2048 => Built::Rsa2048(Box::new(Rsa2048::new(n, *e)?), *alg),
                2049..=3072 => Built::Rsa3072(Box::new(Rsa3072::new(n, *e)?), *alg),
                _ => Built::Rsa4096(Box::new(Rsa4096::new(n, *e)?), *alg),
            },
            Material::Hmac { secret, alg } => {
                let built = Built::Hmac(secret.clone(), *alg);
                built.key()?;
                built
            }
            Material::Ed25519(x) => Built::Ed25519(Box::new(Ed25519Key::new(x)?)),
        };
        // The constructors check encodings; this checks that an ES256 or ES384 point is on the
        // curve and that an Ed25519 key is a point of large order.
        built.key()?.validate()?;
        Ok(built)
    }

    /// The library key borrowing this material.
    pub(crate) fn key(&self) -> Result<Key<'_>, tokengate::Error> {
        Ok(match self {
            Built::Es256(key) => Key::es256(key),
            Built::Es384(key) => Key::es384(key),
            Built::Rsa2048(key, alg) => Key::rsa(key, *alg)?,
            Built::Rsa3072(key, alg) => Key::rsa(key, *alg)?,
            Built::Rsa4096(key, alg) => Key::rsa(key, *alg)?,
            Built::Hmac(secret, tokengate::Alg::Hs256) => Key::hs256(Hs256Key::new(secret)?),
            Built::Hmac(secret, tokengate::Alg::Hs384) => Key::hs384(Hs384Key::new(secret)?),
            Built::Hmac(secret, tokengate::Alg::Hs512) => Key::hs512(Hs512Key::new(secret)?),
            Built::Hmac(_, alg) => return Err(tokengate::Error::NoKeyForAlg { alg: *alg }),
            Built::Ed25519(key) => Key::ed25519(key),
        })
    }
}

/// The size in bits of a big-endian integer.
pub(crate) fn rsa_bits(n: &[u8]) -> u32 {
    let n = strip_zeros(n);
    let Some(first) = n.first() else {
        return 0;
    };
    let bytes = u32::try_from(n.len()).unwrap_or(u32::MAX / 8);
    bytes
        .saturating_mul(8)
        .saturating_sub(first.leading_zeros())
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or(&[])
}

/// Checks material with the library; the reason is the library's own message.
fn checked(material: Material) -> Result<Material, String> {
    match Built::new(&material) {
        Ok(_) => Ok(material),
        Err(e) => Err(e.to_string()),
    }
}

// --- JWK ----------------------------------------------------------------------------------------
//
// Every JWK rule is the library's (`tokengate::jwk`): a JWK the device would refuse is refused
// here, with the library's reason. The CLI adds one policy of its own: a symmetric key is never
// taken from a published key set or a fetched JWK.

/// Why an `oct` key from a key set or a URL is not provisioned.
const SET_SECRET: &str = "a symmetric (kty \"oct\") key in a key set is never provisioned from it: \
                          pass the secret with --hs256-secret-file, --hs384-secret-file or --hs512-secret-file";

/// Reads a JWK Set into `set`. Entries that cannot be used are skipped with the library's
/// reason (or [`SET_SECRET`]).
///
/// # Errors
/// A message when the document is not a JWK Set at all.
pub(crate) fn load_jwks(bytes: &[u8], origin: &str, set: &mut KeySet) -> Result<(), String> {
    let text = json_text(bytes)?;
    let entries = jwk::keys(text).map_err(|e| set_error(text, e))?;
    let kids = entry_kids(text);
    let mut count = 0usize;
    for (index, entry) in entries.enumerate() {
        count = count.saturating_add(1);
        let place = format!("{origin} keys[{index}]");
        let place = match kids.get(index).and_then(Option::as_deref) {
            Some(kid) => format!("{place} (kid {kid:?})"),
            None => place,
        };
        let key = entry
            .map_err(|e| e.to_string())
            .and_then(|entry| from_set(&entry, &place, &mut set.notes));
        match key {
            Ok(key) => set.keys.push(key),
            Err(reason) => set.skipped.push(format!("{place}: {reason}")),
        }
    }
    if count == 0 {
        set.notes.push(format!("{origin}: the JWK Set has no keys"));
    }
    Ok(())
}

/// JSON key input as the library reads it: UTF-8 text.
fn json_text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| format!("not valid JSON (not UTF-8: {e})"))
}

/// Why a document is not a JWK Set.
fn set_error(text: &str, error: tokengate::Error) -> String {
    match error {
        tokengate::Error::MissingMember { name: "keys", .. } => {
            "not a JWK Set: no `keys` member".into()
        }
        tokengate::Error::InvalidMember { name: "keys", .. } => {
            "not a JWK Set: `keys` is not an array".into()
        }
        tokengate::Error::NotAnObject { .. } => "not a JWK Set: not a JSON object".into(),
        other => document_error(text, other),
    }
}

/// The library's reason for refusing a JSON document; for malformed JSON, where it is
/// (serde_json's line and column) when serde_json finds it too.
fn document_error(text: &str, error: tokengate::Error) -> String {
    match error {
        tokengate::Error::Json { .. } => match serde_json::from_str::<Value>(text) {
            Err(detail) => format!("not valid JSON ({detail})"),
            Ok(_) => format!("not valid JSON ({error})"),
        },
        other => other.to_string(),
    }
}

/// The `kid` of each entry of a JWK Set the library accepted, to name entries in messages,
/// the refused ones too. Only a label: the `kid` a key is provisioned with is the library's.
fn entry_kids(text: &str) -> Vec<Option<String>> {
    let Ok(set) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let Some(entries) = set.get("keys").and_then(Value::as_array) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|entry| entry.get("kid").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// A key from a key set or a URL: as [`provisioned`], but never a secret.
fn from_set(
    key: &jwk::Jwk<'_>,
    origin: &str,
    notes: &mut Vec<String>,
) -> Result<Provisioned, String> {
    if matches!(
        key.alg(),
        tokengate::Alg::Hs256 | tokengate::Alg::Hs384 | tokengate::Alg::Hs512
    ) {
        return Err(SET_SECRET.into());
    }
    provisioned(key, origin, notes)
}

/// A JWK the library accepted, as material checked by the library's key constructors.
fn provisioned(
    key: &jwk::Jwk<'_>,
    origin: &str,
    notes: &mut Vec<String>,
) -> Result<Provisioned, String> {
    let alg = key.alg();
    let mut storage = vec![0u8; key.material_len()];
    let material = match key.material(&mut storage).map_err(|e| e.to_string())? {
        jwk::Material::Es256(point) => Material::Es256(Box::new(point)),
        jwk::Material::Es384(point) => Material::Es384(Box::new(point)),
        jwk::Material::Rsa { n, e } => Material::Rsa {
            n: n.to_vec(),
            e,
            alg,
        },
        jwk::Material::Oct(secret) => Material::Hmac {
            secret: secret.to_vec(),
            alg,
        },
        jwk::Material::Ed25519(x) => Material::Ed25519(Box::new(x)),
        other => {
            return Err(format!(
                "key material {other:?} is not supported by this tool"
            ));
        }
    };
    let kid = kid(key).map_err(|e| e.to_string())?;
    if key.has_private_members() {
        notes.push(format!(
            "{origin}: holds PRIVATE key members; only the public key is used, and the file \
             should not be published"
        ));
    }
    Ok(Provisioned {
        kid,
        material: checked(material)?,
        origin: origin.to_owned(),
    })
}

/// The `kid` of a JWK, JSON escapes decoded.
fn kid(key: &jwk::Jwk<'_>) -> Result<Option<String>, tokengate::Error> {
    // An empty buffer first: the error says how many bytes the kid needs.
    let needed = match key.kid_into(&mut []) {
        Ok(kid) => return Ok(kid.map(str::to_owned)),
        Err(tokengate::Error::TooLarge { needed, .. }) => needed,
        Err(e) => return Err(e),
    };
    let mut out = vec![0u8; needed];
    Ok(key.kid_into(&mut out)?.map(str::to_owned))
}

/// A single JWK: `Ok(None)` when the document is a JWK Set (it has `keys`) instead.
fn single_jwk(text: &str) -> Result<Option<jwk::Jwk<'_>>, String> {
    match jwk::keys(text) {
        Ok(_) | Err(tokengate::Error::InvalidMember { name: "keys", .. }) => Ok(None),
        Err(tokengate::Error::MissingMember { name: "keys", .. }) => {
            jwk::parse(text).map(Some).map_err(|e| e.to_string())
        }
        Err(e) => Err(document_error(text, e)),
    }
}

// --- PEM, SPKI, X.509 ---------------------------------------------------------------------------

/// What a PEM input may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PemKind {
    /// Public keys (SPKI or PKCS#1) and certificates.
    Any,
    /// Certificates only (`--cert`).
    Certificate,
}

/// The PEM blocks of a text, each from `-----BEGIN` to its `-----END ...-----` line; text
/// around and between them is ignored (as in `openssl x509 -text` output).
fn pem_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from = rest.get(start..).unwrap_or("");
        let Some(end) = from.find("-----END ") else {
            break;
        };
        let after_end = from.get(end.saturating_add(9)..).unwrap_or("");
        let close = after_end.find("-----").map_or(from.len(), |c| {
            end.saturating_add(9).saturating_add(c).saturating_add(5)
        });
        blocks.push(from.get(..close).unwrap_or(from));
        rest = from.get(close..).unwrap_or("");
    }
    blocks
}

/// Reads the keys of a PEM file.
///
/// # Errors
/// A message when the file holds no usable public key: that is a usage error, not a skip.
pub(crate) fn load_pem(
    bytes: &[u8],
    kind: PemKind,
    origin: &str,
    set: &mut KeySet,
) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not a PEM file (not text)".to_owned())?;
    let blocks = pem_blocks(text);
    if blocks.is_empty() {
        return Err("not a PEM file (no -----BEGIN line)".into());
    }
    let mut certificates = 0usize;
    for block in blocks {
        let (label, der) =
            der::pem::decode_vec(block.as_bytes()).map_err(|e| format!("malformed PEM ({e})"))?;
        let key = match label {
            "CERTIFICATE" => {
                certificates = certificates.saturating_add(1);
                if certificates > 1 {
                    continue;
                }
                certificate_key(&der, origin, &mut set.notes)?
            }
            _ if kind == PemKind::Certificate => {
                return Err(format!("expected a CERTIFICATE, found a {label} PEM block"));
            }
            "PUBLIC KEY" => spki_key(&der)?,
            "RSA PUBLIC KEY" => pkcs1_key(&der)?,
            "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                return Err(format!(
                    "holds a {label}: provision the PUBLIC key (e.g. `openssl pkey -pubout`)"
                ));
            }
            other => return Err(format!("unsupported PEM block {other:?}")),
        };
        set.keys.push(Provisioned {
            kid: None,
            material: checked(key)?,
            origin: origin.to_owned(),
        });
    }
    if certificates > 1 {
        set.notes.push(format!(
            "{origin}: {} further certificates ignored: only the first (the issuer's own) \
             certificate's key is provisioned",
            certificates.saturating_sub(1)
        ));
    }
    Ok(())
}

/// The key of a DER SubjectPublicKeyInfo.
fn spki_key(der: &[u8]) -> Result<Material, String> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| format!("malformed SubjectPublicKeyInfo ({e})"))?;
    spki_material(&spki)
}

fn spki_material(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Material, String> {
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or("public key BIT STRING has unused bits")?;
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        pkcs1_key(bits)
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| "EC key without a named curve".to_owned())?;
        if curve == P384 {
            let point = p384::PublicKey::from_sec1_bytes(bits)
                .map_err(|_| "not a valid P-384 point".to_owned())?
                .to_sec1_bytes();
            let point: [u8; 97] = point
                .as_ref()
                .try_into()
                .map_err(|_| "P-384 point did not re-encode to 97 bytes".to_owned())?;
            return Ok(Material::Es384(Box::new(point)));
        }
        if curve != P256 {
            return Err(format!(
                "EC curve {curve} is not P-256 or P-384 (ES256 needs P-256, ES384 P-384)"
            ));
        }
        let point = p256::PublicKey::from_sec1_bytes(bits)
            .map_err(|_| "not a valid P-256 point".to_owned())?
            .to_sec1_bytes();
        let point: [u8; 65] = point
            .as_ref()
            .try_into()
            .map_err(|_| "P-256 point did not re-encode to 65 bytes".to_owned())?;
        Ok(Material::Es256(Box::new(point)))
    } else if oid == RSASSA_PSS {
        Err("an RSASSA-PSS key: RS256 (PKCS#1 v1.5) needs an rsaEncryption key".into())
    } else if oid == ED25519 {
        if spki.algorithm.parameters.is_some() {
            return Err("an Ed25519 key with algorithm parameters (RFC 8410 has none)".into());
        }
        let x: [u8; 32] = bits
            .try_into()
            .map_err(|_| format!("an Ed25519 key of {} bytes, not 32", bits.len()))?;
        Ok(Material::Ed25519(Box::new(x)))
    } else {
        Err(format!("unsupported public key algorithm {oid}"))
    }
}

/// The key of a DER PKCS#1 RSAPublicKey (`SEQUENCE { n INTEGER, e INTEGER }`).
fn pkcs1_key(der: &[u8]) -> Result<Material, String> {
    let parse = || -> der::Result<(Vec<u8>, Vec<u8>)> {
        let mut reader = SliceReader::new(der)?;
        let (n, e) = reader.sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok::<_, der::Error>((n.as_bytes().to_vec(), e.as_bytes().to_vec()))
        })?;
        reader.finish()?;
        Ok((n, e))
    };
    let (n, e) = parse().map_err(|e| format!("malformed RSA public key ({e})"))?;
    let e = strip_zeros(&e);
    if e.len() > 4 {
        return Err("RSA public exponent wider than 32 bits".into());
    }
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    // Sizes, parity and exponent are the key constructors' to check (`checked`). A PEM or
    // X.509 rsaEncryption key names no JWS algorithm: RS256, as a JWK without `alg`.
    Ok(Material::Rsa {
        n: strip_zeros(&n).to_vec(),
        e,
        alg: tokengate::Alg::Rs256,
    })
}

/// The subject public key of a DER X.509 certificate. The certificate's own signature and
/// validity are not checked: it only carries the issuer's key.
fn certificate_key(der: &[u8], origin: &str, notes: &mut Vec<String>) -> Result<Material, String> {
    let certificate = x509_cert::Certificate::from_der(der)
        .map_err(|e| format!("malformed X.509 certificate ({e})"))?;
    let tbs = certificate.tbs_certificate();
    let not_after = tbs.validity().not_after.to_unix_duration().as_secs();
    if not_after < tokengate::now() {
        notes.push(format!(
            "{origin}: the certificate expired at {} (its key is still provisioned: tokens \
             are checked against their own exp)",
            tbs.validity().not_after
        ));
    }
    let spki = tbs.subject_public_key_info();
    let der = der::Encode::to_der(spki).map_err(|e| format!("certificate key ({e})"))?;
    spki_key(&der)
}

/// Describes a certificate for comments: subject and validity end.
pub(crate) fn describe_certificate(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let block = pem_blocks(text).into_iter().next()?;
    let (label, der) = der::pem::decode_vec(block.as_bytes()).ok()?;
    if label != "CERTIFICATE" {
        return None;
    }
    let certificate = x509_cert::Certificate::from_der(&der).ok()?;
    let tbs = certificate.tbs_certificate();
    Some(format!(
        "subject {}, valid until {}",
        tbs.subject(),
        tbs.validity().not_after
    ))
}

// --- files as the verifier takes them ------------------------------------------------------------

/// A `--key` file: PEM (public key or certificate) or a single JWK.
///
/// # Errors
/// A message when it holds no usable key.
pub(crate) fn load_key_file(bytes: &[u8], origin: &str, set: &mut KeySet) -> Result<(), String> {
    if bytes.trim_ascii_start().first() == Some(&b'{') {
        let Some(key) = single_jwk(json_text(bytes)?)? else {
            return Err("is a JWK Set: pass it with --jwks".into());
        };
        let key = provisioned(&key, origin, &mut set.notes)?;
        set.keys.push(key);
        Ok(())
    } else {
        load_pem(bytes, PemKind::Any, origin, set)
    }
}

/// A secret file for `alg` (HS256, HS384 or HS512): its exact bytes.
///
/// # Errors
/// The library's reason when the secret is too short for `alg`.
pub(crate) fn load_secret(
    bytes: &[u8],
    alg: tokengate::Alg,
    origin: &str,
    set: &mut KeySet,
) -> Result<(), String> {
    if bytes.last() == Some(&b'\n') {
        set.notes.push(format!(
            "{origin}: the secret ends with a newline, which is part of the secret"
        ));
    }
    let material = checked(Material::Hmac {
        secret: bytes.to_vec(),
        alg,
    })?;
    set.keys.push(Provisioned {
        kid: None,
        material,
        origin: origin.to_owned(),
    });
    Ok(())
}

/// Key input fetched from a URL: a JWK Set, a single JWK, or PEM.
///
/// # Errors
/// A message when the body is none of these.
pub(crate) fn load_fetched(bytes: &[u8], origin: &str, set: &mut KeySet) -> Result<(), String> {
    if bytes.trim_ascii_start().first() == Some(&b'{') {
        let Some(key) = single_jwk(json_text(bytes)?)? else {
            return load_jwks(bytes, origin, set);
        };
        let key = from_set(&key, origin, &mut set.notes)?;
        set.keys.push(key);
        Ok(())
    } else if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        load_pem(bytes, PemKind::Any, origin, set)
    } else {
        Err("the response is neither JSON (a JWK Set or JWK) nor PEM".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_split() {
        let text = "junk\n-----BEGIN A-----\nAA==\n-----END A-----\nmore\n-----BEGIN B-----\nBB\n-----END B-----";
        let blocks = pem_blocks(text);
        assert_eq!(
            blocks,
            [
                "-----BEGIN A-----\nAA==\n-----END A-----",
                "-----BEGIN B-----\nBB\n-----END B-----"
            ]
        );
        assert!(pem_blocks("-----BEGIN A-----\nAA").is_empty());
        assert!(pem_blocks("").is_empty());
    }

    /// The documents `--url` may answer with, through the library's importer; a secret is
    /// never taken from one.
    #[test]
    fn fetched_json() {
        let ec = r#"{"kty":"EC","crv":"P-256","kid":"door","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
        let secret =
            r#"{"kty":"oct","alg":"HS256","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}"#;
        let fetch = |body: &str| {
            let mut set = KeySet::default();
            load_fetched(body.as_bytes(), "u", &mut set).map(|()| set)
        };
        let one = fetch(ec).unwrap();
        assert_eq!(one.keys.len(), 1);
        assert_eq!(one.keys[0].kid.as_deref(), Some("door"));
        assert!(one.skipped.is_empty() && one.notes.is_empty());
        assert_eq!(fetch(secret).unwrap_err(), SET_SECRET);
        let set = fetch(&format!(r#"{{"keys":[{secret},{ec}]}}"#)).unwrap();
        assert_eq!(set.keys.len(), 1);
        assert_eq!(set.skipped, [format!("u keys[0]: {SET_SECRET}")]);
        let empty = fetch(r#"{"keys":[]}"#).unwrap();
        assert_eq!(empty.notes, ["u: the JWK Set has no keys"]);
        assert_eq!(
            fetch(r#"{"keys":{}}"#).unwrap_err(),
            "not a JWK Set: `keys` is not an array"
        );
        assert_eq!(
            fetch(r#"{"kty":"EC","use":"enc"}"#).unwrap_err(),
            "JWK refused: `use` is not \"sig\""
        );
        assert_eq!(
            fetch(r#"{"kty":"EC",}"#).unwrap_err(),
            "not valid JSON (trailing comma at line 1 column 13)"
        );
    }

    #[test]
    fn bits() {
        assert_eq!(rsa_bits(&[]), 0);
        assert_eq!(rsa_bits(&[0, 0, 1]), 1);
        assert_eq!(rsa_bits(&[0x80, 0]), 16);
    }
}
