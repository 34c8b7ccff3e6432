//! Attached documents (issue 15 part 3) through the store and the command line: attach,
//! read back, refusals (size, extension, content), permissions, backup and restore
//! byte-identical, export with the files, encryption at rest, erasure, merge between
//! desks, and the upload checks as a property test.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::document::{MB, check_upload};
use accoglienza::domain::*;
use accoglienza::store::StoreError;
use sha2::{Digest, Sha256};
use world::*;

/// A PDF-headed file of `len` bytes of pseudo-random content (xorshift from `seed`).
fn pdf(len: usize, seed: u64) -> Vec<u8> {
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

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn kind(w: &World) -> Id {
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

fn new_doc(owner: DocumentOwner, kind: Id, name: &str) -> NewDocument {
    NewDocument {
        owner,
        kind,
        file_name: name.into(),
        dated: d(2025, 3, 1),
        expires: Some(d(2025, 12, 31)),
        note: String::new(),
    }
}

#[test]
fn a_document_attached_comes_back_whole_and_goes_away_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("db.redb"));
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let bytes = pdf(700 * 1024 + 3, 7);
    let mut wr = w.store.write(w.op).unwrap();
    let doc = wr
        .attach_document(
            new_doc(DocumentOwner::Person(p), k, "ISEE 2025.pdf"),
            &mut bytes.as_slice(),
            20 * MB,
        )
        .unwrap();
    wr.commit().unwrap();
    assert_eq!(doc.media, MediaType::Pdf);
    assert_eq!(doc.size, bytes.len() as u64);
    assert_eq!(doc.sha256, sha(&bytes));
    assert_eq!(doc.chunks.len(), 3);
    assert_eq!(doc.subject, Subject::Person(p));

    let r = w.store.read().unwrap();
    assert_eq!(
        r.documents_of(DocumentOwner::Person(p)).unwrap(),
        vec![doc.clone()]
    );
    assert_eq!(r.document(doc.id).unwrap(), Some(doc.clone()));
    assert_eq!(r.document_bytes(doc.id).unwrap(), bytes);
    drop(r);

    let mut wr = w.store.write(w.op).unwrap();
    wr.remove_document(doc.id).unwrap();
    wr.commit().unwrap();
    let r = w.store.read().unwrap();
    assert!(r.documents_of(DocumentOwner::Person(p)).unwrap().is_empty());
    assert!(r.document(doc.id).unwrap().is_none());
    drop(r);
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
}

#[test]
fn refusals_leave_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("db.redb"));
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let owner = DocumentOwner::Person(p);
    let big = pdf(3 * MB as usize, 1);
    let mut wr = w.store.write(w.op).unwrap();
    let e = wr
        .attach_document(new_doc(owner, k, "big.pdf"), &mut big.as_slice(), 2 * MB)
        .unwrap_err();
    assert!(e.to_string().contains("troppo grande"), "{e}");
    assert!(e.to_string().contains("2 MB"), "{e}");
    let png = b"\x89PNG\r\n\x1a\nrest of an image".to_vec();
    let e = wr
        .attach_document(new_doc(owner, k, "isee.pdf"), &mut png.as_slice(), 2 * MB)
        .unwrap_err();
    assert!(e.to_string().contains("PNG"), "{e}");
    let e = wr
        .attach_document(new_doc(owner, k, "isee.gif"), &mut png.as_slice(), 2 * MB)
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    // The same transaction goes on and commits: nothing of the refused files stays.
    wr.commit().unwrap();
    let r = w.store.read().unwrap();
    assert!(r.documents_of(owner).unwrap().is_empty());
    drop(r);
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
    let _ = check_upload("a.pdf", b"%PDF-", 1, 1);
}
