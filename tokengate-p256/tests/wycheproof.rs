//! Every case of Wycheproof's ECDSA P-256 SHA-256 P1363 file (tests/data/wycheproof, a
//! byte-identical copy of the repository's tests/vectors/wycheproof file) through the public
//! API: [`verify_prehashed`] and key tables of every size give the label's verdict and the
//! `p256` crate's.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic is a failed test.

mod common;

use std::path::Path;

use common::p256_verdict;
use tokengate_p256::{Error, KeyTable, verify_prehashed};

const FILE: &str = "ecdsa_secp256r1_sha256_p1363_test.json";

/// A Wycheproof case: key, message hash, signature, whether it is valid, and its `tcId`.
type Case = ([u8; 65], [u8; 32], [u8; 64], bool, u64);

/// The cases with signatures of 64 bytes (the API takes `&[u8; 64]`; the 21 others test
/// signature lengths, which are the caller's check).
fn wycheproof() -> Vec<Case> {
    use sha2::Digest;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/wycheproof")
        .join(FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hex = |v: &serde_json::Value| hex::decode(v.as_str().unwrap()).unwrap();
    let mut cases = Vec::new();
    let mut other_lengths = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        let point: [u8; 65] = hex(&group["publicKey"]["uncompressed"]).try_into().unwrap();
        for case in group["tests"].as_array().unwrap() {
            let Ok(signature) = <[u8; 64]>::try_from(hex(&case["sig"])) else {
                other_lengths += 1;
                continue;
            };
            let valid = match case["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("unexpected result {other}"),
            };
            let hash: [u8; 32] = sha2::Sha256::digest(hex(&case["msg"])).into();
            cases.push((
                point,
                hash,
                signature,
                valid,
                case["tcId"].as_u64().unwrap(),
            ));
        }
    }
    // 262 cases, 21 of them with signatures of other lengths.
    assert_eq!((cases.len(), other_lengths), (241, 21));
    cases
}

/// The label's verdict: `valid` verifies, `invalid` is [`Error::BadSignature`] (every key in
/// the file is on the curve). Returns whether the case is valid.
fn expect(outcome: Result<(), Error>, valid: bool, id: u64, what: &str) -> bool {
    if valid {
        assert_eq!(outcome, Ok(()), "tcId {id}, {what}");
    } else {
        assert_eq!(outcome, Err(Error::BadSignature), "tcId {id}, {what}");
    }
    valid
}

#[test]
fn p1363_without_table() {
    let (mut valid, mut invalid) = (0, 0);
    for (point, hash, signature, label, id) in wycheproof() {
        let outcome = verify_prehashed(&point, &hash, &signature);
        if expect(outcome, label, id, "no table") {
            valid += 1;
        } else {
            invalid += 1;
        }
        assert_eq!(
            outcome,
            p256_verdict(&point, &hash, &signature),
            "tcId {id}"
        );
    }
    assert_eq!((valid, invalid), (173, 68));
}

#[test]
fn p1363_with_tables_of_every_size() {
    /// The tables of the current group's key.
    struct Tables(KeyTable<16>, KeyTable<32>, KeyTable<64>, KeyTable<128>);
    let mut current: Option<([u8; 65], Tables)> = None;
    let (mut valid, mut invalid, mut keys) = (0, 0, 0);
    for (point, hash, signature, label, id) in wycheproof() {
        if current.as_ref().map(|(p, _)| p) != Some(&point) {
            let tables = Tables(
                KeyTable::new(&point).unwrap(),
                KeyTable::new(&point).unwrap(),
                KeyTable::new(&point).unwrap(),
                KeyTable::new(&point).unwrap(),
            );
            current = Some((point, tables));
            keys += 1;
        }
        let (_, tables) = current.as_ref().unwrap();
        let outcomes = [
            tables.0.verify_prehashed(&hash, &signature),
            tables.1.verify_prehashed(&hash, &signature),
            tables.2.verify_prehashed(&hash, &signature),
            tables.3.verify_prehashed(&hash, &signature),
        ];
        for (outcome, points) in outcomes.into_iter().zip([16, 32, 64, 128]) {
            expect(outcome, label, id, &format!("{points} points"));
        }
        if label {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert_eq!((valid, invalid), (173, 68));
    assert_eq!(keys, 111);
}

/// The copy in tests/data is the repository's file, byte for byte. Checked inside the
/// repository; the published crate has only its copy (and this test says so).
#[test]
fn vector_file_is_the_repositorys() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repository = root.join("../tests/vectors/wycheproof").join(FILE);
    if !repository.exists() {
        eprintln!(
            "{}: not in the repository; nothing to compare",
            repository.display()
        );
        return;
    }
    let copy = root.join("tests/data/wycheproof").join(FILE);
    assert!(std::fs::read(copy).unwrap() == std::fs::read(repository).unwrap());
}
