//! Status codes: one per variant of the library's `Error`, and a few of the C API's own.

use core::ffi::{CStr, c_char};

use tg::Error;

/// What a call returned: `TOKENGATE_STATUS_OK` (0) or the reason for a refusal. An `int32_t`
/// with `#define`d values, as PSA Crypto's `psa_status_t`: any value a C caller holds is
/// valid, and values are never renumbered.
pub type tokengate_status = i32;

/// The token verified and satisfied the policy (or the call succeeded).
pub const TOKENGATE_STATUS_OK: tokengate_status = 0;
/// A pointer argument was NULL (or a `{ptr, len}` view had a NULL `ptr` and a non-zero `len`).
pub const TOKENGATE_STATUS_NULL_ARGUMENT: tokengate_status = 1;
/// An argument is out of range: a length above `PTRDIFF_MAX`, a string that is not UTF-8, an
/// unknown policy flag, more issuers, audiences or scopes than the policy maxima, no keys, an
/// issuer or audience list that is empty without its `ANY` flag.
pub const TOKENGATE_STATUS_INVALID_ARGUMENT: tokengate_status = 2;
/// More than `TOKENGATE_MAX_KEYS` keys were passed to one call.
pub const TOKENGATE_STATUS_TOO_MANY_KEYS: tokengate_status = 3;
/// A refusal this version of the C API has no status for (a newer library error).
pub const TOKENGATE_STATUS_OTHER_ERROR: tokengate_status = 4;

/// `Error::SegmentCount`: the token does not have exactly three `.`-separated segments.
pub const TOKENGATE_STATUS_SEGMENT_COUNT: tokengate_status = 10;
/// `Error::Base64`: a segment is not canonical unpadded base64url.
pub const TOKENGATE_STATUS_BASE64: tokengate_status = 11;
/// `Error::TooLarge`: the token does not fit the buffers (or is longer than
/// `TOKENGATE_MAX_TOKEN_LEN`), or the signature is longer than any supported one.
pub const TOKENGATE_STATUS_TOO_LARGE: tokengate_status = 12;
/// `Error::Json`: the header or claims are not well-formed JSON, or not UTF-8.
pub const TOKENGATE_STATUS_JSON: tokengate_status = 13;
/// `Error::NotAnObject`: the header or claims are JSON but not an object.
pub const TOKENGATE_STATUS_NOT_AN_OBJECT: tokengate_status = 14;
/// `Error::TooDeep`: JSON nested deeper than the library's maximum depth.
pub const TOKENGATE_STATUS_TOO_DEEP: tokengate_status = 15;
/// `Error::TooManyMembers`: too many JSON member names open at once.
pub const TOKENGATE_STATUS_TOO_MANY_MEMBERS: tokengate_status = 16;
/// `Error::DuplicateMember`: a JSON object has the same member name twice.
pub const TOKENGATE_STATUS_DUPLICATE_MEMBER: tokengate_status = 17;
/// `Error::MissingMember`: a member the verifier needs (`alg`, `exp`, ...) is absent.
pub const TOKENGATE_STATUS_MISSING_MEMBER: tokengate_status = 18;
/// `Error::InvalidMember`: a member has the wrong JSON type or an out-of-range value.
pub const TOKENGATE_STATUS_INVALID_MEMBER: tokengate_status = 19;
/// `Error::AlgNone`: the header's `alg` is `none`.
pub const TOKENGATE_STATUS_ALG_NONE: tokengate_status = 20;
/// `Error::UnsupportedAlg`: the header's `alg` (or a key's `alg`) is not one this build
/// verifies.
pub const TOKENGATE_STATUS_UNSUPPORTED_ALG: tokengate_status = 21;
/// `Error::CritHeader`: the header has a `crit` member.
pub const TOKENGATE_STATUS_CRIT_HEADER: tokengate_status = 22;
/// `Error::UnencodedPayload`: the header has a `b64` member.
pub const TOKENGATE_STATUS_UNENCODED_PAYLOAD: tokengate_status = 23;
/// `Error::UnknownKid`: the token's `kid` names no key, and no key is without a `kid`.
pub const TOKENGATE_STATUS_UNKNOWN_KID: tokengate_status = 24;
/// `Error::AlgMismatch`: the key chosen by `kid` is bound to another algorithm.
pub const TOKENGATE_STATUS_ALG_MISMATCH: tokengate_status = 25;
/// `Error::NoKeyForAlg`: no key is bound to the token's `alg`.
pub const TOKENGATE_STATUS_NO_KEY_FOR_ALG: tokengate_status = 26;
/// `Error::InvalidKey`: key material was refused (wrong length for its algorithm, not a point
/// on the curve, malformed SEC1, even RSA modulus or exponent).
pub const TOKENGATE_STATUS_INVALID_KEY: tokengate_status = 27;
/// `Error::RsaKeySize`: an RSA modulus outside 2048..=4096 bits.
pub const TOKENGATE_STATUS_RSA_KEY_SIZE: tokengate_status = 28;
/// `Error::SecretTooShort`: an HMAC secret shorter than its hash.
pub const TOKENGATE_STATUS_SECRET_TOO_SHORT: tokengate_status = 29;
/// `Error::Jwk`: a JWK the library's rules do not bind to a supported algorithm.
pub const TOKENGATE_STATUS_JWK: tokengate_status = 30;
/// `Error::SignatureLength`: the signature has the wrong length for the algorithm and key.
pub const TOKENGATE_STATUS_SIGNATURE_LENGTH: tokengate_status = 31;
/// `Error::BadSignature`: the signature did not verify.
pub const TOKENGATE_STATUS_BAD_SIGNATURE: tokengate_status = 32;
/// `Error::Expired`: `now >= exp + leeway`.
pub const TOKENGATE_STATUS_EXPIRED: tokengate_status = 33;
/// `Error::NotYetValid`: `now + leeway < nbf`.
pub const TOKENGATE_STATUS_NOT_YET_VALID: tokengate_status = 34;
/// `Error::IssuedInFuture`: `now + leeway < iat`.
pub const TOKENGATE_STATUS_ISSUED_IN_FUTURE: tokengate_status = 35;
/// `Error::TooOld`: the token is older than the policy's maximum age.
pub const TOKENGATE_STATUS_TOO_OLD: tokengate_status = 36;
/// `Error::WrongIssuer`: `iss` is not an issuer the policy accepts.
pub const TOKENGATE_STATUS_WRONG_ISSUER: tokengate_status = 37;
/// `Error::WrongAudience`: `aud` does not contain an audience the policy accepts.
pub const TOKENGATE_STATUS_WRONG_AUDIENCE: tokengate_status = 38;
/// `Error::WrongType`: the header's `typ` is absent or not the policy's.
pub const TOKENGATE_STATUS_WRONG_TYPE: tokengate_status = 39;
/// `Error::MissingScope`: a scope the policy requires is not granted.
pub const TOKENGATE_STATUS_MISSING_SCOPE: tokengate_status = 40;
/// `Error::KeyIssuerMismatch`: the key that verified is bound to another issuer than `iss`.
pub const TOKENGATE_STATUS_KEY_ISSUER_MISMATCH: tokengate_status = 41;
/// `Error::Replayed`: the token was already accepted once and has not expired.
pub const TOKENGATE_STATUS_REPLAYED: tokengate_status = 42;
/// `Error::ReplayGuardFull`: the replay guard is full of unexpired tokens.
pub const TOKENGATE_STATUS_REPLAY_GUARD_FULL: tokengate_status = 43;
/// `Error::CorruptState`: a replay guard's state is corrupt, truncated or of another format.
pub const TOKENGATE_STATUS_CORRUPT_STATE: tokengate_status = 44;
/// `Error::ZeroTickRate`: an anchored clock with zero ticks per second.
pub const TOKENGATE_STATUS_ZERO_TICK_RATE: tokengate_status = 45;
/// `Error::StaleKeySet`: a rotated key set older than the newest accepted.
pub const TOKENGATE_STATUS_STALE_KEY_SET: tokengate_status = 46;
/// `Error::MalformedKeySet`: a rotated key set's payload is not a versioned JWK Set.
pub const TOKENGATE_STATUS_MALFORMED_KEY_SET: tokengate_status = 47;
/// `Error::KeySetTooLarge`: a rotated key set does not fit its storage.
pub const TOKENGATE_STATUS_KEY_SET_TOO_LARGE: tokengate_status = 48;
/// `Error::ScratchTooSmall`: the scratch half of the buffers cannot hold the unescaped strings.
pub const TOKENGATE_STATUS_SCRATCH_TOO_SMALL: tokengate_status = 49;
/// `Error::CustomClaims`: the claims do not match a claims type (not used by the C API).
pub const TOKENGATE_STATUS_CUSTOM_CLAIMS: tokengate_status = 50;

/// The status of a library error: one per variant.
pub(crate) fn of(error: Error) -> tokengate_status {
    match error {
        Error::SegmentCount => TOKENGATE_STATUS_SEGMENT_COUNT,
        Error::Base64 { .. } => TOKENGATE_STATUS_BASE64,
        Error::TooLarge { .. } => TOKENGATE_STATUS_TOO_LARGE,
        Error::Json { .. } => TOKENGATE_STATUS_JSON,
        Error::NotAnObject { .. } => TOKENGATE_STATUS_NOT_AN_OBJECT,
        Error::TooDeep { .. } => TOKENGATE_STATUS_TOO_DEEP,
        Error::TooManyMembers { .. } => TOKENGATE_STATUS_TOO_MANY_MEMBERS,
        Error::DuplicateMember { .. } => TOKENGATE_STATUS_DUPLICATE_MEMBER,
        Error::MissingMember { .. } => TOKENGATE_STATUS_MISSING_MEMBER,
        Error::InvalidMember { .. } => TOKENGATE_STATUS_INVALID_MEMBER,
        Error::AlgNone => TOKENGATE_STATUS_ALG_NONE,
        Error::UnsupportedAlg => TOKENGATE_STATUS_UNSUPPORTED_ALG,
        Error::CritHeader => TOKENGATE_STATUS_CRIT_HEADER,
        Error::UnencodedPayload => TOKENGATE_STATUS_UNENCODED_PAYLOAD,
        Error::UnknownKid => TOKENGATE_STATUS_UNKNOWN_KID,
        Error::AlgMismatch { .. } => TOKENGATE_STATUS_ALG_MISMATCH,
        Error::NoKeyForAlg { .. } => TOKENGATE_STATUS_NO_KEY_FOR_ALG,
        Error::InvalidKey => TOKENGATE_STATUS_INVALID_KEY,
        Error::RsaKeySize { .. } => TOKENGATE_STATUS_RSA_KEY_SIZE,
        Error::SecretTooShort { .. } => TOKENGATE_STATUS_SECRET_TOO_SHORT,
        Error::Jwk { .. } => TOKENGATE_STATUS_JWK,
        Error::SignatureLength { .. } => TOKENGATE_STATUS_SIGNATURE_LENGTH,
        Error::BadSignature => TOKENGATE_STATUS_BAD_SIGNATURE,
        Error::Expired { .. } => TOKENGATE_STATUS_EXPIRED,
        Error::NotYetValid { .. } => TOKENGATE_STATUS_NOT_YET_VALID,
        Error::IssuedInFuture { .. } => TOKENGATE_STATUS_ISSUED_IN_FUTURE,
        Error::TooOld { .. } => TOKENGATE_STATUS_TOO_OLD,
        Error::WrongIssuer => TOKENGATE_STATUS_WRONG_ISSUER,
        Error::WrongAudience => TOKENGATE_STATUS_WRONG_AUDIENCE,
        Error::WrongType => TOKENGATE_STATUS_WRONG_TYPE,
        Error::MissingScope => TOKENGATE_STATUS_MISSING_SCOPE,
        Error::KeyIssuerMismatch => TOKENGATE_STATUS_KEY_ISSUER_MISMATCH,
        Error::Replayed => TOKENGATE_STATUS_REPLAYED,
        Error::ReplayGuardFull { .. } => TOKENGATE_STATUS_REPLAY_GUARD_FULL,
        Error::CorruptState => TOKENGATE_STATUS_CORRUPT_STATE,
        Error::ZeroTickRate => TOKENGATE_STATUS_ZERO_TICK_RATE,
        Error::StaleKeySet { .. } => TOKENGATE_STATUS_STALE_KEY_SET,
        Error::MalformedKeySet => TOKENGATE_STATUS_MALFORMED_KEY_SET,
        Error::KeySetTooLarge { .. } => TOKENGATE_STATUS_KEY_SET_TOO_LARGE,
        Error::ScratchTooSmall => TOKENGATE_STATUS_SCRATCH_TOO_SMALL,
        Error::CustomClaims => TOKENGATE_STATUS_CUSTOM_CLAIMS,
        _ => TOKENGATE_STATUS_OTHER_ERROR,
    }
}

/// The status of a result.
pub(crate) fn result(result: Result<(), Error>) -> tokengate_status {
    match result {
        Ok(()) => TOKENGATE_STATUS_OK,
        Err(e) => of(e),
    }
}

/// A static NUL-terminated description of a status, for logs: its name, a colon and what it
/// means, e.g. `"BAD_SIGNATURE: the signature did not verify"`. Never NULL; an unknown value
/// gives `"UNKNOWN: not a tokengate status"`. Costs no RAM: the strings are in flash.
#[unsafe(no_mangle)]
pub extern "C" fn tokengate_status_str(status: tokengate_status) -> *const c_char {
    describe(status).as_ptr()
}

fn describe(status: tokengate_status) -> &'static CStr {
    match status {
        TOKENGATE_STATUS_OK => c"OK: verified",
        TOKENGATE_STATUS_NULL_ARGUMENT => c"NULL_ARGUMENT: a pointer argument was NULL",
        TOKENGATE_STATUS_INVALID_ARGUMENT => {
            c"INVALID_ARGUMENT: an argument is out of range (length, UTF-8, flags, counts)"
        }
        TOKENGATE_STATUS_TOO_MANY_KEYS => c"TOO_MANY_KEYS: more keys than TOKENGATE_MAX_KEYS",
        TOKENGATE_STATUS_OTHER_ERROR => c"OTHER_ERROR: refused for a reason without a status",
        TOKENGATE_STATUS_SEGMENT_COUNT => {
            c"SEGMENT_COUNT: the token does not have exactly three segments"
        }
        TOKENGATE_STATUS_BASE64 => c"BASE64: a segment is not canonical unpadded base64url",
        TOKENGATE_STATUS_TOO_LARGE => c"TOO_LARGE: the token does not fit the buffers",
        TOKENGATE_STATUS_JSON => c"JSON: the header or claims are not well-formed JSON",
        TOKENGATE_STATUS_NOT_AN_OBJECT => c"NOT_AN_OBJECT: the header or claims are not an object",
        TOKENGATE_STATUS_TOO_DEEP => c"TOO_DEEP: JSON nested too deeply",
        TOKENGATE_STATUS_TOO_MANY_MEMBERS => c"TOO_MANY_MEMBERS: too many JSON member names",
        TOKENGATE_STATUS_DUPLICATE_MEMBER => c"DUPLICATE_MEMBER: a JSON member name appears twice",
        TOKENGATE_STATUS_MISSING_MEMBER => c"MISSING_MEMBER: a required member is absent",
        TOKENGATE_STATUS_INVALID_MEMBER => {
            c"INVALID_MEMBER: a member has the wrong type or an out-of-range value"
        }
        TOKENGATE_STATUS_ALG_NONE => c"ALG_NONE: unsecured tokens (alg none) are never accepted",
        TOKENGATE_STATUS_UNSUPPORTED_ALG => {
            c"UNSUPPORTED_ALG: an algorithm this build does not verify"
        }
        TOKENGATE_STATUS_CRIT_HEADER => c"CRIT_HEADER: the header has a crit member",
        TOKENGATE_STATUS_UNENCODED_PAYLOAD => c"UNENCODED_PAYLOAD: the header has a b64 member",
        TOKENGATE_STATUS_UNKNOWN_KID => c"UNKNOWN_KID: no key has the token's kid",
        TOKENGATE_STATUS_ALG_MISMATCH => {
            c"ALG_MISMATCH: the key chosen by kid is bound to another algorithm"
        }
        TOKENGATE_STATUS_NO_KEY_FOR_ALG => c"NO_KEY_FOR_ALG: no key is bound to the token's alg",
        TOKENGATE_STATUS_INVALID_KEY => c"INVALID_KEY: key material was refused",
        TOKENGATE_STATUS_RSA_KEY_SIZE => c"RSA_KEY_SIZE: an RSA modulus outside 2048..4096 bits",
        TOKENGATE_STATUS_SECRET_TOO_SHORT => {
            c"SECRET_TOO_SHORT: an HMAC secret shorter than its hash"
        }
        TOKENGATE_STATUS_JWK => c"JWK: a JWK not bound to a supported algorithm",
        TOKENGATE_STATUS_SIGNATURE_LENGTH => {
            c"SIGNATURE_LENGTH: the signature has the wrong length for the key"
        }
        TOKENGATE_STATUS_BAD_SIGNATURE => c"BAD_SIGNATURE: the signature did not verify",
        TOKENGATE_STATUS_EXPIRED => c"EXPIRED: the token has expired",
        TOKENGATE_STATUS_NOT_YET_VALID => c"NOT_YET_VALID: the token's nbf is in the future",
        TOKENGATE_STATUS_ISSUED_IN_FUTURE => c"ISSUED_IN_FUTURE: the token's iat is in the future",
        TOKENGATE_STATUS_TOO_OLD => c"TOO_OLD: the token is older than the policy's maximum age",
        TOKENGATE_STATUS_WRONG_ISSUER => c"WRONG_ISSUER: iss is not an accepted issuer",
        TOKENGATE_STATUS_WRONG_AUDIENCE => c"WRONG_AUDIENCE: aud has no accepted audience",
        TOKENGATE_STATUS_WRONG_TYPE => {
            c"WRONG_TYPE: the header's typ is absent or not the policy's"
        }
        TOKENGATE_STATUS_MISSING_SCOPE => c"MISSING_SCOPE: a required scope is not granted",
        TOKENGATE_STATUS_KEY_ISSUER_MISMATCH => {
            c"KEY_ISSUER_MISMATCH: the key is bound to another issuer than iss"
        }
        TOKENGATE_STATUS_REPLAYED => c"REPLAYED: the token was already accepted",
        TOKENGATE_STATUS_REPLAY_GUARD_FULL => {
            c"REPLAY_GUARD_FULL: the replay guard is full of unexpired tokens"
        }
        TOKENGATE_STATUS_CORRUPT_STATE => c"CORRUPT_STATE: saved gate state is corrupt",
        TOKENGATE_STATUS_ZERO_TICK_RATE => c"ZERO_TICK_RATE: a clock with zero ticks per second",
        TOKENGATE_STATUS_STALE_KEY_SET => {
            c"STALE_KEY_SET: an older key set than the newest accepted"
        }
        TOKENGATE_STATUS_MALFORMED_KEY_SET => c"MALFORMED_KEY_SET: not a versioned JWK Set",
        TOKENGATE_STATUS_KEY_SET_TOO_LARGE => c"KEY_SET_TOO_LARGE: the key set does not fit",
        TOKENGATE_STATUS_SCRATCH_TOO_SMALL => {
            c"SCRATCH_TOO_SMALL: the buffers cannot hold the unescaped strings"
        }
        TOKENGATE_STATUS_CUSTOM_CLAIMS => c"CUSTOM_CLAIMS: the claims do not match the claims type",
        _ => c"UNKNOWN: not a tokengate status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_name() {
        let mut seen = std::vec::Vec::new();
        for status in -1..=60 {
            let text = describe(status).to_str().unwrap();
            if text.starts_with("UNKNOWN:") {
                continue;
            }
            let name = text.split(':').next().unwrap();
            assert!(!seen.contains(&name), "{name} twice");
            seen.push(name);
        }
        assert_eq!(seen.len(), 46);
    }
}
