//! The desk merge: another desk's records brought into this database in one write
//! transaction, field by field against what both last had in common.

use super::aliases::{self, Alias};
use super::duplicates::{self, Candidate};
use super::fields::{Choice, Conflict, fields_of, from_fields, three_way};
use super::incoming::Incoming;
use super::people;
use super::tracking::{self, Dot, VERSIONS};
use crate::domain::*;
use crate::store::backup::{Header, Section, body_order};
use crate::store::entity::Entity;
use crate::store::{Store, StoreError, Writer, codec};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// How to merge.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// Work everything out and report it, write nothing.
    pub dry_run: bool,
    /// The operator's decision for each conflict: (record id here, field) → choice.
    pub decisions: HashMap<(Id, String), Choice>,
    /// The decision for every conflict not in `decisions` (the command line's
    /// `--conflitti`); `None`: an undecided conflict stops the merge before it writes.
    pub default_choice: Option<Choice>,
}

/// What a merge did (or, in a dry run, would do) to one kind of record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// Records this database did not have.
    pub added: u64,
    /// Records changed here by the other desk's changes.
    pub updated: u64,
    /// Records already the same.
    pub unchanged: u64,
    /// Records with at least one field changed differently on both sides.
    pub conflicting: u64,
    /// Records of a person already merged here into another (the one that stays decides).
    pub merged_away: u64,
}

/// The outcome of a desk merge.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// What the other desk's backup says about itself.
    pub header: Header,
    /// Per kind of record.
    pub counts: BTreeMap<EntityKind, KindCounts>,
    /// Every conflict, decided or not.
    pub conflicts: Vec<Conflict>,
    /// Catalogue entries of the other desk matched by code to entries here.
    pub catalogue_matched: u64,
    /// Person merges made at the other desk, applied here.
    pub people_merged: u64,
    /// Possible duplicates involving people added by this merge (the same person
    /// registered at both desks under different ids).
    pub duplicates: Vec<Candidate>,
    /// Whether the merge was written (false for a dry run or when nothing changed).
    pub written: bool,
}

impl MergeReport {
    /// Conflicts still to decide.
    pub fn undecided(&self) -> usize {
        self.conflicts.iter().filter(|c| c.choice.is_none()).count()
    }

    /// Whether anything would change here.
    pub fn changes(&self) -> bool {
        self.people_merged > 0
            || self.counts.values().any(|c| c.added > 0 || c.updated > 0)
            || self.conflicts.iter().any(|c| c.choice.is_some())
    }

    /// The counts summed over every kind.
    pub fn total(&self) -> KindCounts {
        let mut t = KindCounts::default();
        for c in self.counts.values() {
            t.added += c.added;
            t.updated += c.updated;
            t.unchanged += c.unchanged;
            t.conflicting += c.conflicting;
            t.merged_away += c.merged_away;
        }
        t
    }
}

/// Why a merge did not write.
#[derive(Debug)]
pub enum MergeError {
    /// The database could not be read or written.
    Store(StoreError),
    /// Conflicts are still to decide: nothing was written. The report lists them.
    Undecided(Box<MergeReport>),
    /// A record of the other desk cannot be brought in.
    Refused {
        /// Its kind.
        kind: EntityKind,
        /// Its id here.
        id: Id,
        /// Why.
        why: String,
    },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Store(e) => write!(f, "{e}"),
            MergeError::Undecided(r) => write!(
                f,
                "Ci sono {} conflitti da decidere: nulla è stato scritto.",
                r.undecided()
            ),
            MergeError::Refused { kind, id, why } => write!(
                f,
                "Impossibile unire {} {} dell'altro sportello: {why}. Nulla è stato scritto.",
                kind.label(),
                id.short()
            ),
        }
    }
}

impl std::error::Error for MergeError {}

impl From<StoreError> for MergeError {
    fn from(e: StoreError) -> Self {
        MergeError::Store(e)
    }
}

impl From<redb::TableError> for MergeError {
    fn from(e: redb::TableError) -> Self {
        MergeError::Store(e.into())
    }
}

impl From<redb::StorageError> for MergeError {
    fn from(e: redb::StorageError) -> Self {
        MergeError::Store(e.into())
    }
}

impl From<codec::CodecError> for MergeError {
    fn from(e: codec::CodecError) -> Self {
        MergeError::Store(e.into())
    }
}

/// Kinds whose entries are matched by code between desks.
pub fn is_catalogue(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Area
            | EntityKind::ServiceLine
            | EntityKind::Desk
            | EntityKind::Measure
            | EntityKind::TerritorialService
            | EntityKind::Role
            | EntityKind::Purpose
            | EntityKind::DocumentKind
            | EntityKind::Bando
    )
}

/// Merges another desk's data (`incoming`, read from its backup) into this database on
/// behalf of `actor`: records unknown here are added; records known here are compared
/// field by field against what both last had in common; the catalogue is matched by code;
/// person merges made there are made here too. One transaction: all of it or nothing.
/// Conflicts not decided by `opts` stop it before it writes ([`MergeError::Undecided`],
/// with the report); a dry run reports and writes nothing. Merging the same data again
/// changes nothing. Every change is in the audit.
pub fn merge_backup(
    store: &Store,
    actor: Id,
    incoming: &Incoming,
    opts: &MergeOptions,
) -> Result<MergeReport, MergeError> {
    let mut w = store.write(actor)?;
    let dot = w.local_dot()?;
    let local_aliases = aliases::all(&w.txn().open_table(aliases::ALIASES)?)?;
    let mut all_aliases = local_aliases.clone();
    for (old, a) in &incoming.aliases {
        if a.shared {
            all_aliases.entry(*old).or_insert_with(|| a.clone());
        }
    }
    let mut e = Engine {
        w,
        incoming,
        opts,
        dot,
        map: HashMap::new(),
        aliases: all_aliases,
        local_aliases,
        new_catalogue_aliases: Vec::new(),
        added_people: Vec::new(),
        report: MergeReport {
            header: incoming.header.clone(),
            counts: BTreeMap::new(),
            conflicts: Vec::new(),
            catalogue_matched: 0,
            people_merged: 0,
            duplicates: Vec::new(),
            written: false,
        },
    };
    for (_, section) in body_order() {
        if let Section::Records(kind) = section {
            e.merge_kind(kind)?;
        }
    }
    e.apply_incoming_aliases()?;
    // People erased here or at the other desk do not come back with its data.
    let erased = crate::store::privacy::apply_registro_in(&mut e.w, &incoming.erasures)?;
    if erased > 0 {
        crate::store::privacy::mark_compaction_pending(e.w.txn())?;
    }
    e.report.duplicates = e.duplicates()?;
    let Engine {
        w,
        mut report,
        new_catalogue_aliases,
        ..
    } = e;
    if report.undecided() > 0 && !opts.dry_run {
        return Err(MergeError::Undecided(Box::new(report)));
    }
    if opts.dry_run || (!report.changes() && erased == 0) {
        // Dropped without commit: nothing written.
        return Ok(report);
    }
    for (old, kind, survivor) in new_catalogue_aliases {
        aliases::put(
            w.txn(),
            old,
            &Alias {
                kind,
                survivor,
                shared: false,
                undo: None,
            },
        )?;
    }
    // A person merge can be undone until the next desk merge.
    people::end_undo(&w)?;
    let total = report.total();
    w.audit(
        Action::MergeDesk,
        EntityKind::Person,
        Id::NIL,
        total.added + total.updated,
    )?;
    w.commit()?;
    report.written = true;
    Ok(report)
}

struct Engine<'a> {
    w: Writer,
    incoming: &'a Incoming,
    opts: &'a MergeOptions,
    dot: Dot,
    /// Other desk's catalogue id → this desk's entry with the same code.
    map: HashMap<u128, u128>,
    /// Ids merged into others, here or at the other desk.
    aliases: HashMap<u128, Alias>,
    local_aliases: HashMap<u128, Alias>,
    new_catalogue_aliases: Vec<(Id, EntityKind, Id)>,
    added_people: Vec<Id>,
    report: MergeReport,
}

/// The id a record of the other desk has here.
fn resolve_with(
    map: &HashMap<u128, u128>,
    aliases: &HashMap<u128, Alias>,
    kind: EntityKind,
    id: Id,
) -> Id {
    if is_catalogue(kind) {
        return map.get(&id.0).map_or(id, |l| Id(*l));
    }
    aliases::resolve(aliases, id)
}

impl Engine<'_> {
    fn merge_kind(&mut self, kind: EntityKind) -> Result<(), MergeError> {
        match kind {
            EntityKind::Area => self.catalogue::<Area>(),
            EntityKind::ServiceLine => self.catalogue::<ServiceLine>(),
            EntityKind::Desk => self.catalogue::<Desk>(),
            EntityKind::Measure => self.catalogue::<Measure>(),
            EntityKind::TerritorialService => self.catalogue::<TerritorialService>(),
            EntityKind::Role => self.catalogue::<Role>(),
            EntityKind::Purpose => self.catalogue::<Purpose>(),
            EntityKind::PrivacyEntry => self.records::<PrivacyEntry>(),
            EntityKind::Appointment => self.records::<Appointment>(),
            EntityKind::DocumentKind => self.catalogue::<DocumentKind>(),
            EntityKind::Bando => self.catalogue::<Bando>(),
            EntityKind::Pratica => self.records::<Pratica>(),
            EntityKind::Document => self.documents(),
            EntityKind::Operator => self.records::<Operator>(),
            EntityKind::Household => self.records::<Household>(),
            EntityKind::Person => self.records::<Person>(),
            EntityKind::Contact => self.records::<Contact>(),
            EntityKind::Case => self.records::<Case>(),
            EntityKind::Project => self.records::<Project>(),
            EntityKind::Referral => self.records::<Referral>(),
            EntityKind::Activity => self.records::<Activity>(),
            // Accounts and application roles belong to the desk whose database this is:
            // the other desk's staff sign in at their own workstation, and bringing their
            // accounts (and password hashes) here would widen who can open this file.
            EntityKind::Account | EntityKind::AccessRole => Ok(()),
        }
    }

    /// Matches the other desk's entries of a catalogue kind to this desk's by code, then
    /// merges them like any record.
    fn catalogue<E: Entity>(&mut self) -> Result<(), MergeError> {
        let Some(list) = self.incoming.records.get(&E::KIND) else {
            return Ok(());
        };
        let mut by_code: HashMap<String, Id> = HashMap::new();
        {
            let t = self.w.txn().open_table(E::TABLE)?;
            for item in redb::ReadableTable::iter(&t)? {
                let (_, v) = item?;
                let entry: E = codec::decode(v.value())?;
                if let Some((code, _)) = entry.catalogue_entry() {
                    by_code.entry(code.to_string()).or_insert(entry.id());
                }
            }
        }
        for (key, bytes) in list {
            let id = Id(*key);
            if self.w.stored::<E>(id)?.is_some() {
                continue;
            }
            if let Some(a) = self.local_aliases.get(key) {
                self.map.insert(*key, a.survivor.0);
                continue;
            }
            let entry: E = codec::decode(bytes)?;
            if let Some((code, _)) = entry.catalogue_entry()
                && let Some(here) = by_code.get(code)
            {
                self.map.insert(*key, here.0);
                self.new_catalogue_aliases.push((id, E::KIND, *here));
                self.report.catalogue_matched += 1;
            }
        }
        self.records::<E>()
    }

    /// The other desk's documents, then the content of those now here: chunks never
    /// change, so a chunk missing here is copied by its id.
    fn documents(&mut self) -> Result<(), MergeError> {
        self.records::<Document>()?;
        let Some(list) = self.incoming.records.get(&EntityKind::Document) else {
            return Ok(());
        };
        let mut t = self
            .w
            .txn()
            .open_table(crate::store::tables::DOCUMENT_CHUNKS)?;
        for (key, _) in list {
            let id = resolve_with(&self.map, &self.aliases, EntityKind::Document, Id(*key));
            let Some(doc) = self.w.stored::<Document>(id)? else {
                continue;
            };
            for c in &doc.chunks {
                if redb::ReadableTable::get(&t, c.0)?.is_none()
                    && let Some(bytes) = self.incoming.chunks.get(&c.0)
                {
                    t.insert(c.0, bytes.as_slice())?;
                }
            }
        }
        Ok(())
    }

    fn records<E: Entity>(&mut self) -> Result<(), MergeError> {
        let incoming = self.incoming;
        let Some(list) = incoming.records.get(&E::KIND) else {
            return Ok(());
        };
        let same = self.unchanged::<E>(list)?;
        for ((key, bytes), same) in list.iter().zip(same) {
            if same {
                self.counts(E::KIND).unchanged += 1;
            } else {
                self.one::<E>(*key, bytes)?;
            }
        }
        Ok(())
    }

    /// Which records of the list this desk already has byte for byte, with the same
    /// history: the common case of a desk merge, found with the tables opened once and
    /// nothing decoded (a backup lists each table in key order: the lookups go in order).
    fn unchanged<E: Entity>(&self, list: &[(u128, Vec<u8>)]) -> Result<Vec<bool>, MergeError> {
        let t = self.w.txn().open_table(E::TABLE)?;
        let versions = self.w.txn().open_table(VERSIONS)?;
        let mut out = Vec::with_capacity(list.len());
        for (key, bytes) in list {
            let id = Id(*key);
            let same = resolve_with(&self.map, &self.aliases, E::KIND, id) == id
                && redb::ReadableTable::get(&t, *key)?
                    .is_some_and(|v| v.value() == bytes.as_slice())
                && match self.incoming.versions.get(key) {
                    None => true,
                    Some(theirs) => *theirs == tracking::get(&versions, id)?,
                };
            out.push(same);
        }
        Ok(out)
    }

    fn counts(&mut self, kind: EntityKind) -> &mut KindCounts {
        self.report.counts.entry(kind).or_default()
    }

    /// Brings in one record of the other desk.
    fn one<E: Entity>(&mut self, key: u128, bytes: &[u8]) -> Result<(), MergeError> {
        let in_id = Id(key);
        let id = resolve_with(&self.map, &self.aliases, E::KIND, in_id);
        if id != in_id && !is_catalogue(E::KIND) {
            self.counts(E::KIND).merged_away += 1;
            return Ok(());
        }
        let mut rec: E = codec::decode(bytes)?;
        {
            let (map, aliases) = (&self.map, &self.aliases);
            rec.remap(&|k, i| resolve_with(map, aliases, k, i));
        }
        rec.set_id(id);
        let theirs = self
            .incoming
            .versions
            .get(&key)
            .cloned()
            .unwrap_or_default();
        let refused = |e: StoreError| MergeError::Refused {
            kind: E::KIND,
            id,
            why: e.to_string(),
        };
        let Some(local) = self.w.stored::<E>(id)? else {
            self.w
                .write_merged(None, rec, theirs, Action::MergeDesk)
                .map_err(refused)?;
            if E::KIND == EntityKind::Person {
                self.added_people.push(id);
            }
            self.counts(E::KIND).added += 1;
            return Ok(());
        };
        let ours = tracking::get(&self.w.txn().open_table(VERSIONS)?, id)?;
        let local_bytes = codec::encode(&local);
        if local_bytes == codec::encode(&rec) && (theirs.is_empty() || theirs == ours) {
            self.counts(E::KIND).unchanged += 1;
            return Ok(());
        }
        let opts = self.opts;
        let decide = |_: EntityKind, id: Id, field: &str| {
            opts.decisions
                .get(&(id, field.to_string()))
                .copied()
                .or(opts.default_choice)
        };
        let fm = three_way(
            E::KIND,
            id,
            &fields_of(&local),
            &ours,
            &fields_of(&rec),
            &theirs,
            &decide,
            self.dot,
        );
        let merged: E = from_fields(fm.merged).map_err(|why| MergeError::Refused {
            kind: E::KIND,
            id,
            why,
        })?;
        let decided = fm.conflicts.iter().filter(|c| c.choice.is_some()).count() as u64;
        let had_conflicts = !fm.conflicts.is_empty();
        if had_conflicts {
            self.counts(E::KIND).conflicting += 1;
            self.report.conflicts.extend(fm.conflicts);
        }
        if codec::encode(&merged) != local_bytes {
            let action = if decided > 0 {
                Action::MergeConflict
            } else {
                Action::MergeDesk
            };
            self.w
                .write_merged(Some(local), merged, fm.tracking, action)
                .map_err(refused)?;
            self.counts(E::KIND).updated += 1;
        } else {
            if fm.tracking != ours {
                tracking::put(self.w.txn(), id, &fm.tracking)?;
            }
            if decided > 0 {
                self.w.audit(Action::MergeConflict, E::KIND, id, decided)?;
            } else if !had_conflicts {
                self.counts(E::KIND).unchanged += 1;
            }
        }
        Ok(())
    }

    /// Person merges made at the other desk that this desk has not made yet: the records
    /// this desk has of the person merged away move to the one who stays.
    fn apply_incoming_aliases(&mut self) -> Result<(), MergeError> {
        for (old, alias) in &self.incoming.aliases {
            if !alias.shared || self.local_aliases.contains_key(old) {
                continue;
            }
            let survivor = aliases::resolve(&self.aliases, alias.survivor);
            let old = Id(*old);
            if alias.kind == EntityKind::Person
                && old != survivor
                && self.w.stored::<Person>(old)?.is_some()
                && self.w.stored::<Person>(survivor)?.is_some()
            {
                people::absorb(&mut self.w, old, survivor).map_err(|e| MergeError::Refused {
                    kind: EntityKind::Person,
                    id: old,
                    why: e.to_string(),
                })?;
                self.report.people_merged += 1;
            }
            aliases::put(
                self.w.txn(),
                old,
                &Alias {
                    kind: alias.kind,
                    survivor,
                    shared: true,
                    undo: None,
                },
            )?;
        }
        Ok(())
    }

    /// Pairs of people that look like the same person, one of them just added.
    fn duplicates(&self) -> Result<Vec<Candidate>, MergeError> {
        if self.added_people.is_empty() {
            return Ok(Vec::new());
        }
        let mut people = Vec::new();
        let t = self.w.txn().open_table(Person::TABLE)?;
        for item in redb::ReadableTable::iter(&t)? {
            let (_, v) = item?;
            people.push(codec::decode::<Person>(v.value())?);
        }
        let added: std::collections::HashSet<Id> = self.added_people.iter().copied().collect();
        Ok(duplicates::candidates(&people)
            .into_iter()
            .filter(|c| added.contains(&c.a) != added.contains(&c.b))
            .collect())
    }
}
