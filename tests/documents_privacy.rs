//! Attached documents (issue 15 part 3) and privacy: the permissions of the owner record,
//! restricted people, records whose content is hidden, encryption at rest (a byte scan of
//! the file), erasure (the same scan after compaction), and merges between desks and of
//! people.

#[path = "documents/common.rs"]
mod common;
#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::document::MB;
use accoglienza::domain::*;
use accoglienza::store::{OpenOptions, Store, StoreError};
use common::*;
use world::*;

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
                    court_file: String::new(),
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
    let p_plain = w.person("Rossi", None);
    let p = p_plain;
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
    // The plain database encrypted in place (the same rebuild as a conversion): the
    // document comes across whole, and no block of it is left in the file.
    let (mut store, _key) = Store::encrypt_existing(
        &plain,
        OpenOptions {
            clock: accoglienza::domain::time::Clock::Fixed(today()),
            must_exist: true,
        },
        "admin",
        &accoglienza::store::crypt::SecretString::from("una password lunga abbastanza".to_string()),
    )
    .unwrap();
    let docs = store
        .read()
        .unwrap()
        .documents_of(DocumentOwner::Person(p_plain))
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        store.read().unwrap().document_bytes(docs[0].id).unwrap(),
        fixture
    );
    assert!(store.check().unwrap().ok());
    drop(store);
    assert_eq!(
        fixture_blocks_in(&std::fs::read(&plain).unwrap(), &fixture),
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
fn the_art_15_export_lists_the_persons_documents() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let k = kind(&w);
    let h = w.household("Verdi");
    let p = w.person("Verdi", Some(h));
    let other = w.person("Neri", None);
    let case = w.case(
        Subject::Person(p),
        w.lines.keys().next().unwrap(),
        d(2024, 1, 10),
        None,
    );
    let png = b"\x89PNG\r\n\x1a\nimmagine".to_vec();
    attach(
        &w.store,
        w.op,
        DocumentOwner::Case(case),
        k,
        "piano.png",
        &png,
    );
    attach(
        &w.store,
        w.op,
        DocumentOwner::Household(h),
        k,
        "stato-famiglia.png",
        &png,
    );
    attach(
        &w.store,
        w.op,
        DocumentOwner::Person(other),
        k,
        "altrui.png",
        &png,
    );
    let x = accoglienza::print::art15::access_export(&w.store, None, p, &[]).unwrap();
    let text = x.json_text();
    assert_eq!(text.matches("documento allegato").count(), 2, "{text}");
    assert!(text.contains("piano.png") && text.contains("stato-famiglia.png"));
    assert!(!text.contains("altrui.png"));
}
