//! Board support for the door firmware on three emulated boards: the console, the relay pin,
//! the trusted clock, the defmt transport and the measuring tools of `scripts/footprint`.
//!
//! | target                        | QEMU machine   | relay pin                    | counter          |
//! |-------------------------------|----------------|------------------------------|------------------|
//! | `thumbv7em-none-eabihf`       | `mps2-an386`   | FPGAIO LED0 (0x4002_8000)    | SysTick, 25 MHz  |
//! | `thumbv6m-none-eabi`          | `microbit`     | nRF51 GPIO P0.02             | TIMER0, 16 MHz   |
//! | `riscv32imc-unknown-none-elf` | `virt`         | a RAM word (virt has no GPIO) | `minstret`       |
//!
//! Everything talks to the host through semihosting: the console is the host's stdout, defmt
//! frames go to the host file `defmt.bin`, and the exit code is QEMU's.
#![no_std]

pub mod board;
#[cfg(feature = "defmt")]
mod defmt_log;
pub mod measure;
#[cfg(any(
    feature = "es384",
    feature = "ps256",
    feature = "hs512",
    feature = "eddsa"
))]
pub mod more_algs;

use core::fmt;

use embedded_hal::delay::DelayNs;

/// The host's stdout, one semihosting handle for the whole run.
pub struct Console(semihosting::io::Stdout);

impl Console {
    /// Opens the console, or exits with status 3 when the host gives none (nothing could be
    /// reported otherwise).
    pub fn open() -> Self {
        match semihosting::io::stdout() {
            Ok(out) => Console(out),
            Err(_) => semihosting::process::exit(3),
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        semihosting::io::Write::write_all(&mut self.0, s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// Ends the run: QEMU exits with `code` (0 or 1 on 32-bit Arm, whose semihosting has no
/// extended exit).
pub fn exit(code: i32) -> ! {
    semihosting::process::exit(code)
}

/// Without `panic-message`: exit with status 101, formatting nothing.
#[cfg(not(feature = "panic-message"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    semihosting::process::exit(101)
}

/// The relay's hold time on an emulated board: logged, not waited for (QEMU's clock would
/// only make the run slower). A real board waits on a hardware timer.
pub struct LoggedDelay;

impl DelayNs for LoggedDelay {
    fn delay_ns(&mut self, ns: u32) {
        semihosting::println!("   hold {} us", ns / 1000);
    }

    fn delay_ms(&mut self, ms: u32) {
        semihosting::println!("   hold {ms} ms");
    }
}

/// A `static` handed out once as `&'static mut`: the buffers of a verification live here rather
/// than on a small stack.
///
/// Only the load and store of an `AtomicBool` are used, which every target has (thumbv6m and
/// riscv32imc have no compare-and-swap); it is sound because this firmware runs on one core and
/// takes no interrupts.
pub struct Singleton<T> {
    value: core::cell::UnsafeCell<T>,
    taken: core::sync::atomic::AtomicBool,
}

// SAFETY: the value is reachable only through the one `&mut` that `take` hands out.
unsafe impl<T> Sync for Singleton<T> {}

impl<T> Singleton<T> {
    /// A singleton holding `value`.
    pub const fn new(value: T) -> Self {
        Self {
            value: core::cell::UnsafeCell::new(value),
            taken: core::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The value, the first time; `None` after.
    pub fn take(&'static self) -> Option<&'static mut T> {
        use core::sync::atomic::Ordering;
        if self.taken.load(Ordering::Acquire) {
            return None;
        }
        self.taken.store(true, Ordering::Release);
        // SAFETY: `taken` was false, so no other reference to the value exists, and none will
        // (single core, no interrupts: nothing runs between the load and the store).
        Some(unsafe { &mut *self.value.get() })
    }
}
