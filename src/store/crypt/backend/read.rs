//! The read path of the encrypted backend: stored blocks read and opened, the rules for a
//! block that does not authenticate, and reading ahead when reads follow one another.

use super::*;
use crate::store::crypt::readahead::OpenBlocks;

impl Shared {
    /// Opens data block `block` from `stored`, applying the rules for one that does not
    /// authenticate (see the module documentation).
    fn open_data(&self, block: u64, stored: &[u8], out: &mut [u8]) -> io::Result<()> {
        if !self.loaded() {
            return Err(locked());
        }
        if self.open_into(block, 0, stored, out) {
            return Ok(());
        }
        out.fill(0);
        if stored.iter().all(|&b| b == 0) {
            return Ok(());
        }
        if self.recovering.load(Ordering::Acquire) {
            self.substituted.fetch_add(1, Ordering::AcqRel);
            return Ok(());
        }
        Err(tampered(block))
    }

    /// Reads and opens stored blocks `first..first + n` (all ≥ 1) into `out` (`n` blocks).
    pub(super) fn read_blocks(&self, first: u64, out: &mut [u8]) -> io::Result<()> {
        let mut stored = Vec::new();
        let opened = self.read_open_serial(first, out, &mut stored)?;
        self.judge(first, opened, &stored, out)
    }

    /// Applies the rules of [`Shared::open_data`] to the blocks of a run from the first
    /// that did not open (`opened`) on.
    fn judge(&self, first: u64, opened: usize, stored: &[u8], out: &mut [u8]) -> io::Result<()> {
        let n = out.len() / BLOCK as usize;
        for k in opened..n {
            self.open_data(
                first + k as u64,
                &stored[k * STORED as usize..(k + 1) * STORED as usize],
                &mut out[k * BLOCK as usize..(k + 1) * BLOCK as usize],
            )?;
        }
        Ok(())
    }

    /// Opens the stored blocks of a run (from block `first`) into `out`. Returns how many
    /// blocks from the start authenticated (all of them: `out`'s block count).
    fn open_serial(&self, first: u64, stored: &[u8], out: &mut [u8]) -> usize {
        let pairs = stored
            .chunks_exact(STORED as usize)
            .zip(out.chunks_exact_mut(BLOCK as usize));
        for (k, (s, o)) in pairs.enumerate() {
            if !self.open_into(first + k as u64, 0, s, o) {
                return k;
            }
        }
        out.len() / BLOCK as usize
    }

    /// Reads the stored blocks from `first` (as many as `out` holds) into `stored` (a buffer
    /// kept by the caller) and opens them into `out`. Returns how many blocks from the start
    /// authenticated; the others are left to [`Shared::read_blocks`] to judge.
    fn read_open_serial(
        &self,
        first: u64,
        out: &mut [u8],
        stored: &mut Vec<u8>,
    ) -> io::Result<usize> {
        let n = out.len() / BLOCK as usize;
        stored.resize(n * STORED as usize, 0);
        self.inner.read(stored_at(first), stored)?;
        Ok(self.open_serial(first, stored, out))
    }

    /// Reads whole data blocks from `first` into `out`, served from what is read ahead when
    /// the reads follow one another (see readahead.rs), the ordinary way otherwise.
    pub(super) fn read_sequential(self: &Arc<Self>, first: u64, out: &mut [u8]) -> io::Result<()> {
        if self.recovering.load(Ordering::Acquire) {
            return self.read_blocks(first, out);
        }
        let opener: Arc<dyn OpenBlocks> = self.clone();
        let on_disk = |from: u64| -> io::Result<u64> {
            Ok(self
                .inner
                .len()?
                .saturating_sub(stored_at(from))
                .div_euclid(STORED))
        };
        // A failure to read ahead (the file shortened meanwhile by a commit, a bad sector
        // beyond what was asked) is no failure of the read: the blocks asked for are read
        // again alone, and judged, as always.
        match self.readahead.read(&opener, first, out, &on_disk) {
            Ok(true) => Ok(()),
            Ok(false) | Err(_) => self.read_blocks(first, out),
        }
    }
}

thread_local! {
    /// The stored (sealed) bytes of the last chunk read on this thread, reused.
    static STORED_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl OpenBlocks for Shared {
    fn open_blocks(&self, first: u64, plain: &mut [u8]) -> usize {
        STORED_BUF
            .with_borrow_mut(|stored| self.read_open_serial(first, plain, stored))
            .unwrap_or(0)
    }
}
