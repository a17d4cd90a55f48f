//! Registered claims (RFC 7519 §4.1) and OAuth scopes: read from the validated claims object in
//! two steps. [`RawClaims`] keeps strings escaped in the payload buffer, so the policy can be
//! checked before any byte of scratch is used; [`Claims`] is the caller's view, with escaped
//! strings decoded into scratch by [`Arena`].

use crate::arena::{Arena, StrList};
use crate::error::{Error, Part};
use crate::json::{Array, JsonStr, Object, Value, names_of};

/// A JSON NumericDate (RFC 7519 §2): seconds since the Unix epoch, possibly fractional.
///
/// Kept as whole seconds rounded down plus whether a fraction was present, so comparisons with
/// an integer clock are exact: a token with `exp` 100.5 is still valid at 100 and expired at 101.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NumericDate {
    seconds: u64,
    fractional: bool,
}

impl NumericDate {
    /// A whole number of seconds.
    pub const fn from_seconds(seconds: u64) -> Self {
        Self {
            seconds,
            fractional: false,
        }
    }

    /// Whole seconds, rounded down.
    pub const fn seconds(self) -> u64 {
        self.seconds
    }

    /// Whether the JSON value had a non-zero fraction.
    pub const fn is_fractional(self) -> bool {
        self.fractional
    }

    /// The first whole second at or after this date.
    pub(crate) const fn ceil(self) -> u64 {
        if self.fractional {
            self.seconds.saturating_add(1)
        } else {
            self.seconds
        }
    }

    /// Parses the text of a JSON number that passed the validator. `None` for negative values
    /// (even `-0`) and for values of 2^64 seconds or more.
    pub(crate) fn from_json_number(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.first() == Some(&b'-') {
            return None;
        }
        let mantissa_end = bytes
            .iter()
            .position(|b| matches!(b, b'e' | b'E'))
            .unwrap_or(bytes.len());
        let (mantissa, exponent) = bytes.split_at(mantissa_end);
        let exponent = parse_exponent(exponent.get(1..).unwrap_or(&[]));
        let (int_digits, frac_digits) = match mantissa.iter().position(|&b| b == b'.') {
            Some(dot) => (mantissa.get(..dot)?, mantissa.get(dot.checked_add(1)?..)?),
            None => (mantissa, &[][..]),
        };
        // Digits left of this index (in int_digits ++ frac_digits) are the integer part.
        let int_len = i64::try_from(int_digits.len()).ok()?;
        let point = int_len.saturating_add(exponent);
        let mut seconds = 0u64;
        let mut fractional = false;
        let mut index = 0i64;
        for &digit in int_digits.iter().chain(frac_digits) {
            let d = u64::from(digit.checked_sub(b'0')?);
            if index < point {
                seconds = seconds.checked_mul(10)?.checked_add(d)?;
            } else if d != 0 {
                fractional = true;
            }
            index = index.saturating_add(1);
        }
        // Integer positions past the written digits are zeros: 15e8 = 1500000000.
        let mut missing = point.saturating_sub(index);
        while missing > 0 && seconds != 0 {
            seconds = seconds.checked_mul(10)?;
            missing = missing.saturating_sub(1);
        }
        Some(Self {
            seconds,
            fractional,
        })
    }
}

/// Decimal exponent digits (with optional sign), saturated far beyond any meaningful value.
fn parse_exponent(text: &[u8]) -> i64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let magnitude = digits.iter().fold(0i64, |acc, &b| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(b.wrapping_sub(b'0')))
            .min(1 << 32)
    });
    if negative {
        magnitude.saturating_neg()
    } else {
        magnitude
    }
}

/// A claim that may be one string or an array of strings (`aud`, `scope`, `scp`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum RawStrings<'a> {
    #[default]
    Absent,
    One(JsonStr<'a>),
    Many(Array<'a>),
}

impl<'a> RawStrings<'a> {
    fn from_value(value: Value<'a>, name: &'static str) -> Result<Self, Error> {
        let invalid = Error::InvalidMember {
            part: Part::Claims,
            name,
        };
        match value {
            Value::Str(s) => Ok(RawStrings::One(s)),
            Value::Array(array) => {
                for element in array.elements() {
                    match element.map_err(|e| e.at(Part::Claims))? {
                        Value::Str(_) => {}
                        _ => return Err(invalid),
                    }
                }
                Ok(RawStrings::Many(array))
            }
            _ => Err(invalid),
        }
    }

    /// Each string, still escaped. Elements were type-checked by `from_value`.
    fn each(&self, mut f: impl FnMut(JsonStr<'a>) -> bool) -> bool {
        match self {
            RawStrings::Absent => false,
            RawStrings::One(s) => f(*s),
            RawStrings::Many(array) => array.elements().any(|v| match v {
                Ok(Value::Str(s)) => f(s),
                _ => false,
            }),
        }
    }
}

/// The registered claims as found in the payload, strings still escaped.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RawClaims<'a> {
    pub(crate) iss: Option<JsonStr<'a>>,
    pub(crate) sub: Option<JsonStr<'a>>,
    pub(crate) jti: Option<JsonStr<'a>>,
    pub(crate) aud: RawStrings<'a>,
    pub(crate) exp: Option<NumericDate>,
    pub(crate) nbf: Option<NumericDate>,
    pub(crate) iat: Option<NumericDate>,
    pub(crate) scope: RawStrings<'a>,
    pub(crate) scp: RawStrings<'a>,
    /// The whole claims set, as signed.
    pub(crate) text: &'a str,
}

impl<'a> RawClaims<'a> {
    /// Validates a claims object and reads its registered claims, in one pass. Other
    /// members are left to the caller's claims type. Each registered claim must have its
    /// registered JSON type.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn parse(json: &'a [u8]) -> Result<Self, Error> {
        let mut claims = RawClaims::default();
        claims.read(json)?;
        Ok(claims)
    }

    /// [`RawClaims::parse`] into `self`, which starts as [`RawClaims::default`]: the verifier
    /// reads into its own frame, where a returned `RawClaims` would be copied (96 bytes more
    /// stack on Cortex-M4).
    pub(crate) fn read(&mut self, json: &'a [u8]) -> Result<(), Error> {
        let claims = self;
        let object = Object::read(json, Part::Claims, |name, value| {
            let Some((known, claim)) = name.lookup(&CLAIMS, &CLAIM_NAMES) else {
                return Ok(());
            };
            let invalid = Error::InvalidMember {
                part: Part::Claims,
                name: known,
            };
            match claim {
                Claim::Iss | Claim::Sub | Claim::Jti => {
                    let Value::Str(s) = value else {
                        return Err(invalid);
                    };
                    let slot = match claim {
                        Claim::Iss => &mut claims.iss,
                        Claim::Sub => &mut claims.sub,
                        _ => &mut claims.jti,
                    };
                    *slot = Some(s);
                }
                Claim::Exp | Claim::Nbf | Claim::Iat => {
                    let Value::Num(n) = value else {
                        return Err(invalid);
                    };
                    let date = NumericDate::from_json_number(n).ok_or(invalid)?;
                    let slot = match claim {
                        Claim::Exp => &mut claims.exp,
                        Claim::Nbf => &mut claims.nbf,
                        _ => &mut claims.iat,
                    };
                    *slot = Some(date);
                }
                Claim::Aud => claims.aud = RawStrings::from_value(value, known)?,
                Claim::Scope | Claim::Scp => {
                    let strings = RawStrings::from_value(value, known)?;
                    // A scope is a space-delimited list (RFC 6749 §3.3); as an array, no element
                    // may be empty or contain the delimiter.
                    if let RawStrings::Many(_) = strings {
                        let bad = strings
                            .each(|s| s.chars().next().is_none() || s.chars().any(|c| c == ' '));
                        if bad {
                            return Err(invalid);
                        }
                    }
                    if let Claim::Scope = claim {
                        claims.scope = strings;
                    } else {
                        claims.scp = strings;
                    }
                }
            }
            Ok(())
        })?;
        claims.text = object.text();
        Ok(())
    }

    /// Whether `aud` contains `audience` exactly.
    pub(crate) fn has_audience(&self, audience: &str) -> bool {
        self.aud.each(|s| s.eq_str(audience))
    }

    /// Whether `scope` or `scp` grants `wanted`.
    pub(crate) fn has_scope(&self, wanted: &str) -> bool {
        let check = |s: JsonStr<'_>| contains_token(s, wanted);
        self.scope.each(check) || self.scp.each(check)
    }

    /// Decodes the strings into `arena` for the caller's view.
    pub(crate) fn decode<'s>(&self, arena: &mut Arena<'s>) -> Result<Claims<'s>, Error>
    where
        'a: 's,
    {
        let mut one = |s: Option<JsonStr<'a>>| s.map(|s| arena.str(s)).transpose();
        let iss = one(self.iss)?;
        let sub = one(self.sub)?;
        let jti = one(self.jti)?;
        let aud = match self.aud {
            RawStrings::Absent => Audience::Absent,
            RawStrings::One(s) => Audience::One(arena.str(s)?),
            RawStrings::Many(array) => Audience::Many(arena.list(array)?),
        };
        let mut scopes = |raw: RawStrings<'a>| match raw {
            RawStrings::Absent => Ok(""),
            RawStrings::One(s) => arena.str(s),
            RawStrings::Many(array) => arena.joined(array),
        };
        let scope = scopes(self.scope)?;
        let scp = scopes(self.scp)?;
        Ok(Claims {
            iss,
            sub,
            jti,
            aud,
            exp: self.exp,
            nbf: self.nbf,
            iat: self.iat,
            scopes: Scopes { scope, scp },
        })
    }
}

/// The registered claims the verifier reads (and `scope`/`scp`), by name.
#[derive(Clone, Copy)]
enum Claim {
    Iss,
    Sub,
    Jti,
    Aud,
    Exp,
    Nbf,
    Iat,
    Scope,
    Scp,
}

const CLAIMS: [(&str, Claim); 9] = [
    ("iss", Claim::Iss),
    ("sub", Claim::Sub),
    ("jti", Claim::Jti),
    ("aud", Claim::Aud),
    ("exp", Claim::Exp),
    ("nbf", Claim::Nbf),
    ("iat", Claim::Iat),
    ("scope", Claim::Scope),
    ("scp", Claim::Scp),
];
const CLAIM_NAMES: [&str; 9] = names_of(&CLAIMS);

/// Whether the space-delimited list `list` has `wanted` as one of its tokens.
fn contains_token(list: JsonStr<'_>, wanted: &str) -> bool {
    if wanted.is_empty() || wanted.contains(' ') {
        return false;
    }
    let mut chars = list.chars().peekable();
    while chars.peek().is_some() {
        let mut token = chars.by_ref().take_while(|&c| c != ' ');
        let mut want = wanted.chars();
        let equal = loop {
            match (token.next(), want.next()) {
                (None, None) => break true,
                (Some(a), Some(b)) if a == b => {}
                _ => break false,
            }
        };
        // Drain what is left of this token.
        token.for_each(drop);
        if equal {
            return true;
        }
    }
    false
}

/// The audience claim (`aud`): absent, one string, or an array of strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience<'a> {
    /// The token has no `aud`.
    Absent,
    /// `aud` is a single string.
    One(&'a str),
    /// `aud` is an array of strings (possibly empty).
    Many(StrList<'a>),
}

impl<'a> Audience<'a> {
    /// Each audience, in token order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (one, many) = match *self {
            Audience::Absent => (None, StrList::EMPTY),
            Audience::One(s) => (Some(s), StrList::EMPTY),
            Audience::Many(list) => (None, list),
        };
        one.into_iter().chain(many.iter())
    }

    /// Whether `aud` contains `audience` exactly.
    pub fn contains(&self, audience: &str) -> bool {
        self.iter().any(|a| a == audience)
    }
}

/// The scopes granted by the token: the space-delimited `scope` string, or a JSON array in
/// `scope` or `scp` (both are read when both are present).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Scopes<'a> {
    scope: &'a str,
    scp: &'a str,
}

impl<'a> Scopes<'a> {
    /// Each scope, in token order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.scope
            .split(' ')
            .chain(self.scp.split(' '))
            .filter(|s| !s.is_empty())
    }

    /// Whether `scope` is granted (exact, case-sensitive match of one token).
    pub fn contains(&self, scope: &str) -> bool {
        !scope.is_empty() && self.iter().any(|s| s == scope)
    }

    /// The decoded `scope` and `scp` claims, each one space-delimited list (an array's elements
    /// joined with single spaces), `""` when absent: for bindings that keep the scopes as two
    /// strings (the C API) and rebuild them with [`Scopes::from_lists`].
    pub const fn lists(&self) -> (&'a str, &'a str) {
        (self.scope, self.scp)
    }

    /// Scopes from two space-delimited lists, as [`Scopes::lists`] gives them.
    pub const fn from_lists(scope: &'a str, scp: &'a str) -> Self {
        Self { scope, scp }
    }
}

/// The registered claims of a verified token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claims<'a> {
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    jti: Option<&'a str>,
    aud: Audience<'a>,
    exp: Option<NumericDate>,
    nbf: Option<NumericDate>,
    iat: Option<NumericDate>,
    scopes: Scopes<'a>,
}

impl<'a> Claims<'a> {
    /// `iss`: the issuer.
    pub fn iss(&self) -> Option<&'a str> {
        self.iss
    }
    /// `sub`: the subject.
    pub fn sub(&self) -> Option<&'a str> {
        self.sub
    }
    /// `jti`: the token's unique identifier.
    pub fn jti(&self) -> Option<&'a str> {
        self.jti
    }
    /// `aud`: the audience(s).
    pub fn aud(&self) -> Audience<'a> {
        self.aud
    }
    /// `exp`: expiration time.
    pub fn exp(&self) -> Option<NumericDate> {
        self.exp
    }
    /// `nbf`: not-before time.
    pub fn nbf(&self) -> Option<NumericDate> {
        self.nbf
    }
    /// `iat`: issued-at time.
    pub fn iat(&self) -> Option<NumericDate> {
        self.iat
    }
    /// Scopes from `scope` and `scp`.
    pub fn scopes(&self) -> Scopes<'a> {
        self.scopes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn date(text: &str) -> Option<(u64, bool)> {
        NumericDate::from_json_number(text).map(|d| (d.seconds(), d.is_fractional()))
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(date("0"), Some((0, false)));
        assert_eq!(date("1516239022"), Some((1516239022, false)));
        assert_eq!(date("1516239022.0"), Some((1516239022, false)));
        assert_eq!(date("1516239022.25"), Some((1516239022, true)));
        assert_eq!(date("1.5e9"), Some((1_500_000_000, false)));
        assert_eq!(date("15E8"), Some((1_500_000_000, false)));
        assert_eq!(date("1.5e+1"), Some((15, false)));
        assert_eq!(date("15e-1"), Some((1, true)));
        assert_eq!(date("1e-400"), Some((0, true)));
        assert_eq!(date("0e99999999999999999999"), Some((0, false)));
        assert_eq!(date("0.000001e3"), Some((0, true)));
        assert_eq!(date("18446744073709551615"), Some((u64::MAX, false)));
        assert_eq!(date("18446744073709551615.9"), Some((u64::MAX, true)));
        assert_eq!(date("18446744073709551616"), None);
        assert_eq!(date("1e20"), None);
        assert_eq!(date("1e19"), Some((10_000_000_000_000_000_000, false)));
        assert_eq!(date("184467440737095516150e-1"), Some((u64::MAX, false)));
        assert_eq!(date("1e99999999999999999999"), None);
        assert_eq!(date("-1"), None);
        assert_eq!(date("-0"), None);
        assert_eq!(date("-0.0"), None);
    }

    #[test]
    fn ceil_is_exact() {
        let d = NumericDate::from_json_number("100.5").unwrap();
        assert_eq!(d.ceil(), 101);
        assert_eq!(NumericDate::from_seconds(100).ceil(), 100);
        assert_eq!(
            NumericDate::from_json_number("18446744073709551615.5")
                .unwrap()
                .ceil(),
            u64::MAX
        );
    }

    fn raw(text: &str) -> Result<RawClaims<'_>, Error> {
        RawClaims::parse(text.as_bytes())
    }

    #[test]
    fn scopes_as_string_or_array() {
        let c = raw(r#"{"scope":"door:open  door:close"}"#).unwrap();
        assert!(c.has_scope("door:open"));
        assert!(c.has_scope("door:close"));
        assert!(!c.has_scope("door"));
        assert!(!c.has_scope("door:open door:close"));
        assert!(!c.has_scope(""));
        let c = raw(r#"{"scp":["a","door:\u006fpen"]}"#).unwrap();
        assert!(c.has_scope("door:open"));
        assert!(!c.has_scope("door:ope"));
        assert_eq!(
            raw(r#"{"scope":["a b"]}"#).unwrap_err(),
            Error::InvalidMember {
                part: Part::Claims,
                name: "scope"
            }
        );
        assert_eq!(
            raw(r#"{"scope":[""]}"#).unwrap_err(),
            Error::InvalidMember {
                part: Part::Claims,
                name: "scope"
            }
        );
        assert_eq!(
            raw(r#"{"scp":1}"#).unwrap_err(),
            Error::InvalidMember {
                part: Part::Claims,
                name: "scp"
            }
        );
    }

    #[test]
    fn registered_types_are_enforced() {
        for (text, name) in [
            (r#"{"exp":"1"}"#, "exp"),
            (r#"{"exp":true}"#, "exp"),
            (r#"{"exp":-1}"#, "exp"),
            (r#"{"exp":1e30}"#, "exp"),
            (r#"{"nbf":null}"#, "nbf"),
            (r#"{"iat":[1]}"#, "iat"),
            (r#"{"iss":1}"#, "iss"),
            (r#"{"sub":{}}"#, "sub"),
            (r#"{"jti":false}"#, "jti"),
            (r#"{"aud":1}"#, "aud"),
            (r#"{"aud":["a",1]}"#, "aud"),
            (r#"{"aud":[["a"]]}"#, "aud"),
        ] {
            assert_eq!(
                raw(text).unwrap_err(),
                Error::InvalidMember {
                    part: Part::Claims,
                    name
                },
                "{text}"
            );
        }
        let c = raw(r#"{"expiry":1,"\u0065xp":5}"#).unwrap();
        assert_eq!(c.exp, Some(NumericDate::from_seconds(5)));
    }

    #[test]
    fn decode_into_arena() {
        let text = r#"{"iss":"https:\/\/auth.spookysrv.com\/oidc\/","sub":"plain","aud":["a\/b","c"],"scope":["x","y"],"scp":"z"}"#;
        let c = raw(text).unwrap();
        let mut scratch = [0u8; 64];
        let mut arena = Arena::new(&mut scratch);
        let v = c.decode(&mut arena).unwrap();
        assert_eq!(v.iss(), Some("https://auth.spookysrv.com/oidc/"));
        assert_eq!(v.sub(), Some("plain"));
        assert_eq!(v.aud().iter().collect::<Vec<_>>(), ["a/b", "c"]);
        assert!(v.aud().contains("a/b"));
        assert_eq!(v.scopes().iter().collect::<Vec<_>>(), ["x", "y", "z"]);
        let mut tiny = [0u8; 8];
        let mut arena = Arena::new(&mut tiny);
        assert_eq!(c.decode(&mut arena).unwrap_err(), Error::ScratchTooSmall);
    }
}
