//! The second core for the block cipher: a long run of blocks read ahead is opened half on
//! the calling thread and half on a helper thread started on first use. Opening a 4 KiB
//! block costs ≈ 4.5 µs here (XChaCha20-Poly1305), the largest part of what an encrypted
//! database adds to a scan, a backup or an integrity check, which redb runs on one thread
//! while the other core is often idle.
//!
//! The helper holds no keys: it reaches the cipher through the database ([`Shared`]) for
//! each job, by a weak reference, and ends when the database is dropped. The calling thread
//! waits for the helper's half before it returns, so a read is as synchronous as it was on
//! one thread. When the helper is busy with another thread's run (two readers at
//! once), the run is done on the calling thread alone.

use super::backend::{BLOCK, Shared};
use super::readahead::take_sized;
use std::cell::RefCell;
use std::io;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, Weak};
use zeroize::Zeroizing;

/// Below this many blocks a run stays on one thread (handing half of it to the other thread
/// and back costs more than it saves).
const PARALLEL_FROM: usize = 32;

thread_local! {
    /// The stored (sealed) bytes of the last run read or sealed on this thread, reused.
    static STORED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads and opens the blocks of `plain` from `first` on this thread.
fn open_here(shared: &Shared, first: u64, plain: &mut [u8]) -> io::Result<usize> {
    STORED.with_borrow_mut(|stored| shared.read_open_serial(first, plain, stored))
}

/// Half of a run for the helper: read and open the blocks from `first` into `plain`.
struct Job {
    first: u64,
    plain: Zeroizing<Vec<u8>>,
}

/// The helper's half, done: its plaintext buffer back, and how many blocks from its start
/// opened.
struct Done {
    plain: Zeroizing<Vec<u8>>,
    result: io::Result<usize>,
}

/// The helper thread and its buffer.
struct Thread {
    jobs: Sender<Job>,
    done: Receiver<Done>,
    /// Its plaintext buffer between runs (zeroized when the keys are forgotten).
    spare: Zeroizing<Vec<u8>>,
}

impl Thread {
    /// Starts the thread; it ends when the database is dropped (its channel closes).
    fn spawn(shared: Weak<Shared>) -> Option<Thread> {
        let (jobs, their_jobs) = channel::<Job>();
        let (their_done, done) = channel::<Done>();
        std::thread::Builder::new()
            .name("blocchi-cifrati".into())
            .spawn(move || {
                while let Ok(job) = their_jobs.recv() {
                    let Some(s) = shared.upgrade() else { break };
                    let Job { first, mut plain } = job;
                    let result = open_here(&s, first, &mut plain);
                    let reply = Done { plain, result };
                    drop(s);
                    if their_done.send(reply).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Thread {
            jobs,
            done,
            spare: Zeroizing::new(Vec::new()),
        })
    }
}

/// Runs long block runs on two threads (see the module documentation).
#[derive(Default)]
pub(super) struct Helper {
    thread: Mutex<Option<Thread>>,
}

impl Helper {
    /// Reads and opens the blocks of `plain` from `first`. Returns how many blocks from the
    /// start authenticated (the others are for the caller to judge).
    pub(super) fn open_run(
        &self,
        shared: &Arc<Shared>,
        first: u64,
        plain: &mut [u8],
    ) -> io::Result<usize> {
        let n = plain.len() / BLOCK as usize;
        if n < PARALLEL_FROM {
            return open_here(shared, first, plain);
        }
        let Ok(mut slot) = self.thread.try_lock() else {
            return open_here(shared, first, plain);
        };
        if slot.is_none() {
            *slot = Thread::spawn(Arc::downgrade(shared));
        }
        let Some(thread) = slot.as_mut() else {
            return open_here(shared, first, plain);
        };
        let half = n / 2;
        let (head, tail) = plain.split_at_mut(half * BLOCK as usize);
        let job = Job {
            first: first + half as u64,
            plain: take_sized(&mut thread.spare, tail.len()),
        };
        if thread.jobs.send(job).is_err() {
            *slot = None;
            return open_here(shared, first, plain);
        }
        let mine = open_here(shared, first, head);
        let Ok(done) = thread.done.recv() else {
            *slot = None;
            return Err(io::Error::other("il thread di cifratura si è fermato"));
        };
        let theirs = done.result.inspect(|&opened| {
            let bytes = opened * BLOCK as usize;
            tail[..bytes].copy_from_slice(&done.plain[..bytes]);
        });
        thread.spare = done.plain;
        let mine = mine?;
        if mine < half {
            return Ok(mine);
        }
        Ok(half + theirs?)
    }

    /// Drops the helper's plaintext buffer (zeroized), when the keys leave memory.
    pub(super) fn forget(&self) {
        if let Some(t) = self
            .thread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            t.spare = Zeroizing::new(Vec::new());
        }
    }
}
