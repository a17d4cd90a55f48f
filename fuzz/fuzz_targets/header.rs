//! The header layer alone: tokengate's verdict on arbitrary bytes must be the one the rules of
//! README.md give on serde_json's reading of them, and an accepted header must say what
//! serde_json reads.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate_fuzz::oracle::{self, Json};

fuzz_target!(|json: &[u8]| {
    let mut scratch = vec![0u8; json.len()];
    let ours = tokengate::fuzzing::header(json, &mut scratch);
    let theirs = std::str::from_utf8(json).ok().and_then(oracle::parse);
    let verdict = oracle::header_verdict(theirs.as_ref());
    match (ours, verdict) {
        (Ok(header), Ok(())) => {
            let theirs = theirs.unwrap();
            let member = |name| theirs.member(name).and_then(Json::as_str);
            // RFC 9864's `Ed25519` is read as EdDSA, whose name is "EdDSA".
            let alg = match member("alg") {
                Some("Ed25519") => Some("EdDSA"),
                other => other,
            };
            assert_eq!(alg, Some(header.alg().name()));
            assert_eq!(member("kid"), header.kid());
            assert_eq!(member("typ"), header.typ());
        }
        (Err(e), Err(why)) => assert!(
            oracle::header_error_explained(e, theirs.as_ref()),
            "{e:?} but the rules say: {why}"
        ),
        (ours, verdict) => panic!("tokengate: {ours:?}, rules: {verdict:?}"),
    }
});
