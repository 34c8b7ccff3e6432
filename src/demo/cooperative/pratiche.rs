//! The demo's bandi and pratiche (issue 15): the kinds of document, an edition of each of
//! the seed's four measures for every year 2019–2025 (with the body that runs it, its
//! dates and the documents it asks for), and pratiche at the WeMi desks for some of the
//! people who came about that measure — in every state, dated after the contact. Written
//! after the contacts; pratiche do not count in the annual figures, which stay the seed's.

use super::{FIRST, LAST};
use crate::demo::DemoError;
use crate::domain::bando::default_document_kinds;
use crate::domain::*;
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;
use std::collections::{HashMap, HashSet};

/// A measure's editions: body, opening and closing (month, day), the documents asked
/// (code, expires), the amounts granted (euro, from..to).
struct Edition {
    measure: &'static str,
    body: &'static str,
    opens: (u32, u32),
    closes: (u32, u32),
    requirements: &'static str,
    documents: &'static [(&'static str, bool)],
    amount: (i64, i64),
}

const EDITIONS: [Edition; 4] = [
    Edition {
        measure: "reddito",
        body: "Comune di Milano",
        opens: (2, 1),
        closes: (11, 30),
        requirements: "Residenza a Milano; ISEE ordinario fino a 9.360 €; nessun componente del nucleo con patrimonio mobiliare oltre 6.000 €.",
        documents: &[
            ("isee", true),
            ("id", true),
            ("pds", true),
            ("informativa", false),
        ],
        amount: (300, 1_500),
    },
    Edition {
        measure: "b2",
        body: "Regione Lombardia — Ambito di Milano",
        opens: (3, 1),
        closes: (5, 31),
        requirements: "Persona con disabilità grave o non autosufficiente assistita a domicilio; ISEE sociosanitario fino a 25.000 €.",
        documents: &[
            ("isee", true),
            ("id", true),
            ("cert-inv", false),
            ("informativa", false),
        ],
        amount: (1_200, 4_800),
    },
    Edition {
        measure: "l112",
        body: "Regione Lombardia — Comune di Milano",
        opens: (4, 1),
        closes: (10, 31),
        requirements: "Persona con disabilità grave (L. 104/92 art. 3 c. 3) tra 18 e 64 anni, priva del sostegno familiare; progetto di vita indipendente.",
        documents: &[
            ("isee", true),
            ("id", true),
            ("cert-inv", false),
            ("informativa", false),
        ],
        amount: (2_000, 9_000),
    },
    Edition {
        measure: "assegno_0_18",
        body: "INPS",
        opens: (1, 1),
        closes: (12, 31),
        requirements: "Figli a carico fino a 18 anni; ISEE in corso di validità per l'importo pieno.",
        documents: &[("isee", true), ("id", true), ("iban", false)],
        amount: (600, 2_400),
    },
];

fn date(year: i32, (m, d): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, d).expect("date")
}

/// Writes the demo's kinds of document, bandi and pratiche (one bulk transaction).
/// Returns how many pratiche were written.
pub(super) fn write_pratiche(store: &Store, seed: u64) -> Result<u64, DemoError> {
    let r = store.read()?;
    let measures: HashMap<String, Id> = r
        .all::<Measure>()?
        .into_iter()
        .map(|m| (m.code, m.id))
        .collect();
    let measure_names: HashMap<Id, String> = r
        .all::<Measure>()?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let wemi_desks: HashSet<Id> = r
        .all::<Desk>()?
        .into_iter()
        .filter(|d| d.code == "ornato" || d.code == "rizzoli")
        .map(|d| d.id)
        .collect();
    let mut contacts: Vec<Contact> = r
        .all::<Contact>()?
        .into_iter()
        .filter(|c| {
            !c.archived
                && c.kind == ContactKind::Pratiche
                && c.measure.is_some()
                && wemi_desks.contains(&c.desk)
                && matches!(c.subject, Subject::Person(_))
        })
        .collect();
    drop(r);
    contacts.sort_by_key(|c| (c.at, c.id));
    let today = store.clock().today();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7072_6174_6963_6865);
    let mut w = store.bulk_write(Id::NIL)?;
    let mut kinds = HashMap::new();
    for k in default_document_kinds() {
        let code = k.code.clone();
        kinds.insert(code, w.insert(k)?);
    }
    // One edition per measure and year: (measure, year) → (bando id, edition).
    let mut bandi: HashMap<(Id, i32), (Id, &Edition)> = HashMap::new();
    for e in &EDITIONS {
        let Some(&measure) = measures.get(e.measure) else {
            continue;
        };
        for year in FIRST..=LAST {
            let id = w.insert(Bando {
                id: Id::NIL,
                code: format!("{}-{year}", e.measure.replace('_', "-")),
                name: format!("{} {year}", measure_names[&measure]),
                measure,
                body: e.body.into(),
                year,
                edition: String::new(),
                opens: Some(date(year, e.opens)),
                closes: Some(date(year, e.closes)),
                requirements: e.requirements.into(),
                documents: e
                    .documents
                    .iter()
                    .filter_map(|(code, expires)| {
                        kinds.get(*code).map(|&kind| RequiredDocument {
                            kind,
                            expires: *expires,
                        })
                    })
                    .collect(),
                archived: false,
            })?;
            bandi.insert((measure, year), (id, e));
        }
    }
    // The first contact of each person about each measure in a year may become a pratica.
    let mut seen = HashSet::new();
    let mut n = 0u64;
    for c in contacts {
        let (Some(measure), Subject::Person(person)) = (c.measure, c.subject) else {
            continue;
        };
        let year = c.at.year();
        if !seen.insert((person, measure, year)) || !rng.random_bool(0.45) {
            continue;
        }
        // After this year's edition closed, the person is told about next year's.
        let Some(&(bando, e)) = bandi
            .get(&(measure, year))
            .filter(|(_, e)| c.at.date() <= date(year, e.closes))
            .or_else(|| bandi.get(&(measure, year + 1)))
        else {
            continue;
        };
        let mut p = Pratica::new(c.subject, bando, c.desk, c.operator, c.at.date());
        p.channel = *[
            PraticaChannel::Sportello,
            PraticaChannel::Sportello,
            PraticaChannel::Online,
            PraticaChannel::Caf,
        ]
        .choose(&mut rng)
        .expect("channel");
        p.checklist = e
            .documents
            .iter()
            .filter_map(|(code, _)| kinds.get(*code))
            .map(|&document| ChecklistItem {
                document,
                state: DocumentState::Mancante,
            })
            .collect();
        // Earlier years' pratiche have all ended; the last year's may still be open.
        let steps = loop {
            let s = path(&mut rng);
            if year == LAST || s.last().is_some_and(|x| x.is_final()) {
                break s;
            }
        };
        for step in steps {
            let on = p.last_change() + Duration::days(rng.random_range(3..40));
            if on > today || p.advance(step, on).is_err() {
                break;
            }
        }
        // Documents are seen on the way: all of them once the application is sent.
        let seen_all = !matches!(
            p.state,
            PraticaState::Informato | PraticaState::InPreparazione
        ) && p.entered(PraticaState::Inviata).is_some();
        for item in &mut p.checklist {
            let seen =
                seen_all || (p.state == PraticaState::InPreparazione && rng.random_bool(0.5));
            if seen {
                item.state = DocumentState::Visto;
            }
        }
        if p.state == PraticaState::Accolta {
            p.amount_cents = Some(rng.random_range(e.amount.0..=e.amount.1) * 100);
            p.outcome = "Contributo riconosciuto".into();
        } else if p.state == PraticaState::Respinta {
            p.outcome = (*[
                "ISEE oltre la soglia",
                "Requisiti non posseduti",
                "Fondi esauriti",
            ]
            .choose(&mut rng)
            .expect("reason"))
            .into();
        }
        w.insert(p)?;
        n += 1;
    }
    w.commit()?;
    Ok(n)
}

/// A path through the states: most pratiche end accepted, some refused or withdrawn, a
/// few stop on the way (they stay open).
fn path(rng: &mut StdRng) -> Vec<PraticaState> {
    use PraticaState::*;
    let roll = rng.random_range(0..100);
    match roll {
        0..5 => vec![],
        5..10 => vec![Ritirata],
        10..16 => vec![InPreparazione],
        16..20 => vec![InPreparazione, Ritirata],
        20..26 => vec![InPreparazione, Inviata],
        26..30 => vec![InPreparazione, Inviata, InAttesaIntegrazione],
        30..52 => vec![InPreparazione, Inviata, Respinta],
        52..60 => vec![
            InPreparazione,
            Inviata,
            InAttesaIntegrazione,
            Inviata,
            Accolta,
        ],
        _ => vec![InPreparazione, Inviata, Accolta],
    }
}
