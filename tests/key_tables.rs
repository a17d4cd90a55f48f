//! ES256 key tables (`Es256KeyTable`, `Key::es256_table`): no table verifies a signature its
//! point would not.
//!
//! `Es256KeyTable::new(&sec1)` is the only constructor and computes the table from the point, so
//! a table of key B under key A's point, an all-zero or all-0xFF table, a table with an entry off
//! the curve or with one flipped word cannot be built: no constructor takes table entries, and
//! the compile-fail doctests in src/es256.rs keep it so. What a caller supplies is the point;
//! those shapes there are refused with `InvalidKey`, exactly as a plain `Es256Key` refuses them.
//!
//! Run with the default features and with `es256-p256` (which verifies table keys on the `p256`
//! crate from their point and stores no table).
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

use common::{AUD, ISS, NOW, Signer, mint};
use serde_json::Value;
use tokengate::{Buffers, Error, Es256Key, Es256KeyTable, Expected, Key, Policy, Verifier};

mod sample {
    #![allow(dead_code, unreachable_pub)]
    include!("data/keys/sample_keys.rs");
}

/// Built by the compiler, in this crate as firmware would.
static SAMPLE_TABLE: Es256KeyTable = match Es256KeyTable::new(&sample::ES256_SEC1) {
    Ok(table) => table,
    Err(_) => panic!("the sample key is a P-256 point"),
};

const CLAIMS: &str = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;
const HEADER: &str = r#"{"alg":"ES256","kid":"es256-test"}"#;

fn check(keys: Vec<Key<'static>>, token: &str) -> Result<(), Error> {
    let keys = Box::leak(keys.into_boxed_slice());
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    verifier
        .verify(token, NOW, &mut Buffers::<2048>::new())
        .map(|_| ())
}

/// Key B: not the sample key.
fn other_key() -> (p256::ecdsa::SigningKey, [u8; 65]) {
    let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let sec1: [u8; 65] = key
        .verifying_key()
        .to_sec1_point(false)
        .as_bytes()
        .try_into()
        .unwrap();
    (key, sec1)
}

/// `message` signed by `key`, `r ‖ s`.
fn sign(key: &p256::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    use p256::ecdsa::signature::Signer as _;
    let signature: p256::ecdsa::Signature = key.sign(message);
    signature.to_bytes().to_vec()
}

#[test]
fn a_const_table_verifies_the_sample_token() {
    assert_eq!(SAMPLE_TABLE.sec1(), &sample::ES256_SEC1);
    let key = Key::es256_table(&SAMPLE_TABLE).with_kid(sample::ES256_KID);
    assert_eq!(key.validate(), Ok(()));
    let token = mint(Signer::Es256, HEADER, CLAIMS);
    assert_eq!(check(vec![key], &token), Ok(()));
    // One flipped bit of the signature.
    let (input, signature) = token.rsplit_once('.').unwrap();
    use base64ct::Encoding as _;
    let mut signature = base64ct::Base64UrlUnpadded::decode_vec(signature).unwrap();
    signature[40] ^= 0x10;
    let tampered = format!("{input}.{}", common::b64(&signature));
    assert_eq!(check(vec![key], &tampered), Err(Error::BadSignature));
}

/// Key B's table provisioned under key A's kid is key B: it refuses A's tokens and signatures
/// exactly as B's plain key does, and carries B's point, not A's.
#[test]
fn another_keys_table_is_that_key() {
    let (b, b_sec1) = other_key();
    let b_table = common::leak(Es256KeyTable::<32>::new(&b_sec1).unwrap());
    assert_eq!(b_table.sec1(), &b_sec1);
    assert_ne!(b_table.sec1(), &sample::ES256_SEC1);
    let b_plain = Key::es256(common::leak(Es256Key::new(&b_sec1).unwrap()));
    let under_a = Key::es256_table(b_table).with_kid(sample::ES256_KID);
    assert_eq!(under_a.validate(), Ok(()));

    // A's token, under A's kid: refused.
    let token = mint(Signer::Es256, HEADER, CLAIMS);
    assert_eq!(check(vec![under_a], &token), Err(Error::BadSignature));
    assert_eq!(
        check(vec![b_plain.with_kid(sample::ES256_KID)], &token),
        Err(Error::BadSignature)
    );

    // The signature layer: A's signature is refused, B's verifies, as with B's plain key.
    let message = b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkb29yIn0";
    let by_a = common::sign(Signer::Es256, message);
    let by_b = sign(&b, message);
    for key in [under_a, b_plain] {
        assert_eq!(
            key.verify_signature(message, &by_a),
            Err(Error::BadSignature)
        );
        assert_eq!(key.verify_signature(message, &by_b), Ok(()));
    }
}

/// A point the table would be computed from: the shapes of a forged table (all zero, all
/// 0xFF, off the curve, one flipped word) as the one input a caller controls.
struct BadPoint {
    name: &'static str,
    sec1: [u8; 65],
    /// `04` prefix and both coordinates below `p`: what `Es256Key::new` checks.
    encoding_valid: bool,
}

fn bad_points() -> Vec<BadPoint> {
    let good = sample::ES256_SEC1;
    let with = |f: &dyn Fn(&mut [u8; 65])| {
        let mut p = good;
        f(&mut p);
        p
    };
    let mut zero_xy = [0u8; 65];
    zero_xy[0] = 4;
    let mut ff_xy = [0xffu8; 65];
    ff_xy[0] = 4;
    vec![
        BadPoint {
            name: "all zero",
            sec1: [0; 65],
            encoding_valid: false,
        },
        BadPoint {
            name: "all 0xFF",
            sec1: [0xff; 65],
            encoding_valid: false,
        },
        BadPoint {
            name: "04, then zero coordinates",
            sec1: zero_xy,
            encoding_valid: true,
        },
        BadPoint {
            name: "04, then 0xFF coordinates (above p)",
            sec1: ff_xy,
            encoding_valid: false,
        },
        BadPoint {
            name: "y off by one bit",
            sec1: with(&|p| p[64] ^= 1),
            encoding_valid: true,
        },
        BadPoint {
            name: "one flipped word of x",
            sec1: with(&|p| p[5..9].iter_mut().for_each(|b| *b = !*b)),
            encoding_valid: true,
        },
        BadPoint {
            name: "compressed prefix",
            sec1: with(&|p| p[0] = 2),
            encoding_valid: false,
        },
    ]
}

/// Tables of every size refuse each bad point with `InvalidKey` (with `es256-p256`, which
/// checks the encoding in `new`: at `validate` and on every use), and never verify a signature.
#[test]
fn bad_points_have_no_table() {
    let message = b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkb29yIn0";
    let genuine = common::sign(Signer::Es256, message);
    let token = mint(Signer::Es256, HEADER, CLAIMS);
    for bad in bad_points() {
        let name = bad.name;
        // The plain key: the encoding at `new`, the curve at `validate` and on use.
        match Es256Key::new(&bad.sec1) {
            Ok(plain) => {
                assert!(bad.encoding_valid, "{name}");
                let key = Key::es256(common::leak(plain));
                assert_eq!(key.validate(), Err(Error::InvalidKey), "{name}");
                assert_eq!(
                    key.verify_signature(message, &genuine),
                    Err(Error::InvalidKey),
                    "{name}"
                );
            }
            Err(e) => {
                assert!(!bad.encoding_valid, "{name}");
                assert_eq!(e, Error::InvalidKey, "{name}");
            }
        }
        refused::<16>(&bad, message, &genuine, &token);
        refused::<32>(&bad, message, &genuine, &token);
        refused::<64>(&bad, message, &genuine, &token);
        refused::<128>(&bad, message, &genuine, &token);
    }
}

#[cfg(not(feature = "es256-p256"))]
fn refused<const POINTS: usize>(bad: &BadPoint, _: &[u8], _: &[u8], _: &str) {
    assert_eq!(
        Es256KeyTable::<POINTS>::new(&bad.sec1).map(|_| ()),
        Err(Error::InvalidKey),
        "{}, {POINTS} points",
        bad.name
    );
}

#[cfg(feature = "es256-p256")]
fn refused<const POINTS: usize>(bad: &BadPoint, message: &[u8], genuine: &[u8], token: &str) {
    let name = bad.name;
    let table = Es256KeyTable::<POINTS>::new(&bad.sec1);
    if !bad.encoding_valid {
        assert_eq!(table.map(|_| ()), Err(Error::InvalidKey), "{name}");
        return;
    }
    let key = Key::es256_table(common::leak(table.unwrap())).with_kid(sample::ES256_KID);
    assert_eq!(key.validate(), Err(Error::InvalidKey), "{name}");
    assert_eq!(
        key.verify_signature(message, genuine),
        Err(Error::InvalidKey),
        "{name}"
    );
    assert_eq!(check(vec![key], token), Err(Error::InvalidKey), "{name}");
}

/// With `es256-p256` a table stores only its point; otherwise the point and `POINTS` entries
/// of 64 bytes.
#[test]
fn table_sizes() {
    use core::mem::size_of;
    #[cfg(feature = "es256-p256")]
    let expected = |_points: usize| 65;
    #[cfg(not(feature = "es256-p256"))]
    let expected = |points: usize| 64 * points + 68;
    assert_eq!(size_of::<Es256KeyTable<16>>(), expected(16));
    assert_eq!(size_of::<Es256KeyTable>(), expected(32));
    assert_eq!(size_of::<Es256KeyTable<64>>(), expected(64));
    assert_eq!(size_of::<Es256KeyTable<128>>(), expected(128));
}

/// Every Wycheproof ECDSA P-256 P1363 case: tables of every size give the plain key's verdict
/// (tests/wycheproof.rs checks those verdicts against the labels).
#[test]
fn wycheproof_p1363_tables_of_every_size_agree_with_the_plain_key() {
    let doc = common::read_json(&common::vectors(
        "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
    ));
    let hex = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
    let (mut cases, mut verified) = (0, 0);
    for group in doc["testGroups"].as_array().unwrap() {
        let sec1: [u8; 65] = hex(&group["publicKey"]["uncompressed"]).try_into().unwrap();
        let plain = Key::es256(common::leak(Es256Key::new(&sec1).unwrap()));
        let tables = [
            Key::es256_table(common::leak(Es256KeyTable::<16>::new(&sec1).unwrap())),
            Key::es256_table(common::leak(Es256KeyTable::<32>::new(&sec1).unwrap())),
            Key::es256_table(common::leak(Es256KeyTable::<64>::new(&sec1).unwrap())),
            Key::es256_table(common::leak(Es256KeyTable::<128>::new(&sec1).unwrap())),
        ];
        for case in group["tests"].as_array().unwrap() {
            let (message, signature) = (hex(&case["msg"]), hex(&case["sig"]));
            let outcome = plain.verify_signature(&message, &signature);
            for (table, points) in tables.iter().zip([16, 32, 64, 128]) {
                assert_eq!(
                    table.verify_signature(&message, &signature),
                    outcome,
                    "tcId {}, {points} points",
                    case["tcId"]
                );
            }
            cases += 1;
            verified += usize::from(outcome.is_ok());
        }
    }
    assert_eq!((cases, verified), (262, 173));
}
