//! Tokens of an exact length whose header is the worst shape an unauthenticated sender can build
//! for each step before the signature (issue 11), and a valid-shaped token of the same length to
//! compare them with. `no_std` and heap-free: the host benchmark (`benches/benches/adversarial.rs`)
//! and the Cortex-M4 firmware (`examples/firmware/fw/src/bin/adversarial.rs`) build the same bytes.
//!
//! Every token is `header.payload.signature` with a fixed small claims set and a 32-byte
//! signature of zeros, and the header carries `"kid":"adversary"`: a verifier without that key
//! refuses it with `UnknownKid` right after the header is parsed, so timing such a refusal
//! measures exactly the work done before any signature arithmetic (segments, base64url, UTF-8,
//! JSON validation with the duplicate check, header members, key choice).
//!
//! The reference ([`Shape::Reference`]) is a token of the same length whose bulk is in the
//! payload, as in a real token with many claims: before its signature, the verifier only
//! base64-decodes that payload.
#![no_std]

/// The shapes, each filling the header up to the token length asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Small header, the bulk in one long claim of the payload: the baseline.
    Reference,
    /// A header of the same length as the token's share of a real header-heavy token: an `x5c`
    /// certificate chain (long base64 strings in an array). A second baseline.
    X5c,
    /// 62 distinct members (with `alg` and `kid`, the 64 of `MAX_MEMBERS`) whose names share
    /// one long prefix: every name is hashed in full.
    PrefixNames,
    /// Many objects of 60 short distinct members each, in an array: the duplicate table filled
    /// to the limit and emptied again and again, every name compared with all before it.
    ManyMembers,
    /// As [`Shape::PrefixNames`], with the last name repeating the first: refused with
    /// `DuplicateMember` at the very end.
    DuplicateAtEnd,
    /// Member names spelled with `\u` escapes that share a long escaped prefix: every comparison
    /// decodes them.
    EscapedNames,
    /// One string of `\u0041` escapes.
    Escapes,
    /// One long plain string.
    LongString,
    /// An array of numbers with fractions and exponents.
    Numbers,
    /// An array of `0` elements.
    Elements,
    /// Arrays nested to the depth limit, again and again.
    Nesting,
}

impl Shape {
    /// Every shape, the reference first.
    pub const ALL: [Shape; 11] = [
        Shape::Reference,
        Shape::X5c,
        Shape::PrefixNames,
        Shape::ManyMembers,
        Shape::DuplicateAtEnd,
        Shape::EscapedNames,
        Shape::Escapes,
        Shape::LongString,
        Shape::Numbers,
        Shape::Elements,
        Shape::Nesting,
    ];

    /// A short name for tables and benchmark ids.
    pub const fn name(self) -> &'static str {
        match self {
            Shape::Reference => "reference",
            Shape::X5c => "x5c-header",
            Shape::PrefixNames => "prefix-names",
            Shape::ManyMembers => "many-members",
            Shape::DuplicateAtEnd => "duplicate-at-end",
            Shape::EscapedNames => "escaped-names",
            Shape::Escapes => "escapes",
            Shape::LongString => "long-string",
            Shape::Numbers => "numbers",
            Shape::Elements => "elements",
            Shape::Nesting => "nesting",
        }
    }
}

/// The token lengths of the issue's table.
pub const LENGTHS: [usize; 3] = [1024, 4096, 16384];

/// The `kid` every shape names (a verifier without it stops before the signature).
pub const KID: &str = "adversary";

/// The claims of every adversarial token.
const CLAIMS: &str =
    r#"{"iss":"https://issuer.example","aud":"door-17","exp":1800000000,"scope":"door:open"}"#;
/// Encoded length of the 32-byte signature.
const SIGNATURE_CHARS: usize = 43;

/// Most nesting the library accepts (`tokengate::MAX_DEPTH`), counting the header object.
const MAX_DEPTH: usize = 16;

/// Writes a token of exactly `len` bytes of `shape` into `out` (`json` is scratch for the
/// header or payload JSON, at least `len` bytes). `None` if a buffer is too small or `len` too
/// short for the shape (below about 300 bytes).
pub fn token<'o>(shape: Shape, len: usize, json: &mut [u8], out: &'o mut [u8]) -> Option<&'o str> {
    let mut w = Writer { buf: json, at: 0 };
    if shape == Shape::Reference {
        let header = br#"{"alg":"HS256","typ":"JWT","kid":"adversary"}"#;
        let header_chars = encoded_len(header.len());
        let payload_chars = len
            .checked_sub(header_chars)?
            .checked_sub(SIGNATURE_CHARS + 2)?;
        let payload_len = decodable_len(payload_chars)?;
        // {"iss":..,"pad":"xxxx"}: the claims with one long string claim.
        let claims = CLAIMS.as_bytes();
        w.put(claims.get(..claims.len() - 1)?)?;
        w.put(br#","pad":""#)?;
        let pad = payload_len.checked_sub(w.at + 2)?;
        w.repeat(b"x", pad)?;
        w.put(b"\"}")?;
        let n = w.at;
        let mut o = Writer { buf: out, at: 0 };
        o.base64(header)?;
        o.put(b".")?;
        o.base64(json.get(..n)?)?;
        o.put(b".")?;
        o.base64(&[0u8; 32])?;
        let end = o.at;
        return core::str::from_utf8(out.get(..end)?).ok();
    }
    // The claims, with 0 to 2 spaces before the closing brace so that the header's share of
    // the length is a length some bytes encode to.
    let mut payload = [0u8; 128];
    let mut header_len = None;
    let mut payload_len = 0;
    for spaces in 0..3 {
        payload_len = CLAIMS.len() + spaces;
        let fixed = encoded_len(payload_len) + SIGNATURE_CHARS + 2;
        header_len = decodable_len(len.checked_sub(fixed)?);
        if header_len.is_some() {
            let claims = CLAIMS.as_bytes();
            let body = claims.get(..claims.len() - 1)?;
            payload.get_mut(..body.len())?.copy_from_slice(body);
            payload.get_mut(body.len()..payload_len - 1)?.fill(b' ');
            *payload.get_mut(payload_len - 1)? = b'}';
            break;
        }
    }
    let header_len = header_len?;
    let payload = payload.get(..payload_len)?;
    header(shape, header_len, &mut w)?;
    let n = w.at;
    let mut o = Writer { buf: out, at: 0 };
    o.base64(json.get(..n)?)?;
    o.put(b".")?;
    o.base64(payload)?;
    o.put(b".")?;
    o.base64(&[0u8; 32])?;
    let end = o.at;
    core::str::from_utf8(out.get(..end)?).ok()
}

/// The header JSON of `shape`, exactly `len` bytes.
fn header(shape: Shape, len: usize, w: &mut Writer<'_>) -> Option<()> {
    w.put(br#"{"alg":"HS256","kid":"adversary""#)?;
    // Room for the shape's bulk, keeping 1 byte for the closing brace.
    let end = len.checked_sub(1)?;
    match shape {
        Shape::Reference => return None,
        Shape::PrefixNames | Shape::DuplicateAtEnd => {
            // Up to 62 names (with alg and kid, the table's 64): prefix + 3 digits.
            // Each member: ,"<prefix>ddd":0  = prefix + 9 bytes.
            let space = end.checked_sub(w.at)?;
            let names = (space / 10).min(62);
            let prefix = (space / names).checked_sub(9)?.max(1);
            for i in 0..names {
                let i = if shape == Shape::DuplicateAtEnd && i + 1 == names {
                    0
                } else {
                    i
                };
                w.put(b",\"")?;
                w.repeat(b"p", prefix)?;
                w.digits3(i)?;
                w.put(b"\":0")?;
            }
        }
        Shape::EscapedNames => {
            // ,"\u0070…ddd":0 = 6 per escaped prefix char + 9.
            let space = end.checked_sub(w.at)?;
            let names = (space / 15).min(62);
            let prefix = ((space / names).checked_sub(9)? / 6).max(1);
            for i in 0..names {
                w.put(b",\"")?;
                w.repeat(b"\\u0070", prefix)?;
                w.digits3(i)?;
                w.put(b"\":0")?;
            }
        }
        Shape::ManyMembers => {
            w.put(br#","m":["#)?;
            let mut first_object = true;
            // Objects of 60 members: {"a000":0,...}; 60 * 9 + 2 + 1 bytes each (with alg, kid
            // and m open around them, 63 names).
            while w.at + 60 * 9 + 3 + 2 <= end {
                if !first_object {
                    w.put(b",")?;
                }
                first_object = false;
                w.put(b"{")?;
                for i in 0..60 {
                    if i > 0 {
                        w.put(b",")?;
                    }
                    w.put(b"\"a")?;
                    w.digits3(i)?;
                    w.put(b"\":0")?;
                }
                w.put(b"}")?;
            }
            // Smaller members to the end.
            let mut i = 0;
            while w.at + 9 + 3 <= end && i < 60 {
                if !first_object || i > 0 {
                    w.put(b",")?;
                }
                if i == 0 {
                    w.put(b"{")?;
                }
                w.put(b"\"b")?;
                w.digits3(i)?;
                w.put(b"\":0")?;
                i += 1;
            }
            if i > 0 {
                w.put(b"}")?;
            }
            w.put(b"]")?;
        }
        Shape::X5c => {
            // Certificates of about 1 KB of base64 each, the last one shorter.
            w.put(br#","typ":"JWT","x5c":["#)?;
            let mut first = true;
            while w.at + 4 + 2 <= end {
                if !first {
                    w.put(b",")?;
                }
                first = false;
                w.put(b"\"MII")?;
                let n = (end - w.at - 2).min(1100).saturating_sub(1);
                for k in 0..n {
                    w.put(&[
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[k % 64],
                    ])?;
                }
                w.put(b"\"")?;
            }
            w.put(b"]")?;
        }
        Shape::Escapes => {
            w.put(br#","e":""#)?;
            let n = end.checked_sub(w.at)?.checked_sub(1)? / 6;
            w.repeat(b"\\u0041", n)?;
            w.put(b"\"")?;
        }
        Shape::LongString => {
            w.put(br#","s":""#)?;
            let n = end.checked_sub(w.at)?.checked_sub(1)?;
            w.repeat(b"s", n)?;
            w.put(b"\"")?;
        }
        Shape::Numbers => {
            w.put(br#","n":[-1.5e+9"#)?;
            while w.at + 9 + 1 <= end {
                w.put(b",-1.5e+9")?;
            }
            w.put(b"]")?;
        }
        Shape::Elements => {
            w.put(br#","z":[0"#)?;
            while w.at + 2 + 1 <= end {
                w.put(b",0")?;
            }
            w.put(b"]")?;
        }
        Shape::Nesting => {
            // The header is depth 1: arrays at depths 2 to MAX_DEPTH.
            let arrays = MAX_DEPTH - 1;
            w.put(br#","d":["#)?;
            let unit = 2 * (arrays - 1) + 1 + 1; // [[…0…]] and a comma
            let mut first = true;
            while w.at + unit + 1 <= end {
                if !first {
                    w.put(b",")?;
                }
                first = false;
                w.repeat(b"[", arrays - 1)?;
                w.put(b"0")?;
                w.repeat(b"]", arrays - 1)?;
            }
            w.put(b"]")?;
        }
    }
    // Pad with spaces to the exact length (insignificant whitespace), then close.
    let pad = end.checked_sub(w.at)?;
    w.repeat(b" ", pad)?;
    w.put(b"}")
}

/// Bytes that encode to exactly `chars` base64url characters, if any do.
fn decodable_len(chars: usize) -> Option<usize> {
    match chars % 4 {
        1 => None,
        r => Some(chars / 4 * 3 + r.saturating_sub(1)),
    }
}

/// Unpadded base64url length of `n` bytes.
const fn encoded_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

struct Writer<'b> {
    buf: &'b mut [u8],
    at: usize,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) -> Option<()> {
        let end = self.at.checked_add(bytes.len())?;
        self.buf.get_mut(self.at..end)?.copy_from_slice(bytes);
        self.at = end;
        Some(())
    }

    fn repeat(&mut self, unit: &[u8], times: usize) -> Option<()> {
        for _ in 0..times {
            self.put(unit)?;
        }
        Some(())
    }

    fn digits3(&mut self, i: usize) -> Option<()> {
        let d = |k: usize| b'0' + u8::try_from(k % 10).unwrap_or(0);
        self.put(&[d(i / 100), d(i / 10), d(i)])
    }

    fn base64(&mut self, bytes: &[u8]) -> Option<()> {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for chunk in bytes.chunks(3) {
            let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
            let n = (b(0) << 16) | (b(1) << 8) | b(2);
            let chars = chunk.len() + 1;
            for k in 0..chars {
                let index = usize::try_from((n >> (18 - 6 * k)) & 63).ok()?;
                self.put(&[*ALPHABET.get(index)?])?;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn every_shape_has_the_exact_length() {
        let mut json = std::vec![0u8; 20_000];
        let mut out = std::vec![0u8; 20_000];
        for len in LENGTHS {
            for shape in Shape::ALL {
                let t = token(shape, len, &mut json, &mut out)
                    .unwrap_or_else(|| panic!("{shape:?} at {len}"));
                assert_eq!(t.len(), len, "{shape:?}");
                assert_eq!(t.split('.').count(), 3);
            }
        }
    }
}
