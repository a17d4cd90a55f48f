//! Picks the board from the target: its memory map (`memory/<board>.x`, copied to `memory.x`
//! where the runtime's `link.x` includes it), the `board` cfg, and the linker scripts.

use std::{env, fs, path::PathBuf};

fn main() {
    let target = env::var("TARGET").unwrap_or_default();
    let board = match target.as_str() {
        "thumbv7em-none-eabihf" | "thumbv7em-none-eabi" => Some("mps2-an386"),
        "thumbv6m-none-eabi" => Some("microbit"),
        t if t.starts_with("riscv32") => Some("virt"),
        _ => None,
    };
    println!("cargo::rustc-check-cfg=cfg(board, values(\"mps2-an386\", \"microbit\", \"virt\"))");
    println!("cargo::rustc-env=TARGET={target}");
    println!("cargo::rerun-if-changed=memory");
    let Some(board) = board else {
        // A host build (e.g. `cargo check --workspace`): nothing to link.
        return;
    };
    println!("cargo::rustc-cfg=board=\"{board}\"");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(format!("memory/{board}.x"), out.join("memory.x")).expect("memory map");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rustc-link-arg-bins=-Tlink.x");
    if env::var_os("CARGO_FEATURE_DEFMT").is_some() {
        println!("cargo::rustc-link-arg-bins=-Tdefmt.x");
    }
}
