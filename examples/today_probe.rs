//! Where Oggi's build spends its time at city scale: each pass of `Agenda::build` timed on
//! its own, for the busiest operator and for the team (best of five, release build).
//!
//! `cargo run --release --example today_probe -- CITY.redb` (the file is copied to a
//! temporary directory first: opening it may write).

use accoglienza::access::{self, NewAccount, PasswordParams, Session};
use accoglienza::domain::access::role_codes;
use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::stats::today::{Agenda, Scope};
use accoglienza::store::today::Via;
use accoglienza::store::{OpenOptions, Reader, Store};
use chrono::NaiveDate;
use std::time::{Duration, Instant};

const PASSWORD: &str = "tre gatti sul tetto di casa";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 16).unwrap()
}

fn session(store: &Store, username: &str, role: &str, op: Option<Id>) -> Session {
    let role = store.access_role(role).unwrap().unwrap().id;
    let _ = store.create_account_unchecked(
        &NewAccount {
            username: username.into(),
            operator: op,
            roles: vec![role],
            must_change: false,
        },
        PASSWORD,
        PasswordParams::FAST_FOR_TESTS,
    );
    access::sign_in(store, username, PASSWORD).unwrap()
}

fn best(what: &str, mut f: impl FnMut() -> usize) {
    let mut min = Duration::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = f();
        min = min.min(t.elapsed());
    }
    println!("{what:<40} {:>9.2} ms  ({n})", min.as_secs_f64() * 1000.0);
}

fn passes(r: &Reader, op: Option<Id>) {
    let d = day();
    for via in [Via::Index, Via::Scan] {
        best(&format!("  projects running ({via:?})"), || {
            let mut n = 0;
            r.for_each_project_running(d, op, via, |_| n += 1).unwrap();
            n
        });
        best(&format!("  open cases ({via:?})"), || {
            let mut n = 0;
            r.for_each_open_case(d, op, via, |_| n += 1).unwrap();
            n
        });
        best(&format!("  referrals ({via:?})"), || {
            let mut n = 0;
            r.for_each_referral_of(d, op, via, |_| n += 1).unwrap();
            n
        });
    }
    let mut people = std::collections::HashSet::new();
    best("  contacts of 30 days", || {
        let mut n = 0;
        r.for_each_contact_between(d - chrono::Duration::days(30), d, op, |c: Contact| {
            n += 1;
            people.insert(c.subject.id());
        })
        .unwrap();
        n
    });
    let people: Vec<Id> = people.into_iter().collect();
    best("  privacy states, one by one", || {
        for p in &people {
            r.privacy_state(*p).unwrap();
        }
        people.len()
    });
    best("  without informativa (batch)", || {
        r.without_informativa(&people).unwrap().len()
    });
    best("  appointments", || {
        r.appointments_between(d, d).unwrap().len()
    });
    best("  pratiche", || {
        accoglienza::stats::pratiche::overdue_pratiche(r, d, 30)
            .unwrap()
            .len()
    });
}

fn main() {
    let src = std::env::args().nth(1).expect("path of the city database");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.redb");
    std::fs::copy(&src, &path).unwrap();
    let t = Instant::now();
    let store = Store::open_with(
        &path,
        OpenOptions {
            clock: Clock::at_day(day()),
            must_exist: true,
        },
    )
    .unwrap();
    println!("open {:.2} s", t.elapsed().as_secs_f64());
    let mut per = std::collections::HashMap::<Id, u32>::new();
    store
        .read()
        .unwrap()
        .for_each(|p: Project| {
            if let Some(o) = p.operator {
                *per.entry(o).or_default() += 1;
            }
        })
        .unwrap();
    let op = per.into_iter().max_by_key(|(_, n)| *n).unwrap().0;
    let operatore = session(&store, "oggi-op", role_codes::OPERATORE, Some(op));
    let coordinatore = session(&store, "oggi-coord", role_codes::COORDINATORE, Some(op));
    let settings = store.today_settings().unwrap();
    for (who, s, scope) in [
        ("operator", &operatore, Scope::Operator(op)),
        ("team", &coordinatore, Scope::Team),
    ] {
        let r = store.read_as(s).unwrap();
        println!("{who}");
        for via in [Via::Index, Via::Scan] {
            best(&format!("  Agenda::build_via({via:?})"), || {
                Agenda::build_via(&r, scope, day(), &settings, via)
                    .unwrap()
                    .items
                    .len()
            });
        }
        passes(
            &r,
            match scope {
                Scope::Operator(o) => Some(o),
                Scope::Team => None,
            },
        );
    }
}
