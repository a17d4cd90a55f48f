//! The oracle of the integration tests: the `p256` crate's verdict.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use tokengate_p256::Error;

/// What `p256` says about a signature, as this crate's errors.
pub(crate) fn p256_verdict(
    point: &[u8; 65],
    hash: &[u8; 32],
    signature: &[u8; 64],
) -> Result<(), Error> {
    let key = VerifyingKey::from_sec1_bytes(point).map_err(|_| Error::InvalidKey)?;
    let signature = Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
    key.verify_prehash(hash, &signature)
        .map_err(|_| Error::BadSignature)
}
