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
        assert_eq!(material(&key), Material::Rsa { n: &n, e: 65537 });
    }
    let secret = samples.hs256_secret();
    let hs = parse(&oct(secret)).unwrap();
    assert_eq!(hs.alg(), Alg::Hs256);
    assert_eq!(hs.material_len(), secret.len());
    assert_eq!(material(&hs), Material::Oct(secret));
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
    // RSA keys bound by their JWK's `alg` to RS384, RS512 and PS*: each verifies its own
    // algorithm's token, and refuses RS256 from the same modulus.
    for (bits, alg) in [
        (2048, Alg::Rs384),
        (3072, Alg::Rs512),
        (2048, Alg::Ps256),
        (3072, Alg::Ps384),
        (4096, Alg::Ps512),
    ] {
        let value = with(&rsa(bits), "alg", Some(json!(alg.name())));
        let keys = [common::jwk_key(&value).unwrap()];
        let verifier = Verifier::new(
            &keys,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
        );
        let mut buffers = Buffers::<4096>::new();
        let token = mint(
            Signer::Rsa(bits, alg),
            &format!(r#"{{"alg":"{alg}"}}"#),
            claims,
        );
        assert_eq!(
            verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
            Ok(()),
            "{alg}"
        );
        let rs256 = mint(Signer::Rs256(bits), r#"{"alg":"RS256"}"#, claims);
        assert_eq!(
            verifier.verify(&rs256, NOW, &mut buffers).map(|_| ()),
            Err(Error::NoKeyForAlg { alg: Alg::Rs256 }),
            "{alg}"
        );
    }
    // HS384 and HS512 keys from their JWKs.
    for (signer, secret) in [
        (Signer::Hs384, &common::HS384_SECRET[..]),
        (Signer::Hs512, &common::HS512_SECRET[..]),
    ] {
        let alg = signer.alg();
        let value = with(&oct(secret), "alg", Some(json!(alg.name())));
        let keys = [common::jwk_key(&value).unwrap()];
        let verifier = Verifier::new(
            &keys,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
        );
        let token = mint(signer, &format!(r#"{{"alg":"{alg}"}}"#), claims);
        let mut buffers = Buffers::<1024>::new();
        assert_eq!(
            verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
            Ok(()),
            "{alg}"
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

// ---- more helpers -------------------------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `value` serialized with `member` set to `raw`, JSON text written as is (escapes, nesting).
fn with_raw(value: &Value, member: &str, raw: &str) -> String {
    let text = with(value, member, Some(json!("@@placeholder@@"))).to_string();
    assert_eq!(text.matches("\"@@placeholder@@\"").count(), 1);
    text.replace("\"@@placeholder@@\"", raw)
}

/// The base64url text with the lowest (always unused) bit of its last character set: the same
/// bytes, non-canonically encoded.
fn trailing_bit_set(text: &str) -> String {
    assert!(!text.len().is_multiple_of(4), "{text}: no unused bits");
    let last = *text.as_bytes().last().unwrap();
    let index = ALPHABET.iter().position(|&c| c == last).unwrap();
    assert_eq!(index & 1, 0, "{text}: not canonical");
    let mut out = text[..text.len() - 1].to_owned();
    out.push(char::from(ALPHABET[index | 1]));
    out
}

/// `text` with the character at `at` written as a JSON `\u00XX` escape.
fn escape_at(text: &str, at: usize) -> String {
    let c = text.as_bytes()[at];
    format!("{}\\u{:04x}{}", &text[..at], c, &text[at + 1..])
}

fn member_str<'v>(value: &'v Value, name: &str) -> &'v str {
    value[name].as_str().unwrap()
}

fn unb64(text: &str) -> Vec<u8> {
    <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(text).unwrap()
}

fn set_refusal(text: &str) -> Error {
    match jwk::keys(Box::leak(text.to_owned().into_boxed_str())) {
        Ok(keys) => panic!("accepted {text}: {keys:?}"),
        Err(e) => e,
    }
}

/// Each entry of a JWK Set: its algorithm and kid, or the error that refused it.
fn entries(text: &str) -> Vec<Result<(Alg, Option<String>), Error>> {
    jwk::keys(Box::leak(text.to_owned().into_boxed_str()))
        .unwrap()
        .map(|entry| entry.map(|jwk| (jwk.alg(), kid(&jwk))))
        .collect()
}

/// The material an independent decoder (base64ct, serde_json) reads from a JWK's members.
fn expected_material(value: &Value) -> Material<'static> {
    let leak = |bytes: Vec<u8>| -> &'static [u8] { Box::leak(bytes.into_boxed_slice()) };
    match member_str(value, "kty") {
        "EC" => {
            let mut point = vec![4u8];
            point.extend(unb64(member_str(value, "x")));
            point.extend(unb64(member_str(value, "y")));
            Material::Es256(point.try_into().unwrap())
        }
        "RSA" => {
            let n = unb64(member_str(value, "n"));
            let start = n.iter().position(|&b| b != 0).unwrap();
            let e = unb64(member_str(value, "e"))
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
            Material::Rsa {
                n: leak(n[start..].to_vec()),
                e,
            }
        }
        _ => Material::Oct(leak(unb64(member_str(value, "k")))),
    }
}

// ---- the JSON document ---------------------------------------------------------------------------

#[test]
fn a_jwk_is_one_strict_json_object() {
    for text in ["[]", "[{\"kty\":\"EC\"}]", "\"EC\"", "1", "null", "true"] {
        assert_eq!(
            text_refusal(text),
            Error::NotAnObject { part: Part::Jwk },
            "{text}"
        );
    }
    let ec_text = ec().to_string();
    for text in [
        String::new(),
        " ".to_owned(),
        "{".to_owned(),
        "{\"kty\":\"EC\",}".to_owned(),
        "{'kty':'EC'}".to_owned(),
        "{\"kty\":EC}".to_owned(),
        format!("{ec_text} {{}}"),
        format!("{ec_text},"),
        ec_text.replacen('}', "", 1),
        with_raw(&ec(), "kid", "\"a\u{1}b\""),
        with_raw(&ec(), "kid", "\"\\x41\""),
        with_raw(&ec(), "kid", "\"\\ud800\""),
        with_raw(&ec(), "ext", "01"),
        with_raw(&ec(), "ext", "NaN"),
    ] {
        assert_eq!(
            text_refusal(&text),
            Error::Json { part: Part::Jwk },
            "{text:?}"
        );
    }
    // Whitespace around the object is JSON.
    assert!(parse_text(&format!(" \n{ec_text}\t ")).is_ok());
}

#[test]
fn a_member_name_twice_is_refused_even_when_spelled_apart() {
    let x = member_str(&ec(), "x").to_owned();
    for text in [
        r#"{"kty":"EC","kty":"EC"}"#.to_owned(),
        r#"{"kty":"EC","k\u0074y":"RSA"}"#.to_owned(),
        with_raw(&ec(), "ext", &format!("{{\"x\":\"{x}\",\"x\":\"{x}\"}}")),
        // The same key, valid but for its duplicate `x`.
        with_raw(&ec(), "\\u0078", &format!("\"{x}\"")).replace("\\\\u0078", "\\u0078"),
        // A duplicate refuses a JWK that every rule would refuse anyway: JSON comes first.
        r#"{"use":"enc","use":"enc"}"#.to_owned(),
    ] {
        assert_eq!(
            text_refusal(&text),
            Error::DuplicateMember { part: Part::Jwk },
            "{text}"
        );
    }
    // The same name in two different objects is not a duplicate.
    let nested = with_raw(&ec(), "ext", &format!("{{\"x\":\"{x}\"}}"));
    assert!(parse_text(&nested).is_ok(), "{nested}");
}

#[test]
fn nesting_is_bounded_by_max_depth() {
    // The JWK is one level; a member's value adds the rest.
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    let deepest = with_raw(&ec(), "ext", &nested(tokengate::MAX_DEPTH - 1));
    assert_eq!(parse_text(&deepest).map(|k| k.alg()), Ok(Alg::Es256));
    let too_deep = with_raw(&ec(), "ext", &nested(tokengate::MAX_DEPTH));
    assert_eq!(text_refusal(&too_deep), Error::TooDeep { part: Part::Jwk });
    // Far too deep is the same error, not a stack overflow.
    let far = with_raw(&ec(), "ext", &nested(100_000));
    assert_eq!(text_refusal(&far), Error::TooDeep { part: Part::Jwk });
}

#[test]
fn members_are_bounded_by_max_members() {
    let mut full = ec();
    let extra = tokengate::MAX_MEMBERS - full.as_object().unwrap().len();
    for i in 0..extra {
        full[format!("m{i}")] = json!(i);
    }
    assert_eq!(full.as_object().unwrap().len(), tokengate::MAX_MEMBERS);
    assert_eq!(parse(&full).map(|k| k.alg()), Ok(Alg::Es256));
    let over = with(&full, "one-more", Some(json!(0)));
    assert_eq!(refusal(&over), Error::TooManyMembers { part: Part::Jwk });
}

// ---- member types -------------------------------------------------------------------------------

#[test]
fn each_member_the_rules_read_must_be_a_string() {
    let bases: [(&'static str, Value); 10] = [
        ("kty", ec()),
        ("use", ec()),
        ("alg", ec()),
        ("kid", ec()),
        ("crv", ec()),
        ("x", ec()),
        ("y", ec()),
        ("n", rsa(2048)),
        ("e", rsa(2048)),
        ("k", oct(common::samples().hs256_secret())),
    ];
    for (name, base) in bases {
        for wrong in [
            json!(1),
            json!(true),
            json!(null),
            json!([]),
            json!(["sig"]),
            json!({}),
        ] {
            let value = with(&base, name, Some(wrong.clone()));
            assert_eq!(refusal(&value), invalid(name), "{name}: {wrong}");
        }
    }
    // A member of another key type is still typed: `k` on an EC key, `n` on an oct key.
    assert_eq!(refusal(&with(&ec(), "k", Some(json!(1)))), invalid("k"));
    let secret = common::samples().hs256_secret();
    assert_eq!(
        refusal(&with(&oct(secret), "n", Some(json!([])))),
        invalid("n")
    );
    // ... while a member the rules do not read may be anything.
    for other in [json!(1), json!(null), json!({"a": [1, {"b": null}]})] {
        let value = with(&ec(), "x5c", Some(other.clone()));
        assert_eq!(parse(&value).map(|k| k.alg()), Ok(Alg::Es256), "{other}");
    }
}

#[test]
fn key_ops_must_be_an_array_of_strings() {
    for wrong in [
        json!("verify"),
        json!({"verify": true}),
        json!(1),
        json!(null),
        json!([1]),
        json!(["verify", 1]),
        json!(["verify", null]),
        json!([["verify"]]),
    ] {
        let value = with(&ec(), "key_ops", Some(wrong.clone()));
        assert_eq!(refusal(&value), invalid("key_ops"), "{wrong}");
    }
}

// ---- use, key_ops, kty, alg ---------------------------------------------------------------------

#[test]
fn use_must_be_sig() {
    for wrong in ["enc", "", "SIG", "sig ", "signature"] {
        let value = with(&ec(), "use", Some(json!(wrong)));
        assert_eq!(refusal(&value), rule(Reason::UseNotSig), "{wrong:?}");
    }
    let sig = parse(&with(&ec(), "use", Some(json!("sig")))).unwrap();
    assert_eq!(material(&sig), Material::Es256(sec1()));
    // Decoded before comparing.
    let escaped = with_raw(&ec(), "use", r#""s\u0069g""#);
    assert_eq!(parse_text(&escaped).map(|k| k.alg()), Ok(Alg::Es256));
    // Checked first: before `kty`, whatever else is wrong.
    assert_eq!(refusal(&json!({"use": "enc"})), rule(Reason::UseNotSig));
    assert_eq!(
        refusal(&json!({"kty": "OKP", "use": "enc", "key_ops": []})),
        rule(Reason::UseNotSig)
    );
}

#[test]
fn key_ops_must_include_verify() {
    for ops in [
        json!([]),
        json!(["sign"]),
        json!(["encrypt", "wrapKey"]),
        json!(["Verify"]),
    ] {
        let value = with(&ec(), "key_ops", Some(ops.clone()));
        assert_eq!(refusal(&value), rule(Reason::KeyOpsWithoutVerify), "{ops}");
    }
    for ops in [
        json!(["verify"]),
        json!(["sign", "verify"]),
        json!(["verify", "verify"]),
    ] {
        let value = with(&ec(), "key_ops", Some(ops.clone()));
        let key = parse(&value).unwrap();
        assert_eq!(material(&key), Material::Es256(sec1()), "{ops}");
    }
    let escaped = with_raw(&ec(), "key_ops", r#"["v\u0065rify"]"#);
    assert_eq!(parse_text(&escaped).map(|k| k.alg()), Ok(Alg::Es256));
    // After `use`, before `kty`.
    assert_eq!(
        refusal(&json!({"key_ops": ["sign"]})),
        rule(Reason::KeyOpsWithoutVerify)
    );
}

#[test]
fn kty_must_be_ec_rsa_or_oct() {
    assert_eq!(refusal(&with(&ec(), "kty", None)), missing("kty"));
    assert_eq!(refusal(&json!({})), missing("kty"));
    for kty in ["ec", "Ec", "rsa", "OCT", "", "EC ", "okp", "Okp"] {
        let value = with(&ec(), "kty", Some(json!(kty)));
        assert_eq!(refusal(&value), rule(Reason::UnsupportedKty), "{kty:?}");
    }
    // Without the `eddsa` feature, `OKP` is a type none of whose algorithms is compiled in.
    #[cfg(not(feature = "eddsa"))]
    {
        let value = with(&ec(), "kty", Some(json!("OKP")));
        assert_eq!(refusal(&value), rule(Reason::UnsupportedKty));
        let okp = json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        assert_eq!(refusal(&okp), rule(Reason::UnsupportedKty));
    }
    let escaped = with_raw(&ec(), "kty", r#""\u0045\u0043""#);
    assert_eq!(parse_text(&escaped).map(|k| k.alg()), Ok(Alg::Es256));
    // Before `alg`.
    assert_eq!(refusal(&json!({"alg": "RS256"})), missing("kty"));
}

#[test]
fn alg_must_be_the_algorithm_of_kty() {
    let secret = common::samples().hs256_secret();
    let cases = [
        (ec(), "RS256", Alg::Es256),
        (ec(), "HS256", Alg::Es256),
        (ec(), "ES384", Alg::Es256),
        (ec(), "es256", Alg::Es256),
        (ec(), "none", Alg::Es256),
        (rsa(2048), "ES256", Alg::Rs256),
        (rsa(2048), "HS256", Alg::Rs256),
        (rsa(2048), "ps256", Alg::Rs256),
        (rsa(2048), "RS1", Alg::Rs256),
        (rsa(2048), "PS256 ", Alg::Rs256),
        (rsa(2048), "RSA-OAEP", Alg::Rs256),
        (rsa(2048), "", Alg::Rs256),
        (oct(secret), "RS256", Alg::Hs256),
        (oct(secret), "ES256", Alg::Hs256),
        (oct(secret), "PS256", Alg::Hs256),
        (oct(secret), "hs384", Alg::Hs256),
        (oct(secret), "HS1024", Alg::Hs256),
        (oct(secret), "A128KW", Alg::Hs256),
        (oct(secret), "", Alg::Hs256),
    ];
    for (base, alg, key) in cases {
        let value = with(&base, "alg", Some(json!(alg)));
        assert_eq!(
            refusal(&value),
            rule(Reason::AlgNotForKty { key }),
            "{value}"
        );
    }
    // An RSA key is bound to the RSA algorithm its `alg` names, an oct key to the HMAC one
    // (its secret long enough: 64 bytes serve all three).
    let secret64 = [0x42u8; 64];
    for (base, alg) in [
        (ec(), Alg::Es256),
        (rsa(2048), Alg::Rs256),
        (rsa(2048), Alg::Rs384),
        (rsa(3072), Alg::Rs512),
        (rsa(2048), Alg::Ps256),
        (rsa(4096), Alg::Ps384),
        (rsa(4096), Alg::Ps512),
        (oct(secret), Alg::Hs256),
        (oct(&secret64), Alg::Hs384),
        (oct(&secret64), Alg::Hs512),
    ] {
        let value = with(&base, "alg", Some(json!(alg.name())));
        assert_eq!(parse(&value).map(|k| k.alg()), Ok(alg), "{value}");
    }
    // Without `alg`, EC is ES256 and RSA is RS256 (never PS* or RS384/RS512).
    assert_eq!(parse(&ec()).map(|k| k.alg()), Ok(Alg::Es256));
    assert_eq!(parse(&rsa(2048)).map(|k| k.alg()), Ok(Alg::Rs256));
    // Before the key type's own members; an EC refusal names the algorithm of the key's curve
    // (ES256 when it has none, or one tokengate does not know).
    assert_eq!(
        refusal(&json!({"kty": "EC", "alg": "RS256", "crv": "P-384"})),
        rule(Reason::AlgNotForKty { key: Alg::Es384 })
    );
    for crv in [json!("P-256"), json!("P-521"), json!(7)] {
        assert_eq!(
            refusal(&json!({"kty": "EC", "alg": "RS256", "crv": crv})),
            if crv == json!(7) {
                invalid("crv")
            } else {
                rule(Reason::AlgNotForKty { key: Alg::Es256 })
            },
            "{crv}"
        );
    }
    assert_eq!(
        refusal(&json!({"kty": "EC", "alg": "RS256"})),
        rule(Reason::AlgNotForKty { key: Alg::Es256 })
    );
    assert_eq!(
        refusal(&json!({"kty": "RSA", "alg": "ES256"})),
        rule(Reason::AlgNotForKty { key: Alg::Rs256 })
    );
}

#[test]
fn an_oct_key_must_name_hs256() {
    let secret = common::samples().hs256_secret();
    let bare = with(&oct(secret), "alg", None);
    assert_eq!(refusal(&bare), rule(Reason::OctWithoutAlg));
    // With `use` and `kid` too, and before `k` is looked at.
    let labelled = with(
        &with(&bare, "use", Some(json!("sig"))),
        "kid",
        Some(json!("s")),
    );
    assert_eq!(refusal(&labelled), rule(Reason::OctWithoutAlg));
    assert_eq!(
        refusal(&json!({"kty": "oct", "k": "c2hvcnQ"})),
        rule(Reason::OctWithoutAlg)
    );
    assert_eq!(refusal(&json!({"kty": "oct"})), rule(Reason::OctWithoutAlg));
}

// ---- EC ------------------------------------------------------------------------------------------

#[test]
fn crv_must_be_p256_or_p384() {
    assert_eq!(refusal(&with(&ec(), "crv", None)), missing("crv"));
    for crv in [
        "P-521",
        "p-256",
        "P256",
        "secp256r1",
        "secp256k1",
        "p-384",
        "P384",
        "secp384r1",
        "P-384 ",
        "",
    ] {
        let value = with(&ec(), "crv", Some(json!(crv)));
        assert_eq!(refusal(&value), rule(Reason::UnsupportedCrv), "{crv:?}");
        let value = with(&value, "alg", Some(json!("ES384")));
        assert_eq!(refusal(&value), rule(Reason::UnsupportedCrv), "{crv:?}");
    }
    // Before `x` and `y`.
    assert_eq!(
        refusal(&json!({"kty": "EC", "crv": "P-521"})),
        rule(Reason::UnsupportedCrv)
    );
    assert_eq!(refusal(&json!({"kty": "EC"})), missing("crv"));
    assert_eq!(
        refusal(&json!({"kty": "EC", "alg": "ES384"})),
        missing("crv")
    );
    // P-384 is ES384's curve: the P-256 key's 32-byte coordinates do not fit it.
    assert_eq!(
        refusal(&with(&ec(), "crv", Some(json!("P-384")))),
        invalid("x")
    );
}

// ---- EC P-384 (ES384) ----------------------------------------------------------------------------

fn ec384() -> Value {
    let point = common::es384_sec1();
    json!({"kty": "EC", "crv": "P-384", "x": b64(&point[1..49]), "y": b64(&point[49..])})
}

#[test]
fn a_p384_key_is_es384() {
    let point = common::es384_sec1();
    for value in [
        ec384(),
        with(&ec384(), "alg", Some(json!("ES384"))),
        with(&ec384(), "use", Some(json!("sig"))),
    ] {
        let jwk = parse(&value).unwrap();
        assert_eq!(jwk.alg(), Alg::Es384, "{value}");
        assert_eq!(jwk.material_len(), 0);
        assert_eq!(material(&jwk), Material::Es384(point));
        assert_eq!(format!("{:?}", material(&jwk)), "Es384");
    }
    // A P-384 key tokengate provisions verifies ES384 tokens, and only those.
    let keys = [common::jwk_key(&with(&ec384(), "kid", Some(json!("p384")))).unwrap()];
    assert_eq!(keys[0].alg(), Alg::Es384);
    let verifier = Verifier::new(
        &keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let mut buffers = Buffers::<4096>::new();
    let token = mint(Signer::Es384, r#"{"alg":"ES384","kid":"p384"}"#, claims);
    assert_eq!(
        verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
        Ok(())
    );
    let token = mint(Signer::Es256, r#"{"alg":"ES256","kid":"p384"}"#, claims);
    assert_eq!(
        verifier.verify(&token, NOW, &mut buffers).map(|_| ()),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Es384
        })
    );
}

#[test]
fn an_ec_key_is_bound_to_its_curves_algorithm() {
    // ES256 on a P-384 key, ES384 on a P-256 key: the refusal names the curve's algorithm.
    assert_eq!(
        refusal(&with(&ec384(), "alg", Some(json!("ES256")))),
        rule(Reason::AlgNotForKty { key: Alg::Es384 })
    );
    assert_eq!(
        refusal(&with(&ec(), "alg", Some(json!("ES384")))),
        rule(Reason::AlgNotForKty { key: Alg::Es256 })
    );
    // Before `x` and `y`.
    assert_eq!(
        refusal(&json!({"kty": "EC", "crv": "P-384", "alg": "ES256"})),
        rule(Reason::AlgNotForKty { key: Alg::Es384 })
    );
    assert_eq!(
        refusal(&json!({"kty": "EC", "crv": "P-256", "alg": "ES384"})),
        rule(Reason::AlgNotForKty { key: Alg::Es256 })
    );
    for alg in ["RS384", "HS384", "PS384", "es384", "ES512", "none", ""] {
        assert_eq!(
            refusal(&with(&ec384(), "alg", Some(json!(alg)))),
            rule(Reason::AlgNotForKty { key: Alg::Es384 }),
            "{alg:?}"
        );
    }
}

#[test]
fn p384_x_and_y_are_48_bytes_each_and_on_the_curve() {
    let point = common::es384_sec1();
    let (x, y) = (&point[1..49], &point[49..]);
    assert_eq!(refusal(&with(&ec384(), "x", None)), missing("x"));
    assert_eq!(refusal(&with(&ec384(), "y", None)), missing("y"));
    for name in ["x", "y"] {
        let coordinate = if name == "x" { x } else { y };
        let short = b64(&coordinate[1..]);
        let long = b64(&[&[0u8][..], coordinate].concat());
        for wrong in [short, long, String::new(), b64(&[0u8; 32]), b64(&[0u8; 96])] {
            let value = with(&ec384(), name, Some(json!(wrong)));
            assert_eq!(refusal(&value), invalid(name), "{name} = {wrong}");
        }
    }
    let mut off = point;
    off[96] ^= 1;
    let p = hex::decode(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    )
    .unwrap();
    for (x, y) in [
        (off[1..49].to_vec(), off[49..].to_vec()),
        (vec![0u8; 48], vec![0u8; 48]),
        (vec![0xff; 48], vec![0xff; 48]),
        (p.clone(), vec![0u8; 48]),
        (x.to_vec(), p),
    ] {
        let value = json!({"kty": "EC", "crv": "P-384", "x": b64(&x), "y": b64(&y)});
        assert_eq!(refusal(&value), Error::InvalidKey, "{value}");
    }
}

#[test]
fn x_and_y_are_32_bytes_each() {
    assert_eq!(refusal(&with(&ec(), "x", None)), missing("x"));
    assert_eq!(refusal(&with(&ec(), "y", None)), missing("y"));
    assert_eq!(
        refusal(&with(&with(&ec(), "x", None), "y", None)),
        missing("x")
    );
    let point = sec1();
    let (x, y) = (&point[1..33], &point[33..]);
    for name in ["x", "y"] {
        let coordinate = if name == "x" { x } else { y };
        let short = b64(&coordinate[1..]);
        let long = b64(&[&[0u8][..], coordinate].concat());
        let zero_extended = b64(&[coordinate, &[0u8][..]].concat());
        for wrong in [short, long, zero_extended, String::new(), b64(&[0u8; 64])] {
            let value = with(&ec(), name, Some(json!(wrong)));
            assert_eq!(refusal(&value), invalid(name), "{name} = {wrong}");
        }
    }
    // A 31-byte `x` is refused before `y` is looked at.
    let value = with(&with(&ec(), "x", Some(json!(b64(&x[1..])))), "y", None);
    assert_eq!(refusal(&value), invalid("x"));
}

#[test]
fn the_point_must_be_on_p256() {
    let point = sec1();
    let mut off = point;
    off[64] ^= 1;
    let mut swapped = [4u8; 65];
    swapped[1..33].copy_from_slice(&point[33..]);
    swapped[33..].copy_from_slice(&point[1..33]);
    // (x, p + y) and (p, 0): coordinates outside the field.
    let p =
        hex::decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff").unwrap();
    for (x, y) in [
        (off[1..33].to_vec(), off[33..].to_vec()),
        (swapped[1..33].to_vec(), swapped[33..].to_vec()),
        (vec![0u8; 32], vec![0u8; 32]),
        (vec![0xff; 32], vec![0xff; 32]),
        (p.clone(), vec![0u8; 32]),
    ] {
        let value = json!({"kty": "EC", "crv": "P-256", "x": b64(&x), "y": b64(&y)});
        assert_eq!(refusal(&value), Error::InvalidKey, "{value}");
    }
    // -y is on the curve as well.
    let p_minus_y = {
        let y = &point[33..];
        let mut out = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = i16::from(p[i]) - i16::from(y[i]) - borrow;
            borrow = i16::from(d < 0);
            out[i] = (d + 256 * borrow) as u8;
        }
        out
    };
    let negated =
        json!({"kty": "EC", "crv": "P-256", "x": b64(&point[1..33]), "y": b64(&p_minus_y)});
    let key = parse(&negated).unwrap();
    let mut expected = point;
    expected[33..].copy_from_slice(&p_minus_y);
    assert_eq!(material(&key), Material::Es256(expected));
}

// ---- RSA -----------------------------------------------------------------------------------------

/// An odd modulus of exactly `bits` bits (not a real key: the rules only see its size).
fn odd_modulus(bits: usize) -> Vec<u8> {
    let mut n = vec![0xffu8; bits.div_ceil(8)];
    let top = bits % 8;
    if top != 0 {
        n[0] = (1u8 << top) - 1;
    }
    n
}

fn rsa_with(n: &[u8], e: &str) -> Value {
    json!({"kty": "RSA", "n": b64(n), "e": e})
}

#[test]
fn n_is_2048_to_4096_bits_and_odd() {
    assert_eq!(refusal(&with(&rsa(2048), "n", None)), missing("n"));
    for bits in [2047usize, 4097, 1024, 8, 8192] {
        let value = rsa_with(&odd_modulus(bits), "AQAB");
        assert_eq!(
            refusal(&value),
            Error::RsaKeySize { bits: bits as u32 },
            "{bits}"
        );
    }
    assert_eq!(
        refusal(&rsa_with(&[], "AQAB")),
        Error::RsaKeySize { bits: 0 }
    );
    // Leading zero bytes do not count, and are dropped from the material.
    let padded = [&[0u8, 0][..], &odd_modulus(2047)].concat();
    assert_eq!(
        refusal(&rsa_with(&padded, "AQAB")),
        Error::RsaKeySize { bits: 2047 }
    );
    for bits in [2048usize, 2049, 3072, 4095, 4096] {
        let n = odd_modulus(bits);
        let key = parse(&rsa_with(&n, "AQAB")).unwrap();
        assert_eq!(material(&key), Material::Rsa { n: &n, e: 65537 }, "{bits}");
    }
    let n = common::samples().rsa_modulus(2048);
    let key = parse(&rsa_with(&[&[0u8][..], &n].concat(), "AQAB")).unwrap();
    assert_eq!(key.material_len(), 256);
    assert_eq!(material(&key), Material::Rsa { n: &n, e: 65537 });
    // Even.
    for bits in [2048u32, 3072, 4096] {
        let mut even = common::samples().rsa_modulus(bits);
        *even.last_mut().unwrap() &= 0xfe;
        assert_eq!(
            refusal(&rsa_with(&even, "AQAB")),
            Error::InvalidKey,
            "{bits}"
        );
    }
    // The size is checked before the parity.
    let mut even_small = odd_modulus(2047);
    *even_small.last_mut().unwrap() = 0xfe;
    assert_eq!(
        refusal(&rsa_with(&even_small, "AQAB")),
        Error::RsaKeySize { bits: 2047 }
    );
}

#[test]
fn e_is_odd_at_least_3_and_at_most_32_bits() {
    let n = common::samples().rsa_modulus(2048);
    assert_eq!(refusal(&with(&rsa(2048), "e", None)), missing("e"));
    // `n` first.
    assert_eq!(refusal(&json!({"kty": "RSA"})), missing("n"));
    for (e, why) in [
        (vec![1u8, 0, 0], "65536: even"),
        (vec![2], "2: even"),
        (vec![1], "1"),
        (vec![0], "0"),
        (vec![], "empty: 0"),
        (vec![0, 0, 0, 0, 0, 1], "1 with leading zeros"),
    ] {
        let value = rsa_with(&n, &b64(&e));
        assert_eq!(refusal(&value), Error::InvalidKey, "{why}");
    }
    for e in [
        vec![1u8, 0, 0, 0, 1],
        vec![0xff; 5],
        vec![1, 0, 0, 0, 0, 0, 0, 0, 1],
    ] {
        let value = rsa_with(&n, &b64(&e));
        assert_eq!(refusal(&value), invalid("e"), "{e:?}");
    }
    // A 33-bit `e` is refused before the size of `n`.
    assert_eq!(
        refusal(&rsa_with(&odd_modulus(1024), &b64(&[1, 0, 0, 0, 1]))),
        invalid("e")
    );
    for (e, value) in [
        (vec![3u8], 3u32),
        (vec![1, 0, 1], 65537),
        (vec![0, 0, 0, 0, 1, 0, 1], 65537),
        (vec![0xff; 4], u32::MAX),
        (vec![0, 0x80, 0, 0, 1], 0x8000_0001),
    ] {
        let key = parse(&rsa_with(&n, &b64(&e))).unwrap();
        assert_eq!(material(&key), Material::Rsa { n: &n, e: value }, "{e:?}");
    }
}

// ---- oct -----------------------------------------------------------------------------------------

/// HS384 and HS512 secrets are at least 48 and 64 bytes (the hash size, RFC 7518 §3.2).
#[test]
fn k_is_at_least_the_hash_size() {
    for (alg, min) in [(Alg::Hs256, 32usize), (Alg::Hs384, 48), (Alg::Hs512, 64)] {
        for len in [0, 1, 32, min - 1] {
            if len >= min {
                continue;
            }
            let value = with(&oct(&vec![0x5a; len]), "alg", Some(json!(alg.name())));
            assert_eq!(
                refusal(&value),
                Error::SecretTooShort { len, min },
                "{alg} {len}"
            );
        }
        for len in [min, min + 1, 128] {
            let k = vec![0xa5; len];
            let key = parse(&with(&oct(&k), "alg", Some(json!(alg.name())))).unwrap();
            assert_eq!(key.alg(), alg);
            assert_eq!(material(&key), Material::Oct(&k));
        }
    }
}

#[test]
fn k_is_at_least_32_bytes() {
    let secret = common::samples().hs256_secret();
    assert_eq!(refusal(&with(&oct(secret), "k", None)), missing("k"));
    for len in [31usize, 1, 0] {
        let value = oct(&vec![0x5a; len]);
        assert_eq!(
            refusal(&value),
            Error::SecretTooShort { len, min: 32 },
            "{len}"
        );
    }
    for len in [32usize, 33, 64, 100] {
        let k = vec![0xa5; len];
        let key = parse(&oct(&k)).unwrap();
        assert_eq!(key.material_len(), len);
        assert_eq!(material(&key), Material::Oct(&k));
    }
}

// ---- base64url and JSON escapes -----------------------------------------------------------------

#[test]
fn key_members_are_canonical_unpadded_base64url() {
    let secret = common::samples().hs256_secret();
    let cases: [(&'static str, Value); 5] = [
        ("x", ec()),
        ("y", ec()),
        ("n", rsa(2048)),
        // e = 257: two bytes, so the encoding has unused bits.
        ("e", with(&rsa(2048), "e", Some(json!("AQE")))),
        ("k", oct(secret)),
    ];
    for (name, base) in cases {
        assert!(parse(&base).is_ok(), "{base}");
        let good = member_str(&base, name).to_owned();
        let padding = match good.len() % 4 {
            2 => "==",
            3 => "=",
            _ => unreachable!("{name}: {good}"),
        };
        let mut wrong = vec![
            format!("{good}{padding}"),
            format!("{good}="),
            trailing_bit_set(&good),
            // A length of 1 modulo 4: no number of bytes is written so.
            format!("{good}{}", &"AAA"[..(5 - good.len() % 4) % 4]),
            format!(" {good}"),
            format!("{good}\n"),
            format!("{}.{}", &good[..2], &good[2..]),
        ];
        if good.len() > 4 {
            wrong.push(format!("{}+{}", &good[..1], &good[2..]));
            wrong.push(format!("{}/{}", &good[..3], &good[4..]));
            wrong.push(format!("{} {}", &good[..4], &good[4..]));
            wrong.push(format!("{}={}", &good[..4], &good[4..]));
        }
        for text in wrong {
            let value = with(&base, name, Some(json!(text)));
            assert_eq!(refusal(&value), invalid(name), "{name} = {text:?}");
        }
    }
    // Standard base64 of the same bytes: `+` and `/` where base64url has `-` and `_`.
    let x = (0..=255u8).find_map(|i| {
        let mut point = sec1();
        point[1] = i;
        let text = b64(&point[1..33]);
        text.contains(['-', '_']).then_some(text)
    });
    let x = x.unwrap().replace('-', "+").replace('_', "/");
    assert_eq!(refusal(&with(&ec(), "x", Some(json!(x)))), invalid("x"));
}

#[test]
fn escapes_in_values_are_decoded_before_base64url() {
    let secret = common::samples().hs256_secret();
    for (name, base) in [("x", ec()), ("n", rsa(2048)), ("k", oct(secret))] {
        let good = member_str(&base, name).to_owned();
        let expected = material(&parse(&base).unwrap());
        // One character escaped, at the start, the middle and the end; then all of them.
        let middle = good.len() / 2;
        let all: String = good.bytes().map(|c| format!("\\u{c:04x}")).collect();
        for text in [
            escape_at(&good, 0),
            escape_at(&good, middle),
            escape_at(&good, good.len() - 1),
            all,
        ] {
            let jwk = with_raw(&base, name, &format!("\"{text}\""));
            let key = parse_text(&jwk).unwrap();
            assert_eq!(material(&key), expected, "{name} = {text}");
        }
        // Escapes that decode to what base64url refuses.
        let last = good.len() - 1;
        let refused = [
            format!("{good}\\u003d"),
            format!("{}\\/{}", &good[..1], &good[2..]),
            format!("{}\\u002b{}", &good[..1], &good[2..]),
            format!("{}\\n", good),
            format!("{}\\u00e9{}", &good[..1], &good[2..]),
            format!("{}\\u0141{}", &good[..1], &good[2..]),
            escape_at(&trailing_bit_set(&good), last),
        ];
        for text in refused {
            let jwk = with_raw(&base, name, &format!("\"{text}\""));
            assert_eq!(text_refusal(&jwk), invalid(name), "{name} = {text}");
        }
    }
}

#[test]
fn escapes_in_names_and_labels_are_decoded() {
    let point = sec1();
    let text = format!(
        r#"{{"\u006bty":"EC","crv":"P\u002d256","\u0078":"{}","y":"{}","alg":"ES\u00325\u0036","use":"si\u0067","kid":"caf\u00e9 \ud83d\ude00\n"}}"#,
        b64(&point[1..33]),
        b64(&point[33..])
    );
    let key = parse_text(&text).unwrap();
    assert_eq!(key.alg(), Alg::Es256);
    assert_eq!(material(&key), Material::Es256(point));
    assert_eq!(kid(&key).as_deref(), Some("café 😀\n"));
    // The same in a JWK Set, whose entries are read apart from the document.
    let set = format!(r#"{{"\u006beys":[{text}]}}"#);
    let kid_text = Some("café 😀\n".to_owned());
    assert_eq!(entries(&set), [Ok((Alg::Es256, kid_text))]);
}

// ---- kid and storage -----------------------------------------------------------------------------

#[test]
fn kid_into_says_how_many_bytes_it_needs() {
    let key = parse(&with(&ec(), "kid", Some(json!("door-2026")))).unwrap();
    for capacity in [0usize, 1, 8] {
        let mut out = vec![0u8; capacity];
        assert_eq!(
            key.kid_into(&mut out),
            Err(Error::TooLarge {
                needed: 9,
                capacity
            })
        );
    }
    let mut out = [0u8; 9];
    assert_eq!(key.kid_into(&mut out), Ok(Some("door-2026")));
    let mut out = [0u8; 64];
    assert_eq!(key.kid_into(&mut out), Ok(Some("door-2026")));
    // The decoded length, not the length of the JSON text: `é` is 2 bytes of UTF-8, the emoji 4.
    let escaped = with_raw(&ec(), "kid", r#""caf\u00e9\ud83d\ude00""#);
    let key = parse_text(&escaped).unwrap();
    let mut out = [0u8; 8];
    assert_eq!(
        key.kid_into(&mut out),
        Err(Error::TooLarge {
            needed: 9,
            capacity: 8
        })
    );
    let mut out = [0u8; 9];
    assert_eq!(key.kid_into(&mut out), Ok(Some("café😀")));
    // No kid: nothing needed.
    assert_eq!(parse(&ec()).unwrap().kid_into(&mut []), Ok(None));
    // An empty kid is a kid.
    let empty = parse(&with(&ec(), "kid", Some(json!("")))).unwrap();
    assert_eq!(empty.kid_into(&mut []), Ok(Some("")));
}

#[test]
fn material_says_how_many_bytes_it_needs() {
    let secret = common::samples().hs256_secret();
    let rsa = parse(&rsa(3072)).unwrap();
    let hs = parse(&oct(secret)).unwrap();
    for (key, needed) in [(rsa, 384usize), (hs, secret.len())] {
        assert_eq!(key.material_len(), needed);
        let mut out = vec![0u8; needed - 1];
        assert_eq!(
            key.material(&mut out),
            Err(Error::TooLarge {
                needed,
                capacity: needed - 1
            })
        );
        let mut out = vec![0u8; needed + 7];
        assert_eq!(key.material(&mut out).map(|_| ()), Ok(()));
    }
    let es = parse(&ec()).unwrap();
    assert_eq!(es.material(&mut []), Ok(Material::Es256(sec1())));
}

// ---- private members ----------------------------------------------------------------------------

#[test]
fn private_members_are_noticed_never_read() {
    let secret = common::samples().hs256_secret();
    for (base, d) in [
        (ec(), json!(b64(&[7u8; 32]))),
        (rsa(2048), json!(b64(&[7u8; 256]))),
        (oct(secret), json!("x")),
    ] {
        let public = parse(&base).unwrap();
        assert!(!public.has_private_members());
        let expected = material(&public);
        for name in ["d", "p", "q", "dp", "dq", "qi", "oth"] {
            let value = with(&base, name, Some(d.clone()));
            let key = parse(&value).unwrap();
            assert!(key.has_private_members(), "{name} in {value}");
            assert_eq!(key.material_len(), public.material_len());
            assert_eq!(material(&key), expected, "{name}");
        }
        // Never read, so never typed either: `oth` is an array in RFC 7518 §6.3.2.7.
        for odd in [json!([{"r": "AQ"}]), json!(null), json!(1)] {
            let value = with(&base, "oth", Some(odd));
            assert!(parse(&value).unwrap().has_private_members());
        }
    }
    // Every private RSA member at once, as in RFC 7517 Appendix A.2.
    let mut full = rsa(2048);
    for name in ["d", "p", "q", "dp", "dq", "qi"] {
        full[name] = json!(b64(&[9u8; 128]));
    }
    let key = parse(&full).unwrap();
    assert!(key.has_private_members());
    let n = common::samples().rsa_modulus(2048);
    assert_eq!(material(&key), Material::Rsa { n: &n, e: 65537 });
    // Debug never shows key bytes.
    let shown = format!("{key:?} {:?}", parse(&oct(secret)).unwrap());
    assert!(shown.contains("private_members: true"), "{shown}");
    assert!(!shown.contains(&b64(secret)), "{shown}");
    assert!(!shown.contains(&format!("{:?}", &secret[..4])), "{shown}");
}

// ---- JWK Sets ------------------------------------------------------------------------------------

#[test]
fn a_jwk_set_is_an_object_with_a_keys_array() {
    for (text, error) in [
        ("{}", missing("keys")),
        (r#"{"Keys": []}"#, missing("keys")),
        (r#"{"keys": {}}"#, invalid("keys")),
        (r#"{"keys": {"kty": "EC"}}"#, invalid("keys")),
        (r#"{"keys": "[]"}"#, invalid("keys")),
        (r#"{"keys": null}"#, invalid("keys")),
        (r#"{"keys": 1}"#, invalid("keys")),
        ("[]", Error::NotAnObject { part: Part::Jwk }),
        ("[{\"keys\": []}]", Error::NotAnObject { part: Part::Jwk }),
        (r#"{"keys": ["#, Error::Json { part: Part::Jwk }),
        (r#"{"keys": []} []"#, Error::Json { part: Part::Jwk }),
        ("", Error::Json { part: Part::Jwk }),
        (
            r#"{"keys": [], "keys": []}"#,
            Error::DuplicateMember { part: Part::Jwk },
        ),
        // JSON errors inside an entry refuse the whole set.
        (
            r#"{"keys": [{"kty": "EC", "kty": "EC"}]}"#,
            Error::DuplicateMember { part: Part::Jwk },
        ),
        (
            r#"{"keys": [{"kty": "EC",}]}"#,
            Error::Json { part: Part::Jwk },
        ),
    ] {
        assert_eq!(set_refusal(text), error, "{text}");
    }
    let deep = format!(
        r#"{{"keys": [{{"kty": "EC", "ext": {}{}}}]}}"#,
        "[".repeat(tokengate::MAX_DEPTH),
        "]".repeat(tokengate::MAX_DEPTH)
    );
    assert_eq!(set_refusal(&deep), Error::TooDeep { part: Part::Jwk });
    // No keys; other members ignored, before and after `keys`.
    assert_eq!(entries(r#"{"keys": []}"#), []);
    let ec_text = ec().to_string();
    assert_eq!(
        entries(&format!(
            r#"{{"issuer": {{"keys": 1}}, "keys": [{ec_text}], "x": [1]}}"#
        )),
        [Ok((Alg::Es256, None))]
    );
}

#[test]
fn set_entries_are_refused_one_by_one() {
    let secret = common::samples().hs256_secret();
    let named = |value: Value, kid: &str| with(&value, "kid", Some(json!(kid)));
    let set = json!({"keys": [
        1,
        "EC",
        null,
        [],
        [named(ec(), "in-an-array")],
        named(with(&ec(), "use", Some(json!("enc"))), "enc"),
        named(ec(), "es"),
        named(with(&ec(), "x", Some(json!("AAAA"))), "short-x"),
        {},
        named(rsa(2048), "rsa-2048"),
        named(oct(&secret[..31]), "short-secret"),
        named(with(&rsa(3072), "alg", Some(json!("PS256"))), "pss"),
        named(oct(secret), "hs"),
        named(with(&oct(secret), "alg", None), "bare-secret"),
        named(with(&ec(), "crv", Some(json!("P-521"))), "p521"),
        named(rsa_with(&odd_modulus(1024), "AQAB"), "rsa-1024"),
        named(rsa(4096), "rsa-4096"),
    ]});
    let not_an_object = Err(Error::NotAnObject { part: Part::Jwk });
    let ok = |alg: Alg, kid: &str| Ok((alg, Some(kid.to_owned())));
    assert_eq!(
        entries(&set.to_string()),
        [
            not_an_object.clone(),
            not_an_object.clone(),
            not_an_object.clone(),
            not_an_object.clone(),
            not_an_object,
            Err(rule(Reason::UseNotSig)),
            ok(Alg::Es256, "es"),
            Err(invalid("x")),
            Err(missing("kty")),
            ok(Alg::Rs256, "rsa-2048"),
            Err(Error::SecretTooShort { len: 31, min: 32 }),
            ok(Alg::Ps256, "pss"),
            ok(Alg::Hs256, "hs"),
            Err(rule(Reason::OctWithoutAlg)),
            Err(rule(Reason::UnsupportedCrv)),
            Err(Error::RsaKeySize { bits: 1024 }),
            ok(Alg::Rs256, "rsa-4096"),
        ]
    );
    // The accepted entries give the same material as the same JWKs alone.
    let text: &'static str = Box::leak(set.to_string().into_boxed_str());
    for (entry, value) in jwk::keys(text)
        .unwrap()
        .zip(set["keys"].as_array().unwrap())
    {
        if let Ok(key) = entry {
            assert_eq!(material(&key), material(&parse(value).unwrap()), "{value}");
        }
    }
}

/// RFC 7517 Appendix A: its example sets, as printed (A.2's RSA key left out: only its
/// public members are reproduced here, in A.1).
#[test]
fn rfc7517_appendix_a_key_sets() {
    const EC_X: &str = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4";
    const EC_Y: &str = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM";
    const RSA_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    // A.1, with the RFC's line breaks and indentation.
    let public = format!(
        "{{\"keys\":\n       [\n         {{\"kty\":\"EC\",\n          \"crv\":\"P-256\",\n          \
         \"x\":\"{EC_X}\",\n          \"y\":\"{EC_Y}\",\n          \"use\":\"enc\",\n          \
         \"kid\":\"1\"}},\n\n         {{\"kty\":\"RSA\",\n          \"n\": \"{RSA_N}\",\n          \
         \"e\":\"AQAB\",\n          \"alg\":\"RS256\",\n          \"kid\":\"2011-04-29\"}}\n       ]\n     }}"
    );
    assert_eq!(
        entries(&public),
        [
            Err(rule(Reason::UseNotSig)),
            Ok((Alg::Rs256, Some("2011-04-29".to_owned())))
        ]
    );
    let text: &'static str = Box::leak(public.into_boxed_str());
    let rsa = jwk::keys(text).unwrap().nth(1).unwrap().unwrap();
    assert!(!rsa.has_private_members());
    let Material::Rsa { n, e } = material(&rsa) else {
        panic!("{rsa:?}");
    };
    assert_eq!((n.len(), e), (256, 65537));
    // RFC 7638 §3.1: the thumbprint of this key, from the decoded modulus re-encoded.
    let canonical = format!(r#"{{"e":"AQAB","kty":"RSA","n":"{}"}}"#, b64(n));
    let thumbprint = b64(&<sha2::Sha256 as sha2::Digest>::digest(
        canonical.as_bytes(),
    ));
    assert_eq!(thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    // The EC key is a point on P-256: a signing key but for its `use`.
    let ec_sig = json!({"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y, "use": "sig"});
    let key = parse(&ec_sig).unwrap();
    let point = hex::decode(
        "0430a0424cd21c2944838a2d75c92b37e76ea20d9f00893a3b4eee8a3c0aafec3e\
         e04b65e92456d9888b52b379bdfbd51ee869ef1f0fc65b6659695b6cce081723",
    )
    .unwrap();
    assert_eq!(material(&key), Material::Es256(point.try_into().unwrap()));
    // A.2: the EC private key, for encryption.
    let private_ec = json!({"keys": [{"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y,
        "d": "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE", "use": "enc", "kid": "1"}]});
    assert_eq!(
        entries(&private_ec.to_string()),
        [Err(rule(Reason::UseNotSig))]
    );
    let signing = with(&private_ec["keys"][0], "use", Some(json!("sig")));
    assert!(parse(&signing).unwrap().has_private_members());
    // A.3: symmetric keys, one for key wrapping, one without `alg`.
    let symmetric = json!({"keys": [
        {"kty": "oct", "alg": "A128KW", "k": "GawgguFyGrWKav7AX4VKUg"},
        {"kty": "oct",
         "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
         "kid": "HMAC key used in JWS spec Appendix A.1 example"}
    ]});
    assert_eq!(
        entries(&symmetric.to_string()),
        [
            Err(rule(Reason::AlgNotForKty { key: Alg::Hs256 })),
            Err(rule(Reason::OctWithoutAlg))
        ]
    );
}

/// A key of tests/vectors/rfc: its name, outcome, kid, and whether it has private members.
type RfcKey = (&'static str, Result<Alg, Error>, Option<&'static str>, bool);

/// The keys of RFC 7515 Appendix A and RFC 7520 §3 (tests/vectors/rfc), each alone and all in
/// one set, with and without their private members.
#[test]
fn rfc7515_and_rfc7520_keys() {
    let doc = common::read_json(&common::vectors("rfc/rfc7515_7520.json"));
    let keys = doc["keys"].as_object().unwrap();
    let bilbo = Some("bilbo.baggins@hobbiton.example");
    let hmac = Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037");
    let expected: [RfcKey; 9] = [
        (
            "rfc7515-A.1-oct",
            Err(rule(Reason::OctWithoutAlg)),
            None,
            false,
        ),
        ("rfc7515-A.2-RSA-2048", Ok(Alg::Rs256), None, true),
        ("rfc7515-A.3-EC-P256", Ok(Alg::Es256), None, true),
        (
            "rfc7515-A.4-EC-P521",
            Err(rule(Reason::UnsupportedCrv)),
            None,
            true,
        ),
        (
            "rfc7520-3.1-EC-P521-public",
            Err(rule(Reason::UnsupportedCrv)),
            bilbo,
            false,
        ),
        (
            "rfc7520-3.2-EC-P521-private",
            Err(rule(Reason::UnsupportedCrv)),
            bilbo,
            true,
        ),
        ("rfc7520-3.3-RSA-2048-public", Ok(Alg::Rs256), bilbo, false),
        ("rfc7520-3.4-RSA-2048-private", Ok(Alg::Rs256), bilbo, true),
        ("rfc7520-3.5-oct-HS256", Ok(Alg::Hs256), hmac, false),
    ];
    let names: Vec<&str> = keys.keys().map(String::as_str).collect();
    let mut listed: Vec<&str> = expected.iter().map(|(name, ..)| *name).collect();
    listed.sort_unstable();
    let mut names_sorted = names.clone();
    names_sorted.sort_unstable();
    assert_eq!(names_sorted, listed, "keys in tests/vectors/rfc");
    for (name, outcome, kid_text, private) in &expected {
        let value = &keys[*name];
        let parsed = parse(value);
        assert_eq!(parsed.map(|k| k.alg()), *outcome, "{name}");
        let Ok(key) = parsed else { continue };
        assert_eq!(kid(&key).as_deref(), *kid_text, "{name}");
        assert_eq!(key.has_private_members(), *private, "{name}");
        assert_eq!(material(&key), expected_material(value), "{name}");
        // The public members alone: the same key.
        let public: serde_json::Map<String, Value> = value
            .as_object()
            .unwrap()
            .iter()
            .filter(|(m, _)| !["d", "p", "q", "dp", "dq", "qi"].contains(&m.as_str()))
            .map(|(m, v)| (m.clone(), v.clone()))
            .collect();
        let public = parse(&Value::Object(public)).unwrap();
        assert!(!public.has_private_members());
        assert_eq!(material(&public), material(&key), "{name}");
    }
    // RFC 7515 A.1's secret is provisioned once its algorithm is named: 64 bytes.
    let named = with(&keys["rfc7515-A.1-oct"], "alg", Some(json!("HS256")));
    assert_eq!(parse(&named).map(|k| k.material_len()), Ok(64));
    // RFC 7520 §3.3 and §3.4 are the same public key.
    assert_eq!(
        material(&parse(&keys["rfc7520-3.3-RSA-2048-public"]).unwrap()),
        material(&parse(&keys["rfc7520-3.4-RSA-2048-private"]).unwrap())
    );
    // All of them as one set, in the file's order: each entry as alone.
    let set = json!({"keys": names.iter().map(|n| keys[*n].clone()).collect::<Vec<_>>()});
    let alone: Vec<_> = names
        .iter()
        .map(|n| parse(&keys[*n]).map(|k| (k.alg(), kid(&k))))
        .collect();
    assert_eq!(entries(&set.to_string()), alone);
    // The vectors' `public_jwk`s are their keys' public halves.
    for vector in doc["vectors"].as_array().unwrap() {
        let (Some(key), Some(public)) = (vector.get("key"), vector.get("public_jwk")) else {
            continue;
        };
        if key.is_null() {
            continue;
        }
        let name = &vector["name"];
        match (parse(key), parse(public)) {
            (Ok(key), Ok(public)) => {
                assert_eq!(material(&key), material(&public), "{name}");
                assert!(!public.has_private_members(), "{name}");
            }
            (key, public) => assert_eq!(key.err(), public.err(), "{name}"),
        }
    }
}

/// RFC 8037 A.2's public key.
#[cfg(feature = "eddsa")]
fn okp() -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
}

#[cfg(feature = "eddsa")]
#[test]
fn okp_ed25519_keys() {
    use tokengate::jwk::Material;
    // Without `alg`, and with either name of EdDSA: the same key, bound to EdDSA.
    for alg in [None, Some("EdDSA"), Some("Ed25519")] {
        let value = with(&okp(), "alg", alg.map(|a| json!(a)));
        let text: &'static str = Box::leak(value.to_string().into_boxed_str());
        let jwk = jwk::parse(text).unwrap();
        assert_eq!(jwk.alg(), Alg::EdDsa, "{alg:?}");
        assert_eq!(jwk.material_len(), 0);
        let Ok(Material::Ed25519(x)) = jwk.material(&mut []) else {
            panic!("{alg:?}: not Ed25519 material");
        };
        assert_eq!(b64(&x), common::ED25519_X);
        let key = common::key_of(&jwk).unwrap();
        assert_eq!(key.alg(), Alg::EdDsa);
        assert_eq!(key.validate(), Ok(()));
    }
    // Another algorithm, or Ed448 named as one.
    for alg in ["ES256", "Ed448", "EDDSA", "eddsa", "HS256", "none"] {
        let value = with(&okp(), "alg", Some(json!(alg)));
        assert_eq!(
            refusal(&value),
            rule(Reason::AlgNotForKty { key: Alg::EdDsa }),
            "{alg}"
        );
    }
    // Curves other than Ed25519.
    for crv in ["Ed448", "X25519", "X448", "ed25519", "P-256", ""] {
        let value = with(&okp(), "crv", Some(json!(crv)));
        assert_eq!(refusal(&value), rule(Reason::UnsupportedOkpCrv), "{crv}");
    }
    assert_eq!(
        Reason::UnsupportedOkpCrv.to_string(),
        "an OKP key's `crv` is not Ed25519 (Ed448 is not supported; X25519 and X448 do not sign)"
    );
    assert_eq!(refusal(&with(&okp(), "crv", None)), missing("crv"));
    assert_eq!(refusal(&with(&okp(), "x", None)), missing("x"));
    // `x` of 31 or 33 bytes, not base64url, or padded.
    for x in [
        b64(&[9; 31]),
        b64(&[9; 33]),
        "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=".to_owned(),
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo".to_owned(),
    ] {
        let value = with(&okp(), "x", Some(json!(x)));
        assert_eq!(refusal(&value), invalid("x"), "{x}");
    }
    // The all-zero key, the identity (small order), and a non-canonical y (p + 3).
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xf0;
    non_canonical[31] = 0x7f;
    for bytes in [[0u8; 32], identity, non_canonical] {
        let value = with(&okp(), "x", Some(json!(b64(&bytes))));
        assert_eq!(refusal(&value), Error::InvalidKey, "{bytes:?}");
    }
    // `y` and `d` are not read; `d` is noticed as a private member.
    let private = with(
        &okp(),
        "d",
        Some(json!("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")),
    );
    let text: &'static str = Box::leak(private.to_string().into_boxed_str());
    assert!(jwk::parse(text).unwrap().has_private_members());
}
