//! What the device is given at the factory, as `static`s in flash: the keys it trusts, who it
//! is, who issues its tokens, and the sizes it was built for.

use tokengate::{Expected, Key, Policy, ReplayId};

/// The sample public keys of the repository (`tests/data/keys`): test material only.
mod sample {
    include!("../../../../tests/data/keys/sample_keys.rs");
}
pub use sample::*;

/// The only issuer this device accepts.
pub const ISSUER: &str = "https://issuer.tokengate.test";
/// This device's name: tokens must carry it in `aud`.
pub const DEVICE: &str = "door-17";

/// When the firmware image was built: 2026-01-01T01:00:00Z, one hour after the sample tokens
/// were issued. The device has no real-time clock; it knows the time is at least this, and its
/// [`AnchoredClock`](tokengate::AnchoredClock) starts here and moves with [`TICKS_PER_SECOND`]
/// ticks of its monotonic counter, and forward to the `iat` of tokens it accepts (the issuer
/// signed that time). A real device also saves the clock's reading before a reset and restarts
/// from it.
pub const BUILD_TIME: u64 = 1_767_229_200;

/// The time the measurements (`bench`, `size-probe`) and the host tests verify at: the build
/// time.
pub const CLOCK: u64 = BUILD_TIME;

/// Ticks per second of the monotonic counter the clock runs on (a millisecond counter).
pub const TICKS_PER_SECOND: u64 = 1000;

/// Accepted tokens the replay guard remembers until they expire (24 bytes each). A full guard
/// refuses new tokens rather than forget a live one.
pub const REPLAY_ENTRIES: usize = 16;

/// How long the relay is held for a granted `open-door`, in milliseconds.
pub const HOLD_MS: u32 = 2000;

/// Decoded header plus payload the firmware accepts: the longest token it takes is about
/// `CAPACITY * 4 / 3` characters. [`Buffers`](tokengate::Buffers) of this capacity take
/// `2 * CAPACITY + 512` bytes (5632) of RAM, a `static` on every target. The micro:bit's 16 KiB
/// sets the figure: a verification needs up to 8.5 KiB of stack there (see docs/footprint.md).
/// The command script's deep-nesting token (1100 levels) needs 2430 bytes.
pub const CAPACITY: usize = 2560;

/// Tokens must be unexpired, from [`ISSUER`] and for [`DEVICE`]; each is accepted once (by `jti`,
/// or by its signing input if it has none), and its `iat` may move the clock forward. Each
/// command adds its scopes.
pub const POLICY: Policy<'static> =
    Policy::new(Expected::Exactly(ISSUER), Expected::Exactly(DEVICE))
        .with_replay_id(ReplayId::JtiOrSigningInput)
        .with_iat_as_time();

/// The device's ES256 key.
#[cfg(feature = "es256")]
pub static ES256: tokengate::Es256Key = match tokengate::Es256Key::new(&ES256_SEC1) {
    Ok(key) => key,
    Err(_) => panic!("ES256_SEC1 is not a SEC1 point"),
};

/// The device's RSA key, 2048 bits, for RS256 and PS256; its Montgomery constants are computed
/// by the compiler. The sample keys have one 2048-bit RSA key, so the two bindings share it,
/// each with its own `kid`: a token must name the binding of its own `alg`. A real issuer would
/// sign each algorithm with a key of its own.
#[cfg(any(feature = "rs256", feature = "ps256"))]
pub static RSA2048: tokengate::Rsa2048 = match tokengate::Rsa2048::new(&RSA2048_N, 65537) {
    Ok(key) => key,
    Err(_) => panic!("RSA2048_N is not a 2048-bit modulus"),
};

/// Key ID of the PS256 binding of [`RSA2048`].
#[cfg(feature = "ps256")]
pub const PS256_KID: &str = "ps256-2048-test";

/// Key ID of [`ED25519`].
#[cfg(feature = "eddsa")]
pub const ED25519_KID: &str = "ed25519-test";

/// The device's Ed25519 public key (EdDSA): RFC 8037 Appendix A.2's, whose private key (A.1)
/// `tokens/make_tokens.py` signs with. Test material only.
#[cfg(feature = "eddsa")]
pub const ED25519_PUBLIC: [u8; 32] = [
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
];

/// The device's EdDSA key.
#[cfg(feature = "eddsa")]
pub static ED25519: tokengate::Ed25519Key = match tokengate::Ed25519Key::new(&ED25519_PUBLIC) {
    Ok(key) => key,
    Err(_) => panic!("ED25519_PUBLIC is not a canonical Ed25519 encoding"),
};

/// The provisioned key set, each key bound to one algorithm and a `kid`, as many as the enabled
/// algorithm features allow.
pub static KEYS: &[Key<'static>] = &[
    #[cfg(feature = "es256")]
    Key::es256(&ES256).with_kid(ES256_KID),
    #[cfg(feature = "rs256")]
    Key::rs256(&RSA2048).with_kid(RSA2048_KID),
    #[cfg(feature = "hs256")]
    match tokengate::Hs256Key::new(&HS256_SECRET) {
        Ok(secret) => Key::hs256(secret),
        Err(_) => panic!("HS256_SECRET is shorter than 32 bytes"),
    }
    .with_kid(HS256_KID),
    #[cfg(feature = "eddsa")]
    Key::ed25519(&ED25519).with_kid(ED25519_KID),
    #[cfg(feature = "ps256")]
    Key::ps256(&RSA2048).with_kid(PS256_KID),
];
