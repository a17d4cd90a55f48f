//! Replay protection: a fixed-capacity record of the tokens already accepted, each kept until it
//! expires.

use sha2::{Digest, Sha256};

use crate::error::{Error, Part};
use crate::policy::ReplayId;
use crate::verify::{Buffers, Evidence, Hook, Verified, Verifier};

/// Bytes of SHA-256 kept per token: 128 bits, so a collision between two real tokens (which
/// would wrongly refuse the second) is out of reach.
const ID_LEN: usize = 16;

/// What a replay guard records of an accepted token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ticket {
    id: [u8; ID_LEN],
    /// The first second at which the token is expired even with the leeway.
    dead_at: u64,
    iat: Option<u64>,
}

impl Ticket {
    /// The record of the token of `evidence`.
    ///
    /// # Errors
    /// [`Error::MissingMember`] without `exp` (it would have to be remembered forever), and
    /// without `jti` unless the policy identifies such tokens by their signing input.
    pub(super) fn new(evidence: &Evidence<'_>) -> Result<Self, Error> {
        let claims = evidence.claims();
        let policy = evidence.policy();
        let missing = |name| Error::MissingMember {
            part: Part::Claims,
            name,
        };
        // A token that never expires would have to be remembered forever.
        let exp = claims.exp().ok_or(missing("exp"))?;
        let mut hash = Sha256::new();
        match (claims.jti(), policy.replay_id()) {
            (Some(jti), _) => {
                // `jti` is unique per issuer (RFC 7519 §4.1.7): the issuer is part of the id.
                hash.update(b"tokengate replay: iss, jti\0");
                // Decoded strings, so escaped and plain spellings give the same id.
                if let Some(iss) = claims.iss() {
                    hash.update(iss);
                }
                hash.update([0]);
                hash.update(jti);
            }
            (None, ReplayId::JtiOrSigningInput) => {
                hash.update(b"tokengate replay: signing input\0");
                hash.update(evidence.signing_input());
            }
            (None, ReplayId::Jti) => return Err(missing("jti")),
        }
        let digest: [u8; 32] = hash.finalize().into();
        let mut id = [0u8; ID_LEN];
        id.iter_mut().zip(digest).for_each(|(d, s)| *d = s);
        Ok(Self {
            id,
            dead_at: exp.ceil().saturating_add(policy.leeway()),
            iat: claims.iat().map(|d| d.seconds()),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    id: [u8; ID_LEN],
    dead_at: u64,
}

const EMPTY: Entry = Entry {
    id: [0; ID_LEN],
    dead_at: 0,
};

/// Remembers up to `N` accepted tokens until they expire, so each is accepted once.
///
/// - A token is identified by its issuer and `jti`, or, when the policy says
///   [`ReplayId::JtiOrSigningInput`] and the token has no `jti`, by a digest of its signing input.
/// - An entry lives until the token's `exp` plus the policy's leeway: exactly as long as the
///   token could verify. Only entries past that are evicted.
/// - When all `N` entries are live, a new token is refused ([`Error::ReplayGuardFull`]): the
///   guard never forgets a token that could still be replayed.
///
/// Use it through [`Verifier::verify_once`](crate::Verifier::verify_once) or an
/// [`OfflineGate`](crate::OfflineGate). Each entry takes 24 bytes.
///
/// # Resets
/// The guard lives in RAM: after a reset, every token accepted before it could be replayed
/// until it expires. A device can [`save`](ReplayGuard::save) the guard after each admission
/// (e.g. to FRAM or a wear-levelled flash page) and [`load`](ReplayGuard::load) it at boot. A
/// device that lost its state can start from [`ReplayGuard::after_state_loss`], which refuses
/// every token issued before the loss was noticed: those might have been used already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayGuard<const N: usize> {
    entries: [Entry; N],
    len: usize,
    horizon: u64,
}

impl<const N: usize> Default for ReplayGuard<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Magic and format version of [`ReplayGuard::save`].
const MAGIC: [u8; 4] = *b"TGR1";
/// Magic, horizon, count.
const HEADER_LEN: usize = 4 + 8 + 4;
const ENTRY_LEN: usize = ID_LEN + 8;
/// Truncated SHA-256 over everything before it: catches corruption, not tampering (whoever can
/// write the device's storage can change its keys too).
const CHECK_LEN: usize = 8;

impl<const N: usize> ReplayGuard<N> {
    /// Bytes [`ReplayGuard::save`] needs at most.
    pub const SAVED_LEN: usize = HEADER_LEN + N * ENTRY_LEN + CHECK_LEN;

    /// An empty guard.
    pub const fn new() -> Self {
        Self {
            entries: [EMPTY; N],
            len: 0,
            horizon: 0,
        }
    }

    /// An empty guard for a device that lost its replay state (a reset without a saved guard,
    /// or a corrupt one) at or before `now`: it refuses every token issued before `now`
    /// ([`Error::Replayed`]), and tokens without `iat`, since they might have been accepted
    /// before the loss.
    pub const fn after_state_loss(now: u64) -> Self {
        Self {
            entries: [EMPTY; N],
            len: 0,
            horizon: now,
        }
    }

    /// How many tokens the guard can remember.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// How many remembered tokens are still live at `now`.
    pub fn live(&self, now: u64) -> usize {
        self.used().iter().filter(|e| e.dead_at > now).count()
    }

    fn used(&self) -> &[Entry] {
        self.entries.get(..self.len).unwrap_or(&self.entries)
    }

    /// Records an accepted token, or refuses it.
    pub(super) fn admit(&mut self, ticket: Ticket, now: u64) -> Result<(), Error> {
        if self.horizon > 0 && ticket.iat.is_none_or(|iat| iat < self.horizon) {
            return Err(Error::Replayed);
        }
        let mut free = None;
        for (index, entry) in self.used().iter().enumerate() {
            if entry.dead_at <= now {
                free.get_or_insert(index);
            } else if entry.id == ticket.id {
                return Err(Error::Replayed);
            }
        }
        let index = match free {
            Some(index) => index,
            None if self.len < N => {
                self.len = self.len.saturating_add(1);
                self.len.saturating_sub(1)
            }
            None => return Err(Error::ReplayGuardFull { capacity: N }),
        };
        let slot = self
            .entries
            .get_mut(index)
            .ok_or(Error::ReplayGuardFull { capacity: N })?;
        *slot = Entry {
            id: ticket.id,
            dead_at: ticket.dead_at,
        };
        Ok(())
    }

    /// Writes the guard into `out` (at most [`Self::SAVED_LEN`] bytes), returning the length.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `out` is too small.
    pub fn save(&self, out: &mut [u8]) -> Result<usize, Error> {
        let used = self.used();
        let body_len = HEADER_LEN.saturating_add(used.len().saturating_mul(ENTRY_LEN));
        let total = body_len.saturating_add(CHECK_LEN);
        let capacity = out.len();
        let too_small = Error::TooLarge {
            needed: total,
            capacity,
        };
        let out = out.get_mut(..total).ok_or(too_small)?;
        let (body, check) = out.split_at_mut(body_len);
        let (header, entries) = body.split_at_mut(HEADER_LEN);
        let count = u32::try_from(used.len()).map_err(|_| too_small)?;
        let fields = MAGIC
            .into_iter()
            .chain(self.horizon.to_le_bytes())
            .chain(count.to_le_bytes());
        header.iter_mut().zip(fields).for_each(|(d, s)| *d = s);
        for (chunk, entry) in entries.chunks_exact_mut(ENTRY_LEN).zip(used) {
            let bytes = entry.id.into_iter().chain(entry.dead_at.to_le_bytes());
            chunk.iter_mut().zip(bytes).for_each(|(d, s)| *d = s);
        }
        let digest = Sha256::digest(&*body);
        check.iter_mut().zip(digest).for_each(|(d, s)| *d = s);
        Ok(total)
    }

    /// Reads a guard written by [`ReplayGuard::save`].
    ///
    /// # Errors
    /// [`Error::CorruptState`] for bytes that are not a saved guard (wrong format, length or
    /// checksum) or that hold more entries than `N`. Then start from
    /// [`ReplayGuard::after_state_loss`].
    pub fn load(bytes: &[u8]) -> Result<Self, Error> {
        let corrupt = Error::CorruptState;
        let body_len = bytes.len().checked_sub(CHECK_LEN).ok_or(corrupt)?;
        let (body, check) = bytes.split_at(body_len);
        let digest = Sha256::digest(body);
        if digest.get(..CHECK_LEN) != Some(check) {
            return Err(corrupt);
        }
        let (header, entries) = body.split_at_checked(HEADER_LEN).ok_or(corrupt)?;
        let (magic, rest) = header.split_at(4);
        let (horizon, count) = rest.split_at(8);
        if magic != MAGIC {
            return Err(corrupt);
        }
        let horizon = u64::from_le_bytes(horizon.try_into().map_err(|_| corrupt)?);
        let count = u32::from_le_bytes(count.try_into().map_err(|_| corrupt)?);
        let count = usize::try_from(count).map_err(|_| corrupt)?;
        if count > N || entries.len() != count.saturating_mul(ENTRY_LEN) {
            return Err(corrupt);
        }
        let mut guard = Self::after_state_loss(horizon);
        for (slot, chunk) in guard
            .entries
            .iter_mut()
            .zip(entries.chunks_exact(ENTRY_LEN))
        {
            let (id, dead_at) = chunk.split_at(ID_LEN);
            slot.id = id.try_into().map_err(|_| corrupt)?;
            slot.dead_at = u64::from_le_bytes(dead_at.try_into().map_err(|_| corrupt)?);
        }
        guard.len = count;
        Ok(guard)
    }
}

impl Verifier<'_, '_> {
    /// As [`Verifier::verify`], and then admits the token to `guard`: a token is accepted once
    /// until it expires (see [`ReplayGuard`]). State changes only when the token is accepted.
    ///
    /// # Errors
    /// As [`Verifier::verify`]; [`Error::Replayed`] for a second use;
    /// [`Error::ReplayGuardFull`] when the guard cannot remember one more unexpired token;
    /// [`Error::MissingMember`] for a token without `exp`, or without `jti` (unless the policy
    /// falls back to the signing input, [`ReplayId::JtiOrSigningInput`]).
    pub fn verify_once<'b, const N: usize, const R: usize>(
        &self,
        token: impl AsRef<[u8]>,
        now: u64,
        buffers: &'b mut Buffers<N>,
        guard: &mut ReplayGuard<R>,
    ) -> Result<Verified<'b>, Error> {
        self.verify_with_hook(token, &mut Once { now, guard }, buffers)
    }
}

/// A guard as the verifier's [`Hook`], at a time the caller trusts.
struct Once<'g, const R: usize> {
    now: u64,
    guard: &'g mut ReplayGuard<R>,
}

impl<const R: usize> Hook for Once<'_, R> {
    fn now(&mut self, _iat: Option<u64>) -> u64 {
        self.now
    }

    fn accept(&mut self, evidence: &Evidence<'_>) -> Result<(), Error> {
        self.guard.admit(Ticket::new(evidence)?, evidence.now())
    }
}
