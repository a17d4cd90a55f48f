//! The buffers, the claims and the verify call.

use core::ffi::c_char;

use tg::{Audience, Buffers, Error, Scopes, StrList, Verified, Verifier};

use crate::keys::{self, Slots, tokengate_key};
use crate::policy::{Strings, tokengate_policy};
use crate::status::{
    self, TOKENGATE_STATUS_INVALID_ARGUMENT, TOKENGATE_STATUS_NULL_ARGUMENT, TOKENGATE_STATUS_OK,
    TOKENGATE_STATUS_TOO_LARGE, tokengate_status,
};
use crate::view::{self, tokengate_str};

/// Bytes of decoded header plus payload the buffers hold (and of scratch for unescaped
/// strings): any token of up to 2048 characters before its signature fits.
pub const TOKENGATE_BUFFER_CAPACITY: usize = 1536;

/// `sizeof(tokengate_buffers)`: twice the capacity and 512 bytes for the largest signature
/// (RSA-4096).
pub const TOKENGATE_BUFFERS_SIZE: usize = 3584;

/// The longest token a call reads: a longer one is `TOKENGATE_STATUS_TOO_LARGE` before any of
/// its bytes is read (it could not fit the buffers).
pub const TOKENGATE_MAX_TOKEN_LEN: usize = 2740;

pub(crate) type Inner = Buffers<TOKENGATE_BUFFER_CAPACITY>;

// The C struct is exactly the library's buffers: bytes only, alignment 1, no padding.
const _: () = assert!(size_of::<Inner>() == TOKENGATE_BUFFERS_SIZE);
const _: () = assert!(align_of::<Inner>() == 1);
const _: () =
    assert!(2 * TOKENGATE_BUFFER_CAPACITY + tg::MAX_SIGNATURE_LEN == TOKENGATE_BUFFERS_SIZE);
// Any token that fits the buffers is at most this long: each segment's decoded length is at
// least (3 * encoded - 3) / 4, so three segments and two dots of `L` characters decode to at
// least (3 * (L - 2) - 9) / 4 bytes, which must be at most capacity + 512.
const _: () = assert!(
    (3 * (TOKENGATE_MAX_TOKEN_LEN - 2) - 9) / 4 > TOKENGATE_BUFFER_CAPACITY + tg::MAX_SIGNATURE_LEN
);

/// The memory one verification works in, allocated by the caller (a `static`, or on a stack
/// with room for it): the decoded header and payload, scratch for unescaped strings, the
/// decoded signature. It needs no initialization: each call clears it first. The claims of a
/// verification point into it, so they are valid until the buffers are used again. One
/// `tokengate_buffers` per thread of verifications.
#[repr(C)]
pub struct tokengate_buffers {
    /// Not for the caller: the library's working memory.
    pub opaque: [u8; TOKENGATE_BUFFERS_SIZE],
}

/// The registered claims (and header fields) of a verified token: views into the caller's
/// `tokengate_buffers`, valid until those buffers are used again. A string's `ptr` is NULL when
/// the claim is absent. Zeroed (every view NULL) when a verification fails.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tokengate_claims {
    /// `iss`.
    pub iss: tokengate_str,
    /// `sub`.
    pub sub: tokengate_str,
    /// `jti`.
    pub jti: tokengate_str,
    /// The first audience of `aud` (its only one when `aud` is a string); see
    /// `tokengate_claims_audience` and `tokengate_has_audience` for the others.
    pub aud: tokengate_str,
    /// Number of audiences in `aud` (0 when absent).
    pub aud_count: usize,
    /// `exp` in whole seconds (rounded down), when `has_exp`.
    pub exp: u64,
    /// `nbf` in whole seconds, when `has_nbf`.
    pub nbf: u64,
    /// `iat` in whole seconds, when `has_iat`.
    pub iat: u64,
    /// Whether the token has `exp`.
    pub has_exp: bool,
    /// Whether the token has `nbf`.
    pub has_nbf: bool,
    /// Whether the token has `iat`.
    pub has_iat: bool,
    /// The header's `alg`, a `TOKENGATE_ALG_*` value.
    pub alg: u32,
    /// The header's `kid`.
    pub kid: tokengate_str,
    /// The header's `typ`.
    pub typ: tokengate_str,
    /// The verified claims set, JSON exactly as signed (escapes undecoded), for claims beyond
    /// the registered ones.
    pub claims_json: tokengate_str,
    /// For `tokengate_has_scope`: the decoded `scope` list.
    pub scope_list: tokengate_str,
    /// For `tokengate_has_scope`: the decoded `scp` list.
    pub scp_list: tokengate_str,
    /// For `tokengate_has_audience`: `aud` when it is an array, in the library's encoding.
    pub aud_list: tokengate_str,
}

impl tokengate_claims {
    pub(crate) const EMPTY_CLAIMS: Self = Self {
        iss: tokengate_str::NONE,
        sub: tokengate_str::NONE,
        jti: tokengate_str::NONE,
        aud: tokengate_str::NONE,
        aud_count: 0,
        exp: 0,
        nbf: 0,
        iat: 0,
        has_exp: false,
        has_nbf: false,
        has_iat: false,
        alg: 0,
        kid: tokengate_str::NONE,
        typ: tokengate_str::NONE,
        claims_json: tokengate_str::NONE,
        scope_list: tokengate_str::NONE,
        scp_list: tokengate_str::NONE,
        aud_list: tokengate_str::NONE,
    };

    fn of(verified: &Verified<'_>) -> Self {
        let claims = verified.claims();
        let header = verified.header();
        let aud = claims.aud();
        let (scope, scp) = claims.scopes().lists();
        let aud_list = match aud {
            Audience::Many(list) => list.encoded(),
            _ => &[],
        };
        Self {
            iss: tokengate_str::of_option(claims.iss()),
            sub: tokengate_str::of_option(claims.sub()),
            jti: tokengate_str::of_option(claims.jti()),
            aud: tokengate_str::of_option(aud.iter().next()),
            aud_count: aud.iter().count(),
            exp: claims.exp().map_or(0, |d| d.seconds()),
            nbf: claims.nbf().map_or(0, |d| d.seconds()),
            iat: claims.iat().map_or(0, |d| d.seconds()),
            has_exp: claims.exp().is_some(),
            has_nbf: claims.nbf().is_some(),
            has_iat: claims.iat().is_some(),
            alg: keys::c_alg(header.alg()),
            kid: tokengate_str::of_option(header.kid()),
            typ: tokengate_str::of_option(header.typ()),
            claims_json: tokengate_str::of(verified.claims_json()),
            scope_list: tokengate_str::of(scope),
            scp_list: tokengate_str::of(scp),
            aud_list: tokengate_str {
                ptr: aud_list.as_ptr().cast(),
                len: aud_list.len(),
            },
        }
    }
}

/// Everything a verification takes from C, checked and converted; `run` verifies with it.
///
/// # Safety
/// Every pointer is NULL or valid as `tokengate_verify` documents; the claims it writes point
/// into `buffers`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn verify_with<'b>(
    keys: *const tokengate_key,
    n_keys: usize,
    policy: *const tokengate_policy,
    token: *const u8,
    token_len: usize,
    buffers: *mut tokengate_buffers,
    out: *mut tokengate_claims,
    run: impl FnOnce(&Verifier<'_, '_>, &[u8], &'b mut Inner) -> Result<Verified<'b>, Error>,
) -> tokengate_status {
    if out.is_null() || !out.is_aligned() {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    // SAFETY: `out` is non-NULL, aligned and, by the contract, writable: a failed verification
    // leaves no stale views.
    unsafe { out.write(tokengate_claims::EMPTY_CLAIMS) };
    if policy.is_null() || buffers.is_null() || token.is_null() || keys.is_null() {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    if token_len > TOKENGATE_MAX_TOKEN_LEN {
        return TOKENGATE_STATUS_TOO_LARGE;
    }
    if !policy.is_aligned() {
        return TOKENGATE_STATUS_INVALID_ARGUMENT;
    }
    // SAFETY: non-NULL, aligned, and by the contract `token_len` readable bytes.
    let token = match unsafe { view::bytes(token, token_len) } {
        Ok(token) => token,
        Err(status) => return status,
    };
    // SAFETY: non-NULL and aligned; a policy is integers and pointers, so any bytes are a
    // valid value.
    let policy = unsafe { &*policy };
    // SAFETY: the policy's pointers are valid for their counts, by the contract.
    let strings = match unsafe { Strings::new(policy) } {
        Ok(strings) => strings,
        Err(status) => return status,
    };
    let mut slots = Slots::new();
    // SAFETY: `keys` points to `n_keys` keys with valid pointers, by the contract.
    if let Err(status) = unsafe { keys::convert(keys, n_keys, &mut slots) } {
        return status;
    }
    let keys = match keys::keys(&slots) {
        Ok(keys) => keys,
        Err(status) => return status,
    };
    let verifier = Verifier::new(&keys, strings.policy(policy));
    let inner = buffers.cast::<Inner>();
    // SAFETY: `buffers` is non-NULL and, by the contract, points to a writable
    // `tokengate_buffers` that nothing else uses during the call; clearing it first means the
    // library never reads memory C left uninitialized.
    unsafe { inner.write_bytes(0, 1) };
    // SAFETY: `Inner` is byte arrays only, of the same size and alignment (1) as
    // `tokengate_buffers` (asserted above), so the zeroed bytes are a valid `Inner`; the
    // reference is unique for the call. Its lifetime is the caller's: the claims written to
    // `out` point into these buffers, which the C caller keeps for as long as it uses them.
    let inner: &'b mut Inner = unsafe { &mut *inner };
    match run(&verifier, token, inner) {
        Ok(verified) => {
            // SAFETY: as the write above.
            unsafe { out.write(tokengate_claims::of(&verified)) };
            TOKENGATE_STATUS_OK
        }
        Err(e) => status::of(e),
    }
}

/// Verifies a compact JWT with one of `keys` against `policy` at time `now` (Unix seconds,
/// from a clock the caller trusts), in the caller's `buffers`; on success writes the claims to
/// `out` (views into `buffers`) and returns `TOKENGATE_STATUS_OK`, otherwise the status of the
/// first check that failed (and a zeroed `out`).
///
/// Checks, in order: three segments of canonical base64url that fit the buffers; a header of
/// strict JSON with a supported `alg` and neither `crit` nor `b64`; a key chosen by `kid` and
/// bound to that `alg`; the signature; claims of strict JSON with well-typed registered claims;
/// the policy.
///
/// Arguments: NULL for any pointer is `TOKENGATE_STATUS_NULL_ARGUMENT` (checked before anything
/// else, `out` first); `n_keys` 0 is `TOKENGATE_STATUS_INVALID_ARGUMENT` and above
/// `TOKENGATE_MAX_KEYS` `TOKENGATE_STATUS_TOO_MANY_KEYS`; `token_len` above
/// `TOKENGATE_MAX_TOKEN_LEN` is `TOKENGATE_STATUS_TOO_LARGE` (nothing is read).
///
/// Cost: every key passed is checked on each call, cheaply (see `tokengate_key`), and only the
/// key the token selects is prepared (an RSA key's Montgomery constants); the buffers are
/// cleared (3.5 KiB). Stack: `TOKENGATE_MAX_KEYS` small key slots (about 1.2 KiB with the
/// library's view of them) plus the library's verification, and for RSA the selected key's
/// constants. With the door firmware's five keys (capi/examples/door-firmware) on a Cortex-M4:
/// ES256 1.52 M instructions and 5.5 KiB of stack, EdDSA 1.93 M and 9.8 KiB, RS256-2048 0.74 M
/// and 5.3 KiB, PS256-2048 0.76 M and 6.3 KiB, HS256 52,000 and 3.3 KiB: the library's own
/// verification and about 10,000 instructions and 2 KiB more, and for RSA the selected key's
/// constants (about 200,000 instructions for RSA-2048).
///
/// # Safety
/// `keys` points to `n_keys` keys whose `material`, `kid` and `issuer` are readable for their
/// lengths; `policy`'s arrays likewise; `token` to `token_len` readable bytes (it is not kept:
/// the claims point into the buffers); `buffers` and `out` are writable and not used by another
/// thread during the call. Nothing is kept after the call but the views in `out`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tokengate_verify(
    keys: *const tokengate_key,
    n_keys: usize,
    policy: *const tokengate_policy,
    now: u64,
    token: *const u8,
    token_len: usize,
    buffers: *mut tokengate_buffers,
    out: *mut tokengate_claims,
) -> tokengate_status {
    // SAFETY: this function's contract is `verify_with`'s.
    unsafe {
        verify_with(
            keys,
            n_keys,
            policy,
            token,
            token_len,
            buffers,
            out,
            |verifier, token, buffers| verifier.verify(token, now, buffers),
        )
    }
}

/// A claims view field, read without making a reference to the whole struct (whose `bool`s C
/// could have overwritten); `None` for a NULL or misaligned `claims`.
///
/// # Safety
/// `claims` is NULL or points to a readable `tokengate_claims`.
unsafe fn field(
    claims: *const tokengate_claims,
    pick: impl FnOnce(*const tokengate_claims) -> *const tokengate_str,
) -> Option<tokengate_str> {
    if claims.is_null() || !claims.is_aligned() {
        return None;
    }
    // SAFETY: `claims` is non-NULL, aligned and readable; `pick` gives a field of it, and a
    // `tokengate_str` is a pointer and an integer, valid whatever its bytes.
    Some(unsafe { pick(claims).read() })
}

/// A C string argument as `&str`; `None` for NULL, a huge length or bytes that are not UTF-8.
///
/// # Safety
/// `name` is NULL or points to `len` readable bytes.
unsafe fn name<'a>(name: *const c_char, len: usize) -> Option<&'a str> {
    if name.is_null() {
        return None;
    }
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { view::bytes(name.cast(), len) }.ok()?;
    core::str::from_utf8(bytes).ok()
}

/// Whether the verified token grants the scope `name` (`len` bytes, not NUL-terminated) in
/// `scope` or `scp` (exact, case-sensitive match of one space-delimited token). False for NULL
/// arguments, an empty name, a name with a space or one that is not UTF-8.
///
/// # Safety
/// `claims` was filled by a successful verification whose buffers have not been used since;
/// `name` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_has_scope(
    claims: *const tokengate_claims,
    name: *const c_char,
    len: usize,
) -> bool {
    // SAFETY: `claims` is readable, by the contract.
    let scope = unsafe { field(claims, |c| core::ptr::addr_of!((*c).scope_list)) };
    // SAFETY: as above.
    let scp = unsafe { field(claims, |c| core::ptr::addr_of!((*c).scp_list)) };
    // SAFETY: `name` points to `len` bytes, by the contract.
    let wanted = unsafe { self::name(name, len) };
    let (Some(scope), Some(scp), Some(wanted)) = (scope, scp, wanted) else {
        return false;
    };
    // SAFETY: the views point into buffers still holding the verified token, by the contract.
    let (Ok(scope), Ok(scp)) = (unsafe { view::str(scope) }, unsafe { view::str(scp) }) else {
        return false;
    };
    Scopes::from_lists(scope, scp).contains(wanted)
}

/// The audiences of a verified token, in token order.
///
/// # Safety
/// As `tokengate_has_audience`.
unsafe fn audience_of<'a>(claims: *const tokengate_claims) -> Option<Audience<'a>> {
    // SAFETY: `claims` is readable, by the contract.
    let first = unsafe { field(claims, |c| core::ptr::addr_of!((*c).aud)) }?;
    // SAFETY: as above.
    let list = unsafe { field(claims, |c| core::ptr::addr_of!((*c).aud_list)) }?;
    if list.len > 0 {
        // SAFETY: the view points into buffers still holding the verified token.
        let bytes = unsafe { view::bytes(list.ptr.cast(), list.len) }.ok()?;
        return Some(Audience::Many(StrList::from_encoded(bytes)));
    }
    // SAFETY: as above.
    Some(match unsafe { view::optional_str(first) }.ok()? {
        Some(one) => Audience::One(one),
        None => Audience::Absent,
    })
}

/// Whether the verified token's `aud` contains `name` (`len` bytes; exact match). False for
/// NULL arguments.
///
/// # Safety
/// `claims` was filled by a successful verification whose buffers have not been used since;
/// `name` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_has_audience(
    claims: *const tokengate_claims,
    name: *const c_char,
    len: usize,
) -> bool {
    // SAFETY: forwarded from this function's contract.
    let (Some(aud), Some(wanted)) = (unsafe { audience_of(claims) }, unsafe {
        self::name(name, len)
    }) else {
        return false;
    };
    aud.contains(wanted)
}

/// The audience at `index` (0 to `aud_count - 1`) of a verified token, written to `out`.
/// Returns `TOKENGATE_STATUS_OK`, `TOKENGATE_STATUS_NULL_ARGUMENT`, or
/// `TOKENGATE_STATUS_INVALID_ARGUMENT` for an index past the last audience.
///
/// # Safety
/// `claims` was filled by a successful verification whose buffers have not been used since;
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_claims_audience(
    claims: *const tokengate_claims,
    index: usize,
    out: *mut tokengate_str,
) -> tokengate_status {
    if out.is_null() || !out.is_aligned() {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    // SAFETY: non-NULL, aligned and writable, by the contract.
    unsafe { out.write(tokengate_str::NONE) };
    // SAFETY: forwarded from this function's contract.
    let Some(aud) = (unsafe { audience_of(claims) }) else {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    };
    match aud.iter().nth(index) {
        Some(found) => {
            // SAFETY: as above.
            unsafe { out.write(tokengate_str::of(found)) };
            TOKENGATE_STATUS_OK
        }
        None => TOKENGATE_STATUS_INVALID_ARGUMENT,
    }
}
