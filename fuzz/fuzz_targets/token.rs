//! Full verification of arbitrary bytes with the sample ES256, RS256 and HS256 keys, a fixed
//! clock and a full policy: never a panic, and what verifies satisfies the policy.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate::{Buffers, Error};
use tokengate_fuzz::setup::{AUD, FULL, ISS, NOW, SCOPE};

fuzz_target!(|token: &[u8]| {
    let mut buffers: Buffers = Buffers::new();
    let result = FULL.verify(token, NOW, &mut buffers);
    // Smaller buffers only add "too large" errors.
    let mut small = Buffers::<256>::new();
    match (&result, FULL.verify(token, NOW, &mut small)) {
        (_, Err(Error::TooLarge { .. } | Error::ScratchTooSmall)) => {}
        (Ok(a), Ok(b)) => assert_eq!(a, &b),
        (a, b) => assert_eq!(a.map(|_| ()), b.map(|_| ())),
    }
    let mut jws_buffers: Buffers = Buffers::new();
    let jws = FULL.verify_jws(token, &mut jws_buffers);
    if let Ok(verified) = result {
        let claims = verified.claims();
        assert_eq!(claims.iss(), Some(ISS));
        assert!(claims.aud().contains(AUD));
        assert!(verified.has_scope(SCOPE));
        assert!(NOW < claims.exp().unwrap().seconds().saturating_add(61));
        assert!(claims.iat().unwrap().seconds() <= NOW + 60);
        let typ = verified.header().typ().unwrap().to_ascii_lowercase();
        assert!(typ == "jwt" || typ == "application/jwt", "{typ}");
        assert_eq!(jws.map(|j| *j.header()), Ok(*verified.header()));
    }
});
