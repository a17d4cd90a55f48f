//! RS256 against the `rsa` crate with public exponents of every shape: fixed prime pairs of
//! 2048, 3072 and 4096 bits, an odd exponent per input (coprime to λ(n)), a genuine signature by
//! the `rsa` crate, one mutation of the signature, message, encoding or key; tokengate and the
//! `rsa` crate must agree, and a genuine signature must verify in both (fuzz/src/rs256.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate_fuzz::rs256::{PAIRS, RsaCase, check};

fuzz_target!(
    init: {
        // Parse and check the prime pairs before the first input's clock starts.
        std::sync::LazyLock::force(&PAIRS);
    },
    |case: RsaCase<'_>| check(case)
);
