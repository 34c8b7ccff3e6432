//! Times the Argon2id password hash with the standard parameters (what a sign-in verifies
//! once), and with lighter ones, so docs/PERFORMANCE.md can give wall and CPU time apart on
//! a loaded machine. `cargo run --release --example argon2_probe` (or the dev profile:
//! argon2 and blake2 are optimised there too).

use accoglienza::access::{PasswordParams, hash_password, verify_password};
use std::time::Instant;

fn main() {
    for (label, params) in [
        ("standard", PasswordParams::STANDARD),
        (
            "64 MiB, t=3",
            PasswordParams {
                m_kib: 64 * 1024,
                t: 3,
                p: 1,
            },
        ),
        (
            "64 MiB, t=4",
            PasswordParams {
                m_kib: 64 * 1024,
                t: 4,
                p: 1,
            },
        ),
        (
            "128 MiB, t=5",
            PasswordParams {
                m_kib: 128 * 1024,
                t: 5,
                p: 1,
            },
        ),
        (
            "256 MiB, t=3",
            PasswordParams {
                m_kib: 256 * 1024,
                t: 3,
                p: 1,
            },
        ),
        (
            "46 MiB, t=1 (OWASP minimum)",
            PasswordParams {
                m_kib: 46 * 1024,
                t: 1,
                p: 1,
            },
        ),
    ] {
        let hash = hash_password("tre gatti sul tetto di casa", params).unwrap();
        let mut times = vec![];
        for _ in 0..5 {
            let t = Instant::now();
            assert!(verify_password("tre gatti sul tetto di casa", &hash));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{label} ({} MiB, t={}): verify min {:.0} ms, median {:.0} ms, max {:.0} ms",
            params.m_kib / 1024,
            params.t,
            times[0],
            times[2],
            times[4]
        );
    }
}
