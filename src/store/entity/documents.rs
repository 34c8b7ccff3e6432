//! What the store knows about attached documents (issue 15 part 3): their table, the
//! records they refer to, and that they are read and written with their owner's
//! permissions.

use super::{Entity, IndexEntries, records, remap_subject};
use crate::domain::*;
use chrono::NaiveDate;

impl Entity for Document {
    const KIND: EntityKind = EntityKind::Document;
    const TABLE: records::Def = records::DOCUMENTS;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Document::validate(self, today)
    }
    fn normalize(&mut self) {
        self.file_name = self.file_name.trim().to_string();
        self.note = self.note.trim().to_string();
    }
    /// Filed under its owner and under the person or household the owner is about (the
    /// cartella lists them, an erasure finds them).
    fn index_entries(&self) -> IndexEntries {
        let mut subjects = vec![self.owner.id()];
        if self.subject.id() != self.owner.id() {
            subjects.push(self.subject.id());
        }
        IndexEntries {
            subjects,
            day: None,
            texts: vec![],
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            ("owner", self.owner.kind(), self.owner.id()),
            ("kind", EntityKind::DocumentKind, self.kind),
        ];
        let (kind, id) = match self.subject {
            Subject::Person(id) => (EntityKind::Person, id),
            Subject::Household(id) => (EntityKind::Household, id),
        };
        if id != self.owner.id() {
            r.push(("subject", kind, id));
        }
        r
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn access_kind(&self) -> EntityKind {
        self.owner.kind()
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.owner = self.owner.remapped(map);
        remap_subject(&mut self.subject, map);
        self.kind = map(EntityKind::DocumentKind, self.kind);
    }
}
