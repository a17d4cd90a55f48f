//! `tokengate mint`: test tokens for bring-up, signed with RustCrypto's `p256`, `p384`, `rsa` and
//! `hmac` (the host-side crates, not the verifier).

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

use crate::{Fail, MintArgs, Outcome, out, read_file, usage, warn};

/// The algorithms a test token can be signed with.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MintAlg {
    #[value(name = "ES256")]
    Es256,
    #[value(name = "ES384")]
    Es384,
    #[value(name = "RS256")]
    Rs256,
    #[value(name = "RS384")]
    Rs384,
    #[value(name = "RS512")]
    Rs512,
    #[value(name = "PS256")]
    Ps256,
    #[value(name = "PS384")]
    Ps384,
    #[value(name = "PS512")]
    Ps512,
    #[value(name = "HS256")]
    Hs256,
    #[value(name = "HS384")]
    Hs384,
    #[value(name = "HS512")]
    Hs512,
    /// EdDSA on Ed25519; `--alg Ed25519` writes the fully-specified name (RFC 9864).
    #[value(name = "EdDSA")]
    EdDsa,
    #[value(name = "Ed25519")]
    Ed25519,
}

impl MintAlg {
    pub(crate) fn name(self) -> &'static str {
        match self {
            MintAlg::Es256 => "ES256",
            MintAlg::Es384 => "ES384",
            MintAlg::Rs256 => "RS256",
            MintAlg::Rs384 => "RS384",
            MintAlg::Rs512 => "RS512",
            MintAlg::Ps256 => "PS256",
            MintAlg::Ps384 => "PS384",
            MintAlg::Ps512 => "PS512",
            MintAlg::Hs256 => "HS256",
            MintAlg::Hs384 => "HS384",
            MintAlg::Hs512 => "HS512",
            MintAlg::EdDsa => "EdDSA",
            MintAlg::Ed25519 => "Ed25519",
        }
    }
}

pub(crate) fn run(args: &MintArgs) -> Outcome {
    let claims = json_text(&args.claims, "--claims")?;
    let header = header(args)?;
    let key = read_file(&args.key, "key file")?;
    let origin = args.key.display().to_string();
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(claims.as_bytes())
    );
    let signature = sign(args.alg, &key, &origin, signing_input.as_bytes())?;
    out(&format!(
        "{signing_input}.{}\n",
        Base64UrlUnpadded::encode_string(&signature)
    ));
    Ok(())
}

/// Signs `message` with the private key (or secret) in `key`, read from `origin`.
pub(crate) fn sign(alg: MintAlg, key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>> {
    match alg {
        MintAlg::Es256 => es256(key, origin, message),
        MintAlg::Es384 => es384(key, origin, message),
        MintAlg::EdDsa | MintAlg::Ed25519 => ed25519(key, origin, message),
        MintAlg::Rs256 | MintAlg::Rs384 | MintAlg::Rs512 => rsa_sign(alg, key, origin, message),
        MintAlg::Ps256 | MintAlg::Ps384 | MintAlg::Ps512 => rsa_sign(alg, key, origin, message),
        MintAlg::Hs256 => {
            hmac::<sha2::Sha256>(alg, tokengate::HS256_MIN_SECRET_LEN, key, origin, message)
        }
        MintAlg::Hs384 => {
            hmac::<sha2::Sha384>(alg, tokengate::HS384_MIN_SECRET_LEN, key, origin, message)
        }
        MintAlg::Hs512 => {
            hmac::<sha2::Sha512>(alg, tokengate::HS512_MIN_SECRET_LEN, key, origin, message)
        }
    }
}

/// A JSON object argument (or `@FILE`), returned as its exact text without surrounding
/// whitespace, so the payload is byte for byte what the caller wrote.
fn json_text(arg: &str, flag: &str) -> Outcome<String> {
    let text = match arg.strip_prefix('@') {
        Some(path) => {
            let bytes = read_file(std::path::Path::new(path), &format!("{flag} file"))?;
            String::from_utf8(bytes)
                .map_err(|_| Fail::Usage(format!("{flag} file {path} is not UTF-8")))?
        }
        None => arg.to_owned(),
    };
    let text = text.trim().to_owned();
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(_)) => Ok(text),
        Ok(_) => usage(format!("{flag} must be a JSON object")),
        Err(e) => usage(format!("{flag} is not valid JSON ({e})")),
    }
}

/// `{"alg":..,"typ":"JWT","kid":..}` with the `--header` members after (they may override
/// `typ`, not `alg` or `kid`).
fn header(args: &MintArgs) -> Outcome<String> {
    let mut header = Map::new();
    header.insert("alg".into(), args.alg.name().into());
    header.insert("typ".into(), "JWT".into());
    if let Some(kid) = &args.kid {
        header.insert("kid".into(), kid.as_str().into());
    }
    if let Some(extra) = &args.header {
        let extra = json_text(extra, "--header")?;
        let Ok(Value::Object(extra)) = serde_json::from_str::<Value>(&extra) else {
            return usage("--header must be a JSON object");
        };
        for (name, value) in extra {
            match name.as_str() {
                "alg" if value.as_str() != Some(args.alg.name()) => {
                    return usage("--header sets `alg`; the algorithm comes from --alg");
                }
                "kid" if args.kid.is_some() => {
                    return usage("--header sets `kid` and so does --kid; give one");
                }
                _ => {
                    header.insert(name, value);
                }
            }
        }
    }
    serde_json::to_string(&Value::Object(header))
        .map_err(|e| Fail::Usage(format!("cannot build the header ({e})")))
}

fn pem_text<'k>(key: &'k [u8], origin: &str) -> Outcome<&'k str> {
    std::str::from_utf8(key)
        .map_err(|_| Fail::Usage(format!("key file {origin}: not a PEM file (not text)")))
}

fn es256(key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>> {
    use p256::ecdsa::signature::Signer;
    let text = pem_text(key, origin)?;
    let secret = p256::SecretKey::from_pem(text).map_err(|e| {
        Fail::Usage(match private_key_kind(text) {
            Some(kind) if kind != P256_KEY && kind != SEC1_KEY => {
                format!("key file {origin} holds {kind}; --alg ES256 needs a P-256 private key")
            }
            _ => format!("key file {origin}: not a P-256 private key in PKCS#8 or SEC1 PEM ({e})"),
        })
    })?;
    let signing = p256::ecdsa::SigningKey::from(&secret);
    let signature: p256::ecdsa::Signature = signing.sign(message);
    Ok(signature.to_bytes().to_vec())
}

fn es384(key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>> {
    use p384::ecdsa::signature::Signer;
    let text = pem_text(key, origin)?;
    let secret = p384::SecretKey::from_pem(text).map_err(|e| {
        Fail::Usage(match private_key_kind(text) {
            Some(kind) if kind != P384_KEY && kind != SEC1_KEY => {
                format!("key file {origin} holds {kind}; --alg ES384 needs a P-384 private key")
            }
            _ => format!("key file {origin}: not a P-384 private key in PKCS#8 or SEC1 PEM ({e})"),
        })
    })?;
    let signing = p384::ecdsa::SigningKey::from(&secret);
    let signature: p384::ecdsa::Signature = signing.sign(message);
    Ok(signature.to_bytes().to_vec())
}

/// EdDSA on Ed25519 with a PKCS#8 private key (RFC 8410: `PRIVATE KEY`, its privateKey an OCTET
/// STRING holding the 32-byte seed).
fn ed25519(key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>> {
    use ed25519_dalek::Signer;
    use p256::pkcs8::der::Decode;
    let text = pem_text(key, origin)?;
    let wrong = || {
        Fail::Usage(match private_key_kind(text) {
            Some(kind) if kind != ED25519_KEY => {
                format!("key file {origin} holds {kind}; --alg EdDSA needs an Ed25519 private key")
            }
            _ => format!("key file {origin}: not an Ed25519 private key in PKCS#8 PEM"),
        })
    };
    let (label, der) = der::pem::decode_vec(text.trim().as_bytes()).map_err(|_| wrong())?;
    if label != "PRIVATE KEY" {
        return Err(wrong());
    }
    let info = p256::pkcs8::PrivateKeyInfoRef::from_der(&der).map_err(|_| wrong())?;
    if info.algorithm.oid.to_string() != "1.3.101.112" {
        return Err(wrong());
    }
    // CurvePrivateKey ::= OCTET STRING (RFC 8410 §7): 04 20 and the seed.
    let seed: [u8; 32] = match info.private_key.as_bytes() {
        [0x04, 0x20, seed @ ..] => seed.try_into().map_err(|_| wrong())?,
        _ => return Err(wrong()),
    };
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    Ok(signing.sign(message).to_bytes().to_vec())
}

/// RS256/384/512 (PKCS#1 v1.5) or PS256/384/512 (PSS, a random salt of the hash's length, MGF1
/// on the same hash: RFC 7518 §3.5).
fn rsa_sign(alg: MintAlg, key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::sha2::{Sha256, Sha384, Sha512};
    use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
    let name = alg.name();
    let text = pem_text(key, origin)?;
    let private = if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
        rsa::RsaPrivateKey::from_pkcs1_pem(text).map_err(|e| e.to_string())
    } else {
        rsa::RsaPrivateKey::from_pkcs8_pem(text).map_err(|e| e.to_string())
    }
    .map_err(|e| {
        Fail::Usage(match private_key_kind(text) {
            Some(kind) if kind != RSA_KEY => {
                format!("key file {origin} holds {kind}; --alg {name} needs an RSA private key")
            }
            _ => format!("key file {origin}: not an RSA private key in PKCS#8 or PKCS#1 PEM ({e})"),
        })
    })?;
    let bits = rsa::traits::PublicKeyParts::size(&private).saturating_mul(8);
    if bits < 2048 {
        warn(&format!(
            "RSA-{bits} key: tokengate rejects {name} keys under 2048 bits"
        ));
    }
    let failed = |e: rsa::signature::Error| Fail::Usage(format!("RSA signing failed ({e})"));
    let mut rng = rsa::rand_core::OsRng;
    let signature = match alg {
        MintAlg::Rs384 => rsa::pkcs1v15::SigningKey::<Sha384>::new(private)
            .try_sign(message)
            .map_err(failed)?
            .to_vec(),
        MintAlg::Rs512 => rsa::pkcs1v15::SigningKey::<Sha512>::new(private)
            .try_sign(message)
            .map_err(failed)?
            .to_vec(),
        MintAlg::Ps256 => rsa::pss::BlindedSigningKey::<Sha256>::new_with_salt_len(private, 32)
            .try_sign_with_rng(&mut rng, message)
            .map_err(failed)?
            .to_vec(),
        MintAlg::Ps384 => rsa::pss::BlindedSigningKey::<Sha384>::new_with_salt_len(private, 48)
            .try_sign_with_rng(&mut rng, message)
            .map_err(failed)?
            .to_vec(),
        MintAlg::Ps512 => rsa::pss::BlindedSigningKey::<Sha512>::new_with_salt_len(private, 64)
            .try_sign_with_rng(&mut rng, message)
            .map_err(failed)?
            .to_vec(),
        _ => rsa::pkcs1v15::SigningKey::<Sha256>::new(private)
            .try_sign(message)
            .map_err(failed)?
            .to_vec(),
    };
    Ok(signature)
}

/// HS256/384/512 with hash `D`; `min` is the shortest secret tokengate accepts for `alg`.
fn hmac<D>(alg: MintAlg, min: usize, key: &[u8], origin: &str, message: &[u8]) -> Outcome<Vec<u8>>
where
    hmac::Hmac<D>: hmac::KeyInit + hmac::Mac,
    D: hmac::digest::block_api::EagerHash,
{
    use hmac::{KeyInit, Mac};
    if key.is_empty() {
        return usage(format!("secret file {origin} is empty"));
    }
    if key.len() < min {
        warn(&format!(
            "{}-byte secret: tokengate rejects {} secrets under {min} bytes",
            key.len(),
            alg.name()
        ));
    }
    let mut mac = <hmac::Hmac<D> as KeyInit>::new_from_slice(key)
        .map_err(|e| Fail::Usage(format!("secret file {origin}: {e}")))?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

const RSA_KEY: &str = "an RSA private key";
const P256_KEY: &str = "a P-256 private key";
const P384_KEY: &str = "a P-384 private key";
const SEC1_KEY: &str = "an EC private key";
const ED25519_KEY: &str = "an Ed25519 private key";

/// What kind of key a PEM text holds, for a helpful message when it is the wrong one.
fn private_key_kind(text: &str) -> Option<&'static str> {
    use p256::pkcs8::der::Decode;
    const RSA: &str = "1.2.840.113549.1.1.1";
    const EC: &str = "1.2.840.10045.2.1";
    const P256: &str = "1.2.840.10045.3.1.7";
    const P384: &str = "1.3.132.0.34";
    const ED25519: &str = "1.3.101.112";
    let (label, der) = der::pem::decode_vec(text.trim().as_bytes()).ok()?;
    match label {
        "RSA PRIVATE KEY" => Some(RSA_KEY),
        "EC PRIVATE KEY" => Some(SEC1_KEY),
        "PRIVATE KEY" => {
            let info = p256::pkcs8::PrivateKeyInfoRef::from_der(&der).ok()?;
            let oid = info.algorithm.oid.to_string();
            let curve = info.algorithm.parameters_oid().ok().map(|c| c.to_string());
            Some(match (oid.as_str(), curve.as_deref()) {
                (RSA, _) => RSA_KEY,
                (EC, Some(P256)) => P256_KEY,
                (EC, Some(P384)) => P384_KEY,
                (EC, _) => "an EC private key on another curve than P-256 or P-384",
                (ED25519, _) => ED25519_KEY,
                _ => "a private key of another algorithm",
            })
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => Some("a public key, not a private key"),
        "ENCRYPTED PRIVATE KEY" => Some("an encrypted private key (decrypt it first)"),
        _ => None,
    }
}
