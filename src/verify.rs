//! The one entry point: a token is either fully verified or rejected by one call.

use serde::Deserialize;

use crate::arena::Arena;
use crate::claims::{Claims, RawClaims};
use crate::compact::{self, Compact};
use crate::error::{Error, Segment};
use crate::header::{Header, RawHeader};
use crate::keys::{self, Key};
use crate::policy::Policy;

/// Decoded header and payload capacity of [`Buffers`] by default: enough for any token of up to
/// 2 KiB ([`DEFAULT_MAX_TOKEN_LEN`]), since base64url turns 4 characters into 3 bytes.
pub const DEFAULT_CAPACITY: usize = 1536;

/// The token length that [`Buffers`] with [`DEFAULT_CAPACITY`] always accepts.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 2048;

/// Largest signature: an RSA-4096 signature is 512 bytes.
pub const MAX_SIGNATURE_LEN: usize = 512;

/// The memory one verification works in, chosen by the caller at compile time.
///
/// `N` bounds the decoded header plus payload, and is also the size of the scratch space where
/// escaped JSON strings are decoded. A token that does not fit is [`Error::TooLarge`], never
/// truncated. `Buffers<N>` takes `2 * N + 512` bytes; [`Buffers::new`] is `const`, so it can be a
/// `static` rather than sit on a small stack.
#[derive(Clone)]
pub struct Buffers<const N: usize = DEFAULT_CAPACITY> {
    data: [u8; N],
    scratch: [u8; N],
    signature: [u8; MAX_SIGNATURE_LEN],
}

impl<const N: usize> Buffers<N> {
    /// Zeroed buffers.
    pub const fn new() -> Self {
        Self {
            data: [0; N],
            scratch: [0; N],
            signature: [0; MAX_SIGNATURE_LEN],
        }
    }
}

impl<const N: usize> Default for Buffers<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> core::fmt::Debug for Buffers<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Buffers")
            .field("capacity", &N)
            .finish_non_exhaustive()
    }
}

/// A verified token: its header, registered claims and, with
/// [`Verifier::verify_with_claims`], the caller's own claims type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified<'b, C = ()> {
    header: Header<'b>,
    claims: Claims<'b>,
    custom: C,
    json: &'b str,
}

impl<'b, C> Verified<'b, C> {
    /// The JOSE header.
    pub fn header(&self) -> &Header<'b> {
        &self.header
    }

    /// The registered claims.
    pub fn claims(&self) -> &Claims<'b> {
        &self.claims
    }

    /// The caller's claims.
    pub fn custom(&self) -> &C {
        &self.custom
    }

    /// The caller's claims, by value.
    pub fn into_custom(self) -> C {
        self.custom
    }

    /// Whether the token grants `scope` (in `scope` or `scp`).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.claims.scopes().contains(scope)
    }

    /// The verified claims set as JSON text, exactly as signed (escapes undecoded), for callers
    /// that need claims beyond the registered ones without a claims type.
    pub fn claims_json(&self) -> &'b str {
        self.json
    }
}

/// A JWS whose signature verified, with a payload that need not be JSON (see
/// [`Verifier::verify_jws`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Jws<'b> {
    header: Header<'b>,
    payload: &'b [u8],
}

/// The payload's length only: a JWS payload may be a key set whose HS256 entries are secrets.
impl core::fmt::Debug for Jws<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

impl<'b> Jws<'b> {
    /// Verifies the signature of a compact JWS whose payload may be anything (not a JWT) with
    /// one of `keys`: the segment, header and key checks of [`Verifier::verify`], no claims, no
    /// policy.
    ///
    /// # Errors
    /// As [`Verifier::verify`] up to the signature.
    pub fn verify<const N: usize>(
        keys: &[Key<'_>],
        token: impl AsRef<[u8]>,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Self, Error> {
        let signed = verify_signature(keys, token.as_ref(), buffers)?;
        let mut arena = Arena::new(signed.scratch);
        Ok(Jws {
            header: signed.header.decode(&mut arena)?,
            payload: signed.payload,
        })
    }

    /// The JOSE header.
    pub fn header(&self) -> &Header<'b> {
        &self.header
    }

    /// The decoded payload.
    pub fn payload(&self) -> &'b [u8] {
        self.payload
    }
}

/// Deserializes the caller's claims type with `serde-json-core`, the scratch as its unescape
/// buffer.
pub(crate) fn custom_claims<'b, C: Deserialize<'b>>(
    payload: &'b [u8],
    scratch: &mut [u8],
) -> Result<C, Error> {
    serde_json_core::from_slice_escaped::<C>(payload, scratch)
        .map(|(claims, _)| claims)
        .map_err(|e| match e {
            serde_json_core::de::Error::EscapedStringIsTooLong => Error::ScratchTooSmall,
            _ => Error::CustomClaims,
        })
}

/// Provisioned keys and a policy: everything needed to decide on a token but the clock.
///
/// ```
/// use tokengate::{Buffers, Expected, Hs256Key, Key, Policy, Verifier};
///
/// static KEYS: [Key<'static>; 1] = [match Hs256Key::new(b"0123456789abcdef0123456789abcdef") {
///     Ok(secret) => Key::hs256(secret),
///     Err(_) => panic!(),
/// }];
/// static GATE: Verifier<'static, 'static> = Verifier::new(
///     &KEYS,
///     Policy::new(Expected::Exactly("https://issuer.example"), Expected::Exactly("door-17"))
///         .with_scopes(&["door:open"]),
/// );
///
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiZG9vci0xNyIsImV4cCI6MTgwMDAwMDAwMCwic2NvcGUiOiJkb29yOm9wZW4ifQ.ox1M_Y83LRM-gBv-YfTrlM7Xj_fjYjc1eAi7PyBO_Mo";
/// let mut buffers = Buffers::<512>::new();
/// let verified = GATE.verify(token, 1_700_000_000, &mut buffers)?;
/// assert!(verified.has_scope("door:open"));
///
/// let expired = GATE.verify(token, 1_800_000_000, &mut buffers);
/// assert_eq!(expired.unwrap_err(), tokengate::Error::Expired { now: 1_800_000_000, exp: 1_800_000_000 });
/// # Ok::<(), tokengate::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Verifier<'k, 'p> {
    keys: &'k [Key<'k>],
    policy: Policy<'p>,
}

/// The verifier's extension point for stateful checks: where a verification's time comes from,
/// and a last word on a token that passed every other check. The offline gate
/// ([`OfflineGate`](crate::OfflineGate), a [`ReplayGuard`](crate::ReplayGuard), an
/// [`AnchoredClock`](crate::AnchoredClock)) is built on it; so can an integrator's own state.
///
/// [`Verifier::verify_with_hook`] calls [`Hook::now`] once the signature verified and the claims
/// were read, checks the policy at that time, decodes the claims, and then calls
/// [`Hook::accept`]: the hook changes its state in `accept` only, so state changes only for an
/// accepted token.
///
/// ```
/// use tokengate::{Buffers, Error, Evidence, Expected, Hook, Hs256Key, Key, Policy, Verifier};
///
/// /// Accepts at most `left` more tokens, at a fixed time.
/// struct Quota { now: u64, left: u32 }
///
/// impl Hook for Quota {
///     fn now(&mut self, _iat: Option<u64>) -> u64 {
///         self.now
///     }
///     fn accept(&mut self, _evidence: &Evidence<'_>) -> Result<(), Error> {
///         self.left = self.left.checked_sub(1).ok_or(Error::ReplayGuardFull { capacity: 0 })?;
///         Ok(())
///     }
/// }
///
/// static KEYS: [Key<'static>; 1] = [match Hs256Key::new(b"0123456789abcdef0123456789abcdef") {
///     Ok(secret) => Key::hs256(secret),
///     Err(_) => panic!(),
/// }];
/// let verifier = Verifier::new(
///     &KEYS,
///     Policy::new(Expected::Exactly("https://issuer.example"), Expected::Exactly("door-17")),
/// );
/// let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiZG9vci0xNyIsImV4cCI6MTgwMDAwMDAwMCwic2NvcGUiOiJkb29yOm9wZW4ifQ.ox1M_Y83LRM-gBv-YfTrlM7Xj_fjYjc1eAi7PyBO_Mo";
/// let mut quota = Quota { now: 1_700_000_000, left: 1 };
/// let mut buffers = Buffers::<512>::new();
/// assert!(verifier.verify_with_hook(token, &mut quota, &mut buffers).is_ok());
/// assert!(verifier.verify_with_hook(token, &mut quota, &mut buffers).is_err());
/// ```
pub trait Hook {
    /// The time (Unix seconds) to check the policy at. `iat` is the token's verified `iat` in
    /// whole seconds when the policy takes it as evidence of the time
    /// ([`Policy::with_iat_as_time`]), else `None`. Called at most once per verification.
    fn now(&mut self, iat: Option<u64>) -> u64;

    /// The last check, once the token passed every other one at the time [`Hook::now`] gave:
    /// an `Err` refuses the token, `Ok` accepts it.
    ///
    /// # Errors
    /// The hook's reason to refuse the token, returned by the verification as is.
    fn accept(&mut self, evidence: &Evidence<'_>) -> Result<(), Error>;
}

/// What [`Hook::accept`] knows of a token that passed every other check.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    now: u64,
    claims: &'a Claims<'a>,
    signing_input: &'a [u8],
    policy: &'a Policy<'a>,
}

impl<'a> Evidence<'a> {
    /// The time the policy was checked at, from [`Hook::now`].
    pub const fn now(&self) -> u64 {
        self.now
    }

    /// The token's registered claims.
    pub const fn claims(&self) -> &'a Claims<'a> {
        self.claims
    }

    /// The signed bytes, `header.payload` as received: what identifies a token that has no
    /// `jti`.
    pub const fn signing_input(&self) -> &'a [u8] {
        self.signing_input
    }

    /// The policy the token satisfied.
    pub const fn policy(&self) -> &'a Policy<'a> {
        self.policy
    }
}

/// A clock the caller trusts: [`Verifier::verify`]'s hook.
struct TrustedTime(u64);

impl Hook for TrustedTime {
    fn now(&mut self, _iat: Option<u64>) -> u64 {
        self.0
    }

    fn accept(&mut self, _evidence: &Evidence<'_>) -> Result<(), Error> {
        Ok(())
    }
}

/// No claims type of the caller's.
fn no_custom(_: &[u8], _: &mut [u8]) -> Result<(), Error> {
    Ok(())
}

/// What a verification has established before the claims are read.
struct Signed<'b, 'k, 't> {
    header: RawHeader<'b>,
    payload: &'b [u8],
    scratch: &'b mut [u8],
    key: Key<'k>,
    signing_input: &'t [u8],
}

impl<'k, 'p> Verifier<'k, 'p> {
    /// A verifier for tokens signed by one of `keys` that satisfy `policy`.
    pub const fn new(keys: &'k [Key<'k>], policy: Policy<'p>) -> Self {
        Self { keys, policy }
    }

    /// The provisioned keys.
    pub const fn keys(&self) -> &'k [Key<'k>] {
        self.keys
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy<'p> {
        &self.policy
    }

    /// Verifies a compact JWT against the keys and the policy at time `now` (Unix seconds, from
    /// a clock the caller trusts).
    ///
    /// In order: three segments of canonical base64url that fit `buffers`; a header that is
    /// strict JSON with a supported `alg` and neither `crit` nor `b64`; a key chosen by `kid` and
    /// bound to that `alg`; the signature over the first two segments as received; claims that
    /// are strict JSON with well-typed registered claims; the policy.
    ///
    /// # Errors
    /// The first check that fails, as an [`Error`] variant.
    pub fn verify<'b, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        now: u64,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b>, Error> {
        self.run(token.as_ref(), &mut TrustedTime(now), buffers, no_custom)
            .map(|(v, _)| v)
    }

    /// As [`Verifier::verify`], and also deserializes the claims into the caller's type `C`
    /// (with `serde-json-core`, after every other check passed).
    ///
    /// `C` borrows `&str` fields from the payload only when they contain no JSON escape; use a
    /// `heapless::String` for fields that may be escaped. The scratch half of `buffers` is the
    /// unescape buffer for `C`'s strings and member names.
    ///
    /// # Errors
    /// As [`Verifier::verify`], and [`Error::CustomClaims`] when `C` does not deserialize.
    pub fn verify_with_claims<'b, C: Deserialize<'b>, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        now: u64,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b, C>, Error> {
        self.run(
            token.as_ref(),
            &mut TrustedTime(now),
            buffers,
            custom_claims,
        )
        .map(|(v, _)| v)
    }

    /// As [`Verifier::verify`], with the time from `hook` and `hook`'s last word (see [`Hook`]).
    ///
    /// # Errors
    /// As [`Verifier::verify`], then what [`Hook::accept`] returned.
    pub fn verify_with_hook<'b, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        hook: &mut impl Hook,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b>, Error> {
        self.run(token.as_ref(), hook, buffers, no_custom)
            .map(|(v, _)| v)
    }

    /// [`Verifier::verify_with_hook`] and [`Verifier::verify_with_claims`] in one.
    ///
    /// # Errors
    /// As both.
    pub fn verify_with_claims_and_hook<'b, C: Deserialize<'b>, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        hook: &mut impl Hook,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Verified<'b, C>, Error> {
        self.run(token.as_ref(), hook, buffers, custom_claims)
            .map(|(v, _)| v)
    }

    /// Verifies the signature of a compact JWS whose payload may be anything (not a JWT) with
    /// this verifier's keys: [`Jws::verify`]. The policy is not used.
    ///
    /// # Errors
    /// As [`Verifier::verify`] up to the signature.
    pub fn verify_jws<'b, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Jws<'b>, Error> {
        Jws::verify(self.keys, token, buffers)
    }

    /// Every check, in order: the signature layer, the claims, the hook's time, the policy, the
    /// caller's claims type, the decoded view, the hook's last word.
    ///
    /// Returns the time too, which the callers drop: with a bare `Verified` in its `Result`,
    /// LLVM decoded the header and claims into temporaries and copied them into the result,
    /// 96 to 120 more bytes of stack on every target (measured on Cortex-M0: a 476-byte frame
    /// against 356 this way).
    fn run<'b, C, const N: usize>(
        &self,
        token: &[u8],
        hook: &mut impl Hook,
        buffers: &'b mut Buffers<N>,
        custom: impl FnOnce(&'b [u8], &mut [u8]) -> Result<C, Error>,
    ) -> Result<(Verified<'b, C>, u64), Error> {
        let Signed {
            header,
            payload,
            scratch,
            key,
            signing_input,
        } = verify_signature(self.keys, token, buffers)?;
        let mut claims = RawClaims::default();
        claims.read(payload)?;
        let iat = match claims.iat {
            Some(iat) if self.policy.takes_iat_as_time() => Some(iat.seconds()),
            _ => None,
        };
        let now = hook.now(iat);
        self.policy.check(&header, &claims, key.issuer(), now)?;
        let custom = custom(payload, &mut *scratch)?;
        let mut arena = Arena::new(scratch);
        let header = header.decode(&mut arena)?;
        let json = claims.text;
        let claims = claims.decode(&mut arena)?;
        hook.accept(&Evidence {
            now,
            claims: &claims,
            signing_input,
            policy: &self.policy,
        })?;
        Ok((
            Verified {
                header,
                claims,
                custom,
                json,
            },
            now,
        ))
    }
}

/// Everything up to and including the signature.
fn verify_signature<'b, 'k, 't, const N: usize>(
    keys: &[Key<'k>],
    token: &'t [u8],
    buffers: &'b mut Buffers<N>,
) -> Result<Signed<'b, 'k, 't>, Error> {
    let compact = Compact::split(token)?;
    let header_len = compact::decoded_len(compact.header.len());
    let needed = header_len.saturating_add(compact::decoded_len(compact.payload.len()));
    if needed > N {
        return Err(Error::TooLarge {
            needed,
            capacity: N,
        });
    }
    let signature_len = compact::decoded_len(compact.signature.len());
    if signature_len > MAX_SIGNATURE_LEN {
        return Err(Error::TooLarge {
            needed: signature_len,
            capacity: MAX_SIGNATURE_LEN,
        });
    }
    let Buffers {
        data,
        scratch,
        signature,
    } = buffers;
    let (header_buf, payload_buf) =
        data.split_at_mut_checked(header_len)
            .ok_or(Error::TooLarge {
                needed,
                capacity: N,
            })?;
    let header = compact::decode(compact.header, header_buf, Segment::Header)?;
    let payload = compact::decode(compact.payload, payload_buf, Segment::Payload)?;
    let signature = compact::decode(compact.signature, signature, Segment::Signature)?;

    let header = RawHeader::parse(header)?;
    let key = keys::verify_with_keys(
        keys,
        header.alg,
        header.kid.as_ref(),
        compact.signing_input,
        signature,
    )?;
    Ok(Signed {
        header,
        payload,
        scratch,
        key,
        signing_input: compact.signing_input,
    })
}
