//! A differential test against the `p256` crate: 100 000 tuples (key, hash, signature), from
//! genuine `p256` signatures and variants of them (tampered bits, edge values of `r` and `s`,
//! high `s`, swapped `r` and `s`, another key, hashes that make `u₁·G = ±u₂·Q`), each given
//! `p256`'s verdict by [`verify_prehashed`], and by [`KeyTable::verify_prehashed`] for the keys
//! with a table.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)] // Test code: a panic is a failed test.

mod common;

use common::p256_verdict;
use p256::ProjectivePoint;
use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::PrimeField;
use p256::elliptic_curve::sec1::ToSec1Point;
use tokengate_p256::{Error, KeyTable, verify_prehashed};

/// The group order `n`, `n − 1` and `1`, big-endian.
const N: [u8; 32] = *b"\
    \xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\
    \xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51";
const N_MINUS_1: [u8; 32] = *b"\
    \xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\
    \xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x50";
const ONE: [u8; 32] = {
    let mut one = [0; 32];
    one[31] = 1;
    one
};

/// SplitMix64: a small seeded generator, so every run tests the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn bytes<const L: usize>(&mut self) -> [u8; L] {
        let mut out = [0u8; L];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The SEC1 encoding of a `p256` point.
fn sec1_of(p: &ProjectivePoint) -> [u8; 65] {
    p.to_affine()
        .to_sec1_point(false)
        .as_bytes()
        .try_into()
        .unwrap()
}

fn p256_scalar(bytes: &[u8; 32]) -> p256::Scalar {
    p256::Scalar::from_repr((*bytes).into()).unwrap()
}

/// A `p256` signing key from a seed.
fn signing_key(rng: &mut Rng) -> (SigningKey, [u8; 65], p256::Scalar) {
    loop {
        let secret = rng.bytes::<32>();
        if let Ok(key) = SigningKey::from_bytes(&secret.into()) {
            let sec1 = sec1_of(&key.verifying_key().as_affine().into());
            return (key, sec1, p256_scalar(&secret));
        }
    }
}

/// Signatures made by `p256` for the differential test; each gives four tuples (the genuine one
/// and three variants), 100 000 in all.
const DIFFERENTIAL_SIGNATURES: usize = 25_000;
/// Keys with tables: every signature whose number is a multiple of `TABLE_EVERY` uses one of
/// them, and its tuples are checked through the table too.
const TABLE_KEYS: usize = 16;
const TABLE_EVERY: usize = 8;
/// Variants of a genuine tuple; see `variant`.
const VARIANTS: usize = 16;

/// Variant `v` of a genuine tuple `(key, hash, signature)` for secret `d`: tampered bits,
/// random or edge values of `r` and `s`, high `s`, swapped `r` and `s`, another key, and
/// hashes that make `u₁·G = ±u₂·Q`.
fn variant(
    v: usize,
    rng: &mut Rng,
    (sec1, hash, sig): ([u8; 65], [u8; 32], [u8; 64]),
    d: &p256::Scalar,
) -> ([u8; 65], [u8; 32], [u8; 64]) {
    let edges = [[0; 32], N, N_MINUS_1, ONE];
    let (mut k, mut h, mut s) = (sec1, hash, sig);
    let flip = |bytes: &mut [u8], bit: u64| bytes[(bit / 8) as usize] ^= 1 << (bit % 8);
    let r = p256_scalar(&sig[..32].try_into().unwrap());
    match v {
        0 => flip(&mut s[..32], rng.below(256)),
        1 => flip(&mut s[32..], rng.below(256)),
        2 => flip(&mut h, rng.below(256)),
        3 => flip(&mut k[1..], rng.below(512)),
        4 => s[..32].copy_from_slice(&rng.bytes::<32>()),
        5 => s[32..].copy_from_slice(&rng.bytes::<32>()),
        6 => s[..32].copy_from_slice(&edges[rng.below(4) as usize]),
        7 => s[32..].copy_from_slice(&edges[rng.below(4) as usize]),
        // High s: n − s, still valid.
        8 => s[32..].copy_from_slice(&(-p256_scalar(&sig[32..].try_into().unwrap())).to_repr()),
        // z = −r·d: u₁·G = −u₂·Q, R is the point at infinity.
        9 => h = (-(r * d)).to_repr().into(),
        // z = r·d: u₁·G = u₂·Q, the sum is a doubling.
        10 => h = (r * d).to_repr().into(),
        11 => k = signing_key(rng).1,
        12 => {
            s[..32].copy_from_slice(&sig[32..]);
            s[32..].copy_from_slice(&sig[..32]);
        }
        13 => s[..32].copy_from_slice(&sig[32..]),
        14 => s[32..].copy_from_slice(&sig[..32]),
        _ => {
            // r·2 and s·2: well-formed, wrong.
            let two = p256::Scalar::from(2u64);
            let s2 = p256_scalar(&sig[32..].try_into().unwrap()) * two;
            s[..32].copy_from_slice(&(r * two).to_repr());
            s[32..].copy_from_slice(&s2.to_repr());
        }
    }
    (k, h, s)
}

/// Which hash signature `i` signs: random, or one that makes `z` zero or `hash − n`.
fn differential_hash(i: usize, rng: &mut Rng) -> [u8; 32] {
    let mut hash = rng.bytes::<32>();
    match i % 64 {
        0 => hash = [0; 32],                        // z = 0: u₁ = 0, no multiple of G
        1 => hash = N,                              // z = n ≡ 0
        2 => hash[..4].copy_from_slice(&[0xff; 4]), // z = hash − n, half the time
        _ => {}
    }
    hash
}

#[test]
fn differential_against_p256() {
    let seed = 0x7061_7373_7764_u64;
    let mut pool_rng = Rng(seed);
    let pool: Vec<_> = (0..TABLE_KEYS)
        .map(|_| {
            let (key, sec1, d) = signing_key(&mut pool_rng);
            let table = KeyTable::<32>::new(&sec1).unwrap();
            (key, sec1, d, table)
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = std::time::Instant::now();
    let tallies: Vec<([usize; VARIANTS], usize, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let pool = &pool;
                scope.spawn(move || {
                    let mut tally = [0usize; VARIANTS];
                    let (mut accepted, mut tuples) = (0, 0);
                    for i in (t..DIFFERENTIAL_SIGNATURES).step_by(threads) {
                        // One generator per signature: the same cases whatever the threads.
                        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
                        let fresh;
                        let (key, sec1, d, table) = if i % TABLE_EVERY == 0 {
                            let (key, sec1, d, table) = &pool[(i / TABLE_EVERY) % TABLE_KEYS];
                            (key, *sec1, *d, Some(table))
                        } else {
                            fresh = signing_key(&mut rng);
                            (&fresh.0, fresh.1, fresh.2, None)
                        };
                        let hash = differential_hash(i, &mut rng);
                        let signature: Signature = key.sign_prehash(&hash).unwrap();
                        let good: [u8; 64] = signature.to_bytes().into();
                        // The genuine signature verifies, on both paths.
                        assert_eq!(
                            verify_prehashed(&sec1, &hash, &good),
                            Ok(()),
                            "signature {i}"
                        );
                        if let Some(table) = table {
                            assert_eq!(table.verify_prehashed(&hash, &good), Ok(()), "{i}");
                        }
                        tuples += 1;
                        // Three variants, which must get p256's verdict.
                        for j in 0..3 {
                            let v = (3 * i + j) % VARIANTS;
                            let (k, h, s) = variant(v, &mut rng, (sec1, hash, good), &d);
                            let expected = p256_verdict(&k, &h, &s);
                            let outcome = verify_prehashed(&k, &h, &s);
                            assert_eq!(outcome, expected, "signature {i}, variant {v}");
                            if let (Some(table), true) = (table, k == sec1) {
                                assert_eq!(table.verify_prehashed(&h, &s), expected, "{i}, {v}");
                            }
                            // High s verifies; zero, n and the point at infinity never do.
                            if v == 8 {
                                assert_eq!(outcome, Ok(()), "signature {i}, high s");
                            }
                            if v == 9 {
                                assert_eq!(outcome, Err(Error::BadSignature), "signature {i}");
                            }
                            tally[v] += 1;
                            accepted += usize::from(outcome.is_ok());
                            tuples += 1;
                        }
                    }
                    (tally, accepted, tuples)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut tally = [0usize; VARIANTS];
    let (mut accepted, mut tuples) = (0, 0);
    for (t, a, n) in tallies {
        for (sum, x) in tally.iter_mut().zip(t) {
            *sum += x;
        }
        accepted += a;
        tuples += n;
    }
    eprintln!(
        "differential: {tuples} tuples in {:?} on {threads} threads; variants {tally:?}, \
         {accepted} accepted",
        started.elapsed()
    );
    assert_eq!(tuples, 4 * DIFFERENTIAL_SIGNATURES);
    assert!(tuples >= 100_000);
    assert!(
        tally
            .iter()
            .all(|&t| t >= DIFFERENTIAL_SIGNATURES * 3 / VARIANTS - 1)
    );
    // Variant 8 (high s) always verifies; the rest almost never do.
    assert!(accepted >= tally[8] && accepted < tally[8] + 10);
}
