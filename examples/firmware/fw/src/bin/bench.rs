//! Peak stack and instructions of each verification, for `scripts/footprint`. Run under QEMU
//! with `-icount shift=0`; prints one `bench:` line per measurement.
#![no_std]
#![no_main]

use core::fmt::Write;

use base64ct::{Base64UrlUnpadded, Encoding};
use door_firmware::measure::{self, Counter, Stack};
#[cfg(any(
    feature = "es384",
    feature = "ps256",
    feature = "hs512",
    feature = "eddsa"
))]
use door_firmware::more_algs::*;
use door_firmware::{Console, Singleton, board};
use door_gate::provisioned::{self as p, CLOCK};
use door_gate::script::{SCRIPT, VALID_RS256_4096};
use tokengate::{
    Buffers, Es256Key, Es256KeyTable, Expected, Hs256Key, Hs256Prepared, Key, Policy, Rsa2048,
    Rsa4096, Verifier,
};

#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

static ES256: Es256Key = match Es256Key::new(&p::ES256_SEC1) {
    Ok(k) => k,
    Err(_) => panic!(),
};
/// The same key with its precomputed 32-point table (2 KiB of flash), computed by the compiler.
static ES256_TABLE: Es256KeyTable = match Es256KeyTable::new(&p::ES256_SEC1) {
    Ok(k) => k,
    Err(_) => panic!(),
};
static RSA2048: Rsa2048 = match Rsa2048::new(&p::RSA2048_N, 65537) {
    Ok(k) => k,
    Err(_) => panic!(),
};
static RSA4096: Rsa4096 = match Rsa4096::new(&p::RSA4096_N, 65537) {
    Ok(k) => k,
    Err(_) => panic!(),
};
static KEYS: [Key<'static>; 4] = [
    Key::es256(&ES256).with_kid(p::ES256_KID),
    Key::rs256(&RSA2048).with_kid(p::RSA2048_KID),
    Key::rs256(&RSA4096).with_kid(p::RSA4096_KID),
    match Hs256Key::new(&p::HS256_SECRET) {
        Ok(k) => Key::hs256(k),
        Err(_) => panic!(),
    }
    .with_kid(p::HS256_KID),
];
#[cfg(feature = "eddsa")]
static ED_VERIFIER: Verifier<'static, 'static> = Verifier::new(&ED_KEYS, POLICY);
#[cfg(feature = "es384")]
static ES384_VERIFIER: Verifier<'static, 'static> = Verifier::new(&ES384_KEYS, POLICY);
#[cfg(feature = "ps256")]
static PS256_VERIFIER: Verifier<'static, 'static> = Verifier::new(&PS256_KEYS, POLICY);
#[cfg(feature = "hs512")]
static HS512_VERIFIER: Verifier<'static, 'static> = Verifier::new(&HS512_KEYS, POLICY);
static TABLE_KEYS: [Key<'static>; 1] = [Key::es256_table(&ES256_TABLE).with_kid(p::ES256_KID)];
const POLICY: Policy<'static> =
    Policy::new(Expected::Exactly(p::ISSUER), Expected::Exactly(p::DEVICE))
        .with_scopes(&["door:open"]);
static VERIFIER: Verifier<'static, 'static> = Verifier::new(&KEYS, POLICY);
static TABLE_VERIFIER: Verifier<'static, 'static> = Verifier::new(&TABLE_KEYS, POLICY);

/// Enough for every token here (the RS256-4096 one decodes to about 300 bytes of header and
/// payload); the script's 4352 would not leave the micro:bit a stack to measure.
static BUFFERS: Singleton<Buffers<1024>> = Singleton::new(Buffers::new());
static SIGNATURE: Singleton<[u8; 512]> = Singleton::new([0; 512]);

struct Case<'a> {
    name: &'static str,
    token: &'static str,
    key: &'a Key<'a>,
    verifier: &'a Verifier<'a, 'a>,
}

#[entry]
fn main() -> ! {
    let mut out = Console::open();
    let (Some(buffers), Some(signature)) = (BUFFERS.take(), SIGNATURE.take()) else {
        door_firmware::exit(2)
    };
    let _ = writeln!(out, "bench: target {} on {}", board::TARGET, board::BOARD);
    let _ = writeln!(
        out,
        "bench: counter resolution {} instructions",
        Counter::RESOLUTION
    );

    // What the measurement itself costs: an empty closure.
    let ((), empty_stack) = measure::peak_stack(|| ());
    let ((), empty_count) = measure::instructions(|| ());
    let empty_count = empty_count.unwrap_or(0);
    let _ = writeln!(
        out,
        "bench: overhead stack {} B, instructions {}",
        empty_stack.bytes, empty_count
    );

    // Calibration: a loop of known length, to check the counter's scale.
    let loop_count = measure::instructions(calibration_loop).1;
    let _ = writeln!(
        out,
        "bench: calibration 2000000-instruction loop counted {:?}",
        loop_count.map(|n| n.saturating_sub(empty_count))
    );

    // The HS256 secret prepared at start-up (the hash states after its HMAC padding blocks, in
    // RAM): each verification hashes two blocks fewer than with the secret's bytes.
    let Ok(hs256_prepared) = Hs256Prepared::new(&p::HS256_SECRET) else {
        door_firmware::exit(2)
    };
    let prepared_keys = [Key::hs256_prepared(&hs256_prepared).with_kid(p::HS256_KID)];
    let prepared_verifier = Verifier::new(&prepared_keys, POLICY);
    let cases = [
        Case {
            name: "ES256",
            token: SCRIPT[0].token,
            key: &KEYS[0],
            verifier: &VERIFIER,
        },
        Case {
            name: "ES256-table",
            token: SCRIPT[0].token,
            key: &TABLE_KEYS[0],
            verifier: &TABLE_VERIFIER,
        },
        Case {
            name: "RS256-2048",
            token: SCRIPT[1].token,
            key: &KEYS[1],
            verifier: &VERIFIER,
        },
        Case {
            name: "RS256-4096",
            token: VALID_RS256_4096,
            key: &KEYS[2],
            verifier: &VERIFIER,
        },
        Case {
            name: "HS256",
            token: SCRIPT[2].token,
            key: &KEYS[3],
            verifier: &VERIFIER,
        },
        Case {
            name: "HS256-prepared",
            token: SCRIPT[2].token,
            key: &prepared_keys[0],
            verifier: &prepared_verifier,
        },
    ];
    #[cfg(feature = "eddsa")]
    let eddsa = Some(Case {
        name: "EdDSA",
        token: VALID_EDDSA,
        key: &ED_KEYS[0],
        verifier: &ED_VERIFIER,
    });
    #[cfg(not(feature = "eddsa"))]
    let eddsa: Option<Case> = None;
    #[cfg(feature = "es384")]
    let es384 = Some(Case {
        name: "ES384",
        token: VALID_ES384,
        key: &ES384_KEYS[0],
        verifier: &ES384_VERIFIER,
    });
    #[cfg(not(feature = "es384"))]
    let es384: Option<Case> = None;
    #[cfg(feature = "ps256")]
    let ps256 = Some(Case {
        name: "PS256-2048",
        token: VALID_PS256,
        key: &PS256_KEYS[0],
        verifier: &PS256_VERIFIER,
    });
    #[cfg(not(feature = "ps256"))]
    let ps256: Option<Case> = None;
    #[cfg(feature = "hs512")]
    let hs512 = Some(Case {
        name: "HS512",
        token: VALID_HS512,
        key: &HS512_KEYS[0],
        verifier: &HS512_VERIFIER,
    });
    #[cfg(not(feature = "hs512"))]
    let hs512: Option<Case> = None;
    let mut failed = false;
    let extra = [es384, ps256, hs512, eddsa];
    for case in cases.iter().chain(extra.iter().flatten()) {
        let (ok, stack) = measure::peak_stack(|| {
            case.verifier
                .verify(case.token, CLOCK, &mut *buffers)
                .is_ok()
        });
        let (ok2, count) = measure::instructions(|| {
            case.verifier
                .verify(case.token, CLOCK, &mut *buffers)
                .is_ok()
        });
        // The signature layer alone, on the same signing input and signature.
        let Some((signing_input, sig_b64)) = case.token.rsplit_once('.') else {
            door_firmware::exit(2)
        };
        let Ok(sig) = Base64UrlUnpadded::decode(sig_b64, &mut signature[..]) else {
            door_firmware::exit(2)
        };
        let sig: &[u8] = sig;
        let (sig_ok, sig_stack) = measure::peak_stack(|| {
            case.key
                .verify_signature(signing_input.as_bytes(), sig)
                .is_ok()
        });
        let (sig_ok2, sig_count) = measure::instructions(|| {
            case.key
                .verify_signature(signing_input.as_bytes(), sig)
                .is_ok()
        });
        failed |= !(ok && ok2 && sig_ok && sig_ok2);
        let verify = count.map(|n| n.saturating_sub(empty_count));
        let signature_only = sig_count.map(|n| n.saturating_sub(empty_count));
        let _ = writeln!(
            out,
            "bench: {} verify ok={} stack {} instructions {}; signature alone ok={} stack {} instructions {}; parse+claims instructions {}",
            case.name,
            ok && ok2,
            Shown(stack, empty_stack),
            Count(verify),
            sig_ok && sig_ok2,
            Shown(sig_stack, empty_stack),
            Count(signature_only),
            match (verify, signature_only) {
                (Ok(a), Ok(b)) => Count(Ok(a.saturating_sub(b))),
                _ => Count(Err(measure::Overflow)),
            },
        );
    }
    door_firmware::exit(if failed { 1 } else { 0 })
}

/// Stack bytes net of the measurement's own call, `>=` if the paint ran out.
struct Shown(Stack, Stack);

impl core::fmt::Display for Shown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let net = self.0.bytes.saturating_sub(self.1.bytes);
        if self.0.overflowed {
            write!(f, ">={net}")
        } else {
            write!(f, "{net}")
        }
    }
}

struct Count(Result<u64, measure::Overflow>);

impl core::fmt::Display for Count {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Ok(n) => write!(f, "{n}"),
            Err(_) => f.write_str("overflow"),
        }
    }
}

/// 1,000,000 iterations of a two-instruction loop: 2,000,000 instructions plus a few.
#[inline(never)]
fn calibration_loop() {
    // SAFETY: a register-only countdown loop.
    unsafe {
        #[cfg(target_arch = "arm")]
        core::arch::asm!(
            "2:", "subs r0, #1", "bne 2b",
            inout("r0") 1_000_000u32 => _,
            options(nomem, nostack),
        );
        #[cfg(target_arch = "riscv32")]
        core::arch::asm!(
            "2:", "addi a0, a0, -1", "bnez a0, 2b",
            inout("a0") 1_000_000u32 => _,
            options(nomem, nostack),
        );
    }
}
