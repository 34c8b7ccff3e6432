//! What the store knows about bandi, kinds of document and pratiche (issue 15).

use super::{Entity, IndexEntries, records, remap_subject, subject_ref};
use crate::domain::time::day_number;
use crate::domain::*;
use chrono::NaiveDate;

catalogue_entity!(
    DocumentKind,
    EntityKind::DocumentKind,
    records::DOCUMENT_KINDS
);

impl Entity for Bando {
    const KIND: EntityKind = EntityKind::Bando;
    const TABLE: records::Def = records::BANDI;
    common!();
    fn validate(&self, _today: NaiveDate) -> Problems {
        Bando::validate(self)
    }
    fn normalize(&mut self) {
        self.code = self.code.trim().to_string();
        self.name = self.name.trim().to_string();
        self.body = self.body.trim().to_string();
        self.edition = self.edition.trim().to_string();
        self.requirements = self.requirements.trim().to_string();
    }
    fn catalogue_entry(&self) -> Option<(&str, &str)> {
        Some((&self.code, &self.name))
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![("measure", EntityKind::Measure, self.measure)];
        r.extend(
            self.documents
                .iter()
                .map(|d| ("documents", EntityKind::DocumentKind, d.kind)),
        );
        r
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.measure = map(EntityKind::Measure, self.measure);
        for d in &mut self.documents {
            d.kind = map(EntityKind::DocumentKind, d.kind);
        }
    }
}

impl Entity for Pratica {
    const KIND: EntityKind = EntityKind::Pratica;
    const TABLE: records::Def = records::PRATICHE;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Pratica::validate(self, today)
    }
    fn normalize(&mut self) {
        self.outcome = self.outcome.trim().to_string();
        self.note = self.note.trim().to_string();
    }
    fn index_entries(&self) -> IndexEntries {
        IndexEntries {
            subjects: vec![self.subject.id()],
            day: Some(day_number(self.requested_on)),
            texts: vec![],
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            subject_ref(self.subject),
            ("bando", EntityKind::Bando, self.bando),
            ("desk", EntityKind::Desk, self.desk),
            ("operator", EntityKind::Operator, self.operator),
        ];
        r.extend(
            self.checklist
                .iter()
                .map(|i| ("checklist", EntityKind::DocumentKind, i.document)),
        );
        r
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        remap_subject(&mut self.subject, map);
        self.bando = map(EntityKind::Bando, self.bando);
        self.desk = map(EntityKind::Desk, self.desk);
        self.operator = map(EntityKind::Operator, self.operator);
        for i in &mut self.checklist {
            i.document = map(EntityKind::DocumentKind, i.document);
        }
    }
}
