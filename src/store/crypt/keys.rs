//! The key hierarchy of an encrypted database (docs/SECURITY.md): one random 256-bit data
//! key; from it, by HKDF-SHA-256 with distinct labels, the key that seals the file's blocks,
//! the key that seals the key slots' names and authenticates the key part of the superblock,
//! and the X25519 identity of the database's backups. The data key itself is stored only
//! wrapped: once per key slot by a key derived with Argon2id from that account's password,
//! once by a key derived with HKDF from the recovery key.

use super::superblock::{KdfParams, KeyPart, Slot, Wrapped};
use crate::store::StoreError;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use sha2::Digest;
use zeroize::{Zeroize, Zeroizing};

/// Bytes of a key.
pub(crate) const KEY_LEN: usize = 32;
/// Bytes of an XChaCha20 nonce.
pub(crate) const NONCE_LEN: usize = 24;
/// Bytes of a Poly1305 tag.
pub(crate) const TAG_LEN: usize = 16;

const LABEL_BLOCKS: &[u8] = b"accoglienza/v1/blocks";
const LABEL_KEYPART: &[u8] = b"accoglienza/v1/key-part";
const LABEL_BACKUP: &[u8] = b"accoglienza/v1/backup-x25519";
const LABEL_RECOVERY: &[u8] = b"accoglienza/v1/recovery-kek";
const AAD_SLOT: &[u8] = b"accoglienza/v1/slot";
const AAD_RECOVERY: &[u8] = b"accoglienza/v1/recovery";
const AAD_NAMES: &[u8] = b"accoglienza/v1/slot-names";

/// Fresh random bytes from the thread's CSPRNG (ChaCha, seeded and reseeded by the system).
pub(crate) fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::fill(&mut b[..]);
    b
}

/// HKDF-SHA-256 of `ikm` (with `salt`) for one purpose.
fn derive(ikm: &[u8], salt: &[u8], label: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let hk = hkdf::Hkdf::<sha2_v010::Sha256>::new(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes are always a valid HKDF-SHA-256 output length.
    let _ = hk.expand(label, &mut out[..]);
    out
}

/// An XChaCha20-Poly1305 cipher over a key (the cipher zeroizes its key when dropped).
pub(crate) fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(<&Key>::from(key))
}

/// Seals `plain` with a fresh nonce: `(nonce, ciphertext ‖ tag)`.
pub(crate) fn seal(c: &XChaCha20Poly1305, aad: &[u8], plain: &[u8]) -> Wrapped {
    let nonce = random::<NONCE_LEN>();
    let mut buf = plain.to_vec();
    // Fails only for messages over 256 GiB.
    let tag = c
        .encrypt_inout_detached(&XNonce::from(nonce), aad, buf.as_mut_slice().into())
        .expect("message length");
    buf.extend_from_slice(&tag);
    Wrapped { nonce, sealed: buf }
}

/// Opens what [`seal`] sealed; `None` when the key, the associated data or a byte differs.
pub(crate) fn open(c: &XChaCha20Poly1305, aad: &[u8], w: &Wrapped) -> Option<Zeroizing<Vec<u8>>> {
    if w.sealed.len() < TAG_LEN {
        return None;
    }
    let (body, tag) = w.sealed.split_at(w.sealed.len() - TAG_LEN);
    let mut buf = Zeroizing::new(body.to_vec());
    c.decrypt_inout_detached(
        &XNonce::from(w.nonce),
        aad,
        buf.as_mut_slice().into(),
        <&chacha20poly1305::Tag>::try_from(tag).ok()?,
    )
    .ok()?;
    Some(buf)
}

/// Argon2id parameters of new key slots: 128 MiB, 5 passes, one lane — the same cost as an
/// account's password hash ([`crate::access::PasswordParams::STANDARD`]): about 0.43 s on
/// the reference 2-core machine when it is quiet (docs/PERFORMANCE.md). Stored with each
/// slot, so changing them here affects new slots only.
pub(crate) const DEFAULT_KDF: KdfParams = KdfParams {
    m_kib: 128 * 1024,
    t: 5,
    p: 1,
};

/// The largest Argon2id parameters a key slot may ask for (1 GiB, 16 passes, 8 lanes):
/// far above what this program writes, far below what would stop a desk PC.
const MAX_KDF: KdfParams = KdfParams {
    m_kib: 1024 * 1024,
    t: 16,
    p: 8,
};

/// The key that unlocks one slot, derived from its password (one Argon2id run).
fn password_kek(
    password: &SecretString,
    salt: &[u8; 16],
    kdf: &KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    // The parameters come from the file before anything is authenticated: parameters no
    // version of the program writes (a file edited to exhaust memory or time at every
    // sign-in) are refused as tampering, never run.
    if kdf.m_kib > MAX_KDF.m_kib || kdf.t > MAX_KDF.t || kdf.p > MAX_KDF.p {
        return Err(StoreError::Tampered {
            what: "parametri della chiave d'accesso".into(),
        });
    }
    let params = argon2::Params::new(kdf.m_kib, kdf.t, kdf.p, Some(KEY_LEN))
        .map_err(|e| StoreError::Crypt(format!("parametri Argon2 non validi: {e}")))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    a.hash_password_into(password.expose_secret().as_bytes(), salt, &mut out[..])
        .map_err(|e| StoreError::Crypt(format!("derivazione della chiave non riuscita: {e}")))?;
    Ok(out)
}

/// The stable id of a key slot: a hash of its name under this key hierarchy, so the file
/// does not show the account names.
pub(crate) fn slot_id(key_id: &[u8; 16], name: &str) -> [u8; 16] {
    let mut h = sha2::Sha256::new();
    h.update(b"accoglienza/v1/slot-id\0");
    h.update(key_id);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&d[..16]);
    id
}

fn slot_aad(key_id: &[u8; 16], id: &[u8; 16]) -> Vec<u8> {
    [AAD_SLOT, key_id, id].concat()
}

/// The recovery key: 256 random bits, written for people as 13 groups of four characters
/// (base32). Shown once, when the database is encrypted; it opens the database when every
/// password is lost.
pub struct RecoveryKey(Zeroizing<[u8; KEY_LEN]>);

const B32: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

impl RecoveryKey {
    fn generate() -> RecoveryKey {
        RecoveryKey(Zeroizing::new(random::<KEY_LEN>()))
    }

    /// The key as people write it down: `XXXX-XXXX-…` (52 characters in 13 groups).
    pub fn display(&self) -> SecretString {
        let mut bits = 0u32;
        let mut n = 0;
        let mut chars = Zeroizing::new(String::new());
        for &b in self.0.iter() {
            bits = (bits << 8) | u32::from(b);
            n += 8;
            while n >= 5 {
                n -= 5;
                chars.push(B32[((bits >> n) & 31) as usize] as char);
            }
        }
        if n > 0 {
            chars.push(B32[((bits << (5 - n)) & 31) as usize] as char);
        }
        bits.zeroize();
        let groups: Vec<&str> = chars
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        SecretString::from(groups.join("-"))
    }

    /// Reads a recovery key as written by [`RecoveryKey::display`]: case, spaces and dashes
    /// do not matter.
    pub fn parse(text: &SecretString) -> Result<RecoveryKey, StoreError> {
        let bad = || {
            StoreError::Crypt(
                "la chiave di recupero non è scritta correttamente (52 caratteri in gruppi di quattro)"
                    .into(),
            )
        };
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let mut bits = 0u64;
        let mut n = 0;
        let mut i = 0;
        for c in text.expose_secret().chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = c.to_ascii_uppercase();
            let v = B32.iter().position(|&b| b as char == c).ok_or_else(bad)? as u64;
            bits = (bits << 5) | v;
            n += 5;
            if n >= 8 {
                n -= 8;
                if i == KEY_LEN {
                    return Err(bad());
                }
                out[i] = (bits >> n) as u8;
                i += 1;
            }
        }
        bits.zeroize();
        if i != KEY_LEN {
            return Err(bad());
        }
        Ok(RecoveryKey(out))
    }

    fn kek(&self, key_id: &[u8; 16]) -> Zeroizing<[u8; KEY_LEN]> {
        derive(&self.0[..], key_id, LABEL_RECOVERY)
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

/// The data key of an unlocked database and what is derived from it, with the key part of
/// the superblock it was unlocked from and the slot names it holds. Zeroized when dropped.
pub struct Unlocked {
    data: Zeroizing<[u8; KEY_LEN]>,
    /// Seals the blocks of the database file.
    pub(crate) blocks: XChaCha20Poly1305,
    keypart: XChaCha20Poly1305,
    /// The key slots, wrapped data keys and sealed names (as stored).
    pub(crate) part: KeyPart,
    /// The names of the key slots, in slot order.
    pub(crate) names: Vec<String>,
}

impl Clone for Unlocked {
    fn clone(&self) -> Self {
        Unlocked::from_data(self.data.clone(), self.part.clone(), self.names.clone())
    }
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unlocked")
            .field("slots", &self.names.len())
            .finish()
    }
}

impl Unlocked {
    fn from_data(data: Zeroizing<[u8; KEY_LEN]>, part: KeyPart, names: Vec<String>) -> Unlocked {
        let blocks = cipher(&derive(&data[..], &part.key_id, LABEL_BLOCKS));
        let keypart = cipher(&derive(&data[..], &part.key_id, LABEL_KEYPART));
        Unlocked {
            data,
            blocks,
            keypart,
            part,
            names,
        }
    }

    /// A new key hierarchy with one slot (`name`, `password`) and a recovery key.
    pub(crate) fn generate(
        name: &str,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(Unlocked, RecoveryKey), StoreError> {
        Self::generate_with(&[name], password, kdf)
    }

    /// A new key hierarchy with the slots `names` (all opened by `password`) and a
    /// recovery key.
    pub(crate) fn generate_with(
        names: &[&str],
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(Unlocked, RecoveryKey), StoreError> {
        let data = Zeroizing::new(random::<KEY_LEN>());
        let part = KeyPart {
            key_id: random(),
            slots: vec![],
            recovery: None,
            names: Wrapped::default(),
        };
        let mut u = Unlocked::from_data(data, part, vec![]);
        let recovery = u.replace_recovery();
        u.set_slots(names, password, kdf)?;
        Ok((u, recovery))
    }

    /// Unlocks `part` with a slot's password. `Ok(None)`: wrong name or password.
    pub(crate) fn with_password(
        part: &KeyPart,
        name: &str,
        password: &SecretString,
    ) -> Result<Option<Unlocked>, StoreError> {
        let id = slot_id(&part.key_id, name);
        let Some(slot) = part.slots.iter().find(|s| s.id == id) else {
            // Same cost as a real attempt: the answer must not say which names exist.
            let _ = password_kek(password, &[0; 16], &DEFAULT_KDF);
            return Ok(None);
        };
        let kek = password_kek(password, &slot.salt, &slot.kdf)?;
        let Some(data) = open(&cipher(&kek), &slot_aad(&part.key_id, &id), &slot.wrapped) else {
            return Ok(None);
        };
        Self::finish(part, &data).map(Some)
    }

    /// Unlocks `part` with the recovery key. `Ok(None)`: not this database's recovery key.
    pub(crate) fn with_recovery(
        part: &KeyPart,
        key: &RecoveryKey,
    ) -> Result<Option<Unlocked>, StoreError> {
        let Some(w) = &part.recovery else {
            return Ok(None);
        };
        let aad = [AAD_RECOVERY, &part.key_id[..]].concat();
        let Some(data) = open(&cipher(&key.kek(&part.key_id)), &aad, w) else {
            return Ok(None);
        };
        Self::finish(part, &data).map(Some)
    }

    /// With the data key found: checks that the key part is as this key wrote it (its sealed
    /// names authenticate everything else in it) and reads the names.
    fn finish(part: &KeyPart, data: &[u8]) -> Result<Unlocked, StoreError> {
        let data: [u8; KEY_LEN] = data
            .try_into()
            .map_err(|_| StoreError::Crypt("chiave di lunghezza errata".into()))?;
        let mut u = Unlocked::from_data(Zeroizing::new(data), part.clone(), vec![]);
        let names =
            open(&u.keypart, &u.names_aad(), &part.names).ok_or_else(|| StoreError::Tampered {
                what: "l'elenco delle chiavi d'accesso".into(),
            })?;
        let names: Vec<String> =
            postcard::from_bytes(&names).map_err(|_| StoreError::Tampered {
                what: "l'elenco delle chiavi d'accesso".into(),
            })?;
        if names.len() != part.slots.len()
            || names
                .iter()
                .zip(&part.slots)
                .any(|(n, s)| slot_id(&part.key_id, n) != s.id)
        {
            return Err(StoreError::Tampered {
                what: "l'elenco delle chiavi d'accesso".into(),
            });
        }
        u.names = names;
        Ok(u)
    }

    /// What the sealed names authenticate: the key id, the slots and the recovery slot.
    fn names_aad(&self) -> Vec<u8> {
        let covered = (&self.part.key_id, &self.part.slots, &self.part.recovery);
        let mut aad = AAD_NAMES.to_vec();
        aad.extend(postcard::to_allocvec(&covered).unwrap_or_default());
        aad
    }

    /// Seals the names again after the slots changed.
    fn reseal(&mut self) {
        let names = Zeroizing::new(postcard::to_allocvec(&self.names).unwrap_or_default());
        self.part.names = seal(&self.keypart, &self.names_aad(), &names);
    }

    /// Adds the slot `name` or replaces its password (one Argon2id run).
    pub(crate) fn set_slot(
        &mut self,
        name: &str,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), StoreError> {
        self.set_slots(&[name], password, kdf)
    }

    /// Adds or replaces the slots `names`, all opened by the same `password` (the demo's
    /// accounts): one Argon2id run shared by them, each slot wrapping the key apart.
    pub(crate) fn set_slots(
        &mut self,
        names: &[&str],
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), StoreError> {
        if names.iter().any(|n| n.trim().is_empty()) {
            return Err(StoreError::Crypt(
                "il nome della chiave d'accesso è vuoto".into(),
            ));
        }
        let salt = random::<16>();
        let kek = password_kek(password, &salt, &kdf)?;
        let kek = cipher(&kek);
        for name in names {
            let id = slot_id(&self.part.key_id, name);
            let wrapped = seal(&kek, &slot_aad(&self.part.key_id, &id), &self.data[..]);
            let slot = Slot {
                id,
                kdf,
                salt,
                wrapped,
            };
            match self.part.slots.iter().position(|s| s.id == id) {
                Some(i) => self.part.slots[i] = slot,
                None => {
                    self.part.slots.push(slot);
                    self.names.push(name.to_string());
                }
            }
        }
        self.reseal();
        Ok(())
    }

    /// Removes the slot `name`; false when there is none.
    pub(crate) fn remove_slot(&mut self, name: &str) -> bool {
        let id = slot_id(&self.part.key_id, name);
        let Some(i) = self.part.slots.iter().position(|s| s.id == id) else {
            return false;
        };
        self.part.slots.remove(i);
        self.names.remove(i);
        self.reseal();
        true
    }

    /// A new recovery key, replacing the old one (which no longer opens anything written
    /// from now on).
    pub(crate) fn replace_recovery(&mut self) -> RecoveryKey {
        let key = RecoveryKey::generate();
        let aad = [AAD_RECOVERY, &self.part.key_id[..]].concat();
        self.part.recovery = Some(seal(
            &cipher(&key.kek(&self.part.key_id)),
            &aad,
            &self.data[..],
        ));
        self.reseal();
        key
    }

    /// The secret of the age X25519 identity that encrypts this database's backups.
    pub(crate) fn backup_secret(&self) -> Zeroizing<[u8; KEY_LEN]> {
        derive(&self.data[..], &self.part.key_id, LABEL_BACKUP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    #[test]
    fn slots_and_recovery_unwrap_the_same_key() {
        let pw = SecretString::from("una password lunga");
        let (mut u, rk) = Unlocked::generate("admin", &pw, CHEAP).unwrap();
        u.set_slot("operatore", &SecretString::from("altra password"), CHEAP)
            .unwrap();
        let part = u.part.clone();
        let a = Unlocked::with_password(&part, "admin", &pw)
            .unwrap()
            .unwrap();
        let b = Unlocked::with_recovery(&part, &RecoveryKey::parse(&rk.display()).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(&a.data[..], &b.data[..]);
        assert_eq!(a.names, vec!["admin", "operatore"]);
        assert!(
            Unlocked::with_password(&part, "admin", &SecretString::from("sbagliata"))
                .unwrap()
                .is_none()
        );
        assert!(
            Unlocked::with_password(&part, "nessuno", &pw)
                .unwrap()
                .is_none()
        );
        // A changed byte of the key part is tampering.
        let mut bad = part.clone();
        bad.slots[1].salt[0] ^= 1;
        assert!(matches!(
            Unlocked::with_password(&bad, "admin", &pw),
            Err(StoreError::Tampered { .. })
        ));
        u.remove_slot("admin");
        assert!(
            Unlocked::with_password(&u.part, "admin", &pw)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn recovery_key_text_round_trips() {
        let k = RecoveryKey::generate();
        let s = k.display();
        assert_eq!(s.expose_secret().len(), 52 + 12);
        let lower = SecretString::from(s.expose_secret().to_lowercase().replace('-', " "));
        assert_eq!(&RecoveryKey::parse(&lower).unwrap().0[..], &k.0[..]);
        assert!(RecoveryKey::parse(&SecretString::from("ABCD-EFGH")).is_err());
    }
}
