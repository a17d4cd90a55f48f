//! tokengate verify throughput on the host, per algorithm.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tokengate_bench::{NOW, VERIFIER, buffers, token};

fn verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokengate");
    for name in ["hs256", "es256", "rs256-2048", "rs256-4096"] {
        let token = token(name);
        let mut buf = buffers();
        assert!(VERIFIER.verify(&token, NOW, &mut buf).is_ok());
        group.bench_function(name, |b| {
            b.iter(|| VERIFIER.verify(black_box(&token), NOW, &mut buf).is_ok())
        });
    }
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
