//! Write transactions: validated inserts, updates and archiving, with indexes, aggregates
//! and the audit entry written in the same transaction.

use super::access::View;
use super::access::session::{Eyes, referente_of};
use super::derived::{self, DERIVED};
use super::entity::{Entity, IndexEntries, table_of};
use super::merge::tracking::{self, Dot, Tracking};
use super::privacy::restriction;
use super::{StoreError, audit, codec};
use super::{aggregates, rules};
use crate::domain::counting::Contribution;
use crate::domain::*;
use chrono::{NaiveDate, NaiveDateTime};
use redb::{Durability, ReadableTable, WriteTransaction};
use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};

/// Refuses a value over [`codec::MAX_RECORD_BYTES`] (what a backup can carry).
pub(crate) fn bounded(bytes: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    if bytes.len() > codec::MAX_RECORD_BYTES {
        let mut p = Problems::default();
        p.add(
            "_record",
            format!(
                "Il record è troppo grande ({} MB; il massimo è {} MB)",
                bytes.len() >> 20,
                codec::MAX_RECORD_BYTES >> 20
            ),
        );
        return Err(StoreError::Invalid(p));
    }
    Ok(bytes)
}

/// One write transaction, on behalf of one operator. Dropping it without
/// [`Writer::commit`] writes nothing. Made by [`Store::write_as`](super::Store::write_as)
/// for a signed-in account, it refuses kinds the account may not write and keeps what the
/// account could not see as it was stored.
pub struct Writer {
    txn: WriteTransaction,
    actor: Id,
    view: Option<View>,
    today: NaiveDate,
    now: NaiveDateTime,
    through_year: i32,
    /// In bulk mode aggregates are rebuilt afterwards and one audit entry per kind is written.
    bulk: Option<BTreeMap<EntityKind, u64>>,
    /// The dot stamped on the fields this transaction changes (taken when first needed).
    dot: Option<Dot>,
    /// The account a system transaction is attributed to (an erasure checked against a
    /// session's permissions, then done by the store itself).
    attributed: Id,
}

/// What a write records about the history of the record (`store::merge::tracking`).
pub(crate) enum Track {
    /// A change made here: the changed fields get this transaction's dot.
    Local,
    /// A record written by a merge, with the history the merge worked out; the rules
    /// across records are not checked again (the record was accepted where it was made).
    Merged(Tracking),
}

/// Whether `rec` has content that `eyes` may not see.
fn hides_something<E: Entity>(rec: &E, eyes: &dyn crate::domain::access::Sees) -> bool {
    let mut seen = rec.clone();
    seen.redact(eyes);
    codec::encode(&seen) != codec::encode(rec)
}

impl Writer {
    pub(crate) fn new(
        mut txn: WriteTransaction,
        actor: Id,
        through_year: i32,
        bulk: bool,
        clock: time::Clock,
    ) -> Result<Self, StoreError> {
        txn.set_durability(Durability::Immediate)?;
        Ok(Writer {
            txn,
            actor,
            view: None,
            today: clock.today(),
            now: clock.now_minute(),
            through_year,
            bulk: bulk.then(BTreeMap::new),
            dot: None,
            attributed: Id::NIL,
        })
    }

    /// The operator on whose behalf this transaction writes.
    pub fn actor(&self) -> Id {
        self.actor
    }

    pub(crate) fn set_view(&mut self, view: View) {
        self.view = Some(view);
    }

    /// The account on whose behalf this transaction writes (nil for the system).
    pub fn account(&self) -> Id {
        self.view
            .as_ref()
            .map_or(self.attributed, |v| v.session().account())
    }

    /// Attributes this system transaction's audit entries to `account`.
    pub(crate) fn attribute_to(&mut self, account: Id) {
        self.attributed = account;
    }

    /// The last year in which open cases and projects are counted, as this transaction
    /// reads it.
    pub(crate) fn through_year(&self) -> i32 {
        self.through_year
    }

    /// "Today" for this transaction.
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
    }

    /// Refuses a write the session may not make, and puts back in `new` what it could not
    /// see of `old`.
    pub(crate) fn guard<E: Entity>(&self, old: Option<&E>, new: &mut E) -> Result<(), StoreError> {
        let Some(v) = &self.view else {
            return Ok(());
        };
        v.check_write(new.access_kind(), new.about())?;
        for rec in std::iter::once(&*new).chain(old) {
            // A restricted person's data is written by coordinators only (art. 18).
            if v.hides(rec.about()) {
                return Err(restriction::restricted_error());
            }
            for p in rec.write_needs() {
                v.check(*p)?;
            }
        }
        new.keep_hidden_people(old, &|p| v.hides(Some(p)))?;
        if let Some(old) = old {
            v.check_write(old.access_kind(), old.about())?;
            let reshaped =
                self.with_eyes(v, |eyes| hides_something(old, eyes) && !new.same_shape(old));
            if reshaped {
                return Err(super::access::denied(
                    "Non puoi cambiare il tipo di un progetto di cui non vedi il contenuto: andrebbero persi dati che non ti sono mostrati. Chiedi a chi ha il permesso.",
                ));
            }
            let revealed = self.with_eyes(v, |eyes| {
                new.keep_hidden(old, eyes);
                // What was hidden stays hidden: a change of the fields that decide who
                // sees the content (author, referente, line, kind of project) must not
                // hand the session what it was not shown (content is hidden or shown
                // whole, per record).
                hides_something(old, eyes) && !hides_something(new, eyes)
            });
            if revealed {
                return Err(super::access::denied(
                    "Non puoi cambiare operatore, referente, linea o tipo di un record di cui non vedi il contenuto: lo renderebbe visibile a te. Chiedi a chi ha il permesso.",
                ));
            }
        }
        Ok(())
    }

    /// Runs `f` with the eyes of the session's view, in this transaction (who is the
    /// referente of a case is read from it).
    fn with_eyes<R>(&self, view: &View, f: impl FnOnce(&Eyes) -> R) -> R {
        let referente = |s: Subject, op: Id| match (
            self.txn.open_table(DERIVED),
            self.txn.open_table(Case::TABLE),
        ) {
            (Ok(idx), Ok(cases)) => referente_of(&idx, &cases, s, op),
            _ => false,
        };
        f(&Eyes {
            view,
            referente: &referente,
        })
    }

    /// Whether the session writing sees `rec`'s content (always, for the system).
    pub(crate) fn content_visible<E: Entity>(&self, rec: &E) -> bool {
        match &self.view {
            Some(v) => self.with_eyes(v, |eyes| rec.content_visible(eyes)),
            None => true,
        }
    }

    /// "Now" for this transaction's audit entries.
    pub(crate) fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// Reads a record inside this transaction as the account writing may see it, as
    /// `Store::read_as` does: refused when it is about a person whose processing is
    /// restricted (art. 18) and the session may not see them, or when its kind is not the
    /// session's to read; hidden parts cleared (a save puts them back from the stored
    /// record). The system's transactions read it as stored.
    pub fn get<E: Entity>(&self, id: Id) -> Result<Option<E>, StoreError> {
        let Some(mut rec) = self.stored::<E>(id)? else {
            return Ok(None);
        };
        if let Some(v) = &self.view {
            if v.hides(rec.about()) {
                return Err(restriction::restricted_error());
            }
            v.check_read(rec.access_kind(), rec.about())?;
            self.with_eyes(v, |eyes| rec.redact(eyes));
        }
        Ok(Some(rec))
    }

    /// Reads a record inside this transaction as stored (the store's own work: merges,
    /// counts, the old side of an update).
    pub(crate) fn stored<E: Entity>(&self, id: Id) -> Result<Option<E>, StoreError> {
        let t = self.txn.open_table(E::TABLE)?;
        let v = t.get(id.0)?;
        Ok(match v {
            Some(v) => Some(codec::decode(v.value())?),
            None => None,
        })
    }

    /// Validates and inserts a new record; a nil id is replaced by a fresh UUIDv7.
    pub fn insert<E: Entity>(&mut self, mut rec: E) -> Result<Id, StoreError> {
        if rec.id() == Id::NIL {
            rec.set_id(Id::new());
        }
        if self.exists(E::KIND, rec.id())? {
            return Err(StoreError::Duplicate(E::KIND, rec.id()));
        }
        let id = rec.id();
        self.write(None, rec, Action::Create, Track::Local)?;
        Ok(id)
    }

    /// Validates and replaces an existing record.
    pub fn update<E: Entity>(&mut self, rec: E) -> Result<(), StoreError> {
        let old: E = self
            .stored(rec.id())?
            .ok_or(StoreError::NotFound(E::KIND, rec.id()))?;
        self.write(Some(old), rec, Action::Update, Track::Local)
    }

    /// Archives (or brings back) a record. Nothing is ever hard-deleted.
    pub fn set_archived<E: Entity>(&mut self, id: Id, archived: bool) -> Result<(), StoreError> {
        let old: E = self.stored(id)?.ok_or(StoreError::NotFound(E::KIND, id))?;
        if old.archived() == archived {
            return Ok(());
        }
        let mut new = old.clone();
        new.set_archived(archived);
        self.write(
            Some(old),
            new,
            if archived {
                Action::Archive
            } else {
                Action::Unarchive
            },
            Track::Local,
        )
    }

    /// The dot of this transaction's own changes.
    pub(crate) fn local_dot(&mut self) -> Result<Dot, StoreError> {
        if let Some(d) = self.dot {
            return Ok(d);
        }
        let d = tracking::next_dot(&self.txn)?;
        self.dot = Some(d);
        Ok(d)
    }

    /// Writes a record as a merge worked it out (added, or replacing `old`), with its
    /// history; validated, indexed, counted and audited like any other write.
    pub(crate) fn write_merged<E: Entity>(
        &mut self,
        old: Option<E>,
        rec: E,
        history: Tracking,
        action: Action,
    ) -> Result<(), StoreError> {
        self.write(old, rec, action, Track::Merged(history))
    }

    /// A change made by a merge on this desk's behalf (a record moved to the person who
    /// stays): like [`Writer::update`], audited with `action`.
    pub(crate) fn update_as<E: Entity>(
        &mut self,
        rec: E,
        action: Action,
    ) -> Result<(), StoreError> {
        let old: E = self
            .stored(rec.id())?
            .ok_or(StoreError::NotFound(E::KIND, rec.id()))?;
        self.write(Some(old), rec, action, Track::Local)
    }

    /// Removes a record whose id lives on as an alias of another (a person merged into
    /// another, with nothing left referring to it): archived first, so every count that
    /// depended on it is taken out, then its indexes, history and value are removed.
    pub(crate) fn remove<E: Entity>(&mut self, id: Id, action: Action) -> Result<E, StoreError> {
        let old: E = self.stored(id)?.ok_or(StoreError::NotFound(E::KIND, id))?;
        if !old.archived() {
            let mut archived = old.clone();
            archived.set_archived(true);
            self.write(Some(old.clone()), archived, action, Track::Local)?;
        }
        let current: E = self.stored(id)?.ok_or(StoreError::NotFound(E::KIND, id))?;
        let counting = self.bulk.is_none();
        if counting {
            let before = aggregates::of_record(&self.txn, &current, self.through_year)?;
            aggregates::apply(&self.txn, &before, -1)?;
        }
        self.reindex(
            E::KIND,
            id,
            Some(current.index_entries()),
            IndexEntries::default(),
        )?;
        self.txn.open_table(E::TABLE)?.remove(id.0)?;
        tracking::remove(&self.txn, id)?;
        Ok(old)
    }

    /// Commits durably. In bulk mode, writes one audit entry per kind of record loaded.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if let Some(counts) = self.bulk.take() {
            for (kind, count) in counts {
                self.audit(Action::Import, kind, Id::NIL, count)?;
            }
        }
        self.txn.commit()?;
        Ok(())
    }

    pub(crate) fn txn(&self) -> &WriteTransaction {
        &self.txn
    }

    fn exists(&self, kind: EntityKind, id: Id) -> Result<bool, StoreError> {
        Ok(self.txn.open_table(table_of(kind))?.get(id.0)?.is_some())
    }

    fn write<E: Entity>(
        &mut self,
        old: Option<E>,
        mut new: E,
        action: Action,
        track: Track,
    ) -> Result<(), StoreError> {
        self.guard(old.as_ref(), &mut new)?;
        let flag = self.self_appointed(old.as_ref(), &new);
        new.normalize();
        let merged = matches!(track, Track::Merged(_));
        if !matches!(action, Action::Archive | Action::Unarchive) {
            let mut problems = new.validate(self.today);
            for (field, kind, id) in new.references() {
                if !self.exists(kind, id)? {
                    problems.add(
                        field,
                        format!("{} inesistente ({})", kind.label(), id.short()),
                    );
                }
            }
            if !merged {
                let hidden = |id: Id| self.view.as_ref().is_some_and(|v| v.hides(Some(id)));
                rules::check(&self.txn, old.as_ref(), &new, &hidden, &mut problems)?;
            }
            problems.into_result()?;
        }
        let counting = self.bulk.is_none();
        // People and households change what other records count as: take those records'
        // contributions out under the old state and put them back under the new one.
        let touched = if counting {
            self.membership_touched(old.as_ref(), &new)?
        } else {
            vec![]
        };
        let mut touched_before = Vec::with_capacity(touched.len());
        for r in &touched {
            touched_before.push(self.contributions_of(*r)?);
        }
        let before = match (&old, counting) {
            (Some(o), true) => aggregates::of_record(&self.txn, o, self.through_year)?,
            _ => BTreeSet::new(),
        };
        {
            let bytes = bounded(codec::encode(&new))?;
            let mut t = self.txn.open_table(E::TABLE)?;
            t.insert(new.id().0, bytes.as_slice())?;
        }
        self.reindex(
            E::KIND,
            new.id(),
            old.as_ref().map(|o| o.index_entries()),
            new.index_entries(),
        )?;
        match track {
            Track::Local => {
                if let Some(o) = &old {
                    let changed = tracking::changed_fields(o, &new);
                    if !changed.is_empty() {
                        let dot = self.local_dot()?;
                        tracking::record_local(&self.txn, new.id(), &changed, dot)?;
                    }
                }
            }
            Track::Merged(history) => tracking::put(&self.txn, new.id(), &history)?,
        }
        if counting {
            let after = aggregates::of_record(&self.txn, &new, self.through_year)?;
            aggregates::apply(&self.txn, &before.difference(&after).copied().collect(), -1)?;
            aggregates::apply(&self.txn, &after.difference(&before).copied().collect(), 1)?;
            for (r, b) in touched.iter().zip(touched_before) {
                let a = self.contributions_of(*r)?;
                aggregates::apply(&self.txn, &b.difference(&a).copied().collect(), -1)?;
                aggregates::apply(&self.txn, &a.difference(&b).copied().collect(), 1)?;
            }
        }
        match &mut self.bulk {
            Some(counts) => *counts.entry(E::KIND).or_insert(0) += 1,
            None => match flag {
                None => self.audit(action, E::KIND, new.id(), 1)?,
                Some(detail) => {
                    let mut entry = self.audit_record(action, E::KIND, new.id(), 1);
                    entry.detail = detail.into();
                    entry.flagged = true;
                    audit::append(&self.txn, entry)?;
                }
            },
        }
        Ok(())
    }

    /// The referente of a case sees the confidential notes about its subject: a session
    /// without «note riservate» that makes its own operator the referente (a new case, or
    /// a change of referente) is allowed — it is how a case is taken in — but its audit
    /// entry is flagged for the privacy officer, like an extraordinary access.
    fn self_appointed<E: Entity>(&self, old: Option<&E>, new: &E) -> Option<&'static str> {
        let v = self.view.as_ref()?;
        let me = v.session().operator();
        (me.is_some()
            && new.note_sight() == me
            && old.and_then(|o| o.note_sight()) != me
            && !v.session().may(Permission::NoteRiservate))
        .then_some("si è indicato come referente del caso: vede le note riservate della persona")
    }

    /// Countable records whose contributions depend on the person or household being written.
    fn membership_touched<E: Entity>(
        &self,
        old: Option<&E>,
        new: &E,
    ) -> Result<Vec<(EntityKind, Id)>, StoreError> {
        let mut subjects: Vec<Id> = Vec::new();
        if let Some(p) = (new as &dyn Any).downcast_ref::<Person>() {
            let old = old.and_then(|o| (o as &dyn Any).downcast_ref::<Person>());
            let hh = |p: &Person| p.household.map(|m| m.household);
            let (old_h, old_arch) = old.map(|o| (hh(o), o.archived)).unwrap_or((None, false));
            if old.is_none() && hh(p).is_none() {
                return Ok(vec![]);
            }
            if old.is_some() && old_h == hh(p) && old_arch == p.archived {
                return Ok(vec![]);
            }
            subjects.push(p.id);
            subjects.extend(old_h);
            subjects.extend(hh(p));
        } else if let Some(h) = (new as &dyn Any).downcast_ref::<Household>() {
            let old = old.and_then(|o| (o as &dyn Any).downcast_ref::<Household>());
            if old.is_none_or(|o| o.archived == h.archived) {
                return Ok(vec![]);
            }
            subjects.push(h.id);
            let idx = self.txn.open_table(DERIVED)?;
            let members = derived::subject_ids(&idx, EntityKind::Person.code(), h.id.0)?;
            subjects.extend(members.into_iter().map(Id));
        } else {
            return Ok(vec![]);
        }
        let idx = self.txn.open_table(DERIVED)?;
        let mut out = BTreeSet::new();
        for s in subjects {
            for kind in [
                EntityKind::Contact,
                EntityKind::Case,
                EntityKind::Project,
                EntityKind::Activity,
            ] {
                for r in derived::subject_ids(&idx, kind.code(), s.0)? {
                    out.insert((kind, Id(r)));
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    fn contributions_of(
        &self,
        (kind, id): (EntityKind, Id),
    ) -> Result<BTreeSet<Contribution>, StoreError> {
        fn of<E: Entity>(w: &Writer, id: Id) -> Result<BTreeSet<Contribution>, StoreError> {
            match w.stored::<E>(id)? {
                Some(r) => aggregates::of_record(&w.txn, &r, w.through_year),
                None => Err(StoreError::Corrupt(format!(
                    "indice verso un record mancante ({})",
                    id.short()
                ))),
            }
        }
        match kind {
            EntityKind::Contact => of::<Contact>(self, id),
            EntityKind::Case => of::<Case>(self, id),
            EntityKind::Project => of::<Project>(self, id),
            EntityKind::Activity => of::<Activity>(self, id),
            _ => Ok(BTreeSet::new()),
        }
    }

    fn reindex(
        &self,
        kind: EntityKind,
        id: Id,
        old: Option<IndexEntries>,
        new: IndexEntries,
    ) -> Result<(), StoreError> {
        let old = old.unwrap_or_default();
        if old == new {
            return Ok(());
        }
        let k = kind.code();
        let mut t = self.txn.open_table(DERIVED)?;
        for s in old.subjects.iter().filter(|s| !new.subjects.contains(s)) {
            derived::remove_id(&mut t, &derived::subject_key(k, s.0), id.0)?;
        }
        for s in new.subjects.iter().filter(|s| !old.subjects.contains(s)) {
            derived::add_id(&mut t, &derived::subject_key(k, s.0), id.0)?;
        }
        if old.day != new.day {
            if let Some(d) = old.day {
                derived::remove_id(&mut t, &derived::day_key(k, d), id.0)?;
            }
            if let Some(d) = new.day {
                derived::add_id(&mut t, &derived::day_key(k, d), id.0)?;
            }
        }
        for (i, s) in old.texts.iter().filter(|e| !new.texts.contains(e)) {
            derived::remove_id(&mut t, &derived::text_key(*i, s), id.0)?;
        }
        for (i, s) in new.texts.iter().filter(|e| !old.texts.contains(e)) {
            derived::add_id(&mut t, &derived::text_key(*i, s), id.0)?;
        }
        for (o, d) in old.agenda.iter().filter(|e| !new.agenda.contains(e)) {
            derived::remove_id(&mut t, &derived::agenda_key(k, o.0, *d), id.0)?;
        }
        for (o, d) in new.agenda.iter().filter(|e| !old.agenda.contains(e)) {
            derived::add_id(&mut t, &derived::agenda_key(k, o.0, *d), id.0)?;
        }
        Ok(())
    }

    pub(crate) fn audit(
        &self,
        action: Action,
        kind: EntityKind,
        entity: Id,
        count: u64,
    ) -> Result<(), StoreError> {
        audit::append(&self.txn, self.audit_record(action, kind, entity, count))?;
        Ok(())
    }

    /// The audit entry of a write by this writer, not flagged and without detail.
    fn audit_record(
        &self,
        action: Action,
        kind: EntityKind,
        entity: Id,
        count: u64,
    ) -> AuditRecord {
        AuditRecord {
            at: self.now,
            operator: self.actor,
            account: self.account(),
            action,
            kind,
            entity,
            count,
            detail: String::new(),
            flagged: false,
        }
    }
}
