//! The streaming half of a restore: the backup's records read and checked on one thread,
//! counted on a second, appended to the new file on a third, and the index buckets and
//! references derived on the way (used by [`super::restore`]).

use super::*;

/// Records per batch handed to the writer thread (one write transaction each).
const BATCH_RECORDS: usize = 50_000;
/// A batch is also sent once it holds this many bytes: memory stays bounded by bytes
/// (a few batches in flight), whatever the size of the records.
const BATCH_BYTES: usize = 32 << 20;

/// What is derived from the records while they stream in: index entries (sorted and
/// inserted at the end) and references to check.
pub(super) struct Derived {
    /// Ids seen so far, per kind (contacts are never referred to and are not kept).
    ids: HashMap<EntityKind, rustc_hash::FxHashSet<u128>>,
    /// References to records not seen (yet): checked at the end.
    pending: rustc_hash::FxHashSet<(EntityKind, u128)>,
    index: IndexBuilder,
    /// Records streamed in, per kind.
    pub(super) counts: BTreeMap<EntityKind, u64>,
}

impl Derived {
    fn new() -> Self {
        Derived {
            ids: HashMap::new(),
            pending: Default::default(),
            index: IndexBuilder::default(),
            counts: BTreeMap::new(),
        }
    }

    fn record<E: Entity>(&mut self, key: u128, value: &[u8]) -> Result<(), String> {
        let r: E = codec::decode(value).map_err(|e| e.to_string())?;
        if r.id().0 != key {
            return Err("l'identificativo interno non corrisponde alla chiave".into());
        }
        *self.counts.entry(E::KIND).or_insert(0) += 1;
        for (_, kind, id) in r.references() {
            if !self.ids.get(&kind).is_some_and(|s| s.contains(&id.0)) {
                self.pending.insert((kind, id.0));
            }
        }
        if E::KIND != EntityKind::Contact {
            self.ids.entry(E::KIND).or_default().insert(key);
        }
        self.index.record(E::KIND.code(), key, &r.index_entries());
        Ok(())
    }
}

type Batch = Arc<Vec<(Section, u128, Vec<u8>)>>;

/// Counts the records as they stream in (on its own thread): the people and households come
/// first in the body, then the records that count.
struct Counter {
    through_year: i32,
    world: MemWorld,
    linked: bool,
    /// People or households arrived after countable records: the counts are redone from the
    /// tables instead.
    late: bool,
    tally: Tally,
}

impl Counter {
    fn add<E: Entity>(&mut self, value: &[u8]) {
        // Already decoded successfully by the reading thread.
        let Ok(r) = codec::decode::<E>(value) else {
            return;
        };
        let any = &r as &dyn Any;
        if let Some(p) = any.downcast_ref::<Person>() {
            self.late |= self.linked;
            self.world.people.insert(
                p.id,
                PersonState {
                    archived: p.archived,
                    household: p.household.map(|m| m.household),
                },
            );
        } else if let Some(h) = any.downcast_ref::<Household>() {
            self.late |= self.linked;
            self.world.households.insert(
                h.id,
                HouseholdState {
                    archived: h.archived,
                    members: vec![],
                },
            );
        } else if let Some(c) = r.countable() {
            if !self.linked {
                self.world.link_members();
                self.linked = true;
            }
            self.tally.add_record(c, &self.world, self.through_year);
        }
    }

    fn batch(&mut self, batch: &Batch) {
        use EntityKind as K;
        for (kind, _, value) in batch.iter() {
            match kind {
                Section::Records(K::Person) => self.add::<Person>(value),
                Section::Records(K::Household) => self.add::<Household>(value),
                Section::Records(K::Contact) => self.add::<Contact>(value),
                Section::Records(K::Case) => self.add::<Case>(value),
                Section::Records(K::Project) => self.add::<Project>(value),
                Section::Records(K::Activity) => self.add::<Activity>(value),
                _ => {}
            }
        }
    }
}

/// From the thread that reads the backup to the one that writes the new database.
enum Msg {
    Batch(Batch),
    Progress(String, u64, u64),
}

/// Runs on the reading thread: decodes and derives, hands records over in batches.
struct StreamSink<'a> {
    path: &'a Path,
    batch: Vec<(Section, u128, Vec<u8>)>,
    batch_bytes: usize,
    derived: Derived,
    tx: std::sync::mpsc::SyncSender<Msg>,
    to_counter: std::sync::mpsc::SyncSender<Batch>,
}

impl StreamSink<'_> {
    fn send(&mut self) -> Result<(), BackupError> {
        self.batch_bytes = 0;
        let batch = Arc::new(std::mem::replace(
            &mut self.batch,
            Vec::with_capacity(BATCH_RECORDS),
        ));
        let stopped = || {
            BackupError::Io(
                self.path.into(),
                std::io::Error::other("scrittura interrotta"),
            )
        };
        self.to_counter.send(batch.clone()).map_err(|_| stopped())?;
        self.tx.send(Msg::Batch(batch)).map_err(|_| stopped())
    }
}

impl Visitor for StreamSink<'_> {
    fn record(
        &mut self,
        table: &str,
        kind: Section,
        key: u128,
        value: &[u8],
    ) -> Result<(), BackupError> {
        let d = &mut self.derived;
        check_value(self.path, table, kind, value, |k| {
            by_kind!(k, d.record(key, value))
        })?;
        self.batch.push((kind, key, value.to_vec()));
        self.batch_bytes += value.len();
        if self.batch.len() >= BATCH_RECORDS || self.batch_bytes >= BATCH_BYTES {
            self.send()?;
        }
        Ok(())
    }
}

/// Writes one batch of records (not durable yet: the file is not live). Backups list each
/// table in key order, so the records are appended through a cursor at the end of their
/// table (leaves packed full, no search per record); a record out of order (a backup made
/// by hand) goes in with an ordinary insert.
fn insert_batch(db: &Database, batch: &Batch) -> Result<(), BackupError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(redb::Durability::None)?;
    {
        let mut i = 0;
        while i < batch.len() {
            let kind = batch[i].0;
            let mut t = txn.open_table(def_of(kind))?;
            let mut late = Vec::new();
            {
                let mut cursor = t.upper_bound_mut(std::ops::Bound::<u128>::Unbounded)?;
                while i < batch.len() && batch[i].0 == kind {
                    let (_, key, value) = &batch[i];
                    match cursor.insert_before(*key, value.as_slice()) {
                        Ok(()) => {}
                        Err(redb::CursorError::UnorderedKey) => late.push(i),
                        Err(redb::CursorError::Storage(e)) => return Err(e.into()),
                        Err(e) => return Err(StoreError::Db(e.to_string()).into()),
                    }
                    i += 1;
                }
                cursor.close()?;
            }
            for j in late {
                let (_, key, value) = &batch[j];
                t.insert(*key, value.as_slice())?;
            }
        }
    }
    txn.commit()?;
    Ok(())
}

/// Inserts the index buckets, built sorted, through a cursor (leaves packed full).
/// Returns how many buckets were written.
pub(super) fn write_indexes(db: &Database, d: &mut Derived) -> Result<u64, BackupError> {
    let mut buckets = 0u64;
    let mut txn = db.begin_write()?;
    txn.set_durability(redb::Durability::None)?;
    {
        let mut t = txn.open_table(DERIVED)?;
        let mut cursor = t.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
        std::mem::take(&mut d.index).for_each_bucket(|k, v| {
            buckets += 1;
            cursor
                .insert_before(k, v)
                .map_err(|e| StoreError::Db(e.to_string()))
        })?;
        cursor.close()?;
    }
    txn.commit()?;
    Ok(buckets)
}

/// References that do not resolve (those to records not seen while streaming are looked
/// up in the new database).
pub(super) fn dangling(db: &Database, d: &Derived) -> Result<Vec<String>, BackupError> {
    let txn = db.begin_read()?;
    let mut out = Vec::new();
    for (kind, id) in &d.pending {
        if d.ids.get(kind).is_some_and(|s| s.contains(id)) {
            continue;
        }
        if txn.open_table(table_of(*kind))?.get(*id)?.is_none() {
            out.push(format!(
                "un riferimento punta a {} inesistente ({})",
                kind.label(),
                Id(*id)
            ));
            if out.len() >= 20 {
                break;
            }
        }
    }
    Ok(out)
}

/// Where the records of a rebuild come from: runs on the reading thread, hands every
/// record to the visitor in body order and returns the header it checked them against.
pub(super) type Source<'a> = Box<
    dyn FnOnce(&mut dyn Visitor, &mut dyn FnMut(&str, u64, u64)) -> Result<Header, BackupError>
        + Send
        + 'a,
>;

/// Reads the records on a second thread (from a backup: decrypt, decompress, decode,
/// derive) and counts on a third, while this one writes the records into `db`. Returns the
/// header, what was derived, and the counts (`None` when they must be redone from the tables).
pub(super) fn stream_into(
    db: &Database,
    path: &Path,
    source: Source<'_>,
    through_year: i32,
    progress: Progress<'_>,
) -> Result<(Header, Derived, Option<Tally>), BackupError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(4);
        let (to_counter, counter_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let counter = scope.spawn(move || {
            let mut c = Counter {
                through_year,
                world: MemWorld::default(),
                linked: false,
                late: false,
                tally: Tally::default(),
            };
            for b in counter_rx.iter() {
                c.batch(&b);
            }
            (!c.late).then_some(c.tally)
        });
        let reader = scope.spawn(move || {
            let mut sink = StreamSink {
                path,
                batch: Vec::with_capacity(BATCH_RECORDS),
                batch_bytes: 0,
                derived: Derived::new(),
                tx: tx.clone(),
                to_counter,
            };
            let mut report = |phase: &str, done: u64, total: u64| {
                let _ = tx.send(Msg::Progress(phase.to_string(), done, total));
            };
            let header = source(&mut sink, &mut report)?;
            sink.send()?;
            Ok::<_, BackupError>((header, sink.derived))
        });
        let mut written: Result<(), BackupError> = Ok(());
        for msg in rx.iter() {
            match msg {
                Msg::Progress(p, d, t) => progress(&p, d, t),
                Msg::Batch(b) => {
                    written = insert_batch(db, &b);
                    if written.is_err() {
                        break;
                    }
                }
            }
        }
        drop(rx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(BackupError::Fatal("lettura del backup interrotta".into())));
        let tally = counter.join().ok().flatten();
        written?;
        let (header, derived) = read?;
        Ok((header, derived, tally))
    })
}
