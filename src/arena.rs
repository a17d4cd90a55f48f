//! A bump arena over the caller's scratch buffer: where escaped strings are decoded for the
//! verified view. It only ever hands out disjoint pieces, and running out is an error, never a
//! truncation.

use crate::claims::{RawStrings, StrList};
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

    /// A space-delimited scope list: a string as is, an array joined with single spaces.
    pub(crate) fn scopes<'a: 's>(&mut self, raw: RawStrings<'a>) -> Result<&'s str, Error> {
        match raw {
            RawStrings::Absent => Ok(""),
            RawStrings::One(s) => self.str(s),
            RawStrings::Many(array) => {
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
