//! The JWS compact serialization (RFC 7515 §7.1): exactly three segments of canonical unpadded
//! base64url (RFC 7515 §2), decoded into the caller's buffers.

use crate::base64url;
use crate::error::{Error, Segment};
use crate::swar;

/// A token split into its segments, still encoded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Compact<'t> {
    pub(crate) header: &'t [u8],
    pub(crate) payload: &'t [u8],
    pub(crate) signature: &'t [u8],
    /// `header '.' payload`, exactly as received: what the signature covers.
    pub(crate) signing_input: &'t [u8],
}

impl<'t> Compact<'t> {
    /// Splits on `.`: anything but exactly three segments is [`Error::SegmentCount`].
    /// The separators are found a word at a time ([`swar::find`]).
    pub(crate) fn split(token: &'t [u8]) -> Result<Self, Error> {
        // `token` split at its first `.`, the `.` dropped.
        let cut = |bytes: &'t [u8]| -> Option<(&'t [u8], &'t [u8])> {
            let dot = swar::find(bytes, b'.')?;
            Some((bytes.get(..dot)?, bytes.get(dot.checked_add(1)?..)?))
        };
        let Some((header, rest)) = cut(token) else {
            return Err(Error::SegmentCount);
        };
        let Some((payload, signature)) = cut(rest) else {
            return Err(Error::SegmentCount);
        };
        if swar::find(signature, b'.').is_some() {
            return Err(Error::SegmentCount);
        }
        let signed_len = header.len().saturating_add(1).saturating_add(payload.len());
        let signing_input = token.get(..signed_len).ok_or(Error::SegmentCount)?;
        Ok(Self {
            header,
            payload,
            signature,
            signing_input,
        })
    }
}

pub(crate) use crate::base64url::decoded_len;

/// Decodes one segment into the front of `out`, rejecting every non-canonical form. The caller
/// sized `out` from [`decoded_len`].
pub(crate) fn decode<'b>(
    encoded: &[u8],
    out: &'b mut [u8],
    segment: Segment,
) -> Result<&'b [u8], Error> {
    let capacity = out.len();
    let needed = decoded_len(encoded.len());
    if needed > capacity {
        return Err(Error::TooLarge { needed, capacity });
    }
    base64url::decode(encoded, out).ok_or(Error::Base64 { segment })
}

/// Decodes one base64url quantum: four characters, or the two or three that end a value. `None`
/// unless they are canonical (as for [`decode`]); at most three bytes go into `out`.
pub(crate) fn decode_quantum(encoded: &[u8], out: &mut [u8; 3]) -> Option<usize> {
    if encoded.len() > 4 {
        return None;
    }
    base64url::decode(encoded, out).map(<[u8]>::len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn dec(s: &str) -> Result<Vec<u8>, Error> {
        let mut out = [0u8; 64];
        decode(s.as_bytes(), &mut out, Segment::Payload).map(|b| b.to_vec())
    }

    #[test]
    fn canonical_base64url_only() {
        assert_eq!(dec("Zm9v").unwrap(), b"foo");
        assert_eq!(dec("Zm8").unwrap(), b"fo");
        assert_eq!(dec("Zg").unwrap(), b"f");
        assert_eq!(dec("").unwrap(), b"");
        let bad = Err(Error::Base64 {
            segment: Segment::Payload,
        });
        for s in [
            "Zg==", "Zm8=", "Z", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm9v ", " Zm9v", "Zm\n9v", "Zm9v=",
            "Zm!v", "Zm9v\0",
        ] {
            assert_eq!(dec(s), bad, "{s:?}");
        }
        // `_` and `-` are the url-safe characters.
        assert_eq!(dec("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn exactly_three_segments() {
        assert!(Compact::split(b"a.b.c").is_ok());
        assert!(Compact::split(b"..").is_ok());
        for t in ["", "a", "a.b", "a.b.c.d", "a.b.c.", "....."] {
            assert_eq!(
                Compact::split(t.as_bytes()).unwrap_err(),
                Error::SegmentCount,
                "{t}"
            );
        }
        let c = Compact::split(b"hh.ppp.s").unwrap();
        assert_eq!(c.signing_input, b"hh.ppp");
    }

    #[test]
    fn quanta_are_canonical() {
        let q = |s: &str| {
            let mut out = [0u8; 3];
            decode_quantum(s.as_bytes(), &mut out).map(|n| out[..n].to_vec())
        };
        assert_eq!(q("Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(q("Zm8"), Some(b"fo".to_vec()));
        assert_eq!(q("Zg"), Some(b"f".to_vec()));
        for bad in ["Z", "Zh", "Zm9", "Zg==", "Zm+v", "Zm9vZm9v", "Zm9v="] {
            assert_eq!(q(bad), None, "{bad}");
        }
    }

    #[test]
    fn decoded_lengths() {
        for n in 0..40usize {
            let s = "A".repeat(n);
            let mut out = [0u8; 64];
            if let Ok(b) = decode(s.as_bytes(), &mut out, Segment::Payload) {
                assert_eq!(b.len(), decoded_len(n));
            }
        }
    }
}
