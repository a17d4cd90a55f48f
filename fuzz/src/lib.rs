//! Shared setup of the fuzz targets in `fuzz_targets/`: the sample keys and their private halves
//! ([`setup`]), independent readings of JSON for the layer oracles ([`oracle`]), and the
//! differential target's token model ([`model`]), reference ([`reference`]) and list of intended
//! strictness ([`strictness`]); the `rsa` target's prime pairs ([`rsa_primes`]) and checks
//! ([`rs256`]). See docs/fuzzing.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod keys;
pub mod model;
pub mod oracle;
pub mod reference;
pub mod rs256;
pub mod rsa_primes;
pub mod setup;
pub mod strictness;
