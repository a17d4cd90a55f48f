//! Not a stable API (feature `hazmat`): the field and scalar arithmetic one operation at a
//! time, for the `p256_field` fuzz target, which holds each operation to fiat-crypto
//! (tokengate's `fuzzing` feature re-exports [`field`] and [`scalar`] as `p256_field` and
//! `p256_scalar`).

/// Arithmetic modulo the P-256 prime `p`, as [`verify_prehashed`](crate::verify_prehashed) does it: little-endian 32-bit
/// words, in the Montgomery domain (words `w` stand for `w·2^−256 mod p`), partially reduced
/// (any 256-bit value stands for its residue; only [`canonical`](field::canonical) promises
/// a value below `p`).
pub mod field {
    use crate::field::{self, Fe};

    /// `a·b`.
    pub fn mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        Fe(*a).mul(&Fe(*b)).0
    }
    /// `a²`.
    pub fn square(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).square().0
    }
    /// `a·b` by the column-wise product that [`mul`] is on RV32.
    pub fn mul_columns(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        field::mul_by_columns(a, b)
    }
    /// `a·b` by the row-wise 32-bit product that [`mul`] is on Arm (and [`square`] with
    /// `b = a`); on 64-bit targets [`mul`] and [`square`] are the 64-bit forms.
    pub fn mul_rows(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        field::reduce_wide_outlined(&field::mul_wide(a, b))
    }
    /// `k·a` as [`mul_small`] computes it on 32-bit targets.
    pub fn mul_small_u32(a: &[u32; 8], k: u32) -> [u32; 8] {
        field::mul_small_u32(a, k).0
    }
    /// The eight-word sum and carry, 32-bit words ([`add`] and the reductions use it on 32-bit
    /// targets) and 64-bit words (on 64-bit targets): `(u32 form, u64 form)`.
    pub fn add_words(a: &[u32; 8], b: &[u32; 8]) -> (([u32; 8], u32), ([u32; 8], u32)) {
        let (mut x, mut y) = (*a, *a);
        let (c, d) = (field::add8_u32(&mut x, b), field::add8_u64(&mut y, b));
        ((x, c), (y, d))
    }
    /// The eight-word difference and borrow, as [`add_words`].
    pub fn sub_words(a: &[u32; 8], b: &[u32; 8]) -> (([u32; 8], u32), ([u32; 8], u32)) {
        let (mut x, mut y) = (*a, *a);
        let (c, d) = (field::sub8_u32(&mut x, b), field::sub8_u64(&mut y, b));
        ((x, c), (y, d))
    }
    /// `a²` by the column-wise squaring that [`square`] is on RV32.
    pub fn square_columns(a: &[u32; 8]) -> [u32; 8] {
        field::square_by_columns(a)
    }
    /// `a + b`.
    pub fn add(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        Fe(*a).add(&Fe(*b)).0
    }
    /// `a − b`.
    pub fn sub(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
        Fe(*a).sub(&Fe(*b)).0
    }
    /// `2a`.
    pub fn double(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).double().0
    }
    /// `k·a` (point doubling uses 3, 4 and 8).
    pub fn mul_small(a: &[u32; 8], k: u32) -> [u32; 8] {
        Fe(*a).mul_small(k).0
    }
    /// `−a`.
    pub fn neg(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).neg().0
    }
    /// The representative below `p`.
    pub fn canonical(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).canonical().0
    }
    /// Whether `a ≡ 0`.
    pub fn is_zero(a: &[u32; 8]) -> bool {
        Fe(*a).is_zero()
    }
    /// Whether `a ≡ b`.
    pub fn eq(a: &[u32; 8], b: &[u32; 8]) -> bool {
        Fe(*a).eq(&Fe(*b))
    }
    /// `a⁻¹` (zero for zero), by the addition chain of `p − 2`.
    pub fn invert(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).invert().0
    }
    /// `a⁻¹` (zero for zero), by the variable-time safegcd.
    pub fn invert_vartime(a: &[u32; 8]) -> [u32; 8] {
        Fe(*a).invert_vartime().0
    }
    /// The Montgomery form of a big-endian integer (the verifier passes integers below `p`).
    pub fn from_be_bytes(bytes: &[u8; 32]) -> [u32; 8] {
        Fe::from_be_bytes(bytes).0
    }
    /// Little-endian words of a big-endian integer.
    pub fn words_from_be(bytes: &[u8; 32]) -> [u32; 8] {
        field::words_from_be(bytes)
    }
    /// Whether `x < y` as integers (the bounds checks on coordinates and scalars).
    pub fn less_than(x: &[u32; 8], y: &[u32; 8]) -> bool {
        field::less_than(x, y)
    }
}

/// Arithmetic modulo the P-256 group order `n` and the scalar recodings, as the verifier
/// does them: plain little-endian 32-bit words. Functions that take a scalar expect it below
/// `n`, the invariant of the verifier's scalars (which enter through
/// [`from_be_bytes_nonzero`](scalar::from_be_bytes_nonzero) and
/// [`reduce_be_bytes`](scalar::reduce_be_bytes)).
pub mod scalar {
    use crate::scalar::{self, Comb, Scalar};

    /// The big-endian integer if it is in `[1, n − 1]` (ECDSA's `r` and `s`).
    pub fn from_be_bytes_nonzero(bytes: &[u8; 32]) -> Option<[u32; 8]> {
        Scalar::from_be_bytes_nonzero(bytes).map(|s| s.0)
    }
    /// The big-endian integer modulo `n` (ECDSA's `z`).
    pub fn reduce_be_bytes(bytes: &[u8; 32]) -> [u32; 8] {
        Scalar::reduce_be_bytes(bytes).0
    }
    /// Whether `k` is zero.
    pub fn is_zero(k: &[u32; 8]) -> bool {
        Scalar(*k).is_zero()
    }
    /// Whether `k` is even.
    pub fn is_even(k: &[u32; 8]) -> bool {
        Scalar(*k).is_even()
    }
    /// Bit `i` of `k` (zero beyond bit 255).
    pub fn bit(k: &[u32; 8], i: usize) -> bool {
        Scalar(*k).bit(i)
    }
    /// `n − k`, for `k` in `[1, n − 1]`.
    pub fn negate(k: &[u32; 8]) -> [u32; 8] {
        Scalar(*k).negate().0
    }
    /// `(a·b mod n, a·c mod n)`.
    pub fn mul2(a: &[u32; 8], b: &[u32; 8], c: &[u32; 8]) -> ([u32; 8], [u32; 8]) {
        let (x, y) = Scalar(*a).mul2(&Scalar(*b), &Scalar(*c));
        (x.0, y.0)
    }
    /// `k⁻¹ mod n` (zero for zero), by the variable-time safegcd.
    pub fn invert(k: &[u32; 8]) -> [u32; 8] {
        Scalar(*k).invert_vartime().0
    }
    /// The digits of `k` in width-`w` windows of its mutual opposite form (`2 ≤ w ≤ 8`), as
    /// the verification reads them from the top, least significant digit first.
    pub fn mof(k: &[u32; 8], w: u32) -> [i8; 257] {
        scalar::Mof::digits(&Scalar(*k), w)
    }
    /// The signed comb of `k` with `teeth` teeth spaced `spacing` apart (`teeth·spacing ≥ 256`,
    /// `teeth ≤ 8`): for each column `j < out.len()`, the table index and whether the entry is
    /// negated. Returns whether `k` is zero (then no column contributes).
    pub fn comb(k: &[u32; 8], teeth: usize, spacing: usize, out: &mut [(usize, bool)]) -> bool {
        let comb = Comb::new(&Scalar(*k), teeth, spacing);
        for (j, column) in out.iter_mut().enumerate() {
            *column = comb.column(j, teeth, spacing);
        }
        comb.is_zero()
    }
}
