//! ES256: ECDSA over P-256 with SHA-256 (RFC 7518 §3.4).
//!
//! By default the arithmetic is tokengate's own 32-bit P-256, the `tokengate-p256` crate
//! (written for Cortex-M: 5.5× fewer instructions than the `p256` crate on Cortex-M4, 1.51 M
//! against 8.25 M); the `es256-p256` feature runs the same checks on the `p256` crate instead,
//! for comparison, for both [`Es256Key`] and [`Es256KeyTable`] (nothing here then calls
//! `tokengate-p256`). Both accept and reject exactly the same inputs (the differential tests and
//! fuzz target hold them to that).

use crate::ecdsa::is_uncompressed_point;
use crate::error::Error;

/// Length of an ES256 signature: `r ‖ s`, 32 bytes each, big-endian (RFC 7518 §3.4).
pub const ES256_SIGNATURE_LEN: usize = 64;

/// The P-256 field prime, big-endian: coordinates must be below it.
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// A P-256 public key for ES256, as an uncompressed SEC1 point `04 ‖ x ‖ y`.
///
/// [`Es256Key::new`] is a `const fn`, so a key can be a `static` in flash. It checks the encoding
/// and that both coordinates are field elements; that the point is on the curve is checked
/// whenever the key is used (a point off the curve never verifies anything: it is
/// [`Error::InvalidKey`]) and up front by [`Key::validate`](crate::Key::validate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Es256Key {
    sec1: [u8; 65],
}

impl Es256Key {
    /// A key from its 65-byte uncompressed SEC1 encoding.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless the first byte is `0x04` and `x`, `y` are below the field
    /// prime.
    pub const fn new(sec1: &[u8; 65]) -> Result<Self, Error> {
        if !is_uncompressed_point(sec1, &P) {
            return Err(Error::InvalidKey);
        }
        Ok(Self { sec1: *sec1 })
    }

    /// The SEC1 encoding.
    pub const fn to_sec1(&self) -> [u8; 65] {
        self.sec1
    }

    /// Checks the curve equation.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a point that is not on P-256.
    pub(crate) fn check_on_curve(&self) -> Result<(), Error> {
        #[cfg(not(feature = "es256-p256"))]
        let on_curve = tokengate_p256::is_on_curve(&self.sec1);
        #[cfg(feature = "es256-p256")]
        let on_curve = p256::ecdsa::VerifyingKey::from_sec1_bytes(&self.sec1).is_ok();
        if on_curve {
            Ok(())
        } else {
            Err(Error::InvalidKey)
        }
    }

    /// Verifies an ES256 signature over a message whose SHA-256 is `hash`.
    ///
    /// Out of line, so that the stack frame of the P-256 arithmetic is only there while an
    /// ES256 signature is checked, not in every verification that inlines the key dispatch.
    #[inline(never)]
    pub(crate) fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
        let signature = signature_bytes(signature)?;
        // Both reject r or s outside [1, n - 1]; high-s signatures are valid ECDSA and verify.
        #[cfg(not(feature = "es256-p256"))]
        return tokengate_p256::verify_prehashed(&self.sec1, hash, signature).map_err(from_p256);
        #[cfg(feature = "es256-p256")]
        return by_p256_crate(&self.sec1, hash, signature);
    }
}

/// An ES256 public key with a precomputed signed-comb table of its multiples: `POINTS` affine
/// points (`POINTS` × 64 bytes) that make the key's half of a verification as cheap as the
/// generator's. Provision it with [`Key::es256_table`](crate::Key::es256_table).
///
/// `POINTS` is 16, 32 (the default), 64 or 128; any other size fails to compile. Bigger tables
/// cost flash and save additions (`docs/footprint.md`).
///
/// [`Es256KeyTable::new`] is the only constructor: it computes the table from the point, so a
/// table always belongs to its point and verifies exactly what [`Es256Key`] verifies. It is a
/// `const fn`: in a `static`, the compiler computes the table (2 to 3 s of build time for
/// 32 points) and a point off P-256 is a compile error.
///
/// With the `es256-p256` feature the type keeps this API but stores only the point (65 bytes)
/// and verifies with the `p256` crate, like [`Es256Key`]: `new` then checks the encoding only,
/// and the curve equation is checked on every use and by [`Key::validate`](crate::Key::validate).
///
/// ```
/// use tokengate::{Es256KeyTable, Key};
/// # const POINT: [u8; 65] = {
/// #     let mut p = [0u8; 65];
/// #     p[0] = 4;
/// #     let (x, y) = (
/// #         *b"\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40\xf2\x77\x03\x7d\x81\x2d\xeb\x33\xa0\xf4\xa1\x39\x45\xd8\x98\xc2\x96",
/// #         *b"\x4f\xe3\x42\xe2\xfe\x1a\x7f\x9b\x8e\xe7\xeb\x4a\x7c\x0f\x9e\x16\x2b\xce\x33\x57\x6b\x31\x5e\xce\xcb\xb6\x40\x68\x37\xbf\x51\xf5",
/// #     );
/// #     let mut i = 0;
/// #     while i < 32 { p[1 + i] = x[i]; p[33 + i] = y[i]; i += 1; }
/// #     p
/// # };
/// // Computed by the compiler: 2 KiB of flash, no RAM.
/// static DOOR_TABLE: Es256KeyTable = match Es256KeyTable::new(&POINT) {
///     Ok(table) => table,
///     Err(_) => panic!("not a P-256 point"),
/// };
/// static KEYS: [Key<'static>; 1] = [Key::es256_table(&DOOR_TABLE).with_kid("door-2026")];
/// ```
#[derive(Clone)]
pub struct Es256KeyTable<const POINTS: usize = 32> {
    /// The point and its table.
    #[cfg(not(feature = "es256-p256"))]
    table: tokengate_p256::KeyTable<POINTS>,
    /// The point alone.
    #[cfg(feature = "es256-p256")]
    sec1: [u8; 65],
}

impl<const POINTS: usize> core::fmt::Debug for Es256KeyTable<POINTS> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Es256KeyTable")
            .field("points", &POINTS)
            .finish_non_exhaustive()
    }
}

impl<const POINTS: usize> Es256KeyTable<POINTS> {
    /// Fails to compile unless `POINTS` is 16, 32, 64 or 128 (whichever arithmetic is built).
    const SIZE: () = assert!(
        POINTS == 16 || POINTS == 32 || POINTS == 64 || POINTS == 128,
        "a key table has 16, 32, 64 or 128 points"
    );

    /// The table of an uncompressed SEC1 point `04 ‖ x ‖ y`.
    ///
    /// A `const fn`: `static TABLE: Es256KeyTable = match Es256KeyTable::new(&POINT) { .. }`
    /// is computed by the compiler: about 3,000 field multiplications, 2 to 3 s of build time
    /// for 32 points and 3 to 5 s for 128 (rustc 1.95 and 1.96 on x86-64), within the
    /// `long_running_const_eval` limit for every size.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless the prefix is `04`, `x, y < p` and the point is on the
    /// curve (with `es256-p256`: the encoding only, as [`Es256Key::new`]).
    pub const fn new(sec1: &[u8; 65]) -> Result<Self, Error> {
        let () = Self::SIZE;
        if let Err(e) = Es256Key::new(sec1) {
            return Err(e);
        }
        #[cfg(not(feature = "es256-p256"))]
        return match tokengate_p256::KeyTable::new(sec1) {
            Ok(table) => Ok(Self { table }),
            Err(_) => Err(Error::InvalidKey),
        };
        #[cfg(feature = "es256-p256")]
        return Ok(Self { sec1: *sec1 });
    }

    /// The key's SEC1 encoding.
    pub const fn sec1(&self) -> &[u8; 65] {
        #[cfg(not(feature = "es256-p256"))]
        return self.table.point();
        #[cfg(feature = "es256-p256")]
        return &self.sec1;
    }

    /// Checks the curve equation: done by [`Es256KeyTable::new`] already, unless the table is
    /// built on the `p256` crate.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a point that is not on P-256.
    pub(crate) fn check_on_curve(&self) -> Result<(), Error> {
        #[cfg(not(feature = "es256-p256"))]
        return Ok(());
        #[cfg(feature = "es256-p256")]
        return Es256Key { sec1: self.sec1 }.check_on_curve();
    }

    /// Verifies a signature `r ‖ s` over a message whose SHA-256 is `hash`.
    ///
    /// # Errors
    /// [`Error::BadSignature`] for `r` or `s` outside `[1, n − 1]` or a signature that does
    /// not verify; with `es256-p256`, [`Error::InvalidKey`] for a point off the curve.
    pub(crate) fn verify_prehashed(
        &self,
        hash: &[u8; 32],
        signature: &[u8; ES256_SIGNATURE_LEN],
    ) -> Result<(), Error> {
        #[cfg(not(feature = "es256-p256"))]
        return self
            .table
            .verify_prehashed(hash, signature)
            .map_err(from_p256);
        #[cfg(feature = "es256-p256")]
        return by_p256_crate(&self.sec1, hash, signature);
    }

    /// [`Self::verify_prehashed`] for a signature of any length, out of line like
    /// [`Es256Key`]'s.
    #[inline(never)]
    pub(crate) fn verify_signature(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
        self.verify_prehashed(hash, signature_bytes(signature)?)
    }
}

/// Compile-fail doctests: a table has no constructor but [`Es256KeyTable::new`], and its
/// entries can be neither supplied nor read. (Stable rustdoc does not compare error codes;
/// `RUSTC_BOOTSTRAP=1 cargo test --doc` does.)
///
/// ```compile_fail,E0599
/// let forged = tokengate::Es256KeyTable::<32>::from_parts(&[4; 65], [[0; 16]; 32]);
/// ```
///
/// ```compile_fail,E0599
/// fn entries(table: &tokengate::Es256KeyTable) -> &[[u32; 16]; 32] {
///     table.points()
/// }
/// ```
///
/// ```compile_fail
/// // "cannot construct `Es256KeyTable<_>` with struct literal syntax due to private fields"
/// fn forged(sec1: [u8; 65]) -> tokengate::Es256KeyTable {
///     tokengate::Es256KeyTable { sec1 }
/// }
/// ```
///
/// ```compile_fail,E0599
/// let teeth = tokengate::Es256KeyTable::<32>::TEETH;
/// ```
///
/// Only 16, 32, 64 or 128 points:
///
/// ```compile_fail,E0080
/// const G: [u8; 65] = [
///     0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4,
///     0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8,
///     0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a,
///     0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40,
///     0x68, 0x37, 0xbf, 0x51, 0xf5,
/// ];
/// let table = tokengate::Es256KeyTable::<8>::new(&G);
/// ```
///
/// A point off the curve in a `static` does not compile (with `es256-p256`, whose `new` checks
/// the encoding only, it does, and the key is refused on use):
///
#[cfg_attr(not(feature = "es256-p256"), doc = "```compile_fail,E0080")]
#[cfg_attr(feature = "es256-p256", doc = "```")]
/// static TABLE: tokengate::Es256KeyTable = match tokengate::Es256KeyTable::new(&[4; 65]) {
///     Ok(table) => table,
///     Err(_) => panic!("not a P-256 point"),
/// };
/// ```
#[cfg(doctest)]
pub struct TablesAreComputed;

/// An ES256 signature as its fixed `r ‖ s` array, for every kind of ES256 key.
///
/// # Errors
/// [`Error::SignatureLength`] unless it is exactly [`ES256_SIGNATURE_LEN`] bytes.
pub(crate) fn signature_bytes(signature: &[u8]) -> Result<&[u8; ES256_SIGNATURE_LEN], Error> {
    <&[u8; ES256_SIGNATURE_LEN]>::try_from(signature).map_err(|_| Error::SignatureLength {
        len: signature.len(),
        expected: ES256_SIGNATURE_LEN,
    })
}

/// tokengate's error for one of `tokengate-p256`: [`Error::InvalidKey`] for a key that is not a
/// P-256 point, [`Error::BadSignature`] for everything else.
#[cfg(not(feature = "es256-p256"))]
fn from_p256(error: tokengate_p256::Error) -> Error {
    match error {
        tokengate_p256::Error::InvalidKey => Error::InvalidKey,
        _ => Error::BadSignature,
    }
}

/// [`Es256Key::verify_prehashed`] by the `p256` crate.
#[cfg(feature = "es256-p256")]
fn by_p256_crate(
    sec1: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; ES256_SIGNATURE_LEN],
) -> Result<(), Error> {
    crate::ecdsa::verify_prehash_by!(p256, sec1, hash, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_checks() {
        let mut point = [0u8; 65];
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
        point[0] = 4;
        assert!(Es256Key::new(&point).is_ok());
        point[1..33].copy_from_slice(&P);
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
        point[32] = 0xfe;
        assert!(Es256Key::new(&point).is_ok());
        // On-curve is checked at use.
        assert_eq!(
            Es256Key::new(&point).unwrap().check_on_curve(),
            Err(Error::InvalidKey)
        );
        point[0] = 2;
        assert_eq!(Es256Key::new(&point), Err(Error::InvalidKey));
    }
}
