//! What an unauthenticated sender can make the verifier spend before any signature arithmetic
//! (issue 11): the adversarial shapes of `tokengate-shapes` at 1, 4 and 16 KiB, each beside a
//! valid-shaped token of the same length whose bulk is in the payload (`reference`).
//!
//! Two verifiers: `pre-signature` lacks the tokens' `kid`, so each verification ends with
//! `UnknownKid` (or `DuplicateMember` for `duplicate-at-end`) right after the header: the time is
//! the pre-signature work alone; `with-signature` has an HS256 key of that `kid`, so the
//! signature layer (SHA-256 of the whole signing input, HMAC) runs too and answers
//! `BadSignature`: what each token costs a device in all. Criterion ids are
//! `adversarial/STAGE/LEN/SHAPE`;
//! `cargo bench --bench adversarial` runs them, and `scripts/bench-report` reads them into
//! docs/benchmarks.md.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tokengate::{Buffers, Error, Expected, Hs256Key, Key, Part, Policy, Verifier};
use tokengate_bench::cpu_time::ThreadCpuTime;
use tokengate_shapes::{LENGTHS, Shape};

type C = Criterion<ThreadCpuTime>;

const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const POLICY: Policy<'static> = Policy::new(
    Expected::Exactly("https://issuer.example"),
    Expected::Exactly("door-17"),
);
/// A verifier without the shapes' `kid`: it stops right before the signature.
static BEFORE: [Key<'static>; 1] = [match Hs256Key::new(SECRET) {
    Ok(secret) => Key::hs256(secret).with_kid("door-secret"),
    Err(_) => panic!("32-byte secret"),
}];
/// A verifier with it: the signature layer runs too (SHA-256 of the signing input, HMAC).
static THROUGH: [Key<'static>; 1] = [match Hs256Key::new(SECRET) {
    Ok(secret) => Key::hs256(secret).with_kid(tokengate_shapes::KID),
    Err(_) => panic!("32-byte secret"),
}];
static VERIFIERS: [(&str, Verifier<'static, 'static>); 2] = [
    ("pre-signature", Verifier::new(&BEFORE, POLICY)),
    ("with-signature", Verifier::new(&THROUGH, POLICY)),
];

/// What a verifier must answer for a shape: anything else means the shape does not measure
/// what it claims to.
fn expected(shape: Shape, stage: &str) -> Error {
    match (shape, stage) {
        (Shape::DuplicateAtEnd, _) => Error::DuplicateMember { part: Part::Header },
        (_, "pre-signature") => Error::UnknownKid,
        _ => Error::BadSignature,
    }
}

fn adversarial(c: &mut C) {
    let mut buffers: Box<Buffers<12288>> = Box::new(Buffers::new());
    let mut json = vec![0u8; 16384];
    let mut out = vec![0u8; 16384];
    for (stage, verifier) in &VERIFIERS {
        for len in LENGTHS {
            let mut group = c.benchmark_group(format!("adversarial/{stage}/{len}"));
            for shape in Shape::ALL {
                let token = tokengate_shapes::token(shape, len, &mut json, &mut out)
                    .unwrap_or_else(|| panic!("{shape:?} at {len}"))
                    .to_owned();
                assert_eq!(token.len(), len);
                assert_eq!(
                    verifier.verify(&token, 1_700_000_000, &mut *buffers).err(),
                    Some(expected(shape, stage)),
                    "{shape:?} at {len}, {stage}"
                );
                group.bench_function(shape.name(), |b| {
                    b.iter(|| {
                        verifier
                            .verify(black_box(&token), 1_700_000_000, &mut *buffers)
                            .is_err()
                    })
                });
            }
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpuTime::from_env());
    targets = adversarial
}
criterion_main!(benches);
