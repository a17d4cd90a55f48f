//! `keys rotate` output as a device uses it: installed into a `tokengate::KeyRing` with the
//! rotation key's public half, versions enforced, issuer bindings carried.

// Test code: a failed expectation is a panic with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use tokengate::{Buffers, Error, Key, KeyRing, Rsa4096};

fn rotation_key() -> &'static [Key<'static>] {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let pem = std::fs::read_to_string(root().join(data("keys/rsa4096.pub.pem"))).unwrap();
    let public = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
    let key: &'static Rsa4096 = Box::leak(Box::new(
        Rsa4096::new(&public.n().to_bytes_be(), 65537).unwrap(),
    ));
    Box::leak(Box::new([Key::rs256(key).with_kid("rotation")]))
}

fn rotate(version: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "keys",
        "rotate",
        "--set-version",
        version,
        "--alg",
        "RS256",
        "--signing-key",
        "tests/data/keys/rsa4096.pem",
        "--kid",
        "rotation",
    ];
    args.extend_from_slice(extra);
    cli(&args)
}

#[test]
fn rotated_key_set_installs_on_a_device() {
    let run = rotate(
        "5",
        &[
            "--jwks",
            "tests/data/keys/jwks.json",
            "--hs256-secret-file",
            "tests/data/keys/hs256.secret",
            "--issuer",
            ISS,
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("signed, not encrypted"), "{run:#?}");
    assert!(
        run.stderr.contains("key set version 5 with 5 keys"),
        "{run:#?}"
    );
    let key_set = run.stdout.trim();
    let mut ring = KeyRing::<5>::new();
    let mut buffers = Box::new(Buffers::<8192>::new());
    assert_eq!(
        ring.install(key_set, rotation_key(), 1, &mut buffers),
        Ok(5)
    );
    let keys = ring.keys();
    assert_eq!(keys.len(), 5);
    assert!(keys.iter().all(|k| k.issuer() == Some(ISS)));
    assert_eq!(keys[0].kid(), Some("es256-test"));
    assert_eq!(keys[3].rsa_bits(), Some(4096));
    assert_eq!(keys[4].alg(), tokengate::Alg::Hs256);
    // The bundled sample tokens verify with the rotated keys.
    let verifier = tokengate::Verifier::new(
        &keys,
        tokengate::Policy::new(
            tokengate::Expected::Exactly(ISS),
            tokengate::Expected::Exactly(AUD),
        ),
    );
    for name in ["es256", "rs256-2048", "rs256-3072", "rs256-4096", "hs256"] {
        let mut b = Box::new(Buffers::<4096>::new());
        assert!(verifier.verify(token(name), NOW, &mut b).is_ok(), "{name}");
    }
    drop(keys);
    // Installed again at boot with the version it was accepted at; refused once a newer set
    // (6) was accepted.
    assert_eq!(
        ring.install(key_set, rotation_key(), 5, &mut buffers),
        Ok(5)
    );
    assert_eq!(
        ring.install(key_set, rotation_key(), 6, &mut buffers),
        Err(Error::StaleKeySet {
            version: 5,
            minimum: 6
        })
    );
}

#[test]
fn rotate_usage_errors() {
    rotate("1", &[]).assert_usage("no key source");
    let run = cli(&[
        "keys",
        "rotate",
        "--set-version",
        "1",
        "--alg",
        "RS256",
        "--signing-key",
        "tests/data/keys/rsa4096.pub.pem",
        "--jwks",
        "tests/data/keys/jwks.json",
    ]);
    run.assert_usage("holds a public key, not a private key");
    cli(&["keys", "rotate", "--alg", "RS256"]).assert_usage("--set-version");
}
