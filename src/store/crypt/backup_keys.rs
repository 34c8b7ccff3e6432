//! Backups of an encrypted database are encrypted too, without a passphrase: with age, to
//! an X25519 identity derived from the data key (HKDF), and with the database's key part in
//! front, so any account's password or the recovery key unlocks them.
//!
//! ```text
//! "ACCBAKK\n" ‖ u32 LE length ‖ key part (postcard) ‖ age file (X25519 recipient)
//! ```
//!
//! The age file holds an ordinary `.accbak` container. Reading one needs the data key: the
//! keys of every encrypted database open in this process are known (registered while its
//! store is open), and [`unlock_backup`] adds those of a backup made elsewhere.

use super::keys::Unlocked;
use super::{KeyPart, Unlock, unlock};
use crate::store::StoreError;
use std::io::{self, Read, Write};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The first bytes of a backup encrypted with a database's keys.
pub(crate) const KEYED_MAGIC: [u8; 8] = *b"ACCBAKK\n";
const MAX_PART: u32 = 1 << 20;

/// Keys known to this process, with the token of the guard that registered them.
static KNOWN: Mutex<Vec<(u64, Unlocked)>> = Mutex::new(Vec::new());
static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Keeps a key hierarchy known for reading backups; forgotten (and zeroized) when dropped.
#[derive(Debug)]
pub struct KnownKeys(u64);

impl Drop for KnownKeys {
    fn drop(&mut self) {
        let mut k = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
        k.retain(|(t, _)| *t != self.0);
    }
}

/// Makes `keys` known until the guard is dropped.
pub(crate) fn remember(keys: &Unlocked) -> KnownKeys {
    let token = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    KNOWN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((token, keys.clone()));
    KnownKeys(token)
}

/// The known keys with this key id.
pub(crate) fn known(key_id: &[u8; 16]) -> Option<Unlocked> {
    KNOWN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(_, k)| &k.part.key_id == key_id)
        .map(|(_, k)| k.clone())
}

/// The age identity of the backups of the database with these keys.
pub(crate) fn identity(keys: &Unlocked) -> io::Result<age::x25519::Identity> {
    let secret = keys.backup_secret();
    let hrp = bech32::Hrp::parse("age-secret-key-").map_err(io::Error::other)?;
    let text = Zeroizing::new(
        bech32::encode::<bech32::Bech32>(hrp, &secret[..]).map_err(io::Error::other)?,
    );
    let upper = Zeroizing::new(text.to_uppercase());
    upper.parse().map_err(io::Error::other)
}

/// Writes the prefix (magic, key part) to `out` and returns the age writer after it.
pub(crate) fn keyed_writer<W: Write>(
    mut out: W,
    keys: &Unlocked,
) -> io::Result<age::stream::StreamWriter<W>> {
    let part = postcard::to_allocvec(&keys.part).map_err(io::Error::other)?;
    out.write_all(&KEYED_MAGIC)?;
    out.write_all(&(part.len() as u32).to_le_bytes())?;
    out.write_all(&part)?;
    let recipient = identity(keys)?.to_public();
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| io::Error::other(e.to_string()))?;
    enc.wrap_output(out)
}

/// Reads the key part after the magic (already consumed). `None`: not a readable prefix.
pub(crate) fn read_part(src: &mut impl Read) -> Option<KeyPart> {
    let mut l = [0u8; 4];
    src.read_exact(&mut l).ok()?;
    let n = u32::from_le_bytes(l);
    if n > MAX_PART {
        return None;
    }
    let mut buf = vec![0u8; n as usize];
    src.read_exact(&mut buf).ok()?;
    postcard::from_bytes(&buf).ok()
}

/// The key part of the keyed backup at `path` (`None`: not a keyed backup).
pub(crate) fn part_of(path: &std::path::Path) -> Option<KeyPart> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut m = [0u8; 8];
    f.read_exact(&mut m).ok()?;
    if m != KEYED_MAGIC {
        return None;
    }
    read_part(&mut f)
}

/// Unlocks the backup at `path`, made from an encrypted database, with one of that
/// database's account passwords or its recovery key, and keeps its keys known (for
/// verifying or restoring it) until the guard is dropped. A backup that is not encrypted
/// this way needs nothing: `Ok(None)`.
pub fn unlock_backup(
    path: &std::path::Path,
    how: &Unlock,
) -> Result<Option<KnownKeys>, StoreError> {
    let Some(part) = part_of(path) else {
        return Ok(None);
    };
    let keys = unlock(&part, how)?;
    Ok(Some(remember(&keys)))
}
