//! Projects: work internships, messa alla prova, case-manager projects, school support.

use super::contact::require_ref;
use super::ids::Id;
use super::time::{date_serde, opt_date_serde};
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let in_period = |d: NaiveDate| d >= self.start && self.end.is_none_or(|e| d <= e);
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
                    if !in_period(a.date) {
                        p.add(
                            "attendance",
                            format!(
                                "La presenza del {} è fuori dal periodo del tirocinio",
                                super::time::fmt_date(a.date)
                            ),
                        );
                    }
                    validate::not_future(&mut p, "attendance", "Una presenza", a.date, today);
                    if a.minutes > 24 * 60 {
                        p.add("attendance", "Una presenza non può superare le 24 ore");
                    }
                }
            }
            ProjectKind::MessaAllaProva {
                hours_required,
                ledger,
                uepe_office,
                court,
            } => {
                if *hours_required == 0 || *hours_required > 5000 {
                    p.add(
                        "hours_required",
                        "Le ore previste devono essere tra 1 e 5000",
                    );
                }
                optional_text(&mut p, "uepe_office", "L'ufficio UEPE", uepe_office, 160);
                optional_text(&mut p, "court", "Il tribunale", court, 160);
                for e in ledger {
                    if e.minutes == 0 || e.minutes > 24 * 60 {
                        p.add(
                            "ledger",
                            "Ogni registrazione di ore deve essere tra 1 minuto e 24 ore",
                        );
                    }
                    if !in_period(e.date) {
                        p.add(
                            "ledger",
                            format!(
                                "Le ore del {} sono fuori dal periodo della messa alla prova",
                                super::time::fmt_date(e.date)
                            ),
                        );
                    }
                    validate::not_future(
                        &mut p,
                        "ledger",
                        "Una registrazione di ore",
                        e.date,
                        today,
                    );
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
