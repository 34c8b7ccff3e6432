//! Appointments (appuntamenti): a person or household booked with an operator at a desk.
//! When the person comes the appointment becomes a contact (and points to it); a
//! «non presentato» is recorded as such and counted per line and year.

use super::contact::{Subject, require_ref};
use super::ids::Id;
use super::time::datetime_serde;
use super::validate::{self, Problems, optional_text};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The shortest appointment, in minutes.
pub const MIN_MINUTES: u16 = 5;
/// The longest appointment, in minutes (a working day).
pub const MAX_MINUTES: u16 = 480;

/// What became of an appointment. Variants are only appended (stored format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum AppointmentOutcome {
    /// Booked, still to come.
    #[default]
    Previsto,
    /// The person came: the appointment points to the contact recorded.
    Svolto,
    /// The person did not come.
    NonPresentato,
    /// Cancelled (by the person or the service).
    Annullato,
}

impl AppointmentOutcome {
    /// Every outcome, in display order.
    pub const ALL: [AppointmentOutcome; 4] = [
        AppointmentOutcome::Previsto,
        AppointmentOutcome::Svolto,
        AppointmentOutcome::NonPresentato,
        AppointmentOutcome::Annullato,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            AppointmentOutcome::Previsto => "Previsto",
            AppointmentOutcome::Svolto => "Svolto",
            AppointmentOutcome::NonPresentato => "Non presentato",
            AppointmentOutcome::Annullato => "Annullato",
        }
    }

    /// True while the appointment is still to be held (it can still be turned into a
    /// contact, marked as a no-show or cancelled).
    pub fn is_open(self) -> bool {
        self == AppointmentOutcome::Previsto
    }
}

/// One appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// Identifier.
    pub id: Id,
    /// The person or household expected.
    pub subject: Subject,
    /// The operator who will receive them.
    pub operator: Id,
    /// The desk where it takes place.
    pub desk: Id,
    /// When it starts.
    #[serde(with = "datetime_serde")]
    pub start: NaiveDateTime,
    /// Expected duration in minutes ([`MIN_MINUTES`]–[`MAX_MINUTES`]).
    pub minutes: u16,
    /// The service line it is for, when known.
    pub line: Option<Id>,
    /// What to bring, what it is about (printed on the reminder slip).
    pub note: String,
    /// What became of it.
    pub outcome: AppointmentOutcome,
    /// The contact recorded when the person came (set with [`AppointmentOutcome::Svolto`]).
    pub contact: Option<Id>,
    /// Archived.
    pub archived: bool,
}

impl Appointment {
    /// A new appointment still to come, with no line and no note.
    pub fn new(
        subject: Subject,
        operator: Id,
        desk: Id,
        start: NaiveDateTime,
        minutes: u16,
    ) -> Appointment {
        Appointment {
            id: Id::NIL,
            subject,
            operator,
            desk,
            start,
            minutes,
            line: None,
            note: String::new(),
            outcome: AppointmentOutcome::Previsto,
            contact: None,
            archived: false,
        }
    }

    /// When it should end.
    pub fn end(&self) -> NaiveDateTime {
        self.start + chrono::Duration::minutes(i64::from(self.minutes))
    }

    /// Validates the appointment against `today` (the store's clock). Future dates are
    /// allowed for an appointment still to come, not for one held or missed.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(
            &mut p,
            "subject",
            "La persona o il nucleo",
            self.subject.id(),
        );
        require_ref(&mut p, "operator", "L'operatore", self.operator);
        require_ref(&mut p, "desk", "Lo sportello", self.desk);
        validate::plausible(
            &mut p,
            "start",
            "La data dell'appuntamento",
            self.start.date(),
        );
        if !(MIN_MINUTES..=MAX_MINUTES).contains(&self.minutes) {
            p.add(
                "minutes",
                format!("La durata deve essere tra {MIN_MINUTES} e {MAX_MINUTES} minuti (8 ore)"),
            );
        }
        optional_text(&mut p, "note", "Le note", &self.note, 2000);
        match self.outcome {
            AppointmentOutcome::Svolto => {
                if self.contact.is_none_or(|c| c == Id::NIL) {
                    p.add(
                        "contact",
                        "Un appuntamento svolto deve indicare l'accesso registrato",
                    );
                }
                validate::not_future(
                    &mut p,
                    "start",
                    "La data di un appuntamento svolto",
                    self.start.date(),
                    today,
                );
            }
            AppointmentOutcome::NonPresentato => {
                if self.start.date() > today {
                    p.add(
                        "outcome",
                        "Non si può segnare «non presentato» un appuntamento futuro",
                    );
                }
            }
            AppointmentOutcome::Previsto | AppointmentOutcome::Annullato => {}
        }
        if self.outcome != AppointmentOutcome::Svolto && self.contact.is_some() {
            p.add(
                "contact",
                "Solo un appuntamento svolto può indicare un accesso registrato",
            );
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn rules() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut a = Appointment::new(
            Subject::Person(Id::new()),
            Id::new(),
            Id::new(),
            at(10, 9),
            30,
        );
        assert!(a.validate(today).is_empty());
        a.minutes = 4;
        assert!(a.validate(today).for_field("minutes").is_some());
        a.minutes = 30;
        a.outcome = AppointmentOutcome::NonPresentato;
        assert!(a.validate(today).for_field("outcome").is_some());
        a.start = at(2, 9);
        assert!(a.validate(today).is_empty());
        a.outcome = AppointmentOutcome::Svolto;
        assert!(a.validate(today).for_field("contact").is_some());
        a.contact = Some(Id::new());
        assert!(a.validate(today).is_empty());
    }
}
