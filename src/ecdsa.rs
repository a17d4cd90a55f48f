//! What ES256 and ES384 keys share: the SEC1 encoding check of a `const` key, and the call into
//! a RustCrypto curve crate's verifier (`p384` for ES384, `p256` with the `es256-p256` feature).

/// Whether `sec1` is an uncompressed point `04 ‖ x ‖ y` whose coordinates are both below the
/// field prime `p` (big-endian, `p.len()` bytes each). Whether the point is on the curve is the
/// curve arithmetic's check. Not constant-time: public keys are public.
pub(crate) const fn is_uncompressed_point(sec1: &[u8], p: &[u8]) -> bool {
    let [tag, coordinates @ ..] = sec1 else {
        return false;
    };
    if *tag != 0x04 || coordinates.len() != p.len().saturating_mul(2) {
        return false;
    }
    let (x, y) = coordinates.split_at(p.len());
    below(x, p) && below(y, p)
}

/// Whether the big-endian integer `x` is below `p` (both of `p.len()` bytes).
const fn below(x: &[u8], p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() && i < x.len() {
        // Both indices are below their slice's length.
        #[allow(clippy::indexing_slicing)]
        let (a, b) = (x[i], p[i]);
        if a != b {
            return a < b;
        }
        i = i.saturating_add(1);
    }
    false
}

/// Verifies a prehashed ECDSA signature (`r ‖ s`, fixed size) with a RustCrypto curve crate
/// (`p256` or `p384`): [`Error::InvalidKey`](crate::Error::InvalidKey) for a point off the
/// curve, [`Error::BadSignature`](crate::Error::BadSignature) for `r` or `s` outside
/// `[1, n − 1]` or a signature that does not verify. High-s signatures are valid ECDSA and
/// verify. A macro, not a generic function: the crates' shared traits would add two
/// dependencies (`ecdsa`, `elliptic-curve`) and a page of bounds for these four lines.
#[cfg(any(feature = "es256-p256", feature = "es384"))]
macro_rules! verify_prehash_by {
    ($curve:ident, $sec1:expr, $hash:expr, $signature:expr) => {{
        use $curve::ecdsa::signature::hazmat::PrehashVerifier;
        let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes($sec1)
            .map_err(|_| crate::Error::InvalidKey)?;
        let signature = $curve::ecdsa::Signature::from_slice($signature)
            .map_err(|_| crate::Error::BadSignature)?;
        key.verify_prehash($hash, &signature)
            .map_err(|_| crate::Error::BadSignature)
    }};
}
#[cfg(any(feature = "es256-p256", feature = "es384"))]
pub(crate) use verify_prehash_by;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding() {
        let p = [0xff, 0x00];
        assert!(is_uncompressed_point(&[4, 0xfe, 0xff, 0, 0], &p));
        assert!(!is_uncompressed_point(&[4, 0xff, 0x00, 0, 0], &p));
        assert!(!is_uncompressed_point(&[4, 0, 0, 0xff, 0x01], &p));
        assert!(!is_uncompressed_point(&[2, 0, 0, 0, 0], &p));
        assert!(!is_uncompressed_point(&[4, 0, 0, 0], &p));
        assert!(!is_uncompressed_point(&[], &p));
    }
}
