//! The differential target's tokens: a valid token whose header and claims JSON this module
//! writes, changed by a list of structure-aware mutations ([`Case`], built from the fuzzer's bytes
//! by `arbitrary`), then encoded and re-signed so that the signature is not what rejects most
//! mutants.

use arbitrary::Arbitrary;

use crate::setup::{self, AUD, ES256_KID, HS256_KID, ISS, RSA2048_KID, b64};

/// At most this many mutations of each document are applied.
const MAX_OPS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Es256,
    Rs256,
    Hs256,
}

/// HS256 five times in eight, ES256 one in four, RS256 one in eight: signing and verifying with
/// the `rsa` and `p256` crates costs more than everything else a case does, and the JSON layers
/// are the same whatever the key.
impl<'a> Arbitrary<'a> for Alg {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u8::arbitrary(u)? {
            0..=63 => Alg::Es256,
            64..=223 => Alg::Hs256,
            _ => Alg::Rs256,
        })
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        u8::size_hint(depth)
    }
}

impl Alg {
    pub fn name(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Rs256 => "RS256",
            Alg::Hs256 => "HS256",
        }
    }
    pub fn kid(self) -> &'static str {
        match self {
            Alg::Es256 => ES256_KID,
            Alg::Rs256 => RSA2048_KID,
            Alg::Hs256 => HS256_KID,
        }
    }
    fn from_name(name: &str) -> Option<Self> {
        [Alg::Es256, Alg::Rs256, Alg::Hs256]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// One fuzz case: which key signs the starting token, what is changed, how it is encoded and
/// signed.
#[derive(Arbitrary, Debug)]
pub struct Case {
    pub alg: Alg,
    pub kid: bool,
    pub header_ops: Vec<Op<HeaderName>>,
    pub claim_ops: Vec<Op<ClaimName>>,
    pub header_layout: Option<Layout>,
    pub claims_layout: Option<Layout>,
    pub encodings: [Option<Encoding>; 3],
    pub signing: Option<Signing>,
    pub shape: Option<Shape>,
}

/// A change to one JSON document.
#[derive(Arbitrary, Debug)]
pub enum Op<N> {
    /// Replaces the member's value, or appends the member.
    Set(N, Value),
    Remove(N),
    /// Appends a second member with the same name (possibly spelled with escapes).
    Duplicate(N, Value, Spell),
    /// Spells the member's name differently (escapes, case).
    Rename(N, Spell),
    /// Moves the member to another position.
    Move(N, u8),
}

#[derive(Arbitrary, Debug)]
pub enum HeaderName {
    Alg,
    Kid,
    Typ,
    Crit,
    B64,
    Cty,
    Jwk,
    Jku,
    X5u,
    X5c,
    X5t,
    Zip,
    Enc,
    Nonce,
    Other(Text),
}

#[derive(Arbitrary, Debug)]
pub enum ClaimName {
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
    Scope,
    Scp,
    Other(Text),
}

pub trait Name {
    fn name(&self) -> String;
}

impl Name for HeaderName {
    fn name(&self) -> String {
        let s = match self {
            HeaderName::Alg => "alg",
            HeaderName::Kid => "kid",
            HeaderName::Typ => "typ",
            HeaderName::Crit => "crit",
            HeaderName::B64 => "b64",
            HeaderName::Cty => "cty",
            HeaderName::Jwk => "jwk",
            HeaderName::Jku => "jku",
            HeaderName::X5u => "x5u",
            HeaderName::X5c => "x5c",
            HeaderName::X5t => "x5t",
            HeaderName::Zip => "zip",
            HeaderName::Enc => "enc",
            HeaderName::Nonce => "nonce",
            HeaderName::Other(t) => return t.decoded(),
        };
        s.to_owned()
    }
}

impl Name for ClaimName {
    fn name(&self) -> String {
        let s = match self {
            ClaimName::Iss => "iss",
            ClaimName::Sub => "sub",
            ClaimName::Aud => "aud",
            ClaimName::Exp => "exp",
            ClaimName::Nbf => "nbf",
            ClaimName::Iat => "iat",
            ClaimName::Jti => "jti",
            ClaimName::Scope => "scope",
            ClaimName::Scp => "scp",
            ClaimName::Other(t) => return t.decoded(),
        };
        s.to_owned()
    }
}

/// A JSON value to put in a member.
#[derive(Arbitrary, Debug)]
pub enum Value {
    Str(Text),
    Time(Time, TimeForm),
    Number(Number),
    Bool(bool),
    Null,
    Strings(Vec<Text>),
    Array(Vec<Leaf>),
    Object(Vec<(Text, Leaf)>),
    /// `depth` levels of arrays or objects around a leaf.
    Nested(u8, bool, Leaf),
    /// Any text at all (mostly not JSON).
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub enum Leaf {
    Str(Text),
    Time(Time, TimeForm),
    Number(Number),
    Bool(bool),
    Null,
    EmptyArray,
    EmptyObject,
}

impl Leaf {
    fn json(&self, now: u64) -> String {
        match self {
            Leaf::Str(t) => t.literal(),
            Leaf::Time(t, f) => f.render(t.seconds(now)),
            Leaf::Number(n) => n.render(),
            Leaf::Bool(b) => b.to_string(),
            Leaf::Null => "null".into(),
            Leaf::EmptyArray => "[]".into(),
            Leaf::EmptyObject => "{}".into(),
        }
    }
}

impl Value {
    fn json(&self, now: u64) -> String {
        match self {
            Value::Str(t) => t.literal(),
            Value::Time(t, f) => f.render(t.seconds(now)),
            Value::Number(n) => n.render(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".into(),
            Value::Strings(list) => {
                let items: Vec<String> = list.iter().take(8).map(Text::literal).collect();
                format!("[{}]", items.join(","))
            }
            Value::Array(list) => {
                let items: Vec<String> = list.iter().take(8).map(|l| l.json(now)).collect();
                format!("[{}]", items.join(","))
            }
            Value::Object(members) => {
                let items: Vec<String> = members
                    .iter()
                    .take(8)
                    .map(|(k, v)| format!("{}:{}", k.literal(), v.json(now)))
                    .collect();
                format!("{{{}}}", items.join(","))
            }
            Value::Nested(depth, objects, leaf) => {
                let depth = usize::from(*depth % 24);
                let (open, close) = if *objects {
                    ("{\"a\":", "}")
                } else {
                    ("[", "]")
                };
                format!(
                    "{}{}{}",
                    open.repeat(depth),
                    leaf.json(now),
                    close.repeat(depth)
                )
            }
            Value::Raw(s) => s.chars().take(64).collect(),
        }
    }
}

/// A number of any JSON shape: `-? int (.frac)? (e exp)?`.
#[derive(Arbitrary, Debug)]
pub struct Number {
    negative: bool,
    int: u64,
    frac: Option<u32>,
    exp: Option<i16>,
    leading_zero: bool,
}

impl Number {
    fn render(&self) -> String {
        let mut s = String::new();
        if self.negative {
            s.push('-');
        }
        if self.leading_zero {
            s.push('0'); // not JSON unless int is 0 and is dropped: "01" is refused
        }
        s.push_str(&self.int.to_string());
        if let Some(f) = self.frac {
            s.push_str(&format!(".{f}"));
        }
        if let Some(e) = self.exp {
            s.push_str(&format!("e{e}"));
        }
        s
    }
}

/// A point in time, relative to the clock, at least a minute away from it: results must not
/// depend on when jsonwebtoken reads its own clock.
#[derive(Arbitrary, Debug)]
pub enum Time {
    HoursAgo(u16),
    HoursAhead(u16),
    YearsAgo(u8),
    YearsAhead(u8),
    Epoch,
    Y2100,
    U64Max,
    Seconds(u64),
}

impl Time {
    fn seconds(&self, now: u64) -> u64 {
        const HOUR: u64 = 3600;
        const YEAR: u64 = 365 * 86_400;
        match *self {
            Time::HoursAgo(h) => now.saturating_sub(HOUR * (u64::from(h) + 1)),
            Time::HoursAhead(h) => now.saturating_add(HOUR * (u64::from(h) + 1)),
            Time::YearsAgo(y) => now.saturating_sub(YEAR * (u64::from(y % 50) + 1)),
            Time::YearsAhead(y) => now.saturating_add(YEAR * (u64::from(y) + 1)),
            Time::Epoch => 0,
            Time::Y2100 => 4_102_444_800,
            Time::U64Max => u64::MAX,
            Time::Seconds(s) if s.abs_diff(now) < 60 => s.saturating_add(HOUR),
            Time::Seconds(s) => s,
        }
    }
}

/// How a NumericDate is written.
#[derive(Arbitrary, Debug)]
pub enum TimeForm {
    Integer,
    /// `seconds.fraction`.
    Fraction(u16),
    /// `d.ddde9`: the same value in exponent form.
    Exponent,
    /// `seconds0e-1`.
    Scaled,
    /// One more than the value written, as `2^64` would be.
    PlusOneDigit,
    Negative,
    /// `"seconds"`.
    Quoted,
    /// `1e400`, beyond any double.
    Huge,
}

impl TimeForm {
    fn render(&self, v: u64) -> String {
        let digits = v.to_string();
        match self {
            TimeForm::Integer => digits,
            TimeForm::Fraction(f) => format!("{digits}.{f}"),
            TimeForm::Exponent => {
                let (first, rest) = digits.split_at(1);
                let rest = if rest.is_empty() { "0" } else { rest };
                format!("{first}.{rest}e{}", digits.len() - 1)
            }
            TimeForm::Scaled => format!("{digits}0e-1"),
            TimeForm::PlusOneDigit => format!("{}", u128::from(v) + 1),
            TimeForm::Negative => format!("-{digits}"),
            TimeForm::Quoted => format!("\"{digits}\""),
            TimeForm::Huge => "1e400".into(),
        }
    }
}

/// A string, as a known value of the JOSE world or anything, spelled in some way.
#[derive(Arbitrary, Debug)]
pub struct Text {
    base: TextBase,
    spell: Spell,
}

#[derive(Arbitrary, Debug)]
pub enum TextBase {
    Known(Known),
    Other(String),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Known {
    Iss,
    Aud,
    OtherAud,
    Open,
    Status,
    OpenStatus,
    None,
    Es256,
    Rs256,
    Hs256,
    Hs384,
    Jwt,
    AtJwt,
    EsKid,
    RsKid,
    HsKid,
    Exp,
    Empty,
    Space,
}

impl Known {
    fn text(self) -> &'static str {
        match self {
            Known::Iss => ISS,
            Known::Aud => AUD,
            Known::OtherAud => "door-18",
            Known::Open => "door:open",
            Known::Status => "door:status",
            Known::OpenStatus => "door:open door:status",
            Known::None => "none",
            Known::Es256 => "ES256",
            Known::Rs256 => "RS256",
            Known::Hs256 => "HS256",
            Known::Hs384 => "HS384",
            Known::Jwt => "JWT",
            Known::AtJwt => "at+jwt",
            Known::EsKid => ES256_KID,
            Known::RsKid => RSA2048_KID,
            Known::HsKid => HS256_KID,
            Known::Exp => "exp",
            Known::Empty => "",
            Known::Space => " ",
        }
    }
}

/// How a string is written in JSON, or changed.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Spell {
    Plain,
    /// The character at this index as a `\u` escape.
    EscapeAt(u8),
    AllEscaped,
    /// `/` as `\/`.
    Slash,
    Upper,
    Lower,
    LeadingSpace,
    TrailingSpace,
    AppendNul,
    /// Appends U+1F600 as a surrogate pair escape.
    AppendPair,
    /// Appends an unpaired `\ud800` (not JSON).
    LoneSurrogate,
    /// A raw tab inside the string (not JSON).
    RawTab,
}

fn escape_char(c: char) -> String {
    let mut units = [0u16; 2];
    c.encode_utf16(&mut units)
        .iter()
        .map(|u| format!("\\u{u:04x}"))
        .collect()
}

impl Text {
    fn base(&self) -> String {
        match &self.base {
            TextBase::Known(k) => k.text().to_owned(),
            TextBase::Other(s) => s.chars().take(40).collect(),
        }
    }

    /// The string the JSON literal stands for, when it is valid JSON.
    pub fn decoded(&self) -> String {
        spelled(&self.base(), self.spell).0
    }

    /// The JSON string literal, quotes included.
    pub fn literal(&self) -> String {
        spelled(&self.base(), self.spell).1
    }
}

/// `(decoded, literal)` of `s` spelled with `spell`.
pub fn spelled(s: &str, spell: Spell) -> (String, String) {
    let plain = |s: &str| serde_json::to_string(s).unwrap();
    match spell {
        Spell::Plain => (s.to_owned(), plain(s)),
        Spell::EscapeAt(i) => {
            let n = s.chars().count();
            if n == 0 {
                return (String::new(), plain(s));
            }
            let at = usize::from(i) % n;
            let mut lit = String::from("\"");
            for (j, c) in s.chars().enumerate() {
                if j == at {
                    lit.push_str(&escape_char(c));
                } else {
                    let p = plain(&c.to_string());
                    lit.push_str(&p[1..p.len() - 1]);
                }
            }
            lit.push('"');
            (s.to_owned(), lit)
        }
        Spell::AllEscaped => (
            s.to_owned(),
            format!("\"{}\"", s.chars().map(escape_char).collect::<String>()),
        ),
        Spell::Slash => (s.to_owned(), plain(s).replace('/', "\\/")),
        Spell::Upper => (s.to_uppercase(), plain(&s.to_uppercase())),
        Spell::Lower => (s.to_lowercase(), plain(&s.to_lowercase())),
        Spell::LeadingSpace => (format!(" {s}"), plain(&format!(" {s}"))),
        Spell::TrailingSpace => (format!("{s} "), plain(&format!("{s} "))),
        Spell::AppendNul => (format!("{s}\0"), plain(&format!("{s}\0"))),
        Spell::AppendPair => {
            let p = plain(s);
            (
                format!("{s}\u{1f600}"),
                format!("{}\\ud83d\\ude00\"", &p[..p.len() - 1]),
            )
        }
        Spell::LoneSurrogate => {
            let p = plain(s);
            (s.to_owned(), format!("{}\\ud800\"", &p[..p.len() - 1]))
        }
        Spell::RawTab => {
            let p = plain(s);
            (s.to_owned(), format!("{}\t\"", &p[..p.len() - 1]))
        }
    }
}

/// How a whole JSON document is laid out.
#[derive(Arbitrary, Debug)]
pub enum Layout {
    Spaced,
    Newlines,
    LeadingSpace,
    TrailingNewline,
    TrailingGarbage(u8),
    ByteOrderMark,
    /// The object inside an array.
    InArray,
    Empty,
}

/// How a segment is base64url-encoded, when not canonically.
#[derive(Arbitrary, Debug)]
pub enum Encoding {
    Padded,
    /// `+` and `/` for `-` and `_`.
    StandardAlphabet,
    Whitespace(u8, bool),
    /// Non-zero unused bits in the last character.
    TrailingBits,
    DropLast,
    AppendChar(u8),
    /// The bytes themselves, not encoded.
    Unencoded,
}

/// How the token is signed, when not by the key its final `alg` names.
#[derive(Arbitrary, Debug)]
pub enum Signing {
    /// The signature of the unmutated token.
    Original,
    /// A key of the same algorithm that was never provisioned.
    UnprovisionedKey,
    /// The key of this algorithm, whatever the header says.
    KeyOf(Alg),
    /// HMAC keyed with the bytes of a provisioned public key (RS/HS and ES/HS confusion).
    HmacWithPublicKey(bool),
    FlipBit(u16, u8),
    Truncate(u16),
    Extend(u8),
    Empty,
    /// ES256: `s` replaced by `n - s` (valid ECDSA as well).
    HighS,
    /// ES256: the signature DER-encoded instead of `r || s`.
    Der,
}

/// The token's segments, when not exactly three.
#[derive(Arbitrary, Debug)]
pub enum Shape {
    NoSignature,
    ExtraSegment,
    TrailingDot,
    LeadingDot,
    TrailingNewline,
    Empty,
}

/// One member: the decoded name, the name as written, the value as written.
struct Member {
    name: String,
    literal: String,
    value: String,
}

fn member(name: &str, value: String) -> Member {
    Member {
        name: name.to_owned(),
        literal: serde_json::to_string(name).unwrap(),
        value,
    }
}

fn apply<N: Name>(members: &mut Vec<Member>, ops: &[Op<N>], now: u64) {
    for op in ops.iter().take(MAX_OPS) {
        match op {
            Op::Set(n, v) => {
                let name = n.name();
                let value = v.json(now);
                match members.iter_mut().find(|m| m.name == name) {
                    Some(m) => m.value = value,
                    None => members.push(member(&name, value)),
                }
            }
            Op::Remove(n) => {
                let name = n.name();
                members.retain(|m| m.name != name);
            }
            Op::Duplicate(n, v, spell) => {
                let name = n.name();
                let (decoded, literal) = spelled(&name, *spell);
                members.push(Member {
                    name: decoded,
                    literal,
                    value: v.json(now),
                });
            }
            Op::Rename(n, spell) => {
                let name = n.name();
                if let Some(m) = members.iter_mut().find(|m| m.name == name) {
                    let (decoded, literal) = spelled(&name, *spell);
                    m.name = decoded;
                    m.literal = literal;
                }
            }
            Op::Move(n, to) => {
                let name = n.name();
                if let Some(i) = members.iter().position(|m| m.name == name) {
                    let m = members.remove(i);
                    let to = usize::from(*to) % (members.len() + 1);
                    members.insert(to, m);
                }
            }
        }
    }
}

fn render(members: &[Member], layout: Option<&Layout>) -> Vec<u8> {
    let (colon, comma) = match layout {
        Some(Layout::Spaced) => (": ", ", "),
        Some(Layout::Newlines) => (":", ",\n  "),
        _ => (":", ","),
    };
    let body: Vec<String> = members
        .iter()
        .map(|m| format!("{}{colon}{}", m.literal, m.value))
        .collect();
    let object = format!("{{{}}}", body.join(comma));
    let mut bytes = match layout {
        None | Some(Layout::Spaced | Layout::Newlines) => object,
        Some(Layout::LeadingSpace) => format!(" {object}"),
        Some(Layout::TrailingNewline) => format!("{object}\n"),
        Some(Layout::TrailingGarbage(_)) => object,
        Some(Layout::ByteOrderMark) => format!("\u{feff}{object}"),
        Some(Layout::InArray) => format!("[{object}]"),
        Some(Layout::Empty) => String::new(),
    }
    .into_bytes();
    if let Some(Layout::TrailingGarbage(b)) = layout {
        // A raw byte, possibly not UTF-8.
        bytes.push(*b);
    }
    bytes
}

fn encode(bytes: &[u8], encoding: Option<&Encoding>) -> String {
    let canonical = b64(bytes);
    match encoding {
        None => canonical,
        Some(Encoding::Padded) => {
            let pad = (4 - canonical.len() % 4) % 4;
            format!("{canonical}{}", "=".repeat(pad.max(1)))
        }
        Some(Encoding::StandardAlphabet) => canonical.replace('-', "+").replace('_', "/"),
        Some(Encoding::Whitespace(at, newline)) => {
            let at = usize::from(*at) % (canonical.len() + 1);
            let ws = if *newline { "\n" } else { " " };
            format!("{}{ws}{}", &canonical[..at], &canonical[at..])
        }
        Some(Encoding::TrailingBits) => {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut s = canonical.into_bytes();
            if let Some(last) = s.last_mut() {
                let i = ALPHABET.iter().position(|c| c == last).unwrap();
                *last = ALPHABET[i | 1];
            }
            String::from_utf8(s).unwrap()
        }
        Some(Encoding::DropLast) => {
            let mut s = canonical;
            s.pop();
            s
        }
        Some(Encoding::AppendChar(c)) => format!("{canonical}{}", char::from(*c)),
        Some(Encoding::Unencoded) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The JSON texts before encoding, and the token.
pub struct Built {
    pub header: Vec<u8>,
    pub claims: Vec<u8>,
    pub token: String,
}

impl Case {
    /// The token at clock `now`: times are relative to it.
    pub fn build(&self, now: u64) -> Built {
        let mut header = vec![member("alg", format!("\"{}\"", self.alg.name()))];
        if self.kid {
            header.push(member("kid", format!("\"{}\"", self.alg.kid())));
        }
        header.push(member("typ", "\"JWT\"".into()));
        let mut claims = vec![
            member("iss", format!("\"{ISS}\"")),
            member("sub", "\"device-operator\"".into()),
            member("aud", format!("\"{AUD}\"")),
            member("iat", (now - 3600).to_string()),
            member("exp", (now + 365 * 86_400).to_string()),
            member("scope", "\"door:open door:status\"".into()),
            member("jti", "\"fuzz-1\"".into()),
        ];
        let original = format!(
            "{}.{}",
            b64(&render(&header, None)),
            b64(&render(&claims, None))
        );
        apply(&mut header, &self.header_ops, now);
        apply(&mut claims, &self.claim_ops, now);
        // The key is the one the final `alg` names, if it names one.
        let alg = header
            .iter()
            .find(|m| m.name == "alg")
            .and_then(|m| serde_json::from_str::<String>(&m.value).ok())
            .and_then(|a| Alg::from_name(&a))
            .unwrap_or(self.alg);
        let header_json = render(&header, self.header_layout.as_ref());
        let claims_json = render(&claims, self.claims_layout.as_ref());
        let input = format!(
            "{}.{}",
            encode(&header_json, self.encodings[0].as_ref()),
            encode(&claims_json, self.encodings[1].as_ref())
        );
        let signature = sign(alg, self.signing.as_ref(), &input, &original);
        let signature = encode(&signature, self.encodings[2].as_ref());
        let token = match self.shape {
            None => format!("{input}.{signature}"),
            Some(Shape::NoSignature) => input,
            Some(Shape::ExtraSegment) => format!("{input}.{signature}.e30"),
            Some(Shape::TrailingDot) => format!("{input}.{signature}."),
            Some(Shape::LeadingDot) => format!(".{input}.{signature}"),
            Some(Shape::TrailingNewline) => format!("{input}.{signature}\n"),
            Some(Shape::Empty) => String::new(),
        };
        Built {
            header: header_json,
            claims: claims_json,
            token,
        }
    }
}

/// A signature by the sample key of `alg`.
pub fn sign_with(alg: Alg, input: &[u8]) -> Vec<u8> {
    match alg {
        Alg::Es256 => setup::es256_sign(&setup::ES256_SIGNING, input),
        Alg::Rs256 => setup::rs256_sign(&setup::RSA2048_SIGNING, input),
        Alg::Hs256 => setup::hmac_sha256(&setup::HS256_SECRET, input),
    }
}

fn sign(alg: Alg, signing: Option<&Signing>, input: &str, original: &str) -> Vec<u8> {
    let input = input.as_bytes();
    let right = || sign_with(alg, input);
    match signing {
        None => right(),
        Some(Signing::Original) => sign_with(alg, original.as_bytes()),
        Some(Signing::UnprovisionedKey) => match alg {
            Alg::Es256 => setup::es256_sign(&setup::ES256_OTHER, input),
            Alg::Rs256 => setup::rs256_sign(&setup::RSA3072_SIGNING, input),
            Alg::Hs256 => setup::hmac_sha256(&[0x5a; 32], input),
        },
        Some(Signing::KeyOf(other)) => sign_with(*other, input),
        Some(Signing::HmacWithPublicKey(rsa)) => {
            let secret: &[u8] = if *rsa {
                &setup::RSA2048_N
            } else {
                &setup::ES256_SEC1
            };
            setup::hmac_sha256(secret, input)
        }
        Some(Signing::FlipBit(at, mask)) => {
            let mut s = right();
            let len = s.len();
            s[usize::from(*at) % len] ^= (*mask).max(1);
            s
        }
        Some(Signing::Truncate(n)) => {
            let mut s = right();
            s.truncate(usize::from(*n) % s.len());
            s
        }
        Some(Signing::Extend(b)) => {
            let mut s = right();
            s.push(*b);
            s
        }
        Some(Signing::Empty) => Vec::new(),
        Some(Signing::HighS) if alg == Alg::Es256 => {
            let s = right();
            let sig = p256::ecdsa::Signature::from_slice(&s).unwrap();
            let (r, s) = sig.split_scalars();
            let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
            high.to_bytes().to_vec()
        }
        Some(Signing::Der) if alg == Alg::Es256 => {
            let s = right();
            let sig = p256::ecdsa::Signature::from_slice(&s).unwrap();
            sig.to_der().as_bytes().to_vec()
        }
        Some(Signing::HighS | Signing::Der) => right(),
    }
}
