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
use tokengate::{Alg, Buffers, Error, Expected, Part, Policy, Verifier};

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
