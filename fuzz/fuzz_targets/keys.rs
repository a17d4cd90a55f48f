//! Key construction from arbitrary SEC1 points, RSA moduli and exponents, and HMAC secrets,
//! each checked against the documented rules, then used on an arbitrary signature and compared
//! with the `p256`, `rsa` and `hmac` crates' own verdicts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate_fuzz::keys::{KeyInput, check_es256, check_hmac, check_rsa};

fuzz_target!(|input: KeyInput<'_>| match input {
    KeyInput::Es256 {
        sec1,
        message,
        signature,
    } => check_es256(&sec1, message, signature),
    KeyInput::Rsa {
        modulus,
        exponent,
        message,
        signature,
    } => {
        check_rsa(modulus, exponent, message, signature)
    }
    KeyInput::Hmac {
        secret,
        message,
        tag,
    } => check_hmac(secret, message, tag),
});
