//! Shared setup of the fuzz targets in `fuzz_targets/`: the sample keys and their private halves
//! ([`setup`]), independent readings of JSON for the layer oracles ([`oracle`]), and the
//! differential target's token model ([`model`]), reference ([`reference`]) and list of intended
//! strictness ([`strictness`]). See docs/fuzzing.md.
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
pub mod setup;
pub mod strictness;
