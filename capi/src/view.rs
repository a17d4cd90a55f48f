//! `{ptr, len}` views and the one place where C pointers become Rust slices.

use core::ffi::c_char;

use crate::status::{
    TOKENGATE_STATUS_INVALID_ARGUMENT, TOKENGATE_STATUS_NULL_ARGUMENT, tokengate_status,
};

/// A string as a pointer and a length in bytes (UTF-8, not NUL-terminated).
///
/// As an input, `{NULL, 0}` is "none" (no `kid`, no `typ`); a NULL `ptr` with a non-zero
/// `len` is `TOKENGATE_STATUS_NULL_ARGUMENT`. As an output, `ptr` is NULL when the claim is
/// absent, and otherwise points into the caller's `tokengate_buffers`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tokengate_str {
    /// The first byte, or NULL.
    pub ptr: *const c_char,
    /// Length in bytes.
    pub len: usize,
}

impl tokengate_str {
    /// `{NULL, 0}`.
    pub(crate) const NONE: Self = Self {
        ptr: core::ptr::null(),
        len: 0,
    };

    /// A view of a Rust string (which outlives the caller's use of it: see each function).
    pub(crate) fn of(s: &str) -> Self {
        Self {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }

    /// A view of an optional Rust string: `{NULL, 0}` for `None`.
    pub(crate) fn of_option(s: Option<&str>) -> Self {
        s.map_or(Self::NONE, Self::of)
    }
}

/// Bytes of the C caller's memory as a slice; `None` for a NULL pointer.
///
/// # Errors
/// `TOKENGATE_STATUS_NULL_ARGUMENT` for NULL with a non-zero length,
/// `TOKENGATE_STATUS_INVALID_ARGUMENT` for a length above `isize::MAX` (no object is that
/// large).
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], tokengate_status> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(TOKENGATE_STATUS_NULL_ARGUMENT)
        };
    }
    if isize::try_from(len).is_err() {
        return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
    }
    // SAFETY: `ptr` is non-NULL and, by this function's contract, points to `len` readable
    // bytes unchanged for 'a; `len` is at most isize::MAX, as `from_raw_parts` requires.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A C string view as `&str`: `None` for `{NULL, 0}`.
///
/// # Errors
/// As [`bytes`], and `TOKENGATE_STATUS_INVALID_ARGUMENT` for bytes that are not UTF-8.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn optional_str<'a>(
    s: tokengate_str,
) -> Result<Option<&'a str>, tokengate_status> {
    if s.ptr.is_null() && s.len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { bytes(s.ptr.cast(), s.len) }?;
    core::str::from_utf8(bytes)
        .map(Some)
        .map_err(|_| TOKENGATE_STATUS_INVALID_ARGUMENT)
}

/// A C string view as `&str`, `{NULL, 0}` being the empty string.
///
/// # Errors
/// As [`optional_str`].
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn str<'a>(s: tokengate_str) -> Result<&'a str, tokengate_status> {
    // SAFETY: forwarded from this function's contract.
    unsafe { optional_str(s) }.map(|s| s.unwrap_or(""))
}

/// An array of C string views as a slice of them.
///
/// # Errors
/// As [`bytes`].
///
/// # Safety
/// A non-NULL `ptr` must point to `n` views that stay unchanged for `'a`.
pub(crate) unsafe fn array<'a, T>(ptr: *const T, n: usize) -> Result<&'a [T], tokengate_status> {
    if ptr.is_null() {
        return if n == 0 {
            Ok(&[])
        } else {
            Err(TOKENGATE_STATUS_NULL_ARGUMENT)
        };
    }
    if n.checked_mul(size_of::<T>())
        .is_none_or(|size| isize::try_from(size).is_err())
    {
        return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
    }
    if !ptr.is_aligned() {
        return Err(TOKENGATE_STATUS_INVALID_ARGUMENT);
    }
    // SAFETY: `ptr` is non-NULL and aligned, points to `n` elements unchanged for 'a by this
    // function's contract, and `n * size_of::<T>()` is at most isize::MAX.
    Ok(unsafe { core::slice::from_raw_parts(ptr, n) })
}
