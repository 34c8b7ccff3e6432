//! Group activities (e.g. the cultural walks for over-60s) with sessions and attendance.

use super::contact::require_ref;
use super::ids::Id;
use super::time::date_serde;
use super::validate::{self, Problems, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One session of an activity and who attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The day.
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// What it was (e.g. "Brera e la Pinacoteca").
    pub title: String,
    /// The people present.
    pub attendees: Vec<Id>,
}

/// A group activity of a service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Identifier.
    pub id: Id,
    /// Name.
    pub name: String,
    /// The service line.
    pub line: Id,
    /// Edition ("1ª edizione 2022").
    pub edition: String,
    /// Where it is organised.
    pub desk: Option<Id>,
    /// The enrolled participants.
    pub participants: Vec<Id>,
    /// The sessions.
    pub sessions: Vec<Session>,
    /// Archived.
    pub archived: bool,
}

impl Activity {
    /// Validates the activity against `today`.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        validate::required_text(&mut p, "name", "Il nome dell'attività", &self.name, 160);
        require_ref(&mut p, "line", "La linea di servizio", self.line);
        optional_text(&mut p, "edition", "L'edizione", &self.edition, 80);
        for s in &self.sessions {
            validate::plausible(&mut p, "sessions", "La data dell'incontro", s.date);
            optional_text(&mut p, "sessions", "Il titolo dell'incontro", &s.title, 160);
            if !s.attendees.is_empty() {
                validate::not_future(
                    &mut p,
                    "sessions",
                    "Un incontro con presenze",
                    s.date,
                    today,
                );
            }
            if s.attendees.iter().any(|a| !self.participants.contains(a)) {
                p.add(
                    "sessions",
                    "Le presenze devono riguardare persone iscritte all'attività",
                );
            }
        }
        p
    }
}
