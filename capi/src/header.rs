//! The committed header is what cbindgen generates from this crate: CI fails when it drifts.
//! `TOKENGATE_BLESS=1 cargo test -p tokengate-capi` rewrites it.

use std::path::Path;
use std::string::String;
use std::vec::Vec;

#[test]
fn committed_header_is_generated() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = dir.join("include/tokengate.h");
    if std::env::var_os("TOKENGATE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "capi/include/tokengate.h is not what cbindgen generates from capi/src; if the change is \
         intended, re-run `TOKENGATE_BLESS=1 cargo test -p tokengate-capi` and review the diff"
    );
}
