//! The people's names and codici fiscali in one buffer, scanned by a [`Needle`].

use super::Needle;

/// Every folded name and codice fiscale in one contiguous buffer (`key \t cf \n` per
/// slot), so a search scans a few megabytes sequentially with a SIMD substring finder
/// instead of chasing 200,000 heap pointers. A changed person gets a new slot at the end;
/// the old one is blanked.
#[derive(Debug, Clone, Default)]
pub(super) struct NameIndex {
    text: Vec<u8>,
    /// Start of each slot in `text`; one more entry than slots (the end).
    starts: Vec<u32>,
    /// End of the name part of each slot (where the tab is).
    key_ends: Vec<u32>,
    /// The row of each slot (`u32::MAX`: blanked).
    slot_row: Vec<u32>,
    /// The slot of each row.
    row_slot: Vec<u32>,
}

const DEAD: u32 = u32::MAX;

impl NameIndex {
    pub(super) fn push(&mut self, row: u32, key: &str, cf: &str) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let slot = self.slot_row.len() as u32;
        // Keys never contain tabs or newlines (folding turns whitespace into spaces).
        self.text.extend_from_slice(key.as_bytes());
        self.key_ends.push(self.text.len() as u32);
        self.text.push(b'\t');
        self.text.extend_from_slice(cf.as_bytes());
        self.text.push(b'\n');
        self.starts.push(self.text.len() as u32);
        self.slot_row.push(row);
        match self.row_slot.get_mut(row as usize) {
            Some(s) => {
                let old = *s as usize;
                self.slot_row[old] = DEAD;
                let (a, b) = (self.starts[old] as usize, self.starts[old + 1] as usize - 1);
                self.text[a..b].fill(b' ');
                *s = slot;
            }
            None => self.row_slot.push(slot),
        }
    }

    /// The rows whose name contains every word (or whose codice fiscale contains the
    /// code), in slot order.
    pub(super) fn scan(&self, needle: &Needle) -> Vec<u32> {
        let mut out = Vec::new();
        if needle.finders.is_empty() || self.slot_row.is_empty() {
            return out;
        }
        let found = |slot: usize, out: &mut Vec<u32>| {
            let row = self.slot_row[slot];
            if row != DEAD {
                out.push(row);
            }
        };
        // Scan with the longest word; check the others on the candidate's name.
        let (lead, _) = needle
            .words
            .iter()
            .enumerate()
            .max_by_key(|(_, w)| w.len())
            .expect("non-empty");
        let finder = &needle.finders[lead];
        let mut pos = 0usize;
        let mut slot = 0usize;
        while let Some(off) = finder.find(&self.text[pos..]) {
            let p = pos + off;
            while self.starts[slot + 1] as usize <= p {
                slot += 1;
            }
            let (start, key_end) = (self.starts[slot] as usize, self.key_ends[slot] as usize);
            let key = &self.text[start..key_end];
            if p + needle.words[lead].len() <= key_end
                && needle
                    .finders
                    .iter()
                    .enumerate()
                    .all(|(i, f)| i == lead || f.find(key).is_some())
            {
                found(slot, &mut out);
            }
            pos = self.starts[slot + 1] as usize;
        }
        if let Some(code) = &needle.code_finder {
            // A piece of codice fiscale: look in the codes (after the tab).
            let mut extra = Vec::new();
            let (mut pos, mut slot) = (0usize, 0usize);
            while let Some(off) = code.find(&self.text[pos..]) {
                let p = pos + off;
                while self.starts[slot + 1] as usize <= p {
                    slot += 1;
                }
                if p > self.key_ends[slot] as usize {
                    found(slot, &mut extra);
                }
                pos = self.starts[slot + 1] as usize;
            }
            if !extra.is_empty() {
                out.extend(extra);
                out.sort_unstable_by_key(|r| self.row_slot[*r as usize]);
                out.dedup();
            }
        }
        out
    }
}
