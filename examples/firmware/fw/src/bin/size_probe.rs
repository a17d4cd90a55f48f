//! One verification and nothing else, for `scripts/footprint`: built with and without the
//! `stub-verify` feature, the difference in size is the verifier's share of the flash.
//!
//! The stub keeps what the application owns either way (the key material, the buffers, the
//! token, the clock) and drops only the verifier and what it pulls in.
#![no_std]
#![no_main]

use core::hint::black_box;

use door_firmware::Singleton;
use door_gate::provisioned::{self, CLOCK};
use tokengate::Buffers;

#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

static BUFFERS: Singleton<Buffers<1536>> = Singleton::new(Buffers::new());

/// A token of the first enabled algorithm.
const TOKEN: &str = {
    #[cfg(feature = "es256")]
    {
        door_gate::script::SCRIPT[0].token
    }
    #[cfg(all(feature = "rs256", not(feature = "es256")))]
    {
        door_gate::script::SCRIPT[1].token
    }
    #[cfg(all(feature = "hs256", not(feature = "es256"), not(feature = "rs256")))]
    {
        door_gate::script::SCRIPT[2].token
    }
};

#[entry]
fn main() -> ! {
    let Some(buffers) = BUFFERS.take() else {
        door_firmware::exit(2)
    };
    let token = black_box(TOKEN);
    let now = black_box(CLOCK);
    #[cfg(not(feature = "stub-verify"))]
    let ok = {
        let verifier = tokengate::Verifier::new(
            provisioned::KEYS,
            provisioned::POLICY.with_scopes(&["door:open"]),
        );
        verifier.verify(token, now, buffers).is_ok()
    };
    #[cfg(feature = "stub-verify")]
    let ok = {
        #[cfg(feature = "es256")]
        black_box(&provisioned::ES256);
        #[cfg(feature = "rs256")]
        black_box(&provisioned::RSA2048);
        #[cfg(feature = "hs256")]
        black_box(&provisioned::HS256_SECRET);
        black_box((token, now, buffers)).0.len() > 1
    };
    door_firmware::exit(if ok { 0 } else { 1 })
}
