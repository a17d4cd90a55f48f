//! Strict JSON (RFC 8259) for the header and the claims: one iterative validator that bounds
//! nesting and rejects duplicate members before anything recursive looks at the bytes, plus
//! borrowing walkers over documents that passed it.
//!
//! Nothing here allocates or recurses. Strings stay escaped in the token's buffer ([`JsonStr`])
//! and are compared or decoded on demand, so `"https:\/\/a"` equals `https://a` without a copy.

use core::str::Chars;

use crate::error::{Error, Part};

/// Deepest nesting of JSON arrays and objects accepted in the header and the claims, counting
/// the top-level object as 1.
///
/// Registered claims are at depth 1 and `aud` / `scope` arrays at depth 2; real issuers' custom
/// claims (Keycloak `realm_access.roles`, Auth0 namespaced objects) stay below 5. 16 leaves room
/// for them while bounding the recursion of any `serde` deserializer run afterwards on a small
/// stack: the validator itself is iterative and needs no stack per level.
pub const MAX_DEPTH: usize = 16;

/// What the validator found wrong, before it is tied to a [`Part`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonError {
    Syntax,
    NotAnObject,
    TooDeep,
    Duplicate,
}

impl JsonError {
    pub(crate) const fn at(self, part: Part) -> Error {
        match self {
            JsonError::Syntax => Error::Json { part },
            JsonError::NotAnObject => Error::NotAnObject { part },
            JsonError::TooDeep => Error::TooDeep { part },
            JsonError::Duplicate => Error::DuplicateMember { part },
        }
    }
}

type Result<T> = core::result::Result<T, JsonError>;

/// A JSON string as it appears in the document, between the quotes, escapes not yet decoded.
///
/// Only the lexer of this module creates one, after checking every escape, so decoding it cannot
/// fail. Compare it with [`JsonStr::eq_str`], decode it with [`JsonStr::chars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JsonStr<'a>(&'a str);

impl<'a> JsonStr<'a> {
    /// The string as written in the JSON text, escapes included.
    #[cfg(test)]
    pub(crate) const fn raw(&self) -> &'a str {
        self.0
    }

    /// The string itself when it contains no escape, so it can be borrowed as is.
    pub(crate) fn as_unescaped(&self) -> Option<&'a str> {
        if self.is_escaped() {
            None
        } else {
            Some(self.0)
        }
    }

    /// Whether the JSON text uses any escape sequence.
    pub(crate) fn is_escaped(&self) -> bool {
        self.0.as_bytes().contains(&b'\\')
    }

    /// The decoded characters.
    pub(crate) fn chars(&self) -> Unescaped<'a> {
        Unescaped {
            rest: self.0.chars(),
        }
    }

    /// Whether the decoded string equals `other`, compared exactly (case-sensitive, no
    /// normalization).
    pub(crate) fn eq_str(&self, other: &str) -> bool {
        if self.is_escaped() {
            self.chars().eq(other.chars())
        } else {
            self.0 == other
        }
    }

    /// The name in `names` that the decoded string equals, if any: one scan for escapes, then
    /// plain comparisons.
    pub(crate) fn one_of(&self, names: &[&'static str]) -> Option<&'static str> {
        if self.is_escaped() {
            names.iter().copied().find(|n| self.chars().eq(n.chars()))
        } else {
            names.iter().copied().find(|&n| n == self.0)
        }
    }

    /// Whether two JSON strings decode to the same string.
    pub(crate) fn eq_json(&self, other: &JsonStr<'_>) -> bool {
        if self.is_escaped() || other.is_escaped() {
            self.chars().eq(other.chars())
        } else {
            self.0 == other.0
        }
    }

    /// Two bits of a 64-bit Bloom filter, from an FNV-1a hash of the decoded string: equal
    /// strings get equal bits however they are escaped.
    fn bloom_bits(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |byte: u8| hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        if self.is_escaped() {
            let mut utf8 = [0u8; 4];
            for c in self.chars() {
                c.encode_utf8(&mut utf8).bytes().for_each(&mut eat);
            }
        } else {
            self.0.bytes().for_each(eat);
        }
        (1u64 << (hash & 63)) | (1u64 << ((hash >> 6) & 63))
    }

    /// Length in bytes of the decoded UTF-8 string.
    pub(crate) fn decoded_len(&self) -> usize {
        self.chars()
            .fold(0usize, |n, c| n.saturating_add(c.len_utf8()))
    }

    /// Decodes the string into the front of `out`, returning the decoded `&str`, or `None` when
    /// `out` is too small.
    pub(crate) fn decode_into<'b>(&self, out: &'b mut [u8]) -> Option<&'b str> {
        let mut at = 0usize;
        for c in self.chars() {
            let end = at.checked_add(c.len_utf8())?;
            let dst = out.get_mut(at..end)?;
            c.encode_utf8(dst);
            at = end;
        }
        core::str::from_utf8(out.get(..at)?).ok()
    }
}

/// Iterator over the decoded characters of a [`JsonStr`].
#[derive(Clone, Debug)]
pub(crate) struct Unescaped<'a> {
    rest: Chars<'a>,
}

impl Iterator for Unescaped<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self.rest.next()? {
            '\\' => unescape(&mut self.rest),
            c => Some(c),
        }
    }
}

/// Decodes one escape sequence whose backslash was just consumed. `None` for anything RFC 8259
/// does not allow, including unpaired UTF-16 surrogates.
fn unescape(rest: &mut Chars<'_>) -> Option<char> {
    Some(match rest.next()? {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'u' => {
            let first = hex4(rest)?;
            match first {
                0xD800..=0xDBFF => {
                    if rest.next()? != '\\' || rest.next()? != 'u' {
                        return None;
                    }
                    let second = hex4(rest)?;
                    if !(0xDC00..=0xDFFF).contains(&second) {
                        return None;
                    }
                    let high = first.checked_sub(0xD800)?;
                    let low = second.checked_sub(0xDC00)?;
                    char::from_u32(0x10000u32.checked_add((high << 10) | low)?)?
                }
                0xDC00..=0xDFFF => return None,
                _ => char::from_u32(first)?,
            }
        }
        _ => return None,
    })
}

fn hex4(rest: &mut Chars<'_>) -> Option<u32> {
    let mut v = 0u32;
    for _ in 0..4 {
        v = (v << 4) | rest.next()?.to_digit(16)?;
    }
    Some(v)
}

/// A byte cursor over a UTF-8 JSON text.
#[derive(Clone)]
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn bump(&mut self) {
        self.at = self.at.saturating_add(1);
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek() == Some(byte) {
            self.bump();
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    fn rest(&self) -> Result<&'a str> {
        self.text.get(self.at..).ok_or(JsonError::Syntax)
    }

    /// A string starting at the cursor's `"`; checks every escape and rejects raw control
    /// characters.
    fn string(&mut self) -> Result<JsonStr<'a>> {
        self.expect(b'"')?;
        let start = self.at;
        let bytes = self.text.as_bytes();
        // The text is UTF-8 (a `&str`), and `"`, `\` and control characters are ASCII, so a byte
        // scan finds them; only escapes need decoding to be checked.
        let mut at = start;
        loop {
            match *bytes.get(at).ok_or(JsonError::Syntax)? {
                b'"' => break,
                b'\\' => {
                    let after = at.checked_add(1).ok_or(JsonError::Syntax)?;
                    let rest = self.text.get(after..).ok_or(JsonError::Syntax)?;
                    let mut chars = rest.chars();
                    unescape(&mut chars).ok_or(JsonError::Syntax)?;
                    let used = rest.len().saturating_sub(chars.as_str().len());
                    at = after.saturating_add(used);
                }
                0..=0x1f => return Err(JsonError::Syntax),
                _ => at = at.saturating_add(1),
            }
        }
        let raw = self.text.get(start..at).ok_or(JsonError::Syntax)?;
        self.at = at.saturating_add(1);
        Ok(JsonStr(raw))
    }

    /// A number per RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<&'a str> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            self.some_digits()?;
        }
        self.text.get(start..self.at).ok_or(JsonError::Syntax)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
    }

    fn some_digits(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(JsonError::Syntax),
        }
    }

    fn literal(&mut self, word: &str) -> Result<()> {
        if self.rest()?.starts_with(word) {
            self.at = self.at.saturating_add(word.len());
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// One value at the cursor. Arrays and objects are skipped over and returned as their raw
    /// text; their nesting was bounded by [`validate`] before any walker runs.
    fn value(&mut self) -> Result<Value<'a>> {
        self.skip_ws();
        let start = self.at;
        Ok(match self.peek() {
            Some(b'"') => Value::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Num(self.number()?),
            Some(b't') => {
                self.literal("true")?;
                Value::Bool(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                Value::Bool(false)
            }
            Some(b'n') => {
                self.literal("null")?;
                Value::Null
            }
            Some(open @ (b'[' | b'{')) => {
                self.skip_container()?;
                let raw = self.text.get(start..self.at).ok_or(JsonError::Syntax)?;
                if open == b'[' {
                    Value::Array(Array(raw))
                } else {
                    Value::Object(raw)
                }
            }
            _ => return Err(JsonError::Syntax),
        })
    }

    /// Skips a container by counting brackets outside strings.
    fn skip_container(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match self.peek().ok_or(JsonError::Syntax)? {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'[' | b'{' => depth = depth.saturating_add(1),
                b']' | b'}' => {
                    depth = depth.checked_sub(1).ok_or(JsonError::Syntax)?;
                    if depth == 0 {
                        self.bump();
                        return Ok(());
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }
}

/// Checks that `text` is one JSON object and nothing else: RFC 8259 grammar, UTF-8 (by type),
/// nesting at most [`MAX_DEPTH`], no member name twice in any object (compared after
/// unescaping), no trailing bytes but whitespace.
///
/// Iterative: its stack use does not depend on the input. Duplicate detection rescans the
/// current object's earlier members, so its time is bounded by the document size squared,
/// and the document is bounded by [`Buffers`](crate::Buffers).
pub(crate) fn validate(text: &str) -> Result<()> {
    #[derive(Clone, Copy)]
    enum Expect {
        Value,
        AfterValue,
        Key,
    }

    let mut cur = Cursor::new(text);
    // Bit `d` set: the container at depth `d + 1` is an object.
    let mut objects: u32 = 0;
    let mut starts = [0usize; MAX_DEPTH];
    // Per open object, a 64-bit Bloom filter of its member names so far: only a name whose bits
    // are all set already can be a duplicate, and only then are the earlier names rescanned.
    let mut names = [0u64; MAX_DEPTH];
    let mut depth = 0usize;
    let mut top_is_object = false;
    let mut expect = Expect::Value;

    loop {
        cur.skip_ws();
        match expect {
            Expect::Value => match cur.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if depth == 0 {
                        top_is_object = open == b'{';
                    }
                    let slot = starts.get_mut(depth).ok_or(JsonError::TooDeep)?;
                    *slot = cur.at;
                    if let Some(filter) = names.get_mut(depth) {
                        *filter = 0;
                    }
                    let bit = 1u32 << depth;
                    if open == b'{' {
                        objects |= bit;
                    } else {
                        objects &= !bit;
                    }
                    depth = depth.saturating_add(1);
                    cur.bump();
                    cur.skip_ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if cur.peek() == Some(close) {
                        cur.bump();
                        depth = depth.saturating_sub(1);
                        expect = Expect::AfterValue;
                    } else if open == b'{' {
                        expect = Expect::Key;
                    }
                }
                _ => {
                    cur.value()?;
                    expect = Expect::AfterValue;
                }
            },
            Expect::AfterValue => {
                let Some(top) = depth.checked_sub(1) else {
                    if cur.peek().is_some() {
                        return Err(JsonError::Syntax);
                    }
                    return if top_is_object {
                        Ok(())
                    } else {
                        Err(JsonError::NotAnObject)
                    };
                };
                let in_object = objects & (1u32 << top) != 0;
                match (cur.peek(), in_object) {
                    (Some(b','), true) => expect = Expect::Key,
                    (Some(b','), false) => expect = Expect::Value,
                    (Some(b'}'), true) | (Some(b']'), false) => depth = top,
                    _ => return Err(JsonError::Syntax),
                }
                cur.bump();
            }
            Expect::Key => {
                let key_at = cur.at;
                let key = cur.string()?;
                let level = depth.checked_sub(1).ok_or(JsonError::Syntax)?;
                let object_at = starts.get(level).copied().ok_or(JsonError::Syntax)?;
                let filter = names.get_mut(level).ok_or(JsonError::Syntax)?;
                let bits = key.bloom_bits();
                if *filter & bits == bits && earlier_member_named(text, object_at, key_at, &key)? {
                    return Err(JsonError::Duplicate);
                }
                *filter |= bits;
                cur.skip_ws();
                cur.expect(b':')?;
                expect = Expect::Value;
            }
        }
    }
}

/// Whether the object opening at `object_at` has a member named `key` before offset `key_at`.
fn earlier_member_named(
    text: &str,
    object_at: usize,
    key_at: usize,
    key: &JsonStr<'_>,
) -> Result<bool> {
    let mut cur = Cursor::new(text);
    cur.at = object_at;
    cur.expect(b'{')?;
    loop {
        cur.skip_ws();
        if cur.at >= key_at {
            return Ok(false);
        }
        if cur.string()?.eq_json(key) {
            return Ok(true);
        }
        cur.skip_ws();
        cur.expect(b':')?;
        cur.value()?;
        cur.skip_ws();
        cur.expect(b',')?;
    }
}

/// A JSON value found by a walker. Containers are kept as raw text.
// Booleans and object texts are only looked at by tests so far.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value<'a> {
    Str(JsonStr<'a>),
    Num(&'a str),
    Bool(bool),
    Null,
    Array(Array<'a>),
    Object(&'a str),
}

/// The raw text of a JSON array that passed [`validate`], `[` to `]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Array<'a>(&'a str);

impl<'a> Array<'a> {
    /// The elements, in order. The walker re-checks what it reads; an inconsistency is an `Err`
    /// item, never a silently skipped element.
    pub(crate) fn elements(&self) -> Elements<'a> {
        Elements(Sequence::open(self.0, b'[', b']'))
    }
}

/// The comma-separated items of an array or object, one at a time.
struct Sequence<'a> {
    cur: Cursor<'a>,
    close: u8,
    first: bool,
    done: bool,
    failed: bool,
}

impl<'a> Sequence<'a> {
    fn open(text: &'a str, open: u8, close: u8) -> Self {
        let mut cur = Cursor::new(text);
        cur.skip_ws();
        let ok = cur.expect(open).is_ok();
        Self {
            cur,
            close,
            first: true,
            done: !ok,
            failed: !ok,
        }
    }

    /// The next item, read by `item` after the separating comma; `None` at the closing bracket.
    fn next_item<T>(
        &mut self,
        item: impl FnOnce(&mut Cursor<'a>) -> Result<T>,
    ) -> Option<Result<T>> {
        if self.failed {
            self.failed = false;
            return Some(Err(JsonError::Syntax));
        }
        if self.done {
            return None;
        }
        self.cur.skip_ws();
        if self.cur.peek() == Some(self.close) {
            self.done = true;
            return None;
        }
        let first = core::mem::replace(&mut self.first, false);
        let result =
            (if first { Ok(()) } else { self.cur.expect(b',') }).and_then(|()| item(&mut self.cur));
        if result.is_err() {
            self.done = true;
        }
        Some(result)
    }
}

/// Iterator over the elements of an [`Array`].
pub(crate) struct Elements<'a>(Sequence<'a>);

impl<'a> Iterator for Elements<'a> {
    type Item = Result<Value<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_item(Cursor::value)
    }
}

/// Walks the members of an object that passed [`validate`]: `(name, value)` pairs in document
/// order. As for [`Elements`], inconsistencies are `Err` items.
pub(crate) fn members(text: &str) -> Members<'_> {
    Members(Sequence::open(text, b'{', b'}'))
}

/// Iterator returned by [`members`].
pub(crate) struct Members<'a>(Sequence<'a>);

impl<'a> Iterator for Members<'a> {
    type Item = Result<(JsonStr<'a>, Value<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_item(|cur| {
            cur.skip_ws();
            let name = cur.string()?;
            cur.skip_ws();
            cur.expect(b':')?;
            Ok((name, cur.value()?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{
        format,
        string::{String, ToString},
        vec::Vec,
    };

    fn check(text: &str) -> Result<()> {
        validate(text)
    }

    #[test]
    fn accepts_objects() {
        for ok in [
            "{}",
            " { } ",
            r#"{"a":1}"#,
            r#"{"a":[1,2,{"b":null}],"c":true,"d":false,"e":-0.5e+10,"f":"\u00e9\ud83d\ude00"}"#,
            "{\"a\"\t:\r\n\"x\"}",
            r#"{"a":{"a":{"a":1}}}"#,
            r#"{"a":1,"b":{"a":2}}"#,
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in [
            "",
            "{",
            "}",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{,"a":1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":[,1]}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":+1}"#,
            r#"{"a":1e}"#,
            r#"{"a":-}"#,
            r#"{"a":tru}"#,
            r#"{"a":True}"#,
            r#"{"a":nul}"#,
            r#"{"a":NaN}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":"\udc00"}"#,
            r#"{"a":"\ud800\u0041"}"#,
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"tab\there\"}",
            r#"{"a":1}x"#,
            r#"{"a":1}{}"#,
            r#"{'a':1}"#,
            r#"{a:1}"#,
            r#"{"a":1]"#,
            r#"{"a":[1}"#,
        ] {
            assert_eq!(check(bad), Err(JsonError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn top_level_must_be_object() {
        for v in ["[]", "1", "\"x\"", "null", "[{}]"] {
            assert_eq!(check(v), Err(JsonError::NotAnObject), "{v}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let mut s = String::from("{\"a\":");
        for _ in 1..MAX_DEPTH {
            s.push('[');
        }
        for _ in 1..MAX_DEPTH {
            s.push(']');
        }
        s.push('}');
        assert_eq!(check(&s), Ok(()));
        let deeper = s.replacen('[', "[[", 1).replacen(']', "]]", 1);
        assert_eq!(check(&deeper), Err(JsonError::TooDeep));
        let hostile = format!("{{\"a\":{}", "[".repeat(100_000));
        assert_eq!(check(&hostile), Err(JsonError::TooDeep));
    }

    #[test]
    fn duplicates_rejected_at_every_level_after_unescaping() {
        for dup in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"exp":1,"\u0065xp":2}"#,
            r#"{"a/b":1,"a\/b":2}"#,
            r#"{"x":{"k":[{"z":1}],"k":2}}"#,
            r#"{"x":[{"k":1,"k":1}]}"#,
        ] {
            assert_eq!(check(dup), Err(JsonError::Duplicate), "{dup}");
        }
        assert_eq!(check(r#"{"a":{"a":1},"b":{"a":1}}"#), Ok(()));
        assert_eq!(check(r#"{"a":"a","b":"a"}"#), Ok(()));
    }

    #[test]
    fn duplicates_found_however_full_the_filter() {
        // Hundreds of names saturate the 64-bit filter: every name is then rescanned, and
        // distinct names must still pass while a repeated one must not.
        let members: Vec<String> = (0..300).map(|i| format!("\"k{i}\":{i}")).collect();
        let distinct = format!("{{{}}}", members.join(","));
        assert_eq!(check(&distinct), Ok(()));
        for dup in ["k0", "k150", "k299", "\\u006b7"] {
            let text = format!("{{{},\"{dup}\":0}}", members.join(","));
            assert_eq!(check(&text), Err(JsonError::Duplicate), "{dup}");
        }
    }

    #[test]
    fn strings_decode() {
        let text = r#"{"k":"https:\/\/auth.spookysrv.com\/oidc\/","e":"\u00e9\ud83d\ude00\n\"\\"}"#;
        assert_eq!(check(text), Ok(()));
        let mut m = members(text);
        let (k, v) = m.next().unwrap().unwrap();
        assert!(k.eq_str("k"));
        let Value::Str(s) = v else { panic!() };
        assert!(s.eq_str("https://auth.spookysrv.com/oidc/"));
        assert!(!s.eq_str("https://auth.spookysrv.com/oidc"));
        let mut buf = [0u8; 64];
        assert_eq!(
            s.decode_into(&mut buf),
            Some("https://auth.spookysrv.com/oidc/")
        );
        let (_, v) = m.next().unwrap().unwrap();
        let Value::Str(s) = v else { panic!() };
        assert!(s.eq_str("é😀\n\"\\"));
        assert_eq!(s.decoded_len(), "é😀\n\"\\".len());
        let mut small = [0u8; 3];
        assert_eq!(s.decode_into(&mut small), None);
        assert!(m.next().is_none());
    }

    #[test]
    fn walkers_see_every_member() {
        let text = r#" { "a" : [ 1 , "x" , [ ] , { "b" : 2 } ] , "c" : { } , "d" : null } "#;
        assert_eq!(check(text), Ok(()));
        let got: Vec<_> = members(text).map(|m| m.unwrap().0.raw()).collect();
        assert_eq!(got, ["a", "c", "d"]);
        let Value::Array(arr) = members(text).next().unwrap().unwrap().1 else {
            panic!()
        };
        let kinds: Vec<_> = arr
            .elements()
            .map(|v| match v.unwrap() {
                Value::Num(n) => n.to_string(),
                Value::Str(s) => s.raw().to_string(),
                Value::Array(a) => a.0.to_string(),
                Value::Object(o) => o.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(kinds, ["1", "x", "[ ]", r#"{ "b" : 2 }"#]);
    }

    #[test]
    fn walkers_never_panic_on_unvalidated_text() {
        for junk in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":[1,",
            "[",
            "{\"a\":1,,}",
            "\"",
            "{\"a\":[}",
        ] {
            for m in members(junk) {
                let _ = m;
            }
            for e in Array(junk).elements() {
                let _ = e;
            }
        }
    }
}
