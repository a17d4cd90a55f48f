//! Runs one verification many times, for instruction counts under
//! `valgrind --tool=callgrind` (load-independent, unlike wall-clock timings).
//! Usage: count TOKEN_NAME [ITERATIONS]

use tokengate_bench::{NOW, VERIFIER, buffers, token};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "es256".to_owned());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let token = token(&name);
    let mut buf = buffers();
    let mut ok = 0;
    for _ in 0..n {
        ok += u32::from(VERIFIER.verify(std::hint::black_box(&token), NOW, &mut buf).is_ok());
    }
    println!("{name}: {ok}/{n} verified");
}
