//! Password hashing: Argon2id, stored as a PHC string (algorithm, parameters, salt and
//! hash in one text), so the parameters can grow later without breaking older accounts.

use crate::domain::Problems;
use crate::store::StoreError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over the memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl PasswordParams {
    /// What every account gets: 128 MiB, 5 passes — about 0.43 s on the reference 2-core
    /// machine when it is quiet (docs/PERFORMANCE.md), so guessing is slow and signing in
    /// stays under a second. Kept in each PHC string: a change affects new passwords only.
    pub const STANDARD: PasswordParams = PasswordParams {
        m_kib: 128 * 1024,
        t: 5,
        p: 1,
    };

    /// Cheap parameters for tests and benchmarks of everything around the hash (never
    /// for real accounts: the window and the command line always use [`Self::STANDARD`]).
    pub const FAST_FOR_TESTS: PasswordParams = PasswordParams {
        m_kib: 256,
        t: 1,
        p: 1,
    };
}

impl Default for PasswordParams {
    fn default() -> Self {
        PasswordParams::STANDARD
    }
}

fn hasher(params: PasswordParams) -> Result<Argon2<'static>, StoreError> {
    let p = Params::new(params.m_kib, params.t, params.p, None)
        .map_err(|e| StoreError::Db(format!("parametri Argon2 non validi: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
}

/// Hashes a password with a fresh random salt; returns the PHC string.
pub fn hash_password(password: &str, params: PasswordParams) -> Result<String, StoreError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| StoreError::Db(format!("sale della password: {e}")))?;
    let hash = hasher(params)?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| {
            let mut p = Problems::default();
            p.add("password", format!("Password non utilizzabile: {e}"));
            StoreError::Invalid(p)
        })?;
    Ok(hash.to_string())
}

/// True when the password matches the PHC string (with the parameters stored in it). A
/// string that is not a valid hash matches nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a random password with the standard parameters, verified against when the
/// name typed is unknown (the same work, the same answer).
pub(super) fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        let pw: String = random.iter().map(|b| format!("{b:02x}")).collect();
        hash_password(&pw, PasswordParams::STANDARD).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash_password("tre gatti sul tetto", PasswordParams::FAST_FOR_TESTS).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{h}");
        assert!(verify_password("tre gatti sul tetto", &h));
        assert!(!verify_password("tre gatti sul tetti", &h));
        assert!(!verify_password("tre gatti sul tetto", "non un hash"));
        let again = hash_password("tre gatti sul tetto", PasswordParams::FAST_FOR_TESTS).unwrap();
        assert_ne!(h, again, "a fresh salt each time");
    }
}
