//! Another desk's data, read whole from its backup (plain or encrypted) through the
//! backup reader, which checks format, counts and checksum before anything is used.

use super::aliases::Alias;
use super::tracking::Tracking;
use crate::domain::EntityKind;
use crate::store::backup::{self, BackupError, Header, Progress, SecretString, Section};
use crate::store::codec;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The content of another desk's backup.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The file it was read from.
    pub path: PathBuf,
    /// What the backup says about itself (desk, date, counts).
    pub header: Header,
    /// The records of each kind: (id, encoded record), in the backup's order.
    pub records: BTreeMap<EntityKind, Vec<(u128, Vec<u8>)>>,
    /// The other desk's history of its records.
    pub versions: HashMap<u128, Tracking>,
    /// The other desk's merged ids.
    pub aliases: Vec<(u128, Alias)>,
    /// The other desk's registro cancellazioni (applied here too).
    pub erasures: Vec<crate::domain::privacy::Erasure>,
    /// The content of the other desk's attached documents: chunk id → bytes.
    pub chunks: HashMap<u128, Vec<u8>>,
}

impl Incoming {
    /// Reads and checks a whole backup; its audit log and published years are not needed.
    pub fn read(
        path: &Path,
        passphrase: Option<&SecretString>,
        progress: Progress<'_>,
    ) -> Result<Incoming, BackupError> {
        let mut records: BTreeMap<EntityKind, Vec<(u128, Vec<u8>)>> = BTreeMap::new();
        let mut versions = HashMap::new();
        let mut aliases = Vec::new();
        let mut erasures = Vec::new();
        let mut chunks = HashMap::new();
        let damaged = |why: String| BackupError::Damaged(path.into(), why);
        let header = backup::read_each(path, passphrase, progress, &mut |section, key, value| {
            match section {
                Section::Records(kind) => {
                    records.entry(kind).or_default().push((key, value.to_vec()))
                }
                Section::MergeVersions => {
                    let t: Tracking = codec::decode(value).map_err(|e| damaged(e.to_string()))?;
                    versions.insert(key, t);
                }
                Section::MergeAliases => {
                    let a: Alias = codec::decode(value).map_err(|e| damaged(e.to_string()))?;
                    aliases.push((key, a));
                }
                Section::Erasures => {
                    erasures.push(codec::decode(value).map_err(|e| damaged(e.to_string()))?)
                }
                Section::DocumentChunks => {
                    chunks.insert(key, value.to_vec());
                }
                Section::Audit | Section::Published => {}
            }
            Ok(())
        })?;
        Ok(Incoming {
            path: path.to_path_buf(),
            header,
            records,
            versions,
            aliases,
            erasures,
            chunks,
        })
    }

    /// How many records of a kind the other desk has.
    pub fn count(&self, kind: EntityKind) -> usize {
        self.records.get(&kind).map_or(0, |v| v.len())
    }
}
