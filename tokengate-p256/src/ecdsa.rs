//! The ECDSA verification equation: the range checks on `r` and `s`, `u₁ = z·s⁻¹` and
//! `u₂ = r·s⁻¹`, `R = u₁·G + u₂·Q` (signed comb for `G`; width-4 windows of the mutual opposite
//! form or the key's comb table for `Q`), and the final check `x(R) mod n = r`.

use crate::Error;
use crate::point::{self, Affine, Jacobian};
use crate::scalar::{Comb, Mof, Scalar};
use crate::tables;

/// Teeth of the comb of the generator.
pub(crate) const G_TEETH: usize = 6;
/// Entries in the comb table of the generator: `2^(G_TEETH − 1)`.
pub(crate) const G_POINTS: usize = 1 << (G_TEETH - 1);
/// Column spacing of the comb of the generator.
pub(crate) const G_SPACING: usize = point::comb_spacing(G_TEETH);

/// Window width of the recoding of `u₂` on the path without a key table ([`Mof`]; its
/// digits and their number are those of the width-4 NAF). With affine odd multiples, width 4
/// (4 multiples) measured fewer instructions than width 5 (8 multiples, summed with the Jacobian
/// addition) on Cortex-M4 and RV32 (RV32: 2.972 M against 2.986 M: the four extra multiples
/// cost more than the additions they save) and 384 bytes less stack; and its multiples need no
/// Jacobian addition at all ([`point::odd_multiples`]).
pub(crate) const MOF_WIDTH: u32 = 4;

/// Odd multiples of `Q` for the digits of `u₂`: `Q, 3Q, 5Q, 7Q` ([`point::odd_multiples`]).
const ODD: usize = 1 << (MOF_WIDTH - 2);

/// [`crate::verify_prehashed`] for a point that passed [`Affine::from_sec1`].
///
/// # Errors
/// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does not
/// verify.
pub(crate) fn verify(q: &Affine, hash: &[u8; 32], signature: &[u8; 64]) -> Result<(), Error> {
    // Results go to out-parameters: returned in an `Option` or `Result`, the 96-byte scalars
    // and points were copied from frame to frame (288 bytes more stack on Cortex-M4).
    let mut s = Scalars::ZERO;
    scalars(hash, signature, &mut s)?;
    // In frames of their own, one after the other: the precomputation's temporaries and the
    // main loop's never share the stack.
    let mut odd = [Affine::ZERO; ODD];
    point::odd_multiples(q, &mut odd).ok_or(Error::BadSignature)?;
    let mut sum = Jacobian::INFINITY;
    shamir(&s.u1, &s.u2, &odd, &mut sum).ok_or(Error::BadSignature)?;
    check(&sum, &s.r)
}

/// [`verify`] with the comb table of the public key ([`crate::KeyTable`]).
///
/// # Errors
/// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does not
/// verify.
pub(crate) fn verify_with_table<const POINTS: usize>(
    table: &[[u32; 16]; POINTS],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    let mut s = Scalars::ZERO;
    scalars(hash, signature, &mut s)?;
    let mut sum = Jacobian::INFINITY;
    double_comb(&s.u1, &s.u2, table, &mut sum).ok_or(Error::BadSignature)?;
    check(&sum, &s.r)
}

/// Teeth of the comb of a key table of `POINTS` entries: `log2(POINTS) + 1`.
#[allow(clippy::as_conversions, clippy::arithmetic_side_effects)] // 5 to 8.
pub(crate) const fn key_teeth<const POINTS: usize>() -> usize {
    POINTS.trailing_zeros() as usize + 1
}

/// The scalars of the verification equation.
struct Scalars {
    u1: Scalar,
    u2: Scalar,
    r: Scalar,
}

impl Scalars {
    const ZERO: Self = Self {
        u1: Scalar([0; 8]),
        u2: Scalar([0; 8]),
        r: Scalar([0; 8]),
    };
}

/// `(u₁, u₂, r)` of a signature into `out`, after the range checks on `r` and `s`.
fn scalars(hash: &[u8; 32], signature: &[u8; 64], out: &mut Scalars) -> Result<(), Error> {
    let (r, s) = signature.split_at(32);
    let (Ok(r), Ok(s)) = (<&[u8; 32]>::try_from(r), <&[u8; 32]>::try_from(s)) else {
        return Err(Error::BadSignature);
    };
    let r = Scalar::from_be_bytes_nonzero(r).ok_or(Error::BadSignature)?;
    let s = Scalar::from_be_bytes_nonzero(s).ok_or(Error::BadSignature)?;
    let z = Scalar::reduce_be_bytes(hash);
    let w = s.invert_vartime();
    (out.u1, out.u2) = w.mul2(&z, &r);
    out.r = r;
    Ok(())
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
    acc: &mut Jacobian,
    comb: &Comb,
    table: &[[u32; 16]; POINTS],
    teeth: usize,
    spacing: usize,
    j: usize,
) -> Option<()> {
    let (index, negative) = comb.column(j, teeth, spacing);
    let entry = Affine::from_words(table.get(index)?).neg_if(negative);
    acc.add_affine_assign(&entry);
    Some(())
}

/// `u₁·G + u₂·Q`: the digits of `u₂` in width-4 windows of its mutual opposite form, read from
/// the top ([`Mof`]: no array of digits on the stack), over the affine odd multiples of `Q`
/// ([`point::odd_multiples`]), interleaved with the comb of `G` in its last [`G_SPACING`]
/// doublings; every addition is mixed. The sum goes to `acc`, which starts at infinity. Out of
/// line, so that its frame and the precomputation's are never on the stack together.
#[inline(never)]
fn shamir(u1: &Scalar, u2: &Scalar, odd: &[Affine; ODD], acc: &mut Jacobian) -> Option<()> {
    let mut digits = Mof::new(u2, MOF_WIDTH);
    let comb = Comb::new(u1, G_TEETH, G_SPACING);
    *acc = Jacobian::INFINITY;
    let mut started = false;
    for i in (0..Mof::LEN).rev() {
        if started {
            acc.double_assign();
        }
        let digit = digits.digit(i);
        if digit != 0 {
            let index = usize::from(digit.unsigned_abs() / 2);
            let entry = odd.get(index)?;
            acc.add_affine_assign(&entry.neg_if(digit < 0));
            started = true;
        }
        if i < G_SPACING && !comb.is_zero() {
            add_column(acc, &comb, &tables::G, G_TEETH, G_SPACING, i)?;
            started = true;
        }
    }
    Some(())
}

/// `u₁·G + u₂·Q` with comb tables of both points, sharing the doublings, into `acc`.
fn double_comb<const POINTS: usize>(
    u1: &Scalar,
    u2: &Scalar,
    key: &[[u32; 16]; POINTS],
    acc: &mut Jacobian,
) -> Option<()> {
    let teeth = key_teeth::<POINTS>();
    let spacing = point::comb_spacing(teeth);
    let g = Comb::new(u1, G_TEETH, G_SPACING);
    let q = Comb::new(u2, teeth, spacing);
    *acc = Jacobian::INFINITY;
    let columns = G_SPACING.max(spacing);
    for j in (0..columns).rev() {
        // No doubling before the first column: the sum is still the point at infinity.
        if j != columns.saturating_sub(1) {
            acc.double_assign();
        }
        if j < G_SPACING && !g.is_zero() {
            add_column(acc, &g, &tables::G, G_TEETH, G_SPACING, j)?;
        }
        if j < spacing && !q.is_zero() {
            add_column(acc, &q, key, teeth, spacing, j)?;
        }
    }
    Some(())
}
