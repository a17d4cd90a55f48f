//! What differs between the boards: the name, the relay pin and the trusted clock.

use embedded_hal::digital::{ErrorType, OutputPin};

/// The board, for the banner.
#[cfg(board = "mps2-an386")]
pub const BOARD: &str = "QEMU mps2-an386 (Cortex-M4F)";
/// The board, for the banner.
#[cfg(board = "microbit")]
pub const BOARD: &str = "QEMU microbit (nRF51, Cortex-M0, 16 KiB RAM)";
/// The board, for the banner.
#[cfg(board = "virt")]
pub const BOARD: &str = "QEMU virt (RV32)";

/// The target triple, for the banner.
pub const TARGET: &str = env!("TARGET");

/// A relay driven through the board's GPIO register, read back after each write.
pub struct Relay {
    _private: (),
}

/// The GPIO register did not read back what was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelayFault;

impl embedded_hal::digital::Error for RelayFault {
    fn kind(&self) -> embedded_hal::digital::ErrorKind {
        embedded_hal::digital::ErrorKind::Other
    }
}

impl ErrorType for Relay {
    type Error = RelayFault;
}

impl Relay {
    /// The relay, configured as an output and released (low). Call once.
    pub fn take() -> Self {
        gpio::init();
        gpio::write(false);
        Relay { _private: () }
    }

    fn drive(&mut self, on: bool) -> Result<(), RelayFault> {
        gpio::write(on);
        if gpio::read() != on {
            return Err(RelayFault);
        }
        semihosting::println!("   relay {}", if on { "on" } else { "off" });
        Ok(())
    }
}

impl OutputPin for Relay {
    fn set_low(&mut self) -> Result<(), RelayFault> {
        self.drive(false)
    }

    fn set_high(&mut self) -> Result<(), RelayFault> {
        self.drive(true)
    }
}

/// MPS2 FPGAIO: LED register, bit 0 is LED0.
#[cfg(board = "mps2-an386")]
mod gpio {
    const LED: *mut u32 = 0x4002_8000 as *mut u32;

    pub(super) fn init() {}

    pub(super) fn write(on: bool) {
        // SAFETY: the FPGAIO LED register of the MPS2 board, a plain read/write word.
        unsafe {
            let v = LED.read_volatile();
            LED.write_volatile(if on { v | 1 } else { v & !1 });
        }
    }

    pub(super) fn read() -> bool {
        // SAFETY: as above.
        unsafe { LED.read_volatile() & 1 != 0 }
    }
}

/// nRF51 GPIO port 0, pin 2.
#[cfg(board = "microbit")]
mod gpio {
    const PIN: u32 = 1 << 2;
    const OUT: *mut u32 = 0x5000_0504 as *mut u32;
    const OUTSET: *mut u32 = 0x5000_0508 as *mut u32;
    const OUTCLR: *mut u32 = 0x5000_050C as *mut u32;
    const DIRSET: *mut u32 = 0x5000_0518 as *mut u32;

    pub(super) fn init() {
        // SAFETY: nRF51 GPIO registers; DIRSET makes the pin an output.
        unsafe { DIRSET.write_volatile(PIN) }
    }

    pub(super) fn write(on: bool) {
        // SAFETY: OUTSET/OUTCLR change only the bits written as 1.
        unsafe { if on { OUTSET } else { OUTCLR }.write_volatile(PIN) }
    }

    pub(super) fn read() -> bool {
        // SAFETY: OUT reads the output latch.
        unsafe { OUT.read_volatile() & PIN != 0 }
    }
}

/// QEMU's `virt` machine has no GPIO: the "register" is a word of RAM.
#[cfg(board = "virt")]
mod gpio {
    use core::sync::atomic::{AtomicBool, Ordering};

    static OUT: AtomicBool = AtomicBool::new(false);

    pub(super) fn init() {}

    pub(super) fn write(on: bool) {
        OUT.store(on, Ordering::SeqCst);
    }

    pub(super) fn read() -> bool {
        OUT.load(Ordering::SeqCst)
    }
}
