//! Shared bench data: the city-scale database, generated once and cached under
//! `target/bench-data/` (about two minutes and 740 MB the first time).

#![allow(dead_code)]

pub mod sqlite_save;

use accoglienza::demo::{self, Scale};
use accoglienza::store::Store;
use std::path::PathBuf;

/// Bump when the city generator or the database schema changes, so benches regenerate
/// their data (2: schema 2).
const CITY_VERSION: u32 = 2;

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    dir
}

/// The cached city-scale database (read-only use: copy it before writing).
pub fn city_db() -> PathBuf {
    let path = data_dir().join(format!("city-v{CITY_VERSION}.redb"));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        eprintln!(
            "generating the city-scale database at {} (once)…",
            path.display()
        );
        let mut store = Store::open(&tmp).expect("open");
        demo::generate(&store, Scale::City, 1, &mut |phase, done, total| {
            if done % 200_000 == 0 {
                eprintln!("  {phase}: {done}/{total}");
            }
        })
        .expect("city demo");
        store.compact().expect("compact");
        drop(store);
        std::fs::rename(&tmp, &path).expect("rename");
    }
    path
}

/// The cooperative-scale database, cached the same way.
pub fn cooperative_db() -> PathBuf {
    let path = data_dir().join(format!("cooperative-v{CITY_VERSION}.redb"));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let store = Store::open(&tmp).expect("open");
        demo::generate(&store, Scale::Cooperative, 2022, &mut |_, _, _| {}).expect("demo");
        drop(store);
        std::fs::rename(&tmp, &path).expect("rename");
    }
    path
}

/// A private copy of a cached database, for benches that write.
pub fn copy_of(src: &std::path::Path, dir: &tempfile::TempDir) -> PathBuf {
    let dst = dir.path().join(src.file_name().expect("name"));
    std::fs::copy(src, &dst).expect("copy");
    dst
}

/// The password of the `admin` key slot of the encrypted twins.
pub const TWIN_PASSWORD: &str = "password del banco di prova";

/// How the encrypted twins are unlocked.
pub fn twin_unlock() -> accoglienza::store::crypt::Unlock {
    accoglienza::store::crypt::Unlock::Password {
        slot: "admin".into(),
        password: accoglienza::store::crypt::SecretString::from(TWIN_PASSWORD.to_string()),
    }
}

/// The encrypted twin of a cached plain database (converted once, cached beside it).
pub fn encrypted_twin(plain: &std::path::Path) -> PathBuf {
    let path = plain.with_extension("cifrato.redb");
    if !path.exists() {
        let tmp = plain.with_extension("cifrato-partial.redb");
        let _ = std::fs::remove_file(&tmp);
        std::fs::copy(plain, &tmp).unwrap();
        let (store, _) = Store::encrypt_existing(
            &tmp,
            accoglienza::store::OpenOptions::default(),
            "admin",
            &accoglienza::store::crypt::SecretString::from(TWIN_PASSWORD.to_string()),
        )
        .unwrap();
        drop(store);
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// Opens a cached database, or its encrypted twin with [`twin_unlock`].
pub fn open_db(path: &std::path::Path, encrypted: bool) -> Store {
    if encrypted {
        Store::open_encrypted(
            path,
            accoglienza::store::OpenOptions::default(),
            &twin_unlock(),
        )
        .unwrap()
    } else {
        Store::open(path).unwrap()
    }
}
