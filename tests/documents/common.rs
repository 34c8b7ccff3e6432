//! What the documents tests share: fixtures (a PDF-headed file of pseudo-random bytes),
//! a kind of document, attaching, running the binary, and the byte scan.
#![allow(dead_code)]

use super::world::*;
use accoglienza::domain::document::MB;
use accoglienza::domain::*;
use accoglienza::store::Store;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// A PDF-headed file of `len` bytes of pseudo-random content (xorshift from `seed`).
pub fn pdf(len: usize, seed: u64) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut x = seed | 1;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn kind(w: &World) -> Id {
    w.store
        .insert(
            w.op,
            DocumentKind {
                id: Id::NIL,
                code: "isee".into(),
                name: "Attestazione ISEE".into(),
                archived: false,
            },
        )
        .unwrap()
}

pub fn new_doc(owner: DocumentOwner, kind: Id, name: &str) -> NewDocument {
    NewDocument {
        owner,
        kind,
        file_name: name.into(),
        dated: d(2025, 3, 1),
        expires: Some(d(2025, 12, 31)),
        note: String::new(),
    }
}

/// Attaches `bytes` as `name` to `owner` in one transaction of the system.
pub fn attach(
    store: &Store,
    op: Id,
    owner: DocumentOwner,
    kind: Id,
    name: &str,
    bytes: &[u8],
) -> Document {
    let mut wr = store.write(op).unwrap();
    let doc = wr
        .attach_document(new_doc(owner, kind, name), &mut &bytes[..], 20 * MB)
        .unwrap();
    wr.commit().unwrap();
    doc
}

/// Runs the built binary on `db`; its standard output, or a panic with its error.
pub fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// How many 32-byte blocks of `fixture` (at offsets multiple of 32) occur anywhere in
/// `file`: any 64-byte run of the fixture holds one of them whole.
pub fn fixture_blocks_in(file: &[u8], fixture: &[u8]) -> usize {
    let mut blocks: HashMap<u64, Vec<&[u8]>> = HashMap::new();
    for b in fixture.chunks_exact(32) {
        let key = u64::from_le_bytes(b[..8].try_into().unwrap());
        blocks.entry(key).or_default().push(b);
    }
    let mut found = 0;
    if file.len() < 32 {
        return 0;
    }
    for i in 0..=file.len() - 32 {
        let key = u64::from_le_bytes(file[i..i + 8].try_into().unwrap());
        if let Some(list) = blocks.get(&key)
            && list.iter().any(|b| *b == &file[i..i + 32])
        {
            found += 1;
        }
    }
    found
}
