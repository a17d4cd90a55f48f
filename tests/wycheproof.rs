//! Wycheproof signature vectors through tokengate's own signature layer
//! ([`Key::verify_signature`]): ES256 (P1363), ES384 (P1363), RS256, RS384, RS512 (2048, 3072,
//! 4096), PS256 (2048, 3072, 4096), PS384 (2048, 4096), PS512 (4096), HS256, HS384, HS512,
//! EdDSA (Ed25519).
//!
//! How labels map to outcomes:
//! - `valid` must verify, `invalid` must be rejected.
//! - `acceptable` (the RSA `MissingNull` DigestInfo, and the `rsa_pkcs1_*_sig_gen` e=3 keys with
//!   `SmallPublicKey`): tokengate is strict. A DigestInfo without its NULL is a different encoding
//!   from the one RS256 rebuilds and compares, so it is rejected. Keys with e=3 are accepted
//!   (the exponent only has to be odd and at least 3): verification rebuilds the whole
//!   EMSA-PKCS1-v1_5 encoding, so Bleichenbacher's e=3 forgery has nothing to slip through, and
//!   their genuine signatures verify.
//! - HMAC keys shorter than the hash (the 128-bit-key groups of HS256, the 192-bit ones of
//!   HS384, the 256-bit ones of HS512) are refused when the key is built
//!   ([`Error::SecretTooShort`]), before any tag is compared.
//! - PSS: every group of the copied files has MGF1 on the message hash and a salt of the hash's
//!   length, which is what JWS PS256/PS384/PS512 mean (RFC 7518 §3.5). A group with other
//!   parameters would be counted and its cases asserted rejected by the PS key of its hash (none
//!   are in these files: `rsa_pss_misc_test.json` was not copied, see tests/vectors/README.md).
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
use tokengate::{
    Alg, Ed25519Key, Error, Es256Key, Es256KeyTable, Es384Key, Hs256Key, Hs384Key, Hs512Key, Key,
    RsaModulus, RsaPublicKey,
};

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
fn ecdsa_p384_sha384_p1363() {
    let doc = file("ecdsa_secp384r1_sha384_p1363_test.json");
    let mut tally = Tally::default();
    let mut wrong_length = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["sha"], "SHA-384");
        assert_eq!(group["publicKey"]["curve"], "secp384r1");
        let sec1: [u8; 97] = hex(&group["publicKey"]["uncompressed"]).try_into().unwrap();
        let key = Key::es384(common::leak(Es384Key::new(&sec1).unwrap()));
        key.validate().unwrap();
        assert_eq!(key.alg(), Alg::Es384);
        for case in group["tests"].as_array().unwrap() {
            let sig = hex(&case["sig"]);
            let outcome = key.verify_signature(&hex(&case["msg"]), &sig);
            if sig.len() != 96 {
                assert_eq!(
                    outcome,
                    Err(Error::SignatureLength {
                        len: sig.len(),
                        expected: 96
                    })
                );
                wrong_length += 1;
            } else if outcome.is_err() {
                // Opaque, whatever failed (r or s out of range, or the equation).
                assert_eq!(outcome, Err(Error::BadSignature), "tcId {}", case["tcId"]);
            }
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!(
        "ecdsa_secp384r1_sha384_p1363_test.json: {tally:?}, {wrong_length} of another length"
    );
    assert_eq!(
        tally,
        Tally {
            valid: 193,
            invalid: 87,
            acceptable: 0
        }
    );
    assert_eq!(wrong_length, 19);
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
    rsa_key_for::<L>(modulus, e, Alg::Rs256)
}

fn rsa_key_for<const L: usize>(modulus: &[u8], e: &[u8], alg: Alg) -> Key<'static> {
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    let key: &'static RsaPublicKey<L> = common::leak(RsaPublicKey::<L>::new(modulus, e).unwrap());
    let key = Key::rsa(key, alg).unwrap();
    assert_eq!(key.alg(), alg);
    key
}

/// The same key as an [`RsaModulus`] (constants computed at each check), which must get every
/// verdict the [`RsaPublicKey`] gets.
fn rsa_modulus_key(modulus: &[u8], e: &[u8], alg: Alg) -> Key<'static> {
    let e = e.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    let modulus: &'static [u8] = Box::leak(modulus.to_vec().into_boxed_slice());
    let key = common::leak(RsaModulus::new(modulus, e).unwrap());
    Key::rsa_modulus(key, alg).unwrap()
}

fn rsa_verify_file<const L: usize>(name: &str, expected: Tally) {
    rsa_verify_file_as::<L>(name, Alg::Rs256, expected);
}

/// A PKCS#1 v1.5 file whose groups all use the hash of `alg`.
fn rsa_verify_file_as<const L: usize>(name: &str, alg: Alg, expected: Tally) {
    let doc = file(name);
    let sha = match alg {
        Alg::Rs256 => "SHA-256",
        Alg::Rs384 => "SHA-384",
        Alg::Rs512 => "SHA-512",
        other => panic!("{other:?}"),
    };
    let mut tally = Tally::default();
    let mut small_e = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["sha"], sha, "{name}");
        let e = hex(&group["publicKey"]["publicExponent"]);
        let key = rsa_key_for::<L>(&hex(&group["publicKey"]["modulus"]), &e, alg);
        let lazy = rsa_modulus_key(&hex(&group["publicKey"]["modulus"]), &e, alg);
        if e == [3] {
            small_e += 1;
        }
        for case in group["tests"].as_array().unwrap() {
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            let lazy_outcome = lazy.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            assert_eq!(
                lazy_outcome, outcome,
                "{name} tcId {}: RsaModulus",
                case["tcId"]
            );
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
        let lazy = rsa_modulus_key(
            &hex(&group["privateKey"]["modulus"]),
            &hex(&group["privateKey"]["publicExponent"]),
            Alg::Rs256,
        );
        for case in group["tests"].as_array().unwrap() {
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            let lazy_outcome = lazy.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            assert_eq!(
                lazy_outcome, outcome,
                "{name} tcId {}: RsaModulus",
                case["tcId"]
            );
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
                    assert_eq!(
                        e,
                        Error::SecretTooShort {
                            len: secret.len(),
                            min: 32
                        }
                    );
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

const L2048: usize = crypto_bigint::U2048::LIMBS;
const L3072: usize = crypto_bigint::U3072::LIMBS;
const L4096: usize = crypto_bigint::U4096::LIMBS;

const fn tally(valid: usize, invalid: usize, acceptable: usize) -> Tally {
    Tally {
        valid,
        invalid,
        acceptable,
    }
}

#[test]
fn rsa_pkcs1_sha384() {
    rsa_verify_file_as::<L2048>(
        "rsa_signature_2048_sha384_test.json",
        Alg::Rs384,
        tally(7, 250, 1),
    );
    rsa_verify_file_as::<L3072>(
        "rsa_signature_3072_sha384_test.json",
        Alg::Rs384,
        tally(7, 251, 1),
    );
    rsa_verify_file_as::<L4096>(
        "rsa_signature_4096_sha384_test.json",
        Alg::Rs384,
        tally(7, 251, 1),
    );
}

#[test]
fn rsa_pkcs1_sha512() {
    rsa_verify_file_as::<L2048>(
        "rsa_signature_2048_sha512_test.json",
        Alg::Rs512,
        tally(8, 250, 1),
    );
    rsa_verify_file_as::<L3072>(
        "rsa_signature_3072_sha512_test.json",
        Alg::Rs512,
        tally(8, 251, 1),
    );
    rsa_verify_file_as::<L4096>(
        "rsa_signature_4096_sha512_test.json",
        Alg::Rs512,
        tally(7, 251, 1),
    );
}

/// A case of an RSA file labelled valid, with its group's key.
struct RsaCase {
    n: Vec<u8>,
    e: Vec<u8>,
    msg: Vec<u8>,
    sig: Vec<u8>,
    id: u64,
}

/// Every case of an RSA file (PKCS#1 v1.5 or PSS) labelled valid.
fn valid_rsa_cases(name: &str) -> Vec<RsaCase> {
    let doc = file(name);
    let mut cases = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        for case in group["tests"].as_array().unwrap() {
            if case["result"] == "valid" {
                cases.push(RsaCase {
                    n: hex(&group["publicKey"]["modulus"]),
                    e: hex(&group["publicKey"]["publicExponent"]),
                    msg: hex(&case["msg"]),
                    sig: hex(&case["sig"]),
                    id: case["tcId"].as_u64().unwrap(),
                });
            }
        }
    }
    cases
}

/// The RS384/RS512 files' genuine signatures never verify under a key bound to another RSA
/// algorithm of the same modulus (the hash or the padding differs).
#[test]
fn rsa_pkcs1_valid_signatures_bind_to_their_alg() {
    let mut ran = 0;
    for (name, alg) in [
        ("rsa_signature_2048_sha384_test.json", Alg::Rs384),
        ("rsa_signature_2048_sha512_test.json", Alg::Rs512),
    ] {
        for RsaCase { n, e, msg, sig, id } in valid_rsa_cases(name) {
            assert_eq!(
                rsa_key_for::<L2048>(&n, &e, alg).verify_signature(&msg, &sig),
                Ok(())
            );
            for other in common::RSA_ALGS {
                if other != alg {
                    assert_eq!(
                        rsa_key_for::<L2048>(&n, &e, other).verify_signature(&msg, &sig),
                        Err(Error::BadSignature),
                        "{name} tcId {id} as {other:?}"
                    );
                }
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 15);
}

/// A PSS file: groups whose MGF1 hash and salt length are those of JWS for the message hash are
/// run under the PS key of that hash; any other group is counted, and its cases must all be
/// rejected by that key.
fn rsa_pss_file<const L: usize>(
    name: &str,
    alg: Alg,
    expected: Tally,
    expected_other_groups: usize,
) {
    let doc = file(name);
    let (sha, s_len) = match alg {
        Alg::Ps256 => ("SHA-256", 32),
        Alg::Ps384 => ("SHA-384", 48),
        Alg::Ps512 => ("SHA-512", 64),
        other => panic!("{other:?}"),
    };
    let mut tally = Tally::default();
    let mut other_groups = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["sha"], sha, "{name}");
        let jws = group["mgf"] == "MGF1" && group["mgfSha"] == sha && group["sLen"] == s_len;
        let key = rsa_key_for::<L>(
            &hex(&group["publicKey"]["modulus"]),
            &hex(&group["publicKey"]["publicExponent"]),
            alg,
        );
        let lazy = rsa_modulus_key(
            &hex(&group["publicKey"]["modulus"]),
            &hex(&group["publicKey"]["publicExponent"]),
            alg,
        );
        if !jws {
            other_groups += 1;
        }
        for case in group["tests"].as_array().unwrap() {
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            let lazy_outcome = lazy.verify_signature(&hex(&case["msg"]), &hex(&case["sig"]));
            assert_eq!(
                lazy_outcome, outcome,
                "{name} tcId {}: RsaModulus",
                case["tcId"]
            );
            if jws {
                expect(&mut tally, case, outcome);
            } else {
                assert!(
                    outcome.is_err(),
                    "{name} tcId {}: not JWS parameters",
                    case["tcId"]
                );
            }
        }
    }
    eprintln!("{name}: {tally:?}, groups with other PSS parameters: {other_groups}");
    assert_eq!(tally, expected);
    assert_eq!(other_groups, expected_other_groups);
}

#[test]
fn rsa_pss_sha256() {
    rsa_pss_file::<L2048>(
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        Alg::Ps256,
        tally(63, 45, 0),
        0,
    );
    rsa_pss_file::<L3072>(
        "rsa_pss_3072_sha256_mgf1_32_test.json",
        Alg::Ps256,
        tally(63, 45, 0),
        0,
    );
    rsa_pss_file::<L4096>(
        "rsa_pss_4096_sha256_mgf1_32_test.json",
        Alg::Ps256,
        tally(63, 45, 0),
        0,
    );
}

#[test]
fn rsa_pss_sha384() {
    rsa_pss_file::<L2048>(
        "rsa_pss_2048_sha384_mgf1_48_test.json",
        Alg::Ps384,
        tally(95, 46, 0),
        0,
    );
    rsa_pss_file::<L4096>(
        "rsa_pss_4096_sha384_mgf1_48_test.json",
        Alg::Ps384,
        tally(95, 46, 0),
        0,
    );
}

#[test]
fn rsa_pss_sha512() {
    rsa_pss_file::<L4096>(
        "rsa_pss_4096_sha512_mgf1_64_test.json",
        Alg::Ps512,
        tally(132, 47, 0),
        0,
    );
}

/// The PSS files' genuine signatures never verify as PKCS#1 v1.5 (RS*) of the same hash.
#[test]
fn rsa_pss_valid_signatures_are_not_pkcs1() {
    let mut ran = 0;
    for (name, pss, pkcs1) in [
        (
            "rsa_pss_2048_sha256_mgf1_32_test.json",
            Alg::Ps256,
            Alg::Rs256,
        ),
        (
            "rsa_pss_2048_sha384_mgf1_48_test.json",
            Alg::Ps384,
            Alg::Rs384,
        ),
    ] {
        for RsaCase { n, e, msg, sig, id } in valid_rsa_cases(name) {
            assert_eq!(
                rsa_key_for::<L2048>(&n, &e, pss).verify_signature(&msg, &sig),
                Ok(())
            );
            assert_eq!(
                rsa_key_for::<L2048>(&n, &e, pkcs1).verify_signature(&msg, &sig),
                Err(Error::BadSignature),
                "{name} tcId {id}"
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 63 + 95);
}

/// An HMAC file's groups with full-length tags, under the key type of its hash: secrets shorter
/// than the hash are refused at construction and counted.
fn hmac_file(
    name: &str,
    tag_bits: u64,
    key_of: fn(&'static [u8]) -> Result<Key<'static>, Error>,
    min_len: usize,
) -> (Tally, usize) {
    let doc = file(name);
    let mut tally = Tally::default();
    let mut refused_keys = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        if group["tagSize"] != tag_bits {
            continue;
        }
        for case in group["tests"].as_array().unwrap() {
            let secret: &'static [u8] = Box::leak(hex(&case["key"]).into_boxed_slice());
            let key = match key_of(secret) {
                Ok(k) => k,
                Err(e) => {
                    assert!(secret.len() < min_len);
                    assert_eq!(
                        e,
                        Error::SecretTooShort {
                            len: secret.len(),
                            min: min_len
                        }
                    );
                    refused_keys += 1;
                    continue;
                }
            };
            let outcome = key.verify_signature(&hex(&case["msg"]), &hex(&case["tag"]));
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!("{name} ({tag_bits}-bit tags): {tally:?}, short keys refused: {refused_keys}");
    (tally, refused_keys)
}

fn hs384(secret: &'static [u8]) -> Result<Key<'static>, Error> {
    Hs384Key::new(secret).map(Key::hs384)
}

fn hs512(secret: &'static [u8]) -> Result<Key<'static>, Error> {
    Hs512Key::new(secret).map(Key::hs512)
}

#[test]
fn hmac_sha384_full_tags() {
    assert_eq!(
        hmac_file("hmac_sha384_test.json", 384, hs384, 48),
        (tally(30, 54, 0), 3)
    );
}

#[test]
fn hmac_sha512_full_tags() {
    assert_eq!(
        hmac_file("hmac_sha512_test.json", 512, hs512, 64),
        (tally(30, 54, 0), 3)
    );
}

/// Half-length tags (192 bits for HS384, 256 for HS512) are the wrong length: refused before
/// any comparison, whatever their label. Keys refused at construction are counted apart.
#[test]
fn hmac_sha384_sha512_truncated_tags_are_refused() {
    for (name, tag_bits, key_of, full) in [
        ("hmac_sha384_test.json", 192, hs384 as fn(_) -> _, 48),
        ("hmac_sha512_test.json", 256, hs512, 64),
    ] {
        let doc = file(name);
        let (mut ran, mut refused) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            if group["tagSize"] != tag_bits {
                continue;
            }
            for case in group["tests"].as_array().unwrap() {
                let secret: &'static [u8] = Box::leak(hex(&case["key"]).into_boxed_slice());
                let Ok(key) = key_of(secret) else {
                    refused += 1;
                    continue;
                };
                let tag = hex(&case["tag"]);
                assert_eq!(
                    key.verify_signature(&hex(&case["msg"]), &tag),
                    Err(Error::SignatureLength {
                        len: full / 2,
                        expected: full
                    }),
                    "{name} tcId {}",
                    case["tcId"]
                );
                ran += 1;
            }
        }
        assert_eq!((ran, refused), (84, 3), "{name}");
    }
}

/// Every case of `ed25519_test.json` (RFC 8032 §5.1.7, strict): each key is built and validated,
/// each signature checked with its tcId, comment and flags in the message. Signatures that are
/// not 64 bytes are [`Error::SignatureLength`]; the `SignatureMalleability` cases (S ≥ L) and every
/// other invalid 64-byte signature are [`Error::BadSignature`]. Tallies per flag are asserted too.
#[test]
fn ed25519() {
    let doc = file("ed25519_test.json");
    let mut tally = Tally::default();
    let mut by_flag = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for group in doc["testGroups"].as_array().unwrap() {
        assert_eq!(group["publicKey"]["curve"], "edwards25519");
        let pk: [u8; 32] = hex(&group["publicKey"]["pk"]).try_into().unwrap();
        let key = Key::ed25519(common::leak(Ed25519Key::new(&pk).unwrap()));
        key.validate().unwrap();
        assert_eq!(key.alg(), Alg::EdDsa);
        for case in group["tests"].as_array().unwrap() {
            let sig = hex(&case["sig"]);
            let outcome = key.verify_signature(&hex(&case["msg"]), &sig);
            let label = format!(
                "tcId {} ({}, {})",
                case["tcId"], case["comment"], case["flags"]
            );
            match (sig.len(), case["result"].as_str().unwrap()) {
                (64, "valid") => {}
                (64, _) => assert_eq!(outcome, Err(Error::BadSignature), "{label}"),
                (len, _) => assert_eq!(
                    outcome,
                    Err(Error::SignatureLength { len, expected: 64 }),
                    "{label}"
                ),
            }
            for flag in case["flags"].as_array().unwrap() {
                let entry = by_flag
                    .entry(flag.as_str().unwrap().to_owned())
                    .or_default();
                if outcome.is_ok() {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
            expect(&mut tally, case, outcome);
        }
    }
    eprintln!("ed25519_test.json: {tally:?}, (verified, rejected) by flag: {by_flag:?}");
    assert_eq!(
        tally,
        Tally {
            valid: 88,
            invalid: 63,
            acceptable: 0
        }
    );
    let expected: std::collections::BTreeMap<String, (usize, usize)> = [
        ("CompressedSignature", (0, 4)),
        ("InvalidEncoding", (0, 22)),
        ("InvalidKtv", (0, 1)),
        ("InvalidSignature", (0, 20)),
        ("Ktv", (38, 0)),
        ("SignatureMalleability", (0, 8)),
        ("SignatureWithGarbage", (0, 5)),
        ("TinkOverflow", (32, 0)),
        ("TruncatedSignature", (0, 3)),
        ("Valid", (18, 0)),
    ]
    .into_iter()
    .map(|(flag, counts)| (flag.to_owned(), counts))
    .collect();
    assert_eq!(by_flag, expected);
}
