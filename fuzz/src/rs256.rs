//! The `rsa` target: RS256 with public exponents of every shape, against the `rsa` crate.
//!
//! Per input: one of three fixed prime pairs (fuzz/src/rsa_primes.rs) of a modulus size (2048,
//! 3072 or 4096 bits), an odd public exponent `e ≥ 3` from the input (moved up by 2 until it is
//! coprime to λ(n)), the private exponent `d = e⁻¹ mod λ(n)`, the `rsa` crate's private key from
//! those components (which checks `e·d ≡ 1` modulo `p − 1` and `q − 1`), a PKCS#1 v1.5
//! signature over the JWS signing input of a token with `alg: RS256` and the input's payload,
//! then one mutation of the signature, the message, the signed encoding or the verifying key.
//! tokengate (`Verifier::verify_jws` on the token, and `Key::verify_signature` on the signing
//! input) and the `rsa` crate (`Pkcs1v15Sign`) must give the same verdict; an unmutated
//! signature must verify in both.
//!
//! Speed: the `rsa` crate's private operation (num-bigint-dig, on the heap) takes 50 ms for a
//! 2048-bit key and 300 to 400 ms for a 4096-bit one under AddressSanitizer: the target ran at 4
//! executions per second with it. The private operation is therefore done by CRT on fixed-size
//! crypto-bigint integers ([`private_op`], 2 to 30 ms), and only for the mutations that need it.
//! It only makes inputs: every signature it makes is judged by both verifiers, a genuine one must
//! verify in the `rsa` crate, and one input in 64 (by its hash) also signs with the `rsa` crate's
//! `RsaPrivateKey::sign` and requires the same signature (PKCS#1 v1.5 is deterministic).

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Limb, U1024, U1536, U2048, Uint};
use rsa::sha2::{Digest, Sha256};
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
use tokengate::{
    Alg, Buffers, Error, Expected, Key, MAX_SIGNATURE_LEN, Policy, RsaModulus, RsaPublicKey,
    Verifier,
};

use crate::rsa_primes::{PAIRS_2048, PAIRS_3072, PAIRS_4096, PrimePair};
use crate::setup::b64;

/// Longest payload: the token then always fits `Buffers<1536>`.
const MAX_MESSAGE: usize = 1024;
const HEADER: &[u8] = br#"{"alg":"RS256","typ":"JWT"}"#;

/// A prime pair with what every input needs of it, parsed once.
pub struct Pair {
    pub bits: usize,
    pub p: BigUint,
    pub q: BigUint,
    pub n: BigUint,
    pub lambda: BigUint,
    /// `q⁻¹ mod p`, for the CRT.
    pub q_inv: BigUint,
}

fn parse(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
}

fn pairs(bits: usize, table: &[PrimePair]) -> Vec<Pair> {
    table
        .iter()
        .map(|pair| {
            let (p, q, lambda) = (parse(pair.p), parse(pair.q), parse(pair.lambda));
            let n = &p * &q;
            let one = BigUint::from(1u32);
            assert_eq!(n.bits(), bits);
            assert!(p != q);
            // λ is a common multiple of p − 1 and q − 1 (the least, by the generator).
            assert_eq!(&lambda % (&p - &one), BigUint::from(0u32));
            assert_eq!(&lambda % (&q - &one), BigUint::from(0u32));
            // Fermat: q^(p − 2) = q⁻¹ mod the prime p.
            let q_inv = pow_mod(bits, &q, &(&p - BigUint::from(2u32)), &p);
            assert_eq!(&q_inv * &q % &p, one);
            Pair {
                bits,
                p,
                q,
                n,
                lambda,
                q_inv,
            }
        })
        .collect()
}

/// The prime pairs, by size: 2048, 3072, 4096 bits.
pub static PAIRS: LazyLock<[Vec<Pair>; 3]> = LazyLock::new(|| {
    [
        pairs(2048, &PAIRS_2048),
        pairs(3072, &PAIRS_3072),
        pairs(4096, &PAIRS_4096),
    ]
});

/// `x mod m` for a small `m`.
fn small_rem(x: &BigUint, m: u32) -> u64 {
    (x % m)
        .to_bytes_be()
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `a⁻¹ mod m` for coprime `a`, `m` (extended Euclid).
fn inverse(a: u64, m: u64) -> u64 {
    let (mut r0, mut r1) = (i128::from(m), i128::from(a % m));
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 != 0 {
        let k = r0 / r1;
        (r0, r1) = (r1, r0 - k * r1);
        (t0, t1) = (t1, t0 - k * t1);
    }
    assert_eq!(r0, 1, "not coprime");
    u64::try_from(t0.rem_euclid(i128::from(m))).unwrap()
}

/// The public exponent for `seed`: odd, at least 3, coprime to λ (moved up by 2 until it is,
/// wrapping to 3 past `u32::MAX`).
pub fn exponent(lambda: &BigUint, seed: u32) -> u32 {
    let mut e = (seed | 1).max(3);
    while gcd(u64::from(e), small_rem(lambda, e)) != 1 {
        e = e.checked_add(2).unwrap_or(3);
    }
    e
}

/// `d = e⁻¹ mod λ`, as `(1 + k·λ)/e` with `k = −λ⁻¹ mod e` (so that `e` divides `1 + k·λ`).
pub fn private_exponent(lambda: &BigUint, e: u32) -> BigUint {
    let r = small_rem(lambda, e);
    let k = (u64::from(e) - inverse(r, u64::from(e))) % u64::from(e);
    let numerator = BigUint::from(1u32) + lambda * BigUint::from(k);
    assert_eq!(small_rem(&numerator, e), 0);
    numerator / BigUint::from(e)
}

/// A signature value made from the genuine one `s` and the modulus `n`.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Value {
    Zero,
    One,
    NMinusOne,
    N,
    NPlusOne,
    SPlusOne,
    SMinusOne,
    NMinusS,
    SPlusN,
    /// `s · 2^k mod n`, `k` in 1..=8.
    Doubled(u8),
    /// The top byte set, the rest kept.
    TopByte(u8),
}

/// How the genuine signature, message, encoding or key is changed.
#[derive(Arbitrary, Debug)]
pub enum Mutation<'a> {
    /// The genuine signature: both must accept.
    None,
    /// XOR `mask` into the signature from byte `at` (modulo its length).
    XorSignature {
        at: u16,
        mask: &'a [u8],
    },
    /// Replace the signature by a value made from it.
    Value(Value),
    /// Drop the first or last byte, or add a leading zero or a trailing byte.
    DropFirst,
    DropLast,
    PrependZero,
    Append(u8),
    /// XOR `mask` into the message (the payload) at byte `at` (modulo its length).
    XorMessage {
        at: u16,
        mask: u8,
    },
    /// Append to or truncate the message.
    ExtendMessage(&'a [u8]),
    TruncateMessage(u16),
    /// The genuine signature, under another message.
    OtherMessage(&'a [u8]),
    /// Sign, with the raw private operation, the EMSA-PKCS1-v1_5 encoding XORed with `mask` at
    /// byte `at` (reduced mod n if it goes past it).
    XorEncoding {
        at: u16,
        mask: &'a [u8],
    },
    /// Sign a DigestInfo other than SHA-256's over the SHA-256 hash (SHA-1's, SHA-512's, SHA-256's
    /// without its NULL parameters, none), or SHA-256's with bytes after the hash.
    Prefix(Prefix),
    TrailingData(&'a [u8]),
    /// Verify with another exponent (`e + 2·(k + 1)`, odd; the rsa crate's key too).
    OtherExponent(u8),
    /// The signature of the same message by another pair of the same size.
    OtherPair,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Prefix {
    Sha1,
    Sha512,
    Sha256NoNull,
    None,
}

#[derive(Arbitrary, Debug)]
pub struct RsaCase<'a> {
    pub size: u8,
    pub pair: u8,
    pub exponent: u32,
    pub mutation: Mutation<'a>,
    pub message: &'a [u8],
}

const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA1_PREFIX: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];
const SHA512_PREFIX: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];
const SHA256_NO_NULL_PREFIX: [u8; 17] = [
    0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04,
    0x20,
];

fn signing_input(message: &[u8]) -> String {
    format!("{}.{}", b64(HEADER), b64(message))
}

/// `d` for `e`, and the `rsa` crate's private key from `n`, `e`, `d`, `p`, `q` (which validates
/// them).
fn private_key(pair: &Pair, e: u32) -> (BigUint, RsaPrivateKey) {
    let d = private_exponent(&pair.lambda, e);
    let key = RsaPrivateKey::from_components(
        pair.n.clone(),
        BigUint::from(e),
        d.clone(),
        vec![pair.p.clone(), pair.q.clone()],
    )
    .unwrap();
    (d, key)
}

/// `k`-byte big-endian.
fn to_bytes(x: &BigUint, k: usize) -> Vec<u8> {
    let bytes = x.to_bytes_be();
    let mut out = vec![0u8; k.saturating_sub(bytes.len())];
    out.extend_from_slice(&bytes);
    out
}

/// `base^exp mod modulus` on `L`-limb crypto-bigint integers (variable time: test keys), for a
/// `modulus` of `L` limbs at most and `exp` below it.
fn pow_mod_limbs<const L: usize>(base: &BigUint, exp: &BigUint, modulus: &BigUint) -> BigUint {
    let uint = |x: &BigUint| Uint::<L>::from_be_slice(&to_bytes(x, L * Limb::BYTES));
    let params = FixedMontyParams::new_vartime(uint(modulus).to_odd().unwrap());
    let x = FixedMontyForm::new(&uint(&(base % modulus)), &params)
        .pow_vartime(&uint(exp))
        .retrieve();
    BigUint::from_bytes_be(x.to_be_bytes().as_ref())
}

/// [`pow_mod_limbs`] for a prime of half a `bits`-bit modulus.
fn pow_mod(bits: usize, base: &BigUint, exp: &BigUint, prime: &BigUint) -> BigUint {
    match bits {
        2048 => pow_mod_limbs::<{ U1024::LIMBS }>(base, exp, prime),
        3072 => pow_mod_limbs::<{ U1536::LIMBS }>(base, exp, prime),
        _ => pow_mod_limbs::<{ U2048::LIMBS }>(base, exp, prime),
    }
}

/// The raw private operation `em^d mod n` (of `em` reduced mod n), by CRT, as a `k`-byte
/// signature.
fn private_op(pair: &Pair, d: &BigUint, em: &[u8]) -> Vec<u8> {
    let one = BigUint::from(1u32);
    let c = BigUint::from_bytes_be(em) % &pair.n;
    let m1 = pow_mod(pair.bits, &c, &(d % (&pair.p - &one)), &pair.p);
    let m2 = pow_mod(pair.bits, &c, &(d % (&pair.q - &one)), &pair.q);
    // s = m2 + q·(q⁻¹·(m1 − m2) mod p).
    let diff = (&m1 + &pair.p - &m2 % &pair.p) % &pair.p;
    let h = &pair.q_inv * diff % &pair.p;
    let s = m2 + h * &pair.q;
    to_bytes(&s, pair.bits / 8)
}

/// EMSA-PKCS1-v1_5 of `hash` (already prefixed) for a `k`-byte modulus: 00 01 FF.. 00 T.
fn encode(t: &[u8], k: usize) -> Vec<u8> {
    let mut em = vec![0xffu8; k];
    em[0] = 0;
    em[1] = 1;
    let start = k - t.len();
    em[start - 1] = 0;
    em[start..].copy_from_slice(t);
    em
}

fn value(v: Value, s: &BigUint, n: &BigUint, k: usize) -> Vec<u8> {
    let one = BigUint::from(1u32);
    let x = match v {
        Value::Zero => BigUint::from(0u32),
        Value::One => one,
        Value::NMinusOne => n - &one,
        Value::N => n.clone(),
        Value::NPlusOne => n + &one,
        Value::SPlusOne => s + &one,
        Value::SMinusOne => {
            if s == &BigUint::from(0u32) {
                n - &one
            } else {
                s - &one
            }
        }
        Value::NMinusS => n - s,
        Value::SPlusN => s + n,
        Value::Doubled(shift) => (s << (usize::from(shift % 8) + 1)) % n,
        Value::TopByte(byte) => {
            let mut bytes = to_bytes(s, k);
            bytes[0] = byte;
            return bytes;
        }
    };
    // Values past k bytes (s + n for a modulus just below 2^(8k)) keep their length: both
    // libraries then see a signature of the wrong length.
    to_bytes(&x, k)
}

fn verifier_key<const L: usize>(n: &[u8], e: u32) -> RsaPublicKey<L> {
    let key = RsaPublicKey::<L>::new(n, e);
    assert!(
        key.is_ok(),
        "tokengate refuses n of {} bytes, e = {e}: {key:?}",
        n.len()
    );
    key.unwrap()
}

/// tokengate's verdict on `token` (through `verify_jws`) and on the raw signing input and
/// signature (`Key::verify_signature`), which must agree.
fn tokengate_verdict<const L: usize>(
    n: &[u8],
    e: u32,
    token: &str,
    input: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let key = verifier_key::<L>(n, e);
    let keys = [Key::rs256(&key)];
    let verifier = Verifier::new(&keys, Policy::new(Expected::Any, Expected::Any));
    let mut buffers = Buffers::<1536>::new();
    let jws = verifier.verify_jws(token, &mut buffers).map(|_| ());
    let layer = keys[0].verify_signature(input, signature);
    // The same modulus as an `RsaModulus` (constants computed at verification, the C API's
    // keys): the same verdict and error.
    let modulus = RsaModulus::new(n, e).expect("the pair's modulus is a valid RSA key");
    let lazy = Key::rsa_modulus(&modulus, Alg::Rs256).expect("RS256 is compiled in");
    assert_eq!(
        lazy.verify_signature(input, signature),
        layer,
        "RsaModulus and RsaPublicKey disagree"
    );
    if signature.len() <= MAX_SIGNATURE_LEN {
        assert_eq!(jws, layer, "verify_jws and verify_signature disagree");
    } else {
        // The buffers bound the signature: the token is too large before any key is tried.
        assert_eq!(
            jws,
            Err(Error::TooLarge {
                needed: signature.len(),
                capacity: MAX_SIGNATURE_LEN
            })
        );
    }
    layer
}

pub fn check(case: RsaCase<'_>) {
    let size = usize::from(case.size % 3);
    let pairs = &PAIRS[size];
    let index = usize::from(case.pair) % pairs.len();
    let pair = &pairs[index];
    let k = pair.bits / 8;
    let e = exponent(&pair.lambda, case.exponent);
    let (d, key) = private_key(pair, e);
    let message = &case.message[..case.message.len().min(MAX_MESSAGE)];
    let input = signing_input(message);
    let hash = Sha256::digest(input.as_bytes());
    let encoding = |prefix: &[u8], extra: &[u8]| {
        let mut t = prefix.to_vec();
        t.extend_from_slice(&hash);
        t.extend_from_slice(extra);
        encode(&t, k)
    };
    // The genuine signature, made only for the mutations that start from it.
    let genuine = || {
        let genuine = private_op(pair, &d, &encoding(&SHA256_PREFIX, &[]));
        if hash[0] % 64 == 0 {
            // The `rsa` crate's own signature is the same.
            let theirs = key.sign(Pkcs1v15Sign::new::<Sha256>(), &hash).unwrap();
            assert_eq!(
                genuine, theirs,
                "CRT signature differs from the rsa crate's"
            );
        }
        genuine
    };

    let mut verified_message = message.to_vec();
    let mut verify_e = e;
    // The signature, and whether it is the genuine one.
    let (signature, is_genuine) = match case.mutation {
        Mutation::None => (genuine(), true),
        Mutation::XorSignature { at, mask } => {
            let mut signature = genuine();
            for (i, m) in mask.iter().enumerate() {
                signature[(usize::from(at) + i) % k] ^= m;
            }
            (signature, mask.iter().all(|&m| m == 0))
        }
        Mutation::Value(v) => {
            let genuine = genuine();
            let signature = value(v, &BigUint::from_bytes_be(&genuine), &pair.n, k);
            let same = signature == genuine;
            (signature, same)
        }
        Mutation::DropFirst => (genuine()[1..].to_vec(), false),
        Mutation::DropLast => (genuine()[..k - 1].to_vec(), false),
        Mutation::PrependZero => ([&[0u8][..], &genuine()].concat(), false),
        Mutation::Append(b) => ([&genuine()[..], &[b]].concat(), false),
        Mutation::XorMessage { at, mask } => {
            if !verified_message.is_empty() {
                let at = usize::from(at) % verified_message.len();
                verified_message[at] ^= mask;
            }
            (genuine(), true)
        }
        Mutation::ExtendMessage(more) => {
            verified_message.extend_from_slice(&more[..more.len().min(64)]);
            (genuine(), true)
        }
        Mutation::TruncateMessage(by) => {
            let keep = verified_message
                .len()
                .saturating_sub(usize::from(by) % 64 + 1);
            verified_message.truncate(keep);
            (genuine(), true)
        }
        Mutation::OtherMessage(other) => {
            verified_message = other[..other.len().min(MAX_MESSAGE)].to_vec();
            (genuine(), true)
        }
        Mutation::XorEncoding { at, mask } => {
            let mut em = encoding(&SHA256_PREFIX, &[]);
            for (i, m) in mask.iter().enumerate() {
                em[(usize::from(at) + i) % k] ^= m;
            }
            (private_op(pair, &d, &em), mask.iter().all(|&m| m == 0))
        }
        Mutation::Prefix(prefix) => {
            let prefix: &[u8] = match prefix {
                Prefix::Sha1 => &SHA1_PREFIX,
                Prefix::Sha512 => &SHA512_PREFIX,
                Prefix::Sha256NoNull => &SHA256_NO_NULL_PREFIX,
                Prefix::None => &[],
            };
            (private_op(pair, &d, &encoding(prefix, &[])), false)
        }
        Mutation::TrailingData(extra) => {
            // At least 8 bytes of padding are left (RFC 8017 §9.2).
            let room = k - 11 - SHA256_PREFIX.len() - hash.len();
            let extra = &extra[..extra.len().min(room)];
            let em = encoding(&SHA256_PREFIX, extra);
            (private_op(pair, &d, &em), extra.is_empty())
        }
        Mutation::OtherExponent(step) => {
            verify_e = (e.wrapping_add(2 * (u32::from(step) + 1)) | 1).max(3);
            (genuine(), true)
        }
        Mutation::OtherPair => {
            let other = &pairs[(index + 1) % pairs.len()];
            let other_d = private_exponent(&other.lambda, exponent(&other.lambda, e));
            let em = encoding(&SHA256_PREFIX, &[]);
            (private_op(other, &other_d, &em), false)
        }
    };
    let unchanged = is_genuine && verified_message == message && verify_e == e;

    let verified_input = signing_input(&verified_message);
    let token = format!("{verified_input}.{}", b64(&signature));
    let n = to_bytes(&pair.n, k);
    let verdict = match size {
        0 => tokengate_verdict::<{ crypto_bigint::U2048::LIMBS }>,
        1 => tokengate_verdict::<{ crypto_bigint::U3072::LIMBS }>,
        _ => tokengate_verdict::<{ crypto_bigint::U4096::LIMBS }>,
    };
    let ours = verdict(&n, verify_e, &token, verified_input.as_bytes(), &signature);
    let reference = rsa::RsaPublicKey::new(pair.n.clone(), BigUint::from(verify_e)).unwrap();
    let theirs = reference.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(verified_input.as_bytes()),
        &signature,
    );
    assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "{} bits, e = {e}, verified with e = {verify_e}: tokengate {ours:?}, rsa {theirs:?}",
        pair.bits
    );
    if unchanged {
        assert_eq!(ours, Ok(()), "a genuine signature, e = {e}");
    }
    if let Err(error) = ours {
        let expected = if signature.len() == k {
            Error::BadSignature
        } else {
            Error::SignatureLength {
                len: signature.len(),
                expected: k,
            }
        };
        assert_eq!(error, expected);
    }
}
