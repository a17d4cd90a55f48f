//! Shared test helpers: the sample keys of tests/data/keys as tokengate keys, and minting of
//! byte-exact tokens (any header and payload text) with the matching private keys.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::rand_core::{CryptoRng, RngCore};
use tokengate::{
    Alg, Es256Key, Es384Key, Hs256Key, Hs384Key, Hs512Key, Key, Rsa2048, Rsa3072, Rsa4096,
};

pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Third-party vectors, copied byte-identical into tests/vectors (see its README.md).
pub fn vectors(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(path)
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

pub fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// The sample key material (tests/data/keys/keys.json).
pub struct Samples {
    pub json: serde_json::Value,
}

pub fn samples() -> Samples {
    Samples {
        json: read_json(&data("keys/keys.json")),
    }
}

fn hex_field(v: &serde_json::Value, field: &str) -> Vec<u8> {
    hex::decode(v[field].as_str().unwrap()).unwrap()
}

impl Samples {
    pub fn es256(&self) -> &'static Es256Key {
        let sec1: [u8; 65] = hex_field(&self.json["es256"], "sec1").try_into().unwrap();
        leak(Es256Key::new(&sec1).unwrap())
    }
    pub fn es256_signing(&self) -> p256::ecdsa::SigningKey {
        let d = hex_field(&self.json["es256"], "d");
        p256::ecdsa::SigningKey::from_slice(&d).unwrap()
    }
    /// The ES384 test key ([`es384_signing`]), public half.
    pub fn es384(&self) -> &'static Es384Key {
        es384_key()
    }
    pub fn rsa_modulus(&self, bits: u32) -> Vec<u8> {
        hex_field(&self.json[format!("rsa{bits}")], "n")
    }
    pub fn rsa2048(&self) -> &'static Rsa2048 {
        leak(Rsa2048::new(&self.rsa_modulus(2048), 65537).unwrap())
    }
    pub fn rsa3072(&self) -> &'static Rsa3072 {
        leak(Rsa3072::new(&self.rsa_modulus(3072), 65537).unwrap())
    }
    pub fn rsa4096(&self) -> &'static Rsa4096 {
        leak(Rsa4096::new(&self.rsa_modulus(4096), 65537).unwrap())
    }
    pub fn hs256_secret(&self) -> &'static [u8] {
        Box::leak(hex_field(&self.json["hs256"], "secret").into_boxed_slice())
    }
    pub fn hs256(&self) -> Hs256Key<'static> {
        Hs256Key::new(self.hs256_secret()).unwrap()
    }
    pub fn kid(&self, which: &str) -> &'static str {
        Box::leak(
            self.json[which]["kid"]
                .as_str()
                .unwrap()
                .to_owned()
                .into_boxed_str(),
        )
    }
    /// All five sample keys, each with its kid.
    pub fn keys(&self) -> &'static [Key<'static>] {
        Box::leak(
            vec![
                Key::es256(self.es256()).with_kid(self.kid("es256")),
                Key::rs256(self.rsa2048()).with_kid(self.kid("rsa2048")),
                Key::rs256(self.rsa3072()).with_kid(self.kid("rsa3072")),
                Key::rs256(self.rsa4096()).with_kid(self.kid("rsa4096")),
                Key::hs256(self.hs256()).with_kid(self.kid("hs256")),
            ]
            .into_boxed_slice(),
        )
    }
}

/// Which private key signs.
#[derive(Clone, Copy, Debug)]
pub enum Signer {
    Es256,
    Rs256(u32),
    Hs256,
    /// The sample RSA key of that size, by the RSA algorithm named (RS* or PS*, the rsa crate
    /// as the signer; PSS with a salt of the hash's length).
    Rsa(u32, Alg),
    /// [`HS384_SECRET`].
    Hs384,
    /// [`HS512_SECRET`].
    Hs512,
    /// [`es384_signing`], by the p384 crate.
    Es384,
}

impl Signer {
    /// The JWS algorithm it signs with.
    pub fn alg(self) -> Alg {
        match self {
            Signer::Es256 => Alg::Es256,
            Signer::Rs256(_) => Alg::Rs256,
            Signer::Hs256 => Alg::Hs256,
            Signer::Rsa(_, alg) => alg,
            Signer::Hs384 => Alg::Hs384,
            Signer::Hs512 => Alg::Hs512,
            Signer::Es384 => Alg::Es384,
        }
    }
}

/// A 48-byte HS384 test secret.
pub const HS384_SECRET: &[u8; 48] = b"tokengate HS384 test secret, 48 bytes long.....!";
/// A 64-byte HS512 test secret.
pub const HS512_SECRET: &[u8; 64] =
    b"tokengate HS512 test secret, sixty-four bytes long, no more....!";

/// The ES384 test key: its scalar is the SHA-384 of a fixed string (not in keys.json, which the
/// CLI's sample files mirror).
pub fn es384_signing() -> p384::ecdsa::SigningKey {
    use sha2::Digest;
    let d = sha2::Sha384::digest(b"tokengate ES384 test key");
    p384::ecdsa::SigningKey::from_slice(&d).unwrap()
}

/// The public half of [`es384_signing`], as an uncompressed SEC1 point.
pub fn es384_sec1() -> [u8; 97] {
    es384_signing()
        .verifying_key()
        .to_sec1_point(false)
        .as_bytes()
        .try_into()
        .unwrap()
}

pub fn es384_key() -> &'static Es384Key {
    leak(Es384Key::new(&es384_sec1()).unwrap())
}

pub fn hs384_key() -> Key<'static> {
    Key::hs384(Hs384Key::new(HS384_SECRET).unwrap())
}

pub fn hs512_key() -> Key<'static> {
    Key::hs512(Hs512Key::new(HS512_SECRET).unwrap())
}

/// The sample RSA private key of `bits` bits.
pub fn rsa_private(bits: u32) -> rsa::RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    let pem = std::fs::read_to_string(data(&format!("keys/rsa{bits}.pem"))).unwrap();
    rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap()
}

/// The sample RSA public key of `bits` bits, bound to `alg`.
pub fn rsa_key(bits: u32, alg: Alg) -> Key<'static> {
    let s = samples();
    match bits {
        2048 => Key::rsa(s.rsa2048(), alg),
        3072 => Key::rsa(s.rsa3072(), alg),
        _ => Key::rsa(s.rsa4096(), alg),
    }
    .unwrap()
}

/// SplitMix64: seeded, so every run signs the same way. Not a CSPRNG; these are test keys.
pub struct TestRng(pub u64);

impl RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64().to_le_bytes()[0].into()
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for TestRng {}

/// An RSA signature of `input` by the sample key of `bits` bits: PKCS#1 v1.5 for RS*, PSS with
/// a salt of `salt_len` bytes (`None`: the hash's length) for PS*, by the rsa crate.
pub fn rsa_sign(bits: u32, alg: Alg, salt_len: Option<usize>, input: &[u8]) -> Vec<u8> {
    use rsa::sha2::{Digest, Sha256, Sha384, Sha512};
    let key = rsa_private(bits);
    let mut rng = TestRng(u64::from(bits) ^ input.len() as u64);
    match alg {
        Alg::Rs256 => key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input)),
        Alg::Rs384 => key.sign(rsa::Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(input)),
        Alg::Rs512 => key.sign(rsa::Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(input)),
        Alg::Ps256 => key.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<Sha256>(salt_len.unwrap_or(32)),
            &Sha256::digest(input),
        ),
        Alg::Ps384 => key.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<Sha384>(salt_len.unwrap_or(48)),
            &Sha384::digest(input),
        ),
        Alg::Ps512 => key.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<Sha512>(salt_len.unwrap_or(64)),
            &Sha512::digest(input),
        ),
        other => panic!("not an RSA algorithm: {other:?}"),
    }
    .unwrap()
}

/// `b64(header) . b64(payload) . b64(signature)`, the header and payload taken byte-exact.
pub fn mint(signer: Signer, header: &str, payload: &str) -> String {
    mint_raw(signer, header.as_bytes(), payload.as_bytes())
}

pub fn mint_raw(signer: Signer, header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = sign(signer, input.as_bytes());
    format!("{input}.{}", b64(&signature))
}

pub fn sign(signer: Signer, input: &[u8]) -> Vec<u8> {
    match signer {
        Signer::Es256 => {
            use p256::ecdsa::signature::Signer as _;
            let sig: p256::ecdsa::Signature = samples().es256_signing().sign(input);
            sig.to_bytes().to_vec()
        }
        Signer::Rs256(bits) => rsa_sign(bits, Alg::Rs256, None, input),
        Signer::Rsa(bits, alg) => rsa_sign(bits, alg, None, input),
        Signer::Hs256 => hmac_sha256(samples().hs256_secret(), input),
        Signer::Hs384 => {
            use hmac::{KeyInit, Mac};
            let mut mac =
                <hmac::Hmac<sha2::Sha384> as KeyInit>::new_from_slice(HS384_SECRET).unwrap();
            mac.update(input);
            mac.finalize().into_bytes().to_vec()
        }
        Signer::Es384 => {
            use p384::ecdsa::signature::Signer as _;
            let sig: p384::ecdsa::Signature = es384_signing().sign(input);
            sig.to_bytes().to_vec()
        }
        Signer::Hs512 => {
            use hmac::{KeyInit, Mac};
            let mut mac =
                <hmac::Hmac<sha2::Sha512> as KeyInit>::new_from_slice(HS512_SECRET).unwrap();
            mac.update(input);
            mac.finalize().into_bytes().to_vec()
        }
    }
}

pub fn hmac_sha256(secret: &[u8], input: &[u8]) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(input);
    mac.finalize().into_bytes().to_vec()
}

/// Every RSA algorithm (one modulus serves each).
pub const RSA_ALGS: [Alg; 6] = [
    Alg::Rs256,
    Alg::Rs384,
    Alg::Rs512,
    Alg::Ps256,
    Alg::Ps384,
    Alg::Ps512,
];

/// The clock of the sample tokens: 2026-01-01T01:00:00Z.
pub const NOW: u64 = 1_767_229_200;
pub const ISS: &str = "https://issuer.tokengate.test";
pub const AUD: &str = "door-17";

/// Provisions a JWK through the library's importer (`tokengate::jwk`): the key it binds, with
/// its `kid`, or the error that refused it (keys for encryption, other algorithms and curves,
/// RSA moduli outside 2048..=4096 bits, `oct` keys without `alg`, ...).
pub fn jwk_key(jwk: &serde_json::Value) -> Result<Key<'static>, tokengate::Error> {
    let text: &'static str = Box::leak(jwk.to_string().into_boxed_str());
    key_of(&tokengate::jwk::parse(text)?)
}

/// The key of an accepted JWK, in leaked storage, with its `kid`.
pub fn key_of(jwk: &tokengate::jwk::Jwk<'_>) -> Result<Key<'static>, tokengate::Error> {
    use tokengate::jwk::Material;
    let material: &'static mut [u8] = Box::leak(vec![0u8; jwk.material_len()].into_boxed_slice());
    let key = match jwk.material(material)? {
        Material::Es256(point) => Key::es256(leak(Es256Key::new(&point)?)),
        Material::Es384(point) => Key::es384(leak(Es384Key::new(&point)?)),
        Material::Ed25519(x) => Key::ed25519(leak(tokengate::Ed25519Key::new(&x)?)),
        Material::Rsa { n, e } => match n.len() {
            0..=256 => Key::rsa(leak(Rsa2048::new(n, e)?), jwk.alg())?,
            257..=384 => Key::rsa(leak(Rsa3072::new(n, e)?), jwk.alg())?,
            _ => Key::rsa(leak(Rsa4096::new(n, e)?), jwk.alg())?,
        },
        Material::Oct(secret) => match jwk.alg() {
            Alg::Hs256 => Key::hs256(Hs256Key::new(secret)?),
            Alg::Hs384 => Key::hs384(Hs384Key::new(secret)?),
            Alg::Hs512 => Key::hs512(Hs512Key::new(secret)?),
            other => panic!("oct key for {other:?}"),
        },
        other => panic!("material {other:?}"),
    };
    // An empty buffer says how many bytes the kid needs.
    let kid = match jwk.kid_into(&mut []) {
        Ok(None) => None,
        Ok(Some(_)) => Some(""),
        Err(tokengate::Error::TooLarge { needed, .. }) => {
            let out: &'static mut [u8] = Box::leak(vec![0u8; needed].into_boxed_slice());
            jwk.kid_into(out)?
        }
        Err(e) => return Err(e),
    };
    Ok(match kid {
        Some(kid) => key.with_kid(kid),
        None => key,
    })
}

/// RFC 8037 Appendix A.1's Ed25519 private key `d` (its public key is `ED25519_X`).
pub const ED25519_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
/// RFC 8037 Appendix A.2's public key `x`.
pub const ED25519_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

/// The RFC 8037 Ed25519 key pair for signing.
pub fn ed25519_signing() -> ed25519_dalek::SigningKey {
    let d: [u8; 32] = Base64UrlUnpadded::decode_vec(ED25519_D)
        .unwrap()
        .try_into()
        .unwrap();
    ed25519_dalek::SigningKey::from_bytes(&d)
}

/// The RFC 8037 public key as a tokengate key.
pub fn ed25519_key() -> Key<'static> {
    let x: [u8; 32] = Base64UrlUnpadded::decode_vec(ED25519_X)
        .unwrap()
        .try_into()
        .unwrap();
    Key::ed25519(leak(tokengate::Ed25519Key::new(&x).unwrap()))
}

/// An Ed25519 signature of `input` with the RFC 8037 key.
pub fn ed25519_sign(input: &[u8]) -> Vec<u8> {
    use ed25519_dalek::Signer as _;
    ed25519_signing().sign(input).to_bytes().to_vec()
}
