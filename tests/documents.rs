//! Attached documents (issue 15 part 3) through the store and the command line: attach,
//! read back, refusals (size, extension, content), backup and restore byte-identical,
//! export with the files, the checklist, the demo's documents, and the upload checks as a
//! property test. Permissions, encryption, erasure and merges: tests/documents_privacy.rs.

#[path = "documents/common.rs"]
mod common;
#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::document::{MB, check_upload};
use accoglienza::domain::*;
use accoglienza::store::backup::{self, Section};
use accoglienza::store::{Store, StoreError};
use common::*;
use proptest::prelude::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use world::*;

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
    assert_eq!(
        doc.chunks.len(),
        big.len()
            .div_ceil(accoglienza::store::documents::CHUNK_BYTES)
    );
    assert!(doc.chunks.len() > 1, "a file over one chunk is cut");
    assert_eq!(doc.subject, Subject::Person(p));
    assert_eq!(w.store.check().unwrap().problems, Vec::<String>::new());
    // The backup: format 6, the documents and their chunks counted in its header.
    let file = dir.path().join("a.accbak");
    backup(&w.store, &file);
    assert_eq!(std::fs::read(&file).unwrap()[8..10], 6u16.to_le_bytes());
    let info = backup::verify(&file, None, &mut |_, _, _| {}).unwrap();
    assert_eq!(info.header.count("documents"), 1);
    assert_eq!(
        info.header.count("document_chunks"),
        doc.chunks.len() as u64
    );
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

/// Attached files cost their size in the database file, not twice it: five 15 MB files,
/// each attached in its own transaction, make a file well under twice their 75 MB (chunks
/// of exactly 256 KiB took 512 KiB of pages each: 290 MB).
#[test]
fn attached_files_take_about_their_size_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    let w = world(&path);
    let k = kind(&w);
    let p = w.person("Spazio", None);
    let before = std::fs::metadata(&path).unwrap().len();
    for seed in 0..5 {
        let f = pdf(15 * 1024 * 1024, seed);
        attach(&w.store, w.op, DocumentOwner::Person(p), k, "isee.pdf", &f);
    }
    let grown = std::fs::metadata(&path).unwrap().len() - before;
    assert!(
        grown < 120 << 20,
        "75 MB of files grew the database by {} MB",
        grown >> 20
    );
}
