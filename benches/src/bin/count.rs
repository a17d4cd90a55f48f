//! Runs one verification many times, for instruction counts under callgrind (load-independent,
//! unlike wall-clock timings). Only `measured_loop` is meant to be counted:
//!
//! ```sh
//! valgrind --tool=callgrind --toggle-collect=measured_loop target/release/count LIB CASE N
//! ```
//!
//! `count reasons` prints why each library rejects each bad token.
//!
//! `count LIB CASE 2s` instead runs for two seconds, for `perf record -e cpu-clock`.
//!
//! LIB is a library id of this build variant (`tokengate`, `jwt-compact`, ...; `count list`
//! prints them), CASE an algorithm (`hs256`, `es256`, `rs256-2048`, `rs256-4096`, and `hs384`,
//! `hs512`, `es384`, `eddsa`, `rs384-2048`, ..., `ps512-2048` where the library has them) or, for
//! tokengate, `parse-claims` or `signature/ALG` (`count cases LIB` prints a library's cases). Setup (key parsing, checks, one warm-up verification that
//! builds any lazily computed tables) runs before the loop.

use std::hint::black_box;
use tokengate_bench::{
    PARSE_CLAIMS, bad_tokens, check, libraries, token, tokengate_parse_only,
    tokengate_signature_only,
};

/// The counted loop: `n` calls of `f`. Its symbol name is what `--toggle-collect` matches.
#[unsafe(no_mangle)]
#[inline(never)]
pub fn measured_loop(f: &mut dyn FnMut() -> bool, n: u32) -> u32 {
    let mut ok = 0;
    for _ in 0..n {
        ok += u32::from(black_box(f()));
    }
    ok
}

/// Calls `f` for about `seconds`, for sampling profilers (`perf record -e cpu-clock`).
#[inline(never)]
fn timed_loop(f: &mut dyn FnMut() -> bool, seconds: f64) -> u32 {
    let start = std::time::Instant::now();
    let mut n = 0;
    while start.elapsed().as_secs_f64() < seconds {
        assert!(black_box(f()));
        n += 1;
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let libs = libraries();
    match args.first().map(String::as_str) {
        Some("list") => {
            for lib in &libs {
                println!("{}", lib.id);
            }
            return;
        }
        Some("cases") => {
            let id = args.get(1).map_or("", String::as_str);
            let lib = libs
                .iter()
                .find(|l| l.id == id)
                .unwrap_or_else(|| panic!("no library {id} in this build"));
            for case in lib.cases() {
                println!("{case}");
            }
            return;
        }
        // Why each library rejects each bad token (the setup check only asserts that it does).
        Some("reasons") => {
            for lib in &libs {
                for &alg in lib.algs {
                    let mut verify = (lib.verifier)(alg);
                    for (case, bad) in bad_tokens(alg) {
                        let outcome = verify(&bad).err().unwrap_or_else(|| "ACCEPTED".to_owned());
                        println!("{}\t{alg}\t{case}\t{outcome}", lib.id);
                    }
                }
            }
            return;
        }
        _ => {}
    }
    let [lib_id, case, n] = args.as_slice() else {
        eprintln!(
            "usage: count LIB CASE N|SECONDSs | count list | count cases LIB | count reasons"
        );
        std::process::exit(2);
    };
    // N calls, or `2s`: as many calls as fit in two seconds (for perf, not callgrind).
    let seconds: Option<f64> = n.strip_suffix('s').map(|s| s.parse().expect("seconds"));
    let n: u32 = if seconds.is_some() {
        0
    } else {
        n.parse().expect("N")
    };
    let lib = libs
        .iter()
        .find(|l| l.id == lib_id)
        .unwrap_or_else(|| panic!("no library {lib_id} in this build"));
    assert!(
        lib.cases().contains(case),
        "{lib_id} has no case {case} (see `count cases {lib_id}`)"
    );
    let mut f: Box<dyn FnMut() -> bool> = if case == PARSE_CLAIMS {
        let token = token("es256");
        let mut parse = tokengate_parse_only();
        Box::new(move || parse(black_box(&token)).is_ok())
    } else if let Some(alg) = case.strip_prefix("signature/") {
        let verifier = lib.tokengate.expect("a tokengate configuration");
        let mut signature = tokengate_signature_only(verifier(alg), alg);
        Box::new(move || signature().is_ok())
    } else {
        check(lib, case).unwrap_or_else(|e| panic!("{e}"));
        let token = token(case);
        let mut verify = (lib.verifier)(case);
        Box::new(move || verify(black_box(&token)).is_ok())
    };
    // Warm-up outside the counted loop (lazily built tables, first-use allocations).
    assert!(f(), "{lib_id} {case}: rejected");
    if let Some(seconds) = seconds {
        let n = timed_loop(&mut *f, seconds);
        println!("{lib_id} {case}: {n} verified in {seconds} s");
        return;
    }
    let ok = measured_loop(&mut *f, n);
    assert_eq!(ok, n, "{lib_id} {case}: rejected in the loop");
    println!("{lib_id} {case}: {ok}/{n} verified");
}
