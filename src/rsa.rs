//! The RSA algorithms: RS256, RS384, RS512 (RSASSA-PKCS1-v1_5, RFC 8017 §8.2.2) and PS256,
//! PS384, PS512 (RSASSA-PSS, RFC 8017 §8.1.2, with MGF1 on the message hash and a salt of the
//! hash's length, RFC 7518 §3.5), on fixed-size `crypto-bigint` integers. A key is bound to one
//! of them by its [`Key`](crate::Key) constructor.
//!
//! The Montgomery constants of an [`RsaPublicKey`] are computed when the key is constructed, at
//! compile time for a `static` key, never per verification; an [`RsaModulus`] (a key that
//! arrives at run time, as the C API's do) computes them on the stack each time it checks a
//! signature, and only then. The public exponent is applied by left-to-right
//! square-and-multiply with no window table (65537 costs 16 squarings and 2 multiplications),
//! and for PKCS#1 v1.5 the result is compared with the whole EMSA-PKCS1-v1_5 encoding rebuilt
//! from the hash: the padding is never parsed. For PSS, EMSA-PSS-VERIFY (RFC 8017 §9.1.2) runs
//! in place on the encoded message, in a fixed buffer, with every check of the RFC.

use crypto_bigint::modular::FixedMontyParams;
use crypto_bigint::{Limb, Uint, Word};

use crate::alg::Alg;
use crate::error::Error;

/// The signature scheme an RSA key is bound to: one JWS algorithm each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// RS256: PKCS#1 v1.5, SHA-256.
    #[cfg(feature = "rs256")]
    Rs256,
    /// RS384: PKCS#1 v1.5, SHA-384.
    #[cfg(feature = "rs384")]
    Rs384,
    /// RS512: PKCS#1 v1.5, SHA-512.
    #[cfg(feature = "rs512")]
    Rs512,
    /// PS256: PSS, SHA-256, MGF1-SHA-256, 32-byte salt.
    #[cfg(feature = "ps256")]
    Ps256,
    /// PS384: PSS, SHA-384, MGF1-SHA-384, 48-byte salt.
    #[cfg(feature = "ps384")]
    Ps384,
    /// PS512: PSS, SHA-512, MGF1-SHA-512, 64-byte salt.
    #[cfg(feature = "ps512")]
    Ps512,
}

impl Scheme {
    /// The JWS algorithm.
    pub(crate) const fn alg(self) -> Alg {
        match self {
            #[cfg(feature = "rs256")]
            Scheme::Rs256 => Alg::Rs256,
            #[cfg(feature = "rs384")]
            Scheme::Rs384 => Alg::Rs384,
            #[cfg(feature = "rs512")]
            Scheme::Rs512 => Alg::Rs512,
            #[cfg(feature = "ps256")]
            Scheme::Ps256 => Alg::Ps256,
            #[cfg(feature = "ps384")]
            Scheme::Ps384 => Alg::Ps384,
            #[cfg(feature = "ps512")]
            Scheme::Ps512 => Alg::Ps512,
        }
    }

    /// The scheme of a JWS algorithm, if it is an RSA one whose feature is enabled.
    pub(crate) const fn of(alg: Alg) -> Option<Self> {
        match alg {
            #[cfg(feature = "rs256")]
            Alg::Rs256 => Some(Scheme::Rs256),
            #[cfg(feature = "rs384")]
            Alg::Rs384 => Some(Scheme::Rs384),
            #[cfg(feature = "rs512")]
            Alg::Rs512 => Some(Scheme::Rs512),
            #[cfg(feature = "ps256")]
            Alg::Ps256 => Some(Scheme::Ps256),
            #[cfg(feature = "ps384")]
            Alg::Ps384 => Some(Scheme::Ps384),
            #[cfg(feature = "ps512")]
            Alg::Ps512 => Some(Scheme::Ps512),
            _ => None,
        }
    }
}

/// Smallest accepted modulus, in bits.
pub const RSA_MIN_BITS: u32 = 2048;
/// Largest accepted modulus, in bits. Bounds the signature buffer and the stack.
pub const RSA_MAX_BITS: u32 = 4096;

/// An RSA public key with its Montgomery constants, held in a `LIMBS`-limb integer.
///
/// Use the aliases [`Rsa2048`], [`Rsa3072`] and [`Rsa4096`]; a modulus may be smaller than its
/// integer (a 2048-bit modulus in an [`Rsa4096`] works, only slower). Construct it in a `static`
/// so the constants are computed by the compiler:
///
/// ```
/// # use tokengate::Rsa2048;
/// # const MODULUS: [u8; 256] = { let mut m = [0xc5u8; 256]; m[255] = 0x0b; m };
/// static KEY: Rsa2048 = match Rsa2048::new(&MODULUS, 65537) {
///     Ok(key) => key,
///     Err(_) => panic!("invalid RSA key"),
/// };
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaPublicKey<const LIMBS: usize> {
    n: Uint<LIMBS>,
    r2: Uint<LIMBS>,
    n_neg_inv: Limb,
    e: u32,
    len: usize,
}

/// An RSA key of up to 2048 bits.
pub type Rsa2048 = RsaPublicKey<{ crypto_bigint::U2048::LIMBS }>;
/// An RSA key of up to 3072 bits.
pub type Rsa3072 = RsaPublicKey<{ crypto_bigint::U3072::LIMBS }>;
/// An RSA key of up to 4096 bits.
pub type Rsa4096 = RsaPublicKey<{ crypto_bigint::U4096::LIMBS }>;

const LIMB_BYTES: usize = Limb::BYTES;

impl<const LIMBS: usize> RsaPublicKey<LIMBS> {
    /// Number of limbs of the integer type.
    #[cfg(test)]
    pub(crate) const LIMBS: usize = LIMBS;

    /// A key from its big-endian modulus (leading zero bytes allowed) and public exponent.
    ///
    /// # Errors
    /// [`Error::RsaKeySize`] unless the modulus has 2048 to 4096 bits and fits `LIMBS` (only
    /// the 2048, 3072 and 4096-bit integer sizes are accepted); [`Error::InvalidKey`] for an
    /// even modulus or an exponent that is even or below 3.
    // Indexing is guarded by explicit bounds in this const fn, where `get` is not available.
    // `as` widens bytes to words and narrows a length already bounded by 4096 bits.
    #[allow(
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions,
        clippy::cast_possible_truncation
    )]
    pub const fn new(modulus: &[u8], exponent: u32) -> Result<Self, Error> {
        if LIMBS != crypto_bigint::U2048::LIMBS
            && LIMBS != crypto_bigint::U3072::LIMBS
            && LIMBS != crypto_bigint::U4096::LIMBS
        {
            return Err(Error::RsaKeySize { bits: 0 });
        }
        let len = match check_modulus(modulus, exponent, LIMBS * LIMB_BYTES) {
            Ok(len) => len,
            Err(e) => return Err(e),
        };
        let mut limbs = [Limb::ZERO; LIMBS];
        let mut i: usize = 0;
        while i < len {
            // Byte `i` counted from the least significant end.
            let byte = modulus[modulus.len() - 1 - i] as Word;
            let limb = i / LIMB_BYTES;
            limbs[limb] = Limb(limbs[limb].0 | (byte << (8 * (i % LIMB_BYTES))));
            i += 1;
        }
        let n = Uint::new(limbs);
        let Some(odd) = n.to_odd().into_option_copied() else {
            return Err(Error::InvalidKey);
        };
        let params = FixedMontyParams::new_vartime(odd);
        Ok(Self {
            n,
            r2: *params.r2(),
            n_neg_inv: params.mod_neg_inv(),
            e: exponent,
            len,
        })
    }

    /// The modulus length in bytes, which is also the signature length.
    pub const fn modulus_len(&self) -> usize {
        self.len
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> u32 {
        self.n.bits_vartime()
    }

    /// The public exponent.
    pub const fn exponent(&self) -> u32 {
        self.e
    }

    /// Verifies `signature` by `scheme` over a message whose hash (by the scheme's hash
    /// function) is `hash`.
    pub(crate) fn verify_prehashed(
        &self,
        scheme: Scheme,
        hash: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        verify(
            &Modulus {
                n: self.n.as_limbs(),
                r2: self.r2.as_limbs(),
                n_neg_inv: self.n_neg_inv,
                e: self.e,
                len: self.len,
            },
            scheme,
            hash,
            signature,
        )
    }
}

/// The checks of [`RsaPublicKey::new`] short of the Montgomery constants, for a modulus in
/// `capacity` bytes: 2048 to 4096 bits (leading zero bytes allowed), odd, and an odd exponent of
/// at least 3. Returns the modulus length without its leading zero bytes.
// Indexing is guarded by explicit bounds in this const fn, where `get` is not available.
// `as` narrows a length already bounded by 4096 bits.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)]
const fn check_modulus(modulus: &[u8], exponent: u32, capacity: usize) -> Result<usize, Error> {
    // Strip leading zero bytes.
    let mut first = 0;
    while first < modulus.len() && modulus[first] == 0 {
        first += 1;
    }
    let len = modulus.len() - first;
    if len == 0 {
        return Err(Error::RsaKeySize { bits: 0 });
    }
    if len > capacity || len > (RSA_MAX_BITS / 8) as usize + 1 {
        return Err(Error::RsaKeySize {
            bits: if len > u32::MAX as usize / 8 {
                u32::MAX
            } else {
                len as u32 * 8
            },
        });
    }
    let bits = len as u32 * 8 - modulus[first].leading_zeros();
    if bits < RSA_MIN_BITS || bits > RSA_MAX_BITS {
        return Err(Error::RsaKeySize { bits });
    }
    if modulus[modulus.len() - 1] & 1 == 0 || exponent < 3 || exponent & 1 == 0 {
        return Err(Error::InvalidKey);
    }
    Ok(len)
}

/// An RSA public key as its big-endian modulus and public exponent, borrowed and checked, whose
/// Montgomery constants are computed only when it checks a signature.
///
/// [`RsaModulus::new`] makes every check of [`RsaPublicKey::new`] that can refuse a key (2048
/// to 4096 bits, an odd modulus, an odd exponent of at least 3; the same errors as an
/// [`Rsa4096`]'s) and nothing else: it reads the modulus' bytes once and copies none. Each
/// signature check of the modulus' length then loads the modulus into the smallest of
/// [`Rsa2048`], [`Rsa3072`] and [`Rsa4096`]'s integers it fits and computes the constants there,
/// on the stack, with the verification's own arithmetic (the same constants as that key's, so
/// the same verdicts), before the verification proper: on a Cortex-M4 about 200,000
/// instructions for RSA-2048 (40% of an RS256-2048 verification), and the modulus and one
/// constant on the stack (0.5 KiB for 2048 bits, 1 KiB for 4096) beside the verification's.
///
/// For keys that are not known at compile time and of which few are used per verification:
/// the C API's keys, which arrive as bytes on each call, are built on it, so a call pays the
/// constants of the one key the token selects, not of every RSA key it is given. A key that is
/// used often, or known at compile time, is an [`RsaPublicKey`] in a `static`. Bound to an
/// algorithm by [`Key::rsa_modulus`](crate::Key::rsa_modulus).
///
/// ```
/// use tokengate::{Alg, Key, RsaModulus};
/// # let modulus: Vec<u8> = { let mut m = vec![0xc5u8; 256]; m[255] = 0x0b; m };
/// let modulus = RsaModulus::new(&modulus, 65537)?;
/// assert_eq!((modulus.bits(), modulus.modulus_len()), (2048, 256));
/// let key = Key::rsa_modulus(&modulus, Alg::Rs256)?.with_kid("rs256-2026");
/// assert_eq!(key.rsa_bits(), Some(2048));
/// # Ok::<(), tokengate::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaModulus<'k> {
    /// The modulus without its leading zero bytes.
    n: &'k [u8],
    e: u32,
}

impl<'k> RsaModulus<'k> {
    /// A key from its big-endian modulus (leading zero bytes allowed) and public exponent.
    ///
    /// # Errors
    /// [`Error::RsaKeySize`] unless the modulus has 2048 to 4096 bits; [`Error::InvalidKey`] for
    /// an even modulus or an exponent that is even or below 3.
    pub const fn new(modulus: &'k [u8], exponent: u32) -> Result<Self, Error> {
        let len = match check_modulus(modulus, exponent, crypto_bigint::U4096::LIMBS * LIMB_BYTES) {
            Ok(len) => len,
            Err(e) => return Err(e),
        };
        // `len <= modulus.len()`: the modulus without its leading zeros.
        let (_, n) = modulus.split_at(modulus.len().saturating_sub(len));
        Ok(Self { n, e: exponent })
    }

    /// The modulus length in bytes, which is also the signature length.
    pub const fn modulus_len(&self) -> usize {
        self.n.len()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> u32 {
        let top = self.n.first().map_or(0, |b| b.leading_zeros());
        u32::try_from(self.n.len())
            .unwrap_or(u32::MAX)
            .saturating_mul(8)
            .saturating_sub(top)
    }

    /// The public exponent.
    pub const fn exponent(&self) -> u32 {
        self.e
    }

    /// Verifies `signature` by `scheme` over a message whose hash is `hash`: its length first,
    /// then (and only then) the constants, then the verification.
    pub(crate) fn verify_prehashed(
        &self,
        scheme: Scheme,
        hash: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        if signature.len() != self.n.len() {
            return Err(Error::SignatureLength {
                len: signature.len(),
                expected: self.n.len(),
            });
        }
        match self.n.len() {
            0..=256 => self.prepared::<{ crypto_bigint::U2048::LIMBS }>(scheme, hash, signature),
            257..=384 => self.prepared::<{ crypto_bigint::U3072::LIMBS }>(scheme, hash, signature),
            _ => self.prepared::<{ crypto_bigint::U4096::LIMBS }>(scheme, hash, signature),
        }
    }

    /// The modulus in `LIMBS` limbs with its constants (the same as an
    /// [`RsaPublicKey<LIMBS>`]'s, by [`montgomery_constants`]), on the stack only while it
    /// verifies.
    #[inline(never)]
    fn prepared<const LIMBS: usize>(
        &self,
        scheme: Scheme,
        hash: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        if self.n.len() > LIMBS.saturating_mul(LIMB_BYTES) {
            return Err(Error::RsaKeySize { bits: self.bits() });
        }
        let mut n = [Limb::ZERO; LIMBS];
        load_be(self.n, &mut n);
        let mut r2 = [Limb::ZERO; LIMBS];
        let n_neg_inv = montgomery_constants(&n, self.bits(), &mut r2)?;
        verify(
            &Modulus {
                n: &n,
                r2: &r2,
                n_neg_inv,
                e: self.e,
                len: self.n.len(),
            },
            scheme,
            hash,
            signature,
        )
    }
}

/// The Montgomery constants of an odd modulus `n` of `bits` bits (at least 2): writes
/// `R² mod n` to `r2` (`R = 2^(limb bits × n.len())`) and returns `-n⁻¹ mod 2^(limb bits)`,
/// for a modulus whose value is public (variable time).
///
/// With the verification's own arithmetic, in a double-width buffer of the largest size: from
/// `x = 2^(bits − 1)` (below `n`), doublings modulo `n` reach `2^k·R mod n`, the Montgomery form
/// of `2^k` with `k = log2(R) / 32`; five Montgomery squarings raise it to `(2^k)^32 = R`,
/// whose Montgomery form is `R² mod n`. For RSA-2048, 65 doublings and 5 squarings (fewer
/// squarings cost more doublings than they save): on a Cortex-M4 about 200,000 instructions
/// and 1 KiB of stack, against 270,000 and about 5 KiB more stack for crypto-bigint's
/// `FixedMontyParams::new_vartime` (what [`RsaPublicKey::new`] runs, at compile time for a
/// `static` key).
#[inline(never)]
fn montgomery_constants(n: &[Limb], bits: u32, r2: &mut [Limb]) -> Result<Limb, Error> {
    let limbs = n.len();
    let mut wide = [Limb::ZERO; 2 * MAX_LIMBS];
    let (Some(wide), Some(&n0), true) = (
        wide.get_mut(..limbs.saturating_mul(2)),
        n.first(),
        r2.len() == limbs && bits >= 2,
    ) else {
        return Err(Error::InvalidKey);
    };
    if n0.0 & 1 == 0 {
        return Err(Error::InvalidKey);
    }
    // -n⁻¹ mod 2^W by Newton's iteration: x = n is n⁻¹ mod 2³ (odd squares are 1 mod 8), and
    // each step doubles the bits that are right: 6, 12, 24, 48, 96 ≥ 64.
    let mut inv = n0.0;
    for _ in 0..5 {
        inv = inv.wrapping_mul(Word::from(2u8).wrapping_sub(n0.0.wrapping_mul(inv)));
    }
    let key = Modulus {
        n,
        r2: &[],
        n_neg_inv: Limb(inv.wrapping_neg()),
        e: 0,
        len: 0,
    };
    let r_bits = u32::try_from(limbs)
        .unwrap_or(u32::MAX)
        .saturating_mul(Limb::BITS);
    if bits > r_bits {
        return Err(Error::InvalidKey);
    }
    // x = 2^(bits − 1).
    r2.fill(Limb::ZERO);
    let top = bits.wrapping_sub(1);
    let word = usize::try_from(top / Limb::BITS).unwrap_or(usize::MAX);
    let Some(limb) = r2.get_mut(word) else {
        return Err(Error::InvalidKey);
    };
    limb.0 = Word::from(1u8) << (top % Limb::BITS);
    // 2^(bits − 1 + doublings) = 2^(r_bits + k) = 2^k·R.
    let k = r_bits / 32;
    let doublings = r_bits.wrapping_sub(bits).wrapping_add(1).wrapping_add(k);
    for _ in 0..doublings {
        key.double(r2);
    }
    // (2^k)^(2^5) = 2^(32k) = R.
    for _ in 0..5 {
        key.sqr_assign::<PAIR_ROWS>(r2, wide);
    }
    Ok(key.n_neg_inv)
}

/// A key as the arithmetic sees it: the same code serves every integer size, so the flash holds
/// one copy of it, and the stack holds buffers of the largest size.
struct Modulus<'k> {
    n: &'k [Limb],
    r2: &'k [Limb],
    n_neg_inv: Limb,
    e: u32,
    len: usize,
}

/// Whether products go two rows at a time ([`mul_add_2rows`]). Not with limbs wider than the
/// core's word (64-bit limbs on a 32-bit core): their multiply-accumulates are calls or long
/// sequences, and two rows of carries do not fit the registers.
// `as` widens a bit count.
#[allow(clippy::as_conversions)]
const PAIR_ROWS: bool = Limb::BITS <= usize::BITS;

/// Limbs of the largest modulus.
const MAX_LIMBS: usize = crypto_bigint::U4096::LIMBS;

/// Verifies an RSA signature: `s < n`, then `s^e mod n` is the encoding of `hash` by `scheme`:
/// equal to the whole EMSA-PKCS1-v1_5 encoding, or passing EMSA-PSS-VERIFY.
///
/// Kept out of line: its 1.5 KiB of buffers (the accumulator and a double-width product for
/// the largest keys) are on the stack only while an RSA signature is checked. The signature is
/// never copied into limbs of its own: products by it read its bytes ([`Rows::BigEndian`]).
#[inline(never)]
fn verify(key: &Modulus<'_>, scheme: Scheme, hash: &[u8], signature: &[u8]) -> Result<(), Error> {
    if signature.len() != key.len {
        return Err(Error::SignatureLength {
            len: signature.len(),
            expected: key.len,
        });
    }
    let limbs = key.n.len();
    let mut acc = [Limb::ZERO; MAX_LIMBS];
    let mut wide = [Limb::ZERO; 2 * MAX_LIMBS];
    let (Some(acc), Some(wide)) = (
        acc.get_mut(..limbs),
        wide.get_mut(..limbs.saturating_mul(2)),
    ) else {
        return Err(Error::InvalidKey);
    };
    load_be(signature, acc);
    if !less_than(acc, key.n) {
        return Err(Error::BadSignature);
    }
    key.public_op(signature, acc, wide);
    #[cfg(any(feature = "rs256", feature = "rs384", feature = "rs512"))]
    let pkcs1 = |prefix: &[u8]| encoding_matches(acc, key.len, prefix, hash);
    #[cfg(any(feature = "ps256", feature = "ps384", feature = "ps512"))]
    let pss = |verify: fn(&mut [u8], u32, &[u8]) -> bool| pss(acc, key, hash, verify);
    let matches = match scheme {
        #[cfg(feature = "rs256")]
        Scheme::Rs256 => pkcs1(&SHA256_DIGEST_INFO),
        #[cfg(feature = "rs384")]
        Scheme::Rs384 => pkcs1(&SHA384_DIGEST_INFO),
        #[cfg(feature = "rs512")]
        Scheme::Rs512 => pkcs1(&SHA512_DIGEST_INFO),
        #[cfg(feature = "ps256")]
        Scheme::Ps256 => pss(emsa_pss_verify::<sha2::Sha256>),
        #[cfg(feature = "ps384")]
        Scheme::Ps384 => pss(emsa_pss_verify::<sha2::Sha384>),
        #[cfg(feature = "ps512")]
        Scheme::Ps512 => pss(emsa_pss_verify::<sha2::Sha512>),
    };
    if matches {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

/// Writes `m = s^e mod n` into a buffer of the modulus length and runs `verify` (the
/// EMSA-PSS-VERIFY of one hash) on it. Out of line: its buffer is on the stack only for PSS.
#[cfg(any(feature = "ps256", feature = "ps384", feature = "ps512"))]
#[inline(never)]
fn pss(
    m: &[Limb],
    key: &Modulus<'_>,
    hash: &[u8],
    verify: fn(&mut [u8], u32, &[u8]) -> bool,
) -> bool {
    let mut em = [0u8; MAX_LIMBS * LIMB_BYTES];
    match em.get_mut(..key.len) {
        Some(em) => {
            store_be(m, em);
            verify(em, key.bits(), hash)
        }
        None => false,
    }
}

impl Modulus<'_> {
    /// The modulus size in bits.
    #[cfg(any(feature = "ps256", feature = "ps384", feature = "ps512"))]
    fn bits(&self) -> u32 {
        let top = self.n.iter().rposition(|limb| limb.0 != 0).unwrap_or(0);
        let top_bits = self
            .n
            .get(top)
            .map_or(0, |limb| Limb::BITS.saturating_sub(limb.0.leading_zeros()));
        u32::try_from(top)
            .unwrap_or(u32::MAX)
            .saturating_mul(Limb::BITS)
            .saturating_add(top_bits)
    }

    /// `acc = s^e mod n`, for the big-endian integer `s < n` of at most the limbs of `acc`,
    /// with `wide` (twice the limbs) as work space. `acc` may hold anything on entry.
    ///
    /// Left-to-right square-and-multiply in the Montgomery domain, no window table: 65537 costs
    /// 16 squarings and 2 multiplications. `e` is odd, so its last step multiplies by plain `s`,
    /// which also leaves the Montgomery domain: (x·R)·s/R = x·s.
    fn public_op(&self, s: &[u8], acc: &mut [Limb], wide: &mut [Limb]) {
        // acc = s·R = s·R²/R.
        acc.copy_from_slice(self.r2);
        self.mul_be_assign::<PAIR_ROWS>(acc, s, wide);
        let top = (u32::BITS - 1).saturating_sub(self.e.leading_zeros());
        let mut bit = top;
        while bit > 1 {
            bit = bit.saturating_sub(1);
            self.sqr_assign::<PAIR_ROWS>(acc, wide);
            if (self.e >> bit) & 1 == 1 {
                // acc·s leaves the domain; ·R² brings it back. Two products, but no third
                // buffer for s·R (65537 and 3 never get here).
                self.mul_be_assign::<PAIR_ROWS>(acc, s, wide);
                self.mul_assign::<PAIR_ROWS>(acc, self.r2, wide);
            }
        }
        self.sqr_assign::<PAIR_ROWS>(acc, wide);
        self.mul_be_assign::<PAIR_ROWS>(acc, s, wide);
    }

    /// `acc = acc·b/R mod n`, fully reduced, for `acc, b < n`: the schoolbook product into
    /// `wide` (twice the limbs), then a Montgomery reduction.
    fn mul_assign<const PAIRS: bool>(&self, acc: &mut [Limb], b: &[Limb], wide: &mut [Limb]) {
        product::<PAIRS>(Rows::Limbs(acc), b, wide);
        self.reduce::<PAIRS>(wide, acc);
    }

    /// `acc = s·acc/R mod n`, fully reduced, for `acc < n` and the big-endian integer `s < n`
    /// of at most the limbs of `acc`: [`mul_assign`](Self::mul_assign) with the limbs of `s`
    /// read from its bytes, one per row of the product.
    fn mul_be_assign<const PAIRS: bool>(&self, acc: &mut [Limb], s: &[u8], wide: &mut [Limb]) {
        product::<PAIRS>(Rows::BigEndian(s), acc, wide);
        self.reduce::<PAIRS>(wide, acc);
    }

    /// `acc = acc²/R mod n`, fully reduced, for `acc < n`: the schoolbook square (each cross
    /// product once, then doubled: half the multiplications of a product), then a Montgomery
    /// reduction. `wide` has twice the limbs of `acc`.
    fn sqr_assign<const PAIRS: bool>(&self, acc: &mut [Limb], wide: &mut [Limb]) {
        wide.fill(Limb::ZERO);
        square::<PAIRS>(acc, wide);
        self.reduce::<PAIRS>(wide, acc);
    }

    /// Montgomery reduction: `out = wide/R mod n`, fully reduced, for `wide < n·R` of twice the
    /// limbs of `out`. Each step clears the lowest limb of the window by adding m·n, and carries
    /// into the limb above it; steps go two at a time, the second multiplier known as soon as
    /// the first step has reached the limb it clears.
    fn reduce<const PAIRS: bool>(&self, wide: &mut [Limb], out: &mut [Limb]) {
        let limbs = out.len();
        let mut high = Limb::ZERO;
        let mut i: usize = 0;
        if let (true, Some(([n0, n1], n_rest)), Some(&n_last)) =
            (PAIRS, self.n.split_first_chunk::<2>(), self.n.last())
        {
            // No overflow: `i + 1 < limbs <= 128`.
            while i.wrapping_add(1) < limbs {
                let Some(([t0, t1], rest)) = wide
                    .get_mut(i..i.wrapping_add(limbs).wrapping_add(2))
                    .and_then(|w| w.split_first_chunk_mut::<2>())
                else {
                    return;
                };
                let Some((mid, [top0, top1])) = rest.split_last_chunk_mut::<2>() else {
                    return;
                };
                // Limbs i and i + 1 become zero and are never read again: not stored.
                let m0 = t0.wrapping_mul(self.n_neg_inv);
                let (_, c0) = m0.carrying_mul_add(*n0, *t0, Limb::ZERO);
                let (x1, c0) = m0.carrying_mul_add(*n1, *t1, c0);
                let m1 = x1.wrapping_mul(self.n_neg_inv);
                let (_, c1) = m1.carrying_mul_add(*n0, x1, Limb::ZERO);
                let (c0, c1) = mul_add_2rows(mid, n_rest, *n1, m0, m1, c0, c1);
                let (x, h) = top0.carrying_add(c0, high);
                let (x, c1) = m1.carrying_mul_add(n_last, x, c1);
                *top0 = x;
                (*top1, high) = top1.carrying_add(c1, h);
                i = i.wrapping_add(2);
            }
        }
        while i < limbs {
            let Some((top, low)) = wide
                .get_mut(i..=i.wrapping_add(limbs))
                .and_then(|w| w.split_last_mut())
            else {
                return;
            };
            let Some(&first) = low.first() else {
                return;
            };
            let carry = mul_add_row(low, self.n, first.wrapping_mul(self.n_neg_inv));
            (*top, high) = top.carrying_add(carry, high);
            i = i.wrapping_add(1);
        }
        let upper = wide.get(limbs..).unwrap_or(&[]);
        out.iter_mut().zip(upper).for_each(|(o, &w)| *o = w);
        // (wide + M·n)/R < 2n: one subtraction at most.
        self.reduce_once(out, high);
    }

    /// `x = 2x mod n`, for `x < n`.
    fn double(&self, x: &mut [Limb]) {
        let mut carry: Word = 0;
        for limb in x.iter_mut() {
            let out = limb.0 >> (Limb::BITS - 1);
            limb.0 = (limb.0 << 1) | carry;
            carry = out;
        }
        self.reduce_once(x, Limb(carry));
    }

    /// Subtracts `n` once from `x` (with `high` the limb above it) if `x >= n`.
    fn reduce_once(&self, x: &mut [Limb], high: Limb) {
        if high.0 != 0 || !less_than(x, self.n) {
            // Plain word arithmetic: `Limb::borrowing_sub` keeps its borrow opaque to the
            // optimizer, at a store and a load per limb.
            let mut borrow = false;
            for (xi, &ni) in x.iter_mut().zip(self.n) {
                let (d, b0) = xi.0.overflowing_sub(ni.0);
                let (d, b1) = d.overflowing_sub(Word::from(borrow));
                xi.0 = d;
                borrow = b0 | b1;
            }
        }
    }
}

/// The multiplier of a [`product`], read one limb per row.
#[derive(Clone, Copy)]
enum Rows<'a> {
    /// Limbs, least significant first.
    Limbs(&'a [Limb]),
    /// A big-endian integer: the signature, as it came.
    BigEndian(&'a [u8]),
}

impl Rows<'_> {
    /// Limb `i` (zero beyond the integer).
    fn limb(self, i: usize) -> Limb {
        match self {
            Rows::Limbs(limbs) => limbs.get(i).copied().unwrap_or(Limb::ZERO),
            Rows::BigEndian(bytes) => {
                // Bytes `len − (i + 1)·LIMB_BYTES .. len − i·LIMB_BYTES`, the first limb
                // possibly short.
                let end = i
                    .checked_mul(LIMB_BYTES)
                    .and_then(|skip| bytes.len().checked_sub(skip))
                    .unwrap_or(0);
                let chunk = bytes
                    .get(end.saturating_sub(LIMB_BYTES)..end)
                    .unwrap_or(&[]);
                Limb(match <[u8; LIMB_BYTES]>::try_from(chunk) {
                    Ok(full) => Word::from_be_bytes(full),
                    Err(_) => chunk.iter().fold(0, |w, &b| (w << 8) | Word::from(b)),
                })
            }
        }
    }
}

/// `wide = a·b`, the schoolbook product of `b.len()` rows (the limbs of `a`, zero beyond it)
/// into `wide` of twice the limbs of `b`.
fn product<const PAIRS: bool>(a: Rows<'_>, b: &[Limb], wide: &mut [Limb]) {
    wide.fill(Limb::ZERO);
    let len = b.len();
    let Some(&b_last) = b.last() else {
        return;
    };
    // Rows i and i + 1 at once: they add into limbs i .. i + len and set limbs i + len and
    // i + len + 1, which no earlier row reached. No overflow: `i < len <= 128`.
    let pairs = if PAIRS { len / 2 } else { 0 };
    for k in 0..pairs {
        let i = k.wrapping_mul(2);
        let (a0, a1) = (a.limb(i), a.limb(i.wrapping_add(1)));
        let Some((row, [top0, top1])) = wide
            .get_mut(i..i.wrapping_add(len).wrapping_add(2))
            .and_then(|r| r.split_last_chunk_mut::<2>())
        else {
            return;
        };
        // Limb i gets no term of row i + 1: a zero limb below `b` stands for it.
        let (c0, c1) = mul_add_2rows(row, b, Limb::ZERO, a0, a1, Limb::ZERO, Limb::ZERO);
        (*top0, *top1) = a1.carrying_mul_add(b_last, c0, c1);
    }
    // The row left over, or all rows one at a time.
    for i in pairs.wrapping_mul(2)..len {
        let Some((last, row)) = wide
            .get_mut(i..=i.wrapping_add(len))
            .and_then(|r| r.split_last_mut())
        else {
            return;
        };
        *last = mul_add_row(row, b, a.limb(i));
    }
}

/// `t += m·a` over `a.len()` limbs of `t`, returning the carry out of the top one: one row of
/// a product, for the rows [`mul_add_2rows`] leaves over (or all of them, without
/// [`PAIR_ROWS`]), unrolled by two for paired loads.
#[inline(always)]
fn mul_add_row(t: &mut [Limb], a: &[Limb], m: Limb) -> Limb {
    let mut carry = Limb::ZERO;
    let (t2, t_rest) = t.as_chunks_mut::<2>();
    let (a2, a_rest) = a.as_chunks::<2>();
    for ([t0, t1], [a0, a1]) in t2.iter_mut().zip(a2) {
        (*t0, carry) = m.carrying_mul_add(*a0, *t0, carry);
        (*t1, carry) = m.carrying_mul_add(*a1, *t1, carry);
    }
    // With `t` as long as `a`, the remainders line up.
    for (tj, &aj) in t_rest.iter_mut().zip(a_rest) {
        (*tj, carry) = m.carrying_mul_add(aj, *tj, carry);
    }
    carry
}

/// Two rows of a product at once, the inner loop of every product here: `t[j] += m0·x[j] +
/// m1·x[j − 1]` with `prev` for `x[−1]`, over `x.len()` limbs of `t`, starting from and
/// returning the carries `(c0, c1)` of the two rows. Each limb of `t` is loaded and stored
/// once per two multiply-accumulates (two chained UMAAL on Armv7E-M), `x[j − 1]` stays in a
/// register, and the unrolling by two spends the rest on paired loads.
#[inline(always)]
fn mul_add_2rows(
    t: &mut [Limb],
    x: &[Limb],
    mut prev: Limb,
    m0: Limb,
    m1: Limb,
    mut c0: Limb,
    mut c1: Limb,
) -> (Limb, Limb) {
    let (t2, t_rest) = t.as_chunks_mut::<2>();
    let (x2, x_rest) = x.as_chunks::<2>();
    for ([t0, t1], &[x0, x1]) in t2.iter_mut().zip(x2) {
        let (s, c) = m0.carrying_mul_add(x0, *t0, c0);
        (*t0, c1) = m1.carrying_mul_add(prev, c1, s);
        let (s, c) = m0.carrying_mul_add(x1, *t1, c);
        (*t1, c1) = m1.carrying_mul_add(x0, c1, s);
        c0 = c;
        prev = x1;
    }
    // With `t` as long as `x`, the remainders line up.
    for (tj, &xj) in t_rest.iter_mut().zip(x_rest) {
        let (s, c) = m0.carrying_mul_add(xj, *tj, c0);
        (*tj, c1) = m1.carrying_mul_add(prev, s, c1);
        c0 = c;
        prev = xj;
    }
    (c0, c1)
}

/// `t = a²`, with `t` of twice the limbs of `a`, zero on entry.
fn square<const PAIRS: bool>(a: &[Limb], t: &mut [Limb]) {
    // Cross products a_i·a_j, i < j, once each: row i adds into limbs 2i + 1 .. i + len and
    // sets limb i + len, which no earlier row reached. Rows go two at a time while row i + 1
    // has at least two terms; row i's first two terms (limbs 2i + 1 and 2i + 2) come before
    // row i + 1's first.
    let len = a.len();
    let Some(&a_last) = a.last() else {
        return;
    };
    let mut i: usize = 0;
    // No overflow: `i + 3 <= len <= 128`. Wrapping arithmetic keeps the loop free of clamps.
    while PAIRS && i.wrapping_add(3) <= len {
        let Some(([a0, a1, a2], later)) = a.get(i..).and_then(|r| r.split_first_chunk::<3>())
        else {
            return;
        };
        let start = i.wrapping_mul(2).wrapping_add(1);
        let Some(([p1, p2], rest)) = t
            .get_mut(start..i.wrapping_add(len).wrapping_add(2))
            .and_then(|r| r.split_first_chunk_mut::<2>())
        else {
            return;
        };
        let Some((mid, [top0, top1])) = rest.split_last_chunk_mut::<2>() else {
            return;
        };
        let (x, c0) = a0.carrying_mul_add(*a1, *p1, Limb::ZERO);
        *p1 = x;
        let (x, c0) = a0.carrying_mul_add(*a2, *p2, c0);
        *p2 = x;
        let (c0, c1) = mul_add_2rows(mid, later, *a2, *a0, *a1, c0, Limb::ZERO);
        (*top0, *top1) = a1.carrying_mul_add(a_last, c0, c1);
        i = i.wrapping_add(2);
    }
    // The last rows, one at a time.
    while i < len {
        let ai = a.get(i).copied().unwrap_or(Limb::ZERO);
        let later = a.get(i.wrapping_add(1)..).unwrap_or(&[]);
        let start = i.wrapping_mul(2).wrapping_add(1);
        let end = start.wrapping_add(later.len());
        if let Some((last, row)) = t.get_mut(start..=end).and_then(|r| r.split_last_mut()) {
            *last = mul_add_row(row, later, ai);
        }
        i = i.wrapping_add(1);
    }
    // Doubled, as each cross product stands for a_i·a_j + a_j·a_i, plus the squares a_i², in
    // one pass: limbs 2i and 2i + 1 get a_i² and the carry.
    let mut shifted_out: Word = 0;
    let mut carry = Limb::ZERO;
    for ([t0, t1], &ai) in t.as_chunks_mut::<2>().0.iter_mut().zip(a) {
        let d0 = Limb((t0.0 << 1) | shifted_out);
        let d1 = Limb((t1.0 << 1) | (t0.0 >> (Limb::BITS - 1)));
        shifted_out = t1.0 >> (Limb::BITS - 1);
        let (x0, h) = ai.carrying_mul_add(ai, d0, carry);
        (*t0, *t1) = (x0, d1);
        (*t1, carry) = d1.overflowing_add(h);
    }
}

/// Whether `a < b`, for limbs of the same length, least significant first (public data:
/// variable time is fine).
fn less_than(a: &[Limb], b: &[Limb]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x.0 != y.0 {
            return x.0 < y.0;
        }
    }
    false
}

/// Big-endian bytes (at most `limbs.len()` limbs' worth, checked by the caller) into limbs.
fn load_be(bytes: &[u8], limbs: &mut [Limb]) {
    for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks(LIMB_BYTES)) {
        let mut word: Word = 0;
        for &byte in chunk {
            word = (word << 8) | Word::from(byte);
        }
        *limb = Limb(word);
    }
}

/// DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
#[cfg(feature = "rs256")]
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// DigestInfo prefix for SHA-384 (RFC 8017 §9.2 note 1).
#[cfg(feature = "rs384")]
const SHA384_DIGEST_INFO: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];

/// DigestInfo prefix for SHA-512 (RFC 8017 §9.2 note 1).
#[cfg(feature = "rs512")]
const SHA512_DIGEST_INFO: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// Byte `i` (big-endian, `0..k`) of EMSA-PKCS1-v1_5(hash) for a `k`-byte modulus:
/// `00 01 FF..FF 00 DigestInfo hash`, with `prefix` the DigestInfo before the hash.
#[cfg(any(feature = "rs256", feature = "rs384", feature = "rs512"))]
fn encoded_byte(i: usize, k: usize, prefix: &[u8], hash: &[u8]) -> u8 {
    let t_len = prefix.len().saturating_add(hash.len());
    let t_start = k.saturating_sub(t_len);
    if i == 0 {
        0x00
    } else if i == 1 {
        0x01
    } else if i.saturating_add(1) < t_start {
        0xff
    } else if i.saturating_add(1) == t_start {
        0x00
    } else {
        let j = i.saturating_sub(t_start);
        match j.checked_sub(prefix.len()) {
            None => prefix.get(j).copied().unwrap_or(0),
            Some(h) => hash.get(h).copied().unwrap_or(0),
        }
    }
}

/// Whether `m` equals the `k`-byte encoding of `hash` (after its DigestInfo `prefix`), compared
/// in full.
#[cfg(any(feature = "rs256", feature = "rs384", feature = "rs512"))]
fn encoding_matches(m: &[Limb], k: usize, prefix: &[u8], hash: &[u8]) -> bool {
    let mut diff: Word = 0;
    for (index, limb) in m.iter().enumerate() {
        let mut expected: Word = 0;
        for byte_in_limb in (0..LIMB_BYTES).rev() {
            // Position counted from the least significant byte.
            let from_lsb = index
                .saturating_mul(LIMB_BYTES)
                .saturating_add(byte_in_limb);
            let byte = match k.checked_sub(from_lsb).and_then(|x| x.checked_sub(1)) {
                Some(i) => encoded_byte(i, k, prefix, hash),
                None => 0,
            };
            expected = (expected << 8) | Word::from(byte);
        }
        diff |= limb.0 ^ expected;
    }
    diff == 0
}

/// Limbs (least significant first) into big-endian bytes filling `bytes`; limbs beyond it are
/// zero, as `m < n` has at most the modulus' length.
#[cfg(any(test, feature = "ps256", feature = "ps384", feature = "ps512"))]
fn store_be(limbs: &[Limb], bytes: &mut [u8]) {
    for (limb, chunk) in limbs.iter().zip(bytes.rchunks_mut(LIMB_BYTES)) {
        let word = limb.0.to_be_bytes();
        let skip = word.len().saturating_sub(chunk.len());
        for (out, &byte) in chunk.iter_mut().zip(word.iter().skip(skip)) {
            *out = byte;
        }
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with hash `D`, MGF1 on `D` and a salt of `D`'s output
/// length (RFC 7518 §3.5), on `em`, the `k`-byte integer `s^e mod n` for a `mod_bits`-bit
/// modulus, unmasked in place. `m_hash` is `D(message)`. Every step of the RFC: the integer fits
/// `emLen = ⌈(modBits − 1)/8⌉` bytes, `emLen ≥ hLen + sLen + 2`, the trailer is `0xbc`, the
/// leftmost `8·emLen − emBits` bits of the masked DB are zero, the DB padding is zero bytes
/// then `0x01`, and `H = D(0x00 × 8 ‖ mHash ‖ salt)`.
#[cfg(any(feature = "ps256", feature = "ps384", feature = "ps512"))]
fn emsa_pss_verify<D: sha2::Digest>(em: &mut [u8], mod_bits: u32, m_hash: &[u8]) -> bool {
    let h_len = <D as sha2::Digest>::output_size();
    let s_len = h_len;
    if m_hash.len() != h_len {
        return false;
    }
    let Some(em_bits) = usize::try_from(mod_bits)
        .ok()
        .and_then(|bits| bits.checked_sub(1))
    else {
        return false;
    };
    let em_len = em_bits.div_ceil(8);
    // I2OSP(m, emLen): the bytes of `em` before the last `emLen` are zero.
    let Some(lead_len) = em.len().checked_sub(em_len) else {
        return false;
    };
    let (lead, em) = em.split_at_mut(lead_len);
    if lead.iter().any(|&b| b != 0) {
        return false;
    }
    // Step 3.
    if em_len < h_len.saturating_add(s_len).saturating_add(2) {
        return false;
    }
    // Step 4: the trailer.
    let Some((&mut trailer, rest)) = em.split_last_mut() else {
        return false;
    };
    if trailer != 0xbc {
        return false;
    }
    // Step 5: maskedDB ‖ H.
    let Some(db_len) = rest.len().checked_sub(h_len) else {
        return false;
    };
    let (db, h) = rest.split_at_mut(db_len);
    // Step 6: the leftmost 8·emLen − emBits bits (0 to 7) of maskedDB are zero.
    let unused = em_len.saturating_mul(8).saturating_sub(em_bits);
    let keep: u8 = 0xff_u8
        .checked_shr(u32::try_from(unused).unwrap_or(8))
        .unwrap_or(0);
    let Some(first) = db.first_mut() else {
        return false;
    };
    if *first & !keep != 0 {
        return false;
    }
    // Steps 7 and 8: DB = maskedDB ⊕ MGF1(H, emLen − hLen − 1).
    let mut counter: u32 = 0;
    for chunk in db.chunks_mut(h_len) {
        let mask = D::new()
            .chain_update(&*h)
            .chain_update(counter.to_be_bytes())
            .finalize();
        chunk.iter_mut().zip(mask.iter()).for_each(|(b, m)| *b ^= m);
        counter = counter.wrapping_add(1);
    }
    // Step 9.
    if let Some(first) = db.first_mut() {
        *first &= keep;
    }
    // Step 10: emLen − hLen − sLen − 2 zero bytes, then 0x01.
    let Some(ps_len) = db_len.checked_sub(s_len).and_then(|x| x.checked_sub(1)) else {
        return false;
    };
    let (padding, one_salt) = db.split_at(ps_len);
    let Some((&one, salt)) = one_salt.split_first() else {
        return false;
    };
    if padding.iter().any(|&b| b != 0) || one != 0x01 {
        return false;
    }
    // Steps 11 to 14: H' = Hash(0x00 × 8 ‖ mHash ‖ salt), compared with H (public values).
    let expected = D::new()
        .chain_update([0u8; 8])
        .chain_update(m_hash)
        .chain_update(salt)
        .finalize();
    expected.as_slice() == &*h
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used
)]
mod tests {
    use super::*;
    use crypto_bigint::modular::FixedMontyForm;
    use std::{vec, vec::Vec};

    #[test]
    fn refuses_bad_keys() {
        let mut m = [0xffu8; 256];
        assert_eq!(
            Rsa2048::new(&m, 65537).map(|k| (k.bits(), k.modulus_len())),
            Ok((2048, 256))
        );
        m[255] = 0xfe;
        assert_eq!(Rsa2048::new(&m, 65537), Err(Error::InvalidKey));
        m[255] = 0xff;
        assert_eq!(Rsa2048::new(&m, 65536), Err(Error::InvalidKey));
        assert_eq!(Rsa2048::new(&m, 1), Err(Error::InvalidKey));
        assert_eq!(
            Rsa2048::new(&m[1..], 65537),
            Err(Error::RsaKeySize { bits: 2040 })
        );
        assert_eq!(
            Rsa2048::new(&[0xff; 257], 65537),
            Err(Error::RsaKeySize { bits: 2056 })
        );
        assert_eq!(Rsa2048::new(&[], 65537), Err(Error::RsaKeySize { bits: 0 }));
        assert_eq!(
            Rsa2048::new(&[0; 300], 65537),
            Err(Error::RsaKeySize { bits: 0 })
        );
        assert_eq!(
            Rsa4096::new(&[0xff; 513], 3),
            Err(Error::RsaKeySize { bits: 4104 })
        );
        let mut z = [0u8; 300];
        z[44] = 0x80;
        z[299] = 1;
        assert_eq!(Rsa2048::new(&z, 3).map(|k| k.bits()), Ok(2048));
        assert_eq!(
            RsaPublicKey::<3>::new(&m, 3),
            Err(Error::RsaKeySize { bits: 0 })
        );
    }

    /// An `RsaModulus` refuses exactly the keys an `Rsa4096` refuses, with the same errors, and
    /// keeps the modulus without its leading zeros.
    #[test]
    fn rsa_modulus_checks_as_rsa4096() {
        let mut odd = vec![0xffu8; 600];
        let mut cases: Vec<(Vec<u8>, u32)> = vec![(vec![], 65537), (vec![0; 300], 65537)];
        for len in [1, 255, 256, 257, 383, 384, 385, 511, 512, 513, 514, 600] {
            for exponent in [0, 1, 2, 3, 65536, 65537, u32::MAX] {
                cases.push((odd[..len].to_vec(), exponent));
            }
        }
        odd[255] = 0xfe;
        cases.push((odd[..256].to_vec(), 65537));
        let mut z = vec![0u8; 300];
        z[44] = 0x80;
        z[299] = 1;
        cases.push((z.clone(), 3));
        z[44] = 0x7f;
        cases.push((z, 3));
        for (modulus, exponent) in &cases {
            let lazy = RsaModulus::new(modulus, *exponent);
            let full = Rsa4096::new(modulus, *exponent);
            assert_eq!(
                lazy.map(|k| (k.bits(), k.modulus_len(), k.exponent())),
                full.map(|k| (k.bits(), k.modulus_len(), k.exponent())),
                "{} bytes, e = {exponent}",
                modulus.len()
            );
            if let Ok(lazy) = lazy {
                assert_eq!(lazy.n.first().map(|&b| b != 0), Some(true));
                assert!(modulus.ends_with(lazy.n));
            }
        }
    }

    /// The Montgomery square equals the Montgomery product of a number with itself, and both
    /// agree with crypto-bigint's `mul_mod`, for random odd moduli of every supported size (a
    /// deterministic generator, no test dependencies).
    #[test]
    fn square_and_product_match_crypto_bigint() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        };
        for _ in 0..20 {
            check::<{ Rsa2048::LIMBS }>(&mut next);
            check::<{ Rsa3072::LIMBS }>(&mut next);
            check::<{ Rsa4096::LIMBS }>(&mut next);
        }
    }

    fn check<const L: usize>(next: &mut impl FnMut() -> u8) {
        let bytes = L * LIMB_BYTES;
        let mut n: Vec<u8> = (0..bytes).map(|_| next()).collect();
        n[0] |= 0x80;
        n[bytes - 1] |= 1;
        let key = RsaPublicKey::<L>::new(&n, 65537).unwrap();
        let m = Modulus {
            n: key.n.as_limbs(),
            r2: key.r2.as_limbs(),
            n_neg_inv: key.n_neg_inv,
            e: 65537,
            len: bytes,
        };
        let x: Vec<u8> = (0..bytes).map(|_| next()).collect();
        let mut a = vec![Limb::ZERO; L];
        load_be(&x, &mut a);
        a[L - 1] = Limb(a[L - 1].0 >> 2); // below n
        let mut wide = vec![Limb::ZERO; 2 * L];
        let mut product = a.clone();
        m.mul_assign::<PAIR_ROWS>(&mut product, &a, &mut wide);
        let mut squared = a.clone();
        m.sqr_assign::<PAIR_ROWS>(&mut squared, &mut wide);
        assert_eq!(squared, product);
        // (a·a/R)·R²/R = a² mod n.
        m.mul_assign::<PAIR_ROWS>(&mut product, m.r2, &mut wide);
        let a_uint = Uint::<L>::from_words(core::array::from_fn(|i| a[i].0));
        let n_nz = crypto_bigint::NonZero::new(key.n).unwrap();
        assert_eq!(&product[..], a_uint.mul_mod(&a_uint, &n_nz).as_limbs());
    }

    /// A deterministic generator of limbs (no test dependencies).
    fn limb_source() -> impl FnMut() -> Limb {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        move || {
            let mut word: Word = 0;
            for _ in 0..LIMB_BYTES {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                word = (word << 8) | Word::from(state.to_le_bytes()[3]);
            }
            Limb(word)
        }
    }

    /// `mul_assign`, `mul_be_assign`, `sqr_assign`, `square` and `reduce`, two rows at a time or
    /// not (`PAIRS`),
    /// against crypto-bigint, for moduli of
    /// `L` limbs (any length, odd ones included) and operands: random, the largest value with
    /// all lower limbs set below `n`, `n − 1`, 1 and 0.
    fn arithmetic_matches<const L: usize, const PAIRS: bool>(
        next: &mut impl FnMut() -> Limb,
        n: Uint<L>,
    ) {
        let params = FixedMontyParams::new_vartime(n.to_odd().into_option_copied().unwrap());
        let m = Modulus {
            n: n.as_limbs(),
            r2: params.r2().as_limbs(),
            n_neg_inv: params.mod_neg_inv(),
            e: 65537,
            len: L * LIMB_BYTES,
        };
        let n_nz = crypto_bigint::NonZero::new(n).unwrap();
        let below = |x: [Limb; L]| Uint::<L>::new(x).rem_vartime(&n_nz);
        let mut ones = [Limb::MAX; L];
        ones[L - 1] = Limb(n.as_limbs()[L - 1].0.wrapping_sub(1));
        let mut values = vec![
            Uint::new(ones),
            n.wrapping_sub(&Uint::ONE),
            Uint::ONE,
            Uint::ZERO,
        ];
        for _ in 0..6 {
            values.push(below(core::array::from_fn(|_| next())));
        }
        let mont = |x: &Uint<L>| FixedMontyForm::from_montgomery(*x, &params);
        let mut wide = vec![Limb::ZERO; 2 * L];
        for (k, a) in values.iter().enumerate() {
            // a²: crypto-bigint's wide square, then a²/R mod n.
            wide.fill(Limb::ZERO);
            square::<PAIRS>(a.as_limbs(), &mut wide);
            let (lo, hi) = a.widening_square();
            assert_eq!(&wide[..L], lo.as_limbs());
            assert_eq!(&wide[L..], hi.as_limbs());
            let mut acc = a.as_limbs().to_vec();
            m.sqr_assign::<PAIRS>(&mut acc, &mut wide);
            assert_eq!(&acc[..], mont(a).square().as_montgomery().as_limbs());
            for b in values.iter().skip(k) {
                let mut acc = a.as_limbs().to_vec();
                m.mul_assign::<PAIRS>(&mut acc, b.as_limbs(), &mut wide);
                let expected = (mont(a) * mont(b)).as_montgomery().as_limbs().to_vec();
                assert_eq!(acc, expected);
                let mut acc = b.as_limbs().to_vec();
                m.mul_assign::<PAIRS>(&mut acc, a.as_limbs(), &mut wide);
                assert_eq!(acc, expected);
                // The rows from `a`'s big-endian bytes: all of them, and without the leading
                // zero bytes (a short first chunk, or none at all for 0).
                let mut bytes = vec![0; L * LIMB_BYTES];
                store_be(a.as_limbs(), &mut bytes);
                let zeros = bytes.iter().take_while(|&&byte| byte == 0).count();
                for bytes in [&bytes[..], &bytes[zeros..]] {
                    let mut acc = b.as_limbs().to_vec();
                    m.mul_be_assign::<PAIRS>(&mut acc, bytes, &mut wide);
                    assert_eq!(acc, expected, "{} bytes", bytes.len());
                }
                // Any `hi·R + lo` with `hi < n`: (hi·R + lo)/R = hi + lo/R mod n.
                for lo in [
                    *b,
                    Uint::new([Limb::MAX; L]),
                    Uint::new(core::array::from_fn(|_| next())),
                ] {
                    wide[..L].copy_from_slice(lo.as_limbs());
                    wide[L..].copy_from_slice(a.as_limbs());
                    let mut out = vec![Limb::ZERO; L];
                    m.reduce::<PAIRS>(&mut wide, &mut out);
                    let lo_over_r = mont(&lo.rem_vartime(&n_nz)).retrieve();
                    assert_eq!(&out[..], a.add_mod(&lo_over_r, &n_nz).as_limbs());
                }
            }
        }
    }

    fn random_modulus<const L: usize>(next: &mut impl FnMut() -> Limb) -> Uint<L> {
        let mut n: [Limb; L] = core::array::from_fn(|_| next());
        n[0].0 |= 1;
        n[L - 1].0 |= 1 << (Limb::BITS - 1);
        Uint::new(n)
    }

    fn arithmetic_at<const L: usize>(next: &mut impl FnMut() -> Limb) {
        for _ in 0..3 {
            let n = random_modulus::<L>(next);
            arithmetic_matches::<L, true>(next, n);
            arithmetic_matches::<L, false>(next, n);
        }
        // Extreme moduli: all ones, and the smallest with the top bit set.
        arithmetic_matches::<L, true>(next, Uint::MAX);
        arithmetic_matches::<L, false>(next, Uint::MAX);
        let mut low = [Limb::ZERO; L];
        low[0] = Limb::ONE;
        low[L - 1].0 |= 1 << (Limb::BITS - 1);
        arithmetic_matches::<L, true>(next, Uint::new(low));
        arithmetic_matches::<L, false>(next, Uint::new(low));
    }

    #[test]
    fn row_pairs_match_crypto_bigint() {
        let mut next = limb_source();
        arithmetic_at::<{ Rsa2048::LIMBS }>(&mut next);
        arithmetic_at::<{ Rsa3072::LIMBS }>(&mut next);
        arithmetic_at::<{ Rsa4096::LIMBS }>(&mut next);
        // Other lengths, odd ones included, and the smallest.
        arithmetic_at::<1>(&mut next);
        arithmetic_at::<2>(&mut next);
        arithmetic_at::<3>(&mut next);
        arithmetic_at::<4>(&mut next);
        arithmetic_at::<5>(&mut next);
        arithmetic_at::<{ Rsa2048::LIMBS + 1 }>(&mut next);
        arithmetic_at::<{ Rsa4096::LIMBS - 1 }>(&mut next);
    }

    /// The sample public keys of tests/data/keys (real RSA moduli).
    mod sample {
        #![allow(dead_code, unreachable_pub)]
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/keys/sample_keys.rs"
        ));
    }

    /// Exponents of every shape: the smallest, Fermat numbers and 0x8000_0001 (no interior bit
    /// set: the in-loop multiplication never runs), and 7, 65539, 0x5555_5555, 0xdead_beef,
    /// 0xffff_fffd (all but bit 1) and 2^32 − 1 (some or all interior bits set: it runs).
    const EXPONENTS: [u32; 11] = [
        3,
        5,
        7,
        17,
        65537,
        65539,
        0x5555_5555,
        0x8000_0001,
        0xdead_beef,
        0xffff_fffd,
        u32::MAX,
    ];

    /// `s^e mod n` by tokengate's `public_op` equals crypto-bigint's own modular exponentiation
    /// (`FixedMontyForm::pow`, a fixed-window ladder over Montgomery parameters it computes
    /// itself), for every exponent of [`EXPONENTS`], with inputs 0, 1, 2, `n − k` for k = 1..16,
    /// values whose top limb is `n`'s (lower limbs zero, all ones reduced, random), and
    /// `random` uniformly random ones below `n`.
    fn public_op_matches<const L: usize>(
        modulus: &[u8],
        next: &mut impl FnMut() -> Limb,
        random: usize,
    ) {
        let mut inputs = Vec::new();
        let mut acc = vec![Limb::ZERO; L];
        let mut wide = vec![Limb::ZERO; 2 * L];
        for e in EXPONENTS {
            // Every listed exponent is odd and at least 3: `new` accepts it.
            let key = RsaPublicKey::<L>::new(modulus, e).unwrap();
            let n = key.n;
            if inputs.is_empty() {
                inputs = near_and_random(n, next, random);
            }
            let m = Modulus {
                n: key.n.as_limbs(),
                r2: key.r2.as_limbs(),
                n_neg_inv: key.n_neg_inv,
                e: key.e,
                len: key.len,
            };
            let params = FixedMontyParams::new_vartime(n.to_odd().unwrap());
            let exponent = crypto_bigint::U64::from_u32(e);
            for (i, s) in inputs.iter().enumerate() {
                assert!(s < &n);
                acc.fill(Limb::MAX);
                let mut bytes = vec![0; key.len];
                store_be(s.as_limbs(), &mut bytes);
                m.public_op(&bytes, &mut acc, &mut wide);
                let expected = FixedMontyForm::new(s, &params).pow(&exponent).retrieve();
                assert_eq!(
                    &acc[..],
                    expected.as_limbs(),
                    "{} bits in {L} limbs, e = {e:#x}, input {i}",
                    key.bits()
                );
            }
        }
    }

    /// The inputs of [`public_op_matches`] for modulus `n`.
    fn near_and_random<const L: usize>(
        n: Uint<L>,
        next: &mut impl FnMut() -> Limb,
        random: usize,
    ) -> Vec<Uint<L>> {
        let mut inputs = vec![Uint::ZERO, Uint::ONE, Uint::from_u8(2)];
        for k in 1..=16u8 {
            inputs.push(n.wrapping_sub(&Uint::from_u8(k)));
        }
        // The top limb of n (its most significant non-zero one), the rest below n's.
        let top = L - 1 - n.as_limbs().iter().rev().take_while(|l| l.0 == 0).count();
        let mut low = n;
        low.as_mut_limbs()[top] = Limb::ZERO;
        let low_nz = crypto_bigint::NonZero::new(low).unwrap();
        let with_top = |lower: Uint<L>| {
            let mut x = lower.rem_vartime(&low_nz);
            x.as_mut_limbs()[top] = n.as_limbs()[top];
            x
        };
        inputs.push(with_top(Uint::ZERO));
        let mut ones = Uint::<L>::ZERO;
        ones.as_mut_limbs()[..top].fill(Limb::MAX);
        inputs.push(with_top(ones));
        for _ in 0..8 {
            inputs.push(with_top(Uint::<L>::new(core::array::from_fn(|_| next()))));
        }
        let n_nz = crypto_bigint::NonZero::new(n).unwrap();
        for _ in 0..random {
            inputs.push(Uint::<L>::new(core::array::from_fn(|_| next())).rem_vartime(&n_nz));
        }
        inputs
    }

    /// A random odd modulus filling its `L` limbs.
    fn random_modulus_bytes<const L: usize>(next: &mut impl FnMut() -> Limb) -> Vec<u8> {
        random_modulus::<L>(next).to_be_bytes().as_ref().to_vec()
    }

    /// `montgomery_constants` gives crypto-bigint's `FixedMontyParams::new_vartime` constants
    /// (those of every `RsaPublicKey`), for the sample moduli, random odd moduli of every size
    /// and moduli smaller than their integer (2048 bits in 3072 and 4096, 2056 in 3072), down to
    /// a few bits.
    #[test]
    fn montgomery_constants_match_crypto_bigint() {
        fn check<const L: usize>(n: Uint<L>) {
            let params = FixedMontyParams::new_vartime(n.to_odd().unwrap());
            let mut r2 = [Limb::ZERO; L];
            let inv = montgomery_constants(n.as_limbs(), n.bits_vartime(), &mut r2).unwrap();
            assert_eq!(
                (Uint::new(r2), inv),
                (*params.r2(), params.mod_neg_inv()),
                "{n}"
            );
        }
        fn sized<const L: usize>(bytes: &[u8]) -> Uint<L> {
            let mut limbs = [Limb::ZERO; L];
            load_be(bytes, &mut limbs);
            Uint::new(limbs)
        }
        let mut next = limb_source();
        for _ in 0..8 {
            check(random_modulus::<{ Rsa2048::LIMBS }>(&mut next));
            check(random_modulus::<{ Rsa3072::LIMBS }>(&mut next));
            check(random_modulus::<{ Rsa4096::LIMBS }>(&mut next));
            let small = random_modulus_bytes::<{ Rsa2048::LIMBS }>(&mut next);
            check(sized::<{ Rsa3072::LIMBS }>(&small));
            check(sized::<{ Rsa4096::LIMBS }>(&small));
            let mut odd = random_modulus_bytes::<{ Rsa2048::LIMBS }>(&mut next);
            odd.push(next().0.to_le_bytes()[0] | 1);
            check(sized::<{ Rsa3072::LIMBS }>(&odd));
        }
        for n in [
            &sample::RSA2048_N[..],
            &sample::RSA3072_N,
            &sample::RSA4096_N,
        ] {
            check(sized::<{ Rsa4096::LIMBS }>(n));
        }
        check(sized::<{ Rsa2048::LIMBS }>(&sample::RSA2048_N));
        check(sized::<{ Rsa3072::LIMBS }>(&sample::RSA3072_N));
        for tiny in [3u8, 5, 7, 0x81, 0xff] {
            check(sized::<{ Rsa2048::LIMBS }>(&[tiny]));
        }
        check(sized::<{ Rsa2048::LIMBS }>(&[0xff; 256]));
        check(sized::<{ Rsa4096::LIMBS }>(&[0xff; 512]));
        assert_eq!(
            montgomery_constants(&[Limb(4), Limb(1)], 33, &mut [Limb::ZERO; 2]),
            Err(Error::InvalidKey)
        );
    }

    #[test]
    fn public_op_matches_crypto_bigint_pow() {
        let mut next = limb_source();
        let random = 36;
        // Real RSA moduli: the sample keys.
        public_op_matches::<{ Rsa2048::LIMBS }>(&sample::RSA2048_N, &mut next, random);
        public_op_matches::<{ Rsa3072::LIMBS }>(&sample::RSA3072_N, &mut next, random);
        public_op_matches::<{ Rsa4096::LIMBS }>(&sample::RSA4096_N, &mut next, random);
        // A 2048-bit modulus in a 4096-bit integer (allowed, only slower).
        public_op_matches::<{ Rsa4096::LIMBS }>(&sample::RSA2048_N, &mut next, 4);
        // Random odd moduli of full size.
        let n = random_modulus_bytes::<{ Rsa2048::LIMBS }>(&mut next);
        public_op_matches::<{ Rsa2048::LIMBS }>(&n, &mut next, 8);
        let n = random_modulus_bytes::<{ Rsa3072::LIMBS }>(&mut next);
        public_op_matches::<{ Rsa3072::LIMBS }>(&n, &mut next, 8);
        let n = random_modulus_bytes::<{ Rsa4096::LIMBS }>(&mut next);
        public_op_matches::<{ Rsa4096::LIMBS }>(&n, &mut next, 8);
    }

    #[test]
    #[cfg(feature = "rs256")]
    fn encoding_layout() {
        let hash = [0xabu8; 32];
        let k = 256;
        let em: Vec<u8> = (0..k)
            .map(|i| encoded_byte(i, k, &SHA256_DIGEST_INFO, &hash))
            .collect();
        assert_eq!(&em[..2], &[0, 1]);
        assert!(em[2..k - 52].iter().all(|&b| b == 0xff));
        assert_eq!(em[k - 52], 0);
        assert_eq!(&em[k - 51..k - 32], &SHA256_DIGEST_INFO);
        assert_eq!(&em[k - 32..], &hash);
    }
}
