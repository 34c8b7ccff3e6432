//! Oggi at city scale (60 operators, 30,000 projects, 20,000 cases, 2,000,000 contacts):
//! building the agenda through a session's `Reader` — for one operator and for the whole
//! team — and one UI frame of the real App on Oggi (CPU: layout + tessellation).
//! Targets (docs/PERFORMANCE.md): the build ≤ 50 ms, a frame ≤ 4 ms.
//!
//! The city's data ends in 2025, so "today" is fixed on 16/06/2025 (the store's clock):
//! messe alla prova and tirocini are running and contacts are recent, as on a working day.

mod common;

use accoglienza::access::{self, NewAccount, PasswordParams, Session};
use accoglienza::domain::access::role_codes;
use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::stats::today::{Agenda, Scope};
use accoglienza::store::{OpenOptions, Store};
use accoglienza::ui::file_picker::ScriptedPicker;
use accoglienza::ui::{AccoglienzaApp, Route};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use egui::RawInput;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);
const PASSWORD: &str = "tre gatti sul tetto di casa";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 16).unwrap()
}

/// An account with one default role for `op`, signed in.
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

/// The operator with the most projects (the busiest agenda).
fn busiest(store: &Store) -> Id {
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
    per.into_iter().max_by_key(|(_, n)| *n).unwrap().0
}

struct Rig {
    ctx: egui::Context,
    app: AccoglienzaApp,
}

impl Rig {
    fn frame(&mut self) -> usize {
        let input = RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
            ..Default::default()
        };
        let app = &mut self.app;
        let out = self.ctx.run_ui(input, |ui| app.frame(ui));
        self.ctx.tessellate(out.shapes, out.pixels_per_point).len()
    }

    fn until(&mut self, what: &str, done: impl Fn(&AccoglienzaApp) -> bool) {
        let start = Instant::now();
        while !done(&self.app) {
            self.frame();
            std::thread::sleep(Duration::from_millis(20));
            assert!(
                start.elapsed() < Duration::from_secs(180),
                "{what} did not finish"
            );
        }
    }
}

fn today(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of(&common::city_db(), &dir);
    let store = Arc::new(
        Store::open_with(
            &path,
            OpenOptions {
                clock: Clock::at_day(day()),
                must_exist: true,
            },
        )
        .unwrap(),
    );
    let op = busiest(&store);
    let operatore = session(&store, "oggi-op", role_codes::OPERATORE, Some(op));
    let coordinatore = session(&store, "oggi-coord", role_codes::COORDINATORE, Some(op));
    let settings = store.today_settings().unwrap();
    for (who, s, scope) in [
        ("operator", &operatore, Scope::Operator(op)),
        ("team", &coordinatore, Scope::Team),
    ] {
        let a = Agenda::build(&store.read_as(s).unwrap(), scope, day(), &settings).unwrap();
        eprintln!(
            "{who}: {} items ({} due), {} appointments",
            a.items.len(),
            a.due_count(None),
            a.appointments.len()
        );
    }

    let mut g = c.benchmark_group("today_city");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("build_operator", |b| {
        b.iter(|| {
            let r = store.read_as(&operatore).unwrap();
            black_box(Agenda::build(&r, Scope::Operator(op), day(), &settings).unwrap())
        })
    });
    g.bench_function("build_team", |b| {
        b.iter(|| {
            let r = store.read_as(&coordinatore).unwrap();
            black_box(Agenda::build(&r, Scope::Team, day(), &settings).unwrap())
        })
    });

    // One frame of the real App on Oggi, once the agenda is built (in its background job).
    for (who, s) in [("operator", &operatore), ("team", &coordinatore)] {
        let mut rig = Rig {
            ctx: egui::Context::default(),
            app: AccoglienzaApp::new(store.clone(), Arc::new(ScriptedPicker::default())),
        };
        rig.frame();
        rig.app.sign_in(s.clone());
        rig.until("loading people", |a| !a.loading());
        rig.app.goto(Route::Today);
        rig.frame();
        rig.until("building Oggi", |a| !a.busy());
        for _ in 0..3 {
            rig.frame();
        }
        assert_eq!(rig.app.route(), Route::Today);
        g.bench_function(format!("frame_oggi_{who}"), |b| {
            b.iter(|| black_box(rig.frame()))
        });
    }
    g.finish();
}

criterion_group!(benches, today);
criterion_main!(benches);
