//! Public keys from the places issuers publish them (JWK Sets, single JWKs, PEM public keys,
//! PEM X.509 certificates) and HS256 secrets, checked by the tokengate library's own
//! constructors so that every key kept here is one the device accepts.

use base64ct::{Base64UrlUnpadded, Encoding};
use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};
use serde_json::{Map, Value};
use spki::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;
use tokengate::{Es256Key, Hs256Key, Key, Rsa2048, Rsa3072, Rsa4096};

/// rsaEncryption (RFC 8017 A.1).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS: an RSA key restricted to PSS, which RS256 (PKCS#1 v1.5) must not use.
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-ecPublicKey (RFC 5480).
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1 / prime256v1 / P-256 (RFC 5480).
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// id-Ed25519 (RFC 8410), named in the error because it is a common surprise.
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Key material in the form the library's constructors take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Material {
    /// An uncompressed SEC1 P-256 point, `04 ‖ x ‖ y`.
    Es256(Box<[u8; 65]>),
    /// A big-endian RSA modulus without leading zero bytes, and the public exponent.
    Rsa { n: Vec<u8>, e: u32 },
    /// An HS256 shared secret.
    Hs256(Vec<u8>),
}

impl Material {
    /// The algorithm the key is bound to.
    pub(crate) fn alg(&self) -> &'static str {
        match self {
            Material::Es256(_) => "ES256",
            Material::Rsa { .. } => "RS256",
            Material::Hs256(_) => "HS256",
        }
    }

    /// A short description: curve, RSA size, secret length.
    pub(crate) fn describe(&self) -> String {
        match self {
            Material::Es256(_) => "P-256".into(),
            Material::Rsa { n, e } => format!("RSA-{} e={e}", rsa_bits(n)),
            Material::Hs256(secret) => format!("{}-byte secret", secret.len()),
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
    Rsa2048(Box<Rsa2048>),
    Rsa3072(Box<Rsa3072>),
    Rsa4096(Box<Rsa4096>),
    Hs256(Vec<u8>),
}

impl Built {
    /// Builds the library's key from the material, with the library's own checks.
    pub(crate) fn new(material: &Material) -> Result<Self, tokengate::Error> {
        let built = match material {
            Material::Es256(point) => Built::Es256(Es256Key::new(point)?),
            Material::Rsa { n, e } => match rsa_bits(n) {
                0..=2048 => Built::Rsa2048(Box::new(Rsa2048::new(n, *e)?)),
                2049..=3072 => Built::Rsa3072(Box::new(Rsa3072::new(n, *e)?)),
                _ => Built::Rsa4096(Box::new(Rsa4096::new(n, *e)?)),
            },
            Material::Hs256(secret) => {
                Hs256Key::new(secret)?;
                Built::Hs256(secret.clone())
            }
        };
        // The constructors check encodings; this checks that an ES256 point is on the curve.
        built.key()?.validate()?;
        Ok(built)
    }

    /// The library key borrowing this material.
    pub(crate) fn key(&self) -> Result<Key<'_>, tokengate::Error> {
        Ok(match self {
            Built::Es256(key) => Key::es256(key),
            Built::Rsa2048(key) => Key::rs256(key),
            Built::Rsa3072(key) => Key::rs256(key),
            Built::Rsa4096(key) => Key::rs256(key),
            Built::Hs256(secret) => Key::hs256(Hs256Key::new(secret)?),
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

/// Where JSON key input came from and what it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum JwkPolicy {
    /// An entry of a published key set: symmetric keys are skipped.
    InSet,
    /// A single JWK the user named explicitly: a `kty: oct` secret is accepted for HS256.
    Explicit,
}

/// Reads a JWK Set into `set`. Entries that cannot be used are skipped with a reason.
///
/// # Errors
/// A message when the document is not a JWK Set at all.
pub(crate) fn load_jwks(text: &[u8], origin: &str, set: &mut KeySet) -> Result<(), String> {
    let value = parse_json(text)?;
    let Some(entries) = value.get("keys") else {
        return Err("not a JWK Set: no `keys` member".into());
    };
    let Some(entries) = entries.as_array() else {
        return Err("not a JWK Set: `keys` is not an array".into());
    };
    if entries.is_empty() {
        set.notes.push(format!("{origin}: the JWK Set has no keys"));
    }
    for (index, entry) in entries.iter().enumerate() {
        let place = format!("{origin} keys[{index}]");
        let place = match entry.get("kid").and_then(Value::as_str) {
            Some(kid) => format!("{place} (kid {kid:?})"),
            None => place,
        };
        match jwk(entry, JwkPolicy::InSet, &place, &mut set.notes) {
            Ok(key) => set.keys.push(key),
            Err(reason) => set.skipped.push(format!("{place}: {reason}")),
        }
    }
    Ok(())
}

/// Parses JSON key input, with a one-line reason when it is not JSON.
pub(crate) fn parse_json(text: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Value>(text).map_err(|e| format!("not valid JSON ({e})"))
}

/// One JWK. `Err` is the reason it cannot be provisioned.
pub(crate) fn jwk(
    value: &Value,
    policy: JwkPolicy,
    origin: &str,
    notes: &mut Vec<String>,
) -> Result<Provisioned, String> {
    let Some(object) = value.as_object() else {
        return Err("not a JSON object".into());
    };
    let kid = match object.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err("`kid` is not a string".into()),
    };
    match object.get("use") {
        None => {}
        Some(Value::String(u)) if u == "sig" => {}
        Some(Value::String(u)) if u == "enc" => {
            return Err("`use` is \"enc\": an encryption key, not a signing key".into());
        }
        Some(Value::String(u)) => return Err(format!("`use` is {u:?}, not \"sig\"")),
        Some(_) => return Err("`use` is not a string".into()),
    }
    if let Some(ops) = object.get("key_ops") {
        let verifies = ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify")));
        if !verifies {
            return Err("`key_ops` does not include \"verify\"".into());
        }
    }
    let kty = match object.get("kty") {
        Some(Value::String(kty)) => kty.as_str(),
        Some(_) => return Err("`kty` is not a string".into()),
        None => return Err("no `kty`".into()),
    };
    let bound = match kty {
        "EC" => "ES256",
        "RSA" => "RS256",
        "oct" => "HS256",
        other => return Err(format!("unsupported kty {other:?}")),
    };
    match object.get("alg") {
        None => {}
        Some(Value::String(alg)) if alg == bound => {}
        Some(Value::String(alg)) => {
            return Err(format!(
                "`alg` is {alg:?}: a kty {kty:?} key is provisioned for {bound} only"
            ));
        }
        Some(_) => return Err("`alg` is not a string".into()),
    }
    let material = match kty {
        "EC" => ec_jwk(object, origin, notes)?,
        "RSA" => rsa_jwk(object, origin, notes)?,
        _ => {
            if policy == JwkPolicy::InSet {
                return Err(
                    "a symmetric (kty \"oct\") key in a key set is never provisioned \
                            from it: pass the secret with --hs256-secret-file"
                        .into(),
                );
            }
            Material::Hs256(member_bytes(object, "k")?)
        }
    };
    Ok(Provisioned {
        kid,
        material: checked(material)?,
        origin: origin.to_owned(),
    })
}

fn member_bytes(object: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    match object.get(name) {
        Some(Value::String(text)) => Base64UrlUnpadded::decode_vec(text)
            .map_err(|_| format!("`{name}` is not unpadded base64url")),
        Some(_) => Err(format!("`{name}` is not a string")),
        None => Err(format!("no `{name}`")),
    }
}

fn private_note(object: &Map<String, Value>, origin: &str, notes: &mut Vec<String>) {
    if ["d", "p", "q", "dp", "dq", "qi"]
        .iter()
        .any(|m| object.contains_key(*m))
    {
        notes.push(format!(
            "{origin}: holds PRIVATE key members; only the public key is used, and the file \
             should not be published"
        ));
    }
}

fn ec_jwk(
    object: &Map<String, Value>,
    origin: &str,
    notes: &mut Vec<String>,
) -> Result<Material, String> {
    match object.get("crv") {
        Some(Value::String(crv)) if crv == "P-256" => {}
        Some(Value::String(crv)) => {
            return Err(format!("unsupported crv {crv:?} (ES256 is P-256)"));
        }
        Some(_) => return Err("`crv` is not a string".into()),
        None => return Err("no `crv`".into()),
    }
    let x = member_bytes(object, "x")?;
    let y = member_bytes(object, "y")?;
    if x.len() != 32 || y.len() != 32 {
        return Err(format!(
            "P-256 coordinates must be 32 bytes each, found x {} and y {}",
            x.len(),
            y.len()
        ));
    }
    private_note(object, origin, notes);
    let point: [u8; 65] = [&[4u8][..], &x, &y]
        .concat()
        .try_into()
        .map_err(|_| "P-256 point is not 65 bytes".to_owned())?;
    Ok(Material::Es256(Box::new(point)))
}

fn rsa_jwk(
    object: &Map<String, Value>,
    origin: &str,
    notes: &mut Vec<String>,
) -> Result<Material, String> {
    let n = member_bytes(object, "n")?;
    let e = member_bytes(object, "e")?;
    private_note(object, origin, notes);
    rsa_material(&n, &e)
}

/// RSA material from big-endian modulus and exponent, with the sizes tokengate supports.
fn rsa_material(n: &[u8], e: &[u8]) -> Result<Material, String> {
    let n = strip_zeros(n);
    let bits = rsa_bits(n);
    if bits < tokengate::RSA_MIN_BITS {
        return Err(format!(
            "RSA-{bits} is under {} bits",
            tokengate::RSA_MIN_BITS
        ));
    }
    if bits > tokengate::RSA_MAX_BITS {
        return Err(format!(
            "RSA-{bits} is over {} bits",
            tokengate::RSA_MAX_BITS
        ));
    }
    let e = strip_zeros(e);
    if e.len() > 4 {
        return Err("RSA public exponent wider than 32 bits".into());
    }
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Ok(Material::Rsa { n: n.to_vec(), e })
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
        if curve != P256 {
            return Err(format!("EC curve {curve} is not P-256 (ES256 needs P-256)"));
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
        Err("an Ed25519 key: tokengate verifies ES256, RS256 and HS256".into())
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
    rsa_material(&n, &e)
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
        let value = parse_json(bytes)?;
        if value.get("keys").is_some() {
            return Err("is a JWK Set: pass it with --jwks".into());
        }
        let key = jwk(&value, JwkPolicy::Explicit, origin, &mut set.notes)?;
        set.keys.push(key);
        Ok(())
    } else {
        load_pem(bytes, PemKind::Any, origin, set)
    }
}

/// An HS256 secret file: its exact bytes.
///
/// # Errors
/// The library's reason when the secret is too short.
pub(crate) fn load_secret(bytes: &[u8], origin: &str, set: &mut KeySet) -> Result<(), String> {
    if bytes.last() == Some(&b'\n') {
        set.notes.push(format!(
            "{origin}: the secret ends with a newline, which is part of the secret"
        ));
    }
    let material = checked(Material::Hs256(bytes.to_vec()))?;
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
        let value = parse_json(bytes)?;
        if value.get("keys").is_some() {
            load_jwks(bytes, origin, set)
        } else {
            let key = jwk(&value, JwkPolicy::InSet, origin, &mut set.notes)?;
            set.keys.push(key);
            Ok(())
        }
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

    #[test]
    fn bits() {
        assert_eq!(rsa_bits(&[]), 0);
        assert_eq!(rsa_bits(&[0, 0, 1]), 1);
        assert_eq!(rsa_bits(&[0x80, 0]), 16);
    }

    #[test]
    fn jwk_rules() {
        let mut notes = Vec::new();
        let mut check = |v: Value| jwk(&v, JwkPolicy::InSet, "t", &mut notes).map(|k| k.material);
        assert!(
            check(serde_json::json!({"kty":"EC","crv":"P-256","use":"enc","x":"","y":""}))
                .unwrap_err()
                .contains("enc")
        );
        assert!(
            check(serde_json::json!({"kty":"OKP","crv":"Ed25519","x":""}))
                .unwrap_err()
                .contains("unsupported kty")
        );
        assert!(
            check(serde_json::json!({"kty":"EC","crv":"P-384","x":"","y":""}))
                .unwrap_err()
                .contains("P-384")
        );
        assert!(
            check(serde_json::json!({"kty":"RSA","alg":"PS256","n":"AQAB","e":"AQAB"}))
                .unwrap_err()
                .contains("PS256")
        );
        assert!(
            check(serde_json::json!({"kty":"oct","k":"AAAA"}))
                .unwrap_err()
                .contains("--hs256-secret-file")
        );
        let small = Base64UrlUnpadded::encode_string(&[0xc5; 128]);
        assert!(
            check(serde_json::json!({"kty":"RSA","n":small,"e":"AQAB"}))
                .unwrap_err()
                .contains("RSA-1024 is under 2048 bits")
        );
    }
}
