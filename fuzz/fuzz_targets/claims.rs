//! The claims layer, two ways: the `fuzzing::claims` entry point against the rules of README.md
//! (registered types, policy) on serde_json's reading; and the same bytes as the payload of an
//! HS256 token signed here, verified with a caller's claims type (`DoorClaims`), which must
//! agree with the layer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate::{Buffers, Error};
use tokengate_fuzz::oracle;
use tokengate_fuzz::setup::{self, CLAIMS, CLAIMS_ORACLE, CLAIMS_POLICY, DoorClaims, NOW};

fuzz_target!(|payload: &[u8]| {
    let mut scratch = vec![0u8; payload.len()];
    let layer = tokengate::fuzzing::claims(payload, &CLAIMS_POLICY, NOW, &mut scratch);
    let theirs = std::str::from_utf8(payload).ok().and_then(oracle::parse);
    let verdict = oracle::claims_verdict(theirs.as_ref(), &CLAIMS_ORACLE, NOW);
    assert_eq!(
        layer.is_ok(),
        verdict.is_ok(),
        "tokengate: {layer:?}, rules: {verdict:?}"
    );

    let token = setup::hs256_token(br#"{"alg":"HS256","kid":"hs256-test"}"#, payload);
    let mut buffers = Buffers::<4096>::new();
    match (
        layer,
        CLAIMS.verify_with_claims::<DoorClaims, 4096>(&token, NOW, &mut buffers),
    ) {
        (Ok(claims), Ok(verified)) => {
            assert_eq!(&claims, verified.claims());
            if let Some(door) = &verified.custom().door {
                let json = theirs.unwrap();
                assert_eq!(
                    json.member("door").and_then(oracle::Json::as_str),
                    Some(door.as_str())
                );
            }
        }
        // The header makes the token larger than the payload alone.
        (_, Err(Error::TooLarge { .. })) => assert!(payload.len() > 4096 - 36),
        (Ok(_), Err(Error::CustomClaims | Error::ScratchTooSmall)) => {}
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("layer: {a:?}, token: {b:?}"),
    }
});
