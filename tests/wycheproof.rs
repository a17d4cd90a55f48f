//! Wycheproof signature vectors through tokengate's own signature layer
//! ([`Key::verify_signature`]): ES256 (P1363), RS256 (2048, 3072, 4096), HS256.
//!
//! How labels map to outcomes:
//! - `valid` must verify, `invalid` must be rejected.
//! - `acceptable` (the RSA `MissingNull` DigestInfo, and the `rsa_pkcs1_*_sig_gen` e=3 keys with
//!   `SmallPublicKey`): tokengate is strict. A DigestInfo without its NULL is a different encoding
//!   from the one RS256 rebuilds and compares, so it is rejected. Keys with e=3 are accepted
//!   (the exponent only has to be odd and at least 3): verification rebuilds the whole
//!   EMSA-PKCS1-v1_5 encoding, so Bleichenbacher's e=3 forgery has nothing to slip through, and
//!   their genuine signatures verify.
//! - HMAC keys under 32 bytes (the 128-bit-key groups) are refused when the key is built
//!   ([`Error::SecretTooShort`]), before any tag is compared.
//!
//! Each test prints how many cases ran and asserts the count, so a vector file that shrinks is
//! noticed.
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
use tokengate::{Error, Es256Key, Es256KeyTable, Hs256Key, Key, RsaPublicKey};

fn file(name: &str) -> Value {
    common::read_json(&common::vectors(&format!("wycheproof/{name}")))
}

fn hex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

#[derive(Default, Debug, PartialEq)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
}

/// Checks one case: `valid` verifies, anything else is rejected.
fn expect(tally: &mut Tally, case: &Value, outcome: Result<(), Error>) {
    let id = &case["tcId"];
    match case["result"].as_str().unwrap() {
        "valid" => {
            assert_eq!(
                outcome,
                Ok(()),
                "tcId {id} ({}) must verify",
                case["comment"]
            );
            tally.valid += 1;
        }
        "invalid" => {
            assert!(
                outcome.is_err(),
                "tcId {id} ({}) must be rejected",
                case["comment"]
            );
            tally.invalid += 1;
        }
        "acceptable" => {
            assert!(
                outcome.is_err(),
                "tcId {id}: tokengate rejects `acceptable` cases"
            );
            tally.acceptable += 1;
        }
        other => panic!("unknown result {other}"),
    }
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let doc = file("ecdsa_secp256r1_sha256_p1363_test.json");
    let mut tally = Tally::default();
    for group in doc["testGroups"].as_array().unwrap() {
        let sec1: [u8; 65] = hex(&group["publicKey"]["uncompressed"]).try_into().unwrap();
        let es = common::leak(Es256Key::new(&sec1).unwrap());
        let key = Key::es256(es);
        key.validate().unwrap();
        // The same key with a precomputed table: the other arithmetic path, same verdicts.
        let table = Key::es256_table(common::leak(Es256KeyTable::<32>::new(&sec1).unwrap()));
        table.validate().unwrap();
        for case in group["tests"].as_array().unwrap() {
            let sig = hex(&case["sig"]);
            let outcome = key.verify_signature(&hex(&case["msg"]), &sig);
            assert_eq!(
                table.verify_signature(&hex(&case["msg"]), &sig),
                outcome,
                "tcId {}: table and plain key disagree",
                case["tcId"]
            );
            if sig.len() != 64 {
                assert_eq!(
                    outcome,
                    Err(Error::SignatureLength {
                        len: sig.len(),
                        expected: 64
                    })
                );
            }
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!("ecdsa_secp256r1_sha256_p1363_test.json: {tally:?}");
    assert_eq!(
        tally,
        Tally {
            valid: 173,
            invalid: 89,
            acceptable: 0
        }
    );
}

#[test]
fn ecdsa_der_signatures_are_never_es256() {
    // The DER file's signatures are valid ECDSA, but a JWS ES256 signature is r‖s: no DER blob
    // (at most 72 bytes, at least 8) may verify, whatever its label.
    let doc = file("ecdsa_secp256r1_sha256_test.json");
    let mut ran = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        let sec1: [u8; 65] = hex(&group["publicKey"]["uncompressed"]).try_into().unwrap();
        let key = Key::es256(common::leak(Es256Key::new(&sec1).unwrap()));
        for case in group["tests"].as_array().unwrap() {
            let sig = hex(&case["sig"]);
            let outcome = key.verify_signature(&hex(&case["msg"]), &sig);
            if sig.len() == 64 {
                // A few malformed "DER" strings happen to be 64 bytes: then they are r‖s and
                // must still not verify as the labelled message's signature.
                assert!(outcome.is_err(), "tcId {}", case["tcId"]);
            } else {
                assert_eq!(
                    outcome,
                    Err(Error::SignatureLength {
                        len: sig.len(),
                        expected: 64
                    })
                );
            }
            ran += 1;
        }
    }
    eprintln!("ecdsa_secp256r1_sha256_test.json (DER, all rejected): {ran}");
    assert_eq!(ran, 484);
}

fn rsa_key<const L: usize>(modulus: &[u8], e: &[u8]) -> Key<'static> {
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    let key: &'static RsaPublicKey<L> = common::leak(RsaPublicKey::<L>::new(modulus, e).unwrap());
    Key::rs256(key)
}

fn rsa_verify_file<const L: usize>(name: &str, expected: Tally) {
    let doc = file(name);
    let mut tally = Tally::default();
    let mut small_e = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        let e = hex(&group["publicKey"]["publicExponent"]);
        let key = rsa_key::<L>(&hex(&group["publicKey"]["modulus"]), &e);
        if e == [3] {
            small_e += 1;
        }
        for case in group["tests"].as_array().unwrap() {
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!("{name}: {tally:?}, e=3 groups: {small_e}");
    assert_eq!(tally, expected);
}

#[test]
fn rsa_pkcs1_2048_sha256() {
    rsa_verify_file::<{ crypto_bigint::U2048::LIMBS }>(
        "rsa_signature_2048_sha256_test.json",
        Tally {
            valid: 9,
            invalid: 249,
            acceptable: 1,
        },
    );
}

#[test]
fn rsa_pkcs1_3072_sha256() {
    rsa_verify_file::<{ crypto_bigint::U3072::LIMBS }>(
        "rsa_signature_3072_sha256_test.json",
        Tally {
            valid: 8,
            invalid: 250,
            acceptable: 1,
        },
    );
}

#[test]
fn rsa_pkcs1_4096_sha256() {
    rsa_verify_file::<{ crypto_bigint::U4096::LIMBS }>(
        "rsa_signature_4096_sha256_test.json",
        Tally {
            valid: 7,
            invalid: 250,
            acceptable: 1,
        },
    );
}

fn rsa_sig_gen_file<const L: usize>(name: &str, expected: Tally) {
    let doc = file(name);
    let mut tally = Tally::default();
    for group in doc["testGroups"].as_array().unwrap() {
        if group["sha"] != "SHA-256" {
            continue;
        }
        let key = rsa_key::<L>(
            &hex(&group["privateKey"]["modulus"]),
            &hex(&group["privateKey"]["publicExponent"]),
        );
        for case in group["tests"].as_array().unwrap() {
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            // Generation vectors: every signature is genuine, `acceptable` only flags e=3 keys,
            // which tokengate accepts (see the module docs).
            assert_eq!(outcome, Ok(()), "tcId {}", case["tcId"]);
            match case["result"].as_str().unwrap() {
                "valid" => tally.valid += 1,
                "acceptable" => tally.acceptable += 1,
                other => panic!("{other}"),
            }
        }
    }
    eprintln!("{name} (SHA-256 groups): {tally:?}, all verify");
    assert_eq!(tally, expected);
}

#[test]
fn rsa_sig_gen_2048_sha256() {
    rsa_sig_gen_file::<{ crypto_bigint::U2048::LIMBS }>(
        "rsa_pkcs1_2048_sig_gen_test.json",
        Tally {
            valid: 8,
            invalid: 0,
            acceptable: 2,
        },
    );
}

#[test]
fn rsa_sig_gen_3072_sha256() {
    rsa_sig_gen_file::<{ crypto_bigint::U3072::LIMBS }>(
        "rsa_pkcs1_3072_sig_gen_test.json",
        Tally {
            valid: 8,
            invalid: 0,
            acceptable: 1,
        },
    );
}

#[test]
fn rsa_sig_gen_4096_sha256() {
    rsa_sig_gen_file::<{ crypto_bigint::U4096::LIMBS }>(
        "rsa_pkcs1_4096_sig_gen_test.json",
        Tally {
            valid: 8,
            invalid: 0,
            acceptable: 0,
        },
    );
}

#[test]
fn hmac_sha256_full_tags() {
    let doc = file("hmac_sha256_test.json");
    let mut tally = Tally::default();
    let mut refused_keys = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        if group["tagSize"] != 256 {
            continue;
        }
        for case in group["tests"].as_array().unwrap() {
            let secret: &'static [u8] = Box::leak(hex(&case["key"]).into_boxed_slice());
            let key = match Hs256Key::new(secret) {
                Ok(k) => Key::hs256(k),
                Err(e) => {
                    assert!(secret.len() < 32);
                    assert_eq!(e, Error::SecretTooShort { len: secret.len() });
                    refused_keys += 1;
                    continue;
                }
            };
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["tag"]));
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!(
        "hmac_sha256_test.json (256-bit tags): {tally:?}, short keys refused: {refused_keys}"
    );
    assert_eq!(
        tally,
        Tally {
            valid: 30,
            invalid: 54,
            acceptable: 0
        }
    );
    assert_eq!(refused_keys, 3);
}

#[test]
fn hmac_truncated_tags_are_refused() {
    let doc = file("hmac_sha256_test.json");
    let mut ran = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        if group["tagSize"] != 128 {
            continue;
        }
        for case in group["tests"].as_array().unwrap() {
            let secret: &'static [u8] = Box::leak(hex(&case["key"]).into_boxed_slice());
            let Ok(k) = Hs256Key::new(secret) else {
                continue;
            };
            let tag = hex(&case["tag"]);
            assert_eq!(
                Key::hs256(k).verify_signature(&hex(&case["msg"]), &tag),
                Err(Error::SignatureLength {
                    len: 16,
                    expected: 32
                })
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 84);
}
