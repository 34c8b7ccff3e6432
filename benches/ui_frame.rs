//! One UI frame of the real App at city scale (200,000 people, 2,000,000 contacts): the
//! CPU work of a frame (`Context::run_ui` + tessellation) on the people table and on the
//! contacts table, and a search keystroke (the frame in which one more letter is typed).
//! DESIGN.md §7: ≤ 4 ms per frame, ≤ 10 ms per keystroke.

mod common;

use accoglienza::store::Store;
use accoglienza::ui::file_picker::ScriptedPicker;
use accoglienza::ui::{AccoglienzaApp, Route};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, Key, Modifiers, RawInput};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);

struct Rig {
    ctx: egui::Context,
    app: AccoglienzaApp,
    _dir: tempfile::TempDir,
}

impl Rig {
    fn input(&self, events: Vec<Event>) -> RawInput {
        RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
            events,
            ..Default::default()
        }
    }

    /// One frame: layout and tessellation, what the CPU does before the GPU draws.
    fn frame(&mut self, events: Vec<Event>) -> usize {
        let input = self.input(events);
        let app = &mut self.app;
        let out = self.ctx.run_ui(input, |ui| app.frame(ui));
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        prims.len()
    }

    /// Frames until `done`, for up to a minute (background loads).
    fn until(&mut self, what: &str, done: impl Fn(&AccoglienzaApp) -> bool) {
        let start = Instant::now();
        while !done(&self.app) {
            self.frame(vec![]);
            std::thread::sleep(Duration::from_millis(20));
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{what} did not finish"
            );
        }
    }
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of(&common::city_db(), &dir);
    let t = Instant::now();
    let store = Arc::new(Store::open(&path).unwrap());
    let app = AccoglienzaApp::new(store, Arc::new(ScriptedPicker::default()));
    let mut rig = Rig {
        ctx: egui::Context::default(),
        app,
        _dir: dir,
    };
    rig.frame(vec![]);
    eprintln!("first frame after {:?}", t.elapsed());
    let op = rig
        .app
        .env()
        .data
        .catalog
        .active_operators()
        .next()
        .unwrap()
        .id;
    // An account for that operator (every screen; a cheap hash: the frames are measured).
    let store = rig.app.env().store.clone();
    let roles = ["amministratore", "coordinatore"]
        .iter()
        .map(|c| store.access_role(c).unwrap().unwrap().id)
        .collect();
    let _ = store.create_account_unchecked(
        &accoglienza::access::NewAccount {
            username: "banco".into(),
            operator: Some(op),
            roles,
            must_change: false,
        },
        "tre gatti sul tetto di casa",
        accoglienza::access::PasswordParams::FAST_FOR_TESTS,
    );
    let session =
        accoglienza::access::sign_in(&store, "banco", "tre gatti sul tetto di casa").unwrap();
    rig.app.sign_in(session);
    rig.until("loading people", |a| !a.loading());
    eprintln!("signed in, people loaded after {:?}", t.elapsed());
    for _ in 0..3 {
        rig.frame(vec![]);
    }
    rig
}

fn frames(c: &mut Criterion) {
    let mut rig = rig();
    let mut g = c.benchmark_group("ui_frame_city");
    g.sample_size(40).measurement_time(Duration::from_secs(6));

    rig.app.goto(Route::People);
    for _ in 0..3 {
        rig.frame(vec![]);
    }
    eprintln!(
        "people shown: {:?}; one frame = {} clipped primitives",
        rig.app.shown(),
        rig.frame(vec![])
    );
    {
        use accoglienza::ui::data::Needle;
        let people = &rig.app.env().data.people;
        let t = Instant::now();
        let n = Needle::new("ross");
        let m = people.filter(&n, None).len();
        eprintln!(
            "filter 'ross' over {} people: {m} matches in {:?}",
            people.len(),
            t.elapsed()
        );
        let t = Instant::now();
        let m = people.suggest("bian", 8, false).len();
        eprintln!("suggest 'bian': {m} in {:?}", t.elapsed());
    }
    g.bench_function("people_table_200k", |b| {
        b.iter(|| black_box(rig.frame(vec![])))
    });

    // A keystroke in the people search: the frame that filters 200,000 names and lays out
    // the table. Measured as typing one letter and deleting it (two keystrokes).
    rig.app.goto(Route::Contacts);
    rig.frame(vec![]);
    rig.app.goto(Route::People); // entering the screen focuses its search box
    rig.frame(vec![]);
    rig.frame(vec![Event::Text("ros".into())]);
    rig.frame(vec![]);
    let backspace = Event::Key {
        key: Key::Backspace,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    g.bench_function("people_search_keystroke_pair_ross", |b| {
        b.iter(|| {
            black_box(rig.frame(vec![Event::Text("s".into())]));
            black_box(rig.frame(vec![backspace.clone()]))
        })
    });
    rig.frame(vec![
        backspace.clone(),
        backspace.clone(),
        backspace.clone(),
    ]);
    rig.frame(vec![]);
    g.bench_function("people_search_keystroke_pair_first_letter", |b| {
        b.iter(|| {
            black_box(rig.frame(vec![Event::Text("m".into())]));
            black_box(rig.frame(vec![backspace.clone()]))
        })
    });

    // The global search of the top bar (Ctrl+F): suggestions over 200,000 people.
    let ctrl_f = Event::Key {
        key: Key::F,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::CTRL,
    };
    rig.frame(vec![ctrl_f]);
    rig.frame(vec![]);
    rig.frame(vec![Event::Text("bia".into())]);
    g.bench_function("global_search_keystroke_pair_bian", |b| {
        b.iter(|| {
            black_box(rig.frame(vec![Event::Text("n".into())]));
            black_box(rig.frame(vec![backspace.clone()]))
        })
    });
    rig.frame(vec![
        backspace.clone(),
        backspace.clone(),
        backspace.clone(),
    ]);

    rig.app.goto(Route::Contacts);
    rig.frame(vec![]);
    rig.until("loading contacts", |a| !a.busy());
    for _ in 0..3 {
        rig.frame(vec![]);
    }
    eprintln!("contacts shown: {:?}", rig.app.shown());
    g.bench_function("contacts_table_year", |b| {
        b.iter(|| black_box(rig.frame(vec![])))
    });

    // A contact saved by the window (a durable save through `Env`, outside the timing), then
    // the frame that shows it: the list patches its rows, no reload.
    let loads = rig.app.list_loads();
    let before = rig.app.shown();
    let (op, line, desk, person) = {
        let env = rig.app.env();
        let cat = &env.data.catalog;
        let person = env.store.read().unwrap().search_people("rossi", 1).unwrap()[0].id;
        (env.operator, cat.lines[0].id, cat.desks[0].id, person)
    };
    let last_day = rig
        .app
        .env()
        .store
        .read()
        .unwrap()
        .date_span(accoglienza::domain::EntityKind::Contact)
        .unwrap()
        .unwrap()
        .1;
    let mut saved = 0u32;
    g.bench_function("contacts_frame_after_a_save", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                saved += 1;
                let c = accoglienza::domain::Contact {
                    id: accoglienza::domain::Id::NIL,
                    at: last_day.and_hms_opt(8, 0, 0).unwrap()
                        + chrono::Duration::seconds(saved as i64),
                    subject: accoglienza::domain::Subject::Person(person),
                    line,
                    desk,
                    operator: op,
                    kind: accoglienza::domain::ContactKind::Ascolto,
                    measure: None,
                    minutes: 10,
                    note: String::new(),
                    confidential: false,
                    archived: false,
                };
                rig.app.env_mut().insert(c).unwrap();
                let t = Instant::now();
                black_box(rig.frame(vec![]));
                total += t.elapsed();
            }
            total
        })
    });
    eprintln!(
        "after {saved} saves: shown {:?} (before {before:?}), full loads {:?} (before {loads:?})",
        rig.app.shown(),
        rig.app.list_loads()
    );
    assert_eq!(rig.app.list_loads(), loads, "a save reloaded the list");

    // A keystroke in the contacts search (by person or household name) over a year.
    // Entering the screen gave its search box the keyboard.
    rig.frame(vec![Event::Text("ros".into())]);
    rig.frame(vec![]);
    eprintln!("contacts matching 'ros': {:?}", rig.app.shown());
    g.bench_function("contacts_search_keystroke_pair_ross", |b| {
        b.iter(|| {
            black_box(rig.frame(vec![Event::Text("s".into())]));
            black_box(rig.frame(vec![backspace.clone()]))
        })
    });
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
