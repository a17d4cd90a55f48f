//! ES256 fast path: ECDSA P-256 signature verification written for 32-bit microcontrollers
//! (issue 7).
//!
//! # What it computes
//!
//! Exactly what the `p256` crate's `VerifyingKey::verify_prehash` accepts: `r` and `s` in
//! `[1, n − 1]` (high `s` accepted), `z` the 256-bit hash as an integer reduced modulo `n`,
//! `w = s⁻¹`, `R = (z·w)·G + (r·w)·Q`; the signature is valid when `R` is not the point at
//! infinity and `x(R) mod n = r`. A key point off the curve is [`Error::InvalidKey`], every
//! other failure [`Error::BadSignature`].
//!
//! # Algorithm
//!
//! - **Field** (`field`): arithmetic modulo `p` on eight 32-bit words in the Montgomery domain,
//!   partially reduced (any value below `2^256`), multiplication by word-serial Montgomery
//!   reduction that uses `p ≡ −1 (mod 2^32)`. Written as `a·b + c + d` on `u64`, which LLVM
//!   turns into `UMAAL` on Cortex-M4. No 64-bit limbs: on `thumbv7em` those are emulated.
//! - **Points** (`point`): Jacobian coordinates, `a = −3` doubling (4M + 4S), mixed additions
//!   with affine table entries (8M + 3S), full additions (12M + 4S); equal and opposite
//!   operands are handled by branches (doubling, infinity).
//! - **Scalars** (`scalar`): `s⁻¹` by safegcd (Bernstein–Yang divsteps, 30 at a time, variable time), `u₁ = z·w` and
//!   `u₂ = r·w` by Montgomery multiplication modulo `n`.
//! - **`u₁·G`**: a signed comb (Lim–Lee with every digit ±1, Hedabou et al.) over a table of
//!   [`G_POINTS`] affine points in flash: `teeth = 6` bits of the scalar, spaced
//!   `d = ⌈256/6⌉ = 43` apart, select one entry and a sign per column, so `u₁·G` costs
//!   42 doublings and 43 mixed additions, and the doublings are shared with `u₂·Q`.
//! - **`u₂·Q`, no key table** ([`verify_prehashed`]): width-5 NAF with the odd multiples
//!   `Q, 3Q, …, 15Q` computed per verification (1 doubling, 7 additions), interleaved with the
//!   comb of `G` in one loop (Shamir's trick): 256 doublings, about 43 additions for `Q` and
//!   43 for `G`.
//! - **`u₂·Q`, with a key table** ([`crate::Es256KeyTable`], [`verify_prehashed_with_table`]):
//!   the same signed comb as for `G`, over the table that [`key_table`] computes from the point
//!   (by the compiler for a `static`, or at run time). Both combs then share `max(d) − 1`
//!   doublings: 42 doublings and 86 mixed additions for the default 32-point table.
//! - **Final check** without an inversion: `X ≡ r·Z²` or `X ≡ (r + n)·Z² (mod p)` (the second
//!   only when `r + n < p`).
//!
//! # Trade-offs (numbers in `docs/footprint.md` and the issue 7 report)
//!
//! - Stack: a few hundred bytes of field elements, plus the NAF digits (257 B) and the table of
//!   odd multiples (8 Jacobian points, 768 B) on the path without a key table.
//! - Flash: the code, plus the table of `G` ([`G_POINTS`] × 64 B = 2 KiB). A key table is
//!   `POINTS` × 64 B + 65 B of flash (or RAM) per key: 16 points (1 KiB), 32 (2 KiB, the
//!   default), 64 (4 KiB), 128 (8 KiB); each doubling of the table removes about 1/7 of the
//!   key's additions.
//! - Instructions: a doubling costs about as much as 0.75 mixed additions; without a key table
//!   the 256 doublings dominate, with one the additions do.
//!
//! # Security
//!
//! Not constant time: branches and table indices depend on the signature, the hash and the
//! public key, all of which are public. Nothing here ever handles a secret. A key table is only
//! ever what [`key_table`] computed from its point, after checking the curve equation: no
//! constructor takes table entries, so a table cannot verify what its point would not.
//!
//! Not compiled with the `es256-p256` feature: every ES256 path then runs on the `p256` crate.

mod field;
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzzing;
mod point;
mod scalar;
mod tables;

#[cfg(test)]
mod tests;

use crate::Error;
use point::{Affine, Jacobian};
use scalar::{Comb, Scalar};

/// Teeth of the comb of the generator.
const G_TEETH: usize = 6;
/// Entries in the comb table of the generator: `2^(G_TEETH − 1)`.
pub(crate) const G_POINTS: usize = 1 << (G_TEETH - 1);
/// Column spacing of the comb of the generator.
const G_SPACING: usize = point::comb_spacing(G_TEETH);

/// Width of the NAF of `u₂` on the path without a key table: 8 odd multiples of `Q`.
const NAF_WIDTH: u32 = 5;

/// Verifies an ECDSA P-256 signature `r ‖ s` (big-endian, 32 bytes each) over a message whose
/// SHA-256 is `hash`, with the public key `point` (uncompressed SEC1; its `04` prefix and
/// `x, y < p` are checked by the caller, `Es256Key::new`).
///
/// # Errors
/// [`Error::InvalidKey`] for a point that is not on the curve; [`Error::BadSignature`] for `r`
/// or `s` outside `[1, n − 1]` or a signature that does not verify.
pub(crate) fn verify_prehashed(
    point: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    let q = Affine::from_sec1(point).ok_or(Error::InvalidKey)?;
    let (u1, u2, r) = scalars(hash, signature)?;
    let sum = shamir_wnaf(&u1, &u2, &q).ok_or(Error::BadSignature)?;
    check(&sum, &r)
}

/// [`verify_prehashed`] with the comb table [`key_table`] computed from the public key.
///
/// # Errors
/// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does not
/// verify.
pub(crate) fn verify_prehashed_with_table<const POINTS: usize>(
    table: &[[u32; 16]; POINTS],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    let (u1, u2, r) = scalars(hash, signature)?;
    let sum = double_comb(&u1, &u2, table).ok_or(Error::BadSignature)?;
    check(&sum, &r)
}

/// The signed-comb table of an uncompressed SEC1 point, `POINTS` (16, 32, 64 or 128) affine
/// entries: entry `i` is `Q + Σ_{t=1}^{teeth−1} ±2^(t·d)·Q`, `teeth = log2(POINTS) + 1`,
/// `d = ⌈256/teeth⌉`, `+` where bit `t − 1` of `i` is set; `x` then `y`, eight little-endian
/// words each, canonical, in the Montgomery domain. `None` for a point that is not on the
/// curve (the `04` prefix is the caller's check). A `const fn`, for the compiler.
pub(crate) const fn key_table<const POINTS: usize>(sec1: &[u8; 65]) -> Option<[[u32; 16]; POINTS]> {
    match Affine::from_sec1(sec1) {
        Some(point) => point::comb_table::<POINTS>(&point),
        None => None,
    }
}

/// Teeth of the comb of a key table of `POINTS` entries: `log2(POINTS) + 1`.
#[allow(clippy::as_conversions, clippy::arithmetic_side_effects)] // 5 to 8.
const fn key_teeth<const POINTS: usize>() -> usize {
    POINTS.trailing_zeros() as usize + 1
}

/// Whether an uncompressed SEC1 point (prefix and coordinate bounds as for
/// [`verify_prehashed`]) is on the curve.
pub(crate) fn is_on_curve(point: &[u8; 65]) -> bool {
    Affine::from_sec1(point).is_some()
}

/// `(u₁, u₂, r)` of a signature, after the range checks on `r` and `s`.
fn scalars(hash: &[u8; 32], signature: &[u8; 64]) -> Result<(Scalar, Scalar, Scalar), Error> {
    let (r, s) = signature.split_at(32);
    let (Ok(r), Ok(s)) = (<&[u8; 32]>::try_from(r), <&[u8; 32]>::try_from(s)) else {
        return Err(Error::BadSignature);
    };
    let r = Scalar::from_be_bytes_nonzero(r).ok_or(Error::BadSignature)?;
    let s = Scalar::from_be_bytes_nonzero(s).ok_or(Error::BadSignature)?;
    let z = Scalar::reduce_be_bytes(hash);
    let w = s.invert_vartime();
    let (u1, u2) = w.mul2(&z, &r);
    Ok((u1, u2, r))
}

/// `R ≠ ∞` and `x(R) mod n = r`.
fn check(sum: &Jacobian, r: &Scalar) -> Result<(), Error> {
    if sum.is_infinity() || !sum.x_mod_n_is(&r.0) {
        return Err(Error::BadSignature);
    }
    Ok(())
}

/// Adds column `j` of a comb over `table` to `acc`. `None` only if the index were out of the
/// table, which the recoding rules out.
fn add_column<const POINTS: usize>(
    acc: &Jacobian,
    comb: &Comb,
    table: &[[u32; 16]; POINTS],
    teeth: usize,
    spacing: usize,
    j: usize,
) -> Option<Jacobian> {
    let (index, negative) = comb.column(j, teeth, spacing);
    let entry = Affine::from_words(table.get(index)?).neg_if(negative);
    Some(acc.add_affine(&entry))
}

/// `u₁·G + u₂·Q`: width-5 NAF of `u₂` over odd multiples of `Q`, interleaved with the comb
/// of `G` in its last [`G_SPACING`] doublings.
fn shamir_wnaf(u1: &Scalar, u2: &Scalar, q: &Affine) -> Option<Jacobian> {
    // Q, 3Q, 5Q, …, 15Q.
    let mut odd = [Jacobian::INFINITY; 8];
    let q2 = q.jacobian().double();
    let mut previous = q.jacobian();
    for slot in odd.iter_mut() {
        *slot = previous;
        previous = previous.add(&q2);
    }
    let naf = scalar::wnaf(u2, NAF_WIDTH);
    let comb = Comb::new(u1, G_TEETH, G_SPACING);
    let mut acc = Jacobian::INFINITY;
    let mut started = false;
    for (i, &digit) in naf.iter().enumerate().rev() {
        if started {
            acc = acc.double();
        }
        if digit != 0 {
            let index = usize::from(digit.unsigned_abs() / 2);
            let entry = odd.get(index)?;
            acc = acc.add(&if digit < 0 { entry.neg() } else { *entry });
            started = true;
        }
        if i < G_SPACING && !comb.is_zero() {
            acc = add_column(&acc, &comb, &tables::G, G_TEETH, G_SPACING, i)?;
            started = true;
        }
    }
    Some(acc)
}

/// `u₁·G + u₂·Q` with comb tables of both points, sharing the doublings.
fn double_comb<const POINTS: usize>(
    u1: &Scalar,
    u2: &Scalar,
    key: &[[u32; 16]; POINTS],
) -> Option<Jacobian> {
    let teeth = key_teeth::<POINTS>();
    let spacing = point::comb_spacing(teeth);
    let g = Comb::new(u1, G_TEETH, G_SPACING);
    let q = Comb::new(u2, teeth, spacing);
    let mut acc = Jacobian::INFINITY;
    let columns = G_SPACING.max(spacing);
    for j in (0..columns).rev() {
        // No doubling before the first column: the sum is still the point at infinity.
        if j != columns.saturating_sub(1) {
            acc = acc.double();
        }
        if j < G_SPACING && !g.is_zero() {
            acc = add_column(&acc, &g, &tables::G, G_TEETH, G_SPACING, j)?;
        }
        if j < spacing && !q.is_zero() {
            acc = add_column(&acc, &q, key, teeth, spacing, j)?;
        }
    }
    Some(acc)
}
