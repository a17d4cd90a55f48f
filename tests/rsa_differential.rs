//! RS256 against the `rsa` crate: 100 000 (key, message, signature) tuples, genuine and tampered,
//! must get the same verdict from tokengate's signature layer and from `rsa`'s PKCS#1 v1.5
//! verification. Keys: the three sample keys (2048, 3072, 4096 bits) and seeded 2048-bit keys,
//! one with e = 3. Tampering: bit flips in the signature and the hash, random and edge
//! signatures (0, 1, n − 1, n, too short, too long), another key's signature, and signatures
//! made with the raw private operation over encodings that are almost EMSA-PKCS1-v1_5 (wrong
//! block type, short padding, no NULL in the DigestInfo, SHA-1's OID, a wrong length byte,
//! trailing data).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)]

mod common;

use rsa::pkcs8::DecodePrivateKey;
use rsa::rand_core::{CryptoRng, RngCore};
use rsa::sha2::{Digest, Sha256};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
use tokengate::{Error, Key, Rsa2048, Rsa3072, Rsa4096};

/// SplitMix64: seeded, so every run tests the same tuples. Not a CSPRNG; these are test keys.
struct Rng(u64);

impl RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for Rng {}

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A private key and the same public key as tokengate provisions it.
struct TestKey {
    private: RsaPrivateKey,
    key: Key<'static>,
}

fn provision(private: RsaPrivateKey) -> TestKey {
    let n = private.n().to_bytes_be();
    let e = private
        .e()
        .to_bytes_be()
        .iter()
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    let key = match n.len() * 8 {
        2048 => Key::rs256(common::leak(Rsa2048::new(&n, e).unwrap())),
        3072 => Key::rs256(common::leak(Rsa3072::new(&n, e).unwrap())),
        4096 => Key::rs256(common::leak(Rsa4096::new(&n, e).unwrap())),
        bits => panic!("unexpected size {bits}"),
    };
    TestKey { private, key }
}

fn keys(rng: &mut Rng) -> Vec<TestKey> {
    let mut keys: Vec<TestKey> = [2048, 3072, 4096]
        .iter()
        .map(|bits| {
            let pem =
                std::fs::read_to_string(common::data(&format!("keys/rsa{bits}.pem"))).unwrap();
            provision(RsaPrivateKey::from_pkcs8_pem(&pem).unwrap())
        })
        .collect();
    for _ in 0..4 {
        keys.push(provision(RsaPrivateKey::new(rng, 2048).unwrap()));
    }
    keys.push(provision(
        RsaPrivateKey::new_with_exp(rng, 2048, &BigUint::from(3u32)).unwrap(),
    ));
    keys
}

/// `rsa`'s verdict, as tokengate reports it (a wrong length is refused before any arithmetic).
fn reference(key: &TestKey, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let hash = Sha256::digest(message);
    let k = key.private.size();
    if signature.len() != k {
        return Err(Error::SignatureLength {
            len: signature.len(),
            expected: k,
        });
    }
    key.private
        .to_public_key()
        .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, signature)
        .map_err(|_| Error::BadSignature)
}

/// The DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// An encoding that is EMSA-PKCS1-v1_5 of `hash`, except for defect `kind`, signed with the
/// raw private operation.
fn forged_encoding(key: &TestKey, hash: &[u8; 32], kind: usize) -> Vec<u8> {
    let k = key.private.size();
    let mut t = match kind {
        // No NULL parameters in the AlgorithmIdentifier (Wycheproof's "MissingNull").
        2 => {
            let mut t = vec![
                0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x04, 0x20,
            ];
            t.extend_from_slice(hash);
            t
        }
        // SHA-1's OID with a SHA-256-length digest.
        3 => {
            let mut t = vec![
                0x30, 0x2d, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x20,
            ];
            t.extend_from_slice(hash);
            t
        }
        _ => {
            let mut t = SHA256_PREFIX.to_vec();
            t.extend_from_slice(hash);
            t
        }
    };
    match kind {
        // The digest's length byte says 0x21.
        4 => t[18] = 0x21,
        // Trailing garbage after the digest (so the padding is one byte shorter).
        5 => t.push(0x00),
        _ => {}
    }
    let mut em = vec![0x00, 0x01];
    em.resize(k - t.len() - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&t);
    match kind {
        // Block type 2 (encryption padding).
        0 => em[1] = 0x02,
        // A zero byte inside the padding: the "padding" ends early and the rest is garbage.
        1 => em[10] = 0x00,
        _ => {}
    }
    assert_eq!(em.len(), k);
    let m = BigUint::from_bytes_be(&em);
    let s = rsa::hazmat::rsa_decrypt_and_check(&key.private, None::<&mut Rng>, &m).unwrap();
    left_pad(&s.to_bytes_be(), k)
}

fn left_pad(bytes: &[u8], k: usize) -> Vec<u8> {
    let mut out = vec![0u8; k.saturating_sub(bytes.len())];
    out.extend_from_slice(bytes);
    out
}

/// Variant `v` of a genuine (message, signature) by `keys[i]`: which key verifies what.
fn variant(
    v: usize,
    rng: &mut Rng,
    keys: &[TestKey],
    i: usize,
    message: &[u8],
    genuine: &[u8],
) -> (usize, Vec<u8>, Vec<u8>) {
    let key = &keys[i];
    let k = genuine.len();
    let n = key.private.n().to_bytes_be();
    let hash: [u8; 32] = Sha256::digest(message).into();
    let mut m = message.to_vec();
    let mut s = genuine.to_vec();
    let mut which = i;
    match v {
        0 => {}
        1 | 2 => {
            let bit = rng.below(k * 8);
            s[bit / 8] ^= 1 << (bit % 8);
        }
        3 => {
            let bit = rng.below(m.len() * 8);
            m[bit / 8] ^= 1 << (bit % 8);
        }
        4 => rng.fill_bytes(&mut s),
        5 => s = left_pad(&[], k),
        6 => s = left_pad(&[1], k),
        7 => {
            let n_minus_1 = key.private.n() - BigUint::from(1u32);
            s = left_pad(&n_minus_1.to_bytes_be(), k);
        }
        8 => s = n.clone(),
        9 => {
            // s + n: the same residue, out of range.
            let sum = BigUint::from_bytes_be(genuine) + key.private.n();
            s = sum.to_bytes_be();
            if s.len() > k {
                s.truncate(k);
            }
        }
        10 => {
            s.pop();
        }
        11 => s.insert(0, 0),
        12 => {
            // Another key's genuine signature over the same hash.
            which = (i + 1 + rng.below(keys.len() - 1)) % keys.len();
        }
        13..=18 => s = forged_encoding(key, &hash, v - 13),
        // The same signature over a message one byte longer.
        _ => m.push(rng.next_u32() as u8),
    }
    (which, m, s)
}

/// Kinds of tuple (see `variant`); kind 0 is the genuine one.
const KINDS: usize = 20;
/// Genuine signatures made by `rsa`, and tuples checked per signature: 100 000 in all.
const SIGNATURES: usize = 2_500;
const PER_SIGNATURE: usize = 40;
/// Forged encodings need a private-key operation each: made for every `FORGE_EVERY`-th
/// signature only.
const FORGE_EVERY: usize = 10;

#[test]
fn rs256_differential_against_rsa() {
    let seed = 0x5253_3235_3621_u64;
    let keys = keys(&mut Rng(seed));
    let started = std::time::Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tallies: Vec<[[usize; 2]; KINDS]> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let keys = &keys;
                scope.spawn(move || {
                    let mut tally = [[0usize; 2]; KINDS];
                    for sig_no in (t..SIGNATURES).step_by(threads) {
                        check_signature(keys, seed, sig_no, &mut tally);
                    }
                    tally
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut tally = [[0usize; 2]; KINDS];
    for t in tallies {
        for (sum, x) in tally.iter_mut().zip(t) {
            sum[0] += x[0];
            sum[1] += x[1];
        }
    }
    let tuples: usize = tally.iter().map(|c| c[0] + c[1]).sum();
    eprintln!(
        "rs256 differential: {tuples} tuples on {} keys in {:?} on {threads} threads; per kind \
         [rejected, accepted]: {tally:?}",
        keys.len(),
        started.elapsed()
    );
    assert_eq!(tuples, SIGNATURES * PER_SIGNATURE);
    assert!(tuples >= 100_000);
    // Only the genuine tuples verify; every kind of tampering was exercised and refused.
    assert_eq!(tally[0][0], 0);
    assert!(tally[0][1] >= SIGNATURES);
    for (kind, counts) in tally.iter().enumerate().skip(1) {
        assert_eq!(counts[1], 0, "kind {kind} accepted");
        assert!(
            counts[0] >= SIGNATURES / FORGE_EVERY,
            "kind {kind}: {counts:?}"
        );
    }
}

/// Signs one message and checks its `PER_SIGNATURE` tuples.
fn check_signature(keys: &[TestKey], seed: u64, sig_no: usize, tally: &mut [[usize; 2]; KINDS]) {
    // One generator per signature: the same tuples whatever the threads.
    let mut rng = Rng(seed ^ (sig_no as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    // Mostly 2048-bit keys, as deployed; every key signs.
    let i = if sig_no.is_multiple_of(8) {
        sig_no / 8 % 3
    } else {
        3 + sig_no % (keys.len() - 3)
    };
    let mut message = [0u8; 48];
    rng.fill_bytes(&mut message);
    let hash: [u8; 32] = Sha256::digest(message).into();
    let genuine = keys[i]
        .private
        .sign(Pkcs1v15Sign::new::<Sha256>(), &hash)
        .unwrap();
    for j in 0..PER_SIGNATURE {
        let mut kind = j % KINDS;
        if (13..=18).contains(&kind) && !sig_no.is_multiple_of(FORGE_EVERY) {
            kind = 1 + rng.below(12);
        }
        let (which, m, s) = variant(kind, &mut rng, keys, i, &message, &genuine);
        let key = &keys[which];
        let expected = reference(key, &m, &s);
        let ours = key.key.verify_signature(&m, &s);
        assert_eq!(
            ours,
            expected,
            "signature {sig_no}, key {which} ({} bits), kind {kind}",
            key.private.size() * 8
        );
        if kind == 0 {
            assert_eq!(ours, Ok(()), "signature {sig_no}: genuine");
        }
        tally[kind][usize::from(ours.is_ok())] += 1;
    }
}
