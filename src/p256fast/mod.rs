//! ES256 fast path: P-256 signature verification tuned for 32-bit microcontrollers.
//! (Issue 7; being written. Not wired into `Es256Key` yet.)
