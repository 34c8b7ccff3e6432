//! Times redb's integrity check of a database (`cargo run --release --example check_probe --
//! DB [SLOT PASSWORD_FILE]`: with a key slot and its password the file is an encrypted one;
//! `CACHE_MB` sets the page cache of a plain one, 16 MiB by default).
use accoglienza::store::crypt::{self, SecretString, Unlock};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("database");
    let t = Instant::now();
    let mut db = match (std::env::args().nth(2), std::env::args().nth(3)) {
        (Some(slot), Some(file)) => {
            let password = std::fs::read_to_string(file).unwrap().trim().to_string();
            let how = Unlock::Password {
                slot,
                password: SecretString::from(password),
            };
            crypt::open_raw(std::path::Path::new(&path), &how).unwrap()
        }
        _ => redb::Builder::new()
            .set_cache_size(
                std::env::var("CACHE_MB")
                    .map(|v| v.parse::<usize>().unwrap())
                    .unwrap_or(16)
                    << 20,
            )
            .open(&path)
            .unwrap(),
    };
    eprintln!("open {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let clean = db.check_integrity().unwrap();
    eprintln!(
        "check_integrity {:.2} s (clean: {clean})",
        t.elapsed().as_secs_f64()
    );
}
