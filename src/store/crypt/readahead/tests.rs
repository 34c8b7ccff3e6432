//! Unit tests of the read-ahead against a model file (blocks whose plaintext is their
//! number).

use super::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Blocks whose plaintext is their number; blocks from `bad` on do not authenticate.
struct Model {
    bad: u64,
    opened: AtomicU64,
}

impl OpenBlocks for Model {
    fn open_blocks(&self, first: u64, plain: &mut [u8]) -> usize {
        let mut n = 0;
        for (i, b) in plain.chunks_exact_mut(BLOCK as usize).enumerate() {
            let block = first + i as u64;
            if block >= self.bad {
                break;
            }
            b.fill(block as u8);
            n += 1;
        }
        self.opened.fetch_add(n as u64, Ordering::Relaxed);
        n
    }
}

fn model(bad: u64) -> Arc<dyn OpenBlocks> {
    Arc::new(Model {
        bad,
        opened: AtomicU64::new(0),
    })
}

fn len(n: u64) -> impl Fn(u64) -> io::Result<u64> {
    move |from| Ok(n.saturating_sub(from))
}

fn read(ra: &ReadAhead, m: &Arc<dyn OpenBlocks>, first: u64, n: u64, disk: u64) -> bool {
    let mut out = vec![0xEEu8; (n * BLOCK) as usize];
    let served = ra.read(m, first, &mut out, &len(disk)).unwrap();
    if served {
        for (i, b) in out.chunks_exact(BLOCK as usize).enumerate() {
            assert!(
                b.iter().all(|&x| x == (first + i as u64) as u8),
                "block {}",
                first + i as u64
            );
        }
    }
    served
}

#[test]
fn a_sequence_is_served_and_a_jump_is_not() {
    let ra = ReadAhead::default();
    let m = model(u64::MAX);
    assert!(
        !read(&ra, &m, 10, 1, 10_000),
        "a first read is not a sequence"
    );
    for b in 11..3000 {
        assert!(read(&ra, &m, b, 1, 10_000), "block {b} in sequence");
    }
    assert!(
        !read(&ra, &m, 5000, 1, 10_000),
        "a jump is read the ordinary way"
    );
    assert!(read(&ra, &m, 5001, 2, 10_000), "and starts a new sequence");
}

#[test]
fn a_read_elsewhere_in_the_middle_of_a_sequence_leaves_what_was_read_ahead() {
    let ra = ReadAhead::default();
    let model = Arc::new(Model {
        bad: u64::MAX,
        opened: AtomicU64::new(0),
    });
    let m: Arc<dyn OpenBlocks> = model.clone();
    assert!(!read(&ra, &m, 1, 1, 100_000));
    for b in 2..2000 {
        assert!(read(&ra, &m, b, 1, 100_000), "block {b}");
        if b % 50 == 0 {
            assert!(!read(&ra, &m, 90_000 + b, 1, 100_000), "a branch page");
        }
    }
    let opened = model.opened.load(Ordering::Relaxed);
    assert!(
        opened < 2000 + 2 * MAX_WINDOW,
        "every block opened about once: {opened}"
    );
}

#[test]
fn never_reads_past_the_end_of_the_file_nor_serves_blocks_that_do_not_open() {
    let ra = ReadAhead::default();
    let m = model(100);
    assert!(!read(&ra, &m, 1, 1, 60));
    for b in 2..60 {
        assert!(read(&ra, &m, b, 1, 60), "block {b}");
    }
    let ra = ReadAhead::default();
    assert!(!read(&ra, &m, 1, 1, 1000));
    for b in 2..100 {
        read(&ra, &m, b, 1, 1000);
    }
    assert!(
        !read(&ra, &m, 100, 1, 1000),
        "block 100 does not authenticate"
    );
    assert!(!read(&ra, &m, 101, 1, 1000));
}

#[test]
fn a_clear_drops_what_was_read_ahead() {
    let ra = ReadAhead::default();
    let m = model(u64::MAX);
    assert!(!read(&ra, &m, 1, 1, 10_000));
    assert!(read(&ra, &m, 2, 1, 10_000));
    ra.clear();
    assert!(
        !read(&ra, &m, 3, 1, 10_000),
        "after a write nothing kept is served"
    );
    assert!(ra.inner.lock().runs.is_empty());
}

#[test]
fn long_reads_and_readers_on_several_threads_are_served_whole() {
    let ra = Arc::new(ReadAhead::default());
    let m = model(u64::MAX);
    assert!(!read(&ra, &m, 1, 1, 100_000));
    assert!(read(&ra, &m, 2, 700, 100_000), "a read longer than a run");
    let handles: Vec<_> = (0..3)
        .map(|t| {
            let (ra, m) = (ra.clone(), m.clone());
            std::thread::spawn(move || {
                let start = 1 + t * 20_000;
                for b in start..start + 5_000 {
                    read(&ra, &m, b, 1 + b % 3, 100_000);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

/// Panics when asked to open the chunk starting at block `at`.
struct Panicky {
    at: u64,
}

impl OpenBlocks for Panicky {
    fn open_blocks(&self, first: u64, plain: &mut [u8]) -> usize {
        assert_ne!(first, self.at, "a chunk that cannot be opened");
        for (i, b) in plain.chunks_exact_mut(BLOCK as usize).enumerate() {
            b.fill((first + i as u64) as u8);
        }
        plain.len() / BLOCK as usize
    }
}

#[test]
fn a_thread_that_panics_opening_a_chunk_leaves_nobody_waiting() {
    let ra = ReadAhead::default();
    // Block 2 starts the first run; its chunks start at 2, 18, 34, …
    let m: Arc<dyn OpenBlocks> = Arc::new(Panicky { at: 2 + 5 * CHUNK });
    let mut panics = 0;
    for b in 1..3000 {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read(&ra, &m, b, 1, 100_000)
        }));
        panics += usize::from(r.is_err());
    }
    assert!(panics <= 1, "at most the reader that opened it: {panics}");
}

#[test]
fn at_most_two_runs_are_held() {
    let ra = ReadAhead::default();
    let m = model(u64::MAX);
    for b in 1..5000 {
        read(&ra, &m, b, 1, 100_000);
        assert!(ra.inner.lock().runs.len() <= MAX_RUNS);
    }
}

#[test]
fn forgetting_the_keys_drops_the_runs_and_the_buffers_kept_for_reuse() {
    let ra = ReadAhead::default();
    let m = model(u64::MAX);
    for b in 1..2000 {
        read(&ra, &m, b, 1, 100_000);
    }
    ra.clear();
    assert!(
        !ra.inner.lock().spares.is_empty(),
        "a write keeps the buffers for reuse"
    );
    for b in 1..600 {
        read(&ra, &m, b, 1, 100_000);
    }
    ra.forget();
    let g = ra.inner.lock();
    assert!(g.runs.is_empty() && g.spares.is_empty());
}
