//! One verification and nothing else, for `scripts/footprint`: built with and without the
//! `stub-verify` feature, the difference in size is the verifier's share of the flash.
//!
//! The stub keeps what the application owns either way (the key material, the buffers, the
//! token, the clock) and drops only the verifier and what it pulls in.
//!
//! With none of `es256`, `rs256`, `hs256`, it verifies the one algorithm of `es384`, `ps256`,
//! `hs512` or `eddsa` that is on, with the key and token of `door_firmware::more_algs`.
#![no_std]
#![no_main]

use core::hint::black_box;

use door_firmware::Singleton;
#[allow(unused_imports)] // `provisioned` is unused when only algorithms of `more_algs` are on.
use door_gate::provisioned::{self, CLOCK};
use tokengate::Buffers;

#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

static BUFFERS: Singleton<Buffers<1536>> = Singleton::new(Buffers::new());

#[cfg(not(any(feature = "es256", feature = "rs256", feature = "hs256")))]
use door_firmware::more_algs as more;

/// The door's keys, or the one key of the other algorithm this probe measures.
#[cfg(any(feature = "es256", feature = "rs256", feature = "hs256"))]
const KEYS: &[tokengate::Key<'static>] = provisioned::KEYS;
#[cfg(not(any(feature = "es256", feature = "rs256", feature = "hs256")))]
const KEYS: &[tokengate::Key<'static>] = {
    #[cfg(feature = "es384")]
    {
        &more::ES384_KEYS
    }
    #[cfg(all(feature = "ps256", not(feature = "es384")))]
    {
        &more::PS256_KEYS
    }
    #[cfg(all(feature = "hs512", not(feature = "es384"), not(feature = "ps256")))]
    {
        &more::HS512_KEYS
    }
    #[cfg(all(
        feature = "eddsa",
        not(feature = "es384"),
        not(feature = "ps256"),
        not(feature = "hs512")
    ))]
    {
        &more::ED_KEYS
    }
};

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
    #[cfg(all(
        feature = "es384",
        not(any(feature = "es256", feature = "rs256", feature = "hs256"))
    ))]
    {
        more::VALID_ES384
    }
    #[cfg(all(
        feature = "ps256",
        not(any(
            feature = "es256",
            feature = "rs256",
            feature = "hs256",
            feature = "es384"
        ))
    ))]
    {
        more::VALID_PS256
    }
    #[cfg(all(
        feature = "hs512",
        not(any(
            feature = "es256",
            feature = "rs256",
            feature = "hs256",
            feature = "es384",
            feature = "ps256"
        ))
    ))]
    {
        more::VALID_HS512
    }
    #[cfg(all(
        feature = "eddsa",
        not(any(
            feature = "es256",
            feature = "rs256",
            feature = "hs256",
            feature = "es384",
            feature = "ps256",
            feature = "hs512"
        ))
    ))]
    {
        more::VALID_EDDSA
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
        let verifier =
            tokengate::Verifier::new(KEYS, provisioned::POLICY.with_scopes(&["door:open"]));
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
        #[cfg(not(any(feature = "es256", feature = "rs256", feature = "hs256")))]
        black_box(KEYS);
        black_box((token, now, buffers)).0.len() > 1
    };
    door_firmware::exit(if ok { 0 } else { 1 })
}
