//! The JWK importer (`tokengate::jwk`): each rule with the shapes it accepts and the exact error
//! of each shape it refuses, JWK Sets with skipped entries, the RFC 7517 Appendix A key sets,
//! the RFC 7515 and RFC 7520 §3 keys (tests/vectors/rfc), escapes and duplicate members, and
//! keys built from the material verifying tokens. The material is compared with the sample keys
//! of tests/data/keys/keys.json (hex), an independent spelling of the same keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)] // Test code: a panic is a failed test.

mod common;

use common::{AUD, ISS, NOW, Signer, b64, mint};
use serde_json::{Value, json};
use tokengate::jwk::{self, Jwk, Material, Reason};
use tokengate::{Alg, Buffers, Error, Expected, Key, Part, Policy, Verifier};

// ---- helpers ------------------------------------------------------------------------------------

fn parse(value: &Value) -> Result<Jwk<'static>, Error> {
    parse_text(&value.to_string())
}

fn parse_text(text: &str) -> Result<Jwk<'static>, Error> {
    jwk::parse(Box::leak(text.to_owned().into_boxed_str()))
}

fn refusal(value: &Value) -> Error {
    match parse(value) {
        Ok(jwk) => panic!("accepted {value}: {jwk:?}"),
        Err(e) => e,
    }
}

fn text_refusal(text: &str) -> Error {
    match parse_text(text) {
        Ok(jwk) => panic!("accepted {text}: {jwk:?}"),
        Err(e) => e,
    }
}

fn rule(reason: Reason) -> Error {
    Error::Jwk { reason }
}

fn missing(name: &'static str) -> Error {
    Error::MissingMember {
        part: Part::Jwk,
        name,
    }
}

fn invalid(name: &'static str) -> Error {
    Error::InvalidMember {
        part: Part::Jwk,
        name,
    }
}

/// `value` with `member` set (or removed, for `Value::Null` given as `None`).
fn with(value: &Value, member: &str, to: Option<Value>) -> Value {
    let mut value = value.clone();
    match to {
        Some(to) => value[member] = to,
        None => {
            value.as_object_mut().unwrap().remove(member);
        }
    }
    value
}

fn sec1() -> [u8; 65] {
    let key = common::samples().es256();
    key.to_sec1()
}

/// The sample ES256 key, public members only.
fn ec() -> Value {
    let point = sec1();
    json!({"kty": "EC", "crv": "P-256", "x": b64(&point[1..33]), "y": b64(&point[33..])})
}

/// A sample RSA key, public members only.
fn rsa(bits: u32) -> Value {
    json!({"kty": "RSA", "n": b64(&common::samples().rsa_modulus(bits)), "e": "AQAB"})
}

fn oct(secret: &[u8]) -> Value {
    json!({"kty": "oct", "alg": "HS256", "k": b64(secret)})
}

/// The material, decoded into fresh storage of exactly `material_len` bytes.
fn material(jwk: &Jwk<'_>) -> Material<'static> {
    let out = Box::leak(vec![0u8; jwk.material_len()].into_boxed_slice());
    jwk.material(out).unwrap()
}

fn kid(jwk: &Jwk<'_>) -> Option<String> {
    let mut out = [0u8; 256];
    jwk.kid_into(&mut out).unwrap().map(str::to_owned)
}

// ---- accepted keys ------------------------------------------------------------------------------

#[test]
fn each_key_type_gives_its_material() {
    let samples = common::samples();
    let es = parse(&ec()).unwrap();
    assert_eq!(es.alg(), Alg::Es256);
    assert_eq!(es.material_len(), 0);
    assert_eq!(material(&es), Material::Es256(sec1()));
    for bits in [2048, 3072, 4096] {
        let key = parse(&rsa(bits)).unwrap();
        assert_eq!(key.alg(), Alg::Rs256);
        let n = samples.rsa_modulus(bits);
        assert_eq!(key.material_len(), n.len());
        assert_eq!(material(&key), Material::Rs256 { n: &n, e: 65537 });
    }
    let secret = samples.hs256_secret();
    let hs = parse(&oct(secret)).unwrap();
    assert_eq!(hs.alg(), Alg::Hs256);
    assert_eq!(hs.material_len(), secret.len());
    assert_eq!(material(&hs), Material::Hs256(secret));
    for key in [&es, &hs] {
        assert_eq!(kid(key), None);
        assert!(!key.has_private_members());
    }
}

/// Keys built from the material verify the tokens of the matching private keys.
#[test]
fn keys_from_a_jwk_set_verify_tokens() {
    let text = std::fs::read_to_string(common::data("keys/jwks.json")).unwrap();
    let text: &'static str = Box::leak(text.into_boxed_str());
    let keys: Vec<Key<'static>> = jwk::keys(text)
        .unwrap()
        .map(|entry| common::key_of(&entry.unwrap()).unwrap())
        .collect();
    let kids: Vec<_> = keys.iter().map(|k| k.kid().unwrap()).collect();
    assert_eq!(
        kids,
        [
            "es256-test",
            "rs256-2048-test",
            "rs256-3072-test",
            "rs256-4096-test"
        ]
    );
    let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    for (signer, header) in [
        (Signer::Es256, r#"{"alg":"ES256","kid":"es256-test"}"#),
        (
            Signer::Rs256(2048),
            r#"{"alg":"RS256","kid":"rs256-2048-test"}"#,
        ),
        (
            Signer::Rs256(3072),
            r#"{"alg":"RS256","kid":"rs256-3072-test"}"#,
        ),
        (
            Signer::Rs256(4096),
            r#"{"alg":"RS256","kid":"rs256-4096-test"}"#,
        ),
    ] {
        let token = mint(signer, header, claims);
        let mut buffers = Buffers::<4096>::new();
        assert_eq!(
            verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
            Ok(()),
            "{header}"
        );
    }
    // And an HS256 key from its JWK.
    let hs = common::jwk_key(&oct(common::samples().hs256_secret())).unwrap();
    let keys = [hs];
    let verifier = Verifier::new(
        &keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let token = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, claims);
    let mut buffers = Buffers::<1024>::new();
    assert_eq!(
        verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
        Ok(())
    );
}
