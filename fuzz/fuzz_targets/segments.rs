//! The base64url layer, checked by round trip: decoding then encoding gives back the input, or
//! decoding fails and the input is not canonical base64url (read by the `base64` crate).
#![no_main]
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64ct::Encoding as _;
use libfuzzer_sys::fuzz_target;
use tokengate::Error;
use tokengate::fuzzing::decode_segment;

fuzz_target!(|encoded: &[u8]| {
    let reference = URL_SAFE_NO_PAD.decode(encoded).ok();
    let canonical = reference
        .as_ref()
        .filter(|b| URL_SAFE_NO_PAD.encode(b).as_bytes() == encoded);
    let mut out = vec![0u8; encoded.len()];
    match decode_segment(encoded, &mut out) {
        Ok(bytes) => {
            assert_eq!(
                base64ct::Base64UrlUnpadded::encode_string(bytes).as_bytes(),
                encoded
            );
            assert_eq!(Some(&bytes.to_vec()), canonical);
        }
        Err(Error::Base64 { .. }) => assert_eq!(canonical, None),
        Err(e) => panic!("{e:?}"),
    }
    // An exact-size buffer is enough; one byte less is `TooLarge`, never a truncation.
    if let Some(bytes) = canonical.filter(|b| !b.is_empty()) {
        assert_eq!(
            decode_segment(encoded, &mut vec![0; bytes.len()]),
            Ok(&bytes[..])
        );
        let short = decode_segment(encoded, &mut out[..bytes.len() - 1]);
        assert!(matches!(short, Err(Error::TooLarge { .. })), "{short:?}");
    }
});
