//! defmt's global logger: rzcobs frames (the encoding this binary picks) written through
//! semihosting to the host file `defmt.bin`, which `defmt-print -e <elf>` decodes.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

use semihosting::fs::File;
use semihosting::io::Write;

/// The host file the frames go to, relative to QEMU's working directory.
const PATH: &core::ffi::CStr = c"defmt.bin";

/// Where encoded bytes go: a small buffer in front of the host file, opened on first use.
struct Sink {
    file: Option<File>,
    failed: bool,
    buf: [u8; 128],
    len: usize,
}

impl Sink {
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    fn flush(&mut self) {
        if self.file.is_none() && !self.failed {
            self.file = File::create(PATH).ok();
            self.failed = self.file.is_none();
        }
        if let Some(file) = &mut self.file {
            // Logging is best effort: a failed write loses the frame, never the program.
            let _ = file.write_all(&self.buf[..self.len]);
        }
        self.len = 0;
    }
}

struct State {
    encoder: defmt::Encoder,
    sink: Sink,
}

struct Shared(UnsafeCell<State>);

// SAFETY: the state is used only between `acquire` and `release`, which `TAKEN` makes exclusive.
unsafe impl Sync for Shared {}

static STATE: Shared = Shared(UnsafeCell::new(State {
    encoder: defmt::Encoder::new(),
    sink: Sink {
        file: None,
        failed: false,
        buf: [0; 128],
        len: 0,
    },
}));
static TAKEN: AtomicBool = AtomicBool::new(false);

/// # Safety
/// Only while the logger is acquired, and one reference at a time.
unsafe fn state() -> &'static mut State {
    // SAFETY: the caller holds the logger (see `Shared`).
    unsafe { &mut *STATE.0.get() }
}

#[defmt::global_logger]
struct Logger;

// SAFETY: `acquire` makes the logger exclusive: one core and no interrupts, so a second
// acquire before `release` can only come from logging inside the logger, and it panics.
unsafe impl defmt::Logger for Logger {
    fn acquire() {
        if TAKEN.load(Ordering::Acquire) {
            panic!("defmt logger acquired twice");
        }
        TAKEN.store(true, Ordering::Release);
        // SAFETY: just acquired.
        let State { encoder, sink } = unsafe { state() };
        encoder.start_frame(|bytes| sink.push(bytes));
    }

    unsafe fn flush() {
        // SAFETY: called while acquired.
        unsafe { state() }.sink.flush();
    }

    unsafe fn release() {
        // SAFETY: called while acquired.
        let State { encoder, sink } = unsafe { state() };
        encoder.end_frame(|bytes| sink.push(bytes));
        sink.flush();
        TAKEN.store(false, Ordering::Release);
    }

    unsafe fn write(bytes: &[u8]) {
        // SAFETY: called while acquired.
        let State { encoder, sink } = unsafe { state() };
        encoder.write(bytes, |out| sink.push(out));
    }
}
