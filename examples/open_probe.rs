//! Times opening a database, plain and encrypted, phase by phase (docs/PERFORMANCE.md,
//! issue 8): `cargo run --release --example open_probe -- PLAIN.redb ENCRYPTED.redb SLOT
//! PASSWORD_FILE`. The key derivation is timed on its own (`crypt::slot_opens`), so the
//! encrypted open can be compared with the plain one without it.
//!
//! `… -- saves DB.redb N [ENCRYPTED.redb SLOT PASSWORD_FILE]`: N durable saves of one
//! contact into a copy of DB (or of the encrypted one), to count the writes a commit makes
//! (run it under `strace -c -e trace=pwrite64,fdatasync`).
use accoglienza::store::crypt::{self, SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store};
use std::path::PathBuf;
use std::time::Instant;

#[path = "../benches/common/sqlite_save.rs"]
#[allow(dead_code)]
mod sqlite_save;

fn saves(args: &[String]) {
    let n: usize = args[0].parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, what) = if args.len() == 4 {
        let path = dir.path().join("e.redb");
        std::fs::copy(&args[1], &path).unwrap();
        let password = std::fs::read_to_string(&args[3])
            .unwrap()
            .trim()
            .to_string();
        let how = Unlock::Password {
            slot: args[2].clone(),
            password: SecretString::from(password),
        };
        (
            Store::open_encrypted(&path, OpenOptions::default(), &how).unwrap(),
            "encrypted",
        )
    } else {
        let path = dir.path().join("p.redb");
        std::fs::copy(&args[1], &path).unwrap();
        (Store::open(&path).unwrap(), "plain")
    };
    let (op, line, desk, people) = sqlite_save::targets(&store);
    let t = Instant::now();
    for i in 0..n {
        let c = sqlite_save::contact(&people, line, desk, op, i as u64);
        let mut w = store.write(op).unwrap();
        w.insert(c).unwrap();
        w.commit().unwrap();
    }
    println!(
        "{what}: {n} durable saves, {:.3} ms each",
        t.elapsed().as_secs_f64() * 1e3 / n as f64
    );
}

/// `interleaved N PLAIN.redb ENCRYPTED.redb SLOT PASSWORD_FILE`: one durable save in a copy
/// of each, one after the other, N times (both see the same disk and load): medians and 90th
/// percentiles, and their ratio.
fn interleaved(args: &[String]) {
    let n: usize = args[0].parse().unwrap();
    let dir = tempfile::tempdir_in(std::path::Path::new(&args[1]).parent().unwrap()).unwrap();
    let (p, e) = (dir.path().join("p.redb"), dir.path().join("e.redb"));
    std::fs::copy(&args[1], &p).unwrap();
    std::fs::copy(&args[2], &e).unwrap();
    let password = std::fs::read_to_string(&args[4])
        .unwrap()
        .trim()
        .to_string();
    let how = Unlock::Password {
        slot: args[3].clone(),
        password: SecretString::from(password),
    };
    let plain = Store::open(&p).unwrap();
    let enc = Store::open_encrypted(&e, OpenOptions::default(), &how).unwrap();
    let (op, line, desk, people) = sqlite_save::targets(&plain);
    let (op2, line2, desk2, people2) = sqlite_save::targets(&enc);
    let (mut tp, mut te) = (Vec::new(), Vec::new());
    for i in 0..n + 50 {
        for (store, times, op, line, desk, people) in [
            (&plain, &mut tp, op, line, desk, &people),
            (&enc, &mut te, op2, line2, desk2, &people2),
        ] {
            let c = sqlite_save::contact(people, line, desk, op, i as u64);
            let t = Instant::now();
            let mut w = store.write(op).unwrap();
            w.insert(c).unwrap();
            w.commit().unwrap();
            if i >= 50 {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    let q = |v: &mut Vec<f64>, f: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * f) as usize]
    };
    let (pm, em) = (q(&mut tp, 0.5), q(&mut te, 0.5));
    let (p9, e9) = (q(&mut tp, 0.9), q(&mut te, 0.9));
    println!(
        "interleaved, {n} saves each: plain median {pm:.3} ms (p90 {p9:.3}), encrypted median {em:.3} ms (p90 {e9:.3}); ratio {:.2} × (p90 {:.2} ×)",
        em / pm,
        e9 / p9
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("saves") {
        return saves(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("interleaved") {
        return interleaved(&args[1..]);
    }
    let [plain, enc, slot, pwfile] = &args[..] else {
        eprintln!("uso: open_probe PLAIN.redb ENCRYPTED.redb SLOT PASSWORD_FILE");
        std::process::exit(2);
    };
    let (plain, enc) = (PathBuf::from(plain), PathBuf::from(enc));
    let password = std::fs::read_to_string(pwfile).unwrap().trim().to_string();
    let how = Unlock::Password {
        slot: slot.clone(),
        password: SecretString::from(password.clone()),
    };
    for round in 0..5 {
        let t = Instant::now();
        let s = Store::open(&plain).unwrap();
        let open_plain = t.elapsed();
        let t = Instant::now();
        let counts = s
            .read()
            .unwrap()
            .count::<accoglienza::domain::Contact>()
            .unwrap();
        let read_plain = t.elapsed();
        drop(s);
        let t = Instant::now();
        assert!(crypt::slot_opens(
            &enc,
            slot,
            &SecretString::from(password.clone())
        ));
        let kdf = t.elapsed();
        let t = Instant::now();
        let s = Store::open_encrypted(&enc, OpenOptions::default(), &how).unwrap();
        let open_enc = t.elapsed();
        let t = Instant::now();
        let counts2 = s
            .read()
            .unwrap()
            .count::<accoglienza::domain::Contact>()
            .unwrap();
        let read_enc = t.elapsed();
        drop(s);
        assert_eq!(counts, counts2);
        println!(
            "round {round}: plain open {:.2} ms + read {:.2} ms; key derivation {:.1} ms; encrypted open (with derivation) {:.1} ms → without ≈ {:.2} ms + read {:.2} ms",
            open_plain.as_secs_f64() * 1e3,
            read_plain.as_secs_f64() * 1e3,
            kdf.as_secs_f64() * 1e3,
            open_enc.as_secs_f64() * 1e3,
            (open_enc.as_secs_f64() - kdf.as_secs_f64()) * 1e3,
            read_enc.as_secs_f64() * 1e3,
        );
    }
}
