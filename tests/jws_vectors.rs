//! JWS-level vectors through the full token API: Wycheproof `json_web_signature_test.json` and
//! the RFC 7515 / 7519 / 7520 / 7797 and RFC 8037 (EdDSA) examples (tests/vectors/rfc).
//!
//! Wycheproof's JWS payloads are mostly not JWT claims (`foo`, empty, binary), so each case runs
//! through [`Verifier::verify_jws`], which is [`Verifier::verify`] without claims and policy:
//! same segment, base64, header, key and signature checks. The RFC examples whose payload is a
//! claims set also run through `verify` with a policy.
//!
//! Labels are trusted except where tests/vectors/README.md documents them as wrong:
//! - tcId 367 and 370 (`invalidBase64Padding*`, labelled invalid) are byte-identical to tcId 357,
//!   a valid token: tokengate accepts them, as it must accept 357.
//! - tcId 372 and 373 (a `?` inserted into a segment, labelled valid) are not base64url; RFC 7515
//!   §2 allows no other characters, so tokengate rejects them ([`Error::Base64`]).
//!
//! - tcId 346 and 350 (RFC 7520 Figure 20, a PS384 token, labelled valid) come with a JWK whose
//!   `alg` is `PS256`. tokengate binds a key to the one algorithm its JWK names (RFC 7517 §4.4,
//!   RFC 8725 §3.1), so the PS384 token finds a PS256 key: [`Error::AlgMismatch`].
//!
//! Valid cases whose `alg` tokengate does not verify (ES512; the file has no ES384 token) are rejected with
//! [`Error::UnsupportedAlg`], and keys that the library's JWK importer refuses (`use: enc`,
//! `key_ops` without `verify`, P-521) are left out of the key set (see `common::jwk_key`), so
//! tokens for them find no key.
//!
//! RFC 7515 A.1's HMAC key (the key of RFC 7519 §3.1 and RFC 7797 §4 too) is printed without
//! `alg`, and the importer refuses an `oct` key without one; the RFC pairs it with HS256 in its
//! text, so these tests provision it with `"alg": "HS256"`, as an operator would write it.
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

use std::collections::BTreeMap;

use serde_json::Value;
use tokengate::jwk::Reason;
use tokengate::{Alg, Buffers, Error, Expected, Key, Part, Policy, Segment, Verifier};

const SUPPORTED: [&str; 10] = [
    "ES256", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "HS256", "HS384", "HS512",
];

fn header_alg(token: &str) -> Option<String> {
    let header = token.split('.').next()?;
    use base64ct::Encoding;
    let bytes = base64ct::Base64UrlUnpadded::decode_vec(header).ok()?;
    let json: Value = serde_json::from_slice(&bytes).ok()?;
    json["alg"].as_str().map(str::to_owned)
}

fn variant(e: &Error) -> String {
    let s = format!("{e:?}");
    s.split([' ', '{', '(']).next().unwrap().to_owned()
}

#[test]
fn wycheproof_json_web_signature() {
    let doc = common::read_json(&common::vectors("wycheproof/json_web_signature_test.json"));
    let any_policy = Policy::new(Expected::Any, Expected::Any);
    let mut ran = 0;
    let mut accepted = 0;
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let jwk = group.get("public").unwrap_or(&group["private"]);
        let keys: Vec<Key<'static>> = common::jwk_key(jwk).into_iter().collect();
        let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
        let verifier = Verifier::new(keys, any_policy);
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            let token = match &case["jws"] {
                Value::String(s) => s.clone(),
                // JSON serialization offered to a compact parser.
                other => other.to_string(),
            };
            let mut buffers = Buffers::<4096>::new();
            let outcome = verifier
                .verify_jws(token.as_bytes(), &mut buffers)
                .map(|_| ());
            let alg = header_alg(&token);
            let supported = alg.as_deref().is_some_and(|a| SUPPORTED.contains(&a));
            match (id, case["result"].as_str().unwrap()) {
                (367 | 370, _) => assert_eq!(outcome, Ok(()), "tcId {id}: identical to valid 357"),
                (372, _) => assert_eq!(
                    outcome,
                    Err(Error::Base64 {
                        segment: Segment::Header
                    })
                ),
                (346 | 350, "valid") => assert_eq!(
                    outcome,
                    Err(Error::AlgMismatch {
                        token: Alg::Ps384,
                        key: Alg::Ps256
                    }),
                    "tcId {id}: a PS384 token, a key bound to PS256"
                ),
                (373, _) => assert_eq!(
                    outcome,
                    Err(Error::Base64 {
                        segment: Segment::Payload
                    })
                ),
                (_, "valid") if !supported => {
                    assert_eq!(outcome, Err(Error::UnsupportedAlg), "tcId {id} alg {alg:?}")
                }
                (_, "valid") => {
                    assert!(!keys.is_empty(), "tcId {id}: key not provisioned");
                    assert_eq!(outcome, Ok(()), "tcId {id} ({})", case["comment"]);
                }
                (_, "invalid") => {
                    assert!(outcome.is_err(), "tcId {id} ({}) accepted", case["comment"])
                }
                (_, other) => panic!("tcId {id}: label {other}"),
            }
            if std::env::var_os("JWS_TRACE").is_some() {
                eprintln!(
                    "tcId {id} {} {} -> {outcome:?}",
                    case["result"], case["comment"]
                );
            }
            match outcome {
                Ok(()) => accepted += 1,
                Err(e) => *errors.entry(variant(&e)).or_default() += 1,
            }
            ran += 1;
        }
    }
    eprintln!(
        "json_web_signature_test.json: {ran} cases, {accepted} accepted, rejections: {errors:?}"
    );
    assert_eq!(ran, 401);
    // 46 labelled valid: 2 with an unsupported alg (ES512) are rejected, 372/373 are rejected,
    // 346/350 (a PS384 token, a PS256 key) are rejected, and 367/370 (mislabelled invalid) are
    // accepted.
    assert_eq!(accepted, 46 - 2 - 2 - 2 + 2);
}

#[test]
fn wycheproof_named_attacks() {
    let doc = common::read_json(&common::vectors("wycheproof/json_web_signature_test.json"));
    let groups = doc["testGroups"].as_array().unwrap();
    let case = |id: u64| -> (Verifier<'static, 'static>, String) {
        for group in groups {
            for case in group["tests"].as_array().unwrap() {
                if case["tcId"] == id {
                    let jwk = group.get("public").unwrap_or(&group["private"]);
                    let keys: Vec<Key<'static>> = common::jwk_key(jwk).into_iter().collect();
                    let keys = Box::leak(keys.into_boxed_slice());
                    let v = Verifier::new(keys, Policy::new(Expected::Any, Expected::Any));
                    return (v, case["jws"].as_str().unwrap().to_owned());
                }
            }
        }
        panic!("no tcId {id}")
    };
    let run = |id: u64| {
        let (v, token) = case(id);
        v.verify_jws(&token, &mut Buffers::<4096>::new())
            .map(|_| ())
    };
    // HS256 MACed with the EC verification key's bytes, kid of the EC key.
    assert_eq!(
        run(31),
        Err(Error::AlgMismatch {
            token: Alg::Hs256,
            key: Alg::Es256
        })
    );
    // Attacker's key embedded as `jwk`, signature by the attacker: the embedded key is ignored.
    assert_eq!(run(32), Err(Error::BadSignature));
    // alg none, missing signature.
    assert_eq!(run(16), Err(Error::AlgNone));
    assert_eq!(run(341), Err(Error::AlgNone));
    assert_eq!(run(342), Err(Error::AlgNone));
    // Missing and extra segments.
    assert_eq!(run(4), Err(Error::SegmentCount));
    assert_eq!(run(14), Err(Error::SegmentCount));
    assert_eq!(
        run(3),
        Err(Error::SignatureLength {
            len: 0,
            expected: 32
        })
    );
    // Modified header changes the kid.
    assert_eq!(run(8), Err(Error::UnknownKid));
}

fn rfc_vectors() -> Vec<Value> {
    let doc = common::read_json(&common::vectors("rfc/rfc7515_7520.json"));
    doc["vectors"].as_array().unwrap().clone()
}

fn rfc_verifier(v: &Value, policy: Policy<'static>) -> Verifier<'static, 'static> {
    let keys: Vec<Key<'static>> = match v.get("public_jwk") {
        Some(jwk) if !jwk.is_null() => rfc_key(v).into_iter().collect(),
        _ => Vec::new(),
    };
    Verifier::new(Box::leak(keys.into_boxed_slice()), policy)
}

/// The key of an RFC example as provisioned: RFC 7515 A.1's HMAC key, refused as printed, with
/// `"alg": "HS256"` (see the top of this file); RFC 7520 §4.2's RSA key (printed without `alg`,
/// which makes it RS256) with `"alg": "PS384"`, the algorithm the RFC uses it with there.
fn rfc_key(v: &Value) -> Result<Key<'static>, Error> {
    let jwk = &v["public_jwk"];
    if v["name"] == "rfc7520-4.2-PS384" {
        assert_eq!(jwk.get("alg"), None);
        assert_eq!(common::jwk_key(jwk).map(|k| k.alg()), Ok(Alg::Rs256));
        let mut bound = jwk.clone();
        bound["alg"] = "PS384".into();
        return common::jwk_key(&bound);
    }
    let doc = common::read_json(&common::vectors("rfc/rfc7515_7520.json"));
    if *jwk != doc["keys"]["rfc7515-A.1-oct"] {
        return common::jwk_key(jwk);
    }
    assert_eq!(
        common::jwk_key(jwk).map(|_| ()),
        Err(Error::Jwk {
            reason: Reason::OctWithoutAlg
        })
    );
    let mut bound = jwk.clone();
    bound["alg"] = "HS256".into();
    common::jwk_key(&bound)
}

#[test]
fn rfc_examples() {
    let joe = Policy::new(Expected::Exactly("joe"), Expected::Any);
    // The RFC 7515 / 7519 claims expire at 1300819380 (2011-03-22T18:43:00Z).
    let then = 1_300_000_000;
    let mut checked = 0;
    for v in rfc_vectors() {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        let verifier = rfc_verifier(&v, joe);
        let mut buffers = Buffers::<2048>::new();
        let jws = verifier.verify_jws(token, &mut buffers).map(|_| ());
        let jwt = verifier.verify(token, then, &mut buffers).map(|_| ());
        let (expect_jws, expect_jwt) = match name {
            "rfc7515-A.1-HS256" | "rfc7515-A.2-RS256" | "rfc7515-A.3-ES256"
            | "rfc7519-3.1-HS256" => (Ok(()), Ok(())),
            "rfc7515-A.4-ES512" | "rfc7520-4.3-ES512" => {
                (Err(Error::UnsupportedAlg), Err(Error::UnsupportedAlg))
            }
            "rfc7515-A.5-none" | "rfc7519-6.1-none" => (Err(Error::AlgNone), Err(Error::AlgNone)),
            "rfc7515-E-crit-none" | "rfc7797-4.2-HS256-b64false-crit-detached" => {
                (Err(Error::CritHeader), Err(Error::CritHeader))
            }
            // Valid signatures over payloads that are not claims sets.
            // RFC 7520 §4.2 is PS384 with the RFC 7520 §3.3 RSA key bound to PS384 by its JWK's
            // `alg` (the vector file's `expected` predates PS384 support: see
            // tests/vectors/README.md).
            "rfc7520-4.1-RS256"
            | "rfc7520-4.2-PS384"
            | "rfc7520-4.4-HS256"
            | "rfc7797-4.1-HS256-b64true" => (Ok(()), Err(Error::Json { part: Part::Claims })),
            // Detached content: the signature is over a payload the token does not carry.
            "rfc7520-4.5-HS256-detached" => (Err(Error::BadSignature), Err(Error::BadSignature)),
            other => panic!("unexpected vector {other}"),
        };
        assert_eq!(jws, expect_jws, "{name} (verify_jws)");
        if name == "rfc7520-4.2-PS384" {
            // The same key as printed (no `alg`: RS256) never verifies it: no RSA key confusion.
            let as_printed = [common::jwk_key(&v["public_jwk"]).unwrap()];
            let verifier = Verifier::new(&as_printed, joe);
            assert_eq!(
                verifier.verify_jws(token, &mut buffers).map(|_| ()),
                Err(Error::AlgMismatch {
                    token: Alg::Ps384,
                    key: Alg::Rs256
                })
            );
        }
        assert_eq!(jwt, expect_jwt, "{name} (verify)");
        assert!(
            v["expected"] == "valid" || jwt.is_err(),
            "{name}: the vector file expects a rejection"
        );
        checked += 1;
    }
    assert_eq!(checked, 15);
}

#[test]
fn rfc_jwts_expire_on_time() {
    let policy = Policy::new(Expected::Exactly("joe"), Expected::Any);
    for v in rfc_vectors() {
        if v["expected"] != "valid" {
            continue;
        }
        let verifier = rfc_verifier(&v, policy);
        let token = v["token"].as_str().unwrap();
        let mut buffers = Buffers::<2048>::new();
        assert_eq!(
            verifier
                .verify(token, 1_300_819_379, &mut buffers)
                .map(|_| ()),
            Ok(()),
            "{}",
            v["name"]
        );
        assert_eq!(
            verifier
                .verify(token, 1_300_819_380, &mut buffers)
                .map(|_| ()),
            Err(Error::Expired {
                now: 1_300_819_380,
                exp: 1_300_819_380
            })
        );
        let other_issuer = Verifier::new(
            verifier.keys(),
            Policy::new(Expected::Exactly("Joe"), Expected::Any),
        );
        assert_eq!(
            other_issuer
                .verify(token, 1_300_000_000, &mut buffers)
                .map(|_| ()),
            Err(Error::WrongIssuer)
        );
        let verified = verifier.verify(token, 1_300_000_000, &mut buffers).unwrap();
        assert_eq!(verified.claims().iss(), Some("joe"));
        assert_eq!(
            verified.claims().exp().map(|d| d.seconds()),
            Some(1_300_819_380)
        );
    }
}

/// RFC 8037 A.4: the Ed25519 JWS, its key imported from the RFC's JWK (A.2, no `alg`: EdDSA),
/// through `verify_jws`; its payload is text, so `verify` refuses it as claims. The same
/// signature under the fully-specified `alg` `Ed25519` (RFC 9864) is over another header, so it
/// is re-signed with the RFC's private key (A.1) and verifies too.
#[test]
fn rfc8037_ed25519() {
    let doc = common::read_json(&common::vectors("rfc/rfc8037.json"));
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 1);
    let v = &vectors[0];
    assert_eq!(v["name"], "rfc8037-A.4-EdDSA");
    let key = common::jwk_key(&v["public_jwk"]).unwrap();
    assert_eq!(key.alg(), Alg::EdDsa);
    key.validate().unwrap();
    let verifier = Verifier::new(
        Box::leak(vec![key].into_boxed_slice()),
        Policy::new(Expected::Any, Expected::Any),
    );
    let token = v["token"].as_str().unwrap();
    let mut buffers = Buffers::<2048>::new();
    let jws = verifier.verify_jws(token, &mut buffers).unwrap();
    assert_eq!(jws.payload(), b"Example of Ed25519 signing");
    assert_eq!(jws.header().alg(), Alg::EdDsa);
    assert_eq!(
        verifier
            .verify(token, 1_700_000_000, &mut buffers)
            .map(|_| ()),
        Err(Error::Json { part: Part::Claims })
    );
    // The RFC's signature is deterministic: re-signing with `d` gives the same bytes.
    let input = token.rsplit_once('.').unwrap().0;
    assert_eq!(
        common::b64(&common::ed25519_sign(input.as_bytes())),
        token.rsplit_once('.').unwrap().1
    );
    let header = common::b64(br#"{"alg":"Ed25519"}"#);
    let input = format!("{header}.{}", input.split_once('.').unwrap().1);
    let signed = format!(
        "{input}.{}",
        common::b64(&common::ed25519_sign(input.as_bytes()))
    );
    let jws = verifier.verify_jws(&signed, &mut buffers).unwrap();
    assert_eq!(jws.header().alg(), Alg::EdDsa);
    // One bit of the RFC's signature changed.
    let mut tampered = token.to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'Q' } else { 'A' });
    assert_eq!(
        verifier.verify_jws(&tampered, &mut buffers).map(|_| ()),
        Err(Error::BadSignature)
    );
}
