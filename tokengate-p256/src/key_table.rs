//! Precomputed comb tables of public keys.

use crate::point::{self, Affine};
use crate::{Error, ecdsa};

/// A public key with a signed-comb table of its multiples: `POINTS` affine points
/// (`POINTS` × 64 bytes) that make the key's half of a verification as cheap as the
/// generator's (about 2.5× fewer instructions than [`verify_prehashed`](crate::verify_prehashed)
/// with the default 32 points).
///
/// `POINTS` is 16, 32 (the default), 64 or 128; any other size fails to compile. Each doubling
/// of the table removes about 1/7 of the key's point additions.
///
/// [`KeyTable::new`] is the only constructor: it computes the table from the point, so a table
/// always belongs to its point and verifies exactly what `verify_prehashed` verifies with that
/// point. It is a `const fn`: in a `static`, the compiler computes the table (2 to 3 s of build
/// time for 32 points) and a point off P-256 is a compile error.
///
/// ```
/// use tokengate_p256::KeyTable;
///
/// // The public key of RFC 6979, A.2.5.
/// const POINT: [u8; 65] = *b"\x04\
///     \x60\xfe\xd4\xba\x25\x5a\x9d\x31\xc9\x61\xeb\x74\xc6\x35\x6d\x68\
///     \xc0\x49\xb8\x92\x3b\x61\xfa\x6c\xe6\x69\x62\x2e\x60\xf2\x9f\xb6\
///     \x79\x03\xfe\x10\x08\xb8\xbc\x99\xa4\x1a\xe9\xe9\x56\x28\xbc\x64\
///     \xf2\xf1\xb2\x0c\x2d\x7e\x9f\x51\x77\xa3\xc2\x94\xd4\x46\x22\x99";
///
/// // Computed by the compiler: 2 KiB of flash, no RAM.
/// static TABLE: KeyTable = match KeyTable::new(&POINT) {
///     Ok(table) => table,
///     Err(_) => panic!("not a P-256 point"),
/// };
/// assert_eq!(TABLE.point(), &POINT);
/// ```
#[derive(Clone)]
pub struct KeyTable<const POINTS: usize = 32> {
    /// What `point::comb_table` computed from `point`, and nothing else.
    points: [[u32; 16]; POINTS],
    point: [u8; 65],
}

impl<const POINTS: usize> KeyTable<POINTS> {
    /// Fails to compile unless `POINTS` is 16, 32, 64 or 128.
    const SIZE: () = assert!(
        POINTS == 16 || POINTS == 32 || POINTS == 64 || POINTS == 128,
        "a key table has 16, 32, 64 or 128 points"
    );

    /// The table of an uncompressed SEC1 point `04 ‖ x ‖ y`.
    ///
    /// About 3,000 field multiplications: 2 to 3 s of build time for 32 points and 3 to 5 s for
    /// 128 in a `static` (rustc 1.95 on x86-64), within the `long_running_const_eval` limit for
    /// every size.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless the prefix is `04`, `x, y < p` and the point is on the
    /// curve.
    pub const fn new(point: &[u8; 65]) -> Result<Self, Error> {
        let () = Self::SIZE;
        let Some(affine) = Affine::from_sec1(point) else {
            return Err(Error::InvalidKey);
        };
        match point::comb_table::<POINTS>(&affine) {
            Some(points) => Ok(Self {
                points,
                point: *point,
            }),
            // Unreachable for a point on the curve (order n): no entry is the point at infinity.
            None => Err(Error::InvalidKey),
        }
    }

    /// The point the table was computed from.
    pub const fn point(&self) -> &[u8; 65] {
        &self.point
    }

    /// [`verify_prehashed`](crate::verify_prehashed) with this table's point.
    ///
    /// # Errors
    /// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does not
    /// verify.
    pub fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8; 64]) -> Result<(), Error> {
        ecdsa::verify_with_table(&self.points, hash, signature)
    }

    /// The table's entries, for the unit tests.
    #[cfg(test)]
    pub(crate) const fn points(&self) -> &[[u32; 16]; POINTS] {
        &self.points
    }
}

impl<const POINTS: usize> core::fmt::Debug for KeyTable<POINTS> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyTable")
            .field("point", &self.point)
            .field("points", &POINTS)
            .finish_non_exhaustive()
    }
}
