//! Instructions and peak stack of what an unauthenticated sender can make the verifier do before
//! any signature arithmetic (issue 11): every shape of `tokengate-shapes` at 1, 4 and 16 KiB,
//! beside a valid-shaped token of the same length (`reference`). Each token names a `kid` the
//! `pre-signature` verifier lacks, so each verification stops right after the header with
//! `UnknownKid` (or `DuplicateMember`); the `with-signature` verifier has an HS256 key of that
//! `kid`, so the signature layer runs too and answers `BadSignature`. For `scripts/footprint` on Cortex-M4 (QEMU `-icount shift=0`); prints one
//! `adversarial:` line per token.
#![no_std]
#![no_main]

use core::fmt::Write;

use door_firmware::measure::{self, Stack};
use door_firmware::{Console, Singleton};
use tokengate::{Buffers, Error, Expected, Hs256Key, Key, Policy, Verifier};
use tokengate_shapes::{LENGTHS, Shape};

#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const POLICY: Policy<'static> = Policy::new(
    Expected::Exactly("https://issuer.example"),
    Expected::Exactly("door-17"),
);
/// Without the shapes' `kid`: stops right before the signature.
static BEFORE: [Key<'static>; 1] = [match Hs256Key::new(SECRET) {
    Ok(secret) => Key::hs256(secret).with_kid("door-secret"),
    Err(_) => panic!(),
}];
/// With it: the signature layer runs too (SHA-256 of the signing input, HMAC).
static THROUGH: [Key<'static>; 1] = [match Hs256Key::new(SECRET) {
    Ok(secret) => Key::hs256(secret).with_kid(tokengate_shapes::KID),
    Err(_) => panic!(),
}];
static VERIFIERS: [(&str, Verifier<'static, 'static>); 2] = [
    ("pre-signature", Verifier::new(&BEFORE, POLICY)),
    ("with-signature", Verifier::new(&THROUGH, POLICY)),
];

/// Header and payload of a 16 KiB token decode to at most 12 KiB.
static BUFFERS: Singleton<Buffers<12288>> = Singleton::new(Buffers::new());
static JSON: Singleton<[u8; 16384]> = Singleton::new([0; 16384]);
static TOKEN: Singleton<[u8; 16384]> = Singleton::new([0; 16384]);

#[entry]
fn main() -> ! {
    let mut out = Console::open();
    let (Some(buffers), Some(json), Some(token)) = (BUFFERS.take(), JSON.take(), TOKEN.take())
    else {
        door_firmware::exit(2)
    };
    let ((), empty_stack) = measure::peak_stack(|| ());
    let ((), empty_count) = measure::instructions(|| ());
    let empty_count = empty_count.unwrap_or(0);
    let mut failed = false;
    for (stage, verifier) in &VERIFIERS {
        for len in LENGTHS {
            for shape in Shape::ALL {
                let Some(token) =
                    tokengate_shapes::token(shape, len, &mut json[..], &mut token[..])
                else {
                    door_firmware::exit(2)
                };
                let (verdict, stack) = measure::peak_stack(|| {
                    verifier.verify(token, 1_700_000_000, &mut *buffers).err()
                });
                let (_, count) = measure::instructions(|| {
                    verifier.verify(token, 1_700_000_000, &mut *buffers).err()
                });
                let want = match (shape, *stage) {
                    (Shape::DuplicateAtEnd, _) => Error::DuplicateMember {
                        part: tokengate::Part::Header,
                    },
                    (_, "pre-signature") => Error::UnknownKid,
                    _ => Error::BadSignature,
                };
                failed |= verdict != Some(want);
                let _ = writeln!(
                    out,
                    "adversarial: {} {} {} as expected={} stack {} instructions {}",
                    stage,
                    len,
                    shape.name(),
                    verdict == Some(want),
                    Net(stack, empty_stack),
                    match count {
                        Ok(n) => n.saturating_sub(empty_count),
                        Err(_) => u64::MAX,
                    },
                );
            }
        }
    }
    door_firmware::exit(if failed { 1 } else { 0 })
}

/// Stack bytes net of the measurement's own call.
struct Net(Stack, Stack);

impl core::fmt::Display for Net {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let net = self.0.bytes.saturating_sub(self.1.bytes);
        if self.0.overflowed {
            write!(f, ">={net}")
        } else {
            write!(f, "{net}")
        }
    }
}
