//! The measuring tools of `scripts/footprint`: peak stack by painting, instructions by a timer
//! that QEMU's `-icount shift=0` ties to executed instructions.

use core::hint::black_box;

/// What painted stack words hold until something writes them.
const PAINT: u32 = 0xC0FF_EE11;

/// How far below the caller's stack pointer the paint reaches at most.
const PAINT_MAX: usize = 64 * 1024;

unsafe extern "C" {
    /// Start of the (empty) heap, which ends the statics: the stack can grow down to here.
    /// Both `cortex-m-rt` and `riscv-rt` define it.
    static __sheap: u32;
}

#[inline(always)]
fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer, nothing else.
    unsafe {
        #[cfg(target_arch = "arm")]
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags));
        #[cfg(target_arch = "riscv32")]
        core::arch::asm!("mv {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    sp
}

/// Peak stack of a call, measured by painting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stack {
    /// Bytes below the caller's stack pointer that `f` wrote, including the frame of the call
    /// itself (see [`peak_stack`]).
    pub bytes: usize,
    /// The paint ran out: the call used at least `bytes`, maybe more.
    pub overflowed: bool,
    /// Bytes that were painted: the free stack below the caller's (at most 64 KiB).
    pub free: usize,
}

impl Stack {
    /// Painted bytes that `f` left untouched.
    pub fn headroom(&self) -> usize {
        self.free.saturating_sub(self.bytes)
    }
}

/// Runs `f` and returns its result with the deepest stack it reached: the free stack below the
/// current stack pointer (down to the end of the statics, at most 64 KiB) is painted with a
/// pattern, `f` runs, and the lowest word that no longer holds the pattern marks the peak.
///
/// The figure includes the call of the closure itself (a few words); subtract the figure of an
/// empty closure to remove it. A word written with the pattern's exact value would be missed,
/// which can only understate by the words below it that were not written either.
///
/// No interrupt may run meanwhile: it would push a frame onto the painted area (this firmware
/// enables none).
#[inline(never)]
pub fn peak_stack<R>(f: impl FnOnce() -> R) -> (R, Stack) {
    let sp = stack_pointer() & !3;
    let heap = (&raw const __sheap) as usize;
    let floor = heap.max(sp.saturating_sub(PAINT_MAX));
    // Leave the words just below `sp` alone: nothing of ours is there, but be generous.
    let top = sp - 16;
    let mut p = floor;
    while p < top {
        // SAFETY: the words between the end of the statics and the stack pointer belong to no
        // live object: this is the free part of the stack, and no interrupt can use it.
        unsafe { (p as *mut u32).write_volatile(PAINT) };
        p += 4;
    }
    let result = call(f);
    let mut low = floor;
    // SAFETY: as above; the words are read back after `f` returned.
    while low < top && unsafe { (low as *const u32).read_volatile() } == PAINT {
        low += 4;
    }
    let stack = Stack {
        bytes: sp - low,
        overflowed: low == floor && floor < top,
        free: sp - floor,
    };
    (black_box(result), stack)
}

/// Calls `f` in a frame of its own, below the stack pointer that [`peak_stack`] read: if `f`
/// were inlined into `peak_stack`, its locals would sit in `peak_stack`'s frame, above the paint.
#[inline(never)]
fn call<R>(f: impl FnOnce() -> R) -> R {
    black_box(f)()
}

/// Counts executed instructions between [`Counter::start`] and [`Counter::stop`].
///
/// - Arm: QEMU with `-icount shift=0` advances its virtual clock by 1 ns per instruction, and
///   the timers count that clock: mps2-an386's SysTick at 25 MHz (40 instructions per tick,
///   24 bits: at most 671 million instructions, checked with COUNTFLAG), the micro:bit's nRF51
///   TIMER0 at 16 MHz (62.5 instructions per tick, 32 bits).
/// - RISC-V: `minstret`, which QEMU's `-icount` makes an exact count.
///
/// The figures are instructions, not cycles: QEMU models no pipeline, wait states or caches.
pub struct Counter {
    start: u64,
}

/// The count overflowed the timer (mps2 SysTick only).
#[derive(Clone, Copy, Debug)]
pub struct Overflow;

#[cfg(board = "mps2-an386")]
mod hw {
    const SYST_CSR: *mut u32 = 0xE000_E010 as *mut u32;
    const SYST_RVR: *mut u32 = 0xE000_E014 as *mut u32;
    const SYST_CVR: *mut u32 = 0xE000_E018 as *mut u32;
    /// Instructions per tick, times 2 (so that the micro:bit's 62.5 is an integer too).
    pub(super) const HALF_INSTRUCTIONS_PER_TICK: u64 = 80;

    pub(super) fn start() -> u64 {
        // SAFETY: SysTick registers: reload to the 24-bit maximum, clear, count on the
        // processor clock, no interrupt. Reading CSR clears COUNTFLAG.
        unsafe {
            SYST_CSR.write_volatile(0);
            SYST_RVR.write_volatile(0x00FF_FFFF);
            SYST_CVR.write_volatile(0);
            SYST_CSR.write_volatile(0b101);
            // The first tick loads the reload value; start counting from there.
            while SYST_CVR.read_volatile() == 0 {}
            let _ = SYST_CSR.read_volatile();
            u64::from(SYST_CVR.read_volatile())
        }
    }

    /// Ticks since `start`, or `None` if the counter wrapped.
    pub(super) fn elapsed(start: u64) -> Option<u64> {
        // SAFETY: SysTick registers, read only.
        let (now, csr) = unsafe { (SYST_CVR.read_volatile(), SYST_CSR.read_volatile()) };
        if csr & (1 << 16) != 0 {
            return None;
        }
        // SysTick counts down.
        Some(start - u64::from(now))
    }
}

#[cfg(board = "microbit")]
mod hw {
    const BASE: usize = 0x4000_8000; // TIMER0
    const START: *mut u32 = BASE as *mut u32;
    const STOP: *mut u32 = (BASE + 0x004) as *mut u32;
    const CLEAR: *mut u32 = (BASE + 0x00C) as *mut u32;
    const CAPTURE0: *mut u32 = (BASE + 0x040) as *mut u32;
    const MODE: *mut u32 = (BASE + 0x504) as *mut u32;
    const BITMODE: *mut u32 = (BASE + 0x508) as *mut u32;
    const PRESCALER: *mut u32 = (BASE + 0x510) as *mut u32;
    const CC0: *mut u32 = (BASE + 0x540) as *mut u32;
    pub(super) const HALF_INSTRUCTIONS_PER_TICK: u64 = 125;

    pub(super) fn start() -> u64 {
        // SAFETY: nRF51 TIMER0 registers: timer mode, 32 bits, 16 MHz, cleared and started.
        unsafe {
            STOP.write_volatile(1);
            MODE.write_volatile(0);
            BITMODE.write_volatile(3);
            PRESCALER.write_volatile(0);
            CLEAR.write_volatile(1);
            START.write_volatile(1);
        }
        capture()
    }

    fn capture() -> u64 {
        // SAFETY: CAPTURE[0] copies the counter into CC[0].
        unsafe {
            CAPTURE0.write_volatile(1);
            u64::from(CC0.read_volatile())
        }
    }

    pub(super) fn elapsed(start: u64) -> Option<u64> {
        capture().checked_sub(start)
    }
}

#[cfg(board = "virt")]
mod hw {
    pub(super) fn start() -> u64 {
        riscv::register::minstret::read64()
    }

    pub(super) fn elapsed(start: u64) -> Option<u64> {
        riscv::register::minstret::read64().checked_sub(start)
    }
}

impl Counter {
    /// Starts counting.
    #[inline(always)]
    pub fn start() -> Self {
        Counter { start: hw::start() }
    }

    /// Instructions since [`Counter::start`] (to the timer's resolution on Arm).
    ///
    /// # Errors
    /// [`Overflow`] when the timer wrapped.
    #[inline(always)]
    pub fn stop(self) -> Result<u64, Overflow> {
        let elapsed = hw::elapsed(self.start).ok_or(Overflow)?;
        #[cfg(target_arch = "arm")]
        let elapsed = elapsed * hw::HALF_INSTRUCTIONS_PER_TICK / 2;
        Ok(elapsed)
    }

    /// The counter's resolution, in instructions (for the report).
    pub const RESOLUTION: &str = {
        #[cfg(board = "mps2-an386")]
        {
            "40 (SysTick at 25 MHz)"
        }
        #[cfg(board = "microbit")]
        {
            "62.5 (TIMER0 at 16 MHz)"
        }
        #[cfg(board = "virt")]
        {
            "1 (minstret)"
        }
    };
}

/// Instructions of `f`, bracketed by the counter.
///
/// # Errors
/// [`Overflow`] when the timer wrapped.
#[inline(never)]
pub fn instructions<R>(f: impl FnOnce() -> R) -> (R, Result<u64, Overflow>) {
    let counter = Counter::start();
    let result = black_box(f)();
    let count = counter.stop();
    (black_box(result), count)
}
