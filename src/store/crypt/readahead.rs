//! Read-ahead for the encrypted backend: when redb reads blocks in sequence (a table
//! scanned in key order, the integrity check, a backup, a list loaded whole), the next blocks
//! are read and opened ahead, on both cores, and kept here until redb asks for them.
//!
//! Opening a block (XChaCha20-Poly1305, ≈ 3.3 µs per 4 KiB here with chacha20's AVX-512
//! backend, ≈ 4.5 µs with AVX2) is what an encrypted database pays on every read redb's
//! cache does not serve, and it costs more than what redb then does with the block (≈ 1.3 µs
//! in its integrity check). Reads in sequence are the common case of the slow paths: 96 % of
//! the reads of redb's integrity check of a restored city database follow the previous block.
//!
//! How: a run of blocks ahead of the reader is cut into chunks of [`CHUNK`] blocks. A helper
//! thread takes the chunks in order and opens them; the reading thread, when the chunk it
//! needs is not open yet, takes the next free chunk itself (or waits for the one the helper
//! is opening), so both cores open blocks while redb works on those already open. When every
//! chunk of a run is taken the next run is queued (at most two runs are held: 2 MiB).
//!
//! Correctness: what is kept is only ever the content of blocks as they are on the disk.
//! Every write to the file clears what is kept *after* the write ([`ReadAhead::clear`]), and
//! a chunk opened meanwhile is not kept (its run is gone). redb never reads a page while
//! writing it (copy-on-write), so a read overlapping a write is not a case to serve. Blocks
//! that do not authenticate end their chunk there and are not reported: only what redb asks
//! for is judged, by the ordinary path (and while redb recovers from an interrupted commit
//! nothing is read ahead). What is kept is plaintext, like redb's own page cache: zeroized
//! when dropped, and dropped when the keys are forgotten.
//!
//! The helper holds no keys and no reference that keeps the database alive: it reaches the
//! cipher through the database by a weak reference for each chunk, and ends when the
//! database is dropped.

use super::backend::BLOCK;
use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use zeroize::Zeroizing;

/// Blocks per chunk, the unit the threads take and open (64 KiB).
pub(super) const CHUNK: u64 = 16;
/// The longest run read ahead, in blocks (1 MiB).
pub(super) const MAX_WINDOW: u64 = 256;
/// The first run read ahead once a sequence is seen, in blocks.
const FIRST_WINDOW: u64 = 8;
/// Runs held at once: the one being read and the next.
const MAX_RUNS: usize = 2;
/// Chunk buffers kept for reuse (as many as two runs hold).
const SPARES: usize = MAX_RUNS * (MAX_WINDOW / CHUNK) as usize;

/// Reads and opens stored blocks: the encrypted file, or a model in the tests.
pub(super) trait OpenBlocks: Send + Sync {
    /// Reads and opens the blocks of `plain` from `first`; how many from the start
    /// authenticated (0 when they could not be read).
    fn open_blocks(&self, first: u64, plain: &mut [u8]) -> usize;
}

/// One chunk of a run.
enum Chunk {
    /// Not taken by any thread yet.
    Free,
    /// Being read and opened by a thread.
    Taken,
    /// Opened: its plaintext and how many of its blocks authenticated, from its start.
    Open(Zeroizing<Vec<u8>>, usize),
}

/// Blocks `first..first + blocks` read ahead, chunk by chunk.
struct Run {
    /// Tells this run from a later one over the same blocks.
    id: u64,
    first: u64,
    blocks: u64,
    chunks: Vec<Chunk>,
    /// The first chunk not taken yet (chunks are taken in order).
    next_free: usize,
}

impl Run {
    fn new(id: u64, first: u64, blocks: u64) -> Run {
        let n = blocks.div_ceil(CHUNK) as usize;
        Run {
            id,
            first,
            blocks,
            chunks: (0..n).map(|_| Chunk::Free).collect(),
            next_free: 0,
        }
    }

    fn end(&self) -> u64 {
        self.first + self.blocks
    }

    /// Blocks of chunk `k`: its first block and how many.
    fn span(&self, k: usize) -> (u64, u64) {
        let from = self.first + k as u64 * CHUNK;
        (from, CHUNK.min(self.end() - from))
    }

    fn covers(&self, first: u64, n: u64) -> bool {
        first >= self.first && first + n <= self.end()
    }
}

/// A chunk taken by a thread: which run, which chunk, its blocks.
#[derive(Clone, Copy)]
struct Taken {
    run: u64,
    chunk: usize,
    first: u64,
    blocks: u64,
}

/// The runs and what tells a sequence.
#[derive(Default)]
struct State {
    runs: VecDeque<Run>,
    next_id: u64,
    /// The block a read in sequence with the runs would start at.
    next: u64,
    /// The block a read in sequence with the last read the runs did not serve would start
    /// at (a new sequence starts there).
    miss_next: u64,
    /// The run to read ahead on the next read in sequence (0: none yet).
    window: u64,
    /// The helper thread is started.
    helper: bool,
    /// The database is dropped: the helper ends.
    stop: bool,
    /// The helper waits for work.
    helper_idle: bool,
    /// Readers waiting for a chunk.
    readers_waiting: usize,
    /// Chunk buffers to reuse (plaintext of blocks read before: zeroized when the keys are
    /// forgotten or the database dropped).
    spares: Vec<Zeroizing<Vec<u8>>>,
}

impl State {
    /// Takes the first free chunk of the runs held, if any.
    fn take_free(&mut self) -> Option<Taken> {
        let run = self
            .runs
            .iter_mut()
            .find(|r| r.next_free < r.chunks.len())?;
        let chunk = run.next_free;
        run.next_free += 1;
        run.chunks[chunk] = Chunk::Taken;
        let (first, blocks) = run.span(chunk);
        Some(Taken {
            run: run.id,
            chunk,
            first,
            blocks,
        })
    }

    /// Keeps an opened chunk if its run is still held; otherwise its buffer is dropped
    /// (zeroized), not kept for reuse: the run may be gone because the keys were forgotten.
    fn put(&mut self, t: Taken, plain: Zeroizing<Vec<u8>>, opened: usize) {
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == t.run) {
            run.chunks[t.chunk] = Chunk::Open(plain, opened);
        }
    }

    /// A buffer for a chunk of `blocks` blocks: a spare one when there is one.
    fn buffer(&mut self, blocks: u64) -> Zeroizing<Vec<u8>> {
        let mut b = self
            .spares
            .pop()
            .unwrap_or_else(|| Zeroizing::new(Vec::with_capacity((CHUNK * BLOCK) as usize)));
        // Within the capacity: never reallocated (which would leave plaintext behind).
        b.resize((blocks * BLOCK) as usize, 0);
        b
    }

    fn spare(&mut self, b: Zeroizing<Vec<u8>>) {
        if self.spares.len() < SPARES && b.capacity() == (CHUNK * BLOCK) as usize {
            self.spares.push(b);
        }
    }

    /// Drops the first run, its buffers kept for reuse.
    fn pop_run(&mut self) {
        if let Some(run) = self.runs.pop_front() {
            for c in run.chunks {
                if let Chunk::Open(b, _) = c {
                    self.spare(b);
                }
            }
        }
    }

    /// Drops every run.
    fn clear_runs(&mut self) {
        while !self.runs.is_empty() {
            self.pop_run();
        }
    }

    /// Drops every run and forgets the sequence.
    fn reset(&mut self) {
        self.clear_runs();
        self.window = 0;
        self.next = 0;
        self.miss_next = 0;
    }

    /// [`State::reset`], and the buffers kept for reuse dropped (zeroized).
    fn forget(&mut self) {
        self.reset();
        self.spares.clear();
    }

    fn push_run(&mut self, first: u64, blocks: u64) {
        let id = self.next_id;
        self.next_id += 1;
        self.runs.push_back(Run::new(id, first, blocks));
    }
}

/// What the reading threads and the helper share. Each side is woken only when it waits
/// (a write clears the runs thousands of times in a restore: no system call for nobody).
#[derive(Default)]
struct Inner {
    state: Mutex<State>,
    /// The helper waits here for free chunks.
    work: Condvar,
    /// Readers wait here for a chunk another thread is opening.
    opened: Condvar,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait_for_work<'a>(&self, mut g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        g.helper_idle = true;
        let mut g = self.work.wait(g).unwrap_or_else(|p| p.into_inner());
        g.helper_idle = false;
        g
    }

    fn wait_for_chunk<'a>(&self, mut g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        g.readers_waiting += 1;
        let mut g = self.opened.wait(g).unwrap_or_else(|p| p.into_inner());
        g.readers_waiting -= 1;
        g
    }

    /// Wakes the helper if it waits for work.
    fn wake_helper(&self, g: &State) {
        if g.helper_idle {
            self.work.notify_one();
        }
    }

    /// Wakes the readers waiting for a chunk, if any.
    fn wake_readers(&self, g: &State) {
        if g.readers_waiting > 0 {
            self.opened.notify_all();
        }
    }
}

/// Reads and opens a chunk taken into `plain` (called outside the lock), keeps it, and
/// wakes the readers waiting for it. If opening panics, the chunk is put back empty.
fn open_and_put(inner: &Inner, opener: &dyn OpenBlocks, t: Taken, mut plain: Zeroizing<Vec<u8>>) {
    let mut give_back = GiveBack {
        inner,
        taken: Some(t),
    };
    let opened = opener.open_blocks(t.first, &mut plain);
    give_back.taken = None;
    let mut g = inner.lock();
    g.put(t, plain, opened);
    inner.wake_readers(&g);
}

/// Read-ahead state of one encrypted file.
pub(super) struct ReadAhead {
    inner: Arc<Inner>,
}

impl Default for ReadAhead {
    fn default() -> Self {
        ReadAhead {
            inner: Arc::new(Inner::default()),
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        let mut g = self.inner.lock();
        g.stop = true;
        g.forget();
        drop(g);
        self.inner.work.notify_all();
        self.inner.opened.notify_all();
    }
}

/// Puts back a chunk its thread could not finish (a panic), so that nobody waits for it.
struct GiveBack<'a> {
    inner: &'a Inner,
    taken: Option<Taken>,
}

impl Drop for GiveBack<'_> {
    fn drop(&mut self) {
        if let Some(t) = self.taken.take() {
            let mut g = self.inner.lock();
            g.put(t, Zeroizing::new(Vec::new()), 0);
            self.inner.wake_readers(&g);
        }
    }
}

/// The helper thread: takes free chunks in order and opens them, until the database goes.
fn helper(inner: &Inner, opener: &Weak<dyn OpenBlocks>) {
    loop {
        let mut g = inner.lock();
        let taken = loop {
            if g.stop {
                return;
            }
            if let Some(t) = g.take_free() {
                break (t, g.buffer(t.blocks));
            }
            g = inner.wait_for_work(g);
        };
        drop(g);
        let (taken, plain) = taken;
        let Some(opener) = opener.upgrade() else {
            drop(GiveBack {
                inner,
                taken: Some(taken),
            });
            return;
        };
        open_and_put(inner, &*opener, taken, plain);
        // Dropped after the lock is released: if it is the database's last reference,
        // dropping it takes that lock.
        drop(opener);
    }
}

impl ReadAhead {
    /// Serves blocks `first..` (as many as `out` holds) from what is read ahead, starting a
    /// run when the reads follow one another. `false`: not served (not in sequence, or a
    /// block asked for did not authenticate), for the caller to read them the ordinary way.
    /// `on_disk(b)` is the number of blocks in the file from block `b` on; `opener` opens
    /// blocks on this thread (and on the helper, started on first use).
    pub(super) fn read(
        &self,
        opener: &Arc<dyn OpenBlocks>,
        first: u64,
        out: &mut [u8],
        on_disk: &dyn Fn(u64) -> io::Result<u64>,
    ) -> io::Result<bool> {
        let wanted = (out.len() as u64) / BLOCK;
        let mut g = self.inner.lock();
        if !g.runs.iter().any(|r| r.covers(first, wanted)) {
            let window = if first == g.next && first != 0 {
                // The sequence read ahead goes on past its runs.
                (g.window * 2).clamp(FIRST_WINDOW, MAX_WINDOW)
            } else if first == g.miss_next && first != 0 {
                // A new sequence, among the reads the runs did not serve.
                FIRST_WINDOW
            } else {
                0
            };
            g.miss_next = first + wanted;
            // A long read is opened on both threads even when it is not in sequence.
            let run = window.max(wanted).min(on_disk(first)?);
            if run < wanted || (run == wanted && wanted < 2 * CHUNK) {
                // A read alone (a branch page between two leaves of a scan) is read the
                // ordinary way; the runs stay for when the sequence comes back.
                return Ok(false);
            }
            g.window = window;
            g.clear_runs();
            g.push_run(first, run);
            self.start_helper(&mut g, opener);
            self.inner.wake_helper(&g);
        }
        g.next = first + wanted;
        // Drop the runs read past, and queue the next one once every chunk is taken.
        while g.runs.front().is_some_and(|r| r.end() <= first) {
            g.pop_run();
        }
        let served = self.serve(g, opener, first, out)?;
        let mut g = self.inner.lock();
        let last = g
            .runs
            .back()
            .map(|r| (r.end(), r.next_free == r.chunks.len()));
        if let Some((end, all_taken)) = last
            && all_taken
            && g.window == MAX_WINDOW
            && g.runs.len() < MAX_RUNS
        {
            let run = MAX_WINDOW.min(on_disk(end)?);
            if run > 0 {
                g.push_run(end, run);
                self.inner.wake_helper(&g);
            }
        }
        Ok(served)
    }

    /// Copies blocks `first..` from the run that covers them, opening free chunks on this
    /// thread (or waiting for the one another thread opens) until those asked for are open.
    fn serve<'a>(
        &'a self,
        mut g: MutexGuard<'a, State>,
        opener: &Arc<dyn OpenBlocks>,
        first: u64,
        out: &mut [u8],
    ) -> io::Result<bool> {
        let wanted = (out.len() as u64) / BLOCK;
        loop {
            let Some(run) = g.runs.iter().find(|r| r.covers(first, wanted)) else {
                // Cleared meanwhile (a write, another reader elsewhere).
                return Ok(false);
            };
            let from = ((first - run.first) / CHUNK) as usize;
            let to = ((first + wanted - 1 - run.first) / CHUNK) as usize;
            let missing = (from..=to).find(|&k| !matches!(run.chunks[k], Chunk::Open(..)));
            let Some(k) = missing else {
                return Ok(copy_out(run, first, out));
            };
            let needed_is_free = matches!(run.chunks[k], Chunk::Free);
            // Take the next free chunk (the one needed, or one before it, or, while the
            // needed one is being opened elsewhere, one ahead) rather than wait idle.
            match g.take_free() {
                Some(t) => {
                    let plain = g.buffer(t.blocks);
                    drop(g);
                    open_and_put(&self.inner, &**opener, t, plain);
                    g = self.inner.lock();
                }
                None if needed_is_free => return Ok(false),
                None => g = self.inner.wait_for_chunk(g),
            }
        }
    }

    /// Starts the helper thread on first use (if it cannot be started, this thread opens
    /// every chunk itself).
    fn start_helper(&self, g: &mut State, opener: &Arc<dyn OpenBlocks>) {
        if g.helper {
            return;
        }
        g.helper = true;
        let inner = self.inner.clone();
        let weak = Arc::downgrade(opener);
        let _ = std::thread::Builder::new()
            .name("blocchi-cifrati".into())
            .spawn(move || helper(&inner, &weak));
    }

    /// Forgets what was read ahead: after a write (once it is done), a change of length, or
    /// when the keys leave memory. A chunk being opened meanwhile is not kept.
    pub(super) fn clear(&self) {
        let mut g = self.inner.lock();
        g.reset();
        // A reader waiting for a chunk of a run now gone reads the ordinary way.
        self.inner.wake_readers(&g);
    }

    /// Forgets what was read ahead and drops the buffers kept for reuse (zeroized), when the
    /// keys leave memory.
    pub(super) fn forget(&self) {
        // Under one lock: a reader between the two would take a spare (old plaintext) into
        // a new run, where it would outlive this call.
        let mut g = self.inner.lock();
        g.forget();
        self.inner.wake_readers(&g);
    }
}

/// Copies blocks `first..` out of `run` (their chunks open); `false` when one of them did
/// not authenticate.
fn copy_out(run: &Run, first: u64, out: &mut [u8]) -> bool {
    for (i, block) in out.chunks_exact_mut(BLOCK as usize).enumerate() {
        let b = first + i as u64 - run.first;
        let k = (b / CHUNK) as usize;
        let within = (b % CHUNK) as usize;
        let Chunk::Open(plain, opened) = &run.chunks[k] else {
            return false;
        };
        if within >= *opened {
            return false;
        }
        let at = within * BLOCK as usize;
        block.copy_from_slice(&plain[at..at + BLOCK as usize]);
    }
    true
}

#[cfg(test)]
mod tests;
