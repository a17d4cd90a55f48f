//! Byte searches a machine word at a time ("SIMD within a register"), for the two scans that
//! read every byte of a token: the `.` separators (compact.rs) and the bytes of a JSON string
//! that need a look (json.rs). Words are read little-endian, so the first byte of the text is
//! the least significant and the lowest flag is the first match.
//!
//! Each flag test is exact for the lowest flagged byte only: a borrow out of a matching byte
//! can flag bytes above it, never below. Callers use the lowest flag alone ([`first`]). The
//! tests below check every byte value at every position and pseudo-random words against a
//! byte-by-byte search.

/// Bytes of a word: the scans test this many at a time.
pub(crate) const WORD: usize = size_of::<usize>();
/// `0x01` in every byte of a word.
const ONES: usize = usize::MAX / 0xff;
/// `0x80` in every byte of a word.
const HIGHS: usize = ONES << 7;

/// The word of `bytes` at `at`, first byte least significant; `None` past the end.
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<usize> {
    let chunk = bytes.get(at..at.checked_add(WORD)?)?;
    <[u8; WORD]>::try_from(chunk).ok().map(usize::from_le_bytes)
}

/// Flags the bytes of `w` equal to `byte` (exact for the lowest).
#[inline(always)]
pub(crate) fn equal(w: usize, byte: u8) -> usize {
    zero(w ^ ONES.wrapping_mul(usize::from(byte)))
}

/// Flags the zero bytes of `x` (exact for the lowest).
#[inline(always)]
const fn zero(x: usize) -> usize {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Flags the bytes of `w` below `bound`, for `bound` at most 0x80 (exact for the lowest).
#[inline(always)]
pub(crate) fn below(w: usize, bound: u8) -> usize {
    w.wrapping_sub(ONES.wrapping_mul(usize::from(bound))) & !w & HIGHS
}

/// The index in its word of the lowest flagged byte of `flags` (not zero).
#[inline(always)]
#[allow(clippy::as_conversions)] // Below `WORD`: a bit index over 8.
pub(crate) const fn first(flags: usize) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// The index of the first `byte` in `bytes`, a word at a time. Out of line: one copy for every
/// caller (flash), called a few times per token.
#[inline(never)]
#[allow(clippy::arithmetic_side_effects)] // `at` stays within `bytes.len()`.
pub(crate) fn find(bytes: &[u8], byte: u8) -> Option<usize> {
    let mut at = 0;
    while let Some(w) = word_at(bytes, at) {
        let flags = equal(w, byte);
        if flags != 0 {
            return Some(at + first(flags));
        }
        at += WORD;
    }
    let rest = bytes.get(at..)?;
    rest.iter().position(|&b| b == byte).map(|k| at + k)
}

#[cfg(test)]
#[allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::arithmetic_side_effects
)] // A pseudo-random generator's bits, and test indices.
mod tests {
    use super::*;

    /// Pseudo-random words, mostly of plain bytes with some of `specials`, deterministically.
    fn words(specials: &[u8], mut each: impl FnMut([u8; WORD])) {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            let mut w = [0u8; WORD];
            for b in &mut w {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = match state % 8 {
                    0 => specials[(state >> 8) as usize % specials.len()],
                    _ => (state >> 16) as u8,
                };
            }
            each(w);
        }
    }

    fn lowest(flags: usize) -> Option<usize> {
        (flags != 0).then(|| first(flags))
    }

    #[test]
    fn equal_and_below_find_the_first_match() {
        for byte in 0..=255u8 {
            for at in 0..WORD {
                for fill in [0u8, b'a', 0x7f, 0x80, 0xff] {
                    let mut w = [fill; WORD];
                    w[at] = byte;
                    let x = usize::from_le_bytes(w);
                    for target in [b'.', b'"', b'\\', 0, 0xff] {
                        let want = w.iter().position(|&b| b == target);
                        assert_eq!(lowest(equal(x, target)), want, "{w:?} {target}");
                    }
                    for bound in [0x20, 0x01, 0x80] {
                        let want = w.iter().position(|&b| b < bound);
                        assert_eq!(lowest(below(x, bound)), want, "{w:?} < {bound}");
                    }
                }
            }
        }
        words(&[b'.', b'"', b'\\', 0, 0x1f, 0x20], |w| {
            let x = usize::from_le_bytes(w);
            for target in [b'.', b'"', b'\\'] {
                let want = w.iter().position(|&b| b == target);
                assert_eq!(lowest(equal(x, target)), want, "{w:?} {target}");
            }
            let want = w.iter().position(|&b| b < 0x20);
            assert_eq!(lowest(below(x, 0x20)), want, "{w:?}");
        });
    }

    #[test]
    fn find_agrees_with_position() {
        let text: std::vec::Vec<u8> = (0..300u32)
            .map(|i| {
                if i % 37 == 5 {
                    b'.'
                } else {
                    b'a' + (i % 26) as u8
                }
            })
            .collect();
        for start in 0..text.len() {
            for end in start..text.len().min(start + 3 * WORD + 2) {
                let s = &text[start..end];
                assert_eq!(find(s, b'.'), s.iter().position(|&b| b == b'.'));
            }
        }
        assert_eq!(find(b"", b'.'), None);
    }
}
