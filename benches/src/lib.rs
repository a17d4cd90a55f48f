//! Shared fixtures for the benchmarks: the bundled sample keys and tokens, and one verifier per
//! benchmarked library configuration, each doing the same job: verify the signature, check `iss`,
//! `aud` and `exp`, and hand the registered claims to the caller.
//!
//! Which libraries are in a build is chosen by cargo features (see `Cargo.toml`): one build per
//! variant, because some configurations cannot share a build graph.

use std::collections::BTreeMap;
use std::hint::black_box;

use std::sync::LazyLock;

use tokengate::{
    Buffers, Ed25519Key, Es256Key, Es256KeyTable, Es384Key, Expected, Hs256Key, Hs256Prepared,
    Hs384Key, Hs512Key, Key, Policy, Rsa2048, Rsa4096, Verifier,
};

#[cfg(all(
    feature = "jsonwebtoken-rust-crypto",
    feature = "jsonwebtoken-aws-lc-rs"
))]
compile_error!("jsonwebtoken's two backends are separate build variants (`main`, `native`)");
#[cfg(all(feature = "jwt-simple-pure-rust", feature = "jwt-simple-boring"))]
compile_error!("jwt-simple's two configurations are separate build variants (`main`, `boring`)");
// Cargo unifies tokengate's features within a build: with `es256-p256` anywhere in it, every
// tokengate in the build runs ES256 on the p256 crate.
#[cfg(all(feature = "tokengate-default", feature = "tokengate-p256"))]
compile_error!(
    "tokengate's own P-256 and the p256 crate are separate build variants (`main`, `native`)"
);
// jwt-simple enables p256 0.14's default features, precomputed tables included, for every user
// of p256 0.14 in the build: tokengate on the p256 crate is measured without them, as built for
// firmware, so not beside jwt-simple.
#[cfg(all(
    feature = "tokengate-p256",
    any(feature = "jwt-simple-pure-rust", feature = "jwt-simple-boring")
))]
compile_error!("jwt-simple turns p256's precomputed tables on: no `tokengate-p256` beside it");

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
/// A time at which the sample tokens are valid: 2026-01-01T01:00:00Z, an hour after `iat`.
pub const NOW: u64 = 1_767_229_200;

/// The verifier every benchmark uses: signature + `iss` + `aud` + `exp`.
pub static VERIFIER: Verifier<'static, 'static> = Verifier::new(
    &KEYS,
    Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
);

/// The same verifier with keys prepared before timing: the ES256 key as a precomputed table of
/// its multiples (`Es256KeyTable::<32>`, 2 KiB; firmware has the compiler build it into flash)
/// and the HS256 secret as its HMAC padding blocks' hash states (`Hs256Prepared`, built at
/// run time). The two RSA keys are the same.
pub static TABLE_VERIFIER: LazyLock<Verifier<'static, 'static>> = LazyLock::new(|| {
    let table: &'static Es256KeyTable<32> = Box::leak(Box::new(
        Es256KeyTable::<32>::new(&ES256_SEC1).expect("a P-256 point"),
    ));
    let hmac: &'static Hs256Prepared = Box::leak(Box::new(
        Hs256Prepared::new(&HS256_SECRET).expect("a long secret"),
    ));
    let mut keys = KEYS;
    keys[0] = Key::es256_table(table).with_kid(ES256_KID);
    keys[3] = Key::hs256_prepared(hmac).with_kid(HS256_KID);
    let keys: &'static [Key<'static>; 4] = Box::leak(Box::new(keys));
    Verifier::new(keys, *VERIFIER.policy())
});

/// The benchmarked algorithms of the first table, by the names of their sample tokens (in
/// `tests/data/tokens/`), whose keys [`VERIFIER`] holds.
pub const ALGS: [&str; 4] = ["hs256", "es256", "rs256-2048", "rs256-4096"];

/// The other algorithms tokengate verifies, by the names of their sample tokens (in
/// `benches/data/samples.json`), whose keys [`MORE_VERIFIER`] holds. The RSA ones use the
/// 2048-bit sample key.
pub const MORE_ALGS: [&str; 9] = [
    "hs384",
    "hs512",
    "es384",
    "eddsa",
    "rs384-2048",
    "rs512-2048",
    "ps256-2048",
    "ps384-2048",
    "ps512-2048",
];

/// Every benchmarked algorithm: [`ALGS`], then [`MORE_ALGS`].
pub const ALL_ALGS: [&str; 13] = [
    ALGS[0],
    ALGS[1],
    ALGS[2],
    ALGS[3],
    MORE_ALGS[0],
    MORE_ALGS[1],
    MORE_ALGS[2],
    MORE_ALGS[3],
    MORE_ALGS[4],
    MORE_ALGS[5],
    MORE_ALGS[6],
    MORE_ALGS[7],
    MORE_ALGS[8],
];

/// The algorithms whose tokengate figures come from the `native` build, not `main`: in `main`,
/// jwt-simple turns on p384 0.14's precomputed tables and jsonwebtoken ed25519-dalek's `fast`
/// (curve25519-dalek's tables) for every user of those crates in the build, tokengate's ES384
/// and EdDSA included; firmware builds have neither. (`native`'s `es256-p256` changes ES256
/// only.)
pub const NATIVE_ONLY: [&str; 2] = ["es384", "eddsa"];

/// The algorithms of `tokengate` in the `main` build: all but [`NATIVE_ONLY`].
pub const MAIN_ALGS: [&str; 11] = [
    ALGS[0],
    ALGS[1],
    ALGS[2],
    ALGS[3],
    MORE_ALGS[0],
    MORE_ALGS[1],
    MORE_ALGS[4],
    MORE_ALGS[5],
    MORE_ALGS[6],
    MORE_ALGS[7],
    MORE_ALGS[8],
];

/// The JWS `alg` of a benchmarked algorithm (by sample token name): `"rs384-2048"` is `RS384`.
pub fn jws_alg(alg: &str) -> String {
    alg.split('-')
        .next()
        .unwrap_or(alg)
        .to_uppercase()
        .replace("EDDSA", "EdDSA")
}

/// `benches/data/samples.json`: the sample token, `kid` and public key of each of
/// [`MORE_ALGS`] (see `benches/data/make_tokens.py`).
fn samples() -> &'static serde_json::Value {
    static SAMPLES: LazyLock<serde_json::Value> = LazyLock::new(|| {
        serde_json::from_str(&data("benches/data/samples.json")).expect("samples.json")
    });
    &SAMPLES
}

/// A string field of one of [`MORE_ALGS`] in `samples.json`.
fn sample(alg: &str, field: &str) -> &'static str {
    samples()[alg][field]
        .as_str()
        .unwrap_or_else(|| panic!("samples.json: no {field} for {alg}"))
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The raw public key of ES384 (SEC1 point) or EdDSA (32 bytes), from `samples.json`.
pub fn raw_key(alg: &str) -> Vec<u8> {
    unhex(sample(alg, "raw"))
}

/// The HMAC secret of HS384 or HS512 (`tests/data/keys/*.secret`).
pub fn secret(alg: &str) -> &'static [u8] {
    let path = format!(
        "{}/../tests/data/keys/{}",
        env!("CARGO_MANIFEST_DIR"),
        sample(alg, "secret")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Box::leak(bytes.into_boxed_slice())
}

/// The verifier of [`MORE_ALGS`]: the same policy as [`VERIFIER`], with their nine keys (the
/// RSA ones the 2048-bit sample key, each bound to its algorithm), built once from
/// `samples.json` before timing.
pub static MORE_VERIFIER: LazyLock<Verifier<'static, 'static>> = LazyLock::new(|| {
    let keys: Vec<Key<'static>> = MORE_ALGS
        .iter()
        .map(|&alg| {
            let key = match alg {
                "hs384" => Key::hs384(Hs384Key::new(secret(alg)).expect("48-byte secret")),
                "hs512" => Key::hs512(Hs512Key::new(secret(alg)).expect("64-byte secret")),
                "es384" => {
                    let sec1: [u8; 97] = raw_key(alg).try_into().expect("97-byte SEC1 point");
                    Key::es384(Box::leak(Box::new(
                        Es384Key::new(&sec1).expect("a P-384 point"),
                    )))
                }
                "eddsa" => {
                    let raw: [u8; 32] = raw_key(alg).try_into().expect("32-byte Ed25519 key");
                    Key::ed25519(Box::leak(Box::new(
                        Ed25519Key::new(&raw).expect("an Ed25519 key"),
                    )))
                }
                "rs384-2048" => Key::rs384(&RSA2048),
                "rs512-2048" => Key::rs512(&RSA2048),
                "ps256-2048" => Key::ps256(&RSA2048),
                "ps384-2048" => Key::ps384(&RSA2048),
                "ps512-2048" => Key::ps512(&RSA2048),
                _ => unreachable!("{alg}"),
            };
            key.with_kid(sample(alg, "kid"))
        })
        .collect();
    let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
    Verifier::new(keys, *VERIFIER.policy())
});

/// The tokengate verifier whose keys include an algorithm's: [`VERIFIER`] for [`ALGS`],
/// [`MORE_VERIFIER`] for the others.
pub fn verifier_for(alg: &str) -> &'static Verifier<'static, 'static> {
    if ALGS.contains(&alg) {
        &VERIFIER
    } else {
        &MORE_VERIFIER
    }
}

/// The case name of tokengate's parsing and claims alone (see [`tokengate_parse_only`]).
pub const PARSE_CLAIMS: &str = "parse-claims";

/// The key of a tokengate verifier for an algorithm (by sample token name).
pub fn key(verifier: &'static Verifier<'static, 'static>, alg: &str) -> &'static Key<'static> {
    let kid = match alg {
        "hs256" => HS256_KID,
        "es256" => ES256_KID,
        "rs256-2048" => RSA2048_KID,
        "rs256-4096" => RSA4096_KID,
        _ if MORE_ALGS.contains(&alg) => sample(alg, "kid"),
        _ => panic!("unknown algorithm {alg}"),
    };
    verifier
        .keys()
        .iter()
        .find(|k| k.kid() == Some(kid))
        .unwrap_or_else(|| panic!("no key {kid}"))
}

fn data(path: &str) -> String {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A sample token: a bundled one (`es256`, `rs256-2048`, `rs256-4096`, `hs256`) or one of
/// [`MORE_ALGS`] from `samples.json`.
pub fn token(name: &str) -> String {
    if MORE_ALGS.contains(&name) {
        return sample(name, "token").to_owned();
    }
    data(&format!("tests/data/tokens/{name}.jwt"))
        .trim()
        .to_owned()
}

/// A sample public key in PEM (`es256`, `rsa2048`, `rsa4096`).
pub fn pem(name: &str) -> String {
    data(&format!("tests/data/keys/{name}.pub.pem"))
}

/// The PEM file name of an algorithm's sample key.
pub fn pem_for(alg: &str) -> String {
    match alg {
        "es256" => pem("es256"),
        "rs256-2048" => pem("rsa2048"),
        "rs256-4096" => pem("rsa4096"),
        _ if MORE_ALGS.contains(&alg) => sample(alg, "pem").to_owned(),
        _ => panic!("no PEM for {alg}"),
    }
}

/// The sample key of an algorithm as a JWK (from `tests/data/keys/jwks.json`).
pub fn jwk(alg: &str) -> serde_json::Value {
    let kid = if MORE_ALGS.contains(&alg) {
        sample(alg, "jwk")
    } else {
        key(&VERIFIER, alg).kid().unwrap_or_default()
    };
    let set: serde_json::Value =
        serde_json::from_str(&data("tests/data/keys/jwks.json")).expect("jwks.json");
    set["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid))
        .cloned()
        .unwrap_or_else(|| panic!("no JWK {kid}"))
}

/// Tokens every library must reject, by case: `wrong-iss`, `wrong-aud`, `expired`, `no-exp`
/// (minted by `benches/data/make_tokens.py`), and `bad-signature` (the valid token's header and
/// payload with the signature of another token from the same key).
pub fn bad_tokens(alg: &str) -> BTreeMap<String, String> {
    let all: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(&data("benches/data/tokens.json")).expect("tokens.json");
    let mut cases = all
        .get(alg)
        .cloned()
        .unwrap_or_else(|| panic!("no bad tokens for {alg}"));
    let good = token(alg);
    let other = &cases["wrong-aud"];
    let (signed, _) = good.rsplit_once('.').expect("three segments");
    let (_, signature) = other.rsplit_once('.').expect("three segments");
    cases.insert("bad-signature".to_owned(), format!("{signed}.{signature}"));
    cases
}

/// One verification: `Ok` when the token is accepted (claims deserialized and dropped).
pub type VerifyFn = Box<dyn FnMut(&str) -> Result<(), String>>;

/// A benchmarked library configuration.
pub struct Library {
    /// Benchmark id (criterion function name, report key).
    pub id: &'static str,
    /// The algorithms it is benchmarked on (by sample token name).
    pub algs: &'static [&'static str],
    /// A verifier for one algorithm (by sample token name), with the key parsed up front.
    pub verifier: fn(&str) -> VerifyFn,
    /// For a tokengate configuration, its `Verifier` of an algorithm (by sample token name),
    /// for the benchmarks of its layers.
    pub tokengate: Option<fn(&str) -> &'static Verifier<'static, 'static>>,
}

impl Library {
    /// What `count` and the benchmarks run for this configuration: its algorithms, and for
    /// tokengate its signature layer alone per algorithm and, for a configuration covering every
    /// algorithm of [`ALGS`], [`PARSE_CLAIMS`] (the same code in every tokengate configuration).
    pub fn cases(&self) -> Vec<String> {
        let mut cases: Vec<String> = self.algs.iter().map(|&a| a.to_owned()).collect();
        if self.tokengate.is_some() {
            if ALGS.iter().all(|a| self.algs.contains(a)) {
                cases.push(PARSE_CLAIMS.to_owned());
            }
            cases.extend(self.algs.iter().map(|a| format!("signature/{a}")));
        }
        cases
    }
}

/// The libraries in this build variant.
pub fn libraries() -> Vec<Library> {
    #[allow(unused_mut)]
    let mut libs = Vec::new();
    #[cfg(feature = "tokengate-default")]
    {
        libs.push(Library {
            id: "tokengate",
            algs: &MAIN_ALGS,
            verifier: tokengate_verifier,
            tokengate: Some(verifier_for),
        });
        libs.push(Library {
            id: "tokengate-prepared",
            algs: &["hs256", "es256"],
            verifier: tokengate_table_verifier,
            tokengate: Some(|_| &TABLE_VERIFIER),
        });
    }
    // ES256 is what `es256-p256` changes; the other algorithms run the same code as `tokengate`
    // (HS256 and RS256 are kept, as a reading of the noise between builds).
    #[cfg(feature = "tokengate-p256")]
    {
        libs.push(Library {
            id: "tokengate-p256",
            algs: &ALGS,
            verifier: tokengate_verifier,
            tokengate: Some(|_| &VERIFIER),
        });
        // tokengate's ES384 and EdDSA, as built for firmware (see `NATIVE_ONLY`), under the
        // default configuration's id.
        libs.push(Library {
            id: "tokengate",
            algs: &NATIVE_ONLY,
            verifier: tokengate_verifier,
            tokengate: Some(verifier_for),
        });
    }
    #[cfg(feature = "jsonwebtoken-rust-crypto")]
    libs.push(peer(
        "jsonwebtoken-rust_crypto",
        &ALL_ALGS,
        jsonwebtoken::verifier,
    ));
    #[cfg(feature = "jsonwebtoken-aws-lc-rs")]
    libs.push(peer(
        "jsonwebtoken-aws_lc_rs",
        &ALL_ALGS,
        jsonwebtoken::verifier,
    ));
    #[cfg(feature = "jwt-simple-pure-rust")]
    libs.push(peer(
        "jwt-simple-pure-rust",
        &ALL_ALGS,
        jwt_simple::verifier,
    ));
    #[cfg(feature = "jwt-simple-boring")]
    libs.push(peer("jwt-simple-boring", &ALL_ALGS, jwt_simple::verifier));
    #[cfg(feature = "jwt-compact")]
    libs.push(peer(
        "jwt-compact",
        &jwt_compact::ALGS,
        jwt_compact::verifier,
    ));
    libs
}

#[allow(dead_code)]
fn peer(
    id: &'static str,
    algs: &'static [&'static str],
    verifier: fn(&str) -> VerifyFn,
) -> Library {
    Library {
        id,
        algs,
        verifier,
        tokengate: None,
    }
}

/// Checks, before anything is timed, that a verifier accepts the sample token and rejects every
/// bad token; returns the first disagreement.
pub fn check(lib: &Library, alg: &str) -> Result<(), String> {
    let mut verify = (lib.verifier)(alg);
    verify(&token(alg)).map_err(|e| format!("{} {alg}: rejects the sample token: {e}", lib.id))?;
    for (case, bad) in bad_tokens(alg) {
        if verify(&bad).is_ok() {
            return Err(format!("{} {alg}: accepts the {case} token", lib.id));
        }
    }
    Ok(())
}

/// The registered claims of the sample tokens, as a peer's caller deserializes them: what
/// tokengate hands its caller (`iss`, `sub`, `aud`, `exp`, `iat`, `scope`, `jti`).
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
pub struct FullClaims {
    iss: String,
    sub: Option<String>,
    aud: String,
    exp: u64,
    iat: Option<u64>,
    scope: Option<String>,
    jti: Option<String>,
}

#[cfg_attr(
    not(any(feature = "tokengate-default", feature = "tokengate-p256")),
    allow(dead_code)
)]
fn tokengate_verifier(alg: &str) -> VerifyFn {
    verify_with(verifier_for(alg))
}

#[cfg_attr(not(feature = "tokengate-default"), allow(dead_code))]
fn tokengate_table_verifier(_alg: &str) -> VerifyFn {
    verify_with(&TABLE_VERIFIER)
}

#[cfg_attr(
    not(any(feature = "tokengate-default", feature = "tokengate-p256")),
    allow(dead_code)
)]
fn verify_with(verifier: &'static Verifier<'static, 'static>) -> VerifyFn {
    let mut buffers: Box<Buffers> = Box::new(Buffers::new());
    Box::new(move |token| {
        verifier
            .verify(token, NOW, &mut buffers)
            .map(|verified| {
                black_box(&verified);
            })
            .map_err(|e| e.to_string())
    })
}

/// tokengate's parsing and claims without the signature, on the ES256 sample token: split on
/// `.`, canonical base64url decode of all three segments, strict JSON and fields of the header,
/// strict JSON, registered claims and policy of the payload, decoding of their strings.
/// Neither SHA-256 nor ECDSA runs. This is what `Verifier::verify` does besides the signature,
/// through the single-layer entry points of the `fuzzing` feature (key choice by `kid` is the
/// only step left out: a scan of four `kid`s).
pub fn tokengate_parse_only() -> impl FnMut(&str) -> Result<(), String> {
    use tokengate::fuzzing;
    let mut header_buf = vec![0u8; 1536];
    let mut payload_buf = vec![0u8; 1536];
    let mut signature_buf = vec![0u8; 512];
    let mut scratch_header = vec![0u8; 1536];
    let mut scratch_claims = vec![0u8; 1536];
    let policy = *VERIFIER.policy();
    move |token: &str| {
        let mut parts = token.as_bytes().splitn(4, |&b| b == b'.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("segments".to_owned());
        };
        let e = |e: tokengate::Error| e.to_string();
        let header_json = fuzzing::decode_segment(h, &mut header_buf).map_err(e)?;
        let payload_json = fuzzing::decode_segment(p, &mut payload_buf).map_err(e)?;
        let signature = fuzzing::decode_segment(s, &mut signature_buf).map_err(e)?;
        let header = fuzzing::header(header_json, &mut scratch_header).map_err(e)?;
        let claims = fuzzing::claims(payload_json, &policy, NOW, &mut scratch_claims).map_err(e)?;
        black_box((&header, &claims, signature));
        Ok(())
    }
}

/// tokengate's signature layer alone (`Key::verify_signature`: the hash of the signing input,
/// then HMAC, ECDSA, EdDSA or RSA) of a tokengate verifier's key, on the sample token's signing input
/// and decoded signature.
pub fn tokengate_signature_only(
    verifier: &'static Verifier<'static, 'static>,
    alg: &str,
) -> impl FnMut() -> Result<(), String> + use<> {
    let token = token(alg);
    let (signed, signature) = token.rsplit_once('.').expect("three segments");
    let signed = signed.as_bytes().to_vec();
    let mut decoded = vec![0u8; tokengate::MAX_SIGNATURE_LEN];
    let signature = tokengate::fuzzing::decode_segment(signature.as_bytes(), &mut decoded)
        .expect("canonical base64url")
        .to_vec();
    let key = key(verifier, alg);
    move || {
        key.verify_signature(black_box(&signed), black_box(&signature))
            .map_err(|e| e.to_string())
    }
}

#[cfg(any(
    feature = "jsonwebtoken-rust-crypto",
    feature = "jsonwebtoken-aws-lc-rs"
))]
mod jsonwebtoken {
    //! `jsonwebtoken::decode` with a `Validation` for the algorithm, `iss` and `aud` set; `exp`
    //! is required and checked by default (`required_spec_claims = {"exp"}`). Its clock is the
    //! system clock (no other clock can be supplied); the sample tokens are valid until 2100.
    use super::*;
    use ::jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};

    pub(crate) fn verifier(alg: &str) -> VerifyFn {
        let algorithm: Algorithm = jws_alg(alg).parse().expect("a jsonwebtoken algorithm");
        let key = match alg {
            "hs256" => DecodingKey::from_secret(&HS256_SECRET),
            "hs384" | "hs512" => DecodingKey::from_secret(secret(alg)),
            "es256" | "es384" => DecodingKey::from_ec_pem(pem_for(alg).as_bytes()).expect("pem"),
            "eddsa" => DecodingKey::from_ed_pem(pem_for(alg).as_bytes()).expect("pem"),
            _ => DecodingKey::from_rsa_pem(pem_for(alg).as_bytes()).expect("pem"),
        };
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[ISS]);
        validation.set_audience(&[AUD]);
        Box::new(move |token| {
            decode::<FullClaims>(token, &key, &validation)
                .map(|data| {
                    black_box(&data);
                })
                .map_err(|e| e.to_string())
        })
    }
}

#[cfg(any(feature = "jwt-simple-pure-rust", feature = "jwt-simple-boring"))]
mod jwt_simple {
    //! `verify_token` with `allowed_issuers` and `allowed_audiences`, at `NOW` through
    //! `artificial_time`. jwt-simple checks `exp` when present but accepts a token without it,
    //! so the caller checks that it is there, as a caller requiring `exp` must.
    use super::*;
    use ::jwt_simple::prelude::*;
    use std::collections::HashSet;

    /// The claims beyond jwt-simple's own (`iss`, `sub`, `aud`, `exp`, `iat`, `jti` are parsed
    /// into `JWTClaims` by the library).
    #[derive(Debug, Serialize, Deserialize)]
    struct Scope {
        scope: Option<String>,
    }

    fn options() -> VerificationOptions {
        VerificationOptions {
            allowed_issuers: Some(HashSet::from([ISS.to_owned()])),
            allowed_audiences: Some(HashSet::from([AUD.to_owned()])),
            artificial_time: Some(UnixTimeStamp::from_secs(NOW)),
            ..Default::default()
        }
    }

    fn finish(claims: Result<JWTClaims<Scope>, ::jwt_simple::Error>) -> Result<(), String> {
        let claims = claims.map_err(|e| e.to_string())?;
        if claims.expires_at.is_none() {
            return Err("no exp".to_owned());
        }
        black_box(&claims);
        Ok(())
    }

    pub(crate) fn verifier(alg: &str) -> VerifyFn {
        let options = options();
        // The key of `alg` read with `$read`, and a verifier using it (each key type has its
        // own `verify_token`).
        macro_rules! with {
            ($key:expr) => {{
                let key = $key;
                Box::new(move |t: &str| finish(key.verify_token::<Scope>(t, Some(options.clone()))))
            }};
        }
        let pem = || pem_for(alg);
        match alg {
            "hs256" => with!(HS256Key::from_bytes(&HS256_SECRET)),
            "hs384" => with!(HS384Key::from_bytes(secret(alg))),
            "hs512" => with!(HS512Key::from_bytes(secret(alg))),
            "es256" => with!(ES256PublicKey::from_pem(&pem()).expect("pem")),
            "es384" => with!(ES384PublicKey::from_pem(&pem()).expect("pem")),
            "eddsa" => with!(Ed25519PublicKey::from_pem(&pem()).expect("pem")),
            "rs256-2048" | "rs256-4096" => with!(RS256PublicKey::from_pem(&pem()).expect("pem")),
            "rs384-2048" => with!(RS384PublicKey::from_pem(&pem()).expect("pem")),
            "rs512-2048" => with!(RS512PublicKey::from_pem(&pem()).expect("pem")),
            "ps256-2048" => with!(PS256PublicKey::from_pem(&pem()).expect("pem")),
            "ps384-2048" => with!(PS384PublicKey::from_pem(&pem()).expect("pem")),
            "ps512-2048" => with!(PS512PublicKey::from_pem(&pem()).expect("pem")),
            _ => panic!("jwt-simple: no {alg}"),
        }
    }
}

#[cfg(feature = "jwt-compact")]
mod jwt_compact {
    //! `UntrustedToken::new`, then `validator().validate()` (algorithm and signature), then
    //! `validate_expiration` at `NOW` (which requires `exp`). jwt-compact has no issuer or
    //! audience check: the caller compares them, as a jwt-compact user does.
    use super::*;
    use ::jwt_compact::alg::{
        Ed25519, Es256, Hs256, Hs256Key, Hs384, Hs384Key, Hs512, Hs512Key, Rsa, RsaPublicKey,
    };
    use ::jwt_compact::jwk::JsonWebKey;
    use ::jwt_compact::{Algorithm, AlgorithmExt, TimeOptions, UntrustedToken};
    use chrono::{DateTime, Duration, Utc};

    /// The algorithms jwt-compact 0.8 has: all but ES384 (no P-384 curve in 0.8).
    pub(crate) const ALGS: [&str; 12] = [
        "hs256",
        "es256",
        "rs256-2048",
        "rs256-4096",
        "hs384",
        "hs512",
        "eddsa",
        "rs384-2048",
        "rs512-2048",
        "ps256-2048",
        "ps384-2048",
        "ps512-2048",
    ];

    /// The claims beyond jwt-compact's own (`exp`, `nbf`, `iat`).
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Custom {
        iss: String,
        sub: Option<String>,
        aud: String,
        scope: Option<String>,
        jti: Option<String>,
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(NOW as i64, 0).expect("valid time")
    }

    fn finish(
        claims: Result<::jwt_compact::Token<Custom>, ::jwt_compact::ValidationError>,
        time: &TimeOptions<fn() -> DateTime<Utc>>,
    ) -> Result<(), String> {
        let token = claims.map_err(|e| e.to_string())?;
        let claims = token.claims();
        claims
            .validate_expiration(time)
            .map_err(|e| e.to_string())?;
        if claims.custom.iss != ISS {
            return Err("wrong iss".to_owned());
        }
        if claims.custom.aud != AUD {
            return Err("wrong aud".to_owned());
        }
        black_box(&token);
        Ok(())
    }

    fn untrusted(token: &str) -> Result<UntrustedToken<'_>, String> {
        UntrustedToken::new(token).map_err(|e| e.to_string())
    }

    pub(crate) fn verifier(alg: &str) -> VerifyFn {
        let time: TimeOptions<fn() -> DateTime<Utc>> = TimeOptions::new(Duration::seconds(60), now);
        let jwk_value = jwk_or_secret(alg);
        match alg {
            "hs256" => {
                let key = Hs256Key::new(HS256_SECRET);
                Box::new(move |t| {
                    finish(
                        Hs256.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
            "hs384" => {
                let key = Hs384Key::new(secret(alg));
                Box::new(move |t| {
                    finish(
                        Hs384.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
            "hs512" => {
                let key = Hs512Key::new(secret(alg));
                Box::new(move |t| {
                    finish(
                        Hs512.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
            "eddsa" => {
                let key = <Ed25519 as Algorithm>::VerifyingKey::from_slice(&raw_key(alg))
                    .expect("ed25519 key");
                Box::new(move |t| {
                    finish(
                        Ed25519.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
            "es256" => {
                let jwk: JsonWebKey<'_> = serde_json::from_value(jwk_value).expect("jwk");
                let key = <Es256 as Algorithm>::VerifyingKey::try_from(&jwk).expect("es256 key");
                Box::new(move |t| {
                    finish(
                        Es256.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
            _ => {
                let jwk: JsonWebKey<'_> = serde_json::from_value(jwk_value).expect("jwk");
                let key = RsaPublicKey::try_from(&jwk).expect("rsa key");
                let rsa = match alg {
                    "rs256-2048" | "rs256-4096" => Rsa::rs256(),
                    "rs384-2048" => Rsa::rs384(),
                    "rs512-2048" => Rsa::rs512(),
                    "ps256-2048" => Rsa::ps256(),
                    "ps384-2048" => Rsa::ps384(),
                    "ps512-2048" => Rsa::ps512(),
                    _ => panic!("jwt-compact: no {alg}"),
                };
                Box::new(move |t| {
                    finish(
                        rsa.validator::<Custom>(&key).validate(&untrusted(t)?),
                        &time,
                    )
                })
            }
        }
    }

    fn jwk_or_secret(alg: &str) -> serde_json::Value {
        if alg.starts_with("es") || alg.starts_with("rs") || alg.starts_with("ps") {
            jwk(alg)
        } else {
            serde_json::Value::Null
        }
    }
}

/// Criterion measurement of the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) instead
/// of wall-clock time: on a shared machine, time spent waiting for a core is not counted. On an
/// idle machine the two agree. `TOKENGATE_BENCH_CLOCK=wall` switches back to wall-clock time.
pub mod cpu_time {
    use criterion::measurement::{Measurement, ValueFormatter, WallTime};

    /// Thread CPU time in nanoseconds (falls back to wall-clock time when asked to).
    pub struct ThreadCpuTime {
        wall: WallTime,
        use_wall: bool,
        epoch: std::time::Instant,
    }

    impl ThreadCpuTime {
        /// The measurement `TOKENGATE_BENCH_CLOCK` selects (`cpu`, the default, or `wall`).
        pub fn from_env() -> Self {
            let use_wall = std::env::var("TOKENGATE_BENCH_CLOCK").is_ok_and(|v| v == "wall");
            Self {
                wall: WallTime,
                use_wall,
                epoch: std::time::Instant::now(),
            }
        }

        /// Which clock this is, for the report.
        pub fn name(&self) -> &'static str {
            if self.use_wall { "wall" } else { "cpu" }
        }

        fn now_ns(&self) -> u64 {
            if self.use_wall {
                return u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
            }
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid, writable timespec; the clock id is a Linux constant.
            let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
            assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
            u64::try_from(ts.tv_sec).unwrap_or(0) * 1_000_000_000
                + u64::try_from(ts.tv_nsec).unwrap_or(0)
        }
    }

    impl Measurement for ThreadCpuTime {
        type Intermediate = u64;
        type Value = u64;

        fn start(&self) -> u64 {
            self.now_ns()
        }
        fn end(&self, start: u64) -> u64 {
            self.now_ns().saturating_sub(start)
        }
        fn add(&self, a: &u64, b: &u64) -> u64 {
            a + b
        }
        fn zero(&self) -> u64 {
            0
        }
        #[allow(clippy::cast_precision_loss)]
        fn to_f64(&self, v: &u64) -> f64 {
            *v as f64
        }
        fn formatter(&self) -> &dyn ValueFormatter {
            self.wall.formatter()
        }
    }
}
