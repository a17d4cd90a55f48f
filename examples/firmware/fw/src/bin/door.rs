//! The door firmware: runs the fixed command script through the gate and reports on the host's
//! stdout (compared with `expected/<target>.txt`) and, with the `defmt` feature, in defmt frames.
#![no_std]
#![no_main]

use core::fmt::Write;

use door_firmware::board::{self, Relay};
use door_firmware::{Console, LoggedDelay, Singleton, measure};
use door_gate::provisioned::{self, BUILD_TIME, CAPACITY, HOLD_MS, KEYS, POLICY, TICKS_PER_SECOND};
use door_gate::{Gate, script};
use tokengate::{AnchoredClock, Buffers};

#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

/// The verification buffers: 5.5 KiB, which the micro:bit cannot spare on its stack.
static BUFFERS: Singleton<Buffers<CAPACITY>> = Singleton::new(Buffers::new());

#[entry]
fn main() -> ! {
    let mut console = Console::open();
    let _ = writeln!(
        console,
        "tokengate door gate {} on {}",
        board::TARGET,
        board::BOARD
    );
    let _ = writeln!(
        console,
        "device {}, issuer {}, built {}, {} keys, buffers {} B",
        provisioned::DEVICE,
        provisioned::ISSUER,
        BUILD_TIME,
        KEYS.len(),
        core::mem::size_of::<Buffers<CAPACITY>>(),
    );
    #[cfg(feature = "defmt")]
    defmt::info!("door gate up: {=str}, {} keys", board::TARGET, KEYS.len());

    let Some(buffers) = BUFFERS.take() else {
        door_firmware::exit(2)
    };
    // No RTC: the clock starts at the build time and runs on the tick counter.
    let Ok(clock) = AnchoredClock::new(BUILD_TIME, 0, TICKS_PER_SECOND) else {
        door_firmware::exit(2)
    };
    let mut gate = Gate::new(KEYS, POLICY, Relay::take(), LoggedDelay, HOLD_MS, clock);
    let (result, stack) = measure::peak_stack(|| script::run(&mut gate, buffers, &mut console));
    let code = match result {
        Ok(tally) => {
            #[cfg(feature = "defmt")]
            defmt::info!(
                "script done: {=u32} granted, {=u32} denied",
                tally.granted,
                tally.denied
            );
            let _ = tally;
            0
        }
        Err(e) => {
            let _ = writeln!(console, "script stopped: {e:?}");
            1
        }
    };
    // The exact peak varies with the build; the expected output only says it fits with room.
    #[cfg(feature = "defmt")]
    defmt::info!(
        "stack: peak {=usize} B of {=usize} B free",
        stack.bytes,
        stack.free
    );
    let code = if stack.overflowed || stack.headroom() < STACK_MARGIN {
        let _ = writeln!(
            console,
            "stack: peak {} B of {} B free: too close",
            stack.bytes, stack.free
        );
        1
    } else {
        let _ = writeln!(console, "stack: peak leaves at least {STACK_MARGIN} B free");
        code
    };
    door_firmware::exit(code)
}

/// Free stack the script must leave untouched at its peak.
const STACK_MARGIN: usize = 1024;
