//! Prepared HMAC keys (`Hs256Prepared`, `Hs384Prepared`, `Hs512Prepared`: the hash states after
//! the secret's padding blocks) against keys holding the secret's bytes: the same construction
//! errors, the same verdict on every Wycheproof HMAC case of every tag size, and the same
//! outcome for whole tokens through a `Verifier`, exact errors included.
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

use common::{AUD, HS384_SECRET, HS512_SECRET, ISS, NOW, Signer, mint};
use serde_json::Value;
use tokengate::{
    Buffers, Error, Expected, Hs256Key, Hs256Prepared, Hs384Key, Hs384Prepared, Hs512Key,
    Hs512Prepared, Key, Policy, Verifier,
};

fn hex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

/// Both keys of one secret, or both construction errors (which must be equal).
type Pair = fn(&'static [u8]) -> Result<(Key<'static>, Key<'static>), (Error, Error)>;

fn pair<K, P: 'static>(
    secret: &'static [u8],
    key: impl Fn(&'static [u8]) -> Result<K, Error>,
    prepared: impl Fn(&'static [u8]) -> Result<P, Error>,
    wrap: impl Fn(K) -> Key<'static>,
    lend: impl Fn(&'static P) -> Key<'static>,
) -> Result<(Key<'static>, Key<'static>), (Error, Error)> {
    match (key(secret), prepared(secret)) {
        (Ok(k), Ok(p)) => Ok((wrap(k), lend(common::leak(p)))),
        (Err(a), Err(b)) => Err((a, b)),
        (k, p) => panic!(
            "secret of {} bytes: bytes key {:?}, prepared {:?}",
            secret.len(),
            k.map(|_| ()),
            p.map(|_| ())
        ),
    }
}

fn hs256(secret: &'static [u8]) -> Result<(Key<'static>, Key<'static>), (Error, Error)> {
    pair(secret, Hs256Key::new, Hs256Prepared::new, Key::hs256, |p| {
        Key::hs256_prepared(p)
    })
}

fn hs384(secret: &'static [u8]) -> Result<(Key<'static>, Key<'static>), (Error, Error)> {
    pair(secret, Hs384Key::new, Hs384Prepared::new, Key::hs384, |p| {
        Key::hs384_prepared(p)
    })
}

fn hs512(secret: &'static [u8]) -> Result<(Key<'static>, Key<'static>), (Error, Error)> {
    pair(secret, Hs512Key::new, Hs512Prepared::new, Key::hs512, |p| {
        Key::hs512_prepared(p)
    })
}

/// Every case of a Wycheproof HMAC file, every tag size, through both keys. Returns how many
/// cases both accepted, both refused, and how many secrets both refused at construction.
fn wycheproof(name: &str, keys: Pair) -> (usize, usize, usize) {
    let doc = common::read_json(&common::vectors(&format!("wycheproof/{name}")));
    let (mut accepted, mut refused, mut short) = (0, 0, 0);
    for group in doc["testGroups"].as_array().unwrap() {
        for case in group["tests"].as_array().unwrap() {
            let secret: &'static [u8] = Box::leak(hex(&case["key"]).into_boxed_slice());
            let (bytes, prepared) = match keys(secret) {
                Ok(both) => both,
                Err((a, b)) => {
                    assert_eq!(a, b, "{name} tcId {}", case["tcId"]);
                    assert!(matches!(a, Error::SecretTooShort { .. }), "{a:?}");
                    short += 1;
                    continue;
                }
            };
            let (msg, tag) = (hex(&case["msg"]), hex(&case["tag"]));
            let outcome = bytes.verify_signature(&msg, &tag);
            assert_eq!(
                prepared.verify_signature(&msg, &tag),
                outcome,
                "{name} tcId {}",
                case["tcId"]
            );
            // The prepared key is reusable: a second call gives the same verdict.
            assert_eq!(prepared.verify_signature(&msg, &tag), outcome);
            match outcome {
                Ok(()) => accepted += 1,
                Err(_) => refused += 1,
            }
        }
    }
    (accepted, refused, short)
}

/// The counts are those of tests/wycheproof.rs over all tag sizes: 30 valid full-length tags
/// accepted per file, everything else (invalid tags, truncated tags) refused.
#[test]
fn wycheproof_hmac_sha256() {
    let (accepted, refused, short) = wycheproof("hmac_sha256_test.json", hs256);
    assert_eq!(accepted, 30);
    assert!(refused > 54, "{refused}");
    assert!(short > 0);
}

#[test]
fn wycheproof_hmac_sha384() {
    let (accepted, refused, short) = wycheproof("hmac_sha384_test.json", hs384);
    assert_eq!(accepted, 30);
    assert!(refused > 54, "{refused}");
    assert!(short > 0);
}

#[test]
fn wycheproof_hmac_sha512() {
    let (accepted, refused, short) = wycheproof("hmac_sha512_test.json", hs512);
    assert_eq!(accepted, 30);
    assert!(refused > 54, "{refused}");
    assert!(short > 0);
}

/// Short secrets: the same error from both constructors, at every length below the minimum.
#[test]
fn short_secrets_are_refused_alike() {
    let secret: &'static [u8] = &[7u8; 64];
    for (min, keys) in [(32, hs256 as Pair), (48, hs384), (64, hs512)] {
        for len in 0..min {
            let (a, b) = keys(&secret[..len]).map(|_| ()).unwrap_err();
            assert_eq!(a, Error::SecretTooShort { len, min });
            assert_eq!(b, a);
        }
        assert!(keys(&secret[..min]).is_ok());
    }
}

/// Whole tokens through a verifier holding the prepared key: the valid token's claims, and the
/// exact errors of a bad signature, a truncated tag and another algorithm's token.
#[test]
fn tokens_through_a_verifier() {
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let hs256_secret = common::samples().hs256_secret();
    for (signer, header, secret, keys) in [
        (
            Signer::Hs256,
            r#"{"alg":"HS256"}"#,
            hs256_secret,
            hs256 as Pair,
        ),
        (
            Signer::Hs384,
            r#"{"alg":"HS384"}"#,
            &HS384_SECRET[..],
            hs384,
        ),
        (
            Signer::Hs512,
            r#"{"alg":"HS512"}"#,
            &HS512_SECRET[..],
            hs512,
        ),
    ] {
        let (bytes, prepared) = keys(secret).unwrap();
        let policy = Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD));
        let by_bytes = Verifier::new(common::leak([bytes]), policy);
        let by_prepared = Verifier::new(common::leak([prepared]), policy);
        let token = mint(signer, header, claims);
        let (signed, tag) = token.rsplit_once('.').unwrap();
        let mut flipped = tag.to_owned().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        let flipped = format!("{signed}.{}", String::from_utf8(flipped).unwrap());
        let truncated = format!("{signed}.{}", &tag[..tag.len() / 2 / 4 * 4]);
        let other = mint(Signer::Es256, r#"{"alg":"ES256"}"#, claims);
        for (case, token) in [
            ("valid", &token),
            ("flipped", &flipped),
            ("truncated", &truncated),
            ("other alg", &other),
        ] {
            let a = by_bytes
                .verify(token, NOW, &mut Buffers::<1024>::new())
                .map(|v| v.claims().exp().map(|t| t.seconds()));
            let b = by_prepared
                .verify(token, NOW, &mut Buffers::<1024>::new())
                .map(|v| v.claims().exp().map(|t| t.seconds()));
            assert_eq!(a, b, "{signer:?} {case}");
            match case {
                "valid" => assert_eq!(a, Ok(Some(4_102_444_800))),
                "flipped" => assert_eq!(a, Err(Error::BadSignature)),
                _ => assert!(a.is_err(), "{signer:?} {case}"),
            }
        }
    }
}

/// What a prepared key costs in RAM: the two hash states, the MAC's block buffer and the
/// secret's length (README, "Device speed").
#[test]
fn prepared_keys_are_small() {
    // Two SHA-256 states of 40 bytes, a 64-byte block buffer and its position, the length.
    assert!(
        size_of::<Hs256Prepared>() <= 152,
        "{}",
        size_of::<Hs256Prepared>()
    );
    // Two SHA-512 states of 80 bytes, a 128-byte block buffer, the length.
    assert!(size_of::<Hs384Prepared>() <= 304);
    assert!(size_of::<Hs512Prepared>() <= 304);
}
