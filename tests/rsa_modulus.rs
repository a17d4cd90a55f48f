//! An `RsaModulus` key (Montgomery constants computed at each signature check) gets the same
//! verdicts as an `RsaPublicKey` of the same modulus, for every RSA algorithm and size, on
//! genuine and tampered signatures, and in a key set: the same key choice by `kid` and `alg`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions
)]

mod common;

use tokengate::{Alg, Buffers, Error, Expected, Key, Policy, RsaModulus, Verifier};

/// The sample modulus of `bits` bits as an `RsaModulus`, with `zeros` leading zero bytes.
fn lazy(bits: u32, zeros: usize) -> &'static RsaModulus<'static> {
    let mut modulus = vec![0u8; zeros];
    modulus.extend(common::samples().rsa_modulus(bits));
    let modulus: &'static [u8] = Box::leak(modulus.into_boxed_slice());
    common::leak(RsaModulus::new(modulus, 65537).unwrap())
}

#[test]
fn same_verdicts_as_rsa_public_key() {
    let message = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXZpY2Utb3BlcmF0b3IifQ";
    for bits in [2048, 3072, 4096] {
        let modulus = lazy(bits, usize::from(bits == 3072));
        assert_eq!(modulus.bits(), bits);
        for alg in common::RSA_ALGS {
            let full = common::rsa_key(bits, alg);
            let key = Key::rsa_modulus(modulus, alg).unwrap();
            assert_eq!(key.alg(), alg);
            assert_eq!(key.rsa_bits(), Some(bits));
            assert_eq!(key.validate(), Ok(()));
            let genuine = common::rsa_sign(bits, alg, None, message);
            let other = common::rsa_sign(bits, alg, None, b"another message");
            let mut flipped = genuine.clone();
            flipped[17] ^= 0x10;
            let mut low = genuine.clone();
            *low.last_mut().unwrap() ^= 1;
            let modulus_bytes = common::samples().rsa_modulus(bits);
            let mut above = modulus_bytes.clone();
            *above.last_mut().unwrap() = above.last().unwrap().wrapping_add(2);
            let mut longer = genuine.clone();
            longer.push(0);
            let signatures: [&[u8]; 10] = [
                &genuine,
                &other,
                &flipped,
                &low,
                &genuine[1..],
                &longer,
                &[],
                &vec![0; genuine.len()],
                &modulus_bytes,
                &above,
            ];
            for (i, signature) in signatures.iter().enumerate() {
                let want = full.verify_signature(message, signature);
                assert_eq!(
                    key.verify_signature(message, signature),
                    want,
                    "{alg:?}-{bits} signature {i}"
                );
                assert_eq!(want.is_ok(), i == 0, "{alg:?}-{bits} signature {i}");
            }
        }
    }
}

#[test]
fn refuses_other_algorithms() {
    let modulus = lazy(2048, 0);
    for alg in [Alg::Es256, Alg::Es384, Alg::Hs256, Alg::EdDsa] {
        assert_eq!(
            Key::rsa_modulus(modulus, alg).unwrap_err(),
            Error::UnsupportedAlg
        );
    }
}

#[test]
fn same_key_choice_in_a_key_set() {
    let policy = || Policy::new(Expected::Exactly("iss"), Expected::Exactly("aud"));
    let rs = Key::rsa_modulus(lazy(2048, 0), Alg::Rs256)
        .unwrap()
        .with_kid("rs");
    let ps = Key::rsa_modulus(lazy(2048, 0), Alg::Ps256)
        .unwrap()
        .with_kid("ps");
    let ps_4096 = Key::rsa_modulus(lazy(4096, 0), Alg::Ps256).unwrap();
    let keys = [rs, ps, ps_4096];
    let full = [
        common::rsa_key(2048, Alg::Rs256).with_kid("rs"),
        common::rsa_key(2048, Alg::Ps256).with_kid("ps"),
        common::rsa_key(4096, Alg::Ps256),
    ];
    let lazy_verifier = Verifier::new(&keys, policy());
    let full_verifier = Verifier::new(&full, policy());
    let payload = r#"{"iss":"iss","aud":"aud","exp":2000000000}"#;
    let tokens = [
        // By kid.
        (
            common::Signer::Rsa(2048, Alg::Rs256),
            r#"{"alg":"RS256","kid":"rs"}"#,
        ),
        (
            common::Signer::Rsa(2048, Alg::Ps256),
            r#"{"alg":"PS256","kid":"ps"}"#,
        ),
        // Alg confusion: the kid's key is bound to RS256.
        (
            common::Signer::Rsa(2048, Alg::Ps256),
            r#"{"alg":"PS256","kid":"rs"}"#,
        ),
        // An unknown kid falls back to the key without one.
        (
            common::Signer::Rsa(4096, Alg::Ps256),
            r#"{"alg":"PS256","kid":"new"}"#,
        ),
        // No kid: every PS256 key is tried, the 2048-bit one's length does not fit.
        (common::Signer::Rsa(4096, Alg::Ps256), r#"{"alg":"PS256"}"#),
        (common::Signer::Rsa(2048, Alg::Ps256), r#"{"alg":"PS256"}"#),
        // No RS512 key.
        (common::Signer::Rsa(2048, Alg::Rs512), r#"{"alg":"RS512"}"#),
    ];
    let accepted = [true, true, false, true, true, true, false];
    for ((signer, header), accepted) in tokens.into_iter().zip(accepted) {
        let token = common::mint(signer, header, payload);
        let mut lazy_buffers = Buffers::<1024>::new();
        let mut full_buffers = Buffers::<1024>::new();
        let got = lazy_verifier
            .verify(&token, 1_700_000_000, &mut lazy_buffers)
            .map(|v| v.header().kid().map(str::to_owned));
        let want = full_verifier
            .verify(&token, 1_700_000_000, &mut full_buffers)
            .map(|v| v.header().kid().map(str::to_owned));
        assert_eq!(got, want, "{header}");
        assert_eq!(got.is_ok(), accepted, "{header}: {got:?}");
    }
}
