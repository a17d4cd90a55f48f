//! Shared fixtures for the benchmarks: the bundled sample keys and tokens.

use tokengate::{Buffers, Es256Key, Expected, Hs256Key, Key, Policy, Rsa2048, Rsa4096, Verifier};

mod sample {
    include!("../../tests/data/keys/sample_keys.rs");
}
pub use sample::*;

static ES256: Es256Key = match Es256Key::new(&ES256_SEC1) {
    Ok(k) => k,
    Err(_) => panic!("bad point"),
};
static RSA2048: Rsa2048 = match Rsa2048::new(&RSA2048_N, 65537) {
    Ok(k) => k,
    Err(_) => panic!("bad modulus"),
};
static RSA4096: Rsa4096 = match Rsa4096::new(&RSA4096_N, 65537) {
    Ok(k) => k,
    Err(_) => panic!("bad modulus"),
};
static KEYS: [Key<'static>; 4] = [
    Key::es256(&ES256).with_kid(ES256_KID),
    Key::rs256(&RSA2048).with_kid(RSA2048_KID),
    Key::rs256(&RSA4096).with_kid(RSA4096_KID),
    match Hs256Key::new(&HS256_SECRET) {
        Ok(k) => Key::hs256(k).with_kid(HS256_KID),
        Err(_) => panic!("short secret"),
    },
];

/// Issuer of the sample tokens.
pub const ISS: &str = "https://issuer.tokengate.test";
/// Audience of the sample tokens.
pub const AUD: &str = "door-17";
/// A time at which the sample tokens are valid.
pub const NOW: u64 = 1_767_229_200;

/// The verifier every benchmark uses: signature + `iss` + `aud` + `exp`.
pub static VERIFIER: Verifier<'static, 'static> =
    Verifier::new(&KEYS, Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)));

/// A bundled sample token (`es256`, `rs256-2048`, `rs256-4096`, `hs256`).
pub fn token(name: &str) -> String {
    let path = format!("{}/../tests/data/tokens/{name}.jwt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")).trim().to_owned()
}

/// Fresh default-size buffers.
pub fn buffers() -> Box<Buffers> {
    Box::new(Buffers::new())
}
