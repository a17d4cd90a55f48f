//! The documented list of intended strictness (docs/fuzzing.md): every token that tokengate
//! rejects and the reference accepts must be one of these, shown so by looking at the token
//! itself (not at what the fuzzer meant to do). Anything else is a finding, and the target
//! panics. Also the (shorter) list of what jsonwebtoken refuses and tokengate accepts by design.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tokengate::{Error, Part, Segment};

use crate::model::Alg;
use crate::oracle::{self, Json};

/// Why tokengate may reject a token the reference accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strictness {
    /// An object in the header or the claims has a member name twice (after unescaping).
    /// jsonwebtoken's typed structs refuse duplicates of the members they know; a map keeps the
    /// last one.
    DuplicateMember,
    /// A segment is not the canonical unpadded base64url encoding of its bytes.
    NonCanonicalBase64,
    /// The header has `crit` (jsonwebtoken reads and ignores it; RFC 7515 §4.1.11 says reject).
    CritHeader,
    /// The header has `b64` (RFC 7797); jsonwebtoken ignores it.
    B64Header,
    /// JSON nested deeper than `MAX_DEPTH` (16); serde_json allows 128.
    TooDeep,
    /// More than `MAX_MEMBERS` (64) member names open at once; serde_json has no bound.
    TooManyMembers,
    /// Decoded header and payload larger than the `Buffers` (1536 bytes).
    TooLarge,
    /// A registered member has a value of the wrong type that jsonwebtoken ignores or coerces:
    /// `null` or a non-string `kid` / `typ` / `sub` / `jti`, a non-NumericDate `iat`, an `nbf`
    /// that jsonwebtoken's number coercion accepts, an `iss` array, a `scope` / `scp` of the
    /// wrong shape while the other one grants.
    RegisteredType,
    /// The header's `kid` does not name the provisioned key of the token's `alg` (jsonwebtoken
    /// leaves key selection to the caller; the reference tries every key).
    KidSelectsKey,
    /// `iat` is after the clock (jsonwebtoken does not look at `iat`).
    IssuedInFuture,
    /// A time within 2 s of the clock: `exp` is exclusive in tokengate (`now >= exp` is
    /// expired, jsonwebtoken: `exp < now`), fractions round up in tokengate and to nearest in
    /// jsonwebtoken, and the two read the clock at different instants.
    ClockBoundary,
}

/// Why jsonwebtoken may reject a token that tokengate accepts, by design of tokengate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceStricter {
    /// A header member that tokengate never reads (`cty`, `jku`, `jwk`, `x5u`, `x5c`, `x5t`,
    /// `x5t#S256`, `enc`, `zip`, `url`, `nonce`) has a value that jsonwebtoken's typed `Header`
    /// cannot hold: the header deserializes once those members are removed.
    IgnoredHeaderMember,
    /// A number beyond the range of a double (`1e400`) in a member tokengate does not read:
    /// serde_json refuses it, RFC 8259's grammar allows it.
    NumberBeyondDouble,
    /// An `exp` or `nbf` below 2^64 but within a double's rounding of it, written as a fraction
    /// or with an exponent: jsonwebtoken reads it as a double, which rounds to 2^64 and is
    /// refused as "not a u64"; tokengate reads the decimal exactly (README.md: NumericDate
    /// `0 <= value < 2^64`).
    NumericDateRoundsTo2To64,
}

pub const IGNORED_HEADER_MEMBERS: [&str; 11] = [
    "cty", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "enc", "zip", "url", "nonce",
];

/// The three segments, each decoded by the `base64` crate as jsonwebtoken does.
fn segments(token: &str) -> Option<[Vec<u8>; 3]> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some([
        URL_SAFE_NO_PAD.decode(h).ok()?,
        URL_SAFE_NO_PAD.decode(p).ok()?,
        URL_SAFE_NO_PAD.decode(s).ok()?,
    ])
}

fn doc(bytes: &[u8]) -> Option<Json> {
    oracle::parse(std::str::from_utf8(bytes).ok()?)
}

/// Classifies a token tokengate rejected with `error` at `now` and the reference accepted.
/// `None`: not intended strictness, a finding.
pub fn classify(token: &str, error: Error, now: u64) -> Option<Strictness> {
    let [header, claims, signature] = segments(token)?;
    let part = |p: Part| match p {
        Part::Header => doc(&header),
        Part::Claims => doc(&claims),
        _ => None,
    };
    let near_now = |d: (u64, bool)| oracle::ceil(d).abs_diff(now) <= 2 || d.0.abs_diff(now) <= 2;
    let found = match error {
        Error::Base64 { segment } => {
            let (encoded, bytes) = match segment {
                Segment::Header => (token.split('.').next()?, &header),
                Segment::Payload => (token.split('.').nth(1)?, &claims),
                _ => (token.split('.').nth(2)?, &signature),
            };
            (URL_SAFE_NO_PAD.encode(bytes) != encoded).then_some(Strictness::NonCanonicalBase64)
        }
        Error::TooLarge { .. } => (header.len() + claims.len() > tokengate::DEFAULT_CAPACITY
            || signature.len() > tokengate::MAX_SIGNATURE_LEN)
            .then_some(Strictness::TooLarge),
        Error::DuplicateMember { part: p } => part(p)?
            .has_duplicates()
            .then_some(Strictness::DuplicateMember),
        Error::TooDeep { part: p } => {
            (part(p)?.depth() > tokengate::MAX_DEPTH).then_some(Strictness::TooDeep)
        }
        Error::TooManyMembers { part: p } => part(p)?
            .too_many_members()
            .then_some(Strictness::TooManyMembers),
        Error::CritHeader => doc(&header)?.member("crit").map(|_| Strictness::CritHeader),
        Error::UnencodedPayload => doc(&header)?.member("b64").map(|_| Strictness::B64Header),
        Error::InvalidMember {
            part: Part::Header,
            name,
        } => {
            let h = doc(&header)?;
            let v = h.member(name)?;
            (v.as_str().is_none()).then_some(Strictness::RegisteredType)
        }
        Error::InvalidMember {
            part: Part::Claims,
            name,
        } => {
            let c = doc(&claims)?;
            let v = c.member(name)?;
            (!oracle::registered_type_ok(name, v)).then_some(Strictness::RegisteredType)
        }
        Error::UnknownKid | Error::AlgMismatch { .. } => {
            let h = doc(&header)?;
            let alg = match h.member("alg")?.as_str()? {
                "ES256" => Alg::Es256,
                "RS256" => Alg::Rs256,
                "HS256" => Alg::Hs256,
                _ => return None,
            };
            let kid = h.member("kid")?.as_str()?;
            (kid != alg.kid()).then_some(Strictness::KidSelectsKey)
        }
        Error::IssuedInFuture { .. } => {
            let iat = doc(&claims)?.member("iat")?.date()?;
            Some(if near_now(iat) {
                Strictness::ClockBoundary
            } else if oracle::ceil(iat) > now {
                Strictness::IssuedInFuture
            } else {
                return None;
            })
        }
        Error::Expired { .. } => {
            let exp = doc(&claims)?.member("exp")?.date()?;
            near_now(exp).then_some(Strictness::ClockBoundary)
        }
        Error::NotYetValid { .. } => {
            let nbf = doc(&claims)?.member("nbf")?.date()?;
            near_now(nbf).then_some(Strictness::ClockBoundary)
        }
        _ => None,
    };
    found
}

/// Classifies a token tokengate accepted and the reference rejected with `why`. `None`: a
/// finding. Each case is shown by a counterfactual: without what is named, the reference accepts.
pub fn classify_reference_stricter(token: &str, why: &str) -> Option<ReferenceStricter> {
    let [header, claims, _] = segments(token)?;
    if why.contains("number out of range") {
        return Some(ReferenceStricter::NumberBeyondDouble);
    }
    for name in ["exp", "nbf"] {
        let near_2_to_64 = doc(&claims)
            .and_then(|c| c.member(name)?.date())
            .is_some_and(|(seconds, _)| seconds >= u64::MAX - 2047);
        if near_2_to_64 && why.contains(&format!("Invalid format for claim: {name}")) {
            return Some(ReferenceStricter::NumericDateRoundsTo2To64);
        }
    }
    let Json::Object(mut members) = doc(&header)? else {
        return None;
    };
    let alg = match members.iter().find(|(k, _)| k == "alg")?.1.as_str()? {
        "ES256" => Alg::Es256,
        "RS256" => Alg::Rs256,
        "HS256" => Alg::Hs256,
        _ => return None,
    };
    let before = members.len();
    members.retain(|(k, _)| !IGNORED_HEADER_MEMBERS.contains(&k.as_str()));
    if members.len() == before {
        return None;
    }
    // The same token with those members removed from the header, signed again by the key that
    // verified it: the reference must accept it, or refuse it for another documented reason.
    let payload = token.split('.').nth(1)?;
    let header = Json::Object(members).to_text();
    let input = format!("{}.{payload}", crate::setup::b64(header.as_bytes()));
    let signature = crate::model::sign_with(alg, input.as_bytes());
    let resigned = format!("{input}.{}", crate::setup::b64(&signature));
    match crate::reference::verify(&resigned) {
        Ok(_) => Some(ReferenceStricter::IgnoredHeaderMember),
        Err(why) => classify_reference_stricter(&resigned, &why)
            .map(|_| ReferenceStricter::IgnoredHeaderMember),
    }
}
