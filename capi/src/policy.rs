//! The policy as a C struct, turned into the library's `Policy` for each call.

use heapless::Vec;
use tg::{Expected, Policy, ReplayId};

use crate::status::{TOKENGATE_STATUS_INVALID_ARGUMENT, tokengate_status};
use crate::view::{self, tokengate_str};

/// Most accepted issuers in one policy.
pub const TOKENGATE_MAX_ISSUERS: usize = 8;
/// Most accepted audiences in one policy.
pub const TOKENGATE_MAX_AUDIENCES: usize = 8;
/// Most required scopes in one policy.
pub const TOKENGATE_MAX_SCOPES: usize = 8;

/// Policy flag: accept any issuer (and none). Without it, `n_issuers` must be at least 1.
pub const TOKENGATE_POLICY_ANY_ISSUER: u32 = 1;
/// Policy flag: accept any audience (and none). Only right when the key is dedicated to this
/// one device or service. Without it, `n_audiences` must be at least 1.
pub const TOKENGATE_POLICY_ANY_AUDIENCE: u32 = 1 << 1;
/// Policy flag: require `iat` and refuse tokens issued more than `max_age` seconds ago.
pub const TOKENGATE_POLICY_MAX_AGE: u32 = 1 << 2;
/// Policy flag, weakening: accept tokens without `exp` (such a token never expires).
pub const TOKENGATE_POLICY_DANGER_ALLOW_MISSING_EXP: u32 = 1 << 3;
/// Policy flag: with a replay guard, identify a token without `jti` by a digest of its signed
/// bytes (without it such a token is refused by the guard, `TOKENGATE_STATUS_MISSING_MEMBER`).
pub const TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT: u32 = 1 << 4;
/// Policy flag: with an anchored clock, a verified token's `iat` moves the clock forward.
pub const TOKENGATE_POLICY_IAT_AS_TIME: u32 = 1 << 5;

const KNOWN_FLAGS: u32 = TOKENGATE_POLICY_ANY_ISSUER
    | TOKENGATE_POLICY_ANY_AUDIENCE
    | TOKENGATE_POLICY_MAX_AGE
    | TOKENGATE_POLICY_DANGER_ALLOW_MISSING_EXP
    | TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT
    | TOKENGATE_POLICY_IAT_AS_TIME;

/// What a verified token must also satisfy, as `const` data that can live in flash.
///
/// - `iss` must be one of `issuers` (exact match), unless `TOKENGATE_POLICY_ANY_ISSUER`.
/// - `aud` must contain one of `audiences`, unless `TOKENGATE_POLICY_ANY_AUDIENCE`.
/// - `exp` is required (unless `TOKENGATE_POLICY_DANGER_ALLOW_MISSING_EXP`) and must not have
///   passed; `nbf` and `iat` must not be in the future; all with `leeway` seconds of skew.
/// - With `TOKENGATE_POLICY_MAX_AGE`, `iat` is required and at most `max_age` seconds old.
/// - `typ`, unless `{NULL, 0}`: the header's `typ` must name this media type
///   (case-insensitive, `application/` optional), e.g. `at+jwt`.
/// - Every one of `scopes` must be granted by `scope` or `scp`.
///
/// A flag this version does not know is `TOKENGATE_STATUS_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tokengate_policy {
    /// Accepted issuers (at most `TOKENGATE_MAX_ISSUERS`).
    pub issuers: *const tokengate_str,
    /// Number of `issuers`.
    pub n_issuers: usize,
    /// Accepted audiences (at most `TOKENGATE_MAX_AUDIENCES`).
    pub audiences: *const tokengate_str,
    /// Number of `audiences`.
    pub n_audiences: usize,
    /// Required scopes (at most `TOKENGATE_MAX_SCOPES`).
    pub scopes: *const tokengate_str,
    /// Number of `scopes`.
    pub n_scopes: usize,
    /// Required `typ`, or `{NULL, 0}`.
    pub typ: tokengate_str,
    /// Allowed clock skew in seconds.
    pub leeway: u64,
    /// Maximum age in seconds, with `TOKENGATE_POLICY_MAX_AGE`.
    pub max_age: u64,
    /// `TOKENGATE_POLICY_*` flags, or-ed.
    pub flags: u32,
}

/// The strings a policy borrows, checked.
pub(crate) struct Strings<'c> {
    issuers: Vec<&'c str, TOKENGATE_MAX_ISSUERS>,
    audiences: Vec<&'c str, TOKENGATE_MAX_AUDIENCES>,
    scopes: Vec<&'c str, TOKENGATE_MAX_SCOPES>,
    typ: Option<&'c str>,
}

/// Reads up to `N` strings.
///
/// # Safety
/// `ptr` must be NULL or point to `n` views valid for `'c`.
unsafe fn strings<'c, const N: usize>(
    ptr: *const tokengate_str,
    n: usize,
) -> Result<Vec<&'c str, N>, tokengate_status> {
    if n > N {
        return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from this function's contract.
    let views = unsafe { view::array(ptr, n) }?;
    let mut out = Vec::new();
    for &s in views {
        // SAFETY: forwarded from this function's contract.
        let s = unsafe { view::str(s) }?;
        out.push(s).map_err(|_| TOKENGATE_STATUS_INVALID_ARGUMENT)?;
    }
    Ok(out)
}

impl<'c> Strings<'c> {
    /// Checks a C policy's strings.
    ///
    /// # Safety
    /// The policy's pointers must be valid for their counts (or NULL) for `'c`.
    pub(crate) unsafe fn new(policy: &tokengate_policy) -> Result<Self, tokengate_status> {
        if policy.flags & !KNOWN_FLAGS != 0 {
            return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
        }
        // SAFETY: forwarded from this function's contract.
        let issuers = unsafe { strings(policy.issuers, policy.n_issuers) }?;
        // SAFETY: as above.
        let audiences = unsafe { strings(policy.audiences, policy.n_audiences) }?;
        // SAFETY: as above.
        let scopes = unsafe { strings(policy.scopes, policy.n_scopes) }?;
        // SAFETY: as above.
        let typ = unsafe { view::optional_str(policy.typ) }?;
        let any_issuer = policy.flags & TOKENGATE_POLICY_ANY_ISSUER != 0;
        let any_audience = policy.flags & TOKENGATE_POLICY_ANY_AUDIENCE != 0;
        // Fail closed: an empty list means nothing was configured, not "anything goes".
        if issuers.is_empty() != any_issuer || audiences.is_empty() != any_audience {
            return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
        }
        Ok(Self {
            issuers,
            audiences,
            scopes,
            typ,
        })
    }

    /// The library's policy.
    pub(crate) fn policy(&self, policy: &tokengate_policy) -> Policy<'_> {
        fn expected<'a>(list: &'a [&'a str]) -> Expected<'a> {
            match list {
                [] => Expected::Any,
                [one] => Expected::Exactly(one),
                many => Expected::AnyOf(many),
            }
        }
        let mut p = Policy::new(expected(&self.issuers), expected(&self.audiences))
            .with_leeway(policy.leeway)
            .with_scopes(&self.scopes);
        if policy.flags & TOKENGATE_POLICY_MAX_AGE != 0 {
            p = p.with_max_age(policy.max_age);
        }
        if let Some(typ) = self.typ {
            p = p.with_typ(typ);
        }
        if policy.flags & TOKENGATE_POLICY_DANGER_ALLOW_MISSING_EXP != 0 {
            p = tg::danger::allow_missing_exp(p);
        }
        if policy.flags & TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT != 0 {
            p = p.with_replay_id(ReplayId::JtiOrSigningInput);
        }
        if policy.flags & TOKENGATE_POLICY_IAT_AS_TIME != 0 {
            p = p.with_iat_as_time();
        }
        p
    }
}
