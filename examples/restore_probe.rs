//! Times the phases of a restore (`cargo run --release --example restore_probe -- LIVE.redb
//! BACKUP [SLOT PASSWORD_FILE]`: with a key slot and its password the live database is an
//! encrypted one, and so is the file rebuilt from the backup).
use accoglienza::domain::Id;
use accoglienza::store::backup;
use accoglienza::store::crypt::{SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store};
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let live = std::env::args().nth(1).expect("live database");
    let from = std::env::args().nth(2).expect("backup");
    let store = match (std::env::args().nth(3), std::env::args().nth(4)) {
        (Some(slot), Some(file)) => {
            let password = std::fs::read_to_string(file).unwrap().trim().to_string();
            let how = Unlock::Password {
                slot,
                password: SecretString::from(password),
            };
            Store::open_encrypted(&live, OpenOptions::default(), &how).unwrap()
        }
        _ => Store::open(&live).unwrap(),
    };
    let mut slot = Arc::new(store);
    let t = Instant::now();
    let mut last = String::new();
    let restored = backup::restore_to_new_file(
        &slot,
        std::path::Path::new(&from),
        None,
        Id::NIL,
        &mut |phase, _, _| {
            if phase != last {
                eprintln!("{:>7.2} s  {phase}", t.elapsed().as_secs_f64());
                last = phase.to_string();
            }
        },
    )
    .unwrap();
    eprintln!("{:>7.2} s  rebuilt", t.elapsed().as_secs_f64());
    let swapped = backup::swap_in(&mut slot, restored).unwrap();
    eprintln!("{:>7.2} s  swapped in", t.elapsed().as_secs_f64());
    std::fs::remove_file(swapped.safety_copy).unwrap();
}
