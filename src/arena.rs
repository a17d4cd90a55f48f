//! A bump arena over the caller's scratch buffer: where escaped strings are decoded for the
//! verified view. It only ever hands out disjoint pieces, and running out is an error, never a
//! truncation.

use crate::error::Error;
use crate::json::{Array, JsonStr, Value};

pub(crate) struct Arena<'s> {
    free: &'s mut [u8],
}

impl<'s> Arena<'s> {
    pub(crate) fn new(scratch: &'s mut [u8]) -> Self {
        Self { free: scratch }
    }

    fn take(&mut self, len: usize) -> Result<&'s mut [u8], Error> {
        let free = core::mem::take(&mut self.free);
        let (head, tail) = free
            .split_at_mut_checked(len)
            .ok_or(Error::ScratchTooSmall)?;
        self.free = tail;
        Ok(head)
    }

    /// The decoded string: borrowed from the token when it has no escape, else decoded here.
    pub(crate) fn str<'a: 's>(&mut self, s: JsonStr<'a>) -> Result<&'s str, Error> {
        if let Some(plain) = s.as_unescaped() {
            return Ok(plain);
        }
        let out = self.take(s.decoded_len())?;
        s.decode_into(out).ok_or(Error::ScratchTooSmall)
    }

    /// The strings of `array` (all strings, checked by the caller) as a [`StrList`].
    pub(crate) fn list<'a: 's>(&mut self, array: Array<'a>) -> Result<StrList<'s>, Error> {
        let mut total = 0usize;
        for s in strings(array) {
            let len = s.decoded_len();
            total = total.saturating_add(varint_len(len)).saturating_add(len);
        }
        let buf = self.take(total)?;
        let mut at = 0usize;
        for s in strings(array) {
            let len = s.decoded_len();
            let mut v = len;
            loop {
                let mut byte = u8::try_from(v & 0x7f).map_err(|_| Error::ScratchTooSmall)?;
                v >>= 7;
                if v != 0 {
                    byte |= 0x80;
                }
                *buf.get_mut(at).ok_or(Error::ScratchTooSmall)? = byte;
                at = at.saturating_add(1);
                if v == 0 {
                    break;
                }
            }
            let end = at.checked_add(len).ok_or(Error::ScratchTooSmall)?;
            s.decode_into(buf.get_mut(at..end).ok_or(Error::ScratchTooSmall)?)
                .ok_or(Error::ScratchTooSmall)?;
            at = end;
        }
        Ok(StrList(buf))
    }

    /// The strings of `array` (all strings, checked by the caller) joined with single spaces:
    /// a scope array as a space-delimited scope list.
    pub(crate) fn joined<'a: 's>(&mut self, array: Array<'a>) -> Result<&'s str, Error> {
        let mut total = 0usize;
        for (i, s) in strings(array).enumerate() {
            total = total
                .saturating_add(usize::from(i > 0))
                .saturating_add(s.decoded_len());
        }
        let buf = self.take(total)?;
        let mut at = 0usize;
        for (i, s) in strings(array).enumerate() {
            if i > 0 {
                *buf.get_mut(at).ok_or(Error::ScratchTooSmall)? = b' ';
                at = at.saturating_add(1);
            }
            let len = s.decoded_len();
            let end = at.checked_add(len).ok_or(Error::ScratchTooSmall)?;
            s.decode_into(buf.get_mut(at..end).ok_or(Error::ScratchTooSmall)?)
                .ok_or(Error::ScratchTooSmall)?;
            at = end;
        }
        core::str::from_utf8(buf).map_err(|_| Error::ScratchTooSmall)
    }
}

/// The string elements of an array whose elements were all checked to be strings.
fn strings(array: Array<'_>) -> impl Iterator<Item = JsonStr<'_>> {
    array.elements().filter_map(|v| match v {
        Ok(Value::Str(s)) => Some(s),
        _ => None,
    })
}

fn varint_len(mut v: usize) -> usize {
    let mut n = 1usize;
    while v >= 0x80 {
        v >>= 7;
        n = n.saturating_add(1);
    }
    n
}

/// The strings of a JSON array claim (such as an `aud` array), decoded, in token order.
///
/// ```
/// # use tokengate::{Audience, Buffers, Expected, Hs256Key, Key, Policy, Verifier};
/// # static KEYS: [Key<'static>; 1] = [match Hs256Key::new(b"0123456789abcdef0123456789abcdef") {
/// #     Ok(secret) => Key::hs256(secret),
/// #     Err(_) => panic!(),
/// # }];
/// # let verifier = Verifier::new(&KEYS, Policy::new(Expected::Any, Expected::Exactly("door-17")));
/// // {"aud":["door-16","door-17"],"exp":1800000000}
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOlsiZG9vci0xNiIsImRvb3ItMTciXSwiZXhwIjoxODAwMDAwMDAwfQ.ybu0jUXlUNKVEHBTnZBQ48qTfP6I7SMhWMzn-HxBzK4";
/// let mut buffers = Buffers::<512>::new();
/// let verified = verifier.verify(token, 1_700_000_000, &mut buffers)?;
/// let Audience::Many(list) = verified.claims().aud() else { panic!() };
/// assert_eq!(list.len(), 2);
/// assert_eq!(list.iter().collect::<Vec<_>>(), ["door-16", "door-17"]);
/// # Ok::<(), tokengate::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Encoding, private to this module: each string as a little-endian base-128 length, then its
// UTF-8 bytes.
pub struct StrList<'a>(&'a [u8]);

impl<'a> StrList<'a> {
    pub(crate) const EMPTY: StrList<'static> = StrList(&[]);

    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let mut rest = self.0;
        core::iter::from_fn(move || {
            let mut len = 0usize;
            let mut shift = 0u32;
            loop {
                let (&byte, tail) = rest.split_first()?;
                rest = tail;
                len |= usize::from(byte & 0x7f).checked_shl(shift)?;
                shift = shift.checked_add(7)?;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            let (s, tail) = rest.split_at_checked(len)?;
            rest = tail;
            core::str::from_utf8(s).ok()
        })
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The list in its encoding (each string as a little-endian base-128 length, then its UTF-8
    /// bytes): for bindings that keep it as bytes (the C API) and rebuild it with
    /// [`StrList::from_encoded`].
    pub const fn encoded(&self) -> &'a [u8] {
        self.0
    }

    /// A list from the bytes [`StrList::encoded`] gave. Bytes that are not such an encoding
    /// end the iteration where they stop being one.
    pub const fn from_encoded(encoded: &'a [u8]) -> Self {
        Self(encoded)
    }
}
