//! The merge screens through the real App (egui_kittest, accessibility check on):
//! Impostazioni → Unisci i dati di un altro sportello (preview, the conflict screen with a
//! choice per field, the merge), and Possibili doppioni → the person-merge screen.

mod support;

use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::store::backup::BackupOptions;
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::sync::Arc;
use support::{click_scrolled, has_text, sign_in_operator, wait_for};

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_, _, _| {}
}

fn small(path: &Path) -> (Store, Id, Id) {
    let store = Store::open(path).unwrap();
    let r = store.read().unwrap();
    let role = r.all::<Role>().unwrap()[0].id;
    drop(r);
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Sala".into(),
                name: "Chiara".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let p = store
        .insert(
            op,
            Person {
                surname: "Galli".into(),
                name: "Marta".into(),
                ..Default::default()
            },
        )
        .unwrap();
    (store, op, p)
}

fn app(store: Store, picker: Arc<ScriptedPicker>, op: Id) -> Harness<'static, AccoglienzaApp> {
    let store = Arc::new(store);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(store, picker));
    sign_in_operator(&mut h, op);
    h.run();
    h.state_mut().goto(accoglienza::ui::Route::Settings);
    h.run();
    h
}

fn note(store: &Store, id: Id, text: &str) {
    let mut p: Person = store.read().unwrap().require(id).unwrap();
    p.note = text.into();
    store.update(Id::NIL, p).unwrap();
}

#[test]
fn the_conflict_screen_takes_a_choice_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let (here, op, person) = small(&dir.path().join("sede.redb"));
    let common = dir.path().join("comune.accbak");
    here.backup_to(&common, &BackupOptions::default(), &mut quiet())
        .unwrap();
    // The other desk: a copy of the same data, then its own change of the same note.
    let other_path = dir.path().join("ornato.redb");
    let other = Store::open(&other_path).unwrap();
    let restored = accoglienza::store::backup::restore_to_new_file(
        &other,
        &common,
        None,
        Id::NIL,
        &mut quiet(),
    )
    .unwrap();
    let mut slot = Arc::new(other);
    accoglienza::store::backup::swap_in(&mut slot, restored).unwrap();
    note(&slot, person, "nota dell'Ornato");
    let mut q: Person = slot.read().unwrap().require(person).unwrap();
    q.phone = "02 7654321".into();
    slot.update(Id::NIL, q).unwrap();
    let theirs = dir.path().join("ornato.accbak");
    slot.backup_to(&theirs, &BackupOptions::default(), &mut quiet())
        .unwrap();
    drop(slot);
    note(&here, person, "nota della sede");

    let picker = Arc::new(ScriptedPicker::new([Some(theirs.clone())]));
    let mut h = app(here, picker, op);
    click_scrolled(&mut h, "Unisci i dati di un altro sportello…");
    wait_for(&mut h, "Anteprima dell'unione");
    assert!(has_text(&h, "Restano") || has_text(&h, "Resta 1 conflitto"));
    h.get_by_label("Questo sportello");
    h.get_by_label("Altro sportello");
    h.get_by_label("nota della sede");
    h.get_by_label("nota dell'Ornato");
    // Nothing is written before the operator decides.
    let store = h.state().env().store.clone();
    assert_eq!(
        store
            .read()
            .unwrap()
            .require::<Person>(person)
            .unwrap()
            .note,
        "nota della sede"
    );
    click_scrolled(&mut h, "Note: Prendi l'altro");
    click_scrolled(&mut h, "Unisci ora");
    wait_for(&mut h, "Unione completata");
    let p: Person = store.read().unwrap().require(person).unwrap();
    assert_eq!(p.note, "nota dell'Ornato");
    // The other desk's change of a field not changed here is taken without asking.
    assert_eq!(p.phone, "02 7654321");
}

#[test]
fn the_person_merge_screen_merges_with_a_choice_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let (store, op, first) = small(&dir.path().join("db.redb"));
    let second = store
        .insert(
            op,
            Person {
                surname: "Galli".into(),
                name: "Marta".into(),
                phone: "02 5551234".into(),
                email: "marta@example.org".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let mut f: Person = store.read().unwrap().require(first).unwrap();
    f.email = "galli@example.org".into();
    store.update(op, f).unwrap();
    let picker = Arc::new(ScriptedPicker::new([]));
    let mut h = app(store, picker, op);
    click_scrolled(&mut h, "Cerca possibili doppioni");
    wait_for(&mut h, "stesso cognome e nome");
    click_scrolled(&mut h, "Unisci…");
    wait_for(&mut h, "Unisci due persone");
    // The phone only the second has is taken by default; the email is chosen here.
    click_scrolled(&mut h, "Email: marta@example.org");
    click_scrolled(&mut h, "Unisci le due persone");
    let store = h.state().env().store.clone();
    let r = store.read().unwrap();
    let (keep, gone) = if first < second {
        (first, second)
    } else {
        (second, first)
    };
    assert!(r.get::<Person>(gone).unwrap().is_none());
    let kept: Person = r.require(keep).unwrap();
    assert_eq!(kept.email, "marta@example.org");
    assert_eq!(kept.phone, "02 5551234");
    drop(r);
    wait_for(&mut h, "Annulla l'unione di Galli Marta");
    click_scrolled(&mut h, "Annulla l'unione di Galli Marta");
    assert!(store.read().unwrap().get::<Person>(gone).unwrap().is_some());
}
