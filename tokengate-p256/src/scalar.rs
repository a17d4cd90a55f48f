//! Integers modulo the P-256 group order `n`, and the scalar recodings the multiplications use.
//!
//! Scalars are plain little-endian words (not Montgomery form). A verification needs one
//! inversion (`s⁻¹`, by the variable-time safegcd of Bernstein and Yang: `s` is public)
//! and two products (`z·s⁻¹`, `r·s⁻¹`, by Montgomery multiplication).
//!
//! Held to fiat-crypto's verified `p256_scalar_32` by the `p256_field` fuzz target, and to the
//! `p256` crate by the tests (a million random inversions among them); see `field`.

// Multi-precision arithmetic, as in `field`: `as` widens or keeps the low word on purpose, the
// sums are bounded, and indices are loop counters below the length of the arrays they index
// or are checked with `get`.
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use super::field::{adc, less_than, mac, sbb, unroll8, words_from_be};

/// The group order, little-endian words.
pub(super) const N: [u32; 8] = [
    0xfc63_2551,
    0xf3b9_cac2,
    0xa717_9e84,
    0xbce6_faad,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0xffff_ffff,
];

/// `−n⁻¹ mod 2^32`.
const N0: u32 = 0xee00_bc4f;

/// `2^512 mod n`.
const R2: [u32; 8] = [
    0xbe79_eea2,
    0x8324_4c95,
    0x49bd_6fa6,
    0x4699_799c,
    0x2b6b_ec59,
    0x2845_b239,
    0xf3d9_5620,
    0x66e1_2d94,
];

/// `x −= y` over eight words; returns the borrow.
#[inline(always)]
fn sub_assign(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let mut borrow = 0;
    unroll8!(I => {
        (x[I], borrow) = sbb(x[I], y[I], borrow);
    });
    borrow
}

/// `x >>= k` for `0 < k < 32`, shifting `top` in at the most significant end.
#[inline(always)]
fn shr_small(x: &mut [u32; 8], k: u32, top: u32) {
    let back = 32 - k;
    unroll8!(I => {
        let next = if I == 7 { top } else { x[if I == 7 { 7 } else { I + 1 }] };
        x[I] = (x[I] >> k) | (next << back);
    });
}

/// Whether every word is zero.
fn is_zero(x: &[u32; 8]) -> bool {
    x.iter().all(|&w| w == 0)
}

/// A scalar below `n`, little-endian words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scalar(pub(super) [u32; 8]);

impl Scalar {
    /// The big-endian integer if it is in `[1, n − 1]`: the range of ECDSA's `r` and `s`.
    pub(super) fn from_be_bytes_nonzero(bytes: &[u8; 32]) -> Option<Scalar> {
        let w = words_from_be(bytes);
        if is_zero(&w) || !less_than(&w, &N) {
            return None;
        }
        Some(Scalar(w))
    }

    /// The big-endian integer reduced modulo `n` (ECDSA's `z` for a 256-bit hash: any 256-bit
    /// value is below `2n`, so one subtraction suffices).
    pub(super) fn reduce_be_bytes(bytes: &[u8; 32]) -> Scalar {
        let mut w = words_from_be(bytes);
        if !less_than(&w, &N) {
            sub_assign(&mut w, &N);
        }
        Scalar(w)
    }

    /// Whether the scalar is zero.
    pub(super) fn is_zero(&self) -> bool {
        is_zero(&self.0)
    }

    /// Whether the scalar is even.
    pub(super) fn is_even(&self) -> bool {
        self.0[0] & 1 == 0
    }

    /// `n − k` (for `k` in `[1, n − 1]`).
    pub(super) fn negate(&self) -> Scalar {
        let mut r = N;
        sub_assign(&mut r, &self.0);
        Scalar(r)
    }

    /// `a·b / 2^256 mod n` (Montgomery multiplication, CIOS), fully reduced for `a, b < n`.
    fn mont_mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        let mut t = [0u32; 8];
        let mut top = 0u32;
        for &ai in a {
            let mut c = 0;
            for (tj, &bj) in t.iter_mut().zip(b) {
                (*tj, c) = mac(ai, bj, *tj, c);
            }
            let (t8, t9) = adc(top, c, 0);
            let m = t[0].wrapping_mul(N0);
            let (_, mut c) = mac(m, N[0], t[0], 0);
            for j in 1..8 {
                let (lo, hi) = mac(m, N[j], t[j], c);
                t[j - 1] = lo;
                c = hi;
            }
            let (t7, t8) = adc(t8, c, 0);
            t[7] = t7;
            // The running value stays below 2n < 2^257.
            top = t8 + t9;
        }
        if top != 0 || !less_than(&t, &N) {
            sub_assign(&mut t, &N);
        }
        t
    }

    /// `a·b mod n`.
    #[cfg(test)]
    pub(super) fn mul(&self, b: &Scalar) -> Scalar {
        Scalar(Self::mont_mul(&Self::mont_mul(&self.0, &b.0), &R2))
    }

    /// `(a·b mod n, a·c mod n)` with one conversion: `a·R` first, then a Montgomery product
    /// with each.
    pub(super) fn mul2(&self, b: &Scalar, c: &Scalar) -> (Scalar, Scalar) {
        let a_r = Self::mont_mul(&self.0, &R2);
        (
            Scalar(Self::mont_mul(&a_r, &b.0)),
            Scalar(Self::mont_mul(&a_r, &c.0)),
        )
    }

    /// `a⁻¹ mod n` for `a ≠ 0` (zero for zero).
    ///
    /// Bernstein–Yang "safegcd" in its variable-time form, after libsecp256k1's
    /// `modinv32_var`: batches of 30 divsteps run on the low words of `f` and `g` alone and
    /// produce a 2×2 matrix, which is then applied to the full `f, g` and to the Bézout
    /// coefficients `d, e` (kept modulo `n` by adding multiples of `n` that clear their low
    /// 30 bits). About a dozen batches for a 256-bit input. Variable time: the scalars of a
    /// verification are public.
    pub(super) fn invert_vartime(&self) -> Scalar {
        if self.is_zero() {
            return *self;
        }
        let mut d = Signed30([0; 9]);
        let mut e = Signed30([1, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut f = N30;
        let mut g = Signed30::from_words(&self.0);
        let mut len = 9usize;
        // eta = −delta, delta initially 1.
        let mut eta = -1i32;
        loop {
            let (next, t) = divsteps_30_var(eta, f.0[0] as u32, g.0[0] as u32);
            eta = next;
            update_de(&mut d, &mut e, &t);
            update_fg(len, &mut f, &mut g, &t);
            if g.0[0] == 0 && g.0.iter().take(len).all(|&x| x == 0) {
                break;
            }
            // Shorten f and g when both top limbs are 0 or −1 (sign extension only).
            let (Some(&fn_), Some(&gn)) = (f.0.get(len - 1), g.0.get(len - 1)) else {
                break;
            };
            if len > 1 && (fn_ ^ (fn_ >> 31)) == 0 && (gn ^ (gn >> 31)) == 0 {
                if let Some(x) = f.0.get_mut(len - 2) {
                    *x |= ((fn_ as u32) << 30) as i32;
                }
                if let Some(x) = g.0.get_mut(len - 2) {
                    *x |= ((gn as u32) << 30) as i32;
                }
                len -= 1;
            }
        }
        // g = 0 and f = ±gcd = ±1: d is ±a⁻¹, in (−2n, n).
        let negative = f.0.get(len - 1).is_some_and(|&top| top < 0);
        Scalar(d.normalize(negative))
    }

    /// Bit `i` (zero beyond bit 255).
    pub(super) fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|w| (w >> (i % 32)) & 1 == 1)
    }
}

/// A signed integer in nine limbs of 30 bits (`Σ vᵢ·2^(30i)`, limbs in `[0, 2^30)` except the
/// top one, which carries the sign), the representation of the safegcd inversion.
#[derive(Clone, Copy, Debug)]
struct Signed30([i32; 9]);

/// The mask of a 30-bit limb.
const M30: i32 = 0x3fff_ffff;

/// `n` in 30-bit limbs.
const N30: Signed30 = Signed30([
    0x3c63_2551,
    0x0ee7_2b0b,
    0x3179_e84f,
    0x39be_ab69,
    0x3fff_ffbc,
    0x3fff_ffff,
    0x0fff,
    0x3fff_c000,
    0xffff,
]);

/// `n⁻¹ mod 2^30`.
const N_INV30: u32 = 0x11ff_43b1;

impl Signed30 {
    /// The limbs of a non-negative 256-bit integer.
    fn from_words(w: &[u32; 8]) -> Signed30 {
        let mut out = [0i32; 9];
        for (i, limb) in out.iter_mut().enumerate() {
            // Bits 30i .. 30i + 30: from word ⌊30i/32⌋ and the next.
            let bit = 30 * i;
            let lo = w.get(bit / 32).copied().unwrap_or(0) >> (bit % 32);
            let hi = if bit % 32 > 2 {
                w.get(bit / 32 + 1).copied().unwrap_or(0) << (32 - bit % 32)
            } else {
                0
            };
            *limb = ((lo | hi) & M30 as u32) as i32;
        }
        Signed30(out)
    }

    /// The value in `[0, n)` of `±self` (minus when `negate`), for `self` in `(−2n, n)`.
    fn normalize(&self, negate: bool) -> [u32; 8] {
        // Into a two's-complement integer of 9 words (the value fits in 258 bits).
        let mut words = [0u32; 9];
        let mut acc: i64 = 0;
        let mut bits = 0u32;
        let mut k = 0usize;
        for &limb in &self.0 {
            acc += i64::from(limb) << bits;
            bits += 30;
            while bits >= 32 {
                if let Some(w) = words.get_mut(k) {
                    *w = acc as u32;
                }
                acc >>= 32;
                bits -= 32;
                k += 1;
            }
        }
        for w in words.iter_mut().skip(k) {
            // The sign extension.
            *w = acc as u32;
            acc >>= 32;
        }
        let n9 = [N[0], N[1], N[2], N[3], N[4], N[5], N[6], N[7], 0];
        let is_negative = |x: &[u32; 9]| x[8] >> 31 == 1;
        if negate {
            // 0 − x
            let mut borrow = 0;
            for w in words.iter_mut() {
                (*w, borrow) = sbb(0, *w, borrow);
            }
        }
        // From (−2n, 2n) to [0, n).
        while is_negative(&words) {
            let mut carry = 0;
            for (w, m) in words.iter_mut().zip(&n9) {
                (*w, carry) = adc(*w, *m, carry);
            }
        }
        loop {
            let mut trial = words;
            let mut borrow = 0;
            for (w, m) in trial.iter_mut().zip(&n9) {
                (*w, borrow) = sbb(*w, *m, borrow);
            }
            if is_negative(&trial) {
                break;
            }
            words = trial;
        }
        [
            words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7],
        ]
    }
}

/// The transition matrix of 30 divsteps, scaled by 2^30: `[f', g'] = [u v; q r]·[f, g] / 2^30`.
#[derive(Clone, Copy, Debug)]
struct Trans {
    u: i32,
    v: i32,
    q: i32,
    r: i32,
}

/// 30 divsteps on the low 32 bits of `f` (odd) and `g`, several zero bits at a time
/// (libsecp256k1's `modinv32_divsteps_30_var`). Returns the new `eta` and the matrix.
fn divsteps_30_var(mut eta: i32, f0: u32, g0: u32) -> (i32, Trans) {
    let (mut u, mut v, mut q, mut r) = (1u32, 0u32, 0u32, 1u32);
    let (mut f, mut g) = (f0, g0);
    let mut i = 30u32;
    loop {
        // Zeros at the bottom of g, at most i (a sentinel bit at i).
        let zeros = (g | (u32::MAX << i)).trailing_zeros();
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros as i32;
        i -= zeros;
        if i == 0 {
            break;
        }
        // f and g are odd here.
        let w;
        if eta < 0 {
            // Negate eta and replace (f, g) with (g, −f).
            eta = -eta;
            (f, g) = (g, f.wrapping_neg());
            (u, q) = (q, u.wrapping_neg());
            (v, r) = (r, v.wrapping_neg());
            // Cancel up to 6 bits of g, at most i, at most eta + 1.
            let limit = (eta as u32 + 1).min(i);
            let m = (u32::MAX >> (32 - limit)) & 63;
            w = f
                .wrapping_mul(g)
                .wrapping_mul(f.wrapping_mul(f).wrapping_sub(2))
                & m;
        } else {
            // Cancel up to 4 bits of g.
            let limit = (eta as u32 + 1).min(i);
            let m = (u32::MAX >> (32 - limit)) & 15;
            let w0 = f.wrapping_add(((f.wrapping_add(1)) & 4) << 1);
            w = w0.wrapping_neg().wrapping_mul(g) & m;
        }
        g = g.wrapping_add(f.wrapping_mul(w));
        q = q.wrapping_add(u.wrapping_mul(w));
        r = r.wrapping_add(v.wrapping_mul(w));
    }
    (
        eta,
        Trans {
            u: u as i32,
            v: v as i32,
            q: q as i32,
            r: r as i32,
        },
    )
}

/// `[d, e] = (t·[d, e] + n·[md, me]) / 2^30`, with `md, me` chosen to make the division exact
/// and to keep `d, e` in `(−2n, n)` (libsecp256k1's `modinv32_update_de_30`).
fn update_de(d: &mut Signed30, e: &mut Signed30, t: &Trans) {
    let Trans { u, v, q, r } = *t;
    // [md, me] start as zero; plus [u, q] if d is negative; plus [v, r] if e is negative.
    let sd = d.0[8] >> 31;
    let se = e.0[8] >> 31;
    let mut md = (u & sd) + (v & se);
    let mut me = (q & sd) + (r & se);
    let (di, ei) = (i64::from(d.0[0]), i64::from(e.0[0]));
    let mut cd = i64::from(u) * di + i64::from(v) * ei;
    let mut ce = i64::from(q) * di + i64::from(r) * ei;
    // Correct md, me so that t·[d, e] + n·[md, me] has 30 zero bottom bits.
    md -= (N_INV30.wrapping_mul(cd as u32).wrapping_add(md as u32) & M30 as u32) as i32;
    me -= (N_INV30.wrapping_mul(ce as u32).wrapping_add(me as u32) & M30 as u32) as i32;
    cd += i64::from(N30.0[0]) * i64::from(md);
    ce += i64::from(N30.0[0]) * i64::from(me);
    cd >>= 30;
    ce >>= 30;
    for i in 1..9 {
        let (di, ei) = (i64::from(d.0[i]), i64::from(e.0[i]));
        cd += i64::from(u) * di + i64::from(v) * ei + i64::from(N30.0[i]) * i64::from(md);
        ce += i64::from(q) * di + i64::from(r) * ei + i64::from(N30.0[i]) * i64::from(me);
        d.0[i - 1] = cd as i32 & M30;
        e.0[i - 1] = ce as i32 & M30;
        cd >>= 30;
        ce >>= 30;
    }
    d.0[8] = cd as i32;
    e.0[8] = ce as i32;
}

/// `[f, g] = t·[f, g] / 2^30` on the low `len` limbs (libsecp256k1's
/// `modinv32_update_fg_30_var`).
fn update_fg(len: usize, f: &mut Signed30, g: &mut Signed30, t: &Trans) {
    let Trans { u, v, q, r } = *t;
    let (fi, gi) = (i64::from(f.0[0]), i64::from(g.0[0]));
    let mut cf = (i64::from(u) * fi + i64::from(v) * gi) >> 30;
    let mut cg = (i64::from(q) * fi + i64::from(r) * gi) >> 30;
    for i in 1..len.min(9) {
        let (fi, gi) = (i64::from(f.0[i]), i64::from(g.0[i]));
        cf += i64::from(u) * fi + i64::from(v) * gi;
        cg += i64::from(q) * fi + i64::from(r) * gi;
        f.0[i - 1] = cf as i32 & M30;
        g.0[i - 1] = cg as i32 & M30;
        cf >>= 30;
        cg >>= 30;
    }
    if let (Some(fl), Some(gl)) = (f.0.get_mut(len - 1), g.0.get_mut(len - 1)) {
        *fl = cf as i32;
        *gl = cg as i32;
    }
}

/// Comb digits of a scalar for a table of `2^(teeth−1)` points built with spacing `d`
/// (`teeth·d ≥ 256`).
///
/// The scalar `k` (odd: an even one is replaced by `n − k` and the result negated) is written
/// with every digit in {−1, +1}: `k = Σ bᵢ 2^i`, `bᵢ = 2cᵢ − 1` for the bits `cᵢ` of
/// `(k − 1)/2 + 2^(L−1)`, `L = teeth·d`. Column `j` contributes `Σ_t b_(j+t·d) 2^(t·d)`, which is
/// `b_j` times the table entry whose index has bit `t−1` set when `b_(j+t·d) = b_j`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Comb {
    /// `(k − 1)/2` with the bit `L − 1` kept apart in `top_bit`.
    half: [u32; 8],
    top_bit: usize,
    negate: bool,
    zero: bool,
}

impl Comb {
    pub(super) fn new(k: &Scalar, teeth: usize, d: usize) -> Comb {
        let zero = k.is_zero();
        let (k, negate) = if k.is_even() && !zero {
            (k.negate(), true)
        } else {
            (*k, false)
        };
        // (k − 1)/2: k is odd, so this is k >> 1.
        let mut half = k.0;
        shr_small(&mut half, 1, 0);
        Comb {
            half,
            top_bit: teeth.saturating_mul(d).saturating_sub(1),
            negate,
            zero,
        }
    }

    /// Whether the scalar is zero (then no column contributes anything).
    pub(super) fn is_zero(&self) -> bool {
        self.zero
    }

    /// Bit `i` of `(k − 1)/2 + 2^(L−1)`: `(k − 1)/2 < 2^255 ≤ 2^(L−1)`, so the sum has no
    /// carries.
    fn c(&self, i: usize) -> bool {
        i == self.top_bit || Scalar(self.half).bit(i)
    }

    /// The table index and sign of column `j`.
    pub(super) fn column(&self, j: usize, teeth: usize, d: usize) -> (usize, bool) {
        let first = self.c(j);
        let mut index = 0usize;
        let mut bit = j;
        for t in 0..teeth.saturating_sub(1) {
            bit = bit.saturating_add(d);
            if self.c(bit) == first {
                index |= 1 << t;
            }
        }
        // b_j = −1 when c_j = 0.
        (index, !first ^ self.negate)
    }
}

/// The width-`w` NAF of a scalar: digits in {0, ±1, ±3, …, ±(2^(w−1) − 1)}, least significant
/// first, every nonzero digit followed by at least `w − 1` zeros. 257 digits cover any scalar
/// below `2^256`.
pub(super) fn wnaf(k: &Scalar, w: u32) -> [i8; 257] {
    let mut digits = [0i8; 257];
    let mut x = k.0;
    let mut top = 0u32; // bit 256 of the running value (after adding a negative digit)
    let mut i = 0usize;
    let window = 1u32 << w;
    while !(is_zero(&x) && top == 0) && i < digits.len() {
        if x[0] & 1 == 0 {
            let k = x[0].trailing_zeros().min(31);
            shr_small(&mut x, k, top);
            top = 0;
            i = i.saturating_add(k as usize);
            continue;
        }
        let low = x[0] & (window - 1);
        let digit = if low >= window / 2 {
            // Negative digit low − 2^w: add 2^w − low.
            let mut c = window - low;
            for xi in x.iter_mut() {
                (*xi, c) = adc(*xi, c, 0);
            }
            top += c;
            low as i32 - window as i32
        } else {
            x[0] -= low;
            low as i32
        };
        if let Some(slot) = digits.get_mut(i) {
            // |digit| < 2^(w−1) ≤ 128 for w ≤ 8.
            *slot = digit as i8;
        }
        // The value is now a multiple of 2^w: the next w − 1 digits are zero.
        shr_small(&mut x, w, top);
        top = 0;
        i = i.saturating_add(w as usize);
    }
    digits
}
