//! Pratiche (issue 15) through the store and the command line: validation of bandi and
//! pratiche, the lists by state, bando, desk, operator and year, the pratiche at risk, the
//! figures per bando and year (and the report's section), the backup's format and round
//! trip, erasure, and `export --table pratiche`.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::pratica::fmt_euro;
use accoglienza::domain::*;
use accoglienza::stats::pratiche::{self, PraticaFilter};
use accoglienza::store::StoreError;
use std::process::{Command, Stdio};
use std::sync::Arc;
use world::*;

/// A world with two kinds of document and a Misura B2 bando that closes on 30 June 2025.
struct Bandi {
    w: World,
    b2: Id,
    isee: Id,
    id_doc: Id,
}

fn bandi(path: &std::path::Path) -> Bandi {
    let w = world(path);
    let measure = w.store.read().unwrap().all::<Measure>().unwrap()[0].id;
    let kind = |code: &str, name: &str| {
        w.store
            .insert(
                w.op,
                DocumentKind {
                    id: Id::NIL,
                    code: code.into(),
                    name: name.into(),
                    archived: false,
                },
            )
            .unwrap()
    };
    let isee = kind("isee", "Attestazione ISEE");
    let id_doc = kind("id", "Documento d'identità");
    let b2 = w
        .store
        .insert(
            w.op,
            Bando {
                id: Id::NIL,
                code: "b2-2025".into(),
                name: "Misura B2 2025".into(),
                measure,
                body: "Comune di Milano".into(),
                year: 2025,
                edition: String::new(),
                opens: Some(d(2025, 3, 1)),
                closes: Some(d(2025, 6, 30)),
                requirements: "ISEE sociosanitario fino a 25.000 €".into(),
                documents: vec![
                    RequiredDocument {
                        kind: isee,
                        expires: true,
                    },
                    RequiredDocument {
                        kind: id_doc,
                        expires: true,
                    },
                ],
                archived: false,
            },
        )
        .unwrap();
    Bandi {
        w,
        b2,
        isee,
        id_doc,
    }
}

impl Bandi {
    fn pratica(&self, person: Id, on: chrono::NaiveDate) -> Pratica {
        let mut p = Pratica::new(Subject::Person(person), self.b2, self.w.desk, self.w.op, on);
        p.checklist = [self.isee, self.id_doc]
            .into_iter()
            .map(|document| ChecklistItem {
                document,
                state: DocumentState::Mancante,
            })
            .collect();
        p
    }

    /// A pratica moved along `path` one day apart from `on`; accolta gets `amount`.
    fn through(&self, person: Id, on: chrono::NaiveDate, path: &[PraticaState], amount: i64) -> Id {
        let mut p = self.pratica(person, on);
        for (i, s) in path.iter().enumerate() {
            p.advance(*s, on + chrono::Duration::days(i as i64 + 1))
                .unwrap();
        }
        if p.state == PraticaState::Accolta {
            p.amount_cents = Some(amount);
        }
        self.w.store.insert(self.w.op, p).unwrap()
    }
}

use PraticaState::*;

#[test]
fn bad_pratiche_and_bandi_are_refused_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let b = bandi(&dir.path().join("a.redb"));
    let p = b.w.person("Rossi", None);
    let refused = |r: Result<Id, StoreError>| match r {
        Err(StoreError::Invalid(problems)) => format!("{problems:?}"),
        other => panic!("accepted: {other:?}"),
    };
    // Accolta without an amount.
    let mut x = b.pratica(p, d(2025, 4, 1));
    for s in [InPreparazione, Inviata, Accolta] {
        x.advance(s, d(2025, 4, 2)).unwrap();
    }
    assert!(refused(b.w.store.insert(b.w.op, x.clone())).contains("importo"));
    // A jump the path does not allow, written by hand into the record.
    let mut y = b.pratica(p, d(2025, 4, 1));
    y.history.push(StateChange {
        state: Accolta,
        on: d(2025, 4, 2),
    });
    y.state = Accolta;
    y.amount_cents = Some(10_000);
    assert!(refused(b.w.store.insert(b.w.op, y)).contains("non può diventare «Accolta»"));
    // A change after today.
    let mut z = b.pratica(p, d(2025, 6, 1));
    z.advance(InPreparazione, d(2025, 7, 1)).unwrap();
    assert!(refused(b.w.store.insert(b.w.op, z)).contains("futuro"));
    // A bando that does not exist.
    let mut ghost = b.pratica(p, d(2025, 4, 1));
    ghost.bando = Id::new();
    assert!(b.w.store.insert(b.w.op, ghost).is_err());
    // A bando closing before it opens.
    let mut bando: Bando = b.w.store.read().unwrap().get(b.b2).unwrap().unwrap();
    bando.closes = Some(d(2025, 1, 1));
    assert!(refused(b.w.store.update(b.w.op, bando).map(|_| Id::NIL)).contains("chiusura"));
    // And the good one goes in.
    x.amount_cents = Some(120_000);
    b.w.store.insert(b.w.op, x).unwrap();
}

#[test]
fn lists_overdue_and_figures_per_bando_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let b = bandi(&dir.path().join("a.redb"));
    let (p1, p2, p3, p4) = (
        b.w.person("Uno", None),
        b.w.person("Due", None),
        b.w.person("Tre", None),
        b.w.person("Quattro", None),
    );
    b.through(p1, d(2024, 12, 20), &[InPreparazione, Inviata], 0);
    // Opened in 2024, sent and accepted in 2025.
    b.through(
        p2,
        d(2024, 12, 30),
        &[InPreparazione, Inviata, Accolta],
        35_000,
    );
    b.through(p3, d(2025, 3, 2), &[InPreparazione, Inviata, Respinta], 0);
    b.through(p4, d(2025, 6, 1), &[InPreparazione], 0);
    let r = b.w.store.read().unwrap();
    let by = |f: PraticaFilter| pratiche::list(&r, &f).unwrap().len();
    assert_eq!(by(PraticaFilter::default()), 4);
    assert_eq!(
        by(PraticaFilter {
            state: Some(Inviata),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        by(PraticaFilter {
            year: Some(2025),
            bando: Some(b.b2),
            desk: Some(b.w.desk),
            operator: Some(b.w.op),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        by(PraticaFilter {
            operator: Some(Id::new()),
            ..Default::default()
        }),
        0
    );
    // Today is 16 June 2025; the bando closes on 30 June: 14 days left.
    let today = d(2025, 6, 16);
    let risk = pratiche::overdue_pratiche(&r, today, 20).unwrap();
    assert_eq!(risk.len(), 1, "only the one in preparazione: {risk:?}");
    assert_eq!(risk[0].pratica.subject, Subject::Person(p4));
    assert_eq!((risk[0].days_left, risk[0].missing), (14, 2));
    assert!(
        pratiche::overdue_pratiche(&r, today, 10)
            .unwrap()
            .is_empty()
    );
    let rows = pratiche::figures_by_bando(&r, None).unwrap();
    let year = |y: i32| rows.iter().find(|x| x.year == y).unwrap().figures;
    let f24 = year(2024);
    assert_eq!((f24.opened, f24.sent, f24.accepted), (2, 1, 0));
    let f25 = year(2025);
    assert_eq!(
        (f25.opened, f25.sent, f25.accepted, f25.refused),
        (2, 2, 1, 1)
    );
    assert_eq!(f25.granted_cents, 35_000);
    // The annual report has the section with the amount.
    let rep = accoglienza::stats::report::build(&r, 2025).unwrap();
    let md = accoglienza::stats::report::markdown(&rep);
    assert!(md.contains("## Pratiche per bando — 2025"), "{md}");
    assert!(
        md.contains(&format!(
            "| Misura B2 2025 | 2 | 2 | 1 | 1 | {} |",
            fmt_euro(35_000)
        )),
        "{md}"
    );
    assert!(accoglienza::stats::report::html(&rep, None).contains("350,00 €"));
}

#[test]
fn backups_carry_them_in_format_5_and_an_erasure_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let w = world(&path);
    let format = |p: &std::path::Path| std::fs::read(p).unwrap()[8..10].to_vec();
    // No bandi, no pratiche: format 1.
    let plain = dir.path().join("plain.accbak");
    backup(&w.store, &plain);
    assert_eq!(format(&plain), 1u16.to_le_bytes());
    drop(w);
    let b = bandi(&path);
    let keep = b.w.person("Resta", None);
    let gone = b.w.person("Cancellata", None);
    let kept = b.through(
        keep,
        d(2025, 3, 2),
        &[InPreparazione, Inviata, Accolta],
        99_950,
    );
    b.through(gone, d(2025, 3, 5), &[InPreparazione], 0);
    let full = dir.path().join("full.accbak");
    backup(&b.w.store, &full);
    assert_eq!(format(&full), 5u16.to_le_bytes());
    let before = counts(&b.w.store);
    let mut slot = Arc::new(b.w.store);
    // Erasing a person removes their pratica, and nothing else.
    Arc::get_mut(&mut slot)
        .unwrap()
        .erase_person(Id::NIL, gone, "Richiesta dell'interessata")
        .unwrap();
    let left: Vec<Pratica> = slot.read().unwrap().all().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, kept);
    // The backup brings the pratica back, bando and history whole; the erased person's
    // stays erased (the registro cancellazioni is applied again after a restore).
    restore(&mut slot, &full);
    let r = slot.read().unwrap();
    let all: Vec<Pratica> = r.all().unwrap();
    assert_eq!(all.len(), 1);
    let k = all.iter().find(|p| p.id == kept).unwrap();
    assert_eq!(k.amount_cents, Some(99_950));
    assert_eq!(k.history.len(), 4);
    assert_eq!(r.all::<Bando>().unwrap()[0].documents.len(), 2);
    assert_eq!(r.all::<DocumentKind>().unwrap().len(), 2);
    drop(r);
    assert_eq!(counts(&slot), before, "the annual counts do not change");
    assert!(Arc::get_mut(&mut slot).unwrap().check().unwrap().ok());
}

#[test]
fn export_table_pratiche_has_one_row_per_pratica() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let b = bandi(&path);
    let p = b.w.person("Rossi", None);
    let id = b.through(
        p,
        d(2025, 3, 2),
        &[InPreparazione, Inviata, Accolta],
        123_456,
    );
    b.through(p, d(2025, 5, 2), &[], 0);
    drop(b);
    let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
        .arg("--db")
        .arg(&path)
        .args(["export", "--table", "pratiche", "--format", "csv"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("id,subject_kind,subject_id,bando,desk,operator_id"));
    let row = lines
        .iter()
        .find(|l| l.starts_with(&id.to_string()))
        .unwrap();
    assert!(
        row.contains(&format!(",persona,{p},b2-2025,"))
            && row.contains(",accolta,2025-03-02,2025-03-04,2025-03-05,1234.56,2,false"),
        "{row}"
    );
    assert!(text.contains(",informato,2025-05-02,,,,2,false"), "{text}");
}

#[test]
fn a_pratica_lists_the_desk_contacts_about_its_measure_in_its_period() {
    let dir = tempfile::tempdir().unwrap();
    let b = bandi(&dir.path().join("a.redb"));
    let h = b.w.household("Famiglia Neri");
    let person = b.w.person("Neri", Some(h));
    let other = b.w.person("Bianchi", None);
    let b2 =
        b.w.store
            .read()
            .unwrap()
            .require::<Bando>(b.b2)
            .unwrap()
            .measure;
    let another = Measure {
        id: Id::NIL,
        code: "altra".into(),
        name: "Altra misura".into(),
        archived: false,
    };
    let another = b.w.store.insert(b.w.op, another).unwrap();
    let line = *b.w.lines.values().next().unwrap();
    let contact = |s: Subject, day: chrono::NaiveDate, measure: Id| {
        b.w.store
            .insert(
                b.w.op,
                Contact {
                    id: Id::NIL,
                    at: day.and_hms_opt(10, 0, 0).unwrap(),
                    subject: s,
                    line,
                    desk: b.w.desk,
                    operator: b.w.op,
                    kind: ContactKind::Pratiche,
                    measure: Some(measure),
                    minutes: 30,
                    note: String::new(),
                    confidential: false,
                    archived: false,
                },
            )
            .unwrap()
    };
    let informed = contact(Subject::Person(person), d(2025, 2, 10), b2);
    let household = contact(Subject::Household(h), d(2025, 3, 20), b2);
    let _too_early = contact(Subject::Person(person), d(2024, 10, 1), b2);
    let _other_measure = contact(Subject::Person(person), d(2025, 3, 21), another);
    let _other_person = contact(Subject::Person(other), d(2025, 3, 22), b2);
    // Requested on 1 March, sent on 2 March, accepted on 3 March.
    let id = b.through(
        person,
        d(2025, 3, 1),
        &[InPreparazione, Inviata, Accolta],
        100,
    );
    let _after_the_outcome = contact(Subject::Person(person), d(2025, 4, 1), b2);
    let r = b.w.store.read().unwrap();
    let p: Pratica = r.require(id).unwrap();
    let ids = |p: &Pratica| -> Vec<Id> {
        pratiche::desk_contacts(&r, p)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    // The household's contact of 20 March is after the final state (4 March): out.
    assert_eq!(ids(&p), vec![informed]);
    // While still open, everything about the measure from 90 days before the request.
    let open = {
        let mut p = b.pratica(person, d(2025, 3, 1));
        p.advance(InPreparazione, d(2025, 3, 2)).unwrap();
        p
    };
    let all = ids(&open);
    assert_eq!(
        all.len(),
        3,
        "informed, household, after the outcome: {all:?}"
    );
    assert!(all.contains(&informed) && all.contains(&household));
    // A pratica of the household sees the contacts about its members.
    let mut of_household = open.clone();
    of_household.subject = Subject::Household(h);
    assert_eq!(ids(&of_household).len(), 3);
}
