//! Sealing behind the writer, for files that are not live yet (the new file a restore or a
//! conversion builds): redb's writer hands a block over and goes on, a helper thread seals
//! and writes it. The rebuild's index and count phases run on one thread, so the other core
//! takes the cipher off their path.
//!
//! Only for a file nobody uses but its builder, which syncs, checks and reopens it before it
//! replaces anything: a crash while it is built leaves a half-built file that is removed, as
//! before. Even so the usual promises hold: `sync_data`, a change of length and closing wait
//! until every block handed over is on the disk (and report a failure to write one); a read
//! that touches a block not yet written waits for it too. What is read ahead is cleared after
//! each block is written, before the block stops counting as pending.

use super::backend::{BLOCK, Shared};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use zeroize::Zeroizing;

/// The plaintext of a block handed over.
type Plain = Arc<Zeroizing<Vec<u8>>>;
/// A block handed over: its number, the ticket of the hand-over and its plaintext.
pub(super) type Handed = (u64, u64, Plain);

/// Blocks handed over and not yet written, at most (4 MiB): the writer waits beyond.
const MAX_PENDING: usize = 1024;
/// Blocks the helper takes at a time.
const TAKE: usize = 32;

/// What the writer and the helper share.
#[derive(Default)]
struct State {
    /// Plaintext of blocks not yet written, with the ticket of their latest hand-over.
    pending: HashMap<u64, (u64, Plain)>,
    /// Hand-overs in order: block and ticket.
    queue: VecDeque<(u64, u64)>,
    /// Blocks the helper has taken and not finished.
    in_flight: usize,
    /// The next ticket.
    ticket: u64,
    /// The first failure to seal or write (reported from then on).
    failed: Option<String>,
    /// The file is dropped: the helper ends.
    closing: bool,
}

/// The state and its signal.
#[derive(Default)]
struct Shared2 {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared2 {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(g).unwrap_or_else(|p| p.into_inner())
    }
}

/// Sealing behind the writer of one file (see the module documentation).
pub(super) struct Behind {
    inner: Arc<Shared2>,
}

fn failure(text: &str) -> io::Error {
    io::Error::other(format!("scrittura del file cifrato non riuscita: {text}"))
}

impl Behind {
    /// Starts the helper thread for `file`. `None` if no thread can be started (then
    /// blocks are sealed on the writer's thread, as for a live file).
    pub(super) fn start(file: Weak<Shared>) -> Option<Behind> {
        let inner = Arc::new(Shared2::default());
        let theirs = inner.clone();
        std::thread::Builder::new()
            .name("sigillo-blocchi".into())
            .spawn(move || run(&theirs, &file))
            .ok()?;
        Some(Behind { inner })
    }

    /// Hands over whole blocks from `first` (waits while too many are pending).
    pub(super) fn put(&self, first: u64, data: &[u8]) -> io::Result<()> {
        let mut g = self.inner.lock();
        for (k, block) in data.chunks_exact(BLOCK as usize).enumerate() {
            while g.queue.len() >= MAX_PENDING && g.failed.is_none() {
                // The helper may be idle, waiting for work: wake it before waiting for room.
                self.inner.changed.notify_all();
                g = self.inner.wait(g);
            }
            if let Some(f) = &g.failed {
                return Err(failure(f));
            }
            let b = first + k as u64;
            g.ticket += 1;
            let t = g.ticket;
            g.pending
                .insert(b, (t, Arc::new(Zeroizing::new(block.to_vec()))));
            g.queue.push_back((b, t));
        }
        self.inner.changed.notify_all();
        Ok(())
    }

    /// True when one of blocks `first..first + n` is not yet written.
    pub(super) fn holds(&self, first: u64, n: u64) -> bool {
        let g = self.inner.lock();
        !g.pending.is_empty() && (first..first + n).any(|b| g.pending.contains_key(&b))
    }

    /// Waits until every block handed over is written; the first failure, if any.
    pub(super) fn drain(&self) -> io::Result<()> {
        let mut g = self.inner.lock();
        while (!g.queue.is_empty() || g.in_flight > 0) && g.failed.is_none() {
            g = self.inner.wait(g);
        }
        match &g.failed {
            Some(f) => Err(failure(f)),
            None => Ok(()),
        }
    }
}

impl Drop for Behind {
    fn drop(&mut self) {
        self.inner.lock().closing = true;
        self.inner.changed.notify_all();
    }
}

/// Marks the helper failed if it stops by a panic, so that nobody waits for it forever.
struct StopGuard<'a>(&'a Shared2);

impl Drop for StopGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0
                .lock()
                .failed
                .get_or_insert_with(|| "il thread di cifratura si è fermato".into());
            self.0.changed.notify_all();
        }
    }
}

/// The helper: takes blocks in order, seals and writes them, then lets them go.
fn run(state: &Shared2, file: &Weak<Shared>) {
    let _stop = StopGuard(state);
    loop {
        let mut g = state.lock();
        while g.queue.is_empty() && !g.closing {
            g = state.wait(g);
        }
        if g.queue.is_empty() {
            return;
        }
        let mut taken = Vec::with_capacity(TAKE);
        while taken.len() < TAKE {
            let Some((b, t)) = g.queue.pop_front() else {
                break;
            };
            if let Some((latest, plain)) = g.pending.get(&b)
                && *latest == t
            {
                taken.push((b, t, plain.clone()));
            }
        }
        g.in_flight += taken.len();
        drop(g);
        let written = match file.upgrade() {
            Some(f) => f.seal_and_write(&taken),
            None => Err(io::Error::other("file chiuso")),
        };
        let mut g = state.lock();
        g.in_flight -= taken.len();
        match written {
            Ok(()) => {
                for (b, t, _) in &taken {
                    if g.pending.get(b).is_some_and(|(latest, _)| latest == t) {
                        g.pending.remove(b);
                    }
                }
            }
            Err(e) => {
                if g.failed.is_none() {
                    g.failed = Some(e.to_string());
                }
            }
        }
        drop(g);
        state.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::super::{TestKeys, open_redb};
    use super::{BLOCK, Behind, MAX_PENDING};
    use redb::{ReadableDatabase, TableDefinition};
    use std::time::Duration;

    const T: TableDefinition<u64, &[u8]> = TableDefinition::new("t");

    /// One hand-over of more blocks than may wait, to an idle helper: the writer wakes it
    /// before waiting for room, and every block reaches the disk.
    #[test]
    fn a_hand_over_larger_than_the_pending_limit_to_an_idle_helper_completes() {
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let keys = TestKeys::new("admin", "password di prova lunga");
            let storage = redb::backends::InMemoryBackend::new();
            keys.format(&storage).unwrap();
            let (_db, shared) = open_redb(&redb::Builder::new(), Box::new(storage), keys.0.clone())
                .unwrap()
                .unwrap();
            let blocks = 2 * MAX_PENDING + 5;
            let raw = shared.raw();
            raw.set_len(raw.len().unwrap() + (blocks as u64 + 8) * 5000)
                .unwrap();
            let behind = Behind::start(std::sync::Arc::downgrade(&shared)).unwrap();
            std::thread::sleep(Duration::from_millis(100));
            let data = vec![9u8; blocks * BLOCK as usize];
            behind.put(1, &data).unwrap();
            behind.drain().unwrap();
            let _ = done.send(behind.holds(1, blocks as u64));
        });
        let still_pending = result
            .recv_timeout(Duration::from_secs(60))
            .expect("the writer and the helper waited for each other");
        assert!(!still_pending, "every block handed over was written");
    }

    /// A value whose page is larger than the blocks allowed to wait (a published year at
    /// city scale can be): handed over, written behind, read back — and never stuck.
    #[test]
    fn a_page_larger_than_the_pending_limit_is_written_behind() {
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let keys = TestKeys::new("admin", "password di prova lunga");
            let storage = redb::backends::InMemoryBackend::new();
            keys.format(&storage).unwrap();
            let (db, shared) = open_redb(&redb::Builder::new(), Box::new(storage), keys.0.clone())
                .unwrap()
                .unwrap();
            shared.seal_behind();
            // A first commit, then a pause: the helper has written it and waits, idle.
            let txn = db.begin_write().unwrap();
            txn.open_table(T)
                .unwrap()
                .insert(0, [7u8; 100].as_slice())
                .unwrap();
            txn.commit().unwrap();
            std::thread::sleep(Duration::from_millis(200));
            let value: Vec<u8> = (0..12 << 20).map(|i: u32| (i % 251) as u8).collect();
            let txn = db.begin_write().unwrap();
            txn.open_table(T)
                .unwrap()
                .insert(1, value.as_slice())
                .unwrap();
            txn.commit().unwrap();
            let read = db.begin_read().unwrap();
            let back = read.open_table(T).unwrap().get(1).unwrap().unwrap().value() == value;
            let _ = done.send(back);
        });
        let back = result
            .recv_timeout(Duration::from_secs(120))
            .expect("the write behind the writer did not finish");
        assert!(back, "the value reads back as written");
    }
}
