//! What the store knows about group activities: their participants are the people they
//! are about, and a session that may not see one of them leaves their part as stored.

use super::{Entity, IndexEntries, records, remap_people};
use crate::domain::counting::Countable;
use crate::domain::*;
use crate::store::StoreError;
use chrono::NaiveDate;

impl Entity for Activity {
    const KIND: EntityKind = EntityKind::Activity;
    const TABLE: records::Def = records::ACTIVITIES;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Activity::validate(self, today)
    }
    fn index_entries(&self) -> IndexEntries {
        let mut subjects = self.participants.clone();
        subjects.sort();
        subjects.dedup();
        IndexEntries {
            subjects,
            day: None,
            texts: vec![],
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![("line", EntityKind::ServiceLine, self.line)];
        r.extend(self.desk.map(|d| ("desk", EntityKind::Desk, d)));
        r.extend(
            self.participants
                .iter()
                .map(|p| ("participants", EntityKind::Person, *p)),
        );
        r
    }
    fn keep_hidden_people(
        &mut self,
        old: Option<&Self>,
        hidden: &dyn Fn(Id) -> bool,
    ) -> Result<(), StoreError> {
        crate::store::privacy::restriction::keep_hidden_participants(self, old, hidden)
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.line = map(EntityKind::ServiceLine, self.line);
        self.desk = self.desk.map(|d| map(EntityKind::Desk, d));
        remap_people(&mut self.participants, map);
        for s in &mut self.sessions {
            remap_people(&mut s.attendees, map);
        }
    }
    fn countable(&self) -> Option<Countable<'_>> {
        Some(Countable::Activity(self))
    }
}
