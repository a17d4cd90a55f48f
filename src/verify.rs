//! The one entry point: a token is either fully verified or rejected by one call.

use serde::Deserialize;

use crate::arena::Arena;
use crate::claims::{Claims, RawClaims};
use crate::compact::{self, Compact};
use crate::error::{Error, Part, Segment};
use crate::header::{Header, RawHeader};
use crate::keys::{self, Key};
use crate::policy::Policy;
#[allow(unused_imports)] // Linked from the docs.
use crate::policy::ReplayId;
use crate::replay::{ReplayGuard, Ticket};

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

/// What a verification has established before the claims are read.
struct Signed<'b, 'k, 't> {
    header: RawHeader<'b>,
    payload: &'b [u8],
    scratch: &'b mut [u8],
    key: Key<'k>,
    signing_input: &'t [u8],
}

/// Where the verification's `now` comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Time {
    /// A clock the caller trusts.
    At(u64),
    /// A lower bound on the time ([`AnchoredClock`](crate::AnchoredClock)), raised to the
    /// token's verified `iat` when the policy takes `iat` as evidence of the time.
    Floor(u64),
}

/// What the stateful callers (replay guard, anchored clock) need from a verification.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp {
    /// The `now` the policy was checked at.
    pub(crate) now: u64,
    /// The replay record, when asked for.
    pub(crate) ticket: Option<Ticket>,
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
        self.verify_inner(token.as_ref(), Time::At(now), false, buffers, |_, _| Ok(()))
            .map(|(verified, _)| verified)
    }

    /// As [`Verifier::verify`], and then admits the token to `guard`: a token is accepted once
    /// until it expires (see [`ReplayGuard`]). State changes only when the token is accepted.
    ///
    /// # Errors
    /// As [`Verifier::verify`]; [`Error::Replayed`] for a second use;
    /// [`Error::ReplayGuardFull`] when the guard cannot remember one more unexpired token;
    /// [`Error::MissingMember`] for a token without `jti` (unless the policy falls back to the
    /// signing input, [`ReplayId::JtiOrSigningInput`]).
    pub fn verify_once<'b, const N: usize, const R: usize>(
        &self,
        token: impl AsRef<[u8]>,
        now: u64,
        buffers: &'b mut Buffers<N>,
        guard: &mut ReplayGuard<R>,
    ) -> Result<Verified<'b>, Error> {
        let (verified, stamp) =
            self.verify_inner(token.as_ref(), Time::At(now), true, buffers, |_, _| Ok(()))?;
        guard.admit(stamp.ticket, stamp.now)?;
        Ok(verified)
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
        self.verify_inner(token.as_ref(), Time::At(now), false, buffers, custom_claims)
            .map(|(verified, _)| verified)
    }

    /// Verifies the signature of a compact JWS whose payload may be anything (not a JWT): the
    /// same segment, header and key checks as [`Verifier::verify`], no claims, no policy.
    ///
    /// # Errors
    /// As [`Verifier::verify`] up to the signature.
    pub fn verify_jws<'b, const N: usize>(
        &self,
        token: impl AsRef<[u8]>,
        buffers: &'b mut Buffers<N>,
    ) -> Result<Jws<'b>, Error> {
        let signed = self.verify_signature(token.as_ref(), buffers)?;
        let mut arena = Arena::new(signed.scratch);
        Ok(Jws {
            header: signed.header.decode(&mut arena)?,
            payload: signed.payload,
        })
    }

    /// Every check, at a time from `time`; with `ticket`, also the replay record.
    pub(crate) fn verify_inner<'b, C, const N: usize>(
        &self,
        token: &[u8],
        time: Time,
        ticket: bool,
        buffers: &'b mut Buffers<N>,
        custom: impl FnOnce(&'b [u8], &mut [u8]) -> Result<C, Error>,
    ) -> Result<(Verified<'b, C>, Stamp), Error> {
        let Signed {
            header,
            payload,
            scratch,
            key,
            signing_input,
        } = self.verify_signature(token, buffers)?;
        let text = core::str::from_utf8(payload).map_err(|_| Error::Json { part: Part::Claims })?;
        let claims = RawClaims::parse(text)?;
        if let Some(bound) = key.issuer() {
            match claims.iss {
                Some(iss) if iss.eq_str(bound) => {}
                _ => return Err(Error::KeyIssuerMismatch),
            }
        }
        let now = match time {
            Time::At(now) => now,
            Time::Floor(floor) => match claims.iat {
                Some(iat) if self.policy.takes_iat_as_time() => floor.max(iat.seconds()),
                _ => floor,
            },
        };
        self.policy.check(&header, &claims, now)?;
        let ticket = if ticket {
            Some(Ticket::new(&claims, signing_input, &self.policy)?)
        } else {
            None
        };
        let custom = custom(payload, &mut *scratch)?;
        let mut arena = Arena::new(scratch);
        let verified = Verified {
            header: header.decode(&mut arena)?,
            claims: claims.decode(&mut arena)?,
            custom,
            json: text,
        };
        Ok((verified, Stamp { now, ticket }))
    }

    /// Everything up to and including the signature.
    fn verify_signature<'b, 't, const N: usize>(
        &self,
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

        let text = core::str::from_utf8(header).map_err(|_| Error::Json { part: Part::Header })?;
        let header = RawHeader::parse(text)?;
        let key = keys::verify_with_keys(
            self.keys,
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
}
