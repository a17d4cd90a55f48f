//! tokengate's P-256 field and scalar arithmetic (`fuzzing::p256_field`, `fuzzing::p256_scalar`:
//! the code of the ES256 verifier) against fiat-crypto's formally verified `p256_32` and
//! `p256_scalar_32`, every operation on every input, with inputs biased to carry and borrow
//! boundaries: 0, 1, p, n, powers of two, `2^256 − p` and `2^256 − n`, each plus or minus a
//! small offset (so p − 1, p + 1, n ± k, 2^256 − 1, ...), words that are all ones or zero, and
//! raw words.
//!
//! fiat-crypto's functions require inputs below the modulus and return values below it; ours
//! accept any 256-bit field element (partially reduced). The oracle reduces with fiat-crypto
//! alone: `x mod p = lo + hi·2^128` for the 128-bit halves of `x`, both below `p`.
#![no_main]
use std::cmp::Ordering;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use fiat_crypto::p256_32 as fp;
use fiat_crypto::p256_scalar_32 as fq;
use libfuzzer_sys::fuzz_target;
use tokengate::fuzzing::{p256_field as field, p256_scalar as scalar};

type W = [u32; 8];

/// The field prime and the group order (SEC 2), little-endian words; checked against
/// fiat-crypto below (`−1` in each is the modulus minus one).
const P: W = [u32::MAX, u32::MAX, u32::MAX, 0, 0, 0, 1, u32::MAX];
const N: W = [
    0xfc63_2551,
    0xf3b9_cac2,
    0xa717_9e84,
    0xbce6_faad,
    u32::MAX,
    u32::MAX,
    0,
    u32::MAX,
];

// --- fiat-crypto, as functions of words ------------------------------------------------------

fn fp_mul(a: &W, b: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_mul(
        &mut out,
        &fp::fiat_p256_montgomery_domain_field_element(*a),
        &fp::fiat_p256_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fp_square(a: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_square(&mut out, &fp::fiat_p256_montgomery_domain_field_element(*a));
    out.0
}
fn fp_add(a: &W, b: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_add(
        &mut out,
        &fp::fiat_p256_montgomery_domain_field_element(*a),
        &fp::fiat_p256_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fp_sub(a: &W, b: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_sub(
        &mut out,
        &fp::fiat_p256_montgomery_domain_field_element(*a),
        &fp::fiat_p256_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fp_opp(a: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_opp(&mut out, &fp::fiat_p256_montgomery_domain_field_element(*a));
    out.0
}
/// `a·2^256 mod p`.
fn fp_to_montgomery(a: &W) -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_to_montgomery(
        &mut out,
        &fp::fiat_p256_non_montgomery_domain_field_element(*a),
    );
    out.0
}
fn fp_one() -> W {
    let mut out = fp::fiat_p256_montgomery_domain_field_element([0; 8]);
    fp::fiat_p256_set_one(&mut out);
    out.0
}
fn fp_is_zero(a: &W) -> bool {
    let mut out = 0;
    fp::fiat_p256_nonzero(&mut out, a);
    out == 0
}

fn fq_mul(a: &W, b: &W) -> W {
    let mut out = fq::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
    fq::fiat_p256_scalar_mul(
        &mut out,
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*a),
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fq_add(a: &W, b: &W) -> W {
    let mut out = fq::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
    fq::fiat_p256_scalar_add(
        &mut out,
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*a),
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fq_sub(a: &W, b: &W) -> W {
    let mut out = fq::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
    fq::fiat_p256_scalar_sub(
        &mut out,
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*a),
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*b),
    );
    out.0
}
fn fq_opp(a: &W) -> W {
    let mut out = fq::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
    fq::fiat_p256_scalar_opp(
        &mut out,
        &fq::fiat_p256_scalar_montgomery_domain_field_element(*a),
    );
    out.0
}
/// `a·2^256 mod n`.
fn fq_to_montgomery(a: &W) -> W {
    let mut out = fq::fiat_p256_scalar_montgomery_domain_field_element([0; 8]);
    fq::fiat_p256_scalar_to_montgomery(
        &mut out,
        &fq::fiat_p256_scalar_non_montgomery_domain_field_element(*a),
    );
    out.0
}
/// `a·b mod n` of plain integers below `n`: `(a·R)·b / R`.
fn fq_mul_plain(a: &W, b: &W) -> W {
    fq_mul(&fq_to_montgomery(a), b)
}

/// The 128-bit halves of `x`, both below `p` and `n`.
fn halves(x: &W) -> (W, W) {
    (
        [x[0], x[1], x[2], x[3], 0, 0, 0, 0],
        [x[4], x[5], x[6], x[7], 0, 0, 0, 0],
    )
}
const TWO_128: W = [0, 0, 0, 0, 1, 0, 0, 0];

/// `x mod p` for any 256-bit `x`, by fiat-crypto: `lo + hi·2^128`, with
/// `hi·2^128 = mont(hi, 2^128·R)`.
fn mod_p(x: &W) -> W {
    let (lo, hi) = halves(x);
    fp_add(&lo, &fp_mul(&hi, &fp_to_montgomery(&TWO_128)))
}
/// `x mod n` for any 256-bit `x`, the same way.
fn mod_n(x: &W) -> W {
    let (lo, hi) = halves(x);
    fq_add(&lo, &fq_mul(&hi, &fq_to_montgomery(&TWO_128)))
}

/// `2^e mod n` for `e < 512`, by doubling with fiat-crypto.
fn pow2_mod_n(e: usize) -> &'static W {
    static TABLE: OnceLock<Vec<W>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![[1, 0, 0, 0, 0, 0, 0, 0]];
        for i in 1..512 {
            let prev = t[i - 1];
            t.push(fq_add(&prev, &prev));
        }
        t
    });
    &table[e]
}

// --- inputs ----------------------------------------------------------------------------------

fn small(k: u32) -> W {
    [k, 0, 0, 0, 0, 0, 0, 0]
}
fn pow2(e: u32) -> W {
    let mut w = [0; 8];
    w[(e / 32) as usize] = 1 << (e % 32);
    w
}
/// `x + d mod 2^256`.
fn add_signed(x: &W, d: i64) -> W {
    let mut out = [0; 8];
    let mut carry = d as i128;
    for (o, &w) in out.iter_mut().zip(x) {
        let v = w as i128 + carry;
        *o = v as u32;
        carry = v >> 32;
    }
    out
}
/// `x + y mod 2^256`.
fn add256(x: &W, y: &W) -> W {
    let mut out = [0; 8];
    let mut carry = 0u64;
    for i in 0..8 {
        let v = x[i] as u64 + y[i] as u64 + carry;
        out[i] = v as u32;
        carry = v >> 32;
    }
    out
}
/// `2^256 − x mod 2^256`.
fn neg256(x: &W) -> W {
    let mut out = [0; 8];
    let mut borrow = 0i64;
    for (o, &w) in out.iter_mut().zip(x) {
        let v = -(w as i64) - borrow;
        borrow = (v < 0) as i64;
        *o = v as u32;
    }
    out
}

/// Values next to which carries and borrows change: the moduli, `2^256 − p` (one in the
/// Montgomery domain) and `2^256 − n`, powers of two at word and modulus boundaries, and
/// halves of the moduli.
fn edges() -> &'static [W] {
    static EDGES: OnceLock<Vec<W>> = OnceLock::new();
    EDGES.get_or_init(|| {
        let mut v = vec![
            small(0),
            small(1),
            small(2),
            small(3),
            P,
            N,
            neg256(&P),
            neg256(&N),
        ];
        for e in [32, 64, 96, 128, 160, 192, 224, 255] {
            v.push(pow2(e));
        }
        // (p + 1)/2, (n + 1)/2, p − n, 2n mod 2^256, 2^256 − 2^224.
        let half = |m: &W| {
            let mut h = *m;
            for i in 0..8 {
                h[i] = (m[i] >> 1) | m.get(i + 1).map_or(0, |n| n << 31);
            }
            add_signed(&h, 1)
        };
        v.push(half(&P));
        v.push(half(&N));
        v.push(add256(&P, &neg256(&N)));
        v.push(add256(&N, &N));
        v.push(neg256(&pow2(224)));
        v
    })
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Word {
    Zero,
    One,
    Ones,
    OnesLessOne,
    Top,
    TopLessOne,
    Any(u32),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Value {
    /// An edge plus a small signed offset, modulo 2^256.
    Edge(u8, i16),
    /// Each word picked among the carry-prone ones, or given.
    Words([Word; 8]),
    /// Any 256 bits.
    Raw(W),
}

impl Value {
    fn words(self) -> W {
        match self {
            Value::Edge(i, d) => {
                let e = edges();
                add_signed(&e[i as usize % e.len()], d.into())
            }
            Value::Words(w) => w.map(|w| match w {
                Word::Zero => 0,
                Word::One => 1,
                Word::Ones => u32::MAX,
                Word::OnesLessOne => u32::MAX - 1,
                Word::Top => 1 << 31,
                Word::TopLessOne => (1 << 31) - 1,
                Word::Any(x) => x,
            }),
            Value::Raw(w) => w,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    a: Value,
    b: Value,
    c: Value,
    /// The small multiplier of `mul_small` (the verifier uses 3, 4 and 8).
    k: u32,
    /// The scalar bit to read.
    bit: u16,
    /// Window width 2 to 8, comb teeth 5 to 8.
    window_width: u8,
    teeth: u8,
    /// Also the inversions (the slow operations).
    invert: bool,
}

fn be(w: &W) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, x) in w.iter().enumerate() {
        out[28 - 4 * i..32 - 4 * i].copy_from_slice(&x.to_be_bytes());
    }
    out
}
fn lt(x: &W, y: &W) -> bool {
    x.iter().rev().cmp(y.iter().rev()) == Ordering::Less
}

// --- the checks ------------------------------------------------------------------------------

fn check_field(a: &W, b: &W, k: u32, invert: bool) {
    let (ra, rb) = (mod_p(a), mod_p(b));
    assert_eq!(
        mod_p(&field::mul(a, b)),
        fp_mul(&ra, &rb),
        "mul {a:x?} {b:x?}"
    );
    assert_eq!(mod_p(&field::square(a)), fp_square(&ra), "square {a:x?}");
    // The 32-bit forms, which the host's `mul`, `square`, `mul_small` and word additions
    // (64-bit words) are not: Arm's row-wise product (also its squaring), RV32's column-wise
    // product and squaring, `mul_small` and the eight-word sums on 32-bit words.
    assert_eq!(
        mod_p(&field::mul_rows(a, b)),
        fp_mul(&ra, &rb),
        "mul_rows {a:x?} {b:x?}"
    );
    assert_eq!(
        mod_p(&field::mul_rows(a, a)),
        fp_square(&ra),
        "mul_rows {a:x?}²"
    );
    let (narrow, wide) = field::add_words(a, b);
    assert_eq!(narrow, wide, "add_words {a:x?} {b:x?}");
    assert_eq!(
        (add256(a, b), u32::from(lt(&add256(a, b), a))),
        narrow,
        "add_words {a:x?} {b:x?}"
    );
    let (narrow, wide) = field::sub_words(a, b);
    assert_eq!(narrow, wide, "sub_words {a:x?} {b:x?}");
    assert_eq!(
        (add256(a, &neg256(b)), u32::from(lt(a, b))),
        narrow,
        "sub_words {a:x?} {b:x?}"
    );
    assert_eq!(
        mod_p(&field::mul_columns(a, b)),
        fp_mul(&ra, &rb),
        "mul_columns {a:x?} {b:x?}"
    );
    assert_eq!(
        mod_p(&field::square_columns(a)),
        fp_square(&ra),
        "square_columns {a:x?}"
    );
    assert_eq!(
        mod_p(&field::add(a, b)),
        fp_add(&ra, &rb),
        "add {a:x?} {b:x?}"
    );
    assert_eq!(
        mod_p(&field::sub(a, b)),
        fp_sub(&ra, &rb),
        "sub {a:x?} {b:x?}"
    );
    assert_eq!(mod_p(&field::double(a)), fp_add(&ra, &ra), "double {a:x?}");
    assert_eq!(mod_p(&field::neg(a)), fp_opp(&ra), "neg {a:x?}");
    for k in [k, 3, 4, 8] {
        let km = fp_to_montgomery(&small(k));
        assert_eq!(
            mod_p(&field::mul_small(a, k)),
            fp_mul(&ra, &km),
            "{k}·{a:x?}"
        );
        assert_eq!(
            mod_p(&field::mul_small_u32(a, k)),
            fp_mul(&ra, &km),
            "mul_small_u32 {k}·{a:x?}"
        );
    }
    assert_eq!(field::canonical(a), ra, "canonical {a:x?}");
    assert_eq!(field::is_zero(a), fp_is_zero(&ra), "is_zero {a:x?}");
    assert_eq!(field::eq(a, b), ra == rb, "eq {a:x?} {b:x?}");
    // Bytes: the integer a, into the Montgomery domain.
    let bytes = be(a);
    assert_eq!(field::words_from_be(&bytes), *a);
    assert_eq!(
        mod_p(&field::from_be_bytes(&bytes)),
        fp_to_montgomery(&ra),
        "from_be {a:x?}"
    );
    assert_eq!(field::less_than(a, b), lt(a, b), "{a:x?} < {b:x?}");
    if invert {
        let inv = mod_p(&field::invert(a));
        // The variable-time inversion gives the same residue.
        assert_eq!(
            mod_p(&field::invert_vartime(a)),
            inv,
            "safegcd 1/{a:x?} mod p"
        );
        if fp_is_zero(&ra) {
            assert_eq!(inv, [0; 8], "1/0 mod p");
        } else {
            assert_eq!(fp_mul(&ra, &inv), fp_one(), "1/{a:x?} mod p");
        }
    }
}

fn check_scalar(a: &W, b: &W, c: &W, case: &Case) {
    // Entry: from bytes, with and without reduction.
    let bytes = be(a);
    let ra = mod_n(a);
    assert_eq!(scalar::reduce_be_bytes(&bytes), ra, "reduce {a:x?}");
    let in_range = ra == *a && *a != [0; 8];
    assert_eq!(
        scalar::from_be_bytes_nonzero(&bytes),
        in_range.then_some(*a),
        "{a:x?}"
    );
    // Below n from here on, the invariant of the verifier's scalars.
    let (sa, sb, sc) = (ra, mod_n(b), mod_n(c));
    let zero = sa == [0; 8];
    assert_eq!(scalar::is_zero(&sa), zero);
    assert_eq!(scalar::is_even(&sa), sa[0] & 1 == 0);
    let i = usize::from(case.bit % 300);
    let expected_bit = i < 256 && (sa[i / 32] >> (i % 32)) & 1 == 1;
    assert_eq!(scalar::bit(&sa, i), expected_bit, "bit {i} of {sa:x?}");
    if !zero {
        assert_eq!(scalar::negate(&sa), fq_opp(&sa), "−{sa:x?}");
    }
    let (x, y) = scalar::mul2(&sa, &sb, &sc);
    assert_eq!(x, fq_mul_plain(&sa, &sb), "{sa:x?}·{sb:x?}");
    assert_eq!(y, fq_mul_plain(&sa, &sc), "{sa:x?}·{sc:x?}");
    if case.invert {
        let inv = scalar::invert(&sa);
        if zero {
            assert_eq!(inv, [0; 8], "1/0 mod n");
        } else {
            assert!(lt(&inv, &N), "1/{sa:x?} = {inv:x?} not below n");
            assert_eq!(fq_mul_plain(&sa, &inv), small(1), "1/{sa:x?} mod n");
        }
    }

    // Windows of the mutual opposite form, read from the top: Σ dᵢ·2^i ≡ k (mod n), odd digits
    // below 2^(w−1).
    let w = 2 + u32::from(case.window_width % 7);
    let digits = scalar::mof(&sa, w);
    let mut acc = [0; 8];
    for &d in digits.iter().rev() {
        acc = fq_add(&acc, &acc);
        if d != 0 {
            assert!(
                d % 2 != 0 && d.unsigned_abs() < 1 << (w - 1),
                "digit {d}, w {w}"
            );
            let m = small(d.unsigned_abs().into());
            acc = if d < 0 {
                fq_sub(&acc, &m)
            } else {
                fq_add(&acc, &m)
            };
        }
    }
    assert_eq!(acc, sa, "mof {w} of {sa:x?}");

    // Signed comb: Σ_j ±2^j·(1 + Σ_t ±2^(t·d)) ≡ k (mod n).
    let teeth = 5 + usize::from(case.teeth % 4);
    let d = 256usize.div_ceil(teeth);
    let mut columns = vec![(0usize, false); d];
    let is_zero = scalar::comb(&sa, teeth, d, &mut columns);
    assert_eq!(is_zero, zero);
    if !zero {
        let mut total = [0; 8];
        for (j, &(index, negative)) in columns.iter().enumerate() {
            assert!(index < 1 << (teeth - 1), "index {index}, teeth {teeth}");
            let mut entry = small(1);
            for t in 1..teeth {
                let term = pow2_mod_n(t * d);
                entry = if (index >> (t - 1)) & 1 == 1 {
                    fq_add(&entry, term)
                } else {
                    fq_sub(&entry, term)
                };
            }
            let column = fq_mul_plain(&entry, pow2_mod_n(j));
            total = if negative {
                fq_sub(&total, &column)
            } else {
                fq_add(&total, &column)
            };
        }
        assert_eq!(total, sa, "comb of {sa:x?}, teeth {teeth}");
    }
}

fuzz_target!(|case: Case| {
    // The constants above are fiat-crypto's moduli: −1 is m − 1 in both.
    assert_eq!(add_signed(&fp_opp(&small(1)), 1), P);
    assert_eq!(add_signed(&fq_opp(&small(1)), 1), N);
    let (a, b, c) = (case.a.words(), case.b.words(), case.c.words());
    check_field(&a, &b, case.k, case.invert);
    check_scalar(&a, &b, &c, &case);
});
