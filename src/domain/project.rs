//! Projects: work internships, messa alla prova, case-manager projects, school support.

use super::contact::require_ref;
use super::ids::Id;
use super::time::{date_serde, fmt_date, opt_date_serde};
use super::validate::{self, Problems, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One day of internship attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// The day.
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// Present (false: absent).
    pub present: bool,
    /// Minutes worked.
    pub minutes: u16,
    /// Note (justified absence, …).
    pub note: String,
}

/// One entry of the messa alla prova hours ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    /// The day.
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// Minutes of community service done.
    pub minutes: u32,
    /// What was done.
    pub activity: String,
}

/// The most a day can hold: 24 hours, in minutes.
pub const DAY_MINUTES: u64 = 24 * 60;

/// Where a row's date falls outside the period `start`…`end` or after `today`: the reasons,
/// in words (`what`: "della messa alla prova", "del tirocinio").
fn date_problems(
    d: NaiveDate,
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
    what: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    if d > today {
        out.push(format!("Il {} è nel futuro", fmt_date(d)));
    }
    if d < start {
        out.push(format!(
            "Il {} è prima dell'inizio {what} ({})",
            fmt_date(d),
            fmt_date(start)
        ));
    } else if let Some(e) = end.filter(|e| d > *e) {
        out.push(format!(
            "Il {} è dopo la fine {what} ({})",
            fmt_date(d),
            fmt_date(e)
        ));
    }
    out
}

/// Minutes as `h:mm` (`h` alone for whole hours): `30`, `7:30`.
pub fn fmt_hours(minutes: u64) -> String {
    if minutes.is_multiple_of(60) {
        format!("{}", minutes / 60)
    } else {
        format!("{}:{:02}", minutes / 60, minutes % 60)
    }
}

impl HoursEntry {
    /// What is wrong with this row of a messa alla prova running `start`…`end`, when the
    /// other rows of the same day already hold `others_that_day` minutes: every reason at
    /// once, in words. Empty when the row is fine.
    pub fn problems(
        &self,
        start: NaiveDate,
        end: Option<NaiveDate>,
        today: NaiveDate,
        others_that_day: u64,
    ) -> Vec<String> {
        let mut out = date_problems(self.date, start, end, today, "della messa alla prova");
        let minutes = self.minutes as u64;
        if minutes == 0 {
            out.push("Indica le ore svolte (più di zero)".into());
        } else if minutes > DAY_MINUTES {
            out.push(format!(
                "{} ore in un giorno sono troppe: al massimo 24",
                fmt_hours(minutes)
            ));
        } else if minutes + others_that_day > DAY_MINUTES {
            let already = if others_that_day == 60 {
                "1 ora".to_string()
            } else {
                format!("{} ore", fmt_hours(others_that_day))
            };
            out.push(format!(
                "Il {} ha già {already}: con queste sarebbero {}, più di 24",
                fmt_date(self.date),
                fmt_hours(minutes + others_that_day)
            ));
        }
        out
    }
}

impl Attendance {
    /// What is wrong with this day of a tirocinio running `start`…`end`: every reason at
    /// once, in words. Empty when the day is fine.
    pub fn problems(
        &self,
        start: NaiveDate,
        end: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<String> {
        let mut out = date_problems(self.date, start, end, today, "del tirocinio");
        if self.minutes as u64 > DAY_MINUTES {
            out.push(format!(
                "{} ore in un giorno sono troppe: al massimo 24",
                fmt_hours(self.minutes as u64)
            ));
        }
        out
    }
}

/// For each row of a ledger, the minutes the other rows of the same day hold.
pub fn others_same_day(ledger: &[HoursEntry]) -> Vec<u64> {
    let mut per_day = std::collections::HashMap::<NaiveDate, u64>::new();
    for e in ledger {
        *per_day.entry(e.date).or_default() += e.minutes as u64;
    }
    ledger
        .iter()
        .map(|e| per_day[&e.date] - e.minutes as u64)
        .collect()
}

/// BES or DSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SchoolNeed {
    /// Bisogni educativi speciali.
    #[default]
    Bes,
    /// Disturbi specifici dell'apprendimento.
    Dsa,
    /// Both.
    BesDsa,
}

impl SchoolNeed {
    /// The label.
    pub fn label(self) -> &'static str {
        match self {
            SchoolNeed::Bes => "BES",
            SchoolNeed::Dsa => "DSA",
            SchoolNeed::BesDsa => "BES e DSA",
        }
    }
}

/// The kind of a project, with its own fields.
///
/// Stored through [`kind_repr::KindRepr`]: a messa alla prova with a court file number is
/// written as a variant appended after the four original ones, one without as before, so
/// records written before the file number existed read unchanged and keep their bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "kind_repr::KindRepr", into = "kind_repr::KindRepr")]
pub enum ProjectKind {
    /// Tirocinio lavorativo.
    Tirocinio {
        /// Host organisation.
        host: String,
        /// Hours per week.
        hours_per_week: u16,
        /// Monthly allowance in euro cents.
        allowance_cents: u32,
        /// Attendance register.
        attendance: Vec<Attendance>,
    },
    /// Messa alla prova (lavori di pubblica utilità).
    MessaAllaProva {
        /// UEPE office following the person.
        uepe_office: String,
        /// The court (tribunale) that ordered it.
        court: String,
        /// The court's file number (numero di procedimento, R.G.), empty when not known.
        court_file: String,
        /// Hours required by the programme.
        hours_required: u32,
        /// Hours done.
        ledger: Vec<HoursEntry>,
    },
    /// Case management for a person with autism.
    CaseManager {
        /// The operator who is the patient's reference.
        referente: Option<Id>,
        /// Services coordinated in the treatment plan.
        plan: String,
    },
    /// School support for a child with BES/DSA.
    SostegnoStudio {
        /// School.
        school: String,
        /// Class.
        class: String,
        /// BES or DSA.
        need: SchoolNeed,
        /// Hours per week.
        hours_per_week: u16,
    },
}

impl ProjectKind {
    /// The Italian name of the kind.
    pub fn label(&self) -> &'static str {
        match self {
            ProjectKind::Tirocinio { .. } => "Tirocinio",
            ProjectKind::MessaAllaProva { .. } => "Messa alla prova",
            ProjectKind::CaseManager { .. } => "Case manager",
            ProjectKind::SostegnoStudio { .. } => "Sostegno allo studio",
        }
    }
}

mod kind_repr {
    //! How a [`ProjectKind`] is stored: the four original variants, in their order and with
    //! their fields, and the messa alla prova with a court file number appended last.

    use super::{Attendance, HoursEntry, ProjectKind, SchoolNeed};
    use crate::domain::ids::Id;
    use serde::{Deserialize, Serialize};

    /// The stored shape of a project's kind (postcard: variant index, then fields).
    #[derive(Clone, Serialize, Deserialize)]
    pub enum KindRepr {
        Tirocinio {
            host: String,
            hours_per_week: u16,
            allowance_cents: u32,
            attendance: Vec<Attendance>,
        },
        MessaAllaProva {
            uepe_office: String,
            court: String,
            hours_required: u32,
            ledger: Vec<HoursEntry>,
        },
        CaseManager {
            referente: Option<Id>,
            plan: String,
        },
        SostegnoStudio {
            school: String,
            class: String,
            need: SchoolNeed,
            hours_per_week: u16,
        },
        MessaAllaProvaConFascicolo {
            uepe_office: String,
            court: String,
            court_file: String,
            hours_required: u32,
            ledger: Vec<HoursEntry>,
        },
    }

    impl From<KindRepr> for ProjectKind {
        fn from(r: KindRepr) -> Self {
            match r {
                KindRepr::Tirocinio {
                    host,
                    hours_per_week,
                    allowance_cents,
                    attendance,
                } => ProjectKind::Tirocinio {
                    host,
                    hours_per_week,
                    allowance_cents,
                    attendance,
                },
                KindRepr::MessaAllaProva {
                    uepe_office,
                    court,
                    hours_required,
                    ledger,
                } => ProjectKind::MessaAllaProva {
                    uepe_office,
                    court,
                    court_file: String::new(),
                    hours_required,
                    ledger,
                },
                KindRepr::CaseManager { referente, plan } => {
                    ProjectKind::CaseManager { referente, plan }
                }
                KindRepr::SostegnoStudio {
                    school,
                    class,
                    need,
                    hours_per_week,
                } => ProjectKind::SostegnoStudio {
                    school,
                    class,
                    need,
                    hours_per_week,
                },
                KindRepr::MessaAllaProvaConFascicolo {
                    uepe_office,
                    court,
                    court_file,
                    hours_required,
                    ledger,
                } => ProjectKind::MessaAllaProva {
                    uepe_office,
                    court,
                    court_file,
                    hours_required,
                    ledger,
                },
            }
        }
    }

    impl From<ProjectKind> for KindRepr {
        fn from(k: ProjectKind) -> Self {
            match k {
                ProjectKind::Tirocinio {
                    host,
                    hours_per_week,
                    allowance_cents,
                    attendance,
                } => KindRepr::Tirocinio {
                    host,
                    hours_per_week,
                    allowance_cents,
                    attendance,
                },
                ProjectKind::MessaAllaProva {
                    uepe_office,
                    court,
                    court_file,
                    hours_required,
                    ledger,
                } if court_file.is_empty() => KindRepr::MessaAllaProva {
                    uepe_office,
                    court,
                    hours_required,
                    ledger,
                },
                ProjectKind::MessaAllaProva {
                    uepe_office,
                    court,
                    court_file,
                    hours_required,
                    ledger,
                } => KindRepr::MessaAllaProvaConFascicolo {
                    uepe_office,
                    court,
                    court_file,
                    hours_required,
                    ledger,
                },
                ProjectKind::CaseManager { referente, plan } => {
                    KindRepr::CaseManager { referente, plan }
                }
                ProjectKind::SostegnoStudio {
                    school,
                    class,
                    need,
                    hours_per_week,
                } => KindRepr::SostegnoStudio {
                    school,
                    class,
                    need,
                    hours_per_week,
                },
            }
        }
    }
}

/// A project for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Identifier.
    pub id: Id,
    /// The person.
    pub person: Id,
    /// The service line.
    pub line: Id,
    /// Start.
    #[serde(with = "date_serde")]
    pub start: NaiveDate,
    /// End (none while open).
    #[serde(with = "opt_date_serde")]
    pub end: Option<NaiveDate>,
    /// The operator following it.
    pub operator: Option<Id>,
    /// Kind and its fields.
    pub kind: ProjectKind,
    /// Free notes.
    pub note: String,
    /// Archived.
    pub archived: bool,
}

impl Project {
    /// Minutes of community service recorded (messa alla prova) or worked (tirocinio).
    pub fn minutes_done(&self) -> u64 {
        match &self.kind {
            ProjectKind::MessaAllaProva { ledger, .. } => {
                ledger.iter().map(|e| e.minutes as u64).sum()
            }
            ProjectKind::Tirocinio { attendance, .. } => attendance
                .iter()
                .filter(|a| a.present)
                .map(|a| a.minutes as u64)
                .sum(),
            _ => 0,
        }
    }

    /// Validates the project against `today`.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(&mut p, "person", "La persona", self.person);
        require_ref(&mut p, "line", "La linea di servizio", self.line);
        validate::plausible(&mut p, "start", "La data di inizio", self.start);
        validate::period(&mut p, "end", self.start, self.end);
        optional_text(&mut p, "note", "Le note", &self.note, 4000);
        match &self.kind {
            ProjectKind::Tirocinio {
                host,
                hours_per_week,
                attendance,
                ..
            } => {
                validate::required_text(&mut p, "host", "L'ente ospitante", host, 160);
                if *hours_per_week > 60 {
                    p.add(
                        "hours_per_week",
                        "Le ore settimanali non possono superare 60",
                    );
                }
                for a in attendance {
                    for m in a.problems(self.start, self.end, today) {
                        p.add("attendance", m);
                    }
                }
            }
            ProjectKind::MessaAllaProva {
                hours_required,
                ledger,
                uepe_office,
                court,
                court_file,
            } => {
                if *hours_required == 0 || *hours_required > 5000 {
                    p.add(
                        "hours_required",
                        "Le ore previste devono essere tra 1 e 5000",
                    );
                }
                optional_text(&mut p, "uepe_office", "L'ufficio UEPE", uepe_office, 160);
                optional_text(&mut p, "court", "Il tribunale", court, 160);
                optional_text(
                    &mut p,
                    "court_file",
                    "Il numero di procedimento",
                    court_file,
                    60,
                );
                for (e, others) in ledger.iter().zip(others_same_day(ledger)) {
                    for m in e.problems(self.start, self.end, today, others) {
                        p.add("ledger", m);
                    }
                }
            }
            ProjectKind::CaseManager { plan, .. } => {
                optional_text(&mut p, "plan", "Il piano", plan, 4000);
            }
            ProjectKind::SostegnoStudio {
                school,
                class,
                hours_per_week,
                ..
            } => {
                validate::required_text(&mut p, "school", "La scuola", school, 160);
                optional_text(&mut p, "class", "La classe", class, 40);
                if *hours_per_week > 40 {
                    p.add(
                        "hours_per_week",
                        "Le ore settimanali non possono superare 40",
                    );
                }
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row(date: NaiveDate, minutes: u32) -> HoursEntry {
        HoursEntry {
            date,
            minutes,
            activity: String::new(),
        }
    }

    #[test]
    fn a_ledger_row_is_checked_on_its_own() {
        let (start, today) = (d(2024, 2, 1), d(2024, 3, 10));
        assert!(
            row(d(2024, 3, 1), 180)
                .problems(start, None, today, 0)
                .is_empty()
        );
        let p = row(d(2024, 3, 1), 30 * 60).problems(start, None, today, 0);
        assert_eq!(p, vec!["30 ore in un giorno sono troppe: al massimo 24"]);
        // Every reason at once.
        let p = row(d(2024, 1, 20), 30 * 60).problems(start, None, today, 0);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("prima dell'inizio della messa alla prova (01/02/2024)"));
        let p = row(d(2024, 3, 11), 60).problems(start, None, today, 0);
        assert_eq!(p, vec!["Il 11/03/2024 è nel futuro"]);
        let p = row(d(2024, 3, 5), 60).problems(start, Some(d(2024, 3, 4)), today, 0);
        assert!(p[0].contains("dopo la fine"), "{p:?}");
        let p = row(d(2024, 3, 5), 8 * 60).problems(start, None, today, 20 * 60);
        assert_eq!(
            p,
            vec!["Il 05/03/2024 ha già 20 ore: con queste sarebbero 28, più di 24"]
        );
        assert!(
            !row(d(2024, 3, 5), 0)
                .problems(start, None, today, 0)
                .is_empty()
        );
    }

    #[test]
    fn days_are_summed_across_rows() {
        let ledger = vec![
            row(d(2024, 3, 5), 600),
            row(d(2024, 3, 6), 60),
            row(d(2024, 3, 5), 900),
        ];
        assert_eq!(others_same_day(&ledger), vec![900, 0, 600]);
        let p = Project {
            id: Id::NIL,
            person: Id::new(),
            line: Id::new(),
            start: d(2024, 1, 1),
            end: None,
            operator: None,
            kind: ProjectKind::MessaAllaProva {
                uepe_office: String::new(),
                court: String::new(),
                court_file: String::new(),
                hours_required: 100,
                ledger,
            },
            note: String::new(),
            archived: false,
        };
        let problems = p.validate(d(2024, 12, 31));
        assert_eq!(
            problems.0.iter().filter(|e| e.field == "ledger").count(),
            2,
            "both rows of the 25-hour day: {problems}"
        );
    }
}
