//! RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.2), on fixed-size `crypto-bigint`
//! integers.
//!
//! The Montgomery constants of a key are computed when the key is constructed, at compile time
//! for a `static` key, never per verification. The public exponent is applied by left-to-right
//! square-and-multiply with no window table (65537 costs 16 squarings and 2 multiplications),
//! and the result is compared with the whole EMSA-PKCS1-v1_5 encoding rebuilt from the hash:
//! the padding is never parsed.

use crypto_bigint::modular::FixedMontyParams;
use crypto_bigint::{Limb, Uint, Word};

use crate::error::Error;

/// Smallest accepted modulus, in bits.
pub const RSA_MIN_BITS: u32 = 2048;
/// Largest accepted modulus, in bits. Bounds the signature buffer and the stack.
pub const RSA_MAX_BITS: u32 = 4096;

/// An RSA public key for RS256 with its Montgomery constants, held in a `LIMBS`-limb integer.
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
    pub const LIMBS: usize = LIMBS;

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
        // Strip leading zero bytes.
        let mut first = 0;
        while first < modulus.len() && modulus[first] == 0 {
            first += 1;
        }
        let len = modulus.len() - first;
        if len == 0 {
            return Err(Error::RsaKeySize { bits: 0 });
        }
        if len > LIMBS * LIMB_BYTES || len > (RSA_MAX_BITS / 8) as usize + 1 {
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
        let mut limbs = [Limb::ZERO; LIMBS];
        let mut i = 0;
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

    /// Verifies `signature` over a message whose SHA-256 is `hash`.
    pub(crate) fn verify_prehashed(&self, hash: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
        if signature.len() != self.len {
            return Err(Error::SignatureLength {
                len: signature.len(),
                expected: self.len,
            });
        }
        let s = from_be_bytes::<LIMBS>(signature);
        if s.cmp_vartime(&self.n).is_ge() {
            return Err(Error::BadSignature);
        }
        let m = self.public_op(&s);
        if encoding_matches(&m, self.len, hash) {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }

    /// `s^e mod n`, for `s < n`.
    fn public_op(&self, s: &Uint<LIMBS>) -> Uint<LIMBS> {
        let s_mont = self.mont_mul(s, &self.r2);
        let mut acc = s_mont;
        // Bits of e below the leading one. e is odd, so its last bit is 1: that multiplication
        // is by plain `s`, which also leaves the Montgomery domain: (x·R)(s)/R = x·s.
        let top = (u32::BITS - 1).saturating_sub(self.e.leading_zeros());
        let mut bit = top;
        while bit > 1 {
            bit = bit.saturating_sub(1);
            acc = self.mont_mul(&acc, &acc);
            if (self.e >> bit) & 1 == 1 {
                acc = self.mont_mul(&acc, &s_mont);
            }
        }
        acc = self.mont_mul(&acc, &acc);
        self.mont_mul(&acc, s)
    }

    /// Montgomery product `a·b/R mod n` (CIOS), fully reduced, for `a, b < n`.
    fn mont_mul(&self, a: &Uint<LIMBS>, b: &Uint<LIMBS>) -> Uint<LIMBS> {
        let b = b.as_limbs();
        let n = self.n.as_limbs();
        let (Some((&b0, b_rest)), Some((&n0, n_rest))) = (b.split_first(), n.split_first()) else {
            return Uint::ZERO;
        };
        let mut t = [Limb::ZERO; LIMBS];
        // The limb above `t`: 0 or 1 since t < 2n stays invariant.
        let mut t_hi = Limb::ZERO;
        for &ai in a.as_limbs() {
            let Some((t0, t_rest)) = t.split_first_mut() else {
                return Uint::ZERO;
            };
            let (lo, mut carry_ab) = ai.carrying_mul_add(b0, *t0, Limb::ZERO);
            let m = lo.wrapping_mul(self.n_neg_inv);
            let (_, mut carry_mn) = m.carrying_mul_add(n0, lo, Limb::ZERO);
            // t = (t + ai·b + m·n) / 2^w, limb by limb: limb j lands in j - 1.
            let mut prev = t0;
            for ((tj, &bj), &nj) in t_rest.iter_mut().zip(b_rest).zip(n_rest) {
                let (x, c1) = ai.carrying_mul_add(bj, *tj, carry_ab);
                let (y, c2) = m.carrying_mul_add(nj, x, carry_mn);
                *prev = y;
                carry_ab = c1;
                carry_mn = c2;
                prev = tj;
            }
            let (s, c1) = t_hi.carrying_add(carry_ab, Limb::ZERO);
            let (s, c2) = s.carrying_add(carry_mn, Limb::ZERO);
            *prev = s;
            t_hi = c1.wrapping_add(c2);
        }
        let t = Uint::new(t);
        if t_hi.0 != 0 || t.cmp_vartime(&self.n).is_ge() {
            t.wrapping_sub(&self.n)
        } else {
            t
        }
    }
}

/// Big-endian bytes (at most `LIMBS` limbs' worth, checked by the caller) into an integer.
fn from_be_bytes<const LIMBS: usize>(bytes: &[u8]) -> Uint<LIMBS> {
    let mut limbs = [Limb::ZERO; LIMBS];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks(LIMB_BYTES)) {
        let mut word: Word = 0;
        for &byte in chunk {
            word = (word << 8) | Word::from(byte);
        }
        *limb = Limb(word);
    }
    Uint::new(limbs)
}

/// DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Byte `i` (big-endian, `0..k`) of EMSA-PKCS1-v1_5(hash) for a `k`-byte modulus:
/// `00 01 FF..FF 00 DigestInfo hash`.
fn encoded_byte(i: usize, k: usize, hash: &[u8; 32]) -> u8 {
    let t_len = SHA256_DIGEST_INFO.len().saturating_add(hash.len());
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
        match j.checked_sub(SHA256_DIGEST_INFO.len()) {
            None => SHA256_DIGEST_INFO.get(j).copied().unwrap_or(0),
            Some(h) => hash.get(h).copied().unwrap_or(0),
        }
    }
}

/// Whether `m` equals the `k`-byte encoding of `hash`, compared in full.
fn encoding_matches<const LIMBS: usize>(m: &Uint<LIMBS>, k: usize, hash: &[u8; 32]) -> bool {
    let mut diff: Word = 0;
    for (index, limb) in m.as_limbs().iter().enumerate() {
        let mut expected: Word = 0;
        for byte_in_limb in (0..LIMB_BYTES).rev() {
            // Position counted from the least significant byte.
            let from_lsb = index
                .saturating_mul(LIMB_BYTES)
                .saturating_add(byte_in_limb);
            let byte = match k.checked_sub(from_lsb).and_then(|x| x.checked_sub(1)) {
                Some(i) => encoded_byte(i, k, hash),
                None => 0,
            };
            expected = (expected << 8) | Word::from(byte);
        }
        diff |= limb.0 ^ expected;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

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

    #[test]
    fn encoding_layout() {
        let hash = [0xabu8; 32];
        let k = 256;
        let em: Vec<u8> = (0..k).map(|i| encoded_byte(i, k, &hash)).collect();
        assert_eq!(&em[..2], &[0, 1]);
        assert!(em[2..k - 52].iter().all(|&b| b == 0xff));
        assert_eq!(em[k - 52], 0);
        assert_eq!(&em[k - 51..k - 32], &SHA256_DIGEST_INFO);
        assert_eq!(&em[k - 32..], &hash);
    }
}
