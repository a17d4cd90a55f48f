//! Verify throughput on the host: tokengate and the peer libraries of this build variant (see
//! `Cargo.toml`), the same sample tokens, keys and checks (signature + `iss` + `aud` + `exp`).
//!
//! Times are the benchmark thread's CPU time (see `tokengate_bench::cpu_time`), so that a shared
//! machine's load inflates them less; `TOKENGATE_BENCH_CLOCK=wall` measures wall-clock time.
//!
//! Criterion ids are `ALG/LIBRARY` (`es256/jwt-compact`, `ps256-2048/jsonwebtoken-rust_crypto`), plus `parse-claims/tokengate` (all of
//! a verify but the signature) and `signature/ALG` (tokengate's signature layer alone).
//! `scripts/bench-report` runs every variant and writes docs/benchmarks.md from the results.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tokengate_bench::cpu_time::ThreadCpuTime;
use tokengate_bench::{
    ALL_ALGS, PARSE_CLAIMS, check, libraries, token, tokengate_parse_only, tokengate_signature_only,
};

type C = Criterion<ThreadCpuTime>;

fn verify(c: &mut C) {
    let libs = libraries();
    for alg in ALL_ALGS {
        let token = token(alg);
        let mut group = c.benchmark_group(alg);
        for lib in libs.iter().filter(|lib| lib.algs.contains(&alg)) {
            // Every library must accept the token and reject wrong iss, aud, expiry, missing exp
            // and a bad signature before it is timed.
            check(lib, alg).unwrap_or_else(|e| panic!("{e}"));
            let mut verify = (lib.verifier)(alg);
            group.bench_function(lib.id, |b| b.iter(|| verify(black_box(&token)).is_ok()));
        }
        group.finish();
    }
}

/// tokengate's layers, for each tokengate configuration of the build: parsing and claims alone
/// (`parse-claims/ID`) and the signature layer alone (`signature/ALG/ID`).
fn tokengate_layers(c: &mut C) {
    for lib in libraries() {
        let Some(verifier) = lib.tokengate else {
            continue;
        };
        let cases = lib.cases();
        if cases.iter().any(|c| c == PARSE_CLAIMS) {
            let token = token("es256");
            let mut parse = tokengate_parse_only();
            parse(&token).unwrap_or_else(|e| panic!("parse only: {e}"));
            c.benchmark_group(PARSE_CLAIMS)
                .bench_function(lib.id, |b| b.iter(|| parse(black_box(&token)).is_ok()));
        }
        let mut group = c.benchmark_group("signature");
        for alg in lib.algs {
            let mut signature = tokengate_signature_only(verifier(alg), alg);
            signature().unwrap_or_else(|e| panic!("signature only {alg}: {e}"));
            group.bench_function(format!("{alg}/{}", lib.id), |b| {
                b.iter(|| signature().is_ok())
            });
        }
        group.finish();
    }
}

fn config() -> C {
    let clock = ThreadCpuTime::from_env();
    eprintln!("measuring {} time", clock.name());
    Criterion::default().with_measurement(clock)
}

criterion_group! {
    name = benches;
    config = config();
    targets = verify, tokengate_layers
}
criterion_main!(benches);
