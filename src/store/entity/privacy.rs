//! What the store knows about the people's privacy logs (issue 9) and appointments
//! (issue 12): both about a person or household, indexed by subject and day.

use super::{Entity, IndexEntries, records, remap_subject, subject_ref};
use crate::domain::time::day_number;
use crate::domain::*;
use crate::store::tables::TEXT_RESTRICTION;
use chrono::NaiveDate;

impl Entity for PrivacyEntry {
    const KIND: EntityKind = EntityKind::PrivacyEntry;
    const TABLE: records::Def = records::PRIVACY;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        // "Now" is the end of the store's today: entries are made as they happen.
        PrivacyEntry::validate(self, today.and_hms_opt(23, 59, 59).unwrap_or_default())
    }
    fn normalize(&mut self) {
        self.version = self.version.trim().to_string();
        self.note = self.note.trim().to_string();
    }
    fn index_entries(&self) -> IndexEntries {
        IndexEntries {
            subjects: vec![self.person],
            day: Some(day_number(self.at.date())),
            texts: if self.act.is_restriction() {
                vec![(TEXT_RESTRICTION, String::new())]
            } else {
                vec![]
            },
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![("person", EntityKind::Person, self.person)];
        r.extend(self.purpose.map(|p| ("purpose", EntityKind::Purpose, p)));
        r.extend(self.operator.map(|o| ("operator", EntityKind::Operator, o)));
        r
    }
    fn about(&self) -> Option<Id> {
        Some(self.person)
    }
    fn write_needs(&self) -> &'static [Permission] {
        if self.act.is_restriction() {
            &crate::store::privacy::restriction::SEE_RESTRICTED
        } else {
            &[]
        }
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.person = map(EntityKind::Person, self.person);
        self.purpose = self.purpose.map(|p| map(EntityKind::Purpose, p));
        self.operator = self.operator.map(|o| map(EntityKind::Operator, o));
    }
}

impl Entity for Appointment {
    const KIND: EntityKind = EntityKind::Appointment;
    const TABLE: records::Def = records::APPOINTMENTS;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Appointment::validate(self, today)
    }
    fn normalize(&mut self) {
        self.note = self.note.trim().to_string();
    }
    fn index_entries(&self) -> IndexEntries {
        IndexEntries {
            subjects: vec![self.subject.id()],
            day: Some(day_number(self.start.date())),
            texts: vec![],
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            subject_ref(self.subject),
            ("desk", EntityKind::Desk, self.desk),
            ("operator", EntityKind::Operator, self.operator),
        ];
        r.extend(self.line.map(|l| ("line", EntityKind::ServiceLine, l)));
        r.extend(self.contact.map(|c| ("contact", EntityKind::Contact, c)));
        r
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        remap_subject(&mut self.subject, map);
        self.desk = map(EntityKind::Desk, self.desk);
        self.operator = map(EntityKind::Operator, self.operator);
        self.line = self.line.map(|l| map(EntityKind::ServiceLine, l));
        self.contact = self.contact.map(|c| map(EntityKind::Contact, c));
    }
}
