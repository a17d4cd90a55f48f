//! Strict JSON (RFC 8259) for the header and the claims: one iterative validator that bounds
//! nesting and rejects duplicate members before anything recursive looks at the bytes, plus
//! borrowing walkers over documents that passed it.
//!
//! Nothing here allocates or recurses. Strings stay escaped in the token's buffer ([`JsonStr`])
//! and are compared or decoded on demand, so `"https:\/\/a"` equals `https://a` without a copy.

use core::str::Chars;

use crate::error::{Error, Part};
use crate::swar;

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
    TooManyMembers,
    Duplicate,
}

impl JsonError {
    pub(crate) const fn at(self, part: Part) -> Error {
        match self {
            JsonError::Syntax => Error::Json { part },
            JsonError::NotAnObject => Error::NotAnObject { part },
            JsonError::TooDeep => Error::TooDeep { part },
            JsonError::TooManyMembers => Error::TooManyMembers { part },
            JsonError::Duplicate => Error::DuplicateMember { part },
        }
    }
}

type Result<T> = core::result::Result<T, JsonError>;

/// The names of a lookup table of member names and what they stand for, for
/// [`JsonStr::lookup`]: computed by the compiler, so the table is written once.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // `i < N`; in a constant, out of bounds fails the build.
pub(crate) const fn names_of<T: Copy, const N: usize>(
    table: &[(&'static str, T); N],
) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = table[i].0;
        i += 1;
    }
    names
}

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

    /// Whether the JSON text uses any escape sequence: a scan a word at a time. (A flag set by
    /// the lexer instead saved 1,000 of 17,160 Cortex-M4 instructions of parsing, for 480 B of
    /// verifier flash and 24 B of stack: a `JsonStr` is in every claim the verifier keeps.)
    pub(crate) fn is_escaped(&self) -> bool {
        swar::find(self.0.as_bytes(), b'\\').is_some()
    }

    /// The decoded characters.
    pub(crate) fn chars(&self) -> Unescaped<'a> {
        Unescaped {
            rest: self.0.chars(),
        }
    }

    /// Whether the decoded string equals `other`, compared exactly (case-sensitive, no
    /// normalization).
    ///
    /// Lengths first: every escape is longer than what it decodes to, so a text shorter than
    /// `other` never equals it, a text as long equals it only unescaped and byte for byte, and
    /// only a longer one is decoded.
    pub(crate) fn eq_str(&self, other: &str) -> bool {
        match self.0.len().cmp(&other.len()) {
            core::cmp::Ordering::Less => false,
            core::cmp::Ordering::Equal => self.0 == other && !self.is_escaped(),
            core::cmp::Ordering::Greater => self.is_escaped() && self.chars().eq(other.chars()),
        }
    }

    /// The name in `names` that the decoded string equals, if any.
    pub(crate) fn one_of(&self, names: &[&'static str]) -> Option<&'static str> {
        names.get(self.position(names)?).copied()
    }

    /// The entry of `table` whose name the decoded string equals, if any: the name and what
    /// it stands for, so that the caller matches on the second (an enum) rather than comparing
    /// the name again. `names` is [`names_of`] `table`.
    pub(crate) fn lookup<T: Copy, const N: usize>(
        &self,
        table: &[(&'static str, T); N],
        names: &[&'static str; N],
    ) -> Option<(&'static str, T)> {
        table.get(self.position(names)?).copied()
    }

    /// The index of the name in `names` that the decoded string equals: plain comparisons when
    /// the text has no escape, else the string decoded once, into a small buffer. One
    /// out-of-line copy for every table (flash).
    #[inline(never)]
    fn position(&self, names: &[&'static str]) -> Option<usize> {
        // Byte for byte first: a name without a backslash that equals the text equals the
        // decoded string too (the text has no escape then). The first bytes are compared before
        // the rest: most names of a table have the same few lengths (a `memcmp` call each).
        let first = self.0.as_bytes().first();
        if let Some(at) = names.iter().position(|&n| {
            n.len() == self.0.len()
                && n.as_bytes().first() == first
                && n == self.0
                && !n.as_bytes().contains(&b'\\')
        }) {
            return Some(at);
        }
        if !self.is_escaped() {
            return None;
        }
        let mut buf = [0u8; 32];
        let mut len = 0usize;
        let mut longer = false;
        self.each_decoded_byte(&mut |byte| match buf.get_mut(len) {
            Some(slot) => {
                *slot = byte;
                len = len.saturating_add(1);
                true
            }
            None => {
                longer = true;
                false
            }
        });
        if longer {
            // Longer than the buffer: compared with each name as it decodes.
            return names.iter().position(|n| self.chars().eq(n.chars()));
        }
        let decoded = buf.get(..len)?;
        names.iter().position(|n| n.as_bytes() == decoded)
    }

    /// FNV-1a, 64-bit, of the decoded UTF-8 string: equal however it is escaped. `escaped`
    /// says whether the text has an escape (as the scanner found).
    fn hash(&self, escaped: bool) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |byte: u8| hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        if escaped {
            self.each_decoded_byte(&mut |byte| {
                eat(byte);
                true
            });
        } else {
            self.0.bytes().for_each(eat);
        }
        hash
    }

    /// Feeds the decoded UTF-8 bytes to `f` until it returns `false`, decoding escapes byte by
    /// byte (the scanner checked them; anything it would not have passed ends the walk early).
    fn each_decoded_byte(&self, f: &mut dyn FnMut(u8) -> bool) {
        let b = self.0.as_bytes();
        let mut i = 0usize;
        while let Some(&byte) = b.get(i) {
            if byte != b'\\' {
                if !f(byte) {
                    return;
                }
                i = i.saturating_add(1);
                continue;
            }
            let Some(&kind) = b.get(i.saturating_add(1)) else {
                return;
            };
            let simple = match kind {
                b'b' => Some(0x08),
                b'f' => Some(0x0c),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'u' => None,
                other => Some(other),
            };
            if let Some(byte) = simple {
                if !f(byte) {
                    return;
                }
                i = i.saturating_add(2);
                continue;
            }
            let Ok(first) = hex4_at(b, i.saturating_add(2)) else {
                return;
            };
            let (code, used) = if (0xD800..=0xDBFF).contains(&first) {
                let Ok(second) = hex4_at(b, i.saturating_add(8)) else {
                    return;
                };
                let high = first.wrapping_sub(0xD800);
                let low = second.wrapping_sub(0xDC00);
                (0x10000u32.wrapping_add((high << 10) | low), 12)
            } else {
                (first, 6)
            };
            if let Ok(ascii) = u8::try_from(code)
                && ascii < 0x80
            {
                if !f(ascii) {
                    return;
                }
                i = i.saturating_add(used);
                continue;
            }
            let Some(c) = char::from_u32(code) else {
                return;
            };
            let mut utf8 = [0u8; 4];
            if !c.encode_utf8(&mut utf8).bytes().all(&mut *f) {
                return;
            }
            i = i.saturating_add(used);
        }
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
    /// text; their nesting was bounded by the validator before any walker runs.
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
                    Value::Object(Object(raw))
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

/// Text that passed the validator: one JSON object and nothing else (RFC 8259 grammar, UTF-8,
/// nesting at most [`MAX_DEPTH`], at most [`MAX_MEMBERS`] member names open at once, no member
/// name twice in any object, compared after unescaping, no trailing bytes but whitespace).
///
/// Only [`Object::read`] and [`Object::read_str`] make one from text, and the objects found
/// inside one ([`Value::Object`]) are `Object`s too: "validate before use" is this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Object<'a>(&'a str);

impl<'a> Object<'a> {
    /// Validates `bytes` as one JSON object (UTF-8 first), handing each member of the top-level
    /// object to `visit` as it is read, in document order: one pass for validation and reading.
    ///
    /// Errors keep the precedence of validating first: any JSON error of `bytes` (tied to
    /// `part`) is returned before the first error `visit` returned, which is returned before
    /// anything else. `visit` is not called again after it returned an error.
    pub(crate) fn read(
        bytes: &'a [u8],
        part: Part,
        visit: impl FnMut(JsonStr<'a>, Value<'a>) -> core::result::Result<(), Error>,
    ) -> core::result::Result<Self, Error> {
        let text = core::str::from_utf8(bytes).map_err(|_| Error::Json { part })?;
        Self::read_str(text, part, visit)
    }

    /// [`Object::read`] for text already known to be UTF-8.
    pub(crate) fn read_str(
        text: &'a str,
        part: Part,
        mut visit: impl FnMut(JsonStr<'a>, Value<'a>) -> core::result::Result<(), Error>,
    ) -> core::result::Result<Self, Error> {
        let mut first_error = Ok(());
        walk(text, &mut |name, value| {
            // Written only on an error: assigning the `Ok` too copied the whole `Result`, an
            // out-of-line `memcpy` per member on Cortex-M4 (~100 instructions each).
            if first_error.is_ok()
                && let Err(e) = visit(name, value)
            {
                first_error = Err(e);
            }
        })
        .map_err(|e| e.at(part))?;
        first_error.map(|()| Self(text))
    }

    /// The members, `(name, value)` pairs in document order. The walker re-checks what it
    /// reads; an inconsistency is an `Err` item, never a silently skipped member.
    pub(crate) fn members(&self) -> Members<'a> {
        Members(Sequence::open(self.0, b'{', b'}'))
    }

    /// The text, `{` to `}`.
    pub(crate) const fn text(&self) -> &'a str {
        self.0
    }
}

/// The validator alone, for the tests of this module.
#[cfg(test)]
fn validate(text: &str) -> Result<()> {
    walk(text, &mut |_, _| {})
}

/// The validator: one pass, iterative, linear in the length of `text`, and with a stack use
/// that does not depend on the input. Every byte is read once by the grammar; each member name
/// is read once more for its hash and checked against the names of its object read so far
/// ([`Names`]). Calls `member` for each member of the top-level object once its value is read.
///
/// Index arithmetic: every `i + k` here follows a check that `i + k − 1` is inside `text`, or
/// feeds a `get` that fails past the end; a `&str` is at most `isize::MAX` bytes long.
#[allow(clippy::arithmetic_side_effects)]
fn walk<'a>(text: &'a str, member: &mut dyn FnMut(JsonStr<'a>, Value<'a>)) -> Result<()> {
    let b = text.as_bytes();
    let mut i = 0usize;
    // Bit `d` set: the container at depth `d + 1` is an object.
    let mut objects: u32 = 0;
    // Open containers.
    let mut depth = 0usize;
    // Per open container, where its object's names start in `names`.
    let mut firsts = [0usize; MAX_DEPTH];
    let mut names = Names::new();
    let mut top_is_object = false;
    // The member of the top-level object being read: its name and where its value starts.
    let mut name = JsonStr("");
    let mut value_at = 0usize;

    'value: loop {
        i = skip_ws(b, i);
        if depth == 1 {
            value_at = i;
        }
        let mut key = false;
        match *b.get(i).ok_or(JsonError::Syntax)? {
            open @ (b'{' | b'[') => {
                let first = firsts.get_mut(depth).ok_or(JsonError::TooDeep)?;
                *first = names.len();
                let bit = 1u32 << depth;
                if open == b'{' {
                    objects |= bit;
                } else {
                    objects &= !bit;
                }
                if depth == 0 {
                    top_is_object = open == b'{';
                }
                depth += 1;
                i = skip_ws(b, i + 1);
                // `}` and `]` are two code points after `{` and `[`.
                if b.get(i) == Some(&(open + 2)) {
                    i += 1;
                    depth -= 1;
                } else if open == b'{' {
                    key = true;
                } else {
                    continue 'value;
                }
            }
            b'"' => i = scan_string(b, i + 1)?.0,
            b'-' | b'0'..=b'9' => i = scan_number(b, i)?,
            b't' => i = literal(b, i, b"true")?,
            b'f' => i = literal(b, i, b"false")?,
            b'n' => i = literal(b, i, b"null")?,
            _ => return Err(JsonError::Syntax),
        }
        // After a value: report a finished member of the top-level object, then a separator or
        // closing brackets.
        while !key {
            if depth == 1 && top_is_object {
                member(name, finished_value(text, value_at, i)?);
            }
            i = skip_ws(b, i);
            let Some(top) = depth.checked_sub(1) else {
                if i != b.len() {
                    return Err(JsonError::Syntax);
                }
                return if top_is_object {
                    Ok(())
                } else {
                    Err(JsonError::NotAnObject)
                };
            };
            let in_object = objects & (1u32 << top) != 0;
            match (b.get(i), in_object) {
                (Some(b','), true) => key = true,
                (Some(b','), false) => {
                    i += 1;
                    continue 'value;
                }
                (Some(b'}'), true) => {
                    // The object's names are done with: its parent's are on top again.
                    names.truncate(firsts.get(top).copied().ok_or(JsonError::Syntax)?);
                    depth = top;
                }
                (Some(b']'), false) => depth = top,
                _ => return Err(JsonError::Syntax),
            }
            i += 1;
        }
        // A member name, then its colon.
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'"') {
            return Err(JsonError::Syntax);
        }
        let start = i + 1;
        let (end, escaped) = scan_string(b, start)?;
        let raw = JsonStr(text.get(start..end - 1).ok_or(JsonError::Syntax)?);
        let level = depth.checked_sub(1).ok_or(JsonError::Syntax)?;
        let first = firsts.get(level).copied().ok_or(JsonError::Syntax)?;
        names.insert(first, &raw, escaped)?;
        if depth == 1 {
            name = raw;
        }
        i = skip_ws(b, end);
        if b.get(i) != Some(&b':') {
            return Err(JsonError::Syntax);
        }
        i += 1;
    }
}

/// The value that `walk` read from `start` to `end`, by its first byte.
fn finished_value(text: &str, start: usize, end: usize) -> Result<Value<'_>> {
    let raw = text.get(start..end).ok_or(JsonError::Syntax)?;
    Ok(match raw.as_bytes().first() {
        Some(b'"') => {
            let inner = raw
                .get(1..raw.len().saturating_sub(1))
                .ok_or(JsonError::Syntax)?;
            Value::Str(JsonStr(inner))
        }
        Some(b'{') => Value::Object(Object(raw)),
        Some(b'[') => Value::Array(Array(raw)),
        Some(b't') => Value::Bool(true),
        Some(b'f') => Value::Bool(false),
        Some(b'n') => Value::Null,
        Some(_) => Value::Num(raw),
        None => return Err(JsonError::Syntax),
    })
}

/// The index of the first byte from `i` on that is not JSON whitespace (or the length).
#[inline(always)]
#[allow(clippy::arithmetic_side_effects)] // `i` is below `b.len()` when incremented.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// The bytes of `w` (a word of string bytes, first byte least significant) that need a look:
/// `"`, `\` or a control character, flagged by their high bit ([`swar`]). Bytes from 0x80
/// (UTF-8 sequences) never do. Only the lowest flag is exact, and only it is used.
#[inline(always)]
fn look_flags(w: usize) -> usize {
    swar::equal(w, b'"') | swar::equal(w, b'\\') | swar::below(w, 0x20)
}

/// Scans a string whose opening quote is just before `i`: checks every escape and rejects raw
/// control characters. Returns the index after the closing quote and whether the string has
/// an escape.
#[allow(clippy::arithmetic_side_effects)] // `i` stays within `b.len()` (see `walk`).
fn scan_string(b: &[u8], mut i: usize) -> Result<(usize, bool)> {
    let mut escaped = false;
    loop {
        // A word at a time, to the first byte that needs a look (the lowest flag of its word):
        // each byte is read once, whatever the length of the string.
        while let Some(word) = swar::word_at(b, i) {
            let flags = look_flags(word);
            if flags != 0 {
                i += swar::first(flags);
                break;
            }
            i += swar::WORD;
        }
        match *b.get(i).ok_or(JsonError::Syntax)? {
            b'"' => return Ok((i + 1, escaped)),
            b'\\' => {
                i = scan_escape(b, i + 1)?;
                escaped = true;
            }
            0..=0x1f => return Err(JsonError::Syntax),
            _ => i += 1,
        }
    }
}

/// Checks the escape sequence whose backslash is just before `i` (RFC 8259 §7, UTF-16
/// surrogates paired); returns the index after it.
#[allow(clippy::arithmetic_side_effects)] // Indices feed `get`s (see `walk`).
fn scan_escape(b: &[u8], i: usize) -> Result<usize> {
    match *b.get(i).ok_or(JsonError::Syntax)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(i + 1),
        b'u' => match hex4_at(b, i + 1)? {
            0xD800..=0xDBFF => {
                if b.get(i + 5..i + 7) != Some(b"\\u") {
                    return Err(JsonError::Syntax);
                }
                match hex4_at(b, i + 7)? {
                    0xDC00..=0xDFFF => Ok(i + 11),
                    _ => Err(JsonError::Syntax),
                }
            }
            0xDC00..=0xDFFF => Err(JsonError::Syntax),
            _ => Ok(i + 5),
        },
        _ => Err(JsonError::Syntax),
    }
}

/// The four hex digits at `i`.
fn hex4_at(b: &[u8], i: usize) -> Result<u32> {
    let Some(&[a, b, c, d]) = b.get(i..i.saturating_add(4)) else {
        return Err(JsonError::Syntax);
    };
    let digit = |x: u8| -> Result<u32> {
        let v = match x {
            b'0'..=b'9' => x.wrapping_sub(b'0'),
            b'a'..=b'f' => x.wrapping_sub(b'a' - 10),
            b'A'..=b'F' => x.wrapping_sub(b'A' - 10),
            _ => return Err(JsonError::Syntax),
        };
        Ok(u32::from(v))
    };
    Ok((digit(a)? << 12) | (digit(b)? << 8) | (digit(c)? << 4) | digit(d)?)
}

/// A number per RFC 8259 §6 starting at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)?
/// ([eE] [+-]? [0-9]+)?`. Returns the index after it.
#[allow(clippy::arithmetic_side_effects)] // `i` stays within `b.len()` (see `walk`).
fn scan_number(b: &[u8], mut i: usize) -> Result<usize> {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(b, i + 1),
        _ => return Err(JsonError::Syntax),
    }
    if b.get(i) == Some(&b'.') {
        i = some_digits(b, i + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = some_digits(b, i)?;
    }
    Ok(i)
}

#[allow(clippy::arithmetic_side_effects)] // `i` is below `b.len()` when incremented.
fn digits(b: &[u8], mut i: usize) -> usize {
    while let Some(b'0'..=b'9') = b.get(i) {
        i += 1;
    }
    i
}

fn some_digits(b: &[u8], i: usize) -> Result<usize> {
    match b.get(i) {
        Some(b'0'..=b'9') => Ok(digits(b, i)),
        _ => Err(JsonError::Syntax),
    }
}

/// `word` at `i`; returns the index after it.
fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize> {
    let end = i.saturating_add(word.len());
    if b.get(i..end) == Some(word) {
        Ok(end)
    } else {
        Err(JsonError::Syntax)
    }
}

/// Most member names the JSON validator keeps at once: the names read so far of the innermost open
/// object and of every object around it, counted together. A document that needs more is
/// refused with [`Error::TooManyMembers`](crate::Error::TooManyMembers).
///
/// JOSE headers have fewer than 10 members; the claims sets of real issuers (Keycloak, Auth0,
/// Entra ID, Okta, Cognito) 10 to 40, with small nested objects. 64 leaves room for them while
/// bounding what the duplicate check of one object can cost (each name is compared with the
/// hashes of the names before it: at most 2,016 comparisons of two words per object).
pub const MAX_MEMBERS: usize = 64;

/// The member names of the open objects, as 64-bit hashes of their decoded text
/// ([`JsonStr::hash`]): one run per object, the innermost object's run on top.
///
/// Two names are the same name when their hashes are equal. Equal names always have equal
/// hashes; two different names with equal hashes (about one chance in 2^64 per pair, unless
/// someone searched for them) are refused as duplicates too: a document built for that is
/// hostile, and no issuer's claim names come near it by chance.
struct Names {
    /// Low and high words of the hashes, apart: the scan reads only the low words. `heapless`
    /// vectors, not arrays: an array would be zeroed on every parse (1,024 B per token, 1,400
    /// of an HS256 verify's 38,600 Cortex-M4 instructions), and only the names below the
    /// length are ever read.
    low: heapless::Vec<u32, MAX_MEMBERS>,
    high: heapless::Vec<u32, MAX_MEMBERS>,
}

impl Names {
    const fn new() -> Self {
        Self {
            low: heapless::Vec::new(),
            high: heapless::Vec::new(),
        }
    }

    /// How many names the open objects hold.
    fn len(&self) -> usize {
        self.low.len()
    }

    /// Forgets the names from index `len` on: those of an object just closed.
    fn truncate(&mut self, len: usize) {
        self.low.truncate(len);
        self.high.truncate(len);
    }

    /// Adds the member name `name` (`escaped` if it has an escape) to the run of the innermost
    /// object, which starts at index `first`.
    ///
    /// Out of line, so that its loops get the registers (the walker's state would spill).
    ///
    /// # Errors
    /// [`JsonError::Duplicate`] if the run holds it already, [`JsonError::TooManyMembers`] if
    /// the table is full.
    #[inline(never)]
    #[allow(clippy::as_conversions, clippy::cast_possible_truncation)] // The two words of a u64.
    fn insert(&mut self, first: usize, name: &JsonStr<'_>, escaped: bool) -> Result<()> {
        let hash = name.hash(escaped);
        let (low, high) = (hash as u32, (hash >> 32) as u32);
        let run = self.low.get(first..).ok_or(JsonError::Syntax)?;
        let mut at = 0usize;
        while let Some(k) = find(run.get(at..).unwrap_or_default(), low) {
            at = at.saturating_add(k);
            if self.high.get(first.saturating_add(at)) == Some(&high) {
                return Err(JsonError::Duplicate);
            }
            at = at.saturating_add(1);
        }
        self.low.push(low).map_err(|_| JsonError::TooManyMembers)?;
        self.high.push(high).map_err(|_| JsonError::TooManyMembers)
    }
}

/// The index of the first `word` in `words`, four at a time.
fn find(words: &[u32], word: u32) -> Option<usize> {
    let mut quads = words.chunks_exact(4);
    let mut base = 0usize;
    for quad in quads.by_ref() {
        if let [a, b, c, d] = *quad
            && (a == word || b == word || c == word || d == word)
        {
            break;
        }
        base = base.saturating_add(4);
    }
    let tail = words.get(base..).unwrap_or_default();
    tail.iter()
        .position(|&w| w == word)
        .map(|k| base.saturating_add(k))
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
    Object(Object<'a>),
}

/// The text of a JSON array inside an [`Object`], `[` to `]`.
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

/// Iterator returned by [`Object::members`]. As for [`Elements`], inconsistencies are `Err`
/// items.
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
    fn duplicates_found_among_many_names() {
        // A full table: distinct names pass, a repeated one anywhere is found, however escaped.
        let members: Vec<String> = (0..MAX_MEMBERS - 1)
            .map(|i| format!("\"k{i}\":{i}"))
            .collect();
        let distinct = format!("{{{}}}", members.join(","));
        assert_eq!(check(&distinct), Ok(()));
        for dup in ["k0", "k31", "k62", "\\u006b7", "k\\u0031\\u0030"] {
            let text = format!("{{{},\"{dup}\":0}}", members.join(","));
            assert_eq!(check(&text), Err(JsonError::Duplicate), "{dup}");
        }
        // Names sharing long prefixes, escaped or not.
        let long: Vec<String> = (0..60)
            .map(|i| format!("\"{}{i:03}\":0", "p".repeat(200)))
            .rev()
            .collect();
        assert_eq!(check(&format!("{{{}}}", long.join(","))), Ok(()));
        let again = format!("{{{},{}}}", long.join(","), long[37]);
        assert_eq!(check(&again), Err(JsonError::Duplicate));
        let escaped = format!("{{{},\"{}022\":1}}", long.join(","), "\\u0070".repeat(200));
        assert_eq!(check(&escaped), Err(JsonError::Duplicate));
    }

    #[test]
    fn names_are_bounded_across_open_objects() {
        let names = |n: usize, tag: &str| -> String {
            (0..n)
                .map(|i| format!("\"{tag}{i}\":0"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let half = MAX_MEMBERS / 2;
        let full = format!("{{{}}}", names(MAX_MEMBERS, "a"));
        assert_eq!(check(&full), Ok(()));
        let over = format!("{{{}}}", names(MAX_MEMBERS + 1, "a"));
        assert_eq!(check(&over), Err(JsonError::TooManyMembers));
        // An object and the one inside it count together while both are open (the parent's
        // member "in" is one of its names) ...
        let nested = format!(
            "{{{},\"in\":{{{}}}}}",
            names(half, "a"),
            names(MAX_MEMBERS - half, "b")
        );
        assert_eq!(check(&nested), Err(JsonError::TooManyMembers));
        let nested_fits = format!(
            "{{{},\"in\":{{{}}}}}",
            names(half, "a"),
            names(MAX_MEMBERS - half - 1, "b")
        );
        assert_eq!(check(&nested_fits), Ok(()));
        // ... and a closed object's names are forgotten: siblings each get the room.
        let inner = format!("{{{}}}", names(MAX_MEMBERS - 22, "b"));
        let siblings = format!(
            "{{{},\"list\":[{inner},{inner},{inner}],\"z\":{inner}}}",
            names(20, "a")
        );
        assert_eq!(check(&siblings), Ok(()));
        // Names of a closed object do not clash with its parent's later names.
        assert_eq!(check(r#"{"o":{"x":1,"y":2},"x":3,"y":4}"#), Ok(()));
        assert_eq!(
            check(r#"{"o":{"x":1,"y":2},"x":3,"o":4}"#),
            Err(JsonError::Duplicate)
        );
    }

    /// The lowest flag of `look_flags` is the first byte that needs a look, at every position,
    /// whatever the bytes before it (anything else) and after it (anything at all, borrows
    /// included); a word with no such byte has no flag. Against a byte-by-byte reference, on
    /// every single byte and on pseudo-random words.
    #[test]
    #[allow(
        clippy::as_conversions,
        clippy::cast_possible_truncation,
        clippy::arithmetic_side_effects
    )] // A pseudo-random generator's bits.
    fn look_flags_finds_the_first_special_byte() {
        let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        let first = |w: &[u8; swar::WORD]| w.iter().position(|&b| special(b));
        let found = |w: &[u8; swar::WORD]| {
            let flags = look_flags(usize::from_le_bytes(*w));
            (flags != 0).then(|| swar::first(flags))
        };
        for byte in 0..=255u8 {
            for at in 0..swar::WORD {
                let mut w = [b'a'; swar::WORD];
                w[at] = byte;
                assert_eq!(found(&w), first(&w), "{w:?}");
            }
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            let mut w = [0u8; swar::WORD];
            for b in &mut w {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Mostly plain bytes, a special one about every ten.
                *b = match state % 10 {
                    0 => [b'"', b'\\', 0x00, 0x1f, 0x0a][(state >> 8) as usize % 5],
                    _ => (state >> 16) as u8 | 0x20,
                };
            }
            assert_eq!(found(&w), first(&w), "{w:?}");
        }
    }

    /// Names and string values know whether they have an escape, for the walker's members and
    /// the re-reading iterators alike, whatever came before (an escaped string nested in an
    /// earlier member, an escaped name).
    #[test]
    fn strings_carry_their_escape_flag() {
        let text = r#"{"a":["\n"],"b":"plain","c\u0064":"x\"y","e":{"f":"\/"},"g":"z"}"#;
        let mut seen = Vec::new();
        Object::read_str(text, Part::Claims, |name, value| {
            let value = match value {
                Value::Str(s) => Some((s.is_escaped(), s.0.contains('\\'))),
                _ => None,
            };
            seen.push((name.0, name.is_escaped(), value));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("a", false, None),
                ("b", false, Some((false, false))),
                (r"c\u0064", true, Some((true, true))),
                ("e", false, None),
                ("g", false, Some((false, false))),
            ]
        );
        let object = Object::read_str(text, Part::Claims, |_, _| Ok(())).unwrap();
        for member in object.members() {
            let (name, value) = member.unwrap();
            assert_eq!(name.is_escaped(), name.0.contains('\\'));
            if let Value::Str(s) = value {
                assert_eq!(s.is_escaped(), s.0.contains('\\'), "{s:?}");
            }
        }
    }

    #[test]
    fn one_of_matches_decoded_names() {
        let names = ["alg", "kid", "crit"];
        assert_eq!(JsonStr("kid").one_of(&names), Some("kid"));
        assert_eq!(JsonStr(r"\u0061lg").one_of(&names), Some("alg"));
        assert_eq!(JsonStr(r"cr\u0069t").one_of(&names), Some("crit"));
        assert_eq!(JsonStr(r"\u0061l").one_of(&names), None);
        assert_eq!(JsonStr(r"alg\u0000").one_of(&names), None);
        let long = r"\u0061".repeat(40);
        assert_eq!(JsonStr(&long).one_of(&names), None);
        let wanted: [&'static str; 1] = ["a".repeat(40).leak()];
        assert_eq!(JsonStr(&long).one_of(&wanted), Some(wanted[0]));
    }

    #[test]
    fn escapes_are_compared_decoded_at_every_length() {
        // As long as `other`: equal only unescaped.
        assert!(JsonStr("a/b").eq_str("a/b"));
        assert!(!JsonStr(r"a\\b").eq_str(r"a\\b"));
        assert!(!JsonStr(r"\/").eq_str(r"\/"));
        // Longer: equal only decoded.
        assert!(JsonStr(r"a\\b").eq_str(r"a\b"));
        assert!(JsonStr(r"\/").eq_str("/"));
        assert!(JsonStr(r"\u00e9").eq_str("é"));
        assert!(!JsonStr("abcd").eq_str("abc"));
        // Shorter: never.
        assert!(!JsonStr("ab").eq_str("abc"));
        assert!(!JsonStr("").eq_str("a"));
        assert!(JsonStr("").eq_str(""));
        // A name with a backslash is matched by its decoded spelling only.
        let names = [r"a\\b", r"a\b"];
        assert_eq!(JsonStr(r"a\\b").one_of(&names), Some(r"a\b"));
        assert_eq!(JsonStr(r"a\u005cb").one_of(&names), Some(r"a\b"));
        assert_eq!(JsonStr(r"a\b").one_of(&names), None);
    }

    #[test]
    fn name_hash_is_of_the_decoded_text() {
        let hash = |raw: &str| JsonStr(raw).hash(raw.contains('\\'));
        assert_eq!(hash("\\u0061"), hash("a"));
        assert_eq!(hash("\\u00e9"), hash("é"));
        assert_eq!(hash("\\ud83d\\ude00"), hash("😀"));
        assert_eq!(hash("\\/"), hash("/"));
        assert_ne!(hash("a"), hash("b"));
        assert_ne!(hash("ab"), hash("ba"));
        assert_ne!(hash(""), hash("\\u0000"));
        // The byte-level decoder agrees with the char decoder on every escape kind.
        for raw in [
            r#"\"\\\/\b\f\n\r\t"#,
            r"a\u0000b\u007f\u0080\u07ff\u0800\uffff",
            r"\ud800\udc00\udbff\udfff\ud83d\ude00x",
            "plain é 😀",
            r"mixed\u00e9é\n",
        ] {
            let s = JsonStr(raw);
            let mut bytes = Vec::new();
            s.each_decoded_byte(&mut |b| {
                bytes.push(b);
                true
            });
            let chars: String = s.chars().collect();
            assert_eq!(bytes, chars.as_bytes(), "{raw}");
        }
    }

    #[test]
    fn read_object_reports_top_level_members_in_order() {
        let text = r#" { "a" : [ 1 , { "b" : 2 } ] , "s" : "x\ty" , "n" : -1.5e3 , "o" : { } , "t" : true , "f" : false , "z" : null } "#;
        let mut seen = Vec::new();
        let outcome = Object::read_str(text, Part::Claims, |name, value| {
            let shown = match value {
                Value::Num(n) => n.to_string(),
                Value::Str(s) => format!("str {}", s.raw()),
                Value::Array(a) => format!("array {}", a.0),
                Value::Object(o) => format!("object {}", o.text()),
                Value::Bool(b) => format!("{b}"),
                Value::Null => "null".to_string(),
            };
            seen.push(format!("{}={shown}", name.raw()));
            Ok(())
        });
        assert_eq!(outcome.map(|o| o.text()), Ok(text));
        assert_eq!(
            seen,
            [
                r#"a=array [ 1 , { "b" : 2 } ]"#,
                r"s=str x\ty",
                "n=-1.5e3",
                "o=object { }",
                "t=true",
                "f=false",
                "z=null"
            ]
        );
    }

    #[test]
    fn read_object_errors_keep_their_precedence() {
        // A visitor error is returned only for valid JSON; the first one wins.
        let fail = |name: JsonStr<'_>, _: Value<'_>| {
            if name.eq_str("b") || name.eq_str("c") {
                Err(Error::MissingMember {
                    part: Part::Claims,
                    name: if name.eq_str("b") { "b" } else { "c" },
                })
            } else {
                Ok(())
            }
        };
        assert_eq!(
            Object::read_str(r#"{"a":1,"b":2,"c":3}"#, Part::Claims, fail),
            Err(Error::MissingMember {
                part: Part::Claims,
                name: "b"
            })
        );
        assert_eq!(
            Object::read_str(r#"{"a":1,"b":2,"c":3,"a":4}"#, Part::Claims, fail),
            Err(Error::DuplicateMember { part: Part::Claims })
        );
        assert_eq!(
            Object::read_str(r#"{"b":2,"c":3"#, Part::Header, fail),
            Err(Error::Json { part: Part::Header })
        );
    }

    #[test]
    fn string_scanner_sees_every_byte_in_words() {
        // Specials at every offset of a word, in long strings.
        for at in 0..24 {
            for special in ["\"", "\\", "\u{1}", "\u{1f}", "\n"] {
                let mut body = "x".repeat(24);
                body.replace_range(at..at + 1, special);
                let text = format!("{{\"k\":\"{body}\"}}");
                let want = if special == "\"" || special == "\\" || special.as_bytes()[0] < 0x20 {
                    Err(JsonError::Syntax)
                } else {
                    Ok(())
                };
                assert_eq!(check(&text), want, "{at} {special:?}");
            }
            let mut body = "é".repeat(12);
            body.push_str("\\\"");
            let text = format!("{{\"k\":\"{}{body}\"}}", "y".repeat(at));
            assert_eq!(check(&text), Ok(()), "{at}");
        }
        // Bytes 0x20 and 0x7f and every byte of multi-byte UTF-8 pass.
        assert_eq!(check("{\"k\":\" \u{7f}\u{80}\u{ffff}\u{10ffff}\"}"), Ok(()));
    }

    #[test]
    fn strings_decode() {
        let text = r#"{"k":"https:\/\/auth.spookysrv.com\/oidc\/","e":"\u00e9\ud83d\ude00\n\"\\"}"#;
        assert_eq!(check(text), Ok(()));
        let mut m = Object(text).members();
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
        assert!(!s.eq_str(r#"\u00e9\ud83d\ude00\n\"\\"#));
        assert!(!s.eq_str("é😀\n\"\\ "));
        assert!(!s.eq_str("é😀\n\""));
        assert_eq!(s.decoded_len(), "é😀\n\"\\".len());
        let mut small = [0u8; 3];
        assert_eq!(s.decode_into(&mut small), None);
        assert!(m.next().is_none());
    }

    #[test]
    fn walkers_see_every_member() {
        let text = r#" { "a" : [ 1 , "x" , [ ] , { "b" : 2 } ] , "c" : { } , "d" : null } "#;
        assert_eq!(check(text), Ok(()));
        let got: Vec<_> = Object(text).members().map(|m| m.unwrap().0.raw()).collect();
        assert_eq!(got, ["a", "c", "d"]);
        let Value::Array(arr) = Object(text).members().next().unwrap().unwrap().1 else {
            panic!()
        };
        let kinds: Vec<_> = arr
            .elements()
            .map(|v| match v.unwrap() {
                Value::Num(n) => n.to_string(),
                Value::Str(s) => s.raw().to_string(),
                Value::Array(a) => a.0.to_string(),
                Value::Object(o) => o.text().to_string(),
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
            for m in Object(junk).members() {
                let _ = m;
            }
            for e in Array(junk).elements() {
                let _ = e;
            }
        }
    }
}
