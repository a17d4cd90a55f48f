//! The sample keys of tests/data/keys as provisioned keys, their private halves for minting, a
//! fixed clock and the policies the targets verify with.

use std::sync::LazyLock;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{KeyInit, Mac};
use tokengate::{Es256Key, Expected, Hs256Key, Key, Policy, Rsa2048, Verifier};

/// The sample public keys (`ES256_SEC1`, `RSA2048_N`, `HS256_SECRET`, kids).
pub mod sample {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/keys/sample_keys.rs"
    ));
}
pub use sample::{ES256_KID, ES256_SEC1, HS256_KID, HS256_SECRET, RSA2048_KID, RSA2048_N};

pub const ISS: &str = "https://issuer.tokengate.test";
pub const AUD: &str = "door-17";
pub const SCOPE: &str = "door:open";
/// The clock of the sample tokens: 2026-01-01T01:00:00Z (they were issued an hour earlier).
pub const NOW: u64 = 1_767_229_200;

pub static ES256: Es256Key = match Es256Key::new(&ES256_SEC1) {
    Ok(key) => key,
    Err(_) => panic!("sample ES256 point"),
};
pub static RSA2048: Rsa2048 = match Rsa2048::new(&RSA2048_N, 65537) {
    Ok(key) => key,
    Err(_) => panic!("sample RSA modulus"),
};
pub static KEYS: [Key<'static>; 3] = [
    Key::es256(&ES256).with_kid(ES256_KID),
    Key::rs256(&RSA2048).with_kid(RSA2048_KID),
    match Hs256Key::new(&HS256_SECRET) {
        Ok(secret) => Key::hs256(secret).with_kid(HS256_KID),
        Err(_) => panic!("sample HS256 secret"),
    },
];

/// Everything a gate checks: issuer, audience, scope, type, maximum age, with a minute of leeway.
pub static FULL_POLICY: Policy<'static> =
    Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD))
        .with_leeway(60)
        .with_max_age(86_400)
        .with_typ("JWT")
        .with_scopes(&[SCOPE]);
pub static FULL: Verifier<'static, 'static> = Verifier::new(&KEYS, FULL_POLICY);

/// What jsonwebtoken can be told too: issuer, audience, `exp` required, `nbf`, no leeway; and the
/// one scope, which the differential's reference checks on jsonwebtoken's decoded claims.
pub static DIFFERENTIAL: Verifier<'static, 'static> = Verifier::new(
    &KEYS,
    Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_scopes(&[SCOPE]),
);

pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

pub fn hmac_sha256(secret: &[u8], input: &[u8]) -> Vec<u8> {
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(input);
    mac.finalize().into_bytes().to_vec()
}

/// An HS256 token around `header` and `payload` taken byte-exact, signed with the sample secret.
pub fn hs256_token(header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let tag = hmac_sha256(&HS256_SECRET, input.as_bytes());
    format!("{input}.{}", b64(&tag))
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The sample ES256 private key (tests/data/keys/keys.json).
pub static ES256_SIGNING: LazyLock<p256::ecdsa::SigningKey> = LazyLock::new(|| {
    let json: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/keys/keys.json"
    )))
    .unwrap();
    let d = hex(json["es256"]["d"].as_str().unwrap());
    p256::ecdsa::SigningKey::from_slice(&d).unwrap()
});

/// Another P-256 key: signs, but was never provisioned.
pub static ES256_OTHER: LazyLock<p256::ecdsa::SigningKey> =
    LazyLock::new(|| p256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap());

fn rsa_private(pem: &str) -> rsa::RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
}

/// The sample RSA-2048 private key.
pub static RSA2048_SIGNING: LazyLock<rsa::RsaPrivateKey> = LazyLock::new(|| {
    rsa_private(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/keys/rsa2048.pem"
    )))
});

/// The sample RSA-3072 private key: a real key, but not one the fuzz verifiers have.
pub static RSA3072_SIGNING: LazyLock<rsa::RsaPrivateKey> = LazyLock::new(|| {
    rsa_private(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/keys/rsa3072.pem"
    )))
});

pub fn es256_sign(key: &p256::ecdsa::SigningKey, input: &[u8]) -> Vec<u8> {
    use p256::ecdsa::signature::Signer as _;
    let signature: p256::ecdsa::Signature = key.sign(input);
    signature.to_bytes().to_vec()
}

pub fn rs256_sign(key: &rsa::RsaPrivateKey, input: &[u8]) -> Vec<u8> {
    use rsa::sha2::{Digest, Sha256};
    key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input))
        .unwrap()
}

/// The host clock in Unix seconds: the only clock jsonwebtoken knows.
pub fn system_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The `claims` target's policy: the audience as a list this time, an hour of maximum age.
pub static CLAIMS_POLICY: Policy<'static> =
    Policy::new(Expected::Exactly(ISS), Expected::AnyOf(&[AUD, "door-18"]))
        .with_leeway(60)
        .with_max_age(3600)
        .with_scopes(&[SCOPE]);
pub static CLAIMS: Verifier<'static, 'static> = Verifier::new(&KEYS, CLAIMS_POLICY);
/// The same policy, for the oracle.
pub const CLAIMS_ORACLE: crate::oracle::ClaimsPolicy<'static> = crate::oracle::ClaimsPolicy {
    iss: ISS,
    aud: &[AUD, "door-18"],
    leeway: 60,
    max_age: Some(3600),
    scope: SCOPE,
};

/// A caller's own claims type, as `Verifier::verify_with_claims` deserializes it: borrowed and
/// owned strings, numbers, a nested object, a bounded list.
#[derive(serde::Deserialize, Debug)]
pub struct DoorClaims<'a> {
    #[serde(borrow)]
    pub sub: Option<&'a str>,
    pub door: Option<heapless::String<32>>,
    pub level: Option<u8>,
    pub roles: Option<heapless::Vec<heapless::String<16>, 4>>,
    pub realm_access: Option<Realm>,
}

#[derive(serde::Deserialize, Debug)]
pub struct Realm {
    pub roles: heapless::Vec<heapless::String<16>, 4>,
}
