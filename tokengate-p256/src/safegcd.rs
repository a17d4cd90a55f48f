//! Modular inversion by the variable-time safegcd of Bernstein and Yang, after libsecp256k1's
//! `modinv32_var`, for any odd 256-bit modulus: `s⁻¹ mod n` of a verification ([`crate::scalar`])
//! and the common `Z⁻¹ mod p` that brings the odd multiples of the public key to affine form
//! ([`crate::ecdsa`]). Variable time: both inputs are public.
//!
//! Tested by a million random inversions modulo each (`a_million_inversions_match_p256`: modulo
//! `n` with the `p256` crate, modulo `p` against the addition chain of [`crate::field`], itself
//! checked with `p256`) and by the `p256_field` fuzz target against fiat-crypto.

// Multi-precision arithmetic on signed 30-bit limbs: `as` keeps the low bits on purpose, the
// sums are bounded (as argued at each step), and indices are loop counters below the length of
// the arrays they index or are checked with `get`.
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use super::field::{adc, sbb};

/// An odd modulus `m < 2^256`, in the two forms the inversion uses.
pub(super) struct Modulus {
    /// Little-endian 32-bit words.
    pub(super) words: [u32; 8],
    /// The same value in signed 30-bit limbs.
    pub(super) limbs: Signed30,
    /// `m⁻¹ mod 2^30`.
    pub(super) inv30: u32,
}

impl Modulus {
    /// The modulus of little-endian words `m` (odd), its limbs and inverse derived in the
    /// compiler.
    pub(super) const fn new(m: [u32; 8]) -> Modulus {
        // Newton's iteration x ← x·(2 − m·x) doubles the correct low bits; x = m is right
        // modulo 8 for any odd m (3 bits), four steps give 48 ≥ 30.
        let mut inv = m[0];
        let mut i = 0;
        while i < 4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m[0].wrapping_mul(inv)));
            i += 1;
        }
        Modulus {
            words: m,
            limbs: Signed30::from_words(&m),
            inv30: inv & M30 as u32,
        }
    }
}

/// `a⁻¹ mod m` for `a` in `[1, m)` (zero for zero), fully reduced.
///
/// Bernstein–Yang "safegcd" in its variable-time form, after libsecp256k1's
/// `modinv32_var`: batches of 30 divsteps run on the low words of `f` and `g` alone and
/// produce a 2×2 matrix, which is then applied to the full `f, g` and to the Bézout
/// coefficients `d, e` (kept modulo `m` by adding multiples of `m` that clear their low
/// 30 bits). About a dozen batches for a 256-bit input. Variable time: for public values only.
pub(super) fn invert_vartime(a: &[u32; 8], m: &Modulus) -> [u32; 8] {
    if a.iter().all(|&w| w == 0) {
        return [0; 8];
    }
    let mut d = Signed30([0; 9]);
    let mut e = Signed30([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut f = m.limbs;
    let mut g = Signed30::from_words(a);
    let mut len = 9usize;
    // eta = −delta, delta initially 1.
    let mut eta = -1i32;
    loop {
        let (next, t) = divsteps_30_var(eta, f.0[0] as u32, g.0[0] as u32);
        eta = next;
        update_de(&mut d, &mut e, &t, m);
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
    // g = 0 and f = ±gcd = ±1: d is ±a⁻¹, in (−2m, m).
    let negative = f.0.get(len - 1).is_some_and(|&top| top < 0);
    d.normalize(negative, &m.words)
}

/// A signed integer in nine limbs of 30 bits (`Σ vᵢ·2^(30i)`, limbs in `[0, 2^30)` except the
/// top one, which carries the sign), the representation of the safegcd inversion.
#[derive(Clone, Copy, Debug)]
pub(super) struct Signed30(pub(super) [i32; 9]);

/// Word `j` of `w`, zero above word 7.
const fn word(w: &[u32; 8], j: usize) -> u32 {
    if j < 8 { w[j] } else { 0 }
}

/// The mask of a 30-bit limb.
const M30: i32 = 0x3fff_ffff;

impl Signed30 {
    /// The limbs of a non-negative 256-bit integer.
    const fn from_words(w: &[u32; 8]) -> Signed30 {
        let mut out = [0i32; 9];
        let mut i = 0;
        while i < out.len() {
            // Bits 30i .. 30i + 30: from word ⌊30i/32⌋ and the next (none above word 7).
            let bit = 30 * i;
            let lo = word(w, bit / 32) >> (bit % 32);
            let hi = if bit % 32 > 2 {
                word(w, bit / 32 + 1) << (32 - bit % 32)
            } else {
                0
            };
            out[i] = ((lo | hi) & M30 as u32) as i32;
            i += 1;
        }
        Signed30(out)
    }

    /// The value in `[0, m)` of `±self` (minus when `negate`), for `self` in `(−2m, m)`.
    fn normalize(&self, negate: bool, m: &[u32; 8]) -> [u32; 8] {
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
        let m9 = [m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], 0];
        let is_negative = |x: &[u32; 9]| x[8] >> 31 == 1;
        if negate {
            // 0 − x
            let mut borrow = 0;
            for w in words.iter_mut() {
                (*w, borrow) = sbb(0, *w, borrow);
            }
        }
        // From (−2m, 2m) to [0, m).
        while is_negative(&words) {
            let mut carry = 0;
            for (w, m) in words.iter_mut().zip(&m9) {
                (*w, carry) = adc(*w, *m, carry);
            }
        }
        loop {
            let mut trial = words;
            let mut borrow = 0;
            for (w, m) in trial.iter_mut().zip(&m9) {
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

/// `[d, e] = (t·[d, e] + m·[md, me]) / 2^30`, with `md, me` chosen to make the division exact
/// and to keep `d, e` in `(−2m, m)` (libsecp256k1's `modinv32_update_de_30`).
fn update_de(d: &mut Signed30, e: &mut Signed30, t: &Trans, m: &Modulus) {
    let Trans { u, v, q, r } = *t;
    // [md, me] start as zero; plus [u, q] if d is negative; plus [v, r] if e is negative.
    let sd = d.0[8] >> 31;
    let se = e.0[8] >> 31;
    let mut md = (u & sd) + (v & se);
    let mut me = (q & sd) + (r & se);
    let (di, ei) = (i64::from(d.0[0]), i64::from(e.0[0]));
    let mut cd = i64::from(u) * di + i64::from(v) * ei;
    let mut ce = i64::from(q) * di + i64::from(r) * ei;
    // Correct md, me so that t·[d, e] + m·[md, me] has 30 zero bottom bits.
    md -= (m.inv30.wrapping_mul(cd as u32).wrapping_add(md as u32) & M30 as u32) as i32;
    me -= (m.inv30.wrapping_mul(ce as u32).wrapping_add(me as u32) & M30 as u32) as i32;
    cd += i64::from(m.limbs.0[0]) * i64::from(md);
    ce += i64::from(m.limbs.0[0]) * i64::from(me);
    cd >>= 30;
    ce >>= 30;
    for i in 1..9 {
        let (di, ei) = (i64::from(d.0[i]), i64::from(e.0[i]));
        cd += i64::from(u) * di + i64::from(v) * ei + i64::from(m.limbs.0[i]) * i64::from(md);
        ce += i64::from(q) * di + i64::from(r) * ei + i64::from(m.limbs.0[i]) * i64::from(me);
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
