//! The one error type of the crate.

use core::fmt;

use crate::Alg;

/// Which rule refused a well-formed JWK, in [`Error::Jwk`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Reason {
    /// `use` is not `"sig"`: not a signature key (RFC 7517 §4.2).
    UseNotSig,
    /// `key_ops` does not include `"verify"` (RFC 7517 §4.3).
    KeyOpsWithoutVerify,
    /// `kty` is not `EC`, `RSA`, `oct` or `OKP`, or none of its algorithms' cargo features is
    /// enabled.
    UnsupportedKty,
    /// `alg` is not an algorithm of the key's type (or its feature is disabled), or for an `EC`
    /// key not the algorithm of its curve (ES256 on `P-384`, ES384 on `P-256`); or a key without
    /// `alg` whose default algorithm is compiled out (RS256 for `RSA`, the curve's for `EC`).
    AlgNotForKty {
        /// The key's algorithm without `alg` (for `EC` its curve's: ES256 on `P-256`, ES384
        /// on `P-384`; RS256 for `RSA`), or for `oct` its first one compiled in (HS256 in a
        /// default build).
        key: Alg,
    },
    /// An `oct` key has no `alg`: a secret is bound to HS256, HS384 or HS512 only by naming it.
    OctWithoutAlg,
    /// An `EC` key's `crv` is not `P-256` or `P-384`.
    UnsupportedCrv,
    /// An `OKP` key's `crv` is not `Ed25519`: `Ed448` (not supported) or `X25519`, `X448`
    /// (key agreement, not signatures).
    UnsupportedOkpCrv,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Reason::UseNotSig => f.write_str("`use` is not \"sig\""),
            Reason::KeyOpsWithoutVerify => f.write_str("`key_ops` does not include \"verify\""),
            Reason::UnsupportedKty => {
                f.write_str("`kty` is not EC, RSA, oct or OKP (or not compiled in)")
            }
            Reason::AlgNotForKty { key } => {
                write!(
                    f,
                    "`alg` is not an algorithm of the key type (such as {key})"
                )
            }
            Reason::OctWithoutAlg => {
                f.write_str("an oct key without `alg` (a secret must name HS256, HS384 or HS512)")
            }
            Reason::UnsupportedCrv => f.write_str("`crv` is not P-256 or P-384"),
            Reason::UnsupportedOkpCrv => f.write_str(
                "an OKP key's `crv` is not Ed25519 (Ed448 is not supported; X25519 and X448 do not sign)",
            ),
        }
    }
}

/// Which JSON document an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Part {
    /// The JOSE header (first segment).
    Header,
    /// The claims set (second segment).
    Claims,
    /// A JWK or JWK Set read by [`jwk`](crate::jwk) (in a rotated key set: one of its keys).
    Jwk,
}

/// Which of the three compact-serialization segments an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Segment {
    /// The base64url-encoded JOSE header.
    Header,
    /// The base64url-encoded payload.
    Payload,
    /// The base64url-encoded signature.
    Signature,
}

/// Why a token, a key or a policy was refused.
///
/// One flat enum: every way a verification can fail is a variant here, with heap-free context
/// where the context helps (times, lengths, member names). Signature failures are deliberately
/// opaque: [`Error::BadSignature`] says the signature did not verify, never why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    // --- compact serialization -----------------------------------------------------------------
    /// The token does not have exactly three `.`-separated segments.
    SegmentCount,
    /// A segment is not canonical unpadded base64url (RFC 7515 §2): padding, whitespace, a
    /// character outside the alphabet, or non-zero unused trailing bits.
    Base64 {
        /// The segment that failed to decode.
        segment: Segment,
    },
    /// The decoded header and payload do not fit the [`Buffers`](crate::Buffers), or the
    /// signature is longer than any supported signature
    /// ([`MAX_SIGNATURE_LEN`](crate::MAX_SIGNATURE_LEN)); or a caller's output buffer is too small
    /// ([`ReplayGuard::save`](crate::ReplayGuard::save),
    /// [`Jwk::material`](crate::jwk::Jwk::material), [`Jwk::kid_into`](crate::jwk::Jwk::kid_into)).
    /// Nothing was truncated.
    TooLarge {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        capacity: usize,
    },

    // --- JSON ------------------------------------------------------------------------------------
    /// The header or claims are not well-formed JSON (RFC 8259), or not UTF-8.
    Json {
        /// The document.
        part: Part,
    },
    /// The header or claims are JSON, but not a JSON object.
    NotAnObject {
        /// The document.
        part: Part,
    },
    /// JSON arrays and objects are nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH).
    TooDeep {
        /// The document.
        part: Part,
    },
    /// The objects open at one point of the header or claims hold more than
    /// [`MAX_MEMBERS`](crate::MAX_MEMBERS) member names between them (an object's members
    /// and those of the objects around it, read so far).
    TooManyMembers {
        /// The document.
        part: Part,
    },
    /// A JSON object has the same member name twice (after unescaping).
    DuplicateMember {
        /// The document.
        part: Part,
    },
    /// A member the verifier needs is absent.
    MissingMember {
        /// The document.
        part: Part,
        /// The member name, e.g. `"alg"` or `"exp"`.
        name: &'static str,
    },
    /// A member is present with the wrong JSON type or an out-of-range value.
    InvalidMember {
        /// The document.
        part: Part,
        /// The member name, e.g. `"kid"` or `"exp"`.
        name: &'static str,
    },

    // --- header ----------------------------------------------------------------------------------
    /// The header's `alg` is `none` (in any letter case). Unsecured tokens are never accepted.
    AlgNone,
    /// The header's `alg` is not `ES256`, `RS256` or `HS256` (matched case-sensitively), or names
    /// an algorithm whose cargo feature is disabled.
    UnsupportedAlg,
    /// The header has a `crit` member. tokengate understands no JOSE extensions, so RFC 7515
    /// §4.1.11 requires the token to be rejected.
    CritHeader,
    /// The header has a `b64` member (RFC 7797 unencoded payload), which tokengate never accepts.
    UnencodedPayload,

    // --- keys ------------------------------------------------------------------------------------
    /// The token names a `kid` that no provisioned key has, and no key is provisioned without one.
    UnknownKid,
    /// The key chosen by `kid` is bound to a different algorithm than the token's `alg`.
    /// This is what stops RS256/HS256 confusion and algorithm downgrades.
    AlgMismatch {
        /// The `alg` the token asks for.
        token: Alg,
        /// The algorithm the chosen key is bound to.
        key: Alg,
    },
    /// The token has no `kid` and no provisioned key is bound to its `alg`.
    NoKeyForAlg {
        /// The `alg` the token asks for.
        alg: Alg,
    },
    /// Key material was refused: not a point on P-256, malformed SEC1, even or out-of-range RSA
    /// modulus or exponent.
    InvalidKey,
    /// An RSA modulus outside 2048..=4096 bits (or wider than the chosen integer size).
    RsaKeySize {
        /// The modulus size in bits.
        bits: u32,
    },
    /// An HMAC secret shorter than its algorithm's hash (RFC 7518 §3.2): 32 bytes for HS256,
    /// 48 for HS384, 64 for HS512.
    SecretTooShort {
        /// The secret length in bytes.
        len: usize,
        /// The shortest secret the algorithm takes.
        min: usize,
    },
    /// A well-formed JWK that the rules of [`jwk`](crate::jwk) do not bind to a supported
    /// algorithm: not a signature key, another key type, curve or algorithm.
    Jwk {
        /// The rule that refused it.
        reason: Reason,
    },

    // --- signature -------------------------------------------------------------------------------
    /// The signature has the wrong length for the algorithm and key.
    SignatureLength {
        /// The decoded signature length.
        len: usize,
        /// The length the key requires.
        expected: usize,
    },
    /// The signature did not verify.
    BadSignature,

    // --- claims and policy -----------------------------------------------------------------------
    /// `now >= exp + leeway`.
    Expired {
        /// The verifier's clock.
        now: u64,
        /// The token's `exp` (whole seconds, rounded down).
        exp: u64,
    },
    /// `now + leeway < nbf`.
    NotYetValid {
        /// The verifier's clock.
        now: u64,
        /// The token's `nbf` (whole seconds, rounded down).
        nbf: u64,
    },
    /// `now + leeway < iat`: the token claims to be issued in the future.
    IssuedInFuture {
        /// The verifier's clock.
        now: u64,
        /// The token's `iat` (whole seconds, rounded down).
        iat: u64,
    },
    /// The token is older than the policy's maximum age: `now > iat + max_age + leeway`.
    TooOld {
        /// The verifier's clock.
        now: u64,
        /// The token's `iat` (whole seconds, rounded down).
        iat: u64,
        /// The policy's maximum age in seconds.
        max_age: u64,
    },
    /// `iss` is not the issuer (or one of the issuers) the policy requires.
    WrongIssuer,
    /// `aud` does not contain the audience the policy requires.
    WrongAudience,
    /// The header's `typ` is absent or not the type the policy requires.
    WrongType,
    /// A scope the policy requires is not granted by `scope` / `scp`.
    MissingScope,
    /// The key that verified the signature is bound to another issuer than the token's `iss`
    /// (or the token has no `iss`): see [`Key::with_issuer`](crate::Key::with_issuer).
    KeyIssuerMismatch,

    // --- offline gate ----------------------------------------------------------------------------
    /// The token was already accepted once and has not expired: a replay.
    Replayed,
    /// The replay guard is full of tokens that have not expired yet, so it cannot remember this
    /// one: the token is refused rather than an old one forgotten.
    ReplayGuardFull {
        /// Entries the guard holds.
        capacity: usize,
    },
    /// Saved gate state (replay guard or clock) is corrupt, truncated, or from another format.
    CorruptState,
    /// An [`AnchoredClock`](crate::AnchoredClock) was given a tick rate of zero ticks per
    /// second.
    ZeroTickRate,
    /// A key set's version is older than the newest one the device accepted (see
    /// [`KeyRing::install`](crate::KeyRing::install)): an old key set replayed.
    StaleKeySet {
        /// The version in the rotation token.
        version: u64,
        /// The newest version accepted so far: the lowest that is accepted.
        minimum: u64,
    },
    /// A rotated key set's payload is not a versioned JWK Set: not a JSON object with an integer
    /// `ver` and a `keys` array. (Its keys are read by [`jwk`](crate::jwk), and a key it refuses
    /// fails with that error.)
    MalformedKeySet,
    /// A rotated key set has more keys, or a longer `kid` / issuer / secret, than its storage.
    KeySetTooLarge {
        /// Keys in the set.
        keys: usize,
        /// Keys the storage holds.
        capacity: usize,
    },

    // --- caller's side ---------------------------------------------------------------------------
    /// The scratch buffer cannot hold the unescaped strings; nothing was truncated.
    ScratchTooSmall,
    /// The caller's own claims type did not deserialize from the (verified) claims.
    CustomClaims,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::SegmentCount => f.write_str("token does not have exactly three segments"),
            Error::Base64 { segment } => {
                write!(f, "{segment:?} segment is not canonical unpadded base64url")
            }
            Error::TooLarge { needed, capacity } => write!(
                f,
                "token too large: needs {needed} bytes where {capacity} fit (decoded header and payload in the buffers, or the signature in MAX_SIGNATURE_LEN)"
            ),
            Error::Json { part } => write!(f, "{part:?} is not well-formed JSON"),
            Error::NotAnObject { part } => write!(f, "{part:?} is not a JSON object"),
            Error::TooDeep { part } => write!(
                f,
                "{part:?} nests JSON deeper than {} levels",
                crate::MAX_DEPTH
            ),
            Error::TooManyMembers { part } => write!(
                f,
                "{part:?} has more than {} member names open at once",
                crate::MAX_MEMBERS
            ),
            Error::DuplicateMember { part } => write!(f, "{part:?} has a duplicate member"),
            Error::MissingMember { part, name } => write!(f, "{part:?} lacks `{name}`"),
            Error::InvalidMember { part, name } => {
                write!(f, "{part:?} member `{name}` has an invalid type or value")
            }
            Error::AlgNone => f.write_str("alg `none` is never accepted"),
            Error::UnsupportedAlg => f.write_str("unsupported alg"),
            Error::CritHeader => f.write_str("header has `crit`: no extension is understood"),
            Error::UnencodedPayload => {
                f.write_str("header has `b64`: unencoded payloads are refused")
            }
            Error::UnknownKid => f.write_str("no provisioned key has the token's kid"),
            Error::AlgMismatch { token, key } => write!(
                f,
                "token alg {} does not match the key's algorithm {}",
                token.name(),
                key.name()
            ),
            Error::NoKeyForAlg { alg } => write!(f, "no provisioned key for alg {}", alg.name()),
            Error::InvalidKey => f.write_str("invalid key material"),
            Error::RsaKeySize { bits } => {
                write!(f, "RSA modulus of {bits} bits is outside 2048..=4096")
            }
            Error::SecretTooShort { len, min } => {
                let alg = match min {
                    48 => "HS384",
                    64 => "HS512",
                    _ => "HS256",
                };
                write!(f, "{alg} secret of {len} bytes is shorter than {min}")
            }
            Error::Jwk { reason } => write!(f, "JWK refused: {reason}"),
            Error::SignatureLength { len, expected } => {
                write!(f, "signature is {len} bytes, expected {expected}")
            }
            Error::BadSignature => f.write_str("signature did not verify"),
            Error::Expired { now, exp } => write!(f, "token expired: now {now}, exp {exp}"),
            Error::NotYetValid { now, nbf } => {
                write!(f, "token not yet valid: now {now}, nbf {nbf}")
            }
            Error::IssuedInFuture { now, iat } => {
                write!(f, "token issued in the future: now {now}, iat {iat}")
            }
            Error::TooOld { now, iat, max_age } => write!(
                f,
                "token too old: now {now}, iat {iat}, max age {max_age} s"
            ),
            Error::WrongIssuer => f.write_str("wrong issuer"),
            Error::WrongAudience => f.write_str("wrong audience"),
            Error::WrongType => f.write_str("wrong or missing typ"),
            Error::MissingScope => f.write_str("a required scope is not granted"),
            Error::KeyIssuerMismatch => {
                f.write_str("the verifying key is bound to another issuer than the token's iss")
            }
            Error::Replayed => f.write_str("token already used (replay)"),
            Error::ReplayGuardFull { capacity } => write!(
                f,
                "replay guard full: {capacity} unexpired tokens remembered, refusing a new one"
            ),
            Error::CorruptState => f.write_str("saved gate state is corrupt"),
            Error::ZeroTickRate => f.write_str("clock tick rate is zero ticks per second"),
            Error::StaleKeySet { version, minimum } => write!(
                f,
                "key set version {version} is below the minimum {minimum} (replayed rotation)"
            ),
            Error::MalformedKeySet => {
                f.write_str("key set is not a versioned JWK Set (`ver` and `keys`)")
            }
            Error::KeySetTooLarge { keys, capacity } => write!(
                f,
                "key set of {keys} keys does not fit storage for {capacity}"
            ),
            Error::ScratchTooSmall => f.write_str("scratch buffer too small for unescaped strings"),
            Error::CustomClaims => f.write_str("claims do not match the caller's claims type"),
        }
    }
}

impl core::error::Error for Error {}
