//! What a verified token must also satisfy: issuer, audience, time, type, scopes.

use crate::claims::{NumericDate, RawClaims};
use crate::error::Error;
use crate::header::RawHeader;
use crate::json::JsonStr;

/// Which values of a claim a policy accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected<'p> {
    /// Exactly this value (case-sensitive).
    Exactly(&'p str),
    /// Any one of these values.
    AnyOf(&'p [&'p str]),
    /// Any value, including none: the claim is not checked. For `aud`, only right when the key
    /// is dedicated to this one device or service.
    Any,
}

impl Expected<'_> {
    fn accepts(&self, value: &JsonStr<'_>) -> bool {
        match self {
            Expected::Exactly(v) => value.eq_str(v),
            Expected::AnyOf(vs) => vs.iter().any(|v| value.eq_str(v)),
            Expected::Any => true,
        }
    }
}

/// What identifies a token to a [`ReplayGuard`](crate::ReplayGuard).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayId {
    /// `iss` + `jti`. A token without `jti` is refused by the guard
    /// ([`Error::MissingMember`]).
    Jti,
    /// `iss` + `jti`, or for a token without `jti`, a digest of its signing input (header and
    /// payload as received: the signature is left out because ECDSA signatures are malleable).
    JtiOrSigningInput,
}

/// The checks a token must pass beyond its signature, as a value that can be built in `const`
/// context and live in flash.
///
/// Issuer and audience are required arguments: a policy always says what it expects of them,
/// even if that is [`Expected::Any`]. `exp` is required unless waived with
/// [`danger::allow_missing_exp`](crate::danger::allow_missing_exp); `nbf` is checked when present;
/// `iat` must not be in the future. Time checks follow RFC 7519 with `leeway` seconds of clock
/// skew allowed each way: rejected when `now >= exp + leeway` or `now + leeway < nbf`.
///
/// ```
/// use tokengate::{Expected, Policy};
/// static POLICY: Policy<'static> = Policy::new(
///     Expected::Exactly("https://auth.spookysrv.com/oidc/"),
///     Expected::Exactly("door-17"),
/// )
/// .with_leeway(30)
/// .with_max_age(3600)
/// .with_scopes(&["door:open"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy<'p> {
    issuer: Expected<'p>,
    audience: Expected<'p>,
    leeway: u64,
    exp_required: bool,
    max_age: Option<u64>,
    typ: Option<&'p str>,
    scopes: &'p [&'p str],
    replay: ReplayId,
    iat_is_time: bool,
}

impl<'p> Policy<'p> {
    /// A policy requiring `iss` and `aud` as given, an unexpired `exp`, no leeway.
    pub const fn new(issuer: Expected<'p>, audience: Expected<'p>) -> Self {
        Self {
            issuer,
            audience,
            leeway: 0,
            exp_required: true,
            max_age: None,
            typ: None,
            scopes: &[],
            replay: ReplayId::Jti,
            iat_is_time: false,
        }
    }

    /// Allowed clock skew, in seconds, for `exp`, `nbf`, `iat` and the maximum age.
    #[must_use]
    pub const fn with_leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Requires `iat` and rejects tokens issued more than `seconds` ago.
    #[must_use]
    pub const fn with_max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Requires the header's `typ` to name this media type (e.g. `"at+jwt"`, RFC 9068),
    /// compared case-insensitively with the `application/` prefix optional.
    #[must_use]
    pub const fn with_typ(mut self, typ: &'p str) -> Self {
        self.typ = Some(typ);
        self
    }

    /// Requires every one of these scopes in `scope` or `scp`.
    #[must_use]
    pub const fn with_scopes(mut self, scopes: &'p [&'p str]) -> Self {
        self.scopes = scopes;
        self
    }

    /// What identifies a token to a replay guard (default [`ReplayId::Jti`]).
    #[must_use]
    pub const fn with_replay_id(mut self, id: ReplayId) -> Self {
        self.replay = id;
        self
    }

    /// Lets a verified token's `iat` advance an [`AnchoredClock`](crate::AnchoredClock): when
    /// verifying against an anchored clock, `now` is the later of the clock and the token's
    /// `iat` (which the issuer signed), and the clock keeps that time once the token is
    /// accepted. Without it an anchored clock only moves with its ticks.
    #[must_use]
    pub const fn with_iat_as_time(mut self) -> Self {
        self.iat_is_time = true;
        self
    }

    pub(crate) const fn takes_iat_as_time(&self) -> bool {
        self.iat_is_time
    }

    #[cfg(feature = "offline")]
    pub(crate) const fn replay_id(&self) -> ReplayId {
        self.replay
    }

    #[cfg(feature = "offline")]
    pub(crate) const fn leeway(&self) -> u64 {
        self.leeway
    }

    pub(crate) const fn without_exp(mut self) -> Self {
        self.exp_required = false;
        self
    }

    /// Applies the policy, in this order: the issuer the key is bound to (`key_issuer`, see
    /// [`Key::with_issuer`](crate::Key::with_issuer)), `exp`, `nbf`, `iat` (future, then age),
    /// `iss`, `aud`, `typ`, scopes.
    pub(crate) fn check(
        &self,
        header: &RawHeader<'_>,
        claims: &RawClaims<'_>,
        key_issuer: Option<&str>,
        now: u64,
    ) -> Result<(), Error> {
        if let Some(bound) = key_issuer {
            match claims.iss {
                Some(iss) if iss.eq_str(bound) => {}
                _ => return Err(Error::KeyIssuerMismatch),
            }
        }
        match claims.exp {
            Some(exp) if now >= exp.ceil().saturating_add(self.leeway) => {
                return Err(Error::Expired {
                    now,
                    exp: exp.seconds(),
                });
            }
            None if self.exp_required => return Err(missing("exp")),
            _ => {}
        }
        let skewed_now = now.saturating_add(self.leeway);
        if let Some(nbf) = claims.nbf
            && skewed_now < nbf.ceil()
        {
            return Err(Error::NotYetValid {
                now,
                nbf: nbf.seconds(),
            });
        }
        // Whole seconds of `iat`: an integer clock cannot tell 100.5 from 100.9, and a fresh
        // token must not be refused for the fraction.
        if let Some(iat) = claims.iat
            && skewed_now < iat.seconds()
        {
            return Err(Error::IssuedInFuture {
                now,
                iat: iat.seconds(),
            });
        }
        if let Some(max_age) = self.max_age {
            let iat: NumericDate = claims.iat.ok_or(missing("iat"))?;
            let deadline = iat
                .seconds()
                .saturating_add(max_age)
                .saturating_add(self.leeway);
            if now > deadline {
                return Err(Error::TooOld {
                    now,
                    iat: iat.seconds(),
                    max_age,
                });
            }
        }
        if self.issuer != Expected::Any {
            let iss = claims.iss.ok_or(missing("iss"))?;
            if !self.issuer.accepts(&iss) {
                return Err(Error::WrongIssuer);
            }
        }
        if self.audience != Expected::Any {
            if let crate::claims::RawStrings::Absent = claims.aud {
                return Err(missing("aud"));
            }
            let found = match self.audience {
                Expected::Exactly(a) => claims.has_audience(a),
                Expected::AnyOf(list) => list.iter().any(|a| claims.has_audience(a)),
                Expected::Any => true,
            };
            if !found {
                return Err(Error::WrongAudience);
            }
        }
        if let Some(wanted) = self.typ {
            match header.typ {
                Some(typ) if typ_matches(&typ, wanted) => {}
                _ => return Err(Error::WrongType),
            }
        }
        if !self.scopes.iter().all(|s| claims.has_scope(s)) {
            return Err(Error::MissingScope);
        }
        Ok(())
    }
}

/// Whether a `typ` value names the media type `wanted`: ASCII case-insensitive, with the
/// `application/` prefix optional on either side (RFC 7515 §4.1.9).
fn typ_matches(typ: &JsonStr<'_>, wanted: &str) -> bool {
    const PREFIX: &str = "application/";
    fn strip(s: &str) -> &str {
        match s.get(..PREFIX.len()) {
            Some(head) if head.eq_ignore_ascii_case(PREFIX) => s.get(PREFIX.len()..).unwrap_or(s),
            _ => s,
        }
    }
    let wanted = strip(wanted);
    let mut chars = typ.chars().peekable();
    // Skip the optional prefix in the token's value.
    let mut probe = chars.clone();
    if PREFIX
        .chars()
        .all(|p| probe.next().is_some_and(|c| c.eq_ignore_ascii_case(&p)))
    {
        chars = probe;
    }
    let mut want = wanted.chars();
    loop {
        match (chars.next(), want.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
            _ => return false,
        }
    }
}

const fn missing(name: &'static str) -> Error {
    Error::MissingMember {
        part: crate::error::Part::Claims,
        name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typ_comparison() {
        let h = RawHeader::parse(br#"{"alg":"ES256","typ":"application/AT+JWT"}"#).unwrap();
        let typ = h.typ.unwrap();
        assert!(typ_matches(&typ, "at+jwt"));
        assert!(typ_matches(&typ, "application/at+jwt"));
        assert!(!typ_matches(&typ, "jwt"));
        let h = RawHeader::parse(br#"{"alg":"ES256","typ":"JWT"}"#).unwrap();
        assert!(typ_matches(&h.typ.unwrap(), "jwt"));
        assert!(typ_matches(&h.typ.unwrap(), "Application/JWT"));
        assert!(!typ_matches(&h.typ.unwrap(), "JWTs"));
    }
}
