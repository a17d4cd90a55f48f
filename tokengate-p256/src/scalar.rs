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
use super::safegcd::{self, Modulus};

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

/// `x >>= 1`.
#[inline(always)]
fn shr1(x: &mut [u32; 8]) {
    unroll8!(I => {
        let next = if I == 7 { 0 } else { x[if I == 7 { 7 } else { I + 1 }] };
        x[I] = (x[I] >> 1) | (next << 31);
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

    /// `a⁻¹ mod n` for `a ≠ 0` (zero for zero), by the variable-time safegcd
    /// ([`safegcd::invert_vartime`]): the scalars of a verification are public.
    pub(super) fn invert_vartime(&self) -> Scalar {
        Scalar(safegcd::invert_vartime(&self.0, &N_MODULUS))
    }

    /// Bit `i` (zero beyond bit 255).
    pub(super) fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|w| (w >> (i % 32)) & 1 == 1)
    }
}

/// `n` for [`safegcd::invert_vartime`].
const N_MODULUS: Modulus = Modulus::new(N);

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
        shr1(&mut half);
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

/// The digits of a scalar `k` in width-`w` windows of its mutual opposite form (wMOF: Okeya,
/// Schmidt-Samoa, Spahn and Takagi, "Signed binary representations revisited", CRYPTO 2004),
/// produced from the most significant end one position at a time, so that the loop adding them
/// needs no array of digits (the right-to-left width-`w` NAF it replaces took 257 bytes of
/// stack).
///
/// The MOF of `k` has the digit `μᵢ = k_{i−1} − kᵢ` at each position `i` from 0 to 256
/// (`Σ μᵢ·2^i = 2k − k`); its nonzero digits alternate in sign. A window opens at each nonzero
/// `μᵢ` below the last window and spans positions `i` down to `i − w + 1`. Its value,
/// `Σⱼ μ_{i−j}·2^(w−1−j) = (k_{i−1} … k_{i−w+1})₂ + k_{i−w} − 2^(w−1)·kᵢ`, is nonzero (the
/// alternating terms decrease) and at most `2^(w−1)` in absolute value; without its trailing
/// zeros it is an odd digit below `2^(w−1)` in absolute value, placed at the position of the
/// window's last nonzero `μ`. The digit set is the width-`w` NAF's, and so is the number of
/// nonzero digits (`mof_matches_the_wnaf` checks it against a right-to-left wNAF).
pub(super) struct Mof<'a> {
    k: &'a Scalar,
    w: u32,
    /// A window may open only at positions below this one.
    open_below: usize,
    /// The position of the digit of the last window opened, and that digit.
    at: usize,
    digit: i8,
}

impl<'a> Mof<'a> {
    /// Positions 0 to 256: any scalar below `2^256`.
    pub(super) const LEN: usize = 257;

    /// The recoding of `k` with windows of `w` digits, `2 ≤ w ≤ 8`.
    pub(super) const fn new(k: &'a Scalar, w: u32) -> Self {
        Mof {
            k,
            w,
            open_below: Self::LEN,
            at: usize::MAX,
            digit: 0,
        }
    }

    /// All the digits of `k`, least significant first (the tests' and the fuzz target's view).
    #[cfg(any(test, feature = "hazmat"))]
    pub(super) fn digits(k: &Scalar, w: u32) -> [i8; Mof::<'static>::LEN] {
        let mut recoding = Mof::new(k, w);
        let mut digits = [0; Self::LEN];
        for (i, digit) in digits.iter_mut().enumerate().rev() {
            *digit = recoding.digit(i);
        }
        digits
    }

    /// The digit at position `i`. To be called for `i` = 256, 255, …, 0 in turn: a window is
    /// read when the scan reaches its top, and its digit returned when it reaches the digit.
    pub(super) fn digit(&mut self, i: usize) -> i8 {
        let k = self.k;
        // Bit `i − j` of `k`, zero below bit 0 (and above bit 255).
        let bit = |j: usize| i32::from(i.checked_sub(j).is_some_and(|b| k.bit(b)));
        if i < self.open_below && bit(1) != bit(0) {
            let w = self.w as usize;
            let mut value = bit(w) - (bit(0) << (w - 1));
            for j in 1..w {
                value += bit(j) << (w - 1 - j);
            }
            // `value ≠ 0`; the bound only keeps the shift in range.
            let zeros = value.trailing_zeros().min(self.w - 1);
            self.digit = (value >> zeros) as i8;
            // Not below 0: the window's digits below position 0 are zero.
            self.at = (i + zeros as usize).saturating_sub(w - 1);
            self.open_below = (i + 1).saturating_sub(w);
        }
        if self.at == i { self.digit } else { 0 }
    }
}
