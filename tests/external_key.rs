//! Keys whose signature check is done outside tokengate (`Key::external`): the "hardware" here
//! is an independent implementation (the p256, p384 and rsa crates, RustCrypto's hmac), given
//! only what a hardware verifier gets: the algorithm, the digest or signing input, the signature.
//! Everything else stays tokengate's, and these tests show it: alg binding, kid choice, the
//! signature's length and the claims are checked before or after the hook, never by it.
#![cfg(feature = "external")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)] // Test code: a panic is a failed test.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{AUD, ISS, NOW, Signer, mint};
use sha2::Digest;
use tokengate::{
    Alg, Buffers, Error, Expected, ExternalKey, Key, Policy, SignatureCheck, Verifier,
};

const CLAIMS: &str = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;

/// The "hardware": one independent verifier per algorithm, counting its calls and recording the
/// last digest it was given.
struct Oracle {
    kind: Kind,
    calls: AtomicUsize,
    digest_len: AtomicUsize,
}

enum Kind {
    P256(Vec<u8>),
    P384(Vec<u8>),
    Rsa(rsa::RsaPublicKey),
    Hmac(Vec<u8>),
    /// Always says valid: shows what tokengate checks whatever the hardware answers.
    Yes,
}

impl Oracle {
    fn new(kind: Kind) -> &'static Self {
        common::leak(Self {
            kind,
            calls: AtomicUsize::new(0),
            digest_len: AtomicUsize::new(usize::MAX),
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ExternalKey for Oracle {
    fn verify(&self, check: &SignatureCheck<'_>) -> bool {
        use hmac::{KeyInit, Mac};
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.digest_len
            .store(check.digest().len(), Ordering::SeqCst);
        let (digest, sig) = (check.digest(), check.signature());
        match &self.kind {
            Kind::P256(sec1) => {
                assert_eq!(check.alg(), Alg::Es256);
                assert_eq!(digest, &sha2::Sha256::digest(check.signing_input())[..]);
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap();
                let Ok(sig) = p256::ecdsa::Signature::from_slice(sig) else {
                    return false;
                };
                key.verify_prehash(digest, &sig).is_ok()
            }
            Kind::P384(sec1) => {
                assert_eq!(digest, &sha2::Sha384::digest(check.signing_input())[..]);
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).unwrap();
                let Ok(sig) = p384::ecdsa::Signature::from_slice(sig) else {
                    return false;
                };
                key.verify_prehash(digest, &sig).is_ok()
            }
            Kind::Rsa(key) => {
                use rsa::sha2::{Sha256, Sha512};
                let scheme = match check.alg() {
                    Alg::Rs256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Alg::Rs512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
                    other => panic!("{other:?}"),
                };
                key.verify(scheme, digest, sig).is_ok()
            }
            Kind::Hmac(secret) => {
                assert!(digest.is_empty());
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
                mac.update(check.signing_input());
                mac.verify_slice(sig).is_ok()
            }
            Kind::Yes => true,
        }
    }
}

fn policy() -> Policy<'static> {
    Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD))
}

fn check(keys: Vec<Key<'static>>, token: &str) -> Result<(), Error> {
    let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
    let verifier = Verifier::new(keys, policy());
    verifier
        .verify(token, NOW, &mut Buffers::<4096>::new())
        .map(|_| ())
}

fn p256_oracle() -> &'static Oracle {
    let sec1 = common::samples().es256().to_sec1().to_vec();
    Oracle::new(Kind::P256(sec1))
}

#[test]
fn es256_by_the_p256_crate() {
    let oracle = p256_oracle();
    let token = mint(Signer::Es256, r#"{"alg":"ES256","kid":"se-3"}"#, CLAIMS);
    let key = Key::external(oracle, Alg::Es256).with_kid("se-3");
    assert_eq!(key.alg(), Alg::Es256);
    assert!(check(vec![key], &token).is_ok());
    assert_eq!(oracle.calls(), 1);
    assert_eq!(oracle.digest_len.load(Ordering::SeqCst), 32);
    // A flipped signature bit: the hardware says no, the token is BadSignature.
    let mut bad = token.clone().into_bytes();
    let last = bad.len() - 2;
    bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    assert_eq!(check(vec![key], &bad), Err(Error::BadSignature));
    assert_eq!(oracle.calls(), 2);
}

#[test]
fn es384_rs256_rs512_hs256_by_independent_crates() {
    let p384 = Oracle::new(Kind::P384(common::es384_sec1().to_vec()));
    let token = mint(Signer::Es384, r#"{"alg":"ES384"}"#, CLAIMS);
    assert!(check(vec![Key::external(p384, Alg::Es384)], &token).is_ok());
    assert_eq!(p384.digest_len.load(Ordering::SeqCst), 48);

    let public = rsa::RsaPublicKey::from(common::rsa_private(2048));
    for (alg, digest_len) in [(Alg::Rs256, 32), (Alg::Rs512, 64)] {
        let oracle = Oracle::new(Kind::Rsa(public.clone()));
        let token = mint(
            Signer::Rsa(2048, alg),
            &format!(r#"{{"alg":"{alg}"}}"#),
            CLAIMS,
        );
        assert!(
            check(vec![Key::external(oracle, alg)], &token).is_ok(),
            "{alg}"
        );
        assert_eq!(oracle.digest_len.load(Ordering::SeqCst), digest_len);
    }

    let hmac = Oracle::new(Kind::Hmac(common::samples().hs256_secret().to_vec()));
    let token = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, CLAIMS);
    assert!(check(vec![Key::external(hmac, Alg::Hs256)], &token).is_ok());
    assert_eq!(hmac.digest_len.load(Ordering::SeqCst), 0);
}

/// An external key is bound to its algorithm: a token of another one never reaches the hook,
/// even when the hook would say yes to anything.
#[test]
fn alg_binding_is_tokengate_s() {
    let yes = Oracle::new(Kind::Yes);
    let key = Key::external(yes, Alg::Es256).with_kid("se-3");
    let hs = mint(Signer::Hs256, r#"{"alg":"HS256","kid":"se-3"}"#, CLAIMS);
    assert_eq!(
        check(vec![key], &hs),
        Err(Error::AlgMismatch {
            token: Alg::Hs256,
            key: Alg::Es256
        })
    );
    let es384 = mint(Signer::Es384, r#"{"alg":"ES384"}"#, CLAIMS);
    assert_eq!(
        check(vec![key], &es384),
        Err(Error::NoKeyForAlg { alg: Alg::Es384 })
    );
    assert_eq!(yes.calls(), 0);
}

/// The signature's length is checked before the hook: a 63-byte or 96-byte "ES256" signature
/// never reaches it.
#[test]
fn signature_length_is_checked_first() {
    let yes = Oracle::new(Kind::Yes);
    let key = Key::external(yes, Alg::Es256);
    let input = format!(
        "{}.{}",
        common::b64(br#"{"alg":"ES256"}"#),
        common::b64(CLAIMS.as_bytes())
    );
    for len in [0usize, 63, 65, 96] {
        let token = format!("{input}.{}", common::b64(&vec![7u8; len]));
        assert_eq!(
            check(vec![key], &token),
            Err(Error::SignatureLength { len, expected: 64 }),
            "{len}"
        );
    }
    assert_eq!(yes.calls(), 0);
    // The right length reaches it (and this hook says yes to anything).
    let token = format!("{input}.{}", common::b64(&[7u8; 64]));
    assert!(check(vec![key], &token).is_ok());
    assert_eq!(yes.calls(), 1);
    // RSA: the modulus sizes tokengate accepts, 256 to 512 bytes.
    let rsa = Key::external(yes, Alg::Rs256);
    let input = format!(
        "{}.{}",
        common::b64(br#"{"alg":"RS256"}"#),
        common::b64(CLAIMS.as_bytes())
    );
    let short = format!("{input}.{}", common::b64(&[1u8; 255]));
    assert_eq!(
        check(vec![rsa], &short),
        Err(Error::SignatureLength {
            len: 255,
            expected: 256
        })
    );
    // Above 512 bytes the signature does not even fit the decoding buffer.
    let long = format!("{input}.{}", common::b64(&[1u8; 513]));
    assert_eq!(
        check(vec![rsa], &long),
        Err(Error::TooLarge {
            needed: 513,
            capacity: 512
        })
    );
    assert_eq!(yes.calls(), 1);
}

/// The claims are checked after a hook that says yes: an expired token or one for another
/// audience is refused whatever the hardware answered.
#[test]
fn claims_and_policy_are_tokengate_s() {
    let yes = Oracle::new(Kind::Yes);
    let key = Key::external(yes, Alg::Hs256);
    let expired = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":1000}"#,
    );
    assert!(matches!(
        check(vec![key], &expired),
        Err(Error::Expired { exp: 1000, .. })
    ));
    let other_aud = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-18","exp":4102444800}"#,
    );
    assert_eq!(check(vec![key], &other_aud), Err(Error::WrongAudience));
    let none = format!(
        "{}.{}.",
        common::b64(br#"{"alg":"none"}"#),
        common::b64(CLAIMS.as_bytes())
    );
    assert_eq!(check(vec![key], &none), Err(Error::AlgNone));
    assert_eq!(yes.calls(), 2);
}

/// Key choice by kid: the hook of the key the token names is asked, not another one.
#[test]
fn kid_selects_the_external_key() {
    let first = Oracle::new(Kind::Yes);
    let second = p256_oracle();
    let token = mint(Signer::Es256, r#"{"alg":"ES256","kid":"slot-2"}"#, CLAIMS);
    let keys = vec![
        Key::external(first, Alg::Es256).with_kid("slot-1"),
        Key::external(second, Alg::Es256).with_kid("slot-2"),
    ];
    assert!(check(keys.clone(), &token).is_ok());
    assert_eq!((first.calls(), second.calls()), (0, 1));
    let unknown = mint(Signer::Es256, r#"{"alg":"ES256","kid":"slot-9"}"#, CLAIMS);
    assert_eq!(check(keys, &unknown), Err(Error::UnknownKid));
}

#[test]
fn debug_names_alg_and_kid_only() {
    let key = Key::external(p256_oracle(), Alg::Es256).with_kid("se-3");
    assert_eq!(
        format!("{key:?}"),
        r#"Key { alg: Es256, kid: Some("se-3"), issuer: None, .. }"#
    );
}
