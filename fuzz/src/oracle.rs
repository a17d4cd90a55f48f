//! Independent readings of the JSON layers, for the `header` and `claims` targets and the
//! differential's classifier: serde_json parses, this module applies the rules README.md states
//! (registered types, NumericDate range, policy), and the targets compare with tokengate's
//! verdict in both directions.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The `alg` values tokengate reads (default features: every algorithm; `Ed25519` is RFC 9864's
/// name for EdDSA on Ed25519). Any other value is `UnsupportedAlg`.
pub const SUPPORTED_ALGS: [&str; 13] = [
    "ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "HS256", "HS384",
    "HS512", "EdDSA", "Ed25519",
];

/// A JSON value as serde_json reads it, objects with every member in order (duplicates kept)
/// and numbers as their exact text.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    members.push((k, v));
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Parses one JSON text (RFC 8259, serde_json's grammar: strings fully decoded, so unpaired
/// surrogates are errors; numbers kept as text, so no range limit). `None` if serde_json
/// rejects it.
pub fn parse(text: &str) -> Option<Json> {
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    from_raw(raw.get())
}

fn from_raw(raw: &str) -> Option<Json> {
    Some(match raw.as_bytes().first()? {
        b'{' => {
            let Members(members) = serde_json::from_str(raw).ok()?;
            let mut out = Vec::with_capacity(members.len());
            for (name, value) in members {
                out.push((name, from_raw(value.get())?));
            }
            Json::Object(out)
        }
        b'[' => {
            let elements: Vec<&RawValue> = serde_json::from_str(raw).ok()?;
            Json::Array(
                elements
                    .into_iter()
                    .map(|e| from_raw(e.get()))
                    .collect::<Option<_>>()?,
            )
        }
        b'"' => Json::Str(serde_json::from_str(raw).ok()?),
        b't' => Json::Bool(true),
        b'f' => Json::Bool(false),
        b'n' => Json::Null,
        _ => Json::Num(raw.to_owned()),
    })
}

impl Json {
    /// Nesting depth, the top-level container counting 1.
    pub fn depth(&self) -> usize {
        match self {
            Json::Array(a) => 1 + a.iter().map(Json::depth).max().unwrap_or(0),
            Json::Object(o) => 1 + o.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The most member names open at once while the document is read in order: the names read
    /// so far of an object and of every object around it (what `tokengate::MAX_MEMBERS`
    /// bounds). `outer` is the count of the enclosing objects.
    pub fn max_open_members(&self, outer: usize) -> usize {
        match self {
            Json::Array(a) => a
                .iter()
                .map(|e| e.max_open_members(outer))
                .max()
                .unwrap_or(outer),
            Json::Object(o) => o
                .iter()
                .enumerate()
                .map(|(k, (_, v))| v.max_open_members(outer + k + 1))
                .max()
                .unwrap_or(outer),
            _ => outer,
        }
    }

    /// Whether more than `tokengate::MAX_MEMBERS` member names are open at some point.
    pub fn too_many_members(&self) -> bool {
        self.max_open_members(0) > tokengate::MAX_MEMBERS
    }

    /// Whether any object, at any depth, has a member name twice.
    pub fn has_duplicates(&self) -> bool {
        match self {
            Json::Array(a) => a.iter().any(Json::has_duplicates),
            Json::Object(o) => {
                let mut names = std::collections::HashSet::new();
                o.iter().any(|(k, _)| !names.insert(k.as_str()))
                    || o.iter().any(|(_, v)| v.has_duplicates())
            }
            _ => false,
        }
    }

    /// The first top-level member called `name`.
    pub fn member(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(o) => o.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as JSON text again (strings re-escaped by serde_json, numbers as read).
    pub fn to_text(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Num(n) => n.clone(),
            Json::Str(s) => serde_json::to_string(s).unwrap(),
            Json::Array(a) => format!(
                "[{}]",
                a.iter().map(Json::to_text).collect::<Vec<_>>().join(",")
            ),
            Json::Object(o) => format!(
                "{{{}}}",
                o.iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v.to_text()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a NumericDate, if it is one.
    pub fn date(&self) -> Option<(u64, bool)> {
        match self {
            Json::Num(text) => numeric_date(text),
            _ => None,
        }
    }
}

/// A JSON number text as a NumericDate (whole seconds rounded down, whether a non-zero fraction
/// was present), by decimal string arithmetic: `None` for negative numbers (`-0` too) and for
/// values of 2^64 or more. Written independently of tokengate's parser.
pub fn numeric_date(text: &str) -> Option<(u64, bool)> {
    if text.starts_with('-') {
        return None;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], parse_exponent(&text[i + 1..])),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        return Some((0, false));
    }
    // value = 0.trimmed * 10^point
    let point = int.len() as i64 + exponent - (digits.len() - trimmed.len()) as i64;
    if point > 20 {
        return None;
    }
    if point <= 0 {
        return Some((0, true));
    }
    let point = point as usize;
    let (whole, rest) = if point >= trimmed.len() {
        (
            format!("{trimmed}{}", "0".repeat(point - trimmed.len())),
            "",
        )
    } else {
        (trimmed[..point].to_owned(), &trimmed[point..])
    };
    let seconds = u64::try_from(whole.parse::<u128>().ok()?).ok()?;
    Some((seconds, rest.bytes().any(|b| b != b'0')))
}

fn parse_exponent(text: &str) -> i64 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = digits.trim_start_matches('0').parse::<i64>().map_or(
        if digits.trim_start_matches('0').is_empty() {
            0
        } else {
            1 << 40
        },
        |m| m.min(1 << 40),
    );
    if negative { -magnitude } else { magnitude }
}

/// `ceil` of a NumericDate, saturating like tokengate's.
pub fn ceil((seconds, fractional): (u64, bool)) -> u64 {
    seconds.saturating_add(u64::from(fractional))
}

/// Why a header is refused, by the rules of README.md ("What a verification checks", step 2).
pub fn header_verdict(json: Option<&Json>) -> Result<(), &'static str> {
    let json = json.ok_or("not JSON")?;
    let Json::Object(_) = json else {
        return Err("not an object");
    };
    if json.depth() > tokengate::MAX_DEPTH {
        return Err("too deep");
    }
    if json.too_many_members() {
        return Err("too many members");
    }
    if json.has_duplicates() {
        return Err("duplicate member");
    }
    if json.member("crit").is_some() {
        return Err("crit");
    }
    if json.member("b64").is_some() {
        return Err("b64");
    }
    match json.member("alg").map(Json::as_str) {
        Some(Some(alg)) if SUPPORTED_ALGS.contains(&alg) => {}
        None => return Err("no alg"),
        _ => return Err("bad alg"),
    }
    for name in ["kid", "typ"] {
        if json.member(name).is_some_and(|v| v.as_str().is_none()) {
            return Err("kid or typ not a string");
        }
    }
    Ok(())
}

/// Whether a registered claim's value has its registered type (README.md step 5).
pub fn registered_type_ok(name: &str, value: &Json) -> bool {
    let strings = |v: &Json, scope: bool| match v {
        Json::Str(_) => true,
        Json::Array(a) => a.iter().all(|e| match e {
            Json::Str(s) => !scope || (!s.is_empty() && !s.contains(' ')),
            _ => false,
        }),
        _ => false,
    };
    match name {
        "iss" | "sub" | "jti" => value.as_str().is_some(),
        "exp" | "nbf" | "iat" => value.date().is_some(),
        "aud" => strings(value, false),
        "scope" | "scp" => strings(value, true),
        _ => true,
    }
}

pub const REGISTERED: [&str; 9] = [
    "iss", "sub", "jti", "aud", "exp", "nbf", "iat", "scope", "scp",
];

/// Whether `scope` or `scp` grants `wanted` (a space-delimited string or an array).
pub fn grants(json: &Json, wanted: &str) -> bool {
    ["scope", "scp"].iter().any(|name| match json.member(name) {
        Some(Json::Str(s)) => s.split(' ').any(|t| t == wanted),
        Some(Json::Array(a)) => a.iter().any(|e| e.as_str() == Some(wanted)),
        _ => false,
    })
}

/// The policy of the `claims` target, by README.md step 6.
pub struct ClaimsPolicy<'a> {
    pub iss: &'a str,
    pub aud: &'a [&'a str],
    pub leeway: u64,
    pub max_age: Option<u64>,
    pub scope: &'a str,
}

/// Why claims are refused at `now`, by the rules of README.md (steps 5 and 6).
pub fn claims_verdict(
    json: Option<&Json>,
    p: &ClaimsPolicy<'_>,
    now: u64,
) -> Result<(), &'static str> {
    let json = json.ok_or("not JSON")?;
    let Json::Object(_) = json else {
        return Err("not an object");
    };
    if json.depth() > tokengate::MAX_DEPTH {
        return Err("too deep");
    }
    if json.too_many_members() {
        return Err("too many members");
    }
    if json.has_duplicates() {
        return Err("duplicate member");
    }
    for name in REGISTERED {
        if json
            .member(name)
            .is_some_and(|v| !registered_type_ok(name, v))
        {
            return Err("registered claim of the wrong type");
        }
    }
    let date = |name| json.member(name).and_then(Json::date);
    let exp = date("exp").ok_or("no exp")?;
    if now >= ceil(exp).saturating_add(p.leeway) {
        return Err("expired");
    }
    let skewed = now.saturating_add(p.leeway);
    if date("nbf").is_some_and(|nbf| skewed < ceil(nbf)) {
        return Err("not yet valid");
    }
    if date("iat").is_some_and(|iat| skewed < ceil(iat)) {
        return Err("issued in the future");
    }
    if let Some(max_age) = p.max_age {
        let iat = date("iat").ok_or("no iat")?;
        if now > iat.0.saturating_add(max_age).saturating_add(p.leeway) {
            return Err("too old");
        }
    }
    if json.member("iss").and_then(Json::as_str) != Some(p.iss) {
        return Err("issuer");
    }
    let aud_ok = match json.member("aud") {
        Some(Json::Str(a)) => p.aud.contains(&a.as_str()),
        Some(Json::Array(list)) => list
            .iter()
            .any(|a| a.as_str().is_some_and(|a| p.aud.contains(&a))),
        _ => false,
    };
    if !aud_ok {
        return Err("audience");
    }
    if !grants(json, p.scope) {
        return Err("scope");
    }
    Ok(())
}

/// Whether tokengate's header error is borne out by serde_json's reading (`None`: serde_json
/// refused the text too, which explains any syntax-level error).
pub fn header_error_explained(error: tokengate::Error, json: Option<&Json>) -> bool {
    use tokengate::Error as E;
    let Some(json) = json else {
        return matches!(
            error,
            E::Json { .. }
                | E::TooDeep { .. }
                | E::TooManyMembers { .. }
                | E::DuplicateMember { .. }
        );
    };
    let alg = json.member("alg").and_then(Json::as_str);
    match error {
        E::Json { .. } => false,
        E::NotAnObject { .. } => !matches!(json, Json::Object(_)),
        E::TooDeep { .. } => json.depth() > tokengate::MAX_DEPTH,
        E::TooManyMembers { .. } => json.too_many_members(),
        E::DuplicateMember { .. } => json.has_duplicates(),
        E::CritHeader => json.member("crit").is_some(),
        E::UnencodedPayload => json.member("b64").is_some(),
        E::AlgNone => alg.is_some_and(|a| a.eq_ignore_ascii_case("none")),
        E::UnsupportedAlg => alg.is_some_and(|a| !SUPPORTED_ALGS.contains(&a)),
        E::MissingMember { name, .. } => json.member(name).is_none(),
        E::InvalidMember { name, .. } => json.member(name).is_some_and(|v| v.as_str().is_none()),
        _ => false,
    }
}
