//! Tokens minted by a third-party JOSE implementation (PyJWT; generator:
//! tests/data/make_tokens.py, output committed as tests/data/pyjwt_tokens.json) verified with
//! the sample keys, each with the exact outcome the generator recorded.
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

use serde_json::Value;
use tokengate::{Alg, Buffers, Error, Expected, Key, Part, Policy, Verifier};

fn expected_error(case: &Value) -> Option<Error> {
    let u = |f: &str| case[f].as_u64().unwrap();
    let now = common::NOW;
    Some(match case["expect"].as_str().unwrap() {
        "ok" => return None,
        "Expired" => Error::Expired { now, exp: u("exp") },
        "NotYetValid" => Error::NotYetValid { now, nbf: u("nbf") },
        "IssuedInFuture" => Error::IssuedInFuture { now, iat: u("iat") },
        "WrongIssuer" => Error::WrongIssuer,
        "WrongAudience" => Error::WrongAudience,
        "MissingScope" => Error::MissingScope,
        "MissingMember" => Error::MissingMember {
            part: Part::Claims,
            name: match case["member"].as_str().unwrap() {
                "exp" => "exp",
                other => panic!("member {other}"),
            },
        },
        other => panic!("unknown expectation {other}"),
    })
}

#[test]
fn pyjwt_tokens() {
    let doc = common::read_json(&common::data("pyjwt_tokens.json"));
    assert_eq!(doc["now"].as_u64(), Some(common::NOW));
    let keys = common::samples().keys();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let mut policy = Policy::new(
            Expected::Exactly(common::ISS),
            Expected::Exactly(common::AUD),
        )
        .with_scopes(&["door:open"]);
        if let Some(typ) = case["typ"].as_str() {
            policy = policy.with_typ(Box::leak(typ.to_owned().into_boxed_str()));
        }
        let verifier = Verifier::new(keys, policy);
        let mut buffers = Buffers::<2048>::new();
        let outcome = verifier.verify(token, common::NOW, &mut buffers);
        match expected_error(case) {
            None => {
                let v = outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(v.claims().iss(), Some(common::ISS), "{name}");
                assert!(v.claims().aud().contains(common::AUD), "{name}");
                assert!(v.has_scope("door:open"), "{name}");
                assert_eq!(
                    v.claims().iat().map(|d| d.seconds()),
                    Some(1_767_225_600),
                    "{name}"
                );
                if let Some(alg) = case["alg"].as_str() {
                    let want = match alg {
                        "ES256" => Alg::Es256,
                        "RS256" => Alg::Rs256,
                        _ => Alg::Hs256,
                    };
                    assert_eq!(v.header().alg(), want, "{name}");
                }
            }
            Some(err) => assert_eq!(outcome.map(|_| ()), Err(err), "{name}"),
        }
        ran += 1;
    }
    eprintln!("{}: {ran} tokens", doc["generator"]);
    assert_eq!(ran, 27);
}

#[test]
fn sample_tokens_verify() {
    let keys = common::samples().keys();
    let verifier = Verifier::new(
        keys,
        Policy::new(
            Expected::Exactly(common::ISS),
            Expected::Exactly(common::AUD),
        )
        .with_scopes(&["door:open"]),
    );
    for name in ["es256", "rs256-2048", "rs256-3072", "rs256-4096", "hs256"] {
        let token = std::fs::read_to_string(common::data(&format!("tokens/{name}.jwt"))).unwrap();
        let mut buffers: Buffers = Buffers::new();
        let v = verifier
            .verify(token.trim(), common::NOW, &mut buffers)
            .unwrap();
        assert_eq!(v.claims().sub(), Some("device-operator"), "{name}");
        assert_eq!(v.claims().jti(), Some("sample-1"), "{name}");
        assert_eq!(
            v.claims().scopes().iter().collect::<Vec<_>>(),
            ["door:open", "door:status"]
        );
    }
}

/// Every algorithm beyond ES256, RS256 and HS256, minted by PyJWT (the `Ed25519`-named token by
/// pyca/cryptography, which PyJWT does not name)
/// (tests/data/make_alg_tokens.py, output committed as tests/data/pyjwt_algorithms.json): each
/// token verifies with the sample key provisioned for its algorithm under its `kid`, and the
/// same key material provisioned for another algorithm refuses it with `AlgMismatch`.
#[test]
fn pyjwt_every_algorithm() {
    let doc = common::read_json(&common::data("pyjwt_algorithms.json"));
    assert_eq!(doc["now"].as_u64(), Some(common::NOW));
    let mut keys: Vec<Key<'static>> = Vec::new();
    for alg in [Alg::Rs384, Alg::Rs512, Alg::Ps256, Alg::Ps384, Alg::Ps512] {
        for bits in [2048, 3072, 4096] {
            let kid = format!("{}-{bits}-test", alg.name().to_lowercase());
            keys.push(common::rsa_key(bits, alg).with_kid(common::leak(kid)));
        }
    }
    keys.push(Key::es384(common::es384_key()).with_kid("es384-test"));
    keys.push(common::ed25519_key().with_kid("ed25519-test"));
    keys.push(common::hs384_key().with_kid("hs384-test"));
    keys.push(common::hs512_key().with_kid("hs512-test"));
    keys.extend_from_slice(common::samples().keys());
    let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
    let verifier = Verifier::new(
        keys,
        Policy::new(
            Expected::Exactly(common::ISS),
            Expected::Exactly(common::AUD),
        )
        .with_scopes(&["door:open"]),
    );
    let mut per_alg = std::collections::BTreeMap::<&str, usize>::new();
    let mut mismatches = 0;
    for case in doc["cases"].as_array().unwrap() {
        let alg = case["alg"].as_str().unwrap();
        let kid = case["kid"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let mut buffers = Buffers::<2048>::new();
        let outcome = verifier.verify(token, common::NOW, &mut buffers);
        match case["expect"].as_str().unwrap() {
            "ok" => {
                let v = outcome.unwrap_or_else(|e| panic!("{alg} {kid}: {e}"));
                // `Ed25519` is read as EdDSA, whose name is "EdDSA".
                let name = if alg == "Ed25519" { "EdDSA" } else { alg };
                assert_eq!(v.header().alg().name(), name, "{kid}");
                assert_eq!(v.header().kid(), Some(kid));
                assert!(v.has_scope("door:open"), "{kid}");
                *per_alg.entry(v.header().alg().name()).or_default() += 1;
            }
            "AlgMismatch" => {
                let bound = keys.iter().find(|k| k.kid() == Some(kid)).unwrap().alg();
                let token_alg = [
                    Alg::Rs256,
                    Alg::Rs384,
                    Alg::Ps256,
                    Alg::Ps384,
                    Alg::Hs256,
                    Alg::Es384,
                    Alg::EdDsa,
                ]
                .into_iter()
                .find(|a| a.name() == alg)
                .unwrap();
                assert_eq!(
                    outcome.map(|_| ()),
                    Err(Error::AlgMismatch {
                        token: token_alg,
                        key: bound
                    }),
                    "{alg} {kid}"
                );
                mismatches += 1;
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    let want: std::collections::BTreeMap<&str, usize> = [
        ("EdDSA", 2),
        ("ES384", 1),
        ("HS384", 1),
        ("HS512", 1),
        ("PS256", 3),
        ("PS384", 3),
        ("PS512", 3),
        ("RS384", 3),
        ("RS512", 3),
    ]
    .into_iter()
    .collect();
    assert_eq!(per_alg, want);
    assert_eq!(mismatches, 6);
}
