//! Keys and tokens of the algorithms beyond the door's three (ES384, PS256, HS512, EdDSA), each
//! behind its feature: rows of `bench`, and what `size-probe` verifies when it is built with one
//! of them alone. The tokens carry the HS256 sample's claims (tests/data/tokens), signed by
//! PyJWT (and, for EdDSA, RFC 8037 A.1's key).

#[cfg(feature = "ps256")]
use door_gate::provisioned as p;
use tokengate::Key;

/// RFC 8037 A.2's public key, and a token with the HS256 sample's claims signed with A.1's `d`.
#[cfg(feature = "eddsa")]
pub static ED25519: tokengate::Ed25519Key = match tokengate::Ed25519Key::new(&[
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
]) {
    Ok(k) => k,
    Err(_) => panic!(),
};
#[cfg(feature = "eddsa")]
pub static ED_KEYS: [Key<'static>; 1] = [Key::ed25519(&ED25519).with_kid("ed25519-test")];
#[cfg(feature = "eddsa")]
pub const VALID_EDDSA: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTktdGVzdCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci50b2tlbmdhdGUudGVzdCIsInN1YiI6ImRldmljZS1vcGVyYXRvciIsImF1ZCI6ImRvb3ItMTciLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6NDEwMjQ0NDgwMCwic2NvcGUiOiJkb29yOm9wZW4gZG9vcjpzdGF0dXMiLCJqdGkiOiJ2YWxpZC1oczI1NiJ9.OszfufXmVkO9678Jzl5U2W7u3WqLTFgKZEolvwJI8T1GFGJFDDecCANUft0rzfsS15E-dOFbmlMy7fBc-YGZDw";
/// The ES384 test key of tests/common (its scalar is the SHA-384 of "tokengate ES384 test
/// key"), and the HS256 sample's claims signed with it by PyJWT.
#[cfg(feature = "es384")]
pub static ES384: tokengate::Es384Key = match tokengate::Es384Key::new(&[
    0x04, 0x51, 0xb9, 0x3b, 0x3e, 0xac, 0x38, 0xe6, 0xb1, 0x7c, 0x8f, 0xe4, 0x0c, 0x4e, 0xf5, 0x43,
    0x78, 0xc1, 0xf2, 0x3c, 0xb8, 0x58, 0xdd, 0x08, 0x3d, 0xe6, 0xa5, 0x6f, 0x31, 0xbb, 0xcc, 0x77,
    0x81, 0x2f, 0xdc, 0x25, 0xf9, 0x2e, 0x56, 0x78, 0x2a, 0x41, 0xc0, 0x50, 0x93, 0x18, 0x2d, 0x9d,
    0x09, 0x37, 0x72, 0xfc, 0xeb, 0xca, 0x5b, 0xe6, 0x9b, 0x5c, 0xc7, 0xe5, 0xec, 0x74, 0x7f, 0x89,
    0xb9, 0xb4, 0x3d, 0x45, 0x3a, 0x4a, 0xd6, 0x3b, 0x7b, 0xfe, 0xaf, 0x80, 0x26, 0x2d, 0x59, 0x22,
    0x6d, 0xa0, 0xf6, 0x00, 0x79, 0x9f, 0x1e, 0xad, 0x33, 0xfb, 0xff, 0x31, 0x0b, 0x40, 0x2a, 0x04,
    0x62,
]) {
    Ok(k) => k,
    Err(_) => panic!(),
};
#[cfg(feature = "es384")]
pub static ES384_KEYS: [Key<'static>; 1] = [Key::es384(&ES384).with_kid("es384-test")];
#[cfg(feature = "es384")]
pub const VALID_ES384: &str = "eyJhbGciOiJFUzM4NCIsImtpZCI6ImVzMzg0LXRlc3QiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci50b2tlbmdhdGUudGVzdCIsInN1YiI6ImRldmljZS1vcGVyYXRvciIsImF1ZCI6ImRvb3ItMTciLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6NDEwMjQ0NDgwMCwic2NvcGUiOiJkb29yOm9wZW4gZG9vcjpzdGF0dXMiLCJqdGkiOiJ2YWxpZC1oczI1NiJ9.Fgo8kv-IyOHduxA2nKh6Lj6zoKPzMsu8ZJhtJB7FRuTWubU7WnAHsIpX6urjBORMjbUPVstK2dD2X3_Qubx3lcC1qGaNwP9kuX2ZHik11v86vPD1cJwj2GJeaCki2RrP";
/// The sample RSA-2048 key provisioned for PS256, and the same claims signed by PyJWT.
#[cfg(feature = "ps256")]
pub static RSA2048_PS: tokengate::Rsa2048 = match tokengate::Rsa2048::new(&p::RSA2048_N, 65537) {
    Ok(k) => k,
    Err(_) => panic!(),
};
#[cfg(feature = "ps256")]
pub static PS256_KEYS: [Key<'static>; 1] = [match Key::rsa(&RSA2048_PS, tokengate::Alg::Ps256) {
    Ok(k) => k,
    Err(_) => panic!(),
}
.with_kid("ps256-2048-test")];
#[cfg(feature = "ps256")]
pub const VALID_PS256: &str = "eyJhbGciOiJQUzI1NiIsImtpZCI6InBzMjU2LTIwNDgtdGVzdCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci50b2tlbmdhdGUudGVzdCIsInN1YiI6ImRldmljZS1vcGVyYXRvciIsImF1ZCI6ImRvb3ItMTciLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6NDEwMjQ0NDgwMCwic2NvcGUiOiJkb29yOm9wZW4gZG9vcjpzdGF0dXMiLCJqdGkiOiJ2YWxpZC1oczI1NiJ9.i35Tbl0I8HKoCHaqjH44hPBHvO_3YbwEeihw_uxGWRD4lrWOTRwL-X7KkLfi2Q-UkFDjUsAjhdtZjtA21f3SsQtSTEpEWnalEzefJoJLdWIIm-xphUGnM9ikNrLf1G-RJJ7kvUkt2wGwR6dNekLBC8B-mDRiB4FBkPwpkaKcx_cyYqlpigyyl8WkSka1IsPnv9WdlbTX2s8RILJFHl1ovGzY9p_Wdt205Em-CmRSFJgYbN13Bnet6FfKEmwSwA2mLlptwBxYedV1K_JV1oXjnWy2D9spTB3lzLVZr8Ptm_Oi7-N2x3_IsozSaiw9eZtj0vHy5LVyP5nOl7Q5-kU29A";
/// The 64-byte HS512 test secret of tests/common, and the same claims signed by PyJWT.
#[cfg(feature = "hs512")]
pub static HS512_KEYS: [Key<'static>; 1] = [match tokengate::Hs512Key::new(
    b"tokengate HS512 test secret, sixty-four bytes long, no more....!",
) {
    Ok(k) => Key::hs512(k),
    Err(_) => panic!(),
}
.with_kid("hs512-test")];
#[cfg(feature = "hs512")]
pub const VALID_HS512: &str = "eyJhbGciOiJIUzUxMiIsImtpZCI6ImhzNTEyLXRlc3QiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci50b2tlbmdhdGUudGVzdCIsInN1YiI6ImRldmljZS1vcGVyYXRvciIsImF1ZCI6ImRvb3ItMTciLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6NDEwMjQ0NDgwMCwic2NvcGUiOiJkb29yOm9wZW4gZG9vcjpzdGF0dXMiLCJqdGkiOiJ2YWxpZC1oczI1NiJ9.Ivz9ZH9npKSrEW9qZKgQNNXPtLfhVkIjSaj2EIaVIVHczhecmCitioML-mcX9tvk3RqxZN3OT0jK_cjrrFTs5Q";
