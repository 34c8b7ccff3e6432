//! The derived table of schema 2: every index entry and every annual count in **one**
//! byte-keyed redb table, bucketed, so a save rewrites a few small values of one tree
//! instead of single entries spread over five trees (schema 1 had `idx_subject`,
//! `idx_date`, `idx_text`, `agg_keys`, `agg_totals`).
//!
//! Keys start with a tag byte; everything after it is big-endian, so the byte order of the
//! keys is the order of the fields:
//!
//! | tag | key | value |
//! |---|---|---|
//! | `0x01` subject | kind, person-or-household id | sorted ids of the records about it |
//! | `0x02` day | kind, day number (sign bit flipped) | sorted ids of the records filed that day |
//! | `0x03` text | index, folded text (UTF-8) | sorted ids of the people with that text |
//! | `0x04` agenda | kind, operator id (nil: none), day number (sign bit flipped) | sorted ids of the records of that operator that can become due on Oggi, filed under that day |
//! | `0x10` total | line, year (sign bit flipped), unit | the annual count, `u64` LE |
//! | `0x11` multiplicities | line, year, bucket (low 12 bits of the key id) | sorted `(unit, key, multiplicity)` entries of 21 bytes |
//!
//! Ids are 16 bytes big-endian. A multiplicity entry is the unit code, the person or
//! household id, and how many qualifying records contribute it (`u32` LE, never 0: an
//! entry that drops to 0 is removed, and a bucket left empty is deleted).

use super::StoreError;
use redb::{ReadableTable, Table, TableDefinition};

/// Index buckets and annual counts (see the module documentation for the key layout).
pub const DERIVED: TableDefinition<&[u8], &[u8]> = TableDefinition::new("derived");

/// Tag of the subject index.
pub const SUBJECT: u8 = 0x01;
/// Tag of the date index.
pub const DAY: u8 = 0x02;
/// Tag of the text index.
pub const TEXT: u8 = 0x03;
/// Tag of Oggi's agenda index (what can become due, by operator and day).
pub const AGENDA: u8 = 0x04;
/// Tag of the annual totals.
pub const TOTAL: u8 = 0x10;
/// Tag of the multiplicity buckets.
pub const MULT: u8 = 0x11;

/// Multiplicity buckets per (line, year).
pub const BUCKETS: u16 = 4096;
/// Bytes of one multiplicity entry: unit, key id, multiplicity.
pub const MULT_ENTRY: usize = 21;

fn flip(n: i32) -> [u8; 4] {
    ((n as u32) ^ 0x8000_0000).to_be_bytes()
}

fn unflip(b: [u8; 4]) -> i32 {
    (u32::from_be_bytes(b) ^ 0x8000_0000) as i32
}

/// Key of the records of a kind about a subject.
pub fn subject_key(kind: u8, subject: u128) -> [u8; 18] {
    let mut k = [0u8; 18];
    k[0] = SUBJECT;
    k[1] = kind;
    k[2..].copy_from_slice(&subject.to_be_bytes());
    k
}

/// Key of the records of a kind filed on a day.
pub fn day_key(kind: u8, day: i32) -> [u8; 6] {
    let mut k = [0u8; 6];
    k[0] = DAY;
    k[1] = kind;
    k[2..].copy_from_slice(&flip(day));
    k
}

/// The day of a day key.
pub fn day_of(key: &[u8]) -> Option<i32> {
    (key.len() == 6 && key[0] == DAY).then(|| unflip([key[2], key[3], key[4], key[5]]))
}

/// Key of the people with a text (folded name or codice fiscale) in an index.
pub fn text_key(index: u8, text: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(text.len() + 2);
    k.push(TEXT);
    k.push(index);
    k.extend_from_slice(text.as_bytes());
    k
}

/// The first key after every text of `index` starting with `prefix`.
pub fn text_prefix_end(index: u8, prefix: &str) -> Vec<u8> {
    let mut k = text_key(index, prefix);
    // No UTF-8 byte is 0xFF: every text with the prefix sorts before this.
    k.push(0xFF);
    k
}

/// Key of the records of a kind of `operator` (nil: none) that can become due on Oggi,
/// filed under `day` (see [`super::entity::IndexEntries::agenda`]).
pub fn agenda_key(kind: u8, operator: u128, day: i32) -> [u8; 22] {
    let mut k = [0u8; 22];
    k[0] = AGENDA;
    k[1] = kind;
    k[2..18].copy_from_slice(&operator.to_be_bytes());
    k[18..].copy_from_slice(&flip(day));
    k
}

/// (operator, day) of an agenda key.
pub fn parse_agenda_key(key: &[u8]) -> Option<(u128, i32)> {
    if key.len() != 22 || key[0] != AGENDA {
        return None;
    }
    let op = u128::from_be_bytes(key[2..18].try_into().ok()?);
    Some((op, unflip(key[18..22].try_into().ok()?)))
}

/// Key of an annual total.
pub fn total_key(line: u128, year: i32, unit: u8) -> [u8; 22] {
    let mut k = [0u8; 22];
    k[0] = TOTAL;
    k[1..17].copy_from_slice(&line.to_be_bytes());
    k[17..21].copy_from_slice(&flip(year));
    k[21] = unit;
    k
}

/// (line, year, unit) of a total key.
pub fn parse_total_key(key: &[u8]) -> Option<(u128, i32, u8)> {
    if key.len() != 22 || key[0] != TOTAL {
        return None;
    }
    let line = u128::from_be_bytes(key[1..17].try_into().ok()?);
    let year = unflip(key[17..21].try_into().ok()?);
    Some((line, year, key[21]))
}

/// The bucket a person's or household's multiplicities are kept in.
pub fn bucket_of(key: u128) -> u16 {
    (key as u16) & (BUCKETS - 1)
}

/// Key of a multiplicity bucket.
pub fn mult_key(line: u128, year: i32, bucket: u16) -> [u8; 23] {
    let mut k = [0u8; 23];
    k[0] = MULT;
    k[1..17].copy_from_slice(&line.to_be_bytes());
    k[17..21].copy_from_slice(&flip(year));
    k[21..].copy_from_slice(&bucket.to_be_bytes());
    k
}

/// (line, year) of a multiplicity bucket key.
pub fn parse_mult_key(key: &[u8]) -> Option<(u128, i32)> {
    if key.len() != 23 || key[0] != MULT {
        return None;
    }
    let line = u128::from_be_bytes(key[1..17].try_into().ok()?);
    let year = unflip(key[17..21].try_into().ok()?);
    Some((line, year))
}

fn check_ids(value: &[u8]) -> Result<(), StoreError> {
    if !value.len().is_multiple_of(16) {
        return Err(StoreError::Corrupt(
            "voce dell'indice di lunghezza impossibile".into(),
        ));
    }
    Ok(())
}

/// The ids of an index bucket, checked.
pub fn ids(value: &[u8]) -> Result<impl Iterator<Item = u128> + '_, StoreError> {
    check_ids(value)?;
    Ok(value
        .chunks_exact(16)
        .map(|c| u128::from_be_bytes(c.try_into().unwrap_or([0; 16]))))
}

/// The ids of the records of a kind about a subject (person or household), in id order.
pub fn subject_ids(
    t: &impl ReadableTable<&'static [u8], &'static [u8]>,
    kind: u8,
    subject: u128,
) -> Result<Vec<u128>, StoreError> {
    match t.get(subject_key(kind, subject).as_slice())? {
        Some(v) => Ok(ids(v.value())?.collect()),
        None => Ok(Vec::new()),
    }
}

/// The entries of a multiplicity bucket: (unit, key, multiplicity), checked.
pub fn mult_entries(
    value: &[u8],
) -> Result<impl Iterator<Item = (u8, u128, u32)> + '_, StoreError> {
    if !value.len().is_multiple_of(MULT_ENTRY) {
        return Err(StoreError::Corrupt(
            "molteplicità di lunghezza impossibile".into(),
        ));
    }
    Ok(value.chunks_exact(MULT_ENTRY).map(|c| {
        (
            c[0],
            u128::from_be_bytes(c[1..17].try_into().unwrap_or([0; 16])),
            u32::from_le_bytes(c[17..21].try_into().unwrap_or([0; 4])),
        )
    }))
}

/// Appends one multiplicity entry to a bucket value being built (in sorted order).
pub fn push_mult_entry(value: &mut Vec<u8>, unit: u8, key: u128, m: u32) {
    value.push(unit);
    value.extend_from_slice(&key.to_be_bytes());
    value.extend_from_slice(&m.to_le_bytes());
}

/// Position of `id` in a sorted id list: `Ok` where it is, `Err` where it would go.
fn find_id(value: &[u8], id: u128) -> Result<usize, usize> {
    let n = value.len() / 16;
    let at =
        |i: usize| u128::from_be_bytes(value[i * 16..i * 16 + 16].try_into().unwrap_or([0; 16]));
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match at(mid).cmp(&id) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Ok(mid),
        }
    }
    Err(lo)
}

type Derived<'t> = Table<'t, &'static [u8], &'static [u8]>;

fn read(t: &Derived<'_>, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(t.get(key)?.map(|v| v.value().to_vec()))
}

/// Adds a record id to an index bucket (nothing when already there).
pub fn add_id(t: &mut Derived<'_>, key: &[u8], id: u128) -> Result<(), StoreError> {
    let mut v = read(t, key)?.unwrap_or_default();
    check_ids(&v)?;
    if let Err(at) = find_id(&v, id) {
        v.splice(at * 16..at * 16, id.to_be_bytes());
        t.insert(key, v.as_slice())?;
    }
    Ok(())
}

/// Removes a record id from an index bucket, deleting the bucket when it empties.
pub fn remove_id(t: &mut Derived<'_>, key: &[u8], id: u128) -> Result<(), StoreError> {
    let Some(mut v) = read(t, key)? else {
        return Ok(());
    };
    check_ids(&v)?;
    if let Ok(at) = find_id(&v, id) {
        v.drain(at * 16..at * 16 + 16);
        if v.is_empty() {
            t.remove(key)?;
        } else {
            t.insert(key, v.as_slice())?;
        }
    }
    Ok(())
}

/// Changes the multiplicity of (unit, key) in (line, year) by `delta`; returns the old and
/// the new multiplicity. A multiplicity can never go below zero.
pub fn change_mult(
    t: &mut Derived<'_>,
    line: u128,
    year: i32,
    unit: u8,
    key: u128,
    delta: i64,
) -> Result<(u32, u32), StoreError> {
    let bk = mult_key(line, year, bucket_of(key));
    let mut v = read(t, &bk)?.unwrap_or_default();
    if !v.len().is_multiple_of(MULT_ENTRY) {
        return Err(StoreError::Corrupt(
            "molteplicità di lunghezza impossibile".into(),
        ));
    }
    let n = v.len() / MULT_ENTRY;
    let sort_key = |i: usize| {
        let c = &v[i * MULT_ENTRY..(i + 1) * MULT_ENTRY];
        (
            c[0],
            u128::from_be_bytes(c[1..17].try_into().unwrap_or([0; 16])),
        )
    };
    let (mut lo, mut hi) = (0, n);
    let mut found = None;
    while lo < hi {
        let mid = (lo + hi) / 2;
        match sort_key(mid).cmp(&(unit, key)) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => {
                found = Some(mid);
                break;
            }
        }
    }
    let old = match found {
        Some(i) => {
            let s = i * MULT_ENTRY + 17;
            u32::from_le_bytes(v[s..s + 4].try_into().unwrap_or([0; 4]))
        }
        None => 0,
    };
    let new = old as i64 + delta;
    if new < 0 || new > u32::MAX as i64 {
        return Err(StoreError::Corrupt(format!(
            "molteplicità impossibile ({old} {delta:+})"
        )));
    }
    let new = new as u32;
    match (found, new) {
        (Some(i), 0) => {
            v.drain(i * MULT_ENTRY..(i + 1) * MULT_ENTRY);
        }
        (Some(i), m) => {
            let s = i * MULT_ENTRY + 17;
            v[s..s + 4].copy_from_slice(&m.to_le_bytes());
        }
        (None, 0) => return Ok((0, 0)),
        (None, m) => {
            let mut e = Vec::with_capacity(MULT_ENTRY);
            push_mult_entry(&mut e, unit, key, m);
            v.splice(lo * MULT_ENTRY..lo * MULT_ENTRY, e);
        }
    }
    if v.is_empty() {
        t.remove(bk.as_slice())?;
    } else {
        t.insert(bk.as_slice(), v.as_slice())?;
    }
    Ok((old, new))
}

/// Reads an annual total (0 when absent).
pub fn total(
    t: &impl ReadableTable<&'static [u8], &'static [u8]>,
    key: &[u8],
) -> Result<u64, StoreError> {
    match t.get(key)? {
        None => Ok(0),
        Some(v) => Ok(u64::from_le_bytes(v.value().try_into().map_err(|_| {
            StoreError::Corrupt("conteggio annuale illeggibile".into())
        })?)),
    }
}

/// Writes an annual total (removed when 0).
pub fn set_total(t: &mut Derived<'_>, key: &[u8], n: u64) -> Result<(), StoreError> {
    if n == 0 {
        t.remove(key)?;
    } else {
        t.insert(key, n.to_le_bytes().as_slice())?;
    }
    Ok(())
}

/// Builds sorted index buckets from unsorted (bucket key, id) pairs: what a restore writes
/// and what `check` expects. Each entry is kept as the bytes of its key followed by the id,
/// unpadded (34 bytes for a subject entry, 22 for a day entry), so sorting the bytes sorts
/// by bucket and then by id.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    subjects: Vec<[u8; 34]>,
    days: Vec<[u8; 22]>,
    texts: Vec<(Vec<u8>, u128)>,
    agenda: Vec<[u8; 38]>,
}

impl IndexBuilder {
    /// Adds the entry of a record about a subject.
    pub fn subject(&mut self, kind: u8, subject: u128, id: u128) {
        let mut e = [0u8; 34];
        e[..18].copy_from_slice(&subject_key(kind, subject));
        e[18..].copy_from_slice(&id.to_be_bytes());
        self.subjects.push(e);
    }

    /// Adds the entry of a record filed on a day.
    pub fn day(&mut self, kind: u8, day: i32, id: u128) {
        let mut e = [0u8; 22];
        e[..6].copy_from_slice(&day_key(kind, day));
        e[6..].copy_from_slice(&id.to_be_bytes());
        self.days.push(e);
    }

    /// Adds a text index entry.
    pub fn text(&mut self, index: u8, text: &str, id: u128) {
        self.texts.push((text_key(index, text), id));
    }

    /// Adds an entry of Oggi's agenda index.
    pub fn agenda(&mut self, kind: u8, operator: u128, day: i32, id: u128) {
        let mut e = [0u8; 38];
        e[..22].copy_from_slice(&agenda_key(kind, operator, day));
        e[22..].copy_from_slice(&id.to_be_bytes());
        self.agenda.push(e);
    }

    /// Adds every index entry of a record.
    pub fn record(&mut self, kind: u8, id: u128, ix: &super::entity::IndexEntries) {
        for s in &ix.subjects {
            self.subject(kind, s.0, id);
        }
        if let Some(d) = ix.day {
            self.day(kind, d, id);
        }
        for (i, t) in &ix.texts {
            self.text(*i, t, id);
        }
        for (op, day) in &ix.agenda {
            self.agenda(kind, op.0, *day, id);
        }
    }

    /// How many entries were added.
    pub fn len(&self) -> usize {
        self.subjects.len() + self.days.len() + self.texts.len() + self.agenda.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sorts the entries (the subject entries on a second thread).
    fn sort(&mut self) {
        let subjects = &mut self.subjects;
        std::thread::scope(|scope| {
            scope.spawn(|| {
                subjects.sort_unstable();
                subjects.dedup();
            });
            self.days.sort_unstable();
            self.days.dedup();
            self.texts.sort_unstable();
            self.texts.dedup();
            self.agenda.sort_unstable();
            self.agenda.dedup();
        });
    }

    /// Every bucket, in key order: (key, sorted ids as the stored value).
    pub fn for_each_bucket(
        mut self,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        fn emit<const N: usize>(
            entries: Vec<[u8; N]>,
            key_len: usize,
            value: &mut Vec<u8>,
            f: &mut impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
        ) -> Result<(), StoreError> {
            let mut i = 0;
            while i < entries.len() {
                let key = &entries[i][..key_len];
                value.clear();
                let start = i;
                while i < entries.len() && entries[i][..key_len] == entries[start][..key_len] {
                    value.extend_from_slice(&entries[i][key_len..]);
                    i += 1;
                }
                f(key, value)?;
            }
            Ok(())
        }
        self.sort();
        let mut value = Vec::new();
        // Tags in key order: subject (1), day (2), text (3), agenda (4).
        emit(std::mem::take(&mut self.subjects), 18, &mut value, &mut f)?;
        emit(std::mem::take(&mut self.days), 6, &mut value, &mut f)?;
        let mut i = 0;
        while i < self.texts.len() {
            value.clear();
            let start = i;
            while i < self.texts.len() && self.texts[i].0 == self.texts[start].0 {
                value.extend_from_slice(&self.texts[i].1.to_be_bytes());
                i += 1;
            }
            f(&self.texts[start].0, &value)?;
        }
        emit(std::mem::take(&mut self.agenda), 22, &mut value, &mut f)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_sort_like_their_fields() {
        assert!(day_key(3, -5) < day_key(3, 0));
        assert!(day_key(3, 0) < day_key(3, 738_000));
        assert!(day_key(3, i32::MAX) < day_key(4, i32::MIN));
        assert_eq!(day_of(&day_key(3, -42)), Some(-42));
        assert!(total_key(1, 2024, 0) < total_key(1, 2025, 0));
        assert_eq!(parse_total_key(&total_key(7, -3, 2)), Some((7, -3, 2)));
        assert_eq!(parse_mult_key(&mult_key(9, 2024, 17)), Some((9, 2024)));
        assert!(text_key(0, "rossi") < text_prefix_end(0, "ross"));
        assert!(text_key(0, "rossa") > text_key(0, "ross"));
        assert!(text_key(0, "rosso") < text_prefix_end(0, "ross"));
        assert!(text_key(0, "rosz") > text_prefix_end(0, "ross"));
    }

    /// The layout is part of the schema: a change to these bytes needs a new schema version
    /// (and a conversion), like a record format change needs a new envelope.
    #[test]
    fn golden_layout_of_schema_2() {
        let id = 0x0193_0000_0000_7000_8000_0000_0000_0001u128;
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(&subject_key(3, id)),
            "010301930000000070008000000000000001"
        );
        assert_eq!(hex(&day_key(3, 739_000)), "0203800b46b8");
        assert_eq!(
            hex(&text_key(0, "rossi mario")),
            "0300726f737369206d6172696f"
        );
        assert_eq!(
            hex(&total_key(id, 2024, 1)),
            "1001930000000070008000000000000001800007e801"
        );
        assert_eq!(
            hex(&mult_key(id, 2024, bucket_of(id))),
            "1101930000000070008000000000000001800007e80001"
        );
        let mut v = Vec::new();
        push_mult_entry(&mut v, 1, id, 3);
        assert_eq!(hex(&v), "010193000000007000800000000000000103000000");
        assert_eq!(bucket_of(id), 1);
        assert_eq!(BUCKETS, 4096);
    }

    fn with_table(f: impl FnOnce(&mut Derived<'_>)) {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .unwrap();
        let w = db.begin_write().unwrap();
        {
            let mut t = w.open_table(DERIVED).unwrap();
            f(&mut t);
        }
        w.commit().unwrap();
    }

    proptest! {
        #[test]
        fn id_buckets_behave_like_a_set(ops in proptest::collection::vec((any::<bool>(), 0u128..40), 0..200)) {
            with_table(|t| {
                let key = subject_key(3, 99);
                let mut model = std::collections::BTreeSet::new();
                for (add, id) in &ops {
                    if *add {
                        add_id(t, &key, *id).unwrap();
                        model.insert(*id);
                    } else {
                        remove_id(t, &key, *id).unwrap();
                        model.remove(id);
                    }
                    let stored: Vec<u128> = match t.get(key.as_slice()).unwrap() {
                        Some(v) => ids(v.value()).unwrap().collect(),
                        None => vec![],
                    };
                    assert_eq!(stored, model.iter().copied().collect::<Vec<_>>());
                }
            });
        }

        #[test]
        fn multiplicities_behave_like_counters(ops in proptest::collection::vec((0u8..2, 0u128..30, any::<bool>()), 0..200)) {
            with_table(|t| {
                let mut model = std::collections::BTreeMap::<(u8, u128), u32>::new();
                for (unit, key, up) in &ops {
                    let m = model.get(&(*unit, *key)).copied().unwrap_or(0);
                    let delta = if *up || m == 0 { 1 } else { -1 };
                    let (old, new) = change_mult(t, 5, 2024, *unit, *key, delta).unwrap();
                    assert_eq!(old, m);
                    assert_eq!(new as i64, m as i64 + delta);
                    if new == 0 { model.remove(&(*unit, *key)); } else { model.insert((*unit, *key), new); }
                }
                let mut stored = std::collections::BTreeMap::new();
                for item in t.range(mult_key(5, 2024, 0).as_slice()..=mult_key(5, 2024, BUCKETS - 1).as_slice()).unwrap() {
                    let (k, v) = item.unwrap();
                    for (u, key, m) in mult_entries(v.value()).unwrap() {
                        assert_eq!(bucket_of(key), u16::from_be_bytes([k.value()[21], k.value()[22]]));
                        assert!(m > 0);
                        stored.insert((u, key), m);
                    }
                }
                assert_eq!(stored, model);
                assert!(change_mult(t, 5, 2024, 0, 1000, -1).is_err());
            });
        }
    }
}
