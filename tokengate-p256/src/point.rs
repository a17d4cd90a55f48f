//! Points of P-256 (`y² = x³ − 3x + b`) in affine and Jacobian coordinates, and comb tables.
//!
//! Jacobian `(X, Y, Z)` stands for the affine point `(X/Z², Y/Z³)`; `Z ≡ 0` is the point at
//! infinity. The formulas are the classical incomplete ones with their exceptional cases
//! handled by explicit branches (variable time, on public data):
//!
//! - doubling for `a = −3` (dbl-2001-b of the Explicit-Formulas Database, with `Z3 = 2·Y·Z`):
//!   4M + 4S and the small multiples by multiply-and-fold; it maps infinity to infinity without
//!   a branch, and P-256 has no point of order 2;
//! - mixed addition, Jacobian + affine (madd-2004-hmv): 8M + 3S;
//! - addition, Jacobian + Jacobian (add-1998-cmo-2): 12M + 4S, only to build comb tables
//!   ([`comb_table`]).
//!
//! Both additions fall back to doubling when the two points are equal and return infinity when
//! they are opposite, which is what the comb and window loops rely on (u₁·G = ±u₂·Q, partial
//! sums that cancel).
//!
//! Everything is a `const fn` so that [`comb_table`] can run in the compiler.

// Indices are loop counters below the array lengths (`const fn`s cannot use iterators); index
// and shift arithmetic is on small bounded values; `as` turns bit counts (`u32`, at most 32)
// into indices, where `usize::from` is not available in a `const fn`.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use super::field::{Fe, words_from_be};

/// `b` of the curve equation, in the Montgomery domain.
const B: Fe = Fe([
    0x29c4_bddf,
    0xd89c_df62,
    0x7884_3090,
    0xacf0_05cd,
    0xf721_2ed6,
    0xe5a2_20ab,
    0x0487_4834,
    0xdc30_061d,
]);

/// An affine point (never the point at infinity), coordinates in the Montgomery domain.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Affine {
    pub(super) x: Fe,
    pub(super) y: Fe,
}

/// A point in Jacobian coordinates, coordinates in the Montgomery domain.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian {
    pub(super) x: Fe,
    pub(super) y: Fe,
    pub(super) z: Fe,
}

/// The generator.
#[cfg(test)]
pub(super) const G: Affine = Affine {
    x: Fe([
        0x18a9_143c,
        0x79e7_30d4,
        0x5fed_b601,
        0x75ba_95fc,
        0x7762_2510,
        0x79fb_732b,
        0xa537_55c6,
        0x1890_5f76,
    ]),
    y: Fe([
        0xce95_560a,
        0xddf2_5357,
        0xba19_e45c,
        0x8b4a_b8e4,
        0xdd21_f325,
        0xd2e8_8688,
        0x2588_5d85,
        0x8571_ff18,
    ]),
};

impl Affine {
    /// `(0, 0)`, which is not on the curve: only fills arrays that are written before they are
    /// read.
    pub(super) const ZERO: Affine = Affine {
        x: Fe::ZERO,
        y: Fe::ZERO,
    };

    /// The point of an uncompressed SEC1 encoding `04 ‖ x ‖ y`: `None` unless the prefix is
    /// `04`, `x, y < p` and `y² = x³ − 3x + b`. Every public key enters here.
    pub(super) const fn from_sec1(sec1: &[u8; 65]) -> Option<Affine> {
        if sec1[0] != 0x04 {
            return None;
        }
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            x[i] = sec1[1 + i];
            y[i] = sec1[33 + i];
            i += 1;
        }
        if !super::field::less_than(&words_from_be(&x), &super::field::P)
            || !super::field::less_than(&words_from_be(&y), &super::field::P)
        {
            return None;
        }
        let point = Affine {
            x: Fe::from_be_bytes(&x),
            y: Fe::from_be_bytes(&y),
        };
        if point.is_on_curve() {
            Some(point)
        } else {
            None
        }
    }

    /// Whether `y² = x³ − 3x + b`.
    pub(super) const fn is_on_curve(&self) -> bool {
        let x2 = self.x.square();
        // x³ − 3x + b = (x² − 3)·x + b
        let three = Fe::ONE.double().add(&Fe::ONE);
        let rhs = x2.sub(&three).mul(&self.x).add(&B);
        self.y.square().eq(&rhs)
    }

    /// `−P`.
    pub(super) const fn neg(&self) -> Affine {
        Affine {
            x: self.x,
            y: self.y.neg(),
        }
    }

    /// `P` or `−P`.
    pub(super) const fn neg_if(&self, negate: bool) -> Affine {
        if negate { self.neg() } else { *self }
    }

    /// The same point in Jacobian coordinates (`Z = 1`).
    pub(super) const fn jacobian(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: self.y,
            z: Fe::ONE,
        }
    }

    /// Both coordinates, canonical, as sixteen little-endian words (x first): the storage form
    /// of tables.
    pub(super) const fn words(&self) -> [u32; 16] {
        let x = self.x.canonical().0;
        let y = self.y.canonical().0;
        let mut w = [0u32; 16];
        let mut i = 0;
        while i < 8 {
            w[i] = x[i];
            w[8 + i] = y[i];
            i += 1;
        }
        w
    }

    /// The inverse of [`Affine::words`].
    pub(super) const fn from_words(w: &[u32; 16]) -> Affine {
        let mut x = [0u32; 8];
        let mut y = [0u32; 8];
        let mut i = 0;
        while i < 8 {
            x[i] = w[i];
            y[i] = w[8 + i];
            i += 1;
        }
        Affine { x: Fe(x), y: Fe(y) }
    }
}

impl Jacobian {
    /// The point at infinity.
    pub(super) const INFINITY: Jacobian = Jacobian {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    /// Whether this is the point at infinity.
    pub(super) const fn is_infinity(&self) -> bool {
        self.z.is_zero()
    }

    /// `2P`.
    pub(super) const fn double(&self) -> Jacobian {
        let mut p = *self;
        p.double_assign();
        p
    }

    /// `P ← 2P` ([`double`](Self::double)) in place. The loops use this form: the new
    /// coordinates go straight into the point, where a returned point is copied from its return
    /// slot (a 96-byte `memcpy` call per step on Cortex-M4).
    pub(super) const fn double_assign(&mut self) {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        // alpha = 3·(X − delta)·(X + delta)
        let alpha = self.x.sub(&delta).mul(&self.x.add(&delta)).mul_small(3);
        let x3 = alpha.square().sub(&beta.mul_small(8));
        self.z = self.y.mul(&self.z).double();
        self.y = alpha
            .mul(&beta.mul_small(4).sub(&x3))
            .sub(&gamma.square().mul_small(8));
        self.x = x3;
    }

    /// `P + Q` for an affine `Q`.
    pub(super) const fn add_affine(&self, q: &Affine) -> Jacobian {
        let mut p = *self;
        p.add_affine_assign(q);
        p
    }

    /// `P ← P + Q` ([`add_affine`](Self::add_affine)) in place, as
    /// [`double_assign`](Self::double_assign).
    pub(super) const fn add_affine_assign(&mut self, q: &Affine) {
        if self.is_infinity() {
            *self = q.jacobian();
            return;
        }
        let z1z1 = self.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&z1z1.mul(&self.z));
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        if h.is_zero() {
            if r.is_zero() {
                *self = q.jacobian();
                self.double_assign();
            } else {
                *self = Jacobian::INFINITY;
            }
            return;
        }
        let hh = h.square();
        let hhh = hh.mul(&h);
        let v = self.x.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.double());
        self.y = r.mul(&v.sub(&x3)).sub(&self.y.mul(&hhh));
        self.z = self.z.mul(&h);
        self.x = x3;
    }

    /// `P + Q`.
    pub(super) const fn add(&self, q: &Jacobian) -> Jacobian {
        if self.is_infinity() {
            return *q;
        }
        if q.is_infinity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&z2z2.mul(&q.z));
        let s2 = q.y.mul(&z1z1.mul(&self.z));
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Jacobian::INFINITY
            };
        }
        let hh = h.square();
        let hhh = hh.mul(&h);
        let v = u1.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&hhh));
        let z3 = self.z.mul(&q.z).mul(&h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `−P`.
    pub(super) const fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// Whether the affine x-coordinate of this point (not at infinity), reduced modulo `n`, is
    /// `r`: `X ≡ r·Z²` or, when `r + n < p`, `X ≡ (r + n)·Z² (mod p)`. No inversion needed.
    pub(super) fn x_mod_n_is(&self, r: &[u32; 8]) -> bool {
        let z2 = self.z.square();
        let mut candidate = *r;
        // Both candidates for x: r, and r + n when that is still below p.
        let mut tries = 0;
        while tries < 2 {
            let c = Fe(candidate).mul(&Fe(R2_P));
            if self.x.eq(&c.mul(&z2)) {
                return true;
            }
            let mut next = candidate;
            let carry = add_words(&mut next, &super::scalar::N);
            if carry != 0 || !super::field::less_than(&next, &super::field::P) {
                return false;
            }
            candidate = next;
            tries += 1;
        }
        false
    }

    /// The affine point (`None` at infinity). One field inversion: for table construction.
    #[cfg(test)]
    pub(super) const fn affine(&self) -> Option<Affine> {
        if self.is_infinity() {
            return None;
        }
        let zinv = self.z.invert();
        let zinv2 = zinv.square();
        Some(Affine {
            x: self.x.mul(&zinv2),
            y: self.y.mul(&zinv2.mul(&zinv)),
        })
    }
}

/// `2^512 mod p`, to bring `r` into the Montgomery domain.
const R2_P: [u32; 8] = [
    3,
    0,
    0xffff_ffff,
    0xffff_fffb,
    0xffff_fffe,
    0xffff_ffff,
    0xffff_fffd,
    4,
];

/// `x += y` over eight words; returns the carry.
const fn add_words(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let mut carry = 0;
    let mut i = 0;
    while i < 8 {
        (x[i], carry) = super::field::adc(x[i], y[i], carry);
        i += 1;
    }
    carry
}

/// The affine point of Jacobian `(X, Y, Z)`, given `1/Z`: `(X/Z², Y/Z³)`.
const fn to_affine(x: &Fe, y: &Fe, zinv: &Fe) -> Affine {
    let zinv2 = zinv.square();
    Affine {
        x: x.mul(&zinv2),
        y: y.mul(&zinv2.mul(zinv)),
    }
}

/// The odd multiples `Q, 3Q, 5Q, 7Q` in affine form, into `out`, for the loop of a verification
/// without a key table (digits ±1, ±3, ±5, ±7): with affine entries its additions are mixed
/// (8M + 3S instead of 12M + 4S).
///
/// `3Q = 2Q + Q`, `5Q = 4Q + Q`, `7Q = 8Q − Q`: three doublings and three mixed additions, the
/// two operations the main loop already has. A chain `Q + 2Q + 2Q + …` needs the full Jacobian
/// addition: measured 5.8 k instructions fewer on RV32 (0.2 %), but 0.4 KB more flash for that
/// function's code, which took the ES256-only verifier over 24 KiB. The three
/// are brought to affine form together (Montgomery's trick: the product of their `Z`s inverted
/// once, each `1/Z` recovered from it and the other `Z`s), the inversion by
/// [`Fe::invert_vartime`]: `Q` is public.
///
/// `None` only if a multiple were the point at infinity, which cannot happen for a point of
/// order `n`.
#[inline(never)]
pub(super) fn odd_multiples(q: &Affine, out: &mut [Affine; 4]) -> Option<()> {
    let [first, rest @ ..] = out;
    *first = *q;
    // The multiples 3Q, 5Q, 7Q as Jacobian points: X and Y go to `rest`, Z to `zs`.
    let mut zs = [Fe::ONE; 3];
    let mut power = q.jacobian();
    for (i, (slot, z)) in rest.iter_mut().zip(&mut zs).enumerate() {
        // 2Q + Q, 4Q + Q, 8Q − Q.
        power = power.double();
        let sum = power.add_affine(&q.neg_if(i == 2));
        if sum.is_infinity() {
            return None;
        }
        *slot = Affine { x: sum.x, y: sum.y };
        *z = sum.z;
    }
    batch_to_affine(rest, &zs);
    Some(())
}

/// The three Jacobian points `(X, Y)` of `points` with their `Z`s in `zs`, to affine form:
/// Montgomery's trick, one inversion of `Z₀Z₁Z₂` and each `1/Z` from it and the other `Z`s. Out
/// of line, so that its frame (and the inversion's) and that of the additions before it are
/// never on the stack together.
#[inline(never)]
fn batch_to_affine(points: &mut [Affine], zs: &[Fe; 3]) {
    let ([q3, q5, q7], [z3, z5, z7]) = (points, zs) else {
        return;
    };
    let z35 = z3.mul(z5);
    let inv357 = z35.mul(z7).invert_vartime();
    let inv35 = inv357.mul(z7);
    *q7 = to_affine(&q7.x, &q7.y, &inv357.mul(&z35));
    *q5 = to_affine(&q5.x, &q5.y, &inv35.mul(z3));
    *q3 = to_affine(&q3.x, &q3.y, &inv35.mul(z5));
}

/// Columns of a comb with `teeth` teeth over 256 bits: `d = ⌈256 / teeth⌉`.
pub(super) const fn comb_spacing(teeth: usize) -> usize {
    256usize.div_ceil(teeth)
}

/// The signed comb table of `p` with `POINTS = 2^(teeth − 1)` entries:
/// `T[i] = p + Σ_{t=1}^{teeth−1} ±2^(t·d)·p`, the sign of tooth `t` being `+` when bit `t − 1`
/// of `i` is set, `d = ⌈256 / teeth⌉`. Entries are affine (one batched inversion).
///
/// `None` only if an entry is the point at infinity, which cannot happen for a point of order
/// `n` (every coefficient is odd and below `n` in absolute value).
pub(super) const fn comb_table<const POINTS: usize>(p: &Affine) -> Option<[[u32; 16]; POINTS]> {
    let teeth = POINTS.trailing_zeros() as usize + 1;
    let d = comb_spacing(teeth);
    // twice[t] = 2^(t·d + 1)·p, the step from a `−` to a `+` at tooth t (index 0 unused).
    let mut twice = [Jacobian::INFINITY; 8];
    // base = p − Σ_{t≥1} 2^(t·d)·p, the entry with every sign `−`.
    let mut base = p.jacobian();
    let mut multiple = p.jacobian();
    let mut t = 1;
    while t < teeth && t < 8 {
        let mut i = 0;
        while i < d {
            multiple.double_assign();
            i += 1;
        }
        base = base.add(&multiple.neg());
        twice[t] = multiple.double();
        t += 1;
    }
    let mut points = [Jacobian::INFINITY; POINTS];
    if POINTS == 0 {
        return None;
    }
    points[0] = base;
    let mut i = 1;
    while i < POINTS {
        // The highest set bit of i names the tooth that turns from − to +.
        let high = usize::BITS - 1 - i.leading_zeros();
        let lower = i ^ (1 << high);
        points[i] = points[lower].add(&twice[high as usize + 1]);
        i += 1;
    }
    // Batched inversion (Montgomery's trick): prefix products, one inversion, back-substitution.
    let mut prefix = [Fe::ONE; POINTS];
    let mut acc = Fe::ONE;
    let mut i = 0;
    while i < POINTS {
        if points[i].is_infinity() {
            return None;
        }
        prefix[i] = acc;
        acc = acc.mul(&points[i].z);
        i += 1;
    }
    let mut inv = acc.invert();
    let mut out = [[0u32; 16]; POINTS];
    let mut i = POINTS;
    while i > 0 {
        i -= 1;
        // inv = 1 / (z_0 ⋯ z_i); prefix[i] = z_0 ⋯ z_(i−1).
        let zinv = inv.mul(&prefix[i]);
        inv = inv.mul(&points[i].z);
        out[i] = to_affine(&points[i].x, &points[i].y, &zinv).words();
    }
    Some(out)
}
