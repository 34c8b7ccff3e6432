//! The import wizard through the real App (egui_kittest): Impostazioni → "Importa da foglio
//! di calcolo", the file from the dialog, the columns guessed, a fixed value chosen, the
//! preview with a refused row and its reason, the accept, and the undo of the batch.

mod support;

use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use support::*;

#[test]
fn the_wizard_from_the_file_to_the_accept_and_the_undo() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("accessi.csv");
    // Italian Excel's CSV: `;`, header on row 2 under a title, a date that does not exist.
    std::fs::write(
        &csv,
        "Accessi sportello;;;;\n\
         Cognome;Nome;Data accesso;Sportello;Tipo\n\
         Importati;Primo;12/03/2022;Ornato;Informazione\n\
         Importati;Secondo;13-03-22;Rizzoli;Ascolto\n\
         Importati;Terzo;31/02/2022;Ornato;Ascolto\n",
    )
    .unwrap();
    let refused_csv = dir.path().join("rifiutate.csv");
    let path = dir.path().join("db.redb");
    let store = Arc::new(Store::open(&path).unwrap());
    let role = store.read().unwrap().active::<Role>().unwrap()[0].id;
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Bianchi".into(),
                name: "Anna".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let picker = Arc::new(ScriptedPicker::new([
        Some(csv.clone()),
        Some(refused_csv.clone()),
    ]));
    let p = picker.clone();
    let s = store.clone();
    let mut h: Harness<'static, AccoglienzaApp> = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(s, p));
    sign_in_operator(&mut h, op);
    h.run();
    h.state_mut().goto(accoglienza::ui::Route::Settings);
    h.run();

    click_scrolled(&mut h, "Scegli il file da importare…");
    wait_for(&mut h, "CSV separato da punto e virgola");
    // The header row is guessed (2), the columns too; the line is chosen for every row.
    assert_eq!(
        field_value(&h, "Riga delle intestazioni").as_deref(),
        Some("2")
    );
    h.get_by_label("Colonna «Data accesso»");
    let line = h.get_by_label("Linea di servizio per tutte le righe");
    line.scroll_to_me();
    h.run();
    h.get_by_label("Linea di servizio per tutte le righe")
        .click();
    h.run();
    h.get_by_label_contains("Sportelli WeMi").click();
    h.run();
    click_scrolled(&mut h, "Anteprima");
    wait_for(&mut h, "Anteprima: non è stato ancora scritto nulla");
    // The refused row, with its number, column and reason.
    assert!(has_text(&h, "Riga 5"));
    assert!(has_text(&h, "rifiutata (Data accesso)"), "no reason shown");
    assert!(has_text(&h, "questo giorno non esiste"));
    assert_eq!(store.read().unwrap().count::<Contact>().unwrap(), 0);
    // The refused rows saved as CSV to fix later.
    click_scrolled(&mut h, "Salva le righe rifiutate…");
    wait_for(&mut h, "Righe rifiutate salvate");
    let saved = std::fs::read_to_string(&refused_csv).unwrap();
    assert!(saved.contains("5;Data accesso;"), "{saved}");
    // Accept: the good rows come in, the refused one is skipped.
    click_scrolled(&mut h, "Importa 2 righe e salta le 1 rifiutate");
    wait_for(&mut h, "Importazione completata");
    let r = store.read().unwrap();
    assert_eq!(r.count::<Contact>().unwrap(), 2);
    assert_eq!(r.count::<Person>().unwrap(), 2);
    let counts = accoglienza::stats::annual_counts(&r).unwrap();
    assert_eq!(counts.count(counts.line("wemi").unwrap(), 2022), 2);
    drop(r);
    // The window's lists know the new people.
    assert!(
        h.state()
            .env()
            .data
            .people
            .rows()
            .iter()
            .any(|p| p.full_name().contains("Importati"))
    );
    // Undo the batch: confirmed, the counts drop back.
    click_scrolled(&mut h, "Annulla importazione");
    click(&mut h, "Annulla l'importazione");
    wait_for(&mut h, "Importazione annullata");
    let r = store.read().unwrap();
    assert!(r.all::<Contact>().unwrap().iter().all(|c| c.archived));
    let counts = accoglienza::stats::annual_counts(&r).unwrap();
    assert_eq!(counts.count(counts.line("wemi").unwrap(), 2022), 0);
    assert!(has_text(&h, "annullata"));
}
