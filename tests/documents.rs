//! Attached documents (issue 15 part 3) through the store and the command line: attach,
//! read back, refusals (size, extension, content), permissions, backup and restore
//! byte-identical, export with the files, encryption at rest, erasure, merge between
//! desks, and the upload checks as a property test.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::document::{MB, check_upload};
use accoglienza::domain::*;
use accoglienza::store::backup::{self, Section};
use accoglienza::store::{OpenOptions, Store, StoreError};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
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
    assert!(e.to_string().contains("PDF, JPEG o PNG"), "{e}");
    let e = wr
        .attach_document(new_doc(owner, k, "vuoto.pdf"), &mut [].as_slice(), 2 * MB)
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    // The same transaction goes on and commits: nothing of the refused files stays.
    wr.commit().unwrap();
    let r = w.store.read().unwrap();
    assert!(r.documents_of(owner).unwrap().is_empty());
    drop(r);
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
}

/// Attaches `bytes` as `name` to `owner` in one transaction of the system.
fn attach(
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
fn cli(db: &Path, args: &[&str]) -> String {
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
fn fixture_blocks_in(file: &[u8], fixture: &[u8]) -> usize {
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

#[test]
fn a_15_mb_pdf_is_backed_up_restored_and_exported_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let mut w = world(&path);
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let case = w.case(
        Subject::Person(p),
        w.lines.keys().next().unwrap(),
        d(2024, 1, 10),
        None,
    );
    let big = pdf(15 * MB as usize, 42);
    let doc = attach(
        &w.store,
        w.op,
        DocumentOwner::Case(case),
        k,
        "ISEE 2025 (firmato).pdf",
        &big,
    );
    assert_eq!(doc.chunks.len(), 60);
    assert_eq!(doc.subject, Subject::Person(p));
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
    // The backup: format 6, the documents and their chunks counted in its header.
    let file = dir.path().join("a.accbak");
    backup(&w.store, &file);
    assert_eq!(std::fs::read(&file).unwrap()[8..10], 6u16.to_le_bytes());
    let info = backup::verify(&file, None, &mut |_, _, _| {}).unwrap();
    assert_eq!(info.header.count("documents"), 1);
    assert_eq!(info.header.count("document_chunks"), 60);
    assert!(
        backup::tables()
            .iter()
            .any(|(n, s)| *n == "document_chunks" && *s == Section::DocumentChunks)
    );
    assert_eq!(backup::table_label("documents"), "documenti allegati");
    // Removed, then brought back by the restore.
    let mut wr = w.store.write(w.op).unwrap();
    wr.remove_document(doc.id).unwrap();
    wr.commit().unwrap();
    let mut slot = Arc::new(w.store);
    restore(&mut slot, &file);
    {
        let r = slot.read().unwrap();
        assert_eq!(
            r.documents_of(DocumentOwner::Case(case)).unwrap(),
            vec![doc.clone()]
        );
        let mut back = Vec::new();
        assert_eq!(
            r.copy_document_to(doc.id, &mut back).unwrap(),
            big.len() as u64
        );
        assert_eq!(sha(&back), sha(&big));
    }
    assert!(Arc::get_mut(&mut slot).unwrap().check().unwrap().ok());
    drop(slot);
    // The export: metadata only, or with the files.
    let csv = cli(&path, &["export", "--table", "documents"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("id,owner_kind,owner_id,kind,file_name,media,size,sha256,dated,expires"),
        "{csv}"
    );
    assert!(
        csv.contains(&doc.sha256_hex()) && csv.contains(",case,") && csv.contains(",isee,"),
        "{csv}"
    );
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let csv = cli(
        &path,
        &[
            "export",
            "--table",
            "documents",
            "--with-files",
            files.to_str().unwrap(),
        ],
    );
    let name = format!("{}-ISEE_2025__firmato_.pdf", doc.id);
    assert!(csv.contains(&name), "{csv}");
    let written = std::fs::read(files.join(&name)).unwrap();
    assert_eq!(sha(&written), sha(&big), "byte-identical");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(files.join(&name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // --with-files only with the documents.
    let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
        .arg("--db")
        .arg(&path)
        .args([
            "export",
            "--table",
            "people",
            "--with-files",
            files.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_command_line_attaches_and_refuses_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let w = world(&path);
    kind(&w);
    let p = w.person("Rossi", None);
    drop(w);
    let good = dir.path().join("isee.pdf");
    std::fs::write(&good, pdf(300 * 1024, 3)).unwrap();
    let owner = format!("person:{p}");
    let id = cli(
        &path,
        &[
            "document",
            "attach",
            "--owner",
            &owner,
            "--kind",
            "ISEE",
            "--file",
            good.to_str().unwrap(),
            "--dated",
            "01/03/2025",
        ],
    );
    let id = Id::parse(id.trim()).unwrap();
    let fail = |file: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
            .arg("--db")
            .arg(&path)
            .args([
                "document",
                "attach",
                "--owner",
                &owner,
                "--kind",
                "isee",
                "--file",
                file.to_str().unwrap(),
            ])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let png_as_pdf = dir.path().join("finto.pdf");
    std::fs::write(&png_as_pdf, b"\x89PNG\r\n\x1a\n0000000000").unwrap();
    let e = fail(&png_as_pdf);
    assert!(e.contains("è un file PNG, non PDF"), "{e}");
    let random = dir.path().join("casuale.pdf");
    std::fs::write(&random, &pdf(1000, 9)[9..]).unwrap();
    let e = fail(&random);
    assert!(e.contains("non è un file PDF valido"), "{e}");
    let huge = dir.path().join("grande.pdf");
    std::fs::write(&huge, pdf(21 * MB as usize, 5)).unwrap();
    let e = fail(&huge);
    assert!(
        e.contains("troppo grande (21 MB)") && e.contains("20 MB"),
        "{e}"
    );
    let store = open(&path);
    let r = store.read().unwrap();
    let docs = r.documents_of(DocumentOwner::Person(p)).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, id);
    assert_eq!(docs[0].dated, d(2025, 3, 1));
}

#[test]
fn documents_follow_the_permissions_of_their_owner() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let project = w.project(p, d(2024, 1, 1), None);
    let sportello = w.session("front", "sportello");
    let operatore = w.session("ope", "operatore");
    let admin = w.session("adm", "amministratore");
    let png = b"\x89PNG\r\n\x1a\nimmagine".to_vec();
    // The front desk attaches to the person, not to the project.
    let mut wr = w.store.write_as(&sportello).unwrap();
    let doc = wr
        .attach_document(
            new_doc(DocumentOwner::Person(p), k, "id.png"),
            &mut png.as_slice(),
            MB,
        )
        .unwrap();
    let e = wr
        .attach_document(
            new_doc(DocumentOwner::Project(project), k, "p.png"),
            &mut png.as_slice(),
            MB,
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::Denied(_)), "{e}");
    wr.commit().unwrap();
    let mut wr = w.store.write_as(&operatore).unwrap();
    let pdoc = wr
        .attach_document(
            new_doc(DocumentOwner::Project(project), k, "p.png"),
            &mut png.as_slice(),
            MB,
        )
        .unwrap();
    wr.commit().unwrap();
    // Reading: the front desk sees the person's, not the project's.
    let r = w.store.read_as(&sportello).unwrap();
    assert_eq!(r.documents_of(DocumentOwner::Person(p)).unwrap().len(), 1);
    assert!(r.documents_of(DocumentOwner::Project(project)).is_err());
    assert!(r.document_bytes(pdoc.id).is_err());
    assert_eq!(r.document_bytes(doc.id).unwrap(), png);
    assert_eq!(
        r.all::<Document>().unwrap().len(),
        1,
        "a list leaves out what it may not read"
    );
    drop(r);
    // The administrator (no Anagrafica) neither reads nor removes a person's document.
    let r = w.store.read_as(&admin).unwrap();
    assert!(r.document(doc.id).is_err());
    drop(r);
    let mut wr = w.store.write_as(&admin).unwrap();
    assert!(wr.remove_document(doc.id).is_err());
    drop(wr);
    // The size limit: 20 MB by default, changed by who keeps the catalogue, within 1-200 MB.
    assert_eq!(w.store.document_settings().unwrap().max_bytes, 20 * MB);
    assert!(
        w.store
            .set_document_settings_as(&operatore, DocumentSettings { max_bytes: 5 * MB })
            .is_err()
    );
    assert!(
        w.store
            .set_document_settings_as(
                &admin,
                DocumentSettings {
                    max_bytes: 500 * MB
                }
            )
            .is_err()
    );
    w.store
        .set_document_settings_as(&admin, DocumentSettings { max_bytes: 5 * MB })
        .unwrap();
    assert_eq!(w.store.document_settings().unwrap().max_bytes, 5 * MB);
}

#[test]
fn a_restricted_persons_documents_are_hidden_from_an_operator() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let k = kind(&w);
    let p = w.person("Riservata", None);
    let case = w.case(
        Subject::Person(p),
        w.lines.keys().next().unwrap(),
        d(2024, 1, 10),
        None,
    );
    let png = b"\x89PNG\r\n\x1a\nimmagine".to_vec();
    let doc = attach(&w.store, w.op, DocumentOwner::Case(case), k, "a.png", &png);
    let op = w.session("ope", "operatore");
    let coord = w.session("coord", "coordinatore");
    w.store
        .insert_as(
            &coord,
            PrivacyEntry {
                id: Id::NIL,
                person: p,
                act: PrivacyAct::Limitazione,
                purpose: None,
                version: String::new(),
                at: dt(2025, 6, 1),
                channel: PrivacyChannel::Cartaceo,
                operator: None,
                note: "Richiesta dell'interessata".into(),
                archived: false,
            },
        )
        .unwrap();
    let op = {
        // A new session sees the restriction.
        drop(op);
        accoglienza::access::sign_in(&w.store, "ope", PW).unwrap()
    };
    let r = w.store.read_as(&op).unwrap();
    assert!(r.document(doc.id).is_err());
    assert!(r.document_bytes(doc.id).is_err());
    assert!(r.all::<Document>().unwrap().is_empty());
    drop(r);
    let mut wr = w.store.write_as(&op).unwrap();
    assert!(
        wr.attach_document(
            new_doc(DocumentOwner::Person(p), k, "b.png"),
            &mut png.as_slice(),
            MB
        )
        .is_err()
    );
    assert!(wr.remove_document(doc.id).is_err());
    drop(wr);
    let r = w.store.read_as(&coord).unwrap();
    assert_eq!(r.document_bytes(doc.id).unwrap(), png);
}

#[test]
fn documents_of_a_record_whose_content_is_hidden_are_hidden_too() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let k = kind(&w);
    let p = w.person("Rossi", None);
    // A messa alla prova (art. 10): an Operatore sees that it exists, not its content.
    let map = w
        .store
        .insert(
            w.op,
            Project {
                id: Id::NIL,
                person: p,
                line: w.lines[accoglienza::domain::catalogue::line_codes::MAP],
                start: d(2024, 1, 1),
                end: None,
                operator: None,
                kind: ProjectKind::MessaAllaProva {
                    uepe_office: "UEPE Milano".into(),
                    court: "Tribunale di Milano".into(),
                    hours_required: 100,
                    ledger: vec![],
                },
                note: String::new(),
                archived: false,
            },
        )
        .unwrap();
    let png = b"\x89PNG\r\n\x1a\nordinanza".to_vec();
    let doc = attach(
        &w.store,
        w.op,
        DocumentOwner::Project(map),
        k,
        "ordinanza.png",
        &png,
    );
    let op = w.session("ope", "operatore");
    let coord = w.session("coord", "coordinatore");
    let r = w.store.read_as(&op).unwrap();
    assert!(
        r.get::<Project>(map).unwrap().is_some(),
        "the project itself is listed"
    );
    assert!(matches!(r.document(doc.id), Err(StoreError::Denied(_))));
    assert!(r.document_bytes(doc.id).is_err());
    assert!(r.documents_of(DocumentOwner::Project(map)).is_err());
    assert!(r.documents().unwrap().is_empty());
    drop(r);
    let mut wr = w.store.write_as(&op).unwrap();
    let e = wr
        .attach_document(
            new_doc(DocumentOwner::Project(map), k, "b.png"),
            &mut png.as_slice(),
            MB,
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::Denied(_)), "{e}");
    assert!(wr.remove_document(doc.id).is_err());
    drop(wr);
    let r = w.store.read_as(&coord).unwrap();
    assert_eq!(r.document_bytes(doc.id).unwrap(), png);
    assert_eq!(r.documents().unwrap().len(), 1);
}

#[test]
fn an_encrypted_database_holds_no_run_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = pdf(MB as usize, 77);
    // Plain: the scan finds the file (the scan works).
    let plain = dir.path().join("plain.redb");
    let w = world(&plain);
    let k = kind(&w);
    let p = w.person("Rossi", None);
    attach(
        &w.store,
        w.op,
        DocumentOwner::Person(p),
        k,
        "isee.pdf",
        &fixture,
    );
    drop(w);
    assert!(fixture_blocks_in(&std::fs::read(&plain).unwrap(), &fixture) > 1000);
    // Encrypted: not one 32-byte block of it.
    let enc = dir.path().join("enc.redb");
    let (store, _key) = Store::create_encrypted(
        &enc,
        OpenOptions {
            clock: accoglienza::domain::time::Clock::Fixed(today()),
            must_exist: false,
        },
        "admin",
        &accoglienza::store::crypt::SecretString::from("una password lunga abbastanza".to_string()),
    )
    .unwrap();
    let w = world_in(store);
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let doc = attach(
        &w.store,
        w.op,
        DocumentOwner::Person(p),
        k,
        "isee.pdf",
        &fixture,
    );
    assert_eq!(
        w.store.read().unwrap().document_bytes(doc.id).unwrap(),
        fixture
    );
    drop(w);
    assert_eq!(
        fixture_blocks_in(&std::fs::read(&enc).unwrap(), &fixture),
        0
    );
}

#[test]
fn erasing_a_person_removes_their_documents_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let mut w = world(&path);
    let k = kind(&w);
    let h = w.household("Solo");
    let gone = w.person("Cancellata", Some(h));
    let stays = w.person("Resta", None);
    let line = w.lines.keys().next().unwrap().clone();
    let case = w.case(Subject::Person(gone), &line, d(2024, 1, 10), None);
    let project = w.project(gone, d(2024, 2, 1), None);
    let referral = w.referral(gone, d(2024, 3, 1));
    let fixtures: Vec<Vec<u8>> = (0..5).map(|i| pdf(300 * 1024, 1000 + i)).collect();
    let owners = [
        DocumentOwner::Person(gone),
        DocumentOwner::Household(h),
        DocumentOwner::Case(case),
        DocumentOwner::Project(project),
        DocumentOwner::Referral(referral),
    ];
    for (o, f) in owners.iter().zip(&fixtures) {
        attach(&w.store, w.op, *o, k, "doc.pdf", f);
    }
    let kept = pdf(300 * 1024, 5000);
    let kept_doc = attach(
        &w.store,
        w.op,
        DocumentOwner::Person(stays),
        k,
        "resta.pdf",
        &kept,
    );
    w.store
        .erase_person(w.op, gone, "Richiesta dell'interessata")
        .unwrap();
    let r = w.store.read().unwrap();
    assert_eq!(r.all::<Document>().unwrap(), vec![kept_doc.clone()]);
    assert_eq!(r.document_bytes(kept_doc.id).unwrap(), kept);
    drop(r);
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
    drop(w);
    let bytes = std::fs::read(&path).unwrap();
    for f in &fixtures {
        assert_eq!(
            fixture_blocks_in(&bytes, f),
            0,
            "an erased document left in the file"
        );
    }
    assert!(fixture_blocks_in(&bytes, &kept) > 0);
}

#[test]
fn documents_come_across_a_desk_merge_and_move_with_a_person_merge() {
    use accoglienza::store::merge::{Incoming, MergeOptions, merge_backup, merge_people};
    let dir = tempfile::tempdir().unwrap();
    // Desk B's database: a person with a document.
    let wb = world(&dir.path().join("b.redb"));
    let kb = kind(&wb);
    let pb = wb.person("Bianchi", None);
    let fixture = pdf(600 * 1024, 11);
    let doc = attach(
        &wb.store,
        wb.op,
        DocumentOwner::Person(pb),
        kb,
        "b.pdf",
        &fixture,
    );
    let file = dir.path().join("b.accbak");
    backup(&wb.store, &file);
    drop(wb);
    // Desk A merges it.
    let mut wa = world(&dir.path().join("a.redb"));
    kind(&wa);
    let incoming = Incoming::read(&file, None, &mut |_, _, _| {}).unwrap();
    merge_backup(&wa.store, Id::NIL, &incoming, &MergeOptions::default()).unwrap();
    {
        let r = wa.store.read().unwrap();
        let here = r.document(doc.id).unwrap().unwrap();
        assert_eq!(here.owner, DocumentOwner::Person(pb));
        assert_eq!(r.document_bytes(doc.id).unwrap(), fixture);
    }
    // Merged again: nothing changes.
    merge_backup(&wa.store, Id::NIL, &incoming, &MergeOptions::default()).unwrap();
    assert_eq!(wa.store.check().unwrap().problems, Vec::<String>::new());
    // A person merge moves the document to the person who stays.
    let keep = wa.person("Bianchi", None);
    merge_people(&wa.store, wa.op, keep, pb, &[]).unwrap();
    let r = wa.store.read().unwrap();
    assert_eq!(
        r.documents_of(DocumentOwner::Person(keep)).unwrap().len(),
        1
    );
    assert_eq!(
        r.document(doc.id).unwrap().unwrap().subject,
        Subject::Person(keep)
    );
    drop(r);
    assert_eq!(wa.store.check().unwrap().problems, Vec::<String>::new());
}

#[test]
fn a_checklist_line_attached_goes_back_to_missing_when_the_document_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let k = kind(&w);
    let p = w.person("Rossi", None);
    let r = w.store.read().unwrap();
    let measure = r.all::<Measure>().unwrap()[0].id;
    drop(r);
    let bando = w
        .store
        .insert(
            w.op,
            Bando {
                id: Id::NIL,
                code: "b2".into(),
                name: "Misura B2".into(),
                measure,
                body: "Comune di Milano".into(),
                year: 2025,
                edition: String::new(),
                opens: None,
                closes: None,
                requirements: String::new(),
                documents: vec![RequiredDocument {
                    kind: k,
                    expires: true,
                }],
                archived: false,
            },
        )
        .unwrap();
    let mut pratica = Pratica::new(Subject::Person(p), bando, w.desk, w.op, d(2025, 3, 1));
    pratica.checklist = vec![ChecklistItem {
        document: k,
        state: DocumentState::Mancante,
    }];
    let pid = w.store.insert(w.op, pratica).unwrap();
    let doc = attach(
        &w.store,
        w.op,
        DocumentOwner::Pratica(pid),
        k,
        "isee.png",
        b"\x89PNG\r\n\x1a\nimg",
    );
    let mut pr: Pratica = w.store.read().unwrap().require(pid).unwrap();
    pr.checklist[0].state = DocumentState::Allegato(doc.id);
    assert_eq!(pr.missing_documents(), 0);
    assert_eq!(DocumentState::Allegato(doc.id).label(), "Allegato");
    w.store.update(w.op, pr).unwrap();
    let mut wr = w.store.write(w.op).unwrap();
    wr.remove_document(doc.id).unwrap();
    wr.commit().unwrap();
    let pr: Pratica = w.store.read().unwrap().require(pid).unwrap();
    assert_eq!(pr.checklist[0].state, DocumentState::Mancante);
    assert_eq!(pr.missing_documents(), 1);
}

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._-]{0,20}\\.(pdf|PDF|jpg|jpeg|JPG|png|Png|gif|docx|)",
        ".{0,40}",
    ]
}

fn head_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..16),
        proptest::collection::vec(any::<u8>(), 0..8)
            .prop_map(|t| [b"%PDF-".as_slice(), &t].concat()),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(|t| [
            [0xFFu8, 0xD8, 0xFF].as_slice(),
            &t
        ]
        .concat()),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(|t| [
            b"\x89PNG\r\n\x1a\n".as_slice(),
            &t
        ]
        .concat()),
    ]
}

proptest! {
    /// Never panics; accepts exactly a name whose extension and content agree, of a size
    /// from 1 byte to the limit.
    #[test]
    fn upload_checks_accept_only_matching_pairs(
        name in name_strategy(),
        head in head_strategy(),
        size in 0u64..4_000_000,
        limit in 1u64..3_000_000,
    ) {
        let named = MediaType::of_file_name(&name);
        let sniffed = MediaType::sniff(&head);
        match check_upload(&name, &head, size, limit) {
            Ok(m) => {
                prop_assert!(size >= 1 && size <= limit);
                prop_assert_eq!(Some(m), named);
                prop_assert_eq!(Some(m), sniffed);
            }
            Err(e) => {
                prop_assert!(!e.is_empty());
                prop_assert!(size == 0 || size > limit || named.is_none() || named != sniffed);
            }
        }
    }

    /// Sniffing any bytes never panics and agrees with the magic numbers.
    #[test]
    fn sniff_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Some(m) = MediaType::sniff(&bytes) {
            let agrees = match m {
                MediaType::Pdf => bytes.starts_with(b"%PDF-"),
                MediaType::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
                MediaType::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            };
            prop_assert!(agrees);
        }
    }
}

#[test]
fn the_demo_attaches_a_few_documents_to_its_pratiche() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("demo.redb")).unwrap();
    accoglienza::demo::generate(
        &store,
        accoglienza::demo::Scale::Cooperative,
        2022,
        &mut |_, _, _| {},
    )
    .unwrap();
    let r = store.read().unwrap();
    let docs = r.all::<Document>().unwrap();
    assert_eq!(docs.len(), 12);
    for d in &docs {
        let bytes = r.document_bytes(d.id).unwrap();
        assert_eq!(MediaType::sniff(&bytes), Some(d.media));
        if d.media == MediaType::Png {
            let dec = png::Decoder::new(std::io::Cursor::new(bytes));
            assert_eq!(dec.read_info().unwrap().info().width, 240);
        }
        let DocumentOwner::Pratica(p) = d.owner else {
            panic!("{:?}", d.owner)
        };
        let p: Pratica = r.require(p).unwrap();
        assert!(p.checklist.contains(&ChecklistItem {
            document: d.kind,
            state: DocumentState::Allegato(d.id)
        }));
    }
    drop(r);
    assert_eq!(store.check().unwrap().problems, Vec::<String>::new());
}
