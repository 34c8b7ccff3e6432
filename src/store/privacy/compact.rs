//! Compaction after an erasure, so the erased bytes leave the file.

use super::KEY_COMPACT_PENDING;
use crate::store::{Store, StoreError};
use redb::TableDefinition;

/// Scratch space that overwrites the free pages after an erasure (deleted at once).
const SCRATCH: TableDefinition<u64, &[u8]> = TableDefinition::new("cancellazione_sovrascrittura");

impl Store {
    /// Compacts the database after an erasure, so the erased bytes leave the file: the
    /// pages the erasure freed are released (empty commits), redb's compaction moves the
    /// live pages down and cuts the file; free pages it leaves inside the file are then
    /// overwritten ([`Store::overwrite_free_pages`]) and the file compacted again.
    pub fn compact_erased(&mut self) -> Result<bool, StoreError> {
        self.release_freed_pages()?;
        let compacted = self.compact()?;
        if self.overwrite_free_pages()? {
            self.release_freed_pages()?;
            self.compact()?;
        }
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.open_table(crate::store::tables::META)?
            .remove(KEY_COMPACT_PENDING)?;
        txn.commit()?;
        Ok(compacted)
    }

    /// Two empty durable commits: redb frees a commit's pages only once no older snapshot
    /// can read them.
    fn release_freed_pages(&self) -> Result<(), StoreError> {
        for _ in 0..2 {
            let mut txn = self.db.begin_write()?;
            txn.set_durability(redb::Durability::Immediate)?;
            txn.commit()?;
        }
        Ok(())
    }

    /// Overwrites every free page left inside the file: a scratch table of zeros larger
    /// than the free space takes them all (redb zero-fills a page it allocates, and takes
    /// free pages before growing the file), then is deleted. Returns whether there were any.
    fn overwrite_free_pages(&mut self) -> Result<bool, StoreError> {
        let free = {
            let txn = self.db.begin_write()?;
            let f = txn
                .stats()
                .map_err(|e| StoreError::Db(e.to_string()))?
                .fragmented_bytes();
            txn.abort()?;
            f
        };
        if free == 0 {
            return Ok(false);
        }
        // 1 KiB values: a few per 4 KiB leaf, so every page taken is a single page, which
        // fits any hole; twice the free space in values is well over the free pages.
        let chunk = [0u8; 1024];
        let n = (free / 1024) * 2 + 64;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        {
            let mut t = txn.open_table(SCRATCH)?;
            for i in 0..n {
                t.insert(i, chunk.as_slice())?;
            }
        }
        txn.commit()?;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.delete_table(SCRATCH)?;
        txn.commit()?;
        Ok(true)
    }
}
