//! Canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5), decoding only: the url-safe
//! alphabet, no `=`, no whitespace, and the unused low bits of a final partial quantum zero, so
//! that every byte string has exactly one accepted encoding.
//!
//! Hand-written for a measured reason: the `base64` crate's general-purpose engine was 1.5 KB of
//! a 26 KB HS256-only verifier on Cortex-M4 (`scripts/footprint`); this decoder is one 256-byte
//! table and a loop. Token segments are public, so it is table-driven, not constant-time. It is
//! checked against the `base64` crate (the tests below, and the `segments` fuzz target, which
//! also re-encodes with `base64ct`).

/// Marks a byte outside the alphabet; every valid entry is below 64, so a set high bit in the
/// OR of a quantum's entries rejects the quantum.
const INVALID: u8 = 0xff;

/// The value of each byte of the url-safe alphabet, [`INVALID`] for every other byte.
const TABLE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < alphabet.len() {
        // `i` < 64 and every alphabet byte indexes the 256-entry table.
        #[allow(
            clippy::indexing_slicing,
            clippy::as_conversions,
            clippy::cast_possible_truncation
        )]
        {
            table[alphabet[i] as usize] = i as u8;
        }
        i += 1;
    }
    table
};

/// The 6-bit value of `c`, or [`INVALID`].
fn value(c: u8) -> u32 {
    u32::from(TABLE.get(usize::from(c)).copied().unwrap_or(INVALID))
}

/// Bytes that `len` base64 characters decode to (unpadded), rounded down.
pub(crate) const fn decoded_len(len: usize) -> usize {
    (len / 4)
        .saturating_mul(3)
        .saturating_add((len % 4).saturating_mul(3) / 4)
}

/// Decodes `encoded` into the front of `out` and returns that part, or `None` when `encoded` is
/// not canonical unpadded base64url or `out` is shorter than [`decoded_len`] of it.
pub(crate) fn decode<'b>(encoded: &[u8], out: &'b mut [u8]) -> Option<&'b [u8]> {
    let out = out.get_mut(..decoded_len(encoded.len()))?;
    let (quanta, rest) = encoded.as_chunks::<4>();
    let (outputs, tail) = out.as_chunks_mut::<3>();
    for (&[a, b, c, d], output) in quanta.iter().zip(outputs.iter_mut()) {
        let (a, b, c, d) = (value(a), value(b), value(c), value(d));
        if (a | b | c | d) & 0x80 != 0 {
            return None;
        }
        let word = (a << 18) | (b << 12) | (c << 6) | d;
        let [_, high, mid, low] = word.to_be_bytes();
        *output = [high, mid, low];
    }
    // The final partial quantum: 2 characters for 1 byte, 3 for 2 (1 is never a length).
    let (mut word, mut invalid) = (0u32, 0u32);
    for &c in rest {
        let v = value(c);
        invalid |= v;
        word = (word << 6) | (v & 0x3f);
    }
    let (unused_bits, unused_mask) = match rest.len() {
        0 => return Some(out),
        2 => (4, 0b1111),
        3 => (2, 0b11),
        _ => return None,
    };
    if invalid & 0x80 != 0 || word & unused_mask != 0 {
        return None;
    }
    let [_, _, a, b] = (word >> unused_bits).to_be_bytes();
    match tail {
        [x] => *x = b,
        [x, y] => {
            *x = a;
            *y = b;
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use std::vec::Vec;

    fn ours(encoded: &[u8]) -> Option<Vec<u8>> {
        let mut out = [0u8; 64];
        decode(encoded, &mut out).map(<[u8]>::to_vec)
    }

    /// The `base64` crate's verdict on canonical unpadded base64url: decodes, and re-encodes to
    /// the same text.
    fn reference(encoded: &[u8]) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD
            .decode(encoded)
            .ok()
            .filter(|bytes| URL_SAFE_NO_PAD.encode(bytes).as_bytes() == encoded)
    }

    /// Every string of up to two bytes, and every string of three, or four and a tail, over an
    /// alphabet that holds every class of byte (each value range's ends, the standard
    /// alphabet's `+` `/`, `=`, whitespace, NUL, bytes above 127), against the `base64` crate.
    #[test]
    fn agrees_with_the_base64_crate_exhaustively() {
        let wide: Vec<u8> = (0..=255u8).collect();
        let mut checked = 0;
        for len in 0..=2usize {
            let mut idx = vec![0usize; len];
            loop {
                let s: Vec<u8> = idx.iter().map(|&i| wide[i]).collect();
                assert_eq!(ours(&s), reference(&s), "{s:?}");
                checked += 1;
                // Next index vector.
                let mut k = 0;
                while k < len {
                    idx[k] += 1;
                    if idx[k] < wide.len() {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
                if k == len {
                    break;
                }
            }
        }
        let narrow = b"AQgw-_/+=a9z \0\x80\xff";
        for a in narrow {
            for b in narrow {
                for c in narrow {
                    let s = [*a, *b, *c];
                    assert_eq!(ours(&s), reference(&s), "{s:?}");
                    checked += 1;
                }
            }
        }
        for a in narrow {
            for b in narrow {
                for c in narrow {
                    for d in narrow {
                        for e in [&b""[..], b"A", b"AA", b"AAA", b"Ag", b"AAE"] {
                            let mut s = vec![*a, *b, *c, *d];
                            s.extend_from_slice(e);
                            assert_eq!(ours(&s), reference(&s), "{s:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(
            checked,
            1 + 256 + 65536 + 16usize.pow(3) + 16usize.pow(4) * 6
        );
    }

    #[test]
    fn every_byte_string_round_trips() {
        let mut bytes = Vec::new();
        for n in 0..200u32 {
            bytes.push(u8::try_from(n.wrapping_mul(151) % 256).unwrap());
            let text = URL_SAFE_NO_PAD.encode(&bytes);
            let mut out = vec![0u8; bytes.len()];
            assert_eq!(decode(text.as_bytes(), &mut out), Some(&bytes[..]));
            if !bytes.is_empty() {
                // One byte short of the decoded length: refused, never truncated.
                let mut short = vec![0u8; bytes.len() - 1];
                assert_eq!(decode(text.as_bytes(), &mut short), None);
            }
        }
    }
}
