//! Arithmetic modulo the P-256 prime `p = 2^256 − 2^224 + 2^192 + 2^96 − 1` on eight 32-bit
//! words, in the Montgomery domain (`a` is stored as `a·2^256 mod p`).
//!
//! Elements are kept *partially reduced*: any 256-bit value, not necessarily below `p`, stands
//! for its residue. Every operation accepts and returns such values; only [`Fe::canonical`]
//! (and what uses it: [`Fe::is_zero`], [`Fe::eq`], the tests' `Fe::be_bytes`) brings a value
//! below `p`. That saves a comparison with `p` in every multiplication and addition; the one
//! place where it costs is a zero test, which must accept both `0` and `p`.
//!
//! Multiplication is a 512-bit product followed by a Montgomery reduction that uses the shape
//! of `p`: `p ≡ −1 (mod 2^32)`, so each of the eight reduction steps takes the current word
//! itself as its multiplier and adds it back at three word offsets and subtracts it at a
//! fourth, with no multiplication. The products are written as `a·b + c + d` on `u64`, the shape
//! for which LLVM emits Arm's `UMAAL`; how the code is cut into functions and passes follows
//! what LLVM's register allocator makes of it on Cortex-M4 (see [`mul_wide`],
//! [`reduce_wide_outlined`]). 32-bit words on 32-bit targets, where 64-bit limbs would be
//! emulated; on 64-bit targets the same operations on four 64-bit words (the `_u64`
//! functions, [`WIDE`]), which return exactly the same words. Not constant time: nothing here
//! handles secrets (see "Security" in the crate's README).
//!
//! Everything is a `const fn`, so that key tables can be computed by the compiler.
//!
//! # Assurance
//!
//! This code is tested, not formally verified. fiat-crypto's verified `p256_32` (word-by-word
//! Montgomery, fully reduced) was measured in its place for multiplication, squaring, addition,
//! subtraction and negation: the Cortex-M4 ES256 verification (QEMU, opt-level `s`, LTO) went
//! from 1.51 M to 6.59 M instructions (1.50 M to 5.02 M at opt-level 3), because LLVM cannot keep
//! its many live carry chains in registers and spills them, flags included (`MRS`/`MSR`); on
//! Cortex-M0 13.5 M to 21.1 M, on RV32IMC 4.0 M to 5.5 M (both before the Armv6-M and RV32 paths
//! below, which brought them to 8.9 M and 3.1 M). The project allowed 15 %, so this code
//! stays, and is held to fiat-crypto instead: the `p256_field` fuzz target (`fuzz/`, run in CI)
//! compares every operation here and in `scalar` with fiat-crypto's `p256_32` and
//! `p256_scalar_32` on inputs biased to carry boundaries (`0`, `1`, `p ± k`, `n ± k`,
//! `2^256 − 1`, all-ones and zero words); the tests compare them with independent references and
//! the `p256` crate, including a million random inversions modulo `p` and modulo `n`.

// Multi-precision arithmetic: `as` widens `u32` to `u64`/`i64` (lossless) or keeps the low word
// of a `u64` (the point of the operation); every `+`/`*` on `u64` is bounded in the comment next
// to it (at most `(2^32 − 1)^2 + 2·(2^32 − 1) = 2^64 − 1`); indices are constants or loop
// counters below the array length in these `const fn`s, where `get` and iterators are not
// available.
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use super::safegcd::{self, Modulus};

/// The field prime, little-endian words.
pub(super) const P: [u32; 8] = [
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0,
    0,
    1,
    0xffff_ffff,
];

/// `2^256 − p = 2^224 − 2^192 − 2^96 + 1`, which is also `2^256 mod p` (one in the Montgomery
/// domain).
const C: [u32; 8] = [
    1,
    0,
    0,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0xffff_fffe,
    0,
];

/// `2^512 mod p`: multiplying by it enters the Montgomery domain.
const R2: [u32; 8] = [
    3,
    0,
    0xffff_ffff,
    0xffff_fffb,
    0xffff_fffe,
    0xffff_ffff,
    0xffff_fffd,
    4,
];

/// `2^768 mod p`: a Montgomery product with it turns `(a·R)⁻¹` into `a⁻¹·R`.
const R3: [u32; 8] = [
    0xa,
    0xffff_fffd,
    0xffff_fff7,
    0xffff_ffed,
    0xffff_fffc,
    0x5,
    0x1,
    0x18,
];

/// `p` for [`safegcd::invert_vartime`].
const P_MODULUS: Modulus = Modulus::new(P);

/// Repeats a block for `$i` = 0 to 7 as a constant: straight-line code with constant indices,
/// which LLVM keeps in registers (at `opt-level = "s"` it would not unroll a loop).
macro_rules! unroll8 {
    ($i:ident => $body:block) => {{
        {
            const $i: usize = 0;
            $body
        }
        {
            const $i: usize = 1;
            $body
        }
        {
            const $i: usize = 2;
            $body
        }
        {
            const $i: usize = 3;
            $body
        }
        {
            const $i: usize = 4;
            $body
        }
        {
            const $i: usize = 5;
            $body
        }
        {
            const $i: usize = 6;
            $body
        }
        {
            const $i: usize = 7;
            $body
        }
    }};
}
pub(super) use unroll8;

/// `a·b + c + d` as (low word, high word): never overflows `u64`.
///
/// On Armv6-M ([`mac_halves`]) from four 16×16-bit products; elsewhere one `u64` product,
/// which is one long multiply (`UMAAL`/`UMULL` on Armv7-M, `MUL` + `MULHU` on RV32IM).
#[inline(always)]
pub(super) const fn mac(a: u32, b: u32, c: u32, d: u32) -> (u32, u32) {
    if LONG_MULTIPLY {
        // (2^32 − 1)^2 + 2·(2^32 − 1) = 2^64 − 1.
        let t = (a as u64) * (b as u64) + (c as u64) + (d as u64);
        (t as u32, (t >> 32) as u32)
    } else {
        mac_halves(a, b, c, d)
    }
}

/// Whether the core has a 32×32 → 64-bit multiply: every target but Armv6-M. Stable Rust
/// exposes no Arm target features, and Armv6-M is the one Arm target without compare-and-swap
/// (so without 32-bit atomics), which tells it apart.
const LONG_MULTIPLY: bool = !cfg!(all(target_arch = "arm", not(target_has_atomic = "32")));

/// [`mac`] from four 16×16 → 32-bit products, for cores whose only multiply is 32×32 → 32
/// (Armv6-M: Cortex-M0, M0+, M1). There LLVM lowers a `u64` product to a call of a 64×64-bit
/// library routine (`__aeabi_lmul` → `__muldi3`): 48 instructions per product, 68 % of an
/// ES256 verify on Cortex-M0 (measured: 9.2 M of 13.5 M instructions). Inlined: ES256 on
/// Cortex-M0 in 8.96 M instructions for 2.8 KB more flash; out of line 10.75 M, 0.8 KB less.
///
/// Checked against the `u64` form on host (`src/tests.rs`) and run by every ES256
/// verification of the Cortex-M0 firmware (`scripts/firmware-check`).
#[inline(always)]
pub(super) const fn mac_halves(a: u32, b: u32, c: u32, d: u32) -> (u32, u32) {
    let (a0, a1, b0, b1) = (a & 0xffff, a >> 16, b & 0xffff, b >> 16);
    // None of the sums below overflows: (2^16 − 1)^2 + 2·(2^16 − 1) = 2^32 − 1.
    let low = a0 * b0;
    let mid = a1 * b0 + (low >> 16);
    let mid2 = a0 * b1 + (mid & 0xffff);
    // The high word of a·b, so below 2^32 with the carries of c and d added.
    let high = a1 * b1 + (mid >> 16) + (mid2 >> 16);
    let low = (mid2 << 16) | (low & 0xffff);
    let (low, k1) = low.overflowing_add(c);
    let (low, k2) = low.overflowing_add(d);
    (low, high + k1 as u32 + k2 as u32)
}

/// `a + b + carry` as (sum word, carry 0 or 1).
#[inline(always)]
pub(super) const fn adc(a: u32, b: u32, carry: u32) -> (u32, u32) {
    let t = (a as u64) + (b as u64) + (carry as u64);
    (t as u32, (t >> 32) as u32)
}

/// `a − b − borrow` as (difference word, borrow 0 or 1): `a + !b + (1 − borrow)`, the form
/// for which LLVM keeps a carry chain (`SBCS` on Arm).
#[inline(always)]
pub(super) const fn sbb(a: u32, b: u32, borrow: u32) -> (u32, u32) {
    let (d, carry) = adc(a, !b, 1 ^ borrow);
    (d, 1 ^ carry)
}

/// Whether the field arithmetic runs on 64-bit words ([`mul_u64`] and the other `_u64`
/// functions): on 64-bit targets. A constant, so each target compiles one of the two forms;
/// tests and the `hazmat` feature reach both on any target.
const WIDE: bool = cfg!(target_pointer_width = "64");

/// Adds `y` to `x` in place over eight words; returns the carry.
#[inline(always)]
const fn add8(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    if WIDE { add8_u64(x, y) } else { add8_u32(x, y) }
}

/// Subtracts `y` from `x` in place over eight words; returns the borrow.
#[inline(always)]
const fn sub8(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    if WIDE { sub8_u64(x, y) } else { sub8_u32(x, y) }
}

/// [`add8`] a 32-bit word at a time.
#[inline(always)]
pub(super) const fn add8_u32(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let mut carry = 0;
    unroll8!(I => {
        (x[I], carry) = adc(x[I], y[I], carry);
    });
    carry
}

/// [`sub8`] a 32-bit word at a time.
#[inline(always)]
pub(super) const fn sub8_u32(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let mut borrow = 0;
    unroll8!(I => {
        (x[I], borrow) = sbb(x[I], y[I], borrow);
    });
    borrow
}

/// A zero the optimizer cannot see through. `UMAAL` (`a·b + c + d`) is only selected when both
/// addends are unknown values; with a literal zero LLVM rewrites the carry chains into
/// `UMULL`/`ADDS`/`ADC` sequences, which spill (measured: 304 instructions for the product
/// below with literal zeros, 220 with this one).
#[inline(always)]
const fn opaque_zero() -> u32 {
    core::hint::black_box(0)
}

/// One step of [`mul_wide_columns`] and [`square_wide_columns`]: the product `p` added to the
/// column's three-word accumulator `c2·2^64 + c1·2^32 + c0`.
#[cfg(any(test, feature = "hazmat", target_arch = "riscv32"))]
#[inline(always)]
const fn accumulate(c0: u32, c1: u32, c2: u32, p: u64) -> (u32, u32, u32) {
    let (lo, hi) = (p as u32, (p >> 32) as u32);
    let (c0, carry) = c0.overflowing_add(lo);
    // The high word of a product is at most 2^32 − 2, so this cannot wrap.
    let hi = hi + carry as u32;
    let (c1, carry) = c1.overflowing_add(hi);
    (c0, c1, c2 + carry as u32)
}

/// The 512-bit product `a·b`, in two passes over the rows of `a`: first by `b₀..b₃`, then by
/// `b₄..b₇`, each with a 4-word window that stays in registers. The second pass adds the words
/// of the first into its carry chains (the second addend of each row's first `UMAAL`).
#[cfg(any(test, feature = "hazmat", not(target_arch = "riscv32")))]
#[inline(never)]
pub(super) const fn mul_wide(a: &[u32; 8], b: &[u32; 8]) -> [u32; 16] {
    let zero = opaque_zero();
    let mut t = [0u32; 16];
    // Pass 1: t[0..12] = a·(b₀..b₃).
    let (mut w0, mut w1, mut w2, mut w3) = (zero, zero, zero, zero);
    unroll8!(I => {
        let ai = a[I];
        let (x0, c) = mac(ai, b[0], w0, zero);
        let (x1, c) = mac(ai, b[1], w1, c);
        let (x2, c) = mac(ai, b[2], w2, c);
        let (x3, c) = mac(ai, b[3], w3, c);
        t[I] = x0;
        (w0, w1, w2, w3) = (x1, x2, x3, c);
    });
    (t[8], t[9], t[10], t[11]) = (w0, w1, w2, w3);
    // Pass 2: t[4..16] += a·(b₄..b₇); word 4 + i is final after row i.
    let (mut w0, mut w1, mut w2, mut w3) = (zero, zero, zero, zero);
    unroll8!(I => {
        let ai = a[I];
        let (x0, c) = mac(ai, b[4], w0, t[4 + I]);
        let (x1, c) = mac(ai, b[5], w1, c);
        let (x2, c) = mac(ai, b[6], w2, c);
        let (x3, c) = mac(ai, b[7], w3, c);
        t[4 + I] = x0;
        (w0, w1, w2, w3) = (x1, x2, x3, c);
    });
    (t[12], t[13], t[14], t[15]) = (w0, w1, w2, w3);
    t
}

/// The 512-bit product `a·b` on RV32IM, column by column (product scanning): each word of the
/// result is the sum of its column's products in a three-word accumulator, then stored. RISC-V
/// has no carry flag, so a carry costs an `SLTU` and an `ADD`; the row-wise [`mul_wide`] built
/// for Armv7-M's `UMAAL` keeps 16 carry chains live and, on RV32, spilled its partial products
/// to a 528-byte frame: 815 instructions a call, against 641 here with a 32-byte frame (ES256
/// on RV32IMC 4.00 M → 3.41 M instructions, peak stack 3,796 → 3,328 B). Each column reads `b`
/// through an opaque copy of the reference: without it LLVM's scheduler hoists all 128
/// multiplications to the top and spills them again (765 instructions, a 480-byte frame).
///
/// Checked against the row-wise form on host (`src/tests.rs`) and run by every ES256
/// verification of the RV32 firmware (`scripts/firmware-check`).
#[cfg(any(test, feature = "hazmat", target_arch = "riscv32"))]
#[inline(never)]
#[allow(unused_assignments)] // The last column's shift of the accumulator.
pub(super) const fn mul_wide_columns(a: &[u32; 8], b: &[u32; 8]) -> [u32; 16] {
    let mut t = [0u32; 16];
    // The column's sum is c2·2^64 + c1·2^32 + c0; at most 8 products of below 2^64 each, plus
    // the carried words: c2 stays below 16.
    let (mut c0, mut c1, mut c2) = (0u32, 0u32, 0u32);
    macro_rules! column {
        ($k:literal; $(($i:literal, $j:literal)),+) => {{
            // `b` through an opaque copy: this column's products stay after the last one's.
            let b = core::hint::black_box(b);
            $(
                (c0, c1, c2) = accumulate(c0, c1, c2, (a[$i] as u64) * (b[$j] as u64));
            )+
            t[$k] = c0;
            (c0, c1, c2) = (c1, c2, 0);
        }};
    }
    column!(0; (0, 0));
    column!(1; (0, 1), (1, 0));
    column!(2; (0, 2), (1, 1), (2, 0));
    column!(3; (0, 3), (1, 2), (2, 1), (3, 0));
    column!(4; (0, 4), (1, 3), (2, 2), (3, 1), (4, 0));
    column!(5; (0, 5), (1, 4), (2, 3), (3, 2), (4, 1), (5, 0));
    column!(6; (0, 6), (1, 5), (2, 4), (3, 3), (4, 2), (5, 1), (6, 0));
    column!(7; (0, 7), (1, 6), (2, 5), (3, 4), (4, 3), (5, 2), (6, 1), (7, 0));
    column!(8; (1, 7), (2, 6), (3, 5), (4, 4), (5, 3), (6, 2), (7, 1));
    column!(9; (2, 7), (3, 6), (4, 5), (5, 4), (6, 3), (7, 2));
    column!(10; (3, 7), (4, 6), (5, 5), (6, 4), (7, 3));
    column!(11; (4, 7), (5, 6), (6, 5), (7, 4));
    column!(12; (5, 7), (6, 6), (7, 5));
    column!(13; (6, 7), (7, 6));
    column!(14; (7, 7));
    t[15] = c0;
    t
}

/// `a²` on RV32IM, [`mul_wide_columns`]' way: the 28 products `aᵢ·aⱼ` with `i < j` column by
/// column, the sum doubled by a shift, then the 8 squares `aᵢ²` added: 36 products instead of
/// 64, 450 instructions a call against 641 (ES256 on RV32IMC 3.41 M → 3.26 M instructions).
/// On Cortex-M4 the same idea measured no faster (see [`Fe::square`]), so it is RV32's alone.
///
/// Checked against [`mul_wide`] on host (`src/tests.rs`) and run by every ES256 verification
/// of the RV32 firmware (`scripts/firmware-check`).
#[cfg(any(test, feature = "hazmat", target_arch = "riscv32"))]
#[inline(never)]
#[allow(unused_assignments)] // The last column's shift of the accumulator.
pub(super) const fn square_wide_columns(a: &[u32; 8]) -> [u32; 16] {
    // Opaque, so that `d` below is an unknown value to the compiler (a `black_box` per column,
    // as in `mul_wide_columns`, made LLVM zero all of `t` first with a `memset` call).
    let zero = opaque_zero();
    let mut t = [0u32; 16];
    // The cross products, as in `mul_wide_columns`; their sum is below 2^480, so the doubling
    // below shifts nothing out and word 15 stays zero (column 13's last carry is zero).
    let (mut c0, mut c1, mut c2) = (0u32, 0u32, 0u32);
    macro_rules! column {
        ($k:literal; $(($i:literal, $j:literal)),+) => {{
            // Zero, computed from the accumulator: this column's products stay after the last
            // column's sums.
            let d = c0 & zero;
            $(
                (c0, c1, c2) = accumulate(c0, c1, c2, ((a[$i] | d) as u64) * (a[$j] as u64));
            )+
            t[$k] = c0;
            (c0, c1, c2) = (c1, c2, 0);
        }};
    }
    column!(1; (0, 1));
    column!(2; (0, 2));
    column!(3; (0, 3), (1, 2));
    column!(4; (0, 4), (1, 3));
    column!(5; (0, 5), (1, 4), (2, 3));
    column!(6; (0, 6), (1, 5), (2, 4));
    column!(7; (0, 7), (1, 6), (2, 5), (3, 4));
    column!(8; (1, 7), (2, 6), (3, 5));
    column!(9; (2, 7), (3, 6), (4, 5));
    column!(10; (3, 7), (4, 6));
    column!(11; (4, 7), (5, 6));
    column!(12; (5, 7));
    column!(13; (6, 7));
    t[14] = c0;
    // 2·cross + Σ aᵢ²·2^(64·i): words 2i and 2i + 1 take the shifted words and the square.
    let mut carry = 0u32;
    let mut shifted_out = 0u32;
    unroll8!(I => {
        let p = (a[I] as u64) * (a[I] as u64);
        let (lo, hi) = (p as u32, (p >> 32) as u32);
        // Words 0 and 15 of the cross sum are zero: nothing lands in word 0, and the sum is
        // below 2^480 (its maximum, at all-ones words, is about 2^480 − 2^448). Not reading them
        // lets LLVM drop the zeroing of `t` (a `memset` call).
        let x = if I == 0 { 0 } else { t[2 * I] };
        let y = if I == 7 { 0 } else { t[2 * I + 1] };
        let x2 = (x << 1) | shifted_out;
        let y2 = (y << 1) | (x >> 31);
        shifted_out = y >> 31;
        (t[2 * I], carry) = adc(x2, lo, carry);
        (t[2 * I + 1], carry) = adc(y2, hi, carry);
    });
    t
}

/// Montgomery reduction of a 512-bit `t`: `t / 2^256 mod p`, below `2^256`.
///
/// Word `i` (i < 8) picks `mᵢ` = the word itself (`p ≡ −1 mod 2^32`) so that adding `mᵢ·p`
/// clears it; `mᵢ·p = mᵢ·(2^256 − 2^224 + 2^192 + 2^96 − 1)` adds `mᵢ` at words `i + 3`,
/// `i + 6`, `i + 8` and subtracts it at word `i + 7`. One signed accumulator runs over the 16
/// words: 48 additions of 32-bit terms.
#[inline(always)]
const fn reduce_wide(t: &[u32; 16]) -> [u32; 8] {
    // |acc| stays far below 2^62: at most five 32-bit terms plus a carry of a few bits.
    let mut acc: i64 = 0;
    // One word: add the terms, keep the low 32 bits, carry the rest (an arithmetic shift: acc
    // minus its low word is a multiple of 2^32).
    macro_rules! word {
        ($($plus:expr),* ; $($minus:expr),*) => {{
            $(acc += $plus as i64;)*
            $(acc -= $minus as i64;)*
            let w = acc as u32;
            acc >>= 32;
            w
        }};
    }
    let m0 = word!(t[0];);
    let m1 = word!(t[1];);
    let m2 = word!(t[2];);
    let m3 = word!(t[3], m0;);
    let m4 = word!(t[4], m1;);
    let m5 = word!(t[5], m2;);
    let m6 = word!(t[6], m3, m0;);
    let m7 = word!(t[7], m4, m1; m0);
    let mut r = [
        word!(t[8], m5, m2, m0; m1),
        word!(t[9], m6, m3, m1; m2),
        word!(t[10], m7, m4, m2; m3),
        word!(t[11], m5, m3; m4),
        word!(t[12], m6, m4; m5),
        word!(t[13], m7, m5; m6),
        word!(t[14], m6; m7),
        word!(t[15], m7;),
    ];
    // (t + M·p) / 2^256 < 2^256 + p: the bit above is 0 or 1.
    if acc != 0 {
        add8_u32(&mut r, &C);
    }
    r
}

// --- 64-bit targets -------------------------------------------------------------------------
//
// The same arithmetic on four 64-bit words, for hosts (x86-64, AArch64), where a `u128` product
// is one or two instructions and the 32-bit code above needs four `u64` products for what one
// `u128` product does. Every function here returns exactly what its 32-bit counterpart returns
// (the same partially reduced words, not only the same residue): `src/tests.rs` holds them to
// each other bit for bit, and the `p256_field` fuzz target holds both to fiat-crypto. Values
// stay `[u32; 8]` in `Fe`; the conversions are loads and stores of the same little-endian
// bytes, which LLVM merges.

/// The top 64-bit word of `p`, for [`reduce_u64`] (the others are `2^64 − 1`, `2^32 − 1` and
/// 0, which it uses by their shape).
const P64_3: u64 = 0xffff_ffff_0000_0001;

/// `a·b + c + d` on 64-bit words as (low word, high word): never overflows `u128`
/// (`(2^64 − 1)^2 + 2·(2^64 − 1) = 2^128 − 1`).
#[inline(always)]
const fn mac64(a: u64, b: u64, c: u64, d: u64) -> (u64, u64) {
    let t = (a as u128) * (b as u128) + (c as u128) + (d as u128);
    (t as u64, (t >> 64) as u64)
}

/// `a + b + c` on 64-bit words as (low word, high word, at most 2).
#[inline(always)]
const fn add64(a: u64, b: u64, c: u64) -> (u64, u64) {
    let t = (a as u128) + (b as u128) + (c as u128);
    (t as u64, (t >> 64) as u64)
}

/// The 512-bit product `a·b`, row by row.
#[inline(always)]
const fn product_u64(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    let mut i = 0;
    while i < 4 {
        let mut carry = 0;
        let mut j = 0;
        while j < 4 {
            (t[i + j], carry) = mac64(a[i], b[j], t[i + j], carry);
            j += 1;
        }
        t[i + 4] = carry;
        i += 1;
    }
    t
}

/// The 512-bit square `a²`: the six cross products `aᵢ·aⱼ` (`i < j`) once, doubled by a
/// shift, then the four squares `aᵢ²` added on the diagonal; 10 products instead of 16.
#[inline(always)]
const fn square_product_u64(a: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    // Cross products: row i covers words 2i + 1 .. i + 4.
    let mut i = 0;
    while i < 3 {
        let mut carry = 0;
        let mut j = i + 1;
        while j < 4 {
            (t[i + j], carry) = mac64(a[i], a[j], t[i + j], carry);
            j += 1;
        }
        t[i + 4] = carry;
        i += 1;
    }
    // Doubled: the sum of the cross products is below 2^511 (it is at most (a² − Σaᵢ²)/2), so
    // the shift loses no bit.
    let mut k = 7;
    while k > 0 {
        t[k] = (t[k] << 1) | (t[k - 1] >> 63);
        k -= 1;
    }
    t[0] <<= 1;
    // The squares on the diagonal: aᵢ² at words 2i and 2i + 1.
    let mut carry = 0;
    let mut i = 0;
    while i < 4 {
        let (lo, hi) = mac64(a[i], a[i], 0, 0);
        let (w, c) = add64(t[2 * i], lo, carry);
        t[2 * i] = w;
        let (w, c) = add64(t[2 * i + 1], hi, c);
        t[2 * i + 1] = w;
        carry = c;
        i += 1;
    }
    t
}

/// The Montgomery reduction `t·2^−256 mod p` of a 512-bit `t`, partially reduced, as
/// [`reduce_wide`] computes it. Step i adds `m·p` at word i with `m = tᵢ`, since
/// `p ≡ −1 (mod 2^64)`, which clears that word. By the shape of
/// `p = 2^256 − 2^224 + 2^192 + 2^96 − 1` that is: at word i, `m·(2^64 − 1)`, which cancels
/// `tᵢ` and carries `m`; at word i + 1, `m·(2^32 − 1)` plus that carry, i.e. `m·2^32`; at word
/// i + 2 only the carry; one product at word i + 3, by `p`'s top word. `top` is the carry out
/// of word i + 4, which belongs to word i + 5 (the next step adds it there) and, after the
/// last step, is bit 256 of the result.
#[inline(always)]
const fn reduce_u64(mut t: [u64; 8]) -> [u32; 8] {
    let mut top = 0;
    let mut i = 0;
    while i < 4 {
        let m = t[i];
        // At most (2^64 − 1) + (2^96 − 2^32) < 2^128.
        let s = (t[i + 1] as u128) + ((m as u128) << 32);
        t[i + 1] = s as u64;
        let carry;
        (t[i + 2], carry) = add64(t[i + 2], (s >> 64) as u64, 0);
        let carry2;
        (t[i + 3], carry2) = mac64(m, P64_3, t[i + 3], carry);
        (t[i + 4], top) = add64(t[i + 4], carry2, top);
        i += 1;
    }
    let mut r = words32(&[t[4], t[5], t[6], t[7]]);
    // (t + M·p) / 2^256 < 2^256 + p: bit 256 set means subtract p once (add 2^256 − p).
    if top != 0 {
        add8_u64(&mut r, &C);
    }
    r
}

/// [`Fe::mul`] on 64-bit targets.
#[inline(never)]
pub(super) const fn mul_u64(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
    reduce_u64(product_u64(&words64(a), &words64(b)))
}

/// [`Fe::square`] on 64-bit targets.
#[inline(never)]
pub(super) const fn square_u64(a: &[u32; 8]) -> [u32; 8] {
    reduce_u64(square_product_u64(&words64(a)))
}

/// [`add8`] a 64-bit word at a time: the same sum and carry.
#[inline(always)]
pub(super) const fn add8_u64(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let (mut a, b) = (words64(x), words64(y));
    let mut carry = 0;
    let mut k = 0;
    while k < 4 {
        (a[k], carry) = add64(a[k], b[k], carry);
        k += 1;
    }
    *x = words32(&a);
    carry as u32
}

/// [`sub8`] a 64-bit word at a time: the same difference and borrow.
#[inline(always)]
pub(super) const fn sub8_u64(x: &mut [u32; 8], y: &[u32; 8]) -> u32 {
    let (mut a, b) = (words64(x), words64(y));
    let mut borrow = false;
    let mut k = 0;
    while k < 4 {
        let (d, b1) = a[k].overflowing_sub(b[k]);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        a[k] = d;
        borrow = b1 | b2;
        k += 1;
    }
    *x = words32(&a);
    borrow as u32
}

/// Four 64-bit words as eight 32-bit ones, little-endian.
#[inline(always)]
const fn words32(w: &[u64; 4]) -> [u32; 8] {
    [
        w[0] as u32,
        (w[0] >> 32) as u32,
        w[1] as u32,
        (w[1] >> 32) as u32,
        w[2] as u32,
        (w[2] >> 32) as u32,
        w[3] as u32,
        (w[3] >> 32) as u32,
    ]
}

/// Eight 32-bit words as four 64-bit ones, little-endian.
#[inline(always)]
const fn words64(w: &[u32; 8]) -> [u64; 4] {
    [
        w[0] as u64 | (w[1] as u64) << 32,
        w[2] as u64 | (w[3] as u64) << 32,
        w[4] as u64 | (w[5] as u64) << 32,
        w[6] as u64 | (w[7] as u64) << 32,
    ]
}

/// [`reduce_wide`] out of line: after a product in a function of its own, the two pieces of
/// straight-line code are each small enough for the register allocator (measured on
/// Cortex-M4 before the two-pass product: 440 instructions per multiplication, against 491
/// inlined and 517 for an interleaved, word-by-word Montgomery multiplication).
#[inline(never)]
pub(super) const fn reduce_wide_outlined(t: &[u32; 16]) -> [u32; 8] {
    reduce_wide(t)
}

/// `a·b` as [`Fe::mul`] computes it on RV32 ([`mul_wide_columns`]), on any target: for the
/// `p256_field` fuzz target (feature `hazmat`), which runs on the host.
#[cfg(feature = "hazmat")]
pub(super) const fn mul_by_columns(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
    reduce_wide_outlined(&mul_wide_columns(a, b))
}

/// `a²` as [`Fe::square`] computes it on RV32 ([`square_wide_columns`]), on any target.
#[cfg(feature = "hazmat")]
pub(super) const fn square_by_columns(a: &[u32; 8]) -> [u32; 8] {
    reduce_wide_outlined(&square_wide_columns(a))
}

/// [`Fe::mul_small`] on 32-bit words.
pub(super) const fn mul_small_u32(a: &[u32; 8], k: u32) -> Fe {
    let zero = opaque_zero();
    let mut r = [0u32; 8];
    let mut c = zero;
    // Not on Arm with a long multiply (see above).
    let shift = !(cfg!(target_arch = "arm") && LONG_MULTIPLY);
    if shift && k > 1 && k.is_power_of_two() {
        // 1 ≤ s ≤ 31, so both shifts are below 32.
        let s = k.trailing_zeros();
        unroll8!(I => {
            r[I] = (a[I] << s) | c;
            c = a[I] >> (32 - s);
        });
    } else {
        unroll8!(I => {
            (r[I], c) = mac(a[I], k, c, zero);
        });
    }
    // r + c·(2^224 − 2^192 − 2^96 + 1) < 2^256 + c·2^224: at most one carry out, after
    // which the value is below c·2^224 and a second fold cannot carry.
    let c = c as i64;
    let mut acc: i64 = 0;
    macro_rules! word {
        ($i:literal, $delta:expr) => {{
            acc += r[$i] as i64 + $delta;
            r[$i] = acc as u32;
            acc >>= 32;
        }};
    }
    word!(0, c);
    word!(1, 0);
    word!(2, 0);
    word!(3, -c);
    word!(4, 0);
    word!(5, 0);
    word!(6, -c);
    word!(7, c);
    if acc != 0 {
        add8_u32(&mut r, &C);
    }
    Fe(r)
}

/// [`Fe::mul_small`] on 64-bit targets: the same result on four 64-bit words; the word above
/// (below `k`) folded back with `2^256 ≡ 2^224 − 2^192 − 2^96 + 1`, which in 64-bit words adds
/// `c` at word 0, subtracts `c·2^32` at word 1 and adds `c·2^32 − c` at word 3.
pub(super) const fn mul_small_u64(a: &[u32; 8], k: u32) -> Fe {
    let a = words64(a);
    let mut r = [0u64; 4];
    let mut c = 0;
    let mut i = 0;
    while i < 4 {
        (r[i], c) = mac64(a[i], k as u64, c, 0);
        i += 1;
    }
    // As in the 32-bit form: at most one carry out, and after it no second one.
    let c = c as i128;
    let delta = [c, -(c << 32), 0, (c << 32) - c];
    let mut acc: i128 = 0;
    let mut i = 0;
    while i < 4 {
        acc += r[i] as i128 + delta[i];
        r[i] = acc as u64;
        acc >>= 64;
        i += 1;
    }
    let mut r = words32(&r);
    if acc != 0 {
        add8_u64(&mut r, &C);
    }
    Fe(r)
}

/// A field element in the Montgomery domain, little-endian words, partially reduced.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe(pub(super) [u32; 8]);

impl Fe {
    /// Zero.
    pub(super) const ZERO: Fe = Fe([0; 8]);
    /// One (`2^256 mod p`).
    pub(super) const ONE: Fe = Fe(C);

    /// `a·b`.
    pub(super) const fn mul(&self, b: &Fe) -> Fe {
        if WIDE {
            return Fe(mul_u64(&self.0, &b.0));
        }
        #[cfg(not(target_arch = "riscv32"))]
        let t = mul_wide(&self.0, &b.0);
        #[cfg(target_arch = "riscv32")]
        let t = mul_wide_columns(&self.0, &b.0);
        Fe(reduce_wide_outlined(&t))
    }

    /// `a²`. A multiplication: a dedicated squaring (28 cross products doubled, 8 squares)
    /// measured no faster on Cortex-M4 once LLVM had scheduled it (354 instructions against
    /// 357) and took 1 KB more flash.
    pub(super) const fn square(&self) -> Fe {
        if WIDE {
            return Fe(square_u64(&self.0));
        }
        #[cfg(not(target_arch = "riscv32"))]
        {
            self.mul(self)
        }
        #[cfg(target_arch = "riscv32")]
        {
            Fe(reduce_wide_outlined(&square_wide_columns(&self.0)))
        }
    }

    /// `a + b`.
    pub(super) const fn add(&self, b: &Fe) -> Fe {
        let mut r = self.0;
        let mut carry = add8(&mut r, &b.0);
        // Each round subtracts p from a value ≥ 2^256: it ends with r < 2^256 (a second round
        // is needed only when r + C overflows again, with probability about 2^−32).
        while carry != 0 {
            carry = add8(&mut r, &C);
        }
        Fe(r)
    }

    /// `a − b`.
    pub(super) const fn sub(&self, b: &Fe) -> Fe {
        let mut r = self.0;
        let mut borrow = sub8(&mut r, &b.0);
        // r wrapped to r + 2^256; each round adds p (subtracts 2^256 − p) until the true value
        // is non-negative, which it is after at most two rounds (b − a < 2^256 < 2p).
        while borrow != 0 {
            borrow = sub8(&mut r, &C);
        }
        Fe(r)
    }

    /// `2a`.
    pub(super) const fn double(&self) -> Fe {
        self.add(self)
    }

    /// `k·a` for a small `k` (the 3, 4 and 8 of point doubling): one pass of eight
    /// multiply-adds, then the word above folded back with `2^256 ≡ 2^224 − 2^192 − 2^96 + 1`.
    /// Cheaper than two or three additions.
    ///
    /// A power of two (4 and 8; `k` is a constant after inlining) is a shift instead, except on
    /// Arm cores with a long multiply (all but Armv6-M), where `UMAAL` is one instruction a word:
    /// ES256 on RV32IMC 3.258 M → 3.239 M instructions, on Cortex-M0 8.96 M → 8.88 M; on
    /// Cortex-M4 the shift cost 14 k more (1.499 M → 1.513 M).
    pub(super) const fn mul_small(&self, k: u32) -> Fe {
        if WIDE {
            mul_small_u64(&self.0, k)
        } else {
            mul_small_u32(&self.0, k)
        }
    }

    /// `−a`.
    pub(super) const fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// The representative below `p`.
    pub(super) const fn canonical(&self) -> Fe {
        let mut r = self.0;
        // r < 2^256 < 2p: at most one subtraction.
        if sub8(&mut r, &P) != 0 {
            return *self;
        }
        Fe(r)
    }

    /// Whether `a ≡ 0 (mod p)`: `a` is 0 or `p` (below 2^256, nothing else is a multiple).
    pub(super) const fn is_zero(&self) -> bool {
        let a = &self.0;
        let (mut zero, mut p) = (0, 0);
        unroll8!(I => {
            zero |= a[I];
            p |= a[I] ^ P[I];
        });
        zero == 0 || p == 0
    }

    /// Whether `a ≡ b (mod p)`.
    pub(super) const fn eq(&self, b: &Fe) -> bool {
        self.sub(b).is_zero()
    }

    /// `a^(p−2) = a⁻¹` (zero for zero), by the addition chain of the exponent's runs of ones:
    /// 255 squarings and 12 multiplications. For table construction, not for verification.
    pub(super) const fn invert(&self) -> Fe {
        // p − 2 = 2^256 − 2^224 + 2^192 + 2^96 − 3 in binary: 32 ones, 31 zeros, a one,
        // 96 zeros, 94 ones, a zero, a one.
        let x1 = *self;
        let x2 = x1.square().mul(&x1); // 2 ones
        let x4 = x2.sqr_n(2).mul(&x2);
        let x8 = x4.sqr_n(4).mul(&x4);
        let x16 = x8.sqr_n(8).mul(&x8);
        let x32 = x16.sqr_n(16).mul(&x16);
        let x64 = x32.sqr_n(32).mul(&x32);
        let x30 = x16.sqr_n(8).mul(&x8).sqr_n(4).mul(&x4).sqr_n(2).mul(&x2);
        let x94 = x64.sqr_n(30).mul(&x30);
        // 32 ones, then 31 zeros and a one: (x32 << 32) · x1.
        let t = x32.sqr_n(32).mul(&x1);
        // 96 zeros, then 94 ones.
        let t = t.sqr_n(96 + 94).mul(&x94);
        // a zero and a one.
        t.sqr_n(2).mul(&x1)
    }

    /// `a⁻¹` for `a ≠ 0` (zero for zero), in variable time ([`safegcd::invert_vartime`]): for
    /// public values only. safegcd inverts the integer `a·R`; `(a·R)⁻¹·R³ / R = a⁻¹·R`.
    pub(super) fn invert_vartime(&self) -> Fe {
        Fe(safegcd::invert_vartime(&self.canonical().0, &P_MODULUS)).mul(&Fe(R3))
    }

    /// `a^(2^k)`.
    const fn sqr_n(&self, k: u32) -> Fe {
        let mut r = *self;
        let mut i = 0;
        while i < k {
            r = r.square();
            i += 1;
        }
        r
    }

    /// The Montgomery form of a big-endian integer below `p` (the caller checks the bound;
    /// any 256-bit input gives its residue anyway).
    pub(super) const fn from_be_bytes(bytes: &[u8; 32]) -> Fe {
        Fe(words_from_be(bytes)).mul(&Fe(R2))
    }

    /// The canonical big-endian encoding.
    #[cfg(test)]
    pub(super) const fn be_bytes(&self) -> [u8; 32] {
        // a·R · 1 / R = a.
        let mut one = [0; 8];
        one[0] = 1;
        words_to_be(&self.mul(&Fe(one)).canonical().0)
    }
}

/// Little-endian words of a big-endian 256-bit integer.
pub(super) const fn words_from_be(bytes: &[u8; 32]) -> [u32; 8] {
    let mut w = [0u32; 8];
    let mut i = 0;
    while i < 8 {
        let j = 28 - 4 * i;
        w[i] = u32::from_be_bytes([bytes[j], bytes[j + 1], bytes[j + 2], bytes[j + 3]]);
        i += 1;
    }
    w
}

/// Big-endian bytes of little-endian words.
#[cfg(test)]
pub(super) const fn words_to_be(w: &[u32; 8]) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    let mut i = 0;
    while i < 8 {
        let b = w[i].to_be_bytes();
        let j = 28 - 4 * i;
        bytes[j] = b[0];
        bytes[j + 1] = b[1];
        bytes[j + 2] = b[2];
        bytes[j + 3] = b[3];
        i += 1;
    }
    bytes
}

/// Whether little-endian `x < y`.
pub(super) const fn less_than(x: &[u32; 8], y: &[u32; 8]) -> bool {
    let mut r = *x;
    sub8(&mut r, y) != 0
}
