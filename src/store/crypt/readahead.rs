//! Read-ahead for the encrypted backend: when redb reads blocks in sequence (a table
//! scanned in key order, the integrity check, a backup, a list loaded whole), the next blocks
//! are read with the same system call and opened on both cores, and kept here until redb
//! asks for them.
//!
//! Opening a block (XChaCha20-Poly1305, ≈ 4.5 µs per 4 KiB here) is what an encrypted
//! database pays on every read redb's cache does not serve. Reads in sequence are the common
//! case of the slow paths: 96 % of the reads of redb's integrity check of a restored city
//! database follow the previous block. Opening a run of them on two threads halves the
//! cipher's wall time and reads them in one `pread`.
//!
//! Correctness: what is kept is only ever the content of blocks as they are on the disk.
//! Every write to the file clears it *after* the write, under a generation number, and a run
//! read before a write finished is not kept (its generation is older). redb never reads a
//! page while writing it (copy-on-write), so a read overlapping a write is not a case to
//! serve. Blocks read ahead that do not authenticate end the run there and are not reported:
//! only what redb asks for is judged, by the ordinary path (and while redb recovers from an
//! interrupted commit nothing is read ahead). What is kept is plaintext, like redb's own page
//! cache: zeroized when replaced, and cleared when the keys are forgotten.

use super::backend::BLOCK;
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The longest run read ahead, in blocks (1 MiB).
pub(super) const MAX_WINDOW: u64 = 256;
/// The first run read ahead once a sequence is seen, in blocks.
const FIRST_WINDOW: u64 = 8;

/// The blocks read ahead and what tells a sequence.
#[derive(Default)]
struct State {
    /// Bumped by every write, set-length and forgetting of the keys.
    generation: u64,
    /// The first block kept.
    first: u64,
    /// The plaintext of the blocks kept (a whole number of blocks).
    plain: Zeroizing<Vec<u8>>,
    /// The block a read in sequence would start at.
    next: u64,
    /// The run to read ahead on the next read in sequence (0: none yet).
    window: u64,
}

/// What to read: `blocks` from the block asked for, kept if `generation` is still current.
pub(super) struct Plan {
    /// Blocks to read (at least those asked for).
    pub blocks: u64,
    /// The generation when the run was planned.
    pub generation: u64,
}

/// Read-ahead state of one encrypted file.
#[derive(Default)]
pub(super) struct ReadAhead {
    state: Mutex<State>,
}

impl ReadAhead {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Copies blocks `first..` (as many as `out` holds, `block` bytes each) from what was
    /// read ahead; `false` when they are not all kept.
    pub(super) fn serve(&self, first: u64, out: &mut [u8], block: usize) -> bool {
        let mut s = self.state();
        let kept = (s.plain.len() / block) as u64;
        let wanted = (out.len() / block) as u64;
        if s.plain.is_empty() || first < s.first || first + wanted > s.first + kept {
            return false;
        }
        let from = (first - s.first) as usize * block;
        out.copy_from_slice(&s.plain[from..from + out.len()]);
        s.next = first + wanted;
        true
    }

    /// Notes a read of `blocks` from `first` that was not served, and says how far to read
    /// ahead: a longer run each time the reads follow one another, none otherwise.
    pub(super) fn plan(&self, first: u64, blocks: u64) -> Plan {
        let mut s = self.state();
        let in_sequence = first == s.next && first != 0;
        s.window = if in_sequence {
            (s.window * 2).clamp(FIRST_WINDOW, MAX_WINDOW)
        } else {
            0
        };
        s.next = first + blocks;
        Plan {
            blocks: s.window.max(blocks),
            generation: s.generation,
        }
    }

    /// Keeps `plain` (blocks from `first`) if no write happened since `generation`.
    pub(super) fn keep(&self, generation: u64, first: u64, plain: Zeroizing<Vec<u8>>) {
        let mut s = self.state();
        if s.generation == generation {
            s.first = first;
            s.plain = plain;
        }
    }

    /// A buffer of `len` bytes for the next run (the one kept, which is dropped from what is
    /// served): reused, so that runs do not allocate and free a quarter of a MiB each.
    pub(super) fn take_buffer(&self, len: usize) -> Zeroizing<Vec<u8>> {
        take_sized(&mut self.state().plain, len)
    }

    /// Forgets what was read ahead: after a write (once it is done), a change of length, or
    /// when the keys leave memory.
    pub(super) fn clear(&self) {
        let mut s = self.state();
        s.generation += 1;
        s.window = 0;
        s.next = 0;
        s.plain = Zeroizing::new(Vec::new());
    }
}

/// `buffer` taken and resized to `len` bytes. Grown into a new allocation (never by
/// `Vec`'s reallocation, which would leave plaintext behind in the memory it frees).
pub(super) fn take_sized(buffer: &mut Zeroizing<Vec<u8>>, len: usize) -> Zeroizing<Vec<u8>> {
    let mut b = std::mem::replace(buffer, Zeroizing::new(Vec::new()));
    if b.capacity() < len {
        b = Zeroizing::new(Vec::with_capacity(
            len.max(MAX_WINDOW as usize * BLOCK as usize),
        ));
    }
    b.resize(len, 0);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: usize = 4;

    fn blocks(first: u64, n: u64) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(
            (first..first + n)
                .flat_map(|b| [b as u8; B])
                .collect::<Vec<u8>>(),
        )
    }

    #[test]
    fn reads_in_sequence_grow_the_window_and_others_reset_it() {
        let ra = ReadAhead::default();
        assert_eq!(ra.plan(10, 1).blocks, 1, "a first read is not a sequence");
        assert_eq!(ra.plan(11, 1).blocks, FIRST_WINDOW);
        assert_eq!(ra.plan(11 + 1, 1).blocks, 2 * FIRST_WINDOW);
        let mut w = 2 * FIRST_WINDOW;
        for at in 13..23 {
            w = ra.plan(at, 1).blocks;
        }
        assert_eq!(w, MAX_WINDOW, "the window stops growing");
        assert_eq!(ra.plan(500, 1).blocks, 1, "a jump resets it");
        assert_eq!(ra.plan(501, 3).blocks, FIRST_WINDOW);
        assert_eq!(ra.plan(900, 3).blocks, 3, "never fewer than asked");
    }

    #[test]
    fn serves_only_blocks_wholly_kept() {
        let ra = ReadAhead::default();
        let g = ra.plan(5, 1).generation;
        ra.keep(g, 5, blocks(5, 4));
        let mut out = vec![0u8; 2 * B];
        assert!(ra.serve(6, &mut out, B));
        assert_eq!(out, [6, 6, 6, 6, 7, 7, 7, 7]);
        assert!(!ra.serve(8, &mut out, B), "block 9 is not kept");
        assert!(!ra.serve(4, &mut out, B), "block 4 is not kept");
        let mut one = vec![0u8; B];
        assert!(ra.serve(8, &mut one, B));
        assert_eq!(
            ra.plan(9, 1).blocks,
            FIRST_WINDOW,
            "a served read continues the sequence"
        );
    }

    #[test]
    fn a_write_after_the_plan_keeps_the_stale_run_out() {
        let ra = ReadAhead::default();
        let g = ra.plan(5, 1).generation;
        ra.clear(); // a write finished while the run was being read
        ra.keep(g, 5, blocks(5, 4));
        let mut out = vec![0u8; B];
        assert!(!ra.serve(5, &mut out, B));
        // And a write after a run was kept clears it.
        let g = ra.plan(5, 1).generation;
        ra.keep(g, 5, blocks(5, 4));
        assert!(ra.serve(5, &mut out, B));
        ra.clear();
        assert!(!ra.serve(5, &mut out, B));
    }
}
