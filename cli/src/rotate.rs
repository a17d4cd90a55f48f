//! `tokengate keys rotate`: a signed key-set token for a device's `KeyRing`: the keys read the
//! same way as `keys import`, as a versioned JWK Set, signed by a rotation key.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value, json};

use crate::import::load_sources;
use crate::keys::Material;
use crate::mint::{self, MintAlg};
use crate::{Fail, Outcome, RotateArgs, note, out, read_file, warn};

pub(crate) fn run(args: &RotateArgs, order: &[(&str, usize)]) -> Outcome {
    let (set, _) = load_sources(&args.sources, order)?;
    if set
        .keys
        .iter()
        .any(|k| matches!(k.material, Material::Hmac { .. }))
    {
        warn(
            "the key set carries HS256 secrets in a signed, not encrypted, token: deliver it \
             only over a confidential channel",
        );
    }
    let keys: Vec<Value> = set
        .keys
        .iter()
        .map(|key| {
            let mut jwk = jwk(&key.material);
            if let Some(kid) = &key.kid {
                jwk.insert("kid".into(), kid.as_str().into());
            }
            if let Some(issuer) = &args.issuer {
                jwk.insert("iss".into(), issuer.as_str().into());
            }
            Value::Object(jwk)
        })
        .collect();
    let payload = json!({ "ver": args.set_version, "keys": keys }).to_string();
    let mut header = Map::new();
    header.insert("alg".into(), args.alg.name().into());
    header.insert("typ".into(), tokengate::KEY_SET_TYP.into());
    if let Some(kid) = &args.kid {
        header.insert("kid".into(), kid.as_str().into());
    }
    let header = Value::Object(header).to_string();
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    );
    let key = read_file(&args.signing_key, "rotation key file")?;
    let origin = args.signing_key.display().to_string();
    let signature = mint::sign(args.alg, &key, &origin, signing_input.as_bytes())?;
    out(&format!(
        "{signing_input}.{}\n",
        Base64UrlUnpadded::encode_string(&signature)
    ));
    note(&format!(
        "key set version {} with {} key{} ({} skipped)",
        args.set_version,
        set.keys.len(),
        if set.keys.len() == 1 { "" } else { "s" },
        set.skipped.len()
    ));
    Ok(())
}

/// The public JWK members of a key.
fn jwk(material: &Material) -> Map<String, Value> {
    let b64 = |bytes: &[u8]| Value::from(Base64UrlUnpadded::encode_string(bytes));
    let mut jwk = Map::new();
    match material {
        Material::Es256(point) => {
            jwk.insert("kty".into(), "EC".into());
            jwk.insert("crv".into(), "P-256".into());
            jwk.insert("alg".into(), "ES256".into());
            jwk.insert("x".into(), b64(point.get(1..33).unwrap_or_default()));
            jwk.insert("y".into(), b64(point.get(33..).unwrap_or_default()));
        }
        Material::Es384(point) => {
            jwk.insert("kty".into(), "EC".into());
            jwk.insert("crv".into(), "P-384".into());
            jwk.insert("alg".into(), "ES384".into());
            jwk.insert("x".into(), b64(point.get(1..49).unwrap_or_default()));
            jwk.insert("y".into(), b64(point.get(49..).unwrap_or_default()));
        }
        Material::Rsa { n, e, alg } => {
            let e = e.to_be_bytes();
            let first = e.iter().position(|&b| b != 0).unwrap_or(e.len());
            jwk.insert("kty".into(), "RSA".into());
            jwk.insert("alg".into(), alg.name().into());
            jwk.insert("n".into(), b64(n));
            jwk.insert("e".into(), b64(e.get(first..).unwrap_or_default()));
        }
        Material::Ed25519(x) => {
            jwk.insert("kty".into(), "OKP".into());
            jwk.insert("crv".into(), "Ed25519".into());
            jwk.insert("alg".into(), "EdDSA".into());
            jwk.insert("x".into(), b64(&x[..]));
        }
        Material::Hmac { secret, alg } => {
            jwk.insert("kty".into(), "oct".into());
            jwk.insert("alg".into(), alg.name().into());
            jwk.insert("k".into(), b64(secret));
        }
    }
    jwk
}

/// Checks the options that only `rotate` has.
pub(crate) fn check(args: &RotateArgs) -> Outcome {
    if matches!(args.alg, MintAlg::Hs256 | MintAlg::Hs384 | MintAlg::Hs512) {
        warn("an HMAC rotation key is a secret on every device that checks rotations");
    }
    if let Some(issuer) = &args.issuer
        && issuer.is_empty()
    {
        return Err(Fail::Usage("--issuer must not be empty".into()));
    }
    Ok(())
}
