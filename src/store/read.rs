//! Read transactions: a consistent snapshot for lists, lookups, search and counts.

use super::access::View;
use super::access::session::{Eyes, referente_of};
use super::derived::{self, DERIVED};
use super::entity::Entity;
use super::privacy::restriction;
use super::tables::{AUDIT, TEXT_CF, TEXT_NAME, records};
use super::{StoreError, audit, codec};
use crate::domain::person::fold;
use crate::domain::*;
use chrono::NaiveDate;
use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};

/// A consistent snapshot of the database. Writers carry on while it is open.
///
/// Made by [`Store::read_as`](super::Store::read_as) for a signed-in account, it refuses
/// the kinds of record the account may not read ([`StoreError::Denied`]) and hides what it
/// may not see in the records it returns; made by `Store::read`, it is the system's own.
pub struct Reader {
    txn: ReadTransaction,
    through_year: i32,
    view: Option<View>,
}

impl Reader {
    pub(crate) fn new(txn: ReadTransaction, through_year: i32) -> Self {
        Reader {
            txn,
            through_year,
            view: None,
        }
    }

    pub(crate) fn set_view(&mut self, view: View) {
        self.view = Some(view);
    }

    pub(crate) fn view(&self) -> Option<&View> {
        self.view.as_ref()
    }

    /// Refuses a kind the session may not read (all of them, or one subject's).
    pub(crate) fn check_kind(
        &self,
        kind: EntityKind,
        subject: Option<Id>,
    ) -> Result<(), StoreError> {
        match &self.view {
            Some(v) => v.check_read(kind, subject),
            None => Ok(()),
        }
    }

    /// Refuses what needs a permission (the dashboard's aggregates, the audit log).
    fn check_permission(&self, p: Permission) -> Result<(), StoreError> {
        match &self.view {
            Some(v) => v.check(p),
            None => Ok(()),
        }
    }

    /// A record as the session may see it: refused when its kind is not allowed (unless
    /// an extraordinary access opened its subject), with hidden parts cleared.
    fn admit<E: Entity>(&self, mut rec: E) -> Result<E, StoreError> {
        let Some(v) = &self.view else {
            return Ok(rec);
        };
        if v.hides(rec.about()) {
            return Err(restriction::restricted_error());
        }
        v.check_read(rec.access_kind(), rec.about())?;
        self.with_eyes(v, |eyes| rec.redact(eyes));
        Ok(rec)
    }

    /// Whether the session sees `rec`'s content (always, for the system's reader).
    pub(crate) fn content_visible<E: Entity>(&self, rec: &E) -> bool {
        match &self.view {
            Some(v) => self.with_eyes(v, |eyes| rec.content_visible(eyes)),
            None => true,
        }
    }

    /// Runs `f` with the eyes of the session's view, in this snapshot (who is the
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

    /// True when this reader's account may not see the person `id` because their
    /// processing is restricted (art. 18): a list names them without reading them.
    pub fn restricted_for_me(&self, id: Id) -> bool {
        self.view.as_ref().is_some_and(|v| v.hides(Some(id)))
    }

    /// False for a record a list leaves out: about a person whose processing is restricted
    /// (art. 18), for a session that may not see them.
    fn listed<E: Entity>(&self, rec: &E) -> bool {
        !self.view.as_ref().is_some_and(|v| v.hides(rec.about()))
    }

    /// Decodes a stored record for a list: `None` when the list leaves it out, else as
    /// the session may see it.
    fn list_item<E: Entity>(&self, bytes: &[u8]) -> Result<Option<E>, StoreError> {
        let rec: E = codec::decode(bytes)?;
        if !self.listed(&rec) {
            return Ok(None);
        }
        // A record read with another kind's permission (a document, with its owner's) is
        // left out of a list when that permission is missing.
        if rec.access_kind() != E::KIND
            && let Some(v) = &self.view
            && v.check_read(rec.access_kind(), rec.about()).is_err()
        {
            return Ok(None);
        }
        self.admit(rec).map(Some)
    }

    pub(crate) fn txn(&self) -> &ReadTransaction {
        &self.txn
    }

    /// The last year open periods are counted through.
    pub fn through_year(&self) -> i32 {
        self.through_year
    }

    /// One record by id.
    pub fn get<E: Entity>(&self, id: Id) -> Result<Option<E>, StoreError> {
        let t = self.txn.open_table(E::TABLE)?;
        let v = t.get(id.0)?;
        Ok(match v {
            Some(v) => Some(self.admit(codec::decode(v.value())?)?),
            None => None,
        })
    }

    /// One record by id, or [`StoreError::NotFound`].
    pub fn require<E: Entity>(&self, id: Id) -> Result<E, StoreError> {
        self.get(id)?.ok_or(StoreError::NotFound(E::KIND, id))
    }

    /// How many records of a kind (archived included).
    pub fn count<E: Entity>(&self) -> Result<u64, StoreError> {
        Ok(self.txn.open_table(E::TABLE)?.len()?)
    }

    /// Calls `f` for every record of a kind, in id (creation) order, archived included.
    pub fn for_each<E: Entity>(&self, mut f: impl FnMut(E)) -> Result<(), StoreError> {
        self.check_kind(E::KIND, None)?;
        let t = self.txn.open_table(E::TABLE)?;
        for item in t.iter()? {
            let (_, v) = item?;
            if let Some(rec) = self.list_item(v.value())? {
                f(rec);
            }
        }
        Ok(())
    }

    /// Like [`Reader::for_each`], but a record whose head (`H`: its first fields, in order,
    /// none of them ever hidden from a viewer) fails `keep` is skipped without being
    /// decoded whole nor checked: the quick pass of Oggi over every project or case.
    pub(crate) fn for_each_where<E: Entity, H: serde::de::DeserializeOwned>(
        &self,
        keep: impl Fn(&H) -> bool,
        mut f: impl FnMut(E),
    ) -> Result<(), StoreError> {
        self.check_kind(E::KIND, None)?;
        let t = self.txn.open_table(E::TABLE)?;
        for item in t.iter()? {
            let (_, v) = item?;
            if keep(&codec::decode_head::<H>(v.value())?)
                && let Some(rec) = self.list_item(v.value())?
            {
                f(rec);
            }
        }
        Ok(())
    }

    /// Calls `f` for the records of a kind with these ids (sorted, no repetitions), in id
    /// order, as the session may see them (like [`Reader::for_each`]: refused when the
    /// kind is not allowed, restricted people left out, hidden parts cleared); an id
    /// without a record is skipped. What an index has narrowed down (Oggi's agenda index).
    pub(crate) fn for_each_id<E: Entity>(
        &self,
        ids: &[u128],
        mut f: impl FnMut(E),
    ) -> Result<(), StoreError> {
        self.check_kind(E::KIND, None)?;
        self.walk_ids(E::TABLE, ids, |bytes| {
            if let Some(rec) = self.list_item(bytes)? {
                f(rec);
            }
            Ok(())
        })
    }

    /// [`Reader::for_each_id`], but a record whose head (`H`: its first fields, in order,
    /// none of them ever hidden from a viewer) fails `keep` is skipped without being
    /// decoded whole nor checked.
    pub(crate) fn for_each_id_where<E: Entity, H: serde::de::DeserializeOwned>(
        &self,
        ids: &[u128],
        keep: impl Fn(&H) -> bool,
        mut f: impl FnMut(E),
    ) -> Result<(), StoreError> {
        self.check_kind(E::KIND, None)?;
        self.walk_ids(E::TABLE, ids, |bytes| {
            if keep(&codec::decode_head::<H>(bytes)?)
                && let Some(rec) = self.list_item(bytes)?
            {
                f(rec);
            }
            Ok(())
        })
    }

    /// The stored values of these ids (sorted), in id order. Ids are time-ordered, so the
    /// records an index names together (filed on nearby days, say) were mostly created
    /// together and lie side by side: the table is walked from the first id to the last,
    /// which reads each page once; a walk that passes more records than were asked for
    /// (scattered ids) stops and the rest are looked up one by one.
    fn walk_ids(
        &self,
        table: records::Def,
        ids: &[u128],
        mut visit: impl FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let t = self.txn.open_table(table)?;
        let mut next = 0;
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            let mut passed = 0usize;
            for item in t.range(*first..=*last)? {
                let (k, v) = item?;
                let k = k.value();
                // Ids before this key have no record.
                while next < ids.len() && ids[next] < k {
                    next += 1;
                }
                if next < ids.len() && ids[next] == k {
                    visit(v.value())?;
                    next += 1;
                    if next == ids.len() {
                        break;
                    }
                } else {
                    passed += 1;
                    if passed > ids.len() {
                        break;
                    }
                }
            }
        }
        for id in &ids[next..] {
            if let Some(v) = t.get(*id)? {
                visit(v.value())?;
            }
        }
        Ok(())
    }

    /// Every record of a kind, archived included.
    pub fn all<E: Entity>(&self) -> Result<Vec<E>, StoreError> {
        let mut v = Vec::new();
        self.for_each(|e| v.push(e))?;
        Ok(v)
    }

    /// Records of a kind not archived.
    pub fn active<E: Entity>(&self) -> Result<Vec<E>, StoreError> {
        let mut v = Vec::new();
        self.for_each(|e: E| {
            if !e.archived() {
                v.push(e)
            }
        })?;
        Ok(v)
    }

    /// Records of a kind about a person or household (for people: the household's members;
    /// for activities: their participants).
    pub fn by_subject<E: Entity>(&self, subject: Id) -> Result<Vec<E>, StoreError> {
        self.check_kind(E::KIND, Some(subject))?;
        let ids = self.ids_by_subject(E::KIND, subject)?;
        let t = self.txn.open_table(E::TABLE)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let v = t.get(id.0)?.ok_or_else(|| {
                StoreError::Corrupt(format!("indice verso un record mancante ({})", id.short()))
            })?;
            out.extend(self.list_item(v.value())?);
        }
        Ok(out)
    }

    /// Ids of records of a kind about a subject: refused for a kind the session may not
    /// read, none for a person it may not see (art. 18).
    pub fn ids_by_subject(&self, kind: EntityKind, subject: Id) -> Result<Vec<Id>, StoreError> {
        self.check_kind(kind, Some(subject))?;
        if self.restricted_for_me(subject) {
            return Ok(Vec::new());
        }
        let idx = self.txn.open_table(DERIVED)?;
        let ids = derived::subject_ids(&idx, kind.code(), subject.0)?;
        Ok(ids.into_iter().map(Id).collect())
    }

    /// Ids of dated records of a kind between two days (inclusive), in date order:
    /// refused for a kind the session may not read. Records about people it may not see
    /// are among them: reading one by id is refused.
    pub fn ids_by_date(
        &self,
        kind: EntityKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Id>, StoreError> {
        self.check_kind(kind, None)?;
        let idx = self.txn.open_table(DERIVED)?;
        let k = kind.code();
        let (from, to) = (
            derived::day_key(k, time::day_number(from)),
            derived::day_key(k, time::day_number(to)),
        );
        let mut out = Vec::new();
        for item in idx.range(from.as_slice()..=to.as_slice())? {
            let (_, ids) = item?;
            out.extend(derived::ids(ids.value())?.map(Id));
        }
        Ok(out)
    }

    /// How many dated records of a kind fall between two days (inclusive): one pass over
    /// the day buckets, no record read.
    pub fn count_by_date(
        &self,
        kind: EntityKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<usize, StoreError> {
        let idx = self.txn.open_table(DERIVED)?;
        let k = kind.code();
        let (from, to) = (
            derived::day_key(k, time::day_number(from)),
            derived::day_key(k, time::day_number(to)),
        );
        let mut n = 0;
        for item in idx.range(from.as_slice()..=to.as_slice())? {
            n += derived::ids(item?.1.value())?.count();
        }
        Ok(n)
    }

    /// Calls `f` for each dated record of a kind between two days (inclusive), in date
    /// order, without collecting them (a year of contacts at city scale is 280,000).
    pub fn for_each_by_date<E: Entity>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut f: impl FnMut(E),
    ) -> Result<(), StoreError> {
        self.check_kind(E::KIND, None)?;
        let ids = self.ids_by_date(E::KIND, from, to)?;
        let t = self.txn.open_table(E::TABLE)?;
        for id in ids {
            if let Some(v) = t.get(id.0)?
                && let Some(rec) = self.list_item(v.value())?
            {
                f(rec);
            }
        }
        Ok(())
    }

    /// The first and last day any dated record of a kind is filed under (contacts, cases,
    /// projects, referrals), or `None` when there is none. Two index lookups.
    pub fn date_span(
        &self,
        kind: EntityKind,
    ) -> Result<Option<(NaiveDate, NaiveDate)>, StoreError> {
        let idx = self.txn.open_table(DERIVED)?;
        let k = kind.code();
        let (lo, hi) = (derived::day_key(k, i32::MIN), derived::day_key(k, i32::MAX));
        let mut range = idx.range(lo.as_slice()..=hi.as_slice())?;
        let first = match range.next() {
            Some(item) => derived::day_of(item?.0.value()),
            None => return Ok(None),
        };
        let last = match range.next_back() {
            Some(item) => derived::day_of(item?.0.value()),
            None => first,
        };
        match (
            first.and_then(time::from_day_number),
            last.and_then(time::from_day_number),
        ) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            _ => Err(StoreError::Corrupt(
                "data fuori intervallo nell'indice".into(),
            )),
        }
    }

    /// Dated records of a kind between two days (inclusive), in date order.
    pub fn by_date<E: Entity>(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<E>, StoreError> {
        self.check_kind(E::KIND, None)?;
        let ids = self.ids_by_date(E::KIND, from, to)?;
        let t = self.txn.open_table(E::TABLE)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = t.get(id.0)? {
                out.extend(self.list_item(v.value())?);
            }
        }
        Ok(out)
    }

    /// People whose folded "surname name" starts with the folded query, up to `limit`,
    /// alphabetically. Archived people are included; callers filter.
    pub fn search_people(&self, query: &str, limit: usize) -> Result<Vec<Person>, StoreError> {
        self.check_kind(EntityKind::Person, None)?;
        let q = fold(query);
        let idx = self.txn.open_table(DERIVED)?;
        let (lo, hi) = (
            derived::text_key(TEXT_NAME, &q),
            derived::text_prefix_end(TEXT_NAME, &q),
        );
        let people = self.txn.open_table(Person::TABLE)?;
        let mut out = Vec::new();
        'outer: for item in idx.range(lo.as_slice()..hi.as_slice())? {
            let (_, ids) = item?;
            for id in derived::ids(ids.value())? {
                if let Some(v) = people.get(id)?
                    && let Some(p) = self.list_item(v.value())?
                {
                    out.push(p);
                    if out.len() >= limit {
                        break 'outer;
                    }
                }
            }
        }
        Ok(out)
    }

    /// People registered with this codice fiscale (normally at most one).
    pub fn people_by_cf(&self, cf: &str) -> Result<Vec<Person>, StoreError> {
        self.check_kind(EntityKind::Person, None)?;
        let cf = codice_fiscale::normalize(cf);
        let idx = self.txn.open_table(DERIVED)?;
        let ids: Vec<Id> = match idx.get(derived::text_key(TEXT_CF, &cf).as_slice())? {
            Some(v) => derived::ids(v.value())?.map(Id).collect(),
            None => Vec::new(),
        };
        drop(idx);
        let people = self.txn.open_table(Person::TABLE)?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(v) = people.get(id.0)? {
                out.extend(self.list_item(v.value())?);
            }
        }
        Ok(out)
    }

    /// The members of a household.
    pub fn members(&self, household: Id) -> Result<Vec<Person>, StoreError> {
        self.by_subject::<Person>(household)
    }

    /// The annual counts kept incrementally: (line, year, unit) → count.
    pub fn totals(&self) -> Result<Vec<(Id, i32, CountingUnit, u64)>, StoreError> {
        self.check_permission(Permission::Cruscotto)?;
        let t = self.txn.open_table(DERIVED)?;
        let mut out = Vec::new();
        for item in t.range([derived::TOTAL].as_slice()..[derived::TOTAL + 1].as_slice())? {
            let (k, v) = item?;
            let bad = || StoreError::Corrupt("conteggio annuale illeggibile".into());
            let (line, year, unit) = derived::parse_total_key(k.value()).ok_or_else(bad)?;
            let unit = CountingUnit::from_code(unit)
                .ok_or_else(|| StoreError::Corrupt("unità di conteggio sconosciuta".into()))?;
            let n = u64::from_le_bytes(v.value().try_into().map_err(|_| bad())?);
            out.push((Id(line), year, unit, n));
        }
        Ok(out)
    }

    /// The newest audit entries first, up to `limit` (chained or not).
    pub fn audit(&self, limit: usize) -> Result<Vec<(Id, AuditRecord)>, StoreError> {
        self.check_permission(Permission::Registro)?;
        let t = self.txn.open_table(AUDIT)?;
        let mut out = Vec::new();
        for item in t.iter()?.rev().take(limit) {
            let (k, v) = item?;
            out.push((Id(k.value()), audit::decode(v.value())?.record()));
        }
        Ok(out)
    }

    /// How many audit entries there are.
    pub fn audit_len(&self) -> Result<u64, StoreError> {
        Ok(self.txn.open_table(AUDIT)?.len()?)
    }

    /// Every person's and household's counting state, in memory (who belongs to which
    /// household, who is archived): for the counts, so for a session that may see the
    /// dashboard or the registry.
    pub fn mem_world(&self) -> Result<counting::MemWorld, StoreError> {
        if let Some(v) = &self.view
            && !(v.session().may(Permission::Cruscotto) || v.session().may(Permission::Anagrafica))
        {
            v.check(Permission::Cruscotto)?;
        }
        super::aggregates::mem_world(
            &self.txn.open_table(Person::TABLE)?,
            &self.txn.open_table(Household::TABLE)?,
        )
    }

    /// Every annual count recomputed from the records (the reference for the aggregates).
    pub fn full_tally(&self) -> Result<counting::Tally, StoreError> {
        self.check_permission(Permission::Cruscotto)?;
        super::aggregates::full_tally(|def| Ok(self.txn.open_table(def)?), self.through_year)
    }
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
