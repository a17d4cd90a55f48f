//! The `keys` target's checks: each constructor against the rules its docs state, each
//! accepted key against the crate that does the same job.

use arbitrary::Arbitrary;
use tokengate::{
    Error, Es256Key, Hs256Key, Hs256Prepared, Key, Rsa2048, Rsa3072, Rsa4096, RsaPublicKey,
};

#[derive(Arbitrary, Debug)]
pub enum KeyInput<'a> {
    Es256 {
        sec1: [u8; 65],
        message: &'a [u8],
        signature: &'a [u8],
    },
    Rsa {
        modulus: &'a [u8],
        exponent: u32,
        message: &'a [u8],
        signature: &'a [u8],
    },
    Hmac {
        secret: &'a [u8],
        message: &'a [u8],
        tag: &'a [u8],
    },
}

/// The P-256 field prime, big-endian.
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

pub fn check_es256(sec1: &[u8; 65], message: &[u8], signature: &[u8]) {
    let encoding_ok = sec1[0] == 4 && sec1[1..33] < P[..] && sec1[33..] < P[..];
    let key = Es256Key::new(sec1);
    assert_eq!(key.is_ok(), encoding_ok, "{key:?}");
    let Ok(key) = key else { return };
    assert_eq!(key.to_sec1(), *sec1);
    let reference = p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1);
    let key = Key::es256(&key);
    assert_eq!(key.validate().is_ok(), reference.is_ok());
    let ours = key.verify_signature(message, signature);
    let theirs = reference.map_err(|_| ()).and_then(|r| {
        use p256::ecdsa::signature::Verifier;
        let s = p256::ecdsa::Signature::from_slice(signature).map_err(|_| ())?;
        r.verify(message, &s).map_err(|_| ())
    });
    assert_eq!(ours.is_ok(), theirs.is_ok(), "{ours:?}");
    if signature.len() != 64 {
        assert!(
            matches!(ours, Err(Error::SignatureLength { .. } | Error::InvalidKey)),
            "{ours:?}"
        );
    }
}

fn check_rsa_size<const LIMBS: usize>(
    modulus: &[u8],
    exponent: u32,
    cap: u32,
) -> Option<RsaPublicKey<LIMBS>> {
    let stripped = &modulus[modulus.iter().take_while(|&&b| b == 0).count()..];
    let bits = stripped
        .first()
        .map_or(0, |b| stripped.len() as u32 * 8 - b.leading_zeros());
    let valid = (2048..=cap).contains(&bits)
        && stripped.last().is_some_and(|b| b & 1 == 1)
        && exponent >= 3
        && exponent & 1 == 1;
    let key = RsaPublicKey::<LIMBS>::new(modulus, exponent);
    assert_eq!(key.is_ok(), valid, "{bits} bits, e = {exponent}: {key:?}");
    let key = key.ok()?;
    assert_eq!(
        (key.bits(), key.modulus_len(), key.exponent()),
        (bits, stripped.len(), exponent)
    );
    Some(key)
}

pub fn check_rsa(modulus: &[u8], exponent: u32, message: &[u8], signature: &[u8]) {
    // The integer size is inferred from each key type.
    let k2: Option<Rsa2048> = check_rsa_size(modulus, exponent, 2048);
    let k3: Option<Rsa3072> = check_rsa_size(modulus, exponent, 3072);
    let k4: Option<Rsa4096> = check_rsa_size(modulus, exponent, 4096);
    let Some(k4) = k4 else {
        return;
    };
    let ours = Key::rs256(&k4).verify_signature(message, signature);
    // The same modulus in a wider integer gives the same answers.
    if let Some(k) = k2 {
        assert_eq!(Key::rs256(&k).verify_signature(message, signature), ours);
    }
    if let Some(k) = k3 {
        assert_eq!(Key::rs256(&k).verify_signature(message, signature), ours);
    }
    let n = rsa::BigUint::from_bytes_be(modulus);
    let Ok(reference) = rsa::RsaPublicKey::new(n, rsa::BigUint::from(exponent)) else {
        return;
    };
    use rsa::sha2::{Digest, Sha256};
    let theirs = reference.verify(
        rsa::Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(message),
        signature,
    );
    assert_eq!(ours.is_ok(), theirs.is_ok(), "{ours:?} / {theirs:?}");
}

pub fn check_hmac(secret: &[u8], message: &[u8], tag: &[u8]) {
    let key = Hs256Key::new(secret);
    assert_eq!(key.is_ok(), secret.len() >= 32, "{key:?}");
    let prepared = Hs256Prepared::new(secret);
    assert_eq!(prepared.as_ref().err(), key.as_ref().err());
    let Ok(key) = key else { return };
    let key = Key::hs256(key);
    let right = crate::setup::hmac_sha256(secret, message);
    assert_eq!(key.verify_signature(message, &right), Ok(()));
    let ours = key.verify_signature(message, tag);
    assert_eq!(ours.is_ok(), tag == right, "{ours:?}");
    // The prepared key (hash states after the padding blocks) gives the same verdicts.
    let Ok(prepared) = prepared else { return };
    let prepared = Key::hs256_prepared(&prepared);
    assert_eq!(prepared.verify_signature(message, &right), Ok(()));
    assert_eq!(prepared.verify_signature(message, tag), ours);
}
