//! The city scale: a city-wide desk network, 2016–2025 — 200,000 people and 2,000,000
//! contacts, plus projects, cases, referrals and walks. Written in batches, in bounded
//! memory (only the people's ids are kept), with progress.

use super::factory::{Age, Ctx};
use super::names::*;
use super::{DemoError, Progress, Summary};
use crate::domain::*;
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;

/// People generated.
pub const PEOPLE: u64 = 200_000;
/// Contacts generated.
pub const CONTACTS: u64 = 2_000_000;
const FIRST: i32 = 2016;
const LAST: i32 = 2025;
const BATCH: usize = 20_000;

/// Lines with their share of contacts (per mille) and whether a household may be the subject.
const CONTACT_MIX: [(&str, u32, bool); 7] = [
    ("wemi", 700, false),
    ("famiglie", 140, true),
    ("blu", 50, true),
    ("map", 40, false),
    ("tirocini", 40, false),
    ("studio", 20, false),
    ("case_manager", 10, false),
];

#[derive(Clone, Copy)]
struct Lite {
    id: Id,
    household: Option<Id>,
    age: Age,
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST, 12, 31)
        .expect("date")
        .min(time::today())
}

/// Generates the city-scale demo.
pub fn generate(store: &Store, seed: u64, progress: Progress<'_>) -> Result<Summary, DemoError> {
    let mut c = Ctx::new(store, seed, BATCH, false)?;
    c.team()?;
    for i in 0..47 {
        let role = *c.pick(&[
            "assistente_sociale",
            "educatore",
            "psicologo",
            "tutor",
            "case_manager",
            "sportello",
            "sportello",
            "volontario",
        ]);
        let desk = *c.pick(&["sede", "ornato", "rizzoli"]);
        let id = c.id_at(NaiveDate::from_ymd_opt(FIRST, 1, 4).expect("date"));
        let desk_id = c.cat.desk(desk);
        let female = c.rng.random_bool(0.6);
        let name = if female { c.pick(FEMALE) } else { c.pick(MALE) }.to_string();
        let surname = c.pick(SURNAMES).to_string();
        let active = c.rng.random_bool(0.9);
        c.put(Operator {
            id,
            email: format!("operatore{}@coop-esempio.it", i + 14),
            surname,
            name,
            role: c.cat.roles.get(role).copied().unwrap_or(Id::NIL),
            phone: format!("02 6681 {:04}", i * 13),
            desk: Some(desk_id),
            active,
            archived: false,
        })?;
        c.ops.push((id, role, Some(desk_id)));
        c.summary.operators += 1;
    }

    // People, a third of them in households.
    let mut people: Vec<Lite> = Vec::with_capacity(PEOPLE as usize);
    let total = PEOPLE + CONTACTS + 100_000;
    let first = NaiveDate::from_ymd_opt(FIRST, 1, 1).expect("date");
    let span = (last_day() - first).num_days();
    while (people.len() as u64) < PEOPLE {
        // Registration dates advance with the loop, so records go into the B-trees in
        // key order (UUIDv7 ids carry the date) and pages stay full.
        let since = first + Duration::days(span * people.len() as i64 / PEOPLE as i64);
        if c.rng.random_bool(0.12) {
            let surname = c.pick(SURNAMES).to_string();
            let (h, addr, mun) = c.household(&surname, since)?;
            let size = c.rng.random_range(2..=4);
            for k in 0..size {
                let (age, rel) = match k {
                    0 => (Age::Adult, Relationship::Riferimento),
                    1 => (Age::Adult, Relationship::Coniuge),
                    _ => (Age::Child, Relationship::Figlio),
                };
                let id = c.person(age, 0.25, Some(&surname), Some((h, &addr, mun, rel)), since)?;
                people.push(Lite {
                    id,
                    household: Some(h),
                    age,
                });
            }
        } else {
            let age = *c.pick(&[Age::Adult, Age::Adult, Age::Young, Age::Senior, Age::Child]);
            let id = c.person(age, 0.35, None, None, since)?;
            people.push(Lite {
                id,
                household: None,
                age,
            });
        }
        if people.len().is_multiple_of(BATCH) {
            progress("Persone e nuclei", people.len() as u64, total);
        }
    }

    // Contacts: a skewed choice of people (some come often), more each year.
    let measures = c.cat.measures.clone();
    let lines: Vec<(Id, u32, bool, &str)> = CONTACT_MIX
        .iter()
        .map(|(code, w, hh)| (c.cat.line(code), *w, *hh, *code))
        .collect();
    let mut days: Vec<NaiveDate> = (0..CONTACTS).map(|_| year_day(&mut c)).collect();
    days.sort_unstable();
    for (n, day) in days.into_iter().enumerate() {
        let n = n as u64;
        let p = people[skewed(&mut c, people.len())];
        let roll = c.rng.random_range(0..1000);
        let mut acc = 0;
        let &(line, _, hh_ok, code) = lines
            .iter()
            .find(|(_, w, _, _)| {
                acc += w;
                roll < acc
            })
            .unwrap_or(&lines[0]);
        let subject = match p.household {
            Some(h) if hh_ok && c.rng.random_bool(0.5) => Subject::Household(h),
            _ => Subject::Person(p.id),
        };
        let (desk, roles): (&str, &[&str]) = match code {
            "wemi" => (
                *c.pick(&["ornato", "rizzoli"]),
                &["sportello", "volontario"],
            ),
            "studio" => ("rizzoli", &["educatore"]),
            "tirocini" => ("sede", &["tutor"]),
            "case_manager" => ("sede", &["case_manager"]),
            _ => ("sede", &["assistente_sociale", "educatore", "psicologo"]),
        };
        let desk = c.cat.desk(desk);
        let kind = if code == "wemi" {
            *c.pick(&[
                ContactKind::Informazione,
                ContactKind::Orientamento,
                ContactKind::Pratiche,
                ContactKind::Pratiche,
                ContactKind::Telefonata,
            ])
        } else {
            *c.pick(&[
                ContactKind::Ascolto,
                ContactKind::Colloquio,
                ContactKind::Colloquio,
                ContactKind::VisitaDomiciliare,
                ContactKind::Telefonata,
            ])
        };
        let measure = (kind == ContactKind::Pratiche).then(|| *c.pick(&measures));
        let at = c.at(day);
        let operator = c.operator(roles, Some(desk));
        let id = c.id_at(day);
        let minutes = c.rng.random_range(2..=12) * 5;
        let archived = c.rng.random_bool(0.002);
        c.put(Contact {
            id,
            at,
            subject,
            line,
            desk,
            operator,
            kind,
            measure,
            minutes,
            note: String::new(),
            confidential: false,
            archived,
        })?;
        if n.is_multiple_of(BATCH as u64) {
            progress("Accessi", PEOPLE + n, total);
        }
    }
    c.summary.contacts = CONTACTS;

    // Projects, cases, referrals.
    for n in 0..30_000u64 {
        let p = people[c.rng.random_range(0..people.len())];
        let start = year_day(&mut c);
        let (code, kind, months) = match n % 10 {
            0..=3 => (
                "map",
                ProjectKind::MessaAllaProva {
                    uepe_office: "UEPE Milano".into(),
                    court: "Tribunale di Milano".into(),
                    court_file: String::new(),
                    hours_required: *c.pick(&[60, 100, 150, 200, 300]),
                    ledger: vec![],
                },
                c.rng.random_range(4..=12),
            ),
            4..=6 => (
                "tirocini",
                ProjectKind::Tirocinio {
                    host: c.pick(HOSTS).to_string(),
                    hours_per_week: 20,
                    allowance_cents: 50_000,
                    attendance: vec![],
                },
                c.rng.random_range(3..=6),
            ),
            7 | 8 => (
                "studio",
                ProjectKind::SostegnoStudio {
                    school: c.pick(SCHOOLS).to_string(),
                    class: "2ª A".into(),
                    need: SchoolNeed::Dsa,
                    hours_per_week: 3,
                },
                9,
            ),
            _ => (
                "case_manager",
                ProjectKind::CaseManager {
                    referente: None,
                    plan: String::new(),
                },
                c.rng.random_range(12..=36),
            ),
        };
        let end = start + Duration::days(months * 30);
        let end = (end <= last_day() || c.rng.random_bool(0.5)).then_some(end);
        let kind = fill_project(&mut c, kind, start, end);
        let id = c.id_at(start);
        let operator = Some(c.ops[c.rng.random_range(0..c.ops.len())].0);
        c.put(Project {
            id,
            person: p.id,
            line: c.cat.line(code),
            start,
            end,
            operator,
            kind,
            note: String::new(),
            archived: false,
        })?;
        c.summary.projects += 1;
    }
    progress("Progetti", PEOPLE + CONTACTS + 30_000, total);
    for n in 0..20_000u64 {
        let p = people[c.rng.random_range(0..people.len())];
        let opened = year_day(&mut c);
        let (code, subject) = match (n % 2, p.household) {
            (0, Some(h)) => ("blu", Subject::Household(h)),
            (0, None) => ("blu", Subject::Person(p.id)),
            _ => (
                "famiglie",
                p.household
                    .map(Subject::Household)
                    .unwrap_or(Subject::Person(p.id)),
            ),
        };
        let closed = opened + Duration::days(c.rng.random_range(30..700));
        let closed = (closed <= last_day()).then_some(closed);
        let id = c.id_at(opened);
        let referente = Some(c.ops[c.rng.random_range(0..c.ops.len())].0);
        c.put(Case {
            id,
            subject,
            line: c.cat.line(code),
            opened,
            closed,
            status: if closed.is_some() {
                CaseStatus::Chiusa
            } else {
                CaseStatus::InCorso
            },
            referente,
            team: vec![],
            need: "Presa in carico".into(),
            plan: vec![],
            outcome: if closed.is_some() {
                "Obiettivi raggiunti".into()
            } else {
                String::new()
            },
            archived: false,
        })?;
        c.summary.cases += 1;
    }
    let services: Vec<Id> = c.cat.services.values().copied().collect();
    for _ in 0..50_000u64 {
        let p = people[c.rng.random_range(0..people.len())];
        let date = year_day(&mut c);
        let service = *c.pick(&services);
        let id = c.id_at(date);
        let outcome = if date.year() == LAST && date.month() >= 10 {
            ReferralOutcome::InAttesa
        } else {
            *c.pick(&ReferralOutcome::ALL[1..])
        };
        c.put(Referral {
            id,
            subject: Subject::Person(p.id),
            date,
            service,
            line: None,
            operator: None,
            reason: "Invio alla rete territoriale".into(),
            follow_up: Some(date + Duration::days(45)),
            outcome,
            outcome_note: String::new(),
            archived: false,
        })?;
        c.summary.referrals += 1;
    }
    // The walks: one edition a year with thirty seniors.
    let seniors: Vec<Id> = people
        .iter()
        .filter(|p| matches!(p.age, Age::Senior))
        .map(|p| p.id)
        .collect();
    for year in FIRST..=LAST {
        let participants: Vec<Id> = seniors.sample(&mut c.rng, 30).copied().collect();
        let sessions = (0..8)
            .map(|i| {
                let m = [3, 4, 5, 6, 9, 10, 11, 12][i];
                let date = c.day_in(year, m, m);
                let attendees = participants
                    .iter()
                    .copied()
                    .filter(|_| c.rng.random_bool(0.7))
                    .collect();
                Session {
                    date,
                    title: WALKS[i % WALKS.len()].to_string(),
                    attendees,
                }
            })
            .collect();
        let id = c.id_at(NaiveDate::from_ymd_opt(year, 2, 1).expect("date"));
        let line = c.cat.line("passeggiate");
        c.put(Activity {
            id,
            name: "Passeggiate culturali over 60".into(),
            line,
            edition: format!("Edizione {year}"),
            desk: Some(c.cat.desk("ornato")),
            participants,
            sessions,
            archived: false,
        })?;
        c.summary.activities += 1;
    }
    c.flush()?;
    progress("Calcolo dei conteggi annuali", total, total);
    store.rebuild_aggregates()?;
    Ok(c.summary)
}

/// A day in 2016–2025, more recent years more likely (the network grows).
fn year_day(c: &mut Ctx<'_>) -> NaiveDate {
    let weights = [6, 7, 8, 9, 7, 9, 10, 11, 12, 13];
    let roll = c.rng.random_range(0..weights.iter().sum::<u32>());
    let mut acc = 0;
    let i = weights
        .iter()
        .position(|w| {
            acc += w;
            roll < acc
        })
        .unwrap_or(9);
    c.day_in(FIRST + i as i32, 1, 12)
}

/// An index skewed towards the first tenth (regular visitors).
fn skewed(c: &mut Ctx<'_>, n: usize) -> usize {
    if c.rng.random_bool(0.4) {
        c.rng.random_range(0..n / 10)
    } else {
        c.rng.random_range(0..n)
    }
}

/// Fills ledgers and registers of a project within its period.
fn fill_project(
    c: &mut Ctx<'_>,
    kind: ProjectKind,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> ProjectKind {
    let stop = end.unwrap_or(last_day()).min(last_day());
    match kind {
        ProjectKind::MessaAllaProva {
            uepe_office,
            court,
            court_file,
            hours_required,
            ..
        } => {
            let mut ledger = Vec::new();
            let (mut d, mut done) = (start, 0);
            while d <= stop && done < hours_required * 60 {
                ledger.push(HoursEntry {
                    date: d,
                    minutes: 240,
                    activity: "Manutenzione del verde".into(),
                });
                done += 240;
                d += Duration::days(7);
            }
            ProjectKind::MessaAllaProva {
                uepe_office,
                court,
                court_file,
                hours_required,
                ledger,
            }
        }
        ProjectKind::Tirocinio {
            host,
            hours_per_week,
            allowance_cents,
            ..
        } => {
            let mut attendance = Vec::new();
            let mut d = start;
            while d <= stop {
                attendance.push(Attendance {
                    date: d,
                    present: c.rng.random_bool(0.92),
                    minutes: 240,
                    note: String::new(),
                });
                d += Duration::days(7);
            }
            ProjectKind::Tirocinio {
                host,
                hours_per_week,
                allowance_cents,
                attendance,
            }
        }
        other => other,
    }
}
