//! Unit tests of the arithmetic: field, scalar and point operations against independent
//! references and the `p256` crate, the generator's table and key tables against their
//! definition, and a million field and a million scalar inversions checked with `p256`.
//! The public API is tested in tests/ (every Wycheproof P1363 case, and a differential test
//! against `p256` over 100 000 tuples).
#![allow(
    clippy::as_conversions,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::indexing_slicing
)] // Test code: a panic is a failed test.

use std::string::String;
use std::vec::Vec;

use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::{Group, PrimeField};
use p256::{ProjectivePoint, PublicKey};

use crate::ecdsa::{G_POINTS, G_SPACING, G_TEETH, key_teeth};
use crate::field::{self, Fe, P};
use crate::point::{self, Affine, Jacobian};
use crate::safegcd::Modulus;
use crate::scalar::{self, Comb, N, Scalar};
use crate::{Error, KeyTable, is_on_curve, tables};

// --- helpers ---------------------------------------------------------------------------------

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
    fn words(&mut self) -> [u32; 8] {
        let mut w = [0u32; 8];
        for x in w.iter_mut() {
            *x = self.next() as u32;
        }
        w
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Little-endian words to a big-endian 32-byte string.
fn be(w: &[u32; 8]) -> [u8; 32] {
    field::words_to_be(w)
}

fn hex32(s: &str) -> [u8; 32] {
    hex::decode(s).unwrap().try_into().unwrap()
}

/// `x mod m` of a 16-word integer, by binary long division: the slow reference.
fn ref_mod(t: &[u32; 16], m: &[u32; 8]) -> [u32; 8] {
    let mut r = [0u64; 9];
    for bit in (0..512).rev() {
        // r = 2r + bit
        let mut carry = (t[bit / 32] >> (bit % 32)) as u64 & 1;
        for w in r.iter_mut() {
            let v = (*w << 1) | carry;
            carry = v >> 32;
            *w = v & 0xffff_ffff;
        }
        // if r >= m: r -= m
        let mut ge = true;
        if r[8] == 0 {
            for i in (0..8).rev() {
                if r[i] != m[i] as u64 {
                    ge = r[i] > m[i] as u64;
                    break;
                }
            }
        }
        if ge {
            let mut borrow = 0i64;
            for i in 0..9 {
                let mi = if i < 8 { m[i] as i64 } else { 0 };
                let v = r[i] as i64 - mi - borrow;
                borrow = (v < 0) as i64;
                r[i] = (v + (borrow << 32)) as u64;
            }
        }
    }
    let mut out = [0u32; 8];
    for i in 0..8 {
        out[i] = r[i] as u32;
    }
    out
}

fn ref_mul(a: &[u32; 8], b: &[u32; 8], m: &[u32; 8]) -> [u32; 8] {
    let mut t = [0u64; 16];
    for i in 0..8 {
        let mut carry = 0u64;
        for j in 0..8 {
            let v = t[i + j] + a[i] as u64 * b[j] as u64 + carry;
            t[i + j] = v & 0xffff_ffff;
            carry = v >> 32;
        }
        t[i + 8] = carry;
    }
    let mut w = [0u32; 16];
    for i in 0..16 {
        w[i] = t[i] as u32;
    }
    ref_mod(&w, m)
}

fn ref_reduce(a: &[u32; 8], m: &[u32; 8]) -> [u32; 8] {
    let mut w = [0u32; 16];
    w[..8].copy_from_slice(a);
    ref_mod(&w, m)
}

fn ref_add(a: &[u32; 8], b: &[u32; 8], m: &[u32; 8]) -> [u32; 8] {
    let mut w = [0u32; 16];
    let mut carry = 0u64;
    for i in 0..8 {
        let v = a[i] as u64 + b[i] as u64 + carry;
        w[i] = v as u32;
        carry = v >> 32;
    }
    w[8] = carry as u32;
    ref_mod(&w, m)
}

/// `m − x` for `x < m`, or zero.
fn ref_neg(x: &[u32; 8], m: &[u32; 8]) -> [u32; 8] {
    let x = ref_reduce(x, m);
    if x == [0; 8] {
        return x;
    }
    let mut r = [0u32; 8];
    let mut borrow = 0i64;
    for i in 0..8 {
        let v = m[i] as i64 - x[i] as i64 - borrow;
        borrow = (v < 0) as i64;
        r[i] = (v + (borrow << 32)) as u32;
    }
    r
}

/// Field elements worth testing: edges around 0, p and 2^256, and random words.
fn field_samples(rng: &mut Rng, random: usize) -> Vec<[u32; 8]> {
    let mut p_plus_1 = P;
    p_plus_1[0] = 0;
    p_plus_1[1] = 0;
    p_plus_1[2] = 0;
    p_plus_1[3] = 1; // p + 1 = 2^256 − 2^224 + 2^192 + 2^96
    let mut p_minus_1 = P;
    p_minus_1[0] = 0xffff_fffe;
    let mut v = vec![
        [0; 8],
        [1, 0, 0, 0, 0, 0, 0, 0],
        [2, 0, 0, 0, 0, 0, 0, 0],
        P,
        p_plus_1,
        p_minus_1,
        [u32::MAX; 8],
        [
            u32::MAX - 1,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
        ],
        Fe::ONE.0,
        [0, 0, 0, 0, 0, 0, 0, 0x8000_0000],
    ];
    for _ in 0..random {
        v.push(random_field_words(rng));
    }
    v
}

/// Random words, half of them near the top of the range, where reductions happen.
fn random_field_words(rng: &mut Rng) -> [u32; 8] {
    let mut w = rng.words();
    match rng.below(4) {
        0 => w[7] = u32::MAX,
        1 => {
            w[7] = u32::MAX;
            w[6] = u32::MAX;
            w[5] = u32::MAX;
        }
        _ => {}
    }
    w
}

/// The SEC1 encoding of a `p256` point.
fn sec1_of(p: &ProjectivePoint) -> [u8; 65] {
    p.to_affine()
        .to_sec1_point(false)
        .as_bytes()
        .try_into()
        .unwrap()
}

/// The SEC1 encoding of one of our points, or `None` at infinity.
fn sec1_of_jacobian(p: &Jacobian) -> Option<[u8; 65]> {
    let a = p.affine()?;
    let mut out = [0u8; 65];
    out[0] = 4;
    out[1..33].copy_from_slice(&a.x.be_bytes());
    out[33..].copy_from_slice(&a.y.be_bytes());
    Some(out)
}

fn p256_scalar(bytes: &[u8; 32]) -> p256::Scalar {
    p256::Scalar::from_repr((*bytes).into()).unwrap()
}

fn scalar_of(w: &[u32; 8]) -> p256::Scalar {
    p256_scalar(&be(w))
}

// --- field -----------------------------------------------------------------------------------

/// Words at the carry boundaries of a 32-bit word, for the column-wise product and squaring.
const CARRY_EDGES: [u32; 7] = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];

/// The column-wise 512-bit product (RV32) equals the row-wise one (Armv7-M, host): words at
/// the carry boundaries in every position, then a million seeded random pairs.
#[test]
fn column_product_equals_row_product() {
    let mut rng = Rng(0x636f_6c75_6d6e_7321);
    let check = |a: [u32; 8], b: [u32; 8]| {
        assert_eq!(
            field::mul_wide_columns(&a, &b),
            field::mul_wide(&a, &b),
            "{a:x?} {b:x?}"
        );
    };
    for x in CARRY_EDGES {
        for y in CARRY_EDGES {
            check([x; 8], [y; 8]);
            let mut a = [x; 8];
            let mut b = [y; 8];
            for i in 0..8 {
                a[i] = rng.next() as u32;
                b[7 - i] = rng.next() as u32;
                check(a, b);
            }
        }
    }
    for _ in 0..1_000_000 {
        let mut a = [0u32; 8];
        let mut b = [0u32; 8];
        for i in 0..8 {
            (a[i], b[i]) = (rng.next() as u32, rng.next() as u32);
        }
        check(a, b);
    }
}

/// The column-wise squaring (RV32) equals the row-wise product of a word string with itself.
#[test]
fn column_square_equals_row_product() {
    let mut rng = Rng(0x7371_7561_7265_7321);
    let check = |a: [u32; 8]| {
        assert_eq!(
            field::square_wide_columns(&a),
            field::mul_wide(&a, &a),
            "{a:x?}"
        );
    };
    for x in CARRY_EDGES {
        check([x; 8]);
        for y in CARRY_EDGES {
            for i in 0..8 {
                let mut a = [x; 8];
                a[i] = y;
                check(a);
                a[(i + 3) % 8] = rng.next() as u32;
                check(a);
            }
        }
    }
    for _ in 0..1_000_000 {
        let mut a = [0u32; 8];
        for w in &mut a {
            *w = rng.next() as u32;
        }
        check(a);
    }
}

/// The Armv6-M multiply-accumulate (four 16×16-bit products) equals the `u64` one: every
/// combination of words at the edges of each 16-bit half, then 4 million seeded random ones.
#[test]
fn mac_from_halves_equals_the_u64_product() {
    let u64_mac = |a: u32, b: u32, c: u32, d: u32| {
        let t = a as u64 * b as u64 + c as u64 + d as u64;
        (t as u32, (t >> 32) as u32)
    };
    let edges = [
        0,
        1,
        2,
        0xfffe,
        0xffff,
        0x1_0000,
        0x1_0001,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_0000,
        0xffff_0001,
        0xfffe_ffff,
        0xffff_fffe,
        0xffff_ffff,
    ];
    for a in edges {
        for b in edges {
            for c in edges {
                for d in edges {
                    assert_eq!(
                        field::mac_halves(a, b, c, d),
                        u64_mac(a, b, c, d),
                        "{a:#x} {b:#x} {c:#x} {d:#x}"
                    );
                }
            }
        }
    }
    let mut rng = Rng(0x6d61_635f_6861_6c66);
    for _ in 0..4_000_000 {
        let (x, y) = (rng.next(), rng.next());
        let (a, b, c, d) = (x as u32, (x >> 32) as u32, y as u32, (y >> 32) as u32);
        assert_eq!(field::mac_halves(a, b, c, d), u64_mac(a, b, c, d));
    }
}

/// The 64-bit forms (`_u64`, what 64-bit hosts run) return exactly the words of the 32-bit
/// forms (what the firmware targets run), not only the same residue: product and squaring,
/// `mul_small`, and the eight-word addition and subtraction with their carries. Every pair of
/// the field edges and words at the carry boundaries of 32- and 64-bit words (each of
/// `CARRY_EDGES` in every word, so every 64-bit word at its own edges too), then a million
/// seeded random pairs, half with their top words saturated.
#[test]
fn wide_arithmetic_equals_narrow() {
    let mut rng = Rng(0x7769_6465_2f6e_6172);
    let check = |a: [u32; 8], b: [u32; 8], k: u32| {
        let narrow = field::reduce_wide_outlined(&field::mul_wide(&a, &b));
        assert_eq!(field::mul_u64(&a, &b), narrow, "mul {a:x?} {b:x?}");
        let narrow = field::reduce_wide_outlined(&field::mul_wide(&a, &a));
        assert_eq!(field::square_u64(&a), narrow, "square {a:x?}");
        assert_eq!(
            field::mul_small_u64(&a, k).0,
            field::mul_small_u32(&a, k).0,
            "mul_small {a:x?} {k}"
        );
        let (mut x, mut y) = (a, a);
        let carries = (field::add8_u64(&mut x, &b), field::add8_u32(&mut y, &b));
        assert_eq!((x, carries.0), (y, carries.1), "add8 {a:x?} {b:x?}");
        let (mut x, mut y) = (a, a);
        let borrows = (field::sub8_u64(&mut x, &b), field::sub8_u32(&mut y, &b));
        assert_eq!((x, borrows.0), (y, borrows.1), "sub8 {a:x?} {b:x?}");
    };
    let smalls = [0, 1, 2, 3, 4, 8, 0xffff, u32::MAX];
    let mut edges = field_samples(&mut rng, 0);
    for x in CARRY_EDGES {
        edges.push([x; 8]);
        for y in CARRY_EDGES {
            for i in 0..8 {
                let mut a = [x; 8];
                a[i] = y;
                edges.push(a);
            }
        }
    }
    for (n, a) in edges.iter().enumerate() {
        for (m, b) in edges.iter().enumerate() {
            check(*a, *b, smalls[(n + m) % smalls.len()]);
        }
    }
    for n in 0..1_000_000 {
        let (a, b) = (random_field_words(&mut rng), random_field_words(&mut rng));
        let k = if n % 2 == 0 {
            smalls[n / 2 % smalls.len()]
        } else {
            rng.next() as u32
        };
        check(a, b, k);
    }
}

#[test]
fn field_mul_matches_reference() {
    let mut rng = Rng(1);
    let samples = field_samples(&mut rng, 150);
    for a in &samples {
        for b in samples.iter().step_by(7) {
            let m = Fe(*a).mul(&Fe(*b));
            // mont(a, b)·R ≡ a·b (mod p), R mod p = ONE's words.
            assert_eq!(
                ref_mul(&m.0, &Fe::ONE.0, &P),
                ref_mul(a, b, &P),
                "{a:x?} · {b:x?}"
            );
            // The canonical form is below p.
            assert!(field::less_than(&m.canonical().0, &P));
        }
    }
}

#[test]
fn field_square_matches_reference() {
    let mut rng = Rng(11);
    for a in field_samples(&mut rng, 2000) {
        let m = Fe(a).square();
        assert_eq!(
            ref_mul(&m.0, &Fe::ONE.0, &P),
            ref_mul(&a, &a, &P),
            "{a:x?}²"
        );
    }
}

#[test]
fn field_add_sub_neg_match_reference() {
    let mut rng = Rng(2);
    let samples = field_samples(&mut rng, 100);
    for a in &samples {
        for b in &samples {
            let sum = Fe(*a).add(&Fe(*b)).canonical().0;
            assert_eq!(sum, ref_add(a, b, &P), "{a:x?} + {b:x?}");
            let diff = Fe(*a).sub(&Fe(*b)).canonical().0;
            assert_eq!(diff, ref_add(a, &ref_neg(b, &P), &P), "{a:x?} − {b:x?}");
        }
        assert_eq!(Fe(*a).neg().canonical().0, ref_neg(a, &P));
        for k in [
            0,
            1,
            2,
            3,
            4,
            8,
            16,
            0xffff,
            0x1_0000,
            0x8000_0000,
            u32::MAX,
        ] {
            let mut kw = [0u32; 8];
            kw[0] = k;
            assert_eq!(
                Fe(*a).mul_small(k).canonical().0,
                ref_mul(a, &kw, &P),
                "{k}·{a:x?}"
            );
        }
        assert_eq!(Fe(*a).canonical().0, ref_reduce(a, &P));
        assert_eq!(Fe(*a).is_zero(), ref_reduce(a, &P) == [0; 8]);
    }
}

#[test]
fn field_invert_and_encoding() {
    let mut rng = Rng(3);
    for a in field_samples(&mut rng, 40) {
        let x = Fe(a);
        if x.is_zero() {
            assert!(x.invert().is_zero());
            continue;
        }
        assert!(x.mul(&x.invert()).eq(&Fe::ONE), "{a:x?}");
        // to/from the Montgomery domain.
        let canonical = ref_reduce(&a, &P);
        let bytes = be(&canonical);
        assert_eq!(Fe::from_be_bytes(&bytes).be_bytes(), bytes);
    }
}

// --- scalars ---------------------------------------------------------------------------------

#[test]
fn scalar_arithmetic_matches_reference() {
    let mut rng = Rng(4);
    let mut n_minus_1 = N;
    n_minus_1[0] -= 1;
    let mut samples = vec![
        [1, 0, 0, 0, 0, 0, 0, 0],
        [2, 0, 0, 0, 0, 0, 0, 0],
        n_minus_1,
    ];
    for _ in 0..300 {
        samples.push(ref_reduce(&rng.words(), &N));
    }
    for a in &samples {
        let s = Scalar(*a);
        if s.is_zero() {
            continue;
        }
        let inv = s.invert_vartime();
        assert_eq!(ref_mul(a, &inv.0, &N), [1, 0, 0, 0, 0, 0, 0, 0], "{a:x?}");
        let b = &samples[(a[0] as usize) % samples.len()];
        assert_eq!(s.mul(&Scalar(*b)).0, ref_mul(a, b, &N));
        let (x, y) = s.mul2(&Scalar(*b), &inv);
        assert_eq!(x.0, ref_mul(a, b, &N));
        assert_eq!(y.0, [1, 0, 0, 0, 0, 0, 0, 0]);
    }
    assert_eq!(Scalar::from_be_bytes_nonzero(&[0; 32]), None);
    assert_eq!(Scalar::from_be_bytes_nonzero(&be(&N)), None);
    assert_eq!(Scalar::from_be_bytes_nonzero(&[0xff; 32]), None);
    assert_eq!(
        Scalar::from_be_bytes_nonzero(&be(&n_minus_1)),
        Some(Scalar(n_minus_1))
    );
    assert_eq!(Scalar::reduce_be_bytes(&be(&N)), Scalar([0; 8]));
    assert_eq!(
        Scalar::reduce_be_bytes(&[0xff; 32]).0,
        ref_reduce(&[u32::MAX; 8], &N)
    );
}

/// `Σ dᵢ 2^i` of signed digits, modulo n, with `p256`'s scalars.
fn naf_value(digits: &[i8]) -> p256::Scalar {
    let mut acc = p256::Scalar::ZERO;
    for &d in digits.iter().rev() {
        acc = acc.double();
        let m = p256::Scalar::from(u64::from(d.unsigned_abs()));
        acc = if d < 0 { acc - m } else { acc + m };
    }
    acc
}

/// The textbook right-to-left width-`w` NAF on 320-bit integers, least significant digit
/// first: the reference for the number of additions of [`scalar::Mof`].
fn reference_wnaf(k: &[u32; 8], w: u32) -> Vec<i8> {
    let mut x = [0u64; 5];
    for (i, &word) in k.iter().enumerate() {
        x[i / 2] |= u64::from(word) << (32 * (i % 2));
    }
    let mut digits = Vec::new();
    while x != [0; 5] {
        let mut d = 0i64;
        if x[0] & 1 == 1 {
            d = i64::try_from(x[0] & ((1 << w) - 1)).unwrap();
            if d >= 1 << (w - 1) {
                d -= 1 << w;
            }
            // x −= d, as x + |d| or x − |d| with the carry or borrow through every word.
            let mut carry = d.unsigned_abs();
            for limb in &mut x {
                let (v, over) = if d < 0 {
                    limb.overflowing_add(carry)
                } else {
                    limb.overflowing_sub(carry)
                };
                *limb = v;
                carry = u64::from(over);
            }
        }
        digits.push(i8::try_from(d).unwrap());
        for i in 0..5 {
            x[i] = (x[i] >> 1) | x.get(i + 1).map_or(0, |h| h << 63);
        }
    }
    digits
}

/// The window recoding read from the top reconstructs the scalar with odd digits below
/// `2^(w−1)`, and has exactly as many nonzero digits as the right-to-left wNAF of the same
/// width: the verification makes as many additions as with the wNAF, with no digit array.
#[test]
fn mof_matches_the_wnaf() {
    let mut rng = Rng(5);
    let mut n_minus_1 = N;
    n_minus_1[0] -= 1;
    let mut samples = vec![
        [0; 8],
        [0xffff_ffff, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0x8000_0000],
        [0x5555_5555; 8],
        [0xaaaa_aaaa; 8],
        n_minus_1,
    ];
    for small in 1..=40 {
        samples.push([small, 0, 0, 0, 0, 0, 0, 0]);
    }
    for _ in 0..300 {
        samples.push(ref_reduce(&rng.words(), &N));
    }
    let weight = |digits: &[i8]| digits.iter().filter(|&&d| d != 0).count();
    for w in 2..=8 {
        for k in &samples {
            let digits = scalar::Mof::digits(&Scalar(*k), w);
            assert_eq!(naf_value(&digits), scalar_of(k), "w {w}, {k:x?}");
            for &d in &digits {
                assert!(
                    d == 0 || (d % 2 != 0 && d.unsigned_abs() < 1 << (w - 1)),
                    "digit {d}, w {w}"
                );
            }
            assert_eq!(
                weight(&digits),
                weight(&reference_wnaf(k, w)),
                "w {w}, {k:x?}"
            );
        }
    }
}

/// The value of comb column `j`: sign × (1 + Σ ±2^(t·d)) × 2^j, modulo n.
fn comb_value(comb: &Comb, teeth: usize, d: usize) -> p256::Scalar {
    let two = p256::Scalar::from(2u64);
    let pow = |e: usize| {
        let mut v = p256::Scalar::ONE;
        for _ in 0..e {
            v *= two;
        }
        v
    };
    let mut total = p256::Scalar::ZERO;
    for j in 0..d {
        let (index, negative) = comb.column(j, teeth, d);
        assert!(index < 1 << (teeth - 1));
        let mut entry = p256::Scalar::ONE;
        for t in 1..teeth {
            let term = pow(t * d);
            entry = if index >> (t - 1) & 1 == 1 {
                entry + term
            } else {
                entry - term
            };
        }
        let column = entry * pow(j);
        total = if negative {
            total - column
        } else {
            total + column
        };
    }
    total
}

#[test]
fn comb_digits_reconstruct_the_scalar() {
    let mut rng = Rng(6);
    let mut n_minus_1 = N;
    n_minus_1[0] -= 1;
    let mut samples = vec![
        [1, 0, 0, 0, 0, 0, 0, 0],
        [2, 0, 0, 0, 0, 0, 0, 0],
        n_minus_1,
    ];
    for _ in 0..50 {
        samples.push(ref_reduce(&rng.words(), &N));
    }
    for teeth in [5, 6, 7, 8] {
        let d = point::comb_spacing(teeth);
        for k in &samples {
            let comb = Comb::new(&Scalar(*k), teeth, d);
            assert_eq!(comb_value(&comb, teeth, d), scalar_of(k), "teeth {teeth}");
        }
    }
    assert!(Comb::new(&Scalar([0; 8]), 6, 43).is_zero());
}

// --- points ----------------------------------------------------------------------------------

fn affine_of(p: &ProjectivePoint) -> Affine {
    Affine::from_sec1(&sec1_of(p)).unwrap()
}

#[test]
fn point_operations_match_p256() {
    let mut rng = Rng(7);
    let g = ProjectivePoint::GENERATOR;
    for _ in 0..40 {
        let a = p256_scalar(&be(&ref_reduce(&rng.words(), &N)));
        let b = p256_scalar(&be(&ref_reduce(&rng.words(), &N)));
        let (pa, pb) = (g * a, g * b);
        let (qa, qb) = (affine_of(&pa), affine_of(&pb));
        // Jacobian inputs with Z ≠ 1.
        let ja = qa.jacobian().double().add(&qa.jacobian().neg());
        assert_eq!(sec1_of_jacobian(&ja), Some(sec1_of(&pa)));
        assert_eq!(sec1_of_jacobian(&ja.double()), Some(sec1_of(&pa.double())));
        assert_eq!(
            sec1_of_jacobian(&ja.add_affine(&qb)),
            Some(sec1_of(&(pa + pb)))
        );
        let jb = qb.jacobian().double().add_affine(&qb.neg());
        assert_eq!(sec1_of_jacobian(&ja.add(&jb)), Some(sec1_of(&(pa + pb))));
        // Exceptional cases: P + P, P + (−P), ∞ + P, P + ∞.
        assert_eq!(
            sec1_of_jacobian(&ja.add_affine(&qa)),
            Some(sec1_of(&pa.double()))
        );
        assert_eq!(sec1_of_jacobian(&ja.add(&ja)), Some(sec1_of(&pa.double())));
        assert!(ja.add_affine(&qa.neg()).is_infinity());
        assert!(ja.add(&ja.neg()).is_infinity());
        assert_eq!(
            sec1_of_jacobian(&Jacobian::INFINITY.add_affine(&qa)),
            Some(sec1_of(&pa))
        );
        assert_eq!(
            sec1_of_jacobian(&Jacobian::INFINITY.add(&ja)),
            Some(sec1_of(&pa))
        );
        assert_eq!(
            sec1_of_jacobian(&ja.add(&Jacobian::INFINITY)),
            Some(sec1_of(&pa))
        );
        assert!(Jacobian::INFINITY.double().is_infinity());
    }
}

/// The affine odd multiples of the wNAF loop are `Q, 3Q, 5Q, 7Q`, for the generator, its
/// negative and double, and random points.
#[test]
fn odd_multiples_match_p256() {
    let mut rng = Rng(0x6f64_6473);
    let g = ProjectivePoint::GENERATOR;
    let mut points = vec![g, -g, g.double()];
    for _ in 0..100 {
        points.push(g * p256_scalar(&be(&ref_reduce(&rng.words(), &N))));
    }
    for p in &points {
        let mut odd = [affine_of(p); 4];
        assert_eq!(point::odd_multiples(&affine_of(p), &mut odd), Some(()));
        let mut multiple = *p;
        for entry in &odd {
            let expected = sec1_of(&multiple);
            assert_eq!(sec1_of_jacobian(&entry.jacobian()), Some(expected));
            multiple += p.double();
        }
    }
}

#[test]
fn points_off_the_curve_are_refused() {
    let mut rng = Rng(8);
    let g = affine_of(&ProjectivePoint::GENERATOR);
    let mut sec1 = [0u8; 65];
    sec1[0] = 4;
    sec1[1..33].copy_from_slice(&g.x.be_bytes());
    sec1[33..].copy_from_slice(&g.y.be_bytes());
    assert!(is_on_curve(&sec1));
    for _ in 0..200 {
        let mut bad = sec1;
        let bit = 8 + rng.below(512) as usize;
        bad[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            is_on_curve(&bad),
            PublicKey::from_sec1_bytes(&bad).is_ok(),
            "bit {bit}"
        );
    }
    // Every prefix but 04 (uncompressed) is refused, as by `p256` for 65 bytes.
    for prefix in 0..=u8::MAX {
        let mut other = sec1;
        other[0] = prefix;
        assert_eq!(is_on_curve(&other), prefix == 4, "prefix {prefix:#04x}");
        assert_eq!(
            is_on_curve(&other),
            PublicKey::from_sec1_bytes(&other).is_ok(),
            "prefix {prefix:#04x}"
        );
    }
    // (0, 0), and coordinates at or above p.
    let mut zero = [0u8; 65];
    zero[0] = 4;
    assert!(!is_on_curve(&zero));
    let mut big = sec1;
    big[1..33].copy_from_slice(&be(&P));
    assert!(!is_on_curve(&big));
}

#[test]
fn generator_table_is_its_definition() {
    // The committed table is what the builder computes ...
    let built = point::comb_table::<G_POINTS>(&point::G).unwrap();
    if built != tables::G {
        let mut source = String::new();
        for entry in &built {
            source.push_str("    [\n");
            for words in entry.chunks(4) {
                let words: Vec<String> = words
                    .iter()
                    .map(|w| format!("0x{:04x}_{:04x},", w >> 16, w & 0xffff))
                    .collect();
                source.push_str(&format!("        {}\n", words.join(" ")));
            }
            source.push_str("    ],\n");
        }
        panic!("src/tables.rs is stale; its entries are:\n{source}");
    }
    // ... and each entry is (1 + Σ ±2^(t·d))·G, checked with `p256`.
    let d = G_SPACING;
    for (i, entry) in tables::G.iter().enumerate() {
        let k = comb_coefficient(i, G_TEETH, d);
        let expected = affine_of(&(ProjectivePoint::GENERATOR * k));
        assert_eq!(
            Affine::from_words(entry).words(),
            expected.words(),
            "entry {i}"
        );
    }
}

/// The comb coefficient of entry `i` of a table with `teeth` teeth spaced `d` apart:
/// `1 + Σ_{t=1}^{teeth−1} ±2^(t·d)`, `+` where bit `t − 1` of `i` is set.
fn comb_coefficient(i: usize, teeth: usize, d: usize) -> p256::Scalar {
    let mut k = p256::Scalar::ONE;
    for t in 1..teeth {
        let mut term = p256::Scalar::ONE;
        for _ in 0..t * d {
            term = term.double();
        }
        k = if i >> (t - 1) & 1 == 1 {
            k + term
        } else {
            k - term
        };
    }
    k
}

#[test]
fn key_tables_of_every_size() {
    let key = SigningKey::from_bytes(
        &hex32("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721").into(),
    )
    .unwrap();
    let q = key.verifying_key().as_affine().into();
    let sec1 = sec1_of(&q);
    let hash = [0x5au8; 32];
    let signature: Signature = key.sign_prehash(&hash).unwrap();
    let signature: [u8; 64] = signature.to_bytes().into();
    let mut bad = signature;
    bad[5] ^= 1;
    fn run<const POINTS: usize>(
        q: &ProjectivePoint,
        sec1: &[u8; 65],
        hash: &[u8; 32],
        good: &[u8; 64],
        bad: &[u8; 64],
    ) {
        let table = KeyTable::<POINTS>::new(sec1).unwrap();
        assert_eq!(table.point(), sec1);
        assert_eq!(table.verify_prehashed(hash, good), Ok(()));
        assert_eq!(table.verify_prehashed(hash, bad), Err(Error::BadSignature));
        // Each entry is (1 + Σ ±2^(t·d))·Q, checked with `p256`.
        let teeth = key_teeth::<POINTS>();
        assert_eq!(1 << (teeth - 1), POINTS);
        let d = point::comb_spacing(teeth);
        for (i, entry) in table.points().iter().enumerate() {
            let expected = affine_of(&(*q * comb_coefficient(i, teeth, d)));
            assert_eq!(
                Affine::from_words(entry).words(),
                expected.words(),
                "{POINTS} points, entry {i}"
            );
        }
    }
    run::<16>(&q, &sec1, &hash, &signature, &bad);
    run::<32>(&q, &sec1, &hash, &signature, &bad);
    run::<64>(&q, &sec1, &hash, &signature, &bad);
    run::<128>(&q, &sec1, &hash, &signature, &bad);
    assert_eq!(sec1, RFC6979_POINT);
    // Keys off the curve or badly encoded have no table.
    let mut off = sec1;
    off[64] ^= 1;
    assert_eq!(
        KeyTable::<32>::new(&off).map(|_| ()),
        Err(Error::InvalidKey)
    );
    let mut compressed = sec1;
    compressed[0] = 2;
    assert_eq!(
        KeyTable::<32>::new(&compressed).map(|_| ()),
        Err(Error::InvalidKey)
    );
}

/// The public key of RFC 6979, A.2.5 (secret `c9afa9d8…`, the key of `key_tables_of_every_size`).
const RFC6979_POINT: [u8; 65] = *b"\x04\
    \x60\xfe\xd4\xba\x25\x5a\x9d\x31\xc9\x61\xeb\x74\xc6\x35\x6d\x68\
    \xc0\x49\xb8\x92\x3b\x61\xfa\x6c\xe6\x69\x62\x2e\x60\xf2\x9f\xb6\
    \x79\x03\xfe\x10\x08\xb8\xbc\x99\xa4\x1a\xe9\xe9\x56\x28\xbc\x64\
    \xf2\xf1\xb2\x0c\x2d\x7e\x9f\x51\x77\xa3\xc2\x94\xd4\x46\x22\x99";

/// A key table built by the compiler.
static CONST_TABLE: KeyTable = match KeyTable::new(&RFC6979_POINT) {
    Ok(table) => table,
    Err(_) => panic!("the RFC 6979 key is a P-256 point"),
};

#[test]
fn const_key_table_is_the_runtime_one() {
    let runtime = KeyTable::<32>::new(&RFC6979_POINT).unwrap();
    assert!(runtime.points() == CONST_TABLE.points());
    assert_eq!(CONST_TABLE.point(), &RFC6979_POINT);
}

// --- inversions ------------------------------------------------------------------------------

/// The `p256` crate's field element (not exported by name).
type P256Field = <p256::NistP256 as p256::elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

/// Random inversions of each kind: modulo p ([`Fe::invert`], and [`Fe::invert_vartime`] against
/// it) and modulo n ([`Scalar::invert_vartime`]).
const INVERSIONS: usize = 1_000_000;

/// A 256-bit input for an inversion, biased to where carries and borrows run far: random words;
/// each word all-ones or zero with probability 1/4 each; `m ± k` for a small `k`; a small integer.
fn inversion_input(rng: &mut Rng, m: &[u32; 8]) -> [u32; 8] {
    let mut w = rng.words();
    let k = rng.next() as u32 & 0xff;
    match rng.below(8) {
        0 => w = [k, 0, 0, 0, 0, 0, 0, 0],
        1 => {
            w = *m;
            w[0] = w[0].wrapping_sub(k); // m − k (m's low word is far above 0xff)
        }
        2 => {
            // m + k (below 2^256 for both moduli)
            w = *m;
            let mut carry = u64::from(k);
            for x in w.iter_mut() {
                let v = u64::from(*x) + carry;
                *x = v as u32;
                carry = v >> 32;
            }
        }
        3 | 4 => {
            for x in w.iter_mut() {
                match rng.below(4) {
                    0 => *x = u32::MAX,
                    1 => *x = 0,
                    _ => {}
                }
            }
        }
        _ => {}
    }
    w
}

/// `x mod m` for `x < 2^256 < 2m`: at most one subtraction (a reference fast enough for a
/// million inputs).
fn ref_reduce_once(x: &[u32; 8], m: &[u32; 8]) -> [u32; 8] {
    let mut r = [0u32; 8];
    let mut borrow = 0i64;
    for i in 0..8 {
        let v = x[i] as i64 - m[i] as i64 - borrow;
        borrow = (v < 0) as i64;
        r[i] = (v + (borrow << 32)) as u32;
    }
    if borrow == 0 { r } else { *x }
}

/// The forms of a modulus that safegcd derives in the compiler from its words
/// (`Modulus::new`), for `p` and `n`: nine 30-bit limbs that add up to the words, and
/// `m·m⁻¹ ≡ 1 (mod 2^30)`.
#[test]
fn safegcd_moduli_are_derived_correctly() {
    for m in [P, N] {
        let modulus = Modulus::new(m);
        assert_eq!(modulus.words, m);
        assert_eq!(m[0].wrapping_mul(modulus.inv30) & 0x3fff_ffff, 1, "{m:x?}");
        let mut value = [0u32; 9];
        for (i, &limb) in modulus.limbs.0.iter().enumerate() {
            assert!((0..1 << 30).contains(&limb), "limb {i} of {m:x?}: {limb:x}");
            for b in 0..30 {
                let bit = 30 * i + b;
                if (limb >> b) & 1 == 1 {
                    value[bit / 32] |= 1 << (bit % 32);
                }
            }
        }
        assert_eq!(value[..8], m, "limbs of {m:x?}");
        assert_eq!(value[8], 0, "limbs of {m:x?}");
    }
}

/// A million field inversions and a million scalar inversions, each checked with the `p256`
/// crate's arithmetic: `x·x⁻¹ ≡ 1` (and `0⁻¹ = 0`), which only the inverse satisfies.
///
/// Field: the input is any 256-bit word string `w` taken as our Montgomery-domain element
/// (standing for `w/R`; partially reduced inputs `p ≤ w < 2^256` included), and its inverse `y`
/// stands for `y/R`, so `(w/R)·(y/R) ≡ 1` is `w·y ≡ R² (mod p)`, checked on `w mod p` and
/// `y mod p` with `p256`'s field. Scalar: the input is `w mod n` (our `reduce_be_bytes`, so
/// `w ≥ n` is reduced first, as a hash is); the inverse must be below `n` and its product with
/// the input `1` in `p256`'s scalars.
#[test]
fn a_million_inversions_match_p256() {
    // R = 2^256 mod p, and R².
    let mut two_256 = [0u32; 16];
    two_256[8] = 1;
    let r = ref_mod(&two_256, &P);
    let r2 = P256Field::from_repr(be(&ref_mul(&r, &r, &P)).into()).unwrap();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = std::time::Instant::now();
    let counts: Vec<[usize; 3]> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    // field inversions, of which inputs ≥ p; scalar inversions
                    let mut count = [0usize; 3];
                    let mut rng = Rng(0x696e_7665_7273_6500 ^ t as u64);
                    for i in (t..INVERSIONS).step_by(threads) {
                        let edges = [[0; 8], [1, 0, 0, 0, 0, 0, 0, 0], [u32::MAX; 8]];
                        let w = match edges.get(i) {
                            Some(edge) => *edge,
                            None => inversion_input(&mut rng, &P),
                        };
                        let y = Fe(w).invert().0;
                        // The variable-time inversion (safegcd) agrees with the addition chain.
                        let y_vartime = Fe(w).invert_vartime().canonical().0;
                        assert_eq!(y_vartime, Fe(y).canonical().0, "1/{w:x?} mod p");
                        let (w_p, y_p) = (ref_reduce_once(&w, &P), ref_reduce_once(&y, &P));
                        let a = P256Field::from_repr(be(&w_p).into()).unwrap();
                        let b = P256Field::from_repr(be(&y_p).into()).unwrap();
                        if w_p == [0; 8] {
                            assert_eq!(y_p, [0; 8], "1/0 mod p");
                        } else {
                            assert_eq!(a * b, r2, "(1/R)/{w:x?} mod p is {y:x?}/R");
                        }
                        count[0] += 1;
                        count[1] += usize::from(w_p != w);

                        let w = match edges.get(i) {
                            Some(edge) => *edge,
                            None => inversion_input(&mut rng, &N),
                        };
                        let s = Scalar::reduce_be_bytes(&be(&w));
                        let y = s.invert_vartime().0;
                        assert!(field::less_than(&y, &N), "1/{w:x?} mod n is {y:x?}");
                        if s.is_zero() {
                            assert_eq!(y, [0; 8], "1/0 mod n");
                        } else {
                            let product = scalar_of(&s.0) * scalar_of(&y);
                            assert_eq!(product, p256::Scalar::ONE, "1/{w:x?} mod n is {y:x?}");
                        }
                        count[2] += 1;
                    }
                    count
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let [field, non_canonical, scalar] = counts.iter().fold([0; 3], |acc, c| {
        [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2]]
    });
    eprintln!(
        "inversions: {field} modulo p ({non_canonical} with an input ≥ p), {scalar} modulo n, \
         in {:?} on {threads} threads",
        started.elapsed()
    );
    assert_eq!((field, scalar), (INVERSIONS, INVERSIONS));
    assert!(non_canonical >= INVERSIONS / 20);
}
