//! The ES256 arithmetic against the `p256` crate: tokengate's P-256 (`es256` without
//! `es256-p256`) must give `p256`'s verdict on every (key, hash, signature), genuine, tampered
//! or arbitrary.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use tokengate::Error;
use tokengate::fuzzing::es256_verify_prehashed;

#[derive(Arbitrary, Debug)]
enum Case {
    /// Arbitrary bytes throughout.
    Raw {
        key: [u8; 64],
        hash: [u8; 32],
        signature: [u8; 64],
    },
    /// A genuine signature by the key with this secret, then XORed with the masks.
    Signed {
        secret: [u8; 32],
        hash: [u8; 32],
        key_mask: [u8; 64],
        hash_mask: [u8; 32],
        signature_mask: [u8; 64],
        /// Replace `s` by `n − s` (high s) before masking.
        high_s: bool,
    },
}

/// `p256`'s verdict, in tokengate's errors.
fn reference(sec1: &[u8; 65], hash: &[u8; 32], signature: &[u8; 64]) -> Result<(), Error> {
    let key = VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Error::InvalidKey)?;
    let signature = Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
    key.verify_prehash(hash, &signature)
        .map_err(|_| Error::BadSignature)
}

fn xor<const N: usize>(a: &mut [u8; N], mask: &[u8; N]) {
    a.iter_mut().zip(mask).for_each(|(a, m)| *a ^= m);
}

fuzz_target!(|case: Case| {
    let (sec1, hash, signature, genuine) = match case {
        Case::Raw {
            key,
            hash,
            signature,
        } => {
            let mut sec1 = [4u8; 65];
            sec1[1..].copy_from_slice(&key);
            (sec1, hash, signature, false)
        }
        Case::Signed {
            secret,
            hash,
            key_mask,
            hash_mask,
            signature_mask,
            high_s,
        } => {
            let Ok(key) = SigningKey::from_bytes(&secret.into()) else {
                return;
            };
            let point = key.verifying_key().to_sec1_point(false);
            let mut sec1: [u8; 65] = point.as_bytes().try_into().unwrap();
            let mut signature: Signature = key.sign_prehash(&hash).unwrap();
            if high_s {
                let (r, s) = signature.split_scalars();
                signature = Signature::from_scalars(r, -*s).unwrap();
            }
            let mut signature: [u8; 64] = signature.to_bytes().into();
            let mut hash = hash;
            let mut key_part: [u8; 64] = sec1[1..].try_into().unwrap();
            xor(&mut key_part, &key_mask);
            sec1[1..].copy_from_slice(&key_part);
            xor(&mut hash, &hash_mask);
            xor(&mut signature, &signature_mask);
            let untouched = key_mask
                .iter()
                .chain(&hash_mask)
                .chain(&signature_mask)
                .all(|&b| b == 0);
            (sec1, hash, signature, untouched)
        }
    };
    let expected = reference(&sec1, &hash, &signature);
    let ours = es256_verify_prehashed(&sec1, &hash, &signature);
    assert_eq!(
        ours, expected,
        "key {sec1:02x?}\nhash {hash:02x?}\nsignature {signature:02x?}"
    );
    if genuine {
        assert_eq!(ours, Ok(()));
    }
});
