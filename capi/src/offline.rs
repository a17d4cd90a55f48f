//! The offline gate: a replay guard and an anchored clock as caller-allocated C structs.

use tg::{AnchoredClock, OfflineGate, ReplayGuard};

use crate::keys::tokengate_key;
use crate::policy::tokengate_policy;
use crate::status::{
    self, TOKENGATE_STATUS_CORRUPT_STATE, TOKENGATE_STATUS_NULL_ARGUMENT, TOKENGATE_STATUS_OK,
    tokengate_status,
};
use crate::verify::{self, tokengate_buffers, tokengate_claims};

/// Tokens a replay guard remembers at once (each until it expires).
pub const TOKENGATE_REPLAY_CAPACITY: usize = 32;

/// Bytes of a replay guard's saved state: 16 of header, 24 per entry, 8 of checksum.
pub const TOKENGATE_REPLAY_STATE_SIZE: usize = 792;

type Guard = ReplayGuard<TOKENGATE_REPLAY_CAPACITY>;

const _: () = assert!(Guard::SAVED_LEN == TOKENGATE_REPLAY_STATE_SIZE);

/// A replay guard: remembers up to `TOKENGATE_REPLAY_CAPACITY` accepted tokens until they
/// expire, so each is accepted once (by `iss` + `jti`, or a digest of the signed bytes for a
/// token without `jti` under `TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT`).
///
/// The struct is its own saved form: `len` bytes of checksummed state. To survive a reset,
/// write the whole struct to storage after each admission and read it back at boot; a copy that
/// is corrupt (or never initialized) is `TOKENGATE_STATUS_CORRUPT_STATE` on its next use, and
/// then `tokengate_replay_guard_init_after_state_loss` is the way back. Each use reads and
/// rewrites the state (two SHA-256 over at most 792 bytes) and holds the guard on the stack
/// (784 bytes). Initialize it with `tokengate_replay_guard_init`.
#[repr(C)]
pub struct tokengate_replay_guard {
    /// Bytes of `state` in use.
    pub len: u32,
    /// The guard's saved state.
    pub state: [u8; TOKENGATE_REPLAY_STATE_SIZE],
}

/// An anchored clock: a lower bound on the Unix time for a device without a real-time clock,
/// from a trusted time taken at a tick count and a monotonic tick counter the caller reads.
/// It never moves back; it moves forward with the ticks, by
/// `tokengate_clock_advance_to_trusted`, and (under `TOKENGATE_POLICY_IAT_AS_TIME`) to the
/// `iat` of a token `tokengate_gate_admit` accepted. Set it with `tokengate_clock_init`; the
/// fields may be saved and restored as they are.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tokengate_clock {
    /// The trusted time, Unix seconds.
    pub anchor: u64,
    /// The tick count at `anchor`.
    pub anchor_ticks: u64,
    /// Ticks per second (never 0).
    pub ticks_per_second: u64,
}

/// Writes `guard` into the C struct.
fn store(guard: &Guard, out: &mut tokengate_replay_guard) -> tokengate_status {
    match guard.save(&mut out.state) {
        Ok(len) => match u32::try_from(len) {
            Ok(len) => {
                out.len = len;
                TOKENGATE_STATUS_OK
            }
            Err(_) => TOKENGATE_STATUS_CORRUPT_STATE,
        },
        Err(e) => status::of(e),
    }
}

/// Reads the guard out of the C struct.
fn load(guard: &tokengate_replay_guard) -> Result<Guard, tokengate_status> {
    let len = usize::try_from(guard.len).map_err(|_| TOKENGATE_STATUS_CORRUPT_STATE)?;
    let bytes = guard
        .state
        .get(..len)
        .ok_or(TOKENGATE_STATUS_CORRUPT_STATE)?;
    Guard::load(bytes).map_err(status::of)
}

/// The C struct behind a pointer, for writing; `None` for NULL or misaligned.
///
/// # Safety
/// `ptr` is NULL or points to writable memory for a `T` that nothing else uses during the call
/// and whose every byte pattern is a valid `T`.
unsafe fn place<'a, T>(ptr: *mut T) -> Option<&'a mut T> {
    if ptr.is_null() || !ptr.is_aligned() {
        return None;
    }
    // The memory may be uninitialized (a guard before its init): clear it before making a
    // reference; a `T` of integers and byte arrays is valid when zeroed.
    // SAFETY: non-NULL, aligned and writable, by the contract.
    unsafe { ptr.write_bytes(0, 1) };
    // SAFETY: as above, and now initialized.
    Some(unsafe { &mut *ptr })
}

/// The C struct behind a pointer, in place; `None` for NULL or misaligned.
///
/// # Safety
/// `ptr` is NULL or points to an initialized `T` that nothing else uses during the call and
/// whose every byte pattern is a valid `T`.
unsafe fn existing<'a, T>(ptr: *mut T) -> Option<&'a mut T> {
    if ptr.is_null() || !ptr.is_aligned() {
        return None;
    }
    // SAFETY: non-NULL, aligned, initialized and unique, by the contract.
    Some(unsafe { &mut *ptr })
}

/// An empty replay guard. Returns `TOKENGATE_STATUS_OK` or `TOKENGATE_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `guard` is NULL or points to a writable `tokengate_replay_guard` (it may be
/// uninitialized).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_replay_guard_init(
    guard: *mut tokengate_replay_guard,
) -> tokengate_status {
    // SAFETY: forwarded from this function's contract; the struct is integers and bytes.
    match unsafe { place(guard) } {
        Some(out) => store(&Guard::new(), out),
        None => TOKENGATE_STATUS_NULL_ARGUMENT,
    }
}

/// An empty replay guard for a device that lost its replay state (a reset without a saved
/// guard, or a corrupt one) at or before `now`: it refuses every token issued before `now`, and
/// tokens without `iat`, since they might have been accepted before the loss
/// (`TOKENGATE_STATUS_REPLAYED`).
///
/// # Safety
/// As `tokengate_replay_guard_init`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_replay_guard_init_after_state_loss(
    guard: *mut tokengate_replay_guard,
    now: u64,
) -> tokengate_status {
    // SAFETY: forwarded from this function's contract; the struct is integers and bytes.
    match unsafe { place(guard) } {
        Some(out) => store(&Guard::after_state_loss(now), out),
        None => TOKENGATE_STATUS_NULL_ARGUMENT,
    }
}

/// As `tokengate_verify`, then admits the token to `guard`: a token is accepted once until it
/// expires. The guard changes only when the token is accepted. Refusals beyond
/// `tokengate_verify`'s: `TOKENGATE_STATUS_REPLAYED`, `TOKENGATE_STATUS_REPLAY_GUARD_FULL`,
/// `TOKENGATE_STATUS_MISSING_MEMBER` (a token without `exp`, or without `jti` unless the policy
/// has `TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT`), `TOKENGATE_STATUS_CORRUPT_STATE`.
///
/// # Safety
/// As `tokengate_verify`; `guard` is NULL or an initialized `tokengate_replay_guard` that no
/// other thread uses during the call.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tokengate_verify_once(
    keys: *const tokengate_key,
    n_keys: usize,
    policy: *const tokengate_policy,
    now: u64,
    token: *const u8,
    token_len: usize,
    buffers: *mut tokengate_buffers,
    guard: *mut tokengate_replay_guard,
    out: *mut tokengate_claims,
) -> tokengate_status {
    if guard.is_null() {
        if !out.is_null() && out.is_aligned() {
            // SAFETY: non-NULL, aligned, writable by the contract; what every failure leaves.
            unsafe { out.write(tokengate_claims::EMPTY_CLAIMS) };
        }
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    let run = |verifier: &tg::Verifier<'_, '_>, token: &[u8], buffers| {
        // SAFETY: non-NULL and initialized, by the contract.
        let Some(state) = (unsafe { existing(guard) }) else {
            return Err(tg::Error::CorruptState);
        };
        let mut replay = load(state).map_err(|_| tg::Error::CorruptState)?;
        let verified = verifier.verify_once(token, now, buffers, &mut replay)?;
        if store(&replay, state) != TOKENGATE_STATUS_OK {
            return Err(tg::Error::CorruptState);
        }
        Ok(verified)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { verify::verify_with(keys, n_keys, policy, token, token_len, buffers, out, run) }
}

/// Sets `clock` to the trusted Unix time `trusted_now` at tick count `ticks`, counting
/// `ticks_per_second`. Returns `TOKENGATE_STATUS_OK`, `TOKENGATE_STATUS_NULL_ARGUMENT` or
/// `TOKENGATE_STATUS_ZERO_TICK_RATE`.
///
/// # Safety
/// `clock` is NULL or points to a writable `tokengate_clock`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_clock_init(
    clock: *mut tokengate_clock,
    trusted_now: u64,
    ticks: u64,
    ticks_per_second: u64,
) -> tokengate_status {
    // SAFETY: forwarded from this function's contract; the struct is integers.
    let Some(out) = (unsafe { place(clock) }) else {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    };
    match AnchoredClock::new(trusted_now, ticks, ticks_per_second) {
        Ok(_) => {
            *out = tokengate_clock {
                anchor: trusted_now,
                anchor_ticks: ticks,
                ticks_per_second,
            };
            TOKENGATE_STATUS_OK
        }
        Err(e) => status::of(e),
    }
}

fn clock_of(clock: &tokengate_clock) -> Result<AnchoredClock, tokengate_status> {
    AnchoredClock::new(clock.anchor, clock.anchor_ticks, clock.ticks_per_second).map_err(status::of)
}

/// The clock's time (a lower bound, Unix seconds) when the counter reads `ticks`, written to
/// `now`. Returns `TOKENGATE_STATUS_OK`, `TOKENGATE_STATUS_NULL_ARGUMENT` or
/// `TOKENGATE_STATUS_ZERO_TICK_RATE` (a clock never initialized).
///
/// # Safety
/// `clock` is NULL or points to a `tokengate_clock`; `now` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_clock_now(
    clock: *const tokengate_clock,
    ticks: u64,
    now: *mut u64,
) -> tokengate_status {
    if clock.is_null() || !clock.is_aligned() || now.is_null() || !now.is_aligned() {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    // SAFETY: non-NULL, aligned and readable by the contract; any integers are a valid clock.
    let clock = unsafe { clock.read() };
    match clock_of(&clock) {
        Ok(clock) => {
            // SAFETY: non-NULL, aligned and writable by the contract.
            unsafe { now.write(clock.now(ticks)) };
            TOKENGATE_STATUS_OK
        }
        Err(status) => status,
    }
}

/// Moves the clock to `time` at `ticks` if that is later than it reads (never backwards), for
/// time sources the caller trusts (GNSS, authenticated NTP). Returns `TOKENGATE_STATUS_OK`,
/// `TOKENGATE_STATUS_NULL_ARGUMENT` or `TOKENGATE_STATUS_ZERO_TICK_RATE`.
///
/// # Safety
/// `clock` is NULL or points to a writable `tokengate_clock`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tokengate_clock_advance_to_trusted(
    clock: *mut tokengate_clock,
    time: u64,
    ticks: u64,
) -> tokengate_status {
    // SAFETY: forwarded from this function's contract; any integers are a valid clock.
    let Some(state) = (unsafe { existing(clock) }) else {
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    };
    let mut anchored = match clock_of(state) {
        Ok(clock) => clock,
        Err(status) => return status,
    };
    if anchored.advance_to_trusted(time, ticks) {
        state.anchor = time;
        state.anchor_ticks = ticks;
    }
    TOKENGATE_STATUS_OK
}

/// The offline gate: verifies `token` at the clock's time for tick count `ticks` (raised to the
/// token's `iat` under `TOKENGATE_POLICY_IAT_AS_TIME`), then admits it once to `guard`. Only an
/// accepted token changes the guard and the clock. Statuses as `tokengate_verify_once`, and
/// `TOKENGATE_STATUS_ZERO_TICK_RATE` for a clock never initialized.
///
/// # Safety
/// As `tokengate_verify_once`; `clock` is NULL or a writable `tokengate_clock` that no other
/// thread uses during the call.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tokengate_gate_admit(
    keys: *const tokengate_key,
    n_keys: usize,
    policy: *const tokengate_policy,
    clock: *mut tokengate_clock,
    guard: *mut tokengate_replay_guard,
    ticks: u64,
    token: *const u8,
    token_len: usize,
    buffers: *mut tokengate_buffers,
    out: *mut tokengate_claims,
) -> tokengate_status {
    if guard.is_null() || clock.is_null() {
        if !out.is_null() && out.is_aligned() {
            // SAFETY: non-NULL, aligned, writable by the contract; what every failure leaves.
            unsafe { out.write(tokengate_claims::EMPTY_CLAIMS) };
        }
        return TOKENGATE_STATUS_NULL_ARGUMENT;
    }
    let run = |verifier: &tg::Verifier<'_, '_>, token: &[u8], buffers| {
        // SAFETY: non-NULL and initialized, by the contract.
        let (Some(state), Some(time)) = (unsafe { existing(guard) }, unsafe { existing(clock) })
        else {
            return Err(tg::Error::CorruptState);
        };
        let anchored = AnchoredClock::new(time.anchor, time.anchor_ticks, time.ticks_per_second)?;
        let replay = load(state).map_err(|_| tg::Error::CorruptState)?;
        let mut gate = OfflineGate::new(anchored, replay);
        let verified = gate.admit(verifier, token, ticks, buffers)?;
        if store(gate.replay_guard(), state) != TOKENGATE_STATUS_OK {
            return Err(tg::Error::CorruptState);
        }
        // The gate's clock moves only by `advance`, which re-anchors at `ticks`.
        if *gate.clock() != anchored {
            time.anchor = gate.now(ticks);
            time.anchor_ticks = ticks;
        }
        Ok(verified)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { verify::verify_with(keys, n_keys, policy, token, token_len, buffers, out, run) }
}
