//! Accounts and permissions through the store's API: each default role's allowed and
//! refused reads and writes, confidential notes, art. 9 / art. 10 content, the
//! extraordinary access, sign-in with a growing delay, lock-out and unlock, deactivation,
//! provisional passwords, and the audit's hash chain altered through a raw redb handle.

use accoglienza::access::{self, NewAccount, PasswordParams, Session, SignInError};
use accoglienza::domain::access::{AccessKind, role_codes};
use accoglienza::domain::*;
use accoglienza::store::backup::BackupOptions;
use accoglienza::store::{Store, StoreError, audit};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use redb::{ReadableDatabase, ReadableTable};

const PW: &str = "una frase abbastanza lunga";
const FAST: PasswordParams = PasswordParams::FAST_FOR_TESTS;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct World {
    dir: tempfile::TempDir,
    store: Store,
    /// Operators: the front desk, the social worker (referente of the case), another.
    desk_op: Id,
    social: Id,
    other: Id,
    person: Id,
    case: Id,
    map_project: Id,
    /// Contacts: a confidential note by `social`; an ordinary note by `other`; one on
    /// an art. 9 line by `other`.
    confidential: Id,
    others_note: Id,
    art9_note: Id,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("a.redb")).unwrap();
    let r = store.read().unwrap();
    let lines = r.all::<ServiceLine>().unwrap();
    let line = |c: &str| lines.iter().find(|l| l.code == c).unwrap().id;
    let roles = r.all::<Role>().unwrap();
    let role = |c: &str| roles.iter().find(|l| l.code == c).unwrap().id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    drop(r);
    let op = |surname: &str, r: &str| {
        store
            .insert(
                Id::NIL,
                Operator {
                    surname: surname.into(),
                    name: "Prova".into(),
                    role: role(r),
                    active: true,
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let desk_op = op("Sportellista", "sportello");
    let social = op("Sociale", "assistente_sociale");
    let other = op("Altro", "educatore");
    let person = store
        .insert(
            social,
            Person {
                surname: "Bianchi".into(),
                name: "Carla".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let case = store
        .insert(
            social,
            Case {
                id: Id::NIL,
                subject: Subject::Person(person),
                line: line("famiglie"),
                opened: d(2023, 1, 10),
                closed: None,
                status: CaseStatus::InCorso,
                referente: Some(social),
                team: vec![],
                need: "Sostegno alla genitorialità".into(),
                plan: vec![],
                outcome: String::new(),
                archived: false,
            },
        )
        .unwrap();
    let map_project = store
        .insert(
            social,
            Project {
                id: Id::NIL,
                person,
                line: line("map"),
                start: d(2023, 2, 1),
                end: None,
                operator: Some(social),
                kind: ProjectKind::MessaAllaProva {
                    uepe_office: "UEPE Milano".into(),
                    court: "Tribunale di Milano".into(),
                    court_file: String::new(),
                    hours_required: 120,
                    ledger: vec![],
                },
                note: "Nota sul procedimento".into(),
                archived: false,
            },
        )
        .unwrap();
    let contact = |by: Id, l: &str, note: &str, confidential: bool| {
        store
            .insert(
                by,
                Contact {
                    id: Id::NIL,
                    at: d(2023, 3, 1).and_hms_opt(10, 0, 0).unwrap(),
                    subject: Subject::Person(person),
                    line: line(l),
                    desk,
                    operator: by,
                    kind: ContactKind::Colloquio,
                    measure: None,
                    minutes: 30,
                    note: note.into(),
                    confidential,
                    archived: false,
                },
            )
            .unwrap()
    };
    let confidential = contact(social, "famiglie", "Riferisce violenza domestica", true);
    let others_note = contact(other, "famiglie", "Ha portato i documenti", false);
    let art9_note = contact(other, "blu", "Diagnosi di autismo confermata", false);
    World {
        dir,
        store,
        desk_op,
        social,
        other,
        person,
        case,
        map_project,
        confidential,
        others_note,
        art9_note,
    }
}

impl World {
    fn account(&self, name: &str, role: &str, operator: Option<Id>) -> Id {
        let role = self.store.access_role(role).unwrap().unwrap().id;
        self.store
            .create_account_unchecked(
                &NewAccount {
                    username: name.into(),
                    operator,
                    roles: vec![role],
                    must_change: false,
                },
                PW,
                FAST,
            )
            .unwrap()
    }

    fn session(&self, name: &str, role: &str, operator: Option<Id>) -> Session {
        self.account(name, role, operator);
        access::sign_in(&self.store, name, PW).unwrap()
    }
}

fn denied(e: StoreError) -> String {
    match e {
        StoreError::Denied(m) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_front_desk_sees_people_and_contacts_but_no_case_nor_others_notes() {
    let w = world();
    let s = w.session("sportello", role_codes::SPORTELLO, Some(w.desk_op));
    let r = w.store.read_as(&s).unwrap();
    assert_eq!(r.require::<Person>(w.person).unwrap().surname, "Bianchi");
    let msg = denied(r.by_subject::<Case>(w.person).unwrap_err());
    assert!(msg.contains("prese in carico"), "{msg}");
    assert!(msg.contains("Accesso straordinario"), "{msg}");
    denied(r.get::<Case>(w.case).unwrap_err());
    denied(r.all::<Project>().unwrap_err());
    // Contacts are there, but the notes of others are not.
    let contacts = r.by_subject::<Contact>(w.person).unwrap();
    assert_eq!(contacts.len(), 3);
    assert!(contacts.iter().all(|c| c.note.is_empty()), "{contacts:?}");
    // The refusal is worded for a person, in Italian, through Display too.
    let e = w.store.read_as(&s).unwrap().all::<Case>().unwrap_err();
    assert!(e.to_string().starts_with("Accesso negato."), "{e}");
    // Writes: a contact yes, a case no.
    let case = w.store.read().unwrap().require::<Case>(w.case).unwrap();
    let e = w.store.update_as(&s, case).unwrap_err();
    assert!(denied(e).contains("modificare le prese in carico"));
    drop(r);
    let mut c = w
        .store
        .read()
        .unwrap()
        .require::<Contact>(w.others_note)
        .unwrap();
    c.id = Id::NIL;
    c.operator = w.desk_op;
    c.note = "Nota mia".into();
    let mine = w.store.insert_as(&s, c).unwrap();
    let back = w
        .store
        .read_as(&s)
        .unwrap()
        .require::<Contact>(mine)
        .unwrap();
    assert_eq!(back.note, "Nota mia", "one's own note is visible");
}

#[test]
fn the_meeting_role_sees_only_aggregates() {
    let w = world();
    let s = w.session("riunione", role_codes::RIUNIONE, None);
    let r = w.store.read_as(&s).unwrap();
    assert!(!r.totals().unwrap().is_empty(), "the annual counts");
    denied(r.get::<Person>(w.person).unwrap_err());
    denied(r.search_people("bia", 10).unwrap_err());
    denied(r.all::<Contact>().unwrap_err());
    denied(r.audit(10).unwrap_err());
    let p = Person {
        surname: "Nuova".into(),
        name: "Persona".into(),
        ..Default::default()
    };
    denied(w.store.insert_as(&s, p).unwrap_err());
}

#[test]
fn art_10_fields_are_hidden_without_the_permission_and_kept_on_save() {
    let w = world();
    let oper = w.session("operatore", role_codes::OPERATORE, Some(w.other));
    let coord = w.session("coordinatore", role_codes::COORDINATORE, None);
    let seen = w
        .store
        .read_as(&oper)
        .unwrap()
        .require::<Project>(w.map_project)
        .unwrap();
    match &seen.kind {
        ProjectKind::MessaAllaProva {
            court,
            uepe_office,
            hours_required,
            ..
        } => {
            assert!(court.is_empty() && uepe_office.is_empty() && *hours_required == 0);
        }
        k => panic!("{k:?}"),
    }
    assert!(seen.note.is_empty());
    // Saving what it saw changes the end date but not what it could not see.
    let mut edited = seen.clone();
    edited.end = Some(d(2023, 12, 31));
    w.store.update_as(&oper, edited).unwrap();
    let stored = w
        .store
        .read_as(&coord)
        .unwrap()
        .require::<Project>(w.map_project)
        .unwrap();
    assert_eq!(stored.end, Some(d(2023, 12, 31)));
    assert_eq!(stored.note, "Nota sul procedimento");
    assert!(matches!(
        &stored.kind,
        ProjectKind::MessaAllaProva { court, hours_required: 120, .. } if court == "Tribunale di Milano"
    ));
    // The art. 9 note: the operator role has art. 9, the front desk has not.
    let r = w.store.read_as(&oper).unwrap();
    assert_eq!(
        r.require::<Contact>(w.art9_note).unwrap().note,
        "Diagnosi di autismo confermata"
    );
}

#[test]
fn a_confidential_note_stays_with_its_author_the_referente_and_the_permission() {
    let w = world();
    // `other` is neither author nor referente; the operator role has no «note riservate».
    let other = w.session("altro", role_codes::OPERATORE, Some(w.other));
    let author = w.session("sociale", role_codes::OPERATORE, Some(w.social));
    let coord = w.session("coord", role_codes::COORDINATORE, None);
    let note = |s: &Session| {
        w.store
            .read_as(s)
            .unwrap()
            .require::<Contact>(w.confidential)
            .unwrap()
            .note
    };
    assert_eq!(note(&other), "");
    assert_eq!(note(&author), "Riferisce violenza domestica");
    assert_eq!(note(&coord), "Riferisce violenza domestica");
    // Another's ordinary note: visible to roles with «note di altri».
    let r = w.store.read_as(&other).unwrap();
    assert_eq!(
        r.require::<Contact>(w.others_note).unwrap().note,
        "Ha portato i documenti"
    );
    // The referente of a case about the person sees it without being the author.
    let mut c = w
        .store
        .read()
        .unwrap()
        .require::<Contact>(w.confidential)
        .unwrap();
    c.id = Id::NIL;
    c.operator = w.other;
    c.note = "Nota riservata di Altro".into();
    let by_other = w.store.insert(w.other, c).unwrap();
    let as_referente = w
        .store
        .read_as(&author)
        .unwrap()
        .require::<Contact>(by_other)
        .unwrap();
    assert_eq!(as_referente.note, "Nota riservata di Altro");
    // A save by someone who could not see it keeps it.
    let mut seen = w
        .store
        .read_as(&other)
        .unwrap()
        .require::<Contact>(w.confidential)
        .unwrap();
    seen.minutes = 45;
    w.store.update_as(&other, seen).unwrap();
    assert_eq!(note(&coord), "Riferisce violenza domestica");
}

#[test]
fn changing_who_sees_a_record_never_reveals_what_was_hidden() {
    let w = world();
    // `other` (an operator: no «note riservate», no art. 10) and the front desk.
    let other = w.session("altro", role_codes::OPERATORE, Some(w.other));
    let desk = w.session("sportello", role_codes::SPORTELLO, Some(w.desk_op));
    let coord = w.session("coord", role_codes::COORDINATORE, None);
    let read = |s: &Session| w.store.read_as(s).unwrap();
    // Making oneself the author of a confidential note: refused.
    let mut c = read(&other).require::<Contact>(w.confidential).unwrap();
    assert_eq!(c.note, "");
    c.operator = w.other;
    let m = denied(w.store.update_as(&other, c).unwrap_err());
    assert!(m.contains("non vedi il contenuto"), "{m}");
    // The front desk taking over an art. 9 note by becoming its author: refused.
    let mut c = read(&desk).require::<Contact>(w.art9_note).unwrap();
    assert_eq!(c.note, "");
    c.operator = w.desk_op;
    denied(w.store.update_as(&desk, c).unwrap_err());
    // Making oneself the referente of a case on the judicial line (art. 10): refused.
    let map_line = w
        .store
        .read()
        .unwrap()
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .find(|l| l.code == "map")
        .unwrap()
        .id;
    let mut judicial = w.store.read().unwrap().require::<Case>(w.case).unwrap();
    judicial.id = Id::NIL;
    judicial.line = map_line;
    judicial.need = "Condanna in primo grado, pena sospesa".into();
    let judicial = w.store.insert(w.social, judicial).unwrap();
    let mut c = read(&other).require::<Case>(judicial).unwrap();
    assert_eq!(c.need, "", "hidden without art. 10");
    c.referente = Some(w.other);
    denied(w.store.update_as(&other, c).unwrap_err());
    assert_eq!(
        read(&coord).require::<Case>(judicial).unwrap().referente,
        Some(w.social)
    );
    // Messa alla prova turned into an internship on an ordinary line to read its note:
    // refused.
    let famiglie = w
        .store
        .read()
        .unwrap()
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .find(|l| l.code == "famiglie")
        .unwrap()
        .id;
    let mut p = read(&other).require::<Project>(w.map_project).unwrap();
    assert!(p.note.is_empty());
    p.line = famiglie;
    p.kind = ProjectKind::Tirocinio {
        host: "Ditta".into(),
        hours_per_week: 20,
        allowance_cents: 0,
        attendance: vec![],
    };
    denied(w.store.update_as(&other, p).unwrap_err());
    // Nothing changed; and a change that keeps the content hidden is still allowed.
    let stored = read(&coord).require::<Contact>(w.confidential).unwrap();
    assert_eq!(stored.operator, w.social);
    assert_eq!(stored.note, "Riferisce violenza domestica");
    let mut c = read(&other).require::<Contact>(w.confidential).unwrap();
    c.minutes = 50;
    w.store.update_as(&other, c).unwrap();
    assert_eq!(
        read(&coord)
            .require::<Contact>(w.confidential)
            .unwrap()
            .note,
        "Riferisce violenza domestica"
    );
}

#[test]
fn an_extraordinary_access_needs_a_reason_and_is_audited_and_flagged() {
    let w = world();
    let s = w.session("sportello", role_codes::SPORTELLO, Some(w.desk_op));
    let e = w
        .store
        .extraordinary_access(&s, Subject::Person(w.person), "boh")
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "a reason is required");
    denied(
        w.store
            .read_as(&s)
            .unwrap()
            .by_subject::<Case>(w.person)
            .unwrap_err(),
    );
    let reason = "Emergenza: il referente è assente e la persona è allo sportello";
    w.store
        .extraordinary_access(&s, Subject::Person(w.person), reason)
        .unwrap();
    let cases = w
        .store
        .read_as(&s)
        .unwrap()
        .by_subject::<Case>(w.person)
        .unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].need, "Sostegno alla genitorialità");
    // Only that person: every case of everyone stays refused.
    denied(w.store.read_as(&s).unwrap().all::<Case>().unwrap_err());
    let coord = w.session("coord", role_codes::COORDINATORE, None);
    let log = w
        .store
        .access_log(
            &coord,
            &access::LogFilter {
                flagged_only: true,
                ..Default::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(log.len(), 1);
    let e = &log[0].1;
    assert_eq!(e.action, Action::ExtraordinaryAccess);
    assert_eq!(e.detail, reason);
    assert_eq!(e.entity, w.person);
    assert_eq!(e.account, s.account());
    assert_eq!(e.operator, w.desk_op);
    // The Registro accessi is refused to the front desk.
    denied(
        w.store
            .access_log(&s, &access::LogFilter::default(), 10)
            .unwrap_err(),
    );
}

#[test]
fn wrong_passwords_wait_longer_each_time_then_lock_until_an_admin_unlocks() {
    let w = world();
    let id = w.account("anna", role_codes::OPERATORE, Some(w.social));
    let admin = w.session("admin", role_codes::ADMIN, None);
    let t0: NaiveDateTime = w.store.clock().now();
    let mut t = t0;
    let mut waits = vec![];
    for _ in 0..4 {
        match access::sign_in_at(&w.store, "anna", "sbagliata del tutto", t) {
            Err(SignInError::Wrong { wait_secs }) => waits.push(wait_secs),
            other => panic!("{other:?}"),
        }
        // Too soon: refused without even trying the password.
        if let Err(SignInError::TooSoon { wait_secs }) = access::sign_in_at(&w.store, "anna", PW, t)
        {
            assert_eq!(wait_secs, *waits.last().unwrap());
        } else {
            panic!("an attempt before the delay must be refused");
        }
        t += Duration::seconds(*waits.last().unwrap());
    }
    assert_eq!(waits, vec![1, 2, 4, 8], "the delay grows");
    let locked = access::sign_in_at(&w.store, "anna", "sbagliata del tutto", t).unwrap_err();
    assert!(matches!(locked, SignInError::Locked { .. }), "{locked:?}");
    assert!(locked.to_string().contains("amministratore"), "{locked}");
    // Even the right password now waits for the lock to end.
    let still = access::sign_in_at(&w.store, "anna", PW, t + Duration::minutes(1)).unwrap_err();
    assert!(matches!(still, SignInError::Locked { .. }));
    // The front desk cannot unlock; an administrator can.
    let other = w.session("sportello", role_codes::SPORTELLO, None);
    denied(w.store.unlock_account(&other, id).unwrap_err());
    w.store.unlock_account(&admin, id).unwrap();
    access::sign_in_at(&w.store, "anna", PW, t + Duration::minutes(1)).unwrap();
    // Every attempt, the lock and the unlock are in the log.
    let coord = w.session("coord", role_codes::COORDINATORE, None);
    let log = w
        .store
        .access_log(
            &coord,
            &access::LogFilter {
                entity: Some(id),
                access_only: true,
                ..Default::default()
            },
            50,
        )
        .unwrap();
    let actions: Vec<Action> = log.iter().rev().map(|(_, r)| r.action).collect();
    assert_eq!(
        actions,
        vec![
            Action::SignInFailed,
            Action::SignInFailed,
            Action::SignInFailed,
            Action::SignInFailed,
            Action::SignInFailed,
            Action::AccountLocked,
            Action::AccountUnlocked,
            Action::SignIn,
        ]
    );
    // An unknown name gets the same answer as a wrong password.
    let e = access::sign_in(&w.store, "nessuno", PW).unwrap_err();
    assert_eq!(e.to_string(), "Nome utente o password errati.");
}

#[test]
fn a_reset_password_must_be_changed_before_anything_else() {
    let w = world();
    let id = w.account("anna", role_codes::OPERATORE, Some(w.social));
    let admin = w.session("admin", role_codes::ADMIN, None);
    let e = w
        .store
        .reset_password(&admin, id, "corta", FAST)
        .unwrap_err();
    assert!(e.to_string().contains("12 caratteri"), "{e}");
    w.store
        .reset_password(&admin, id, "provvisoria per lei", FAST)
        .unwrap();
    assert!(
        access::sign_in(&w.store, "anna", PW).is_err(),
        "old password gone"
    );
    // (After the wrong attempt's one-second delay.)
    let later = w.store.clock().now() + Duration::seconds(2);
    let s = access::sign_in_at(&w.store, "anna", "provvisoria per lei", later).unwrap();
    assert!(s.must_change());
    denied(w.store.read_as(&s).err().expect("refused"));
    let e = w
        .store
        .change_password(&s, "provvisoria per lei", "password1234", FAST)
        .unwrap_err();
    assert!(e.to_string().contains("più usate"), "{e}");
    let s = w
        .store
        .change_password(
            &s,
            "provvisoria per lei",
            "la mia nuova frase segreta",
            FAST,
        )
        .unwrap();
    assert!(!s.must_change());
    w.store
        .read_as(&s)
        .unwrap()
        .require::<Person>(w.person)
        .unwrap();
}

#[test]
fn accounts_unused_for_months_are_deactivated_never_deleted() {
    let w = world();
    let id = w.account("anna", role_codes::OPERATORE, Some(w.social));
    let later = w.store.clock().now() + Duration::days(200);
    let e = access::sign_in_at(&w.store, "anna", PW, later).unwrap_err();
    assert!(matches!(e, SignInError::Deactivated), "{e:?}");
    let a = w.store.read().unwrap().require::<Account>(id).unwrap();
    assert!(!a.active, "kept, deactivated");
    // An administrator reactivates it.
    let admin = w.session("admin", role_codes::ADMIN, None);
    w.store.set_account_active(&admin, id, true).unwrap();
    access::sign_in(&w.store, "anna", PW).unwrap();
}

#[test]
fn the_first_administrator_must_change_the_password_and_sees_no_case_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("n.redb")).unwrap();
    assert!(!store.has_accounts().unwrap());
    let e = store
        .create_first_admin("admin", "admin", None, false, FAST)
        .unwrap_err();
    assert!(e.to_string().contains("12 caratteri"), "{e}");
    store
        .create_first_admin("admin", "una password da cambiare", None, false, FAST)
        .unwrap();
    let e = store
        .create_first_admin("altro", "una password da cambiare", None, false, FAST)
        .unwrap_err();
    denied(e);
    let s = access::sign_in(&store, "admin", "una password da cambiare").unwrap();
    assert!(s.must_change());
    let s = store
        .change_password(
            &s,
            "una password da cambiare",
            "la frase scelta da me",
            FAST,
        )
        .unwrap();
    denied(store.read_as(&s).unwrap().all::<Person>().unwrap_err());
    assert!(s.may(Permission::Account) && s.may(Permission::Backup));
}

#[test]
fn reads_that_matter_are_logged_with_their_purpose() {
    let w = world();
    let s = w.session("coord", role_codes::COORDINATORE, None);
    w.store
        .log_access(
            &s,
            AccessKind::Cartella,
            Some((EntityKind::Person, w.person)),
            "",
        )
        .unwrap();
    w.store
        .log_access(&s, AccessKind::Esportazione, None, "richiesta del Comune")
        .unwrap();
    let log = w
        .store
        .access_log(
            &s,
            &access::LogFilter {
                entity: Some(w.person),
                ..Default::default()
            },
            10,
        )
        .unwrap();
    assert!(
        log.iter()
            .any(|(_, r)| r.action == Action::Read(AccessKind::Cartella))
    );
    let all = w
        .store
        .access_log(&s, &access::LogFilter::default(), 50)
        .unwrap();
    assert_eq!(all[0].1.detail, "richiesta del Comune", "newest first");
    assert!(
        all.iter().all(|(_, r)| !r.detail.contains("violenza")),
        "no note text"
    );
}

/// The audit table, raw.
const AUDIT: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("audit");

fn raw_entries(path: &std::path::Path) -> Vec<(u128, Vec<u8>)> {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let t = txn.open_table(AUDIT).unwrap();
    t.iter()
        .unwrap()
        .map(|i| {
            let (k, v) = i.unwrap();
            (k.value(), v.value().to_vec())
        })
        .collect()
}

fn check_problems(path: &std::path::Path) -> Vec<String> {
    let mut s = Store::open(path).unwrap();
    s.check().unwrap().problems
}

/// A world with a few more audited events, closed; its file path.
fn closed_world() -> (tempfile::TempDir, std::path::PathBuf) {
    let w = world();
    let s = w.session("coord", role_codes::COORDINATORE, None);
    w.store
        .log_access(
            &s,
            AccessKind::Cartella,
            Some((EntityKind::Person, w.person)),
            "",
        )
        .unwrap();
    let path = w.store.path().to_path_buf();
    let World { dir, store, .. } = w;
    drop(store);
    assert!(check_problems(&path).is_empty(), "sound to start with");
    (dir, path)
}

#[test]
fn an_altered_audit_entry_is_named_by_check() {
    let (_dir, path) = closed_world();
    let entries = raw_entries(&path);
    let n = entries.len() / 2;
    let (key, bytes) = &entries[n];
    let audit::StoredAudit::V2(mut c) = audit::decode(bytes).unwrap() else {
        panic!("a chained entry");
    };
    // Someone with the file rewrites who did it, keeping the stored hash.
    c.record.operator = Id::NIL;
    c.record.detail = "riscritta".into();
    let altered = postcard::to_allocvec(&audit::StoredAudit::V2(c)).unwrap();
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(AUDIT)
            .unwrap()
            .insert(*key, altered.as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let problems = check_problems(&path);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert!(p.contains(&format!("voce n. {}", n + 1)), "{p}");
    assert!(p.contains(&Id(*key).to_string()), "{p}");
    assert!(p.contains("alterata"), "{p}");
}

#[test]
fn a_deleted_audit_entry_breaks_the_link_check_names() {
    let (_dir, path) = closed_world();
    let entries = raw_entries(&path);
    let n = entries.len() / 2;
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(AUDIT).unwrap().remove(entries[n].0).unwrap();
        txn.commit().unwrap();
    }
    let problems = check_problems(&path);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert!(p.contains("anello rotto"), "{p}");
    // Named by the entries on either side of the gap.
    assert!(p.contains(&Id(entries[n - 1].0).to_string()), "{p}");
    assert!(p.contains(&Id(entries[n + 1].0).to_string()), "{p}");
    assert!(p.contains(&format!("voce n. {}", n)), "{p}");
}

#[test]
fn removing_the_last_audit_entries_is_noticed_and_backups_carry_the_head() {
    let (dir, path) = closed_world();
    let store = Store::open(&path).unwrap();
    let out = dir.path().join("b.accbak");
    let info = store
        .backup_to(&out, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    let head = info
        .header
        .audit_head
        .clone()
        .expect("the chain head in the header");
    drop(store);
    let mut s = Store::open(&path).unwrap();
    let rep = s.check().unwrap();
    assert_eq!(rep.audit_head.as_deref(), Some(head.as_str()));
    drop(s);
    let entries = raw_entries(&path);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(AUDIT)
            .unwrap()
            .remove(entries.last().unwrap().0)
            .unwrap();
        txn.commit().unwrap();
    }
    let problems = check_problems(&path);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("voci finali"), "{}", problems[0]);
}

/// A change of the kind of a project whose content the session was not shown would lose
/// that content (the store cannot put back a messa alla prova's court and ledger into an
/// internship): refused, even on the same line, while the coordinator may.
#[test]
fn a_project_whose_content_is_hidden_cannot_change_kind() {
    let w = world();
    let other = w.session("altro", role_codes::OPERATORE, Some(w.other));
    let coord = w.session("coord", role_codes::COORDINATORE, None);
    let mut p = w
        .store
        .read_as(&other)
        .unwrap()
        .require::<Project>(w.map_project)
        .unwrap();
    assert!(p.note.is_empty(), "hidden without art. 10");
    p.kind = ProjectKind::Tirocinio {
        host: "Ditta".into(),
        hours_per_week: 20,
        allowance_cents: 0,
        attendance: vec![],
    };
    let m = denied(w.store.update_as(&other, p).unwrap_err());
    assert!(m.contains("tipo di un progetto"), "{m}");
    let stored = w
        .store
        .read_as(&coord)
        .unwrap()
        .require::<Project>(w.map_project)
        .unwrap();
    assert!(matches!(stored.kind, ProjectKind::MessaAllaProva { .. }));
    assert_eq!(stored.note, "Nota sul procedimento");
}

/// The referente of a case sees the confidential notes about its person. An operator
/// without «note riservate» may take a case in as its referente, but the write is flagged
/// in the access log for the privacy officer; an archived case gives no such sight.
#[test]
fn making_oneself_referente_is_flagged_and_an_archived_case_reveals_nothing() {
    let w = world();
    let other = w.session("altro", role_codes::OPERATORE, Some(w.other));
    let note = || {
        w.store
            .read_as(&other)
            .unwrap()
            .require::<Contact>(w.confidential)
            .unwrap()
            .note
    };
    assert_eq!(note(), "");
    let famiglie = w
        .store
        .read()
        .unwrap()
        .require::<Case>(w.case)
        .unwrap()
        .line;
    let case = w
        .store
        .insert_as(
            &other,
            Case {
                id: Id::NIL,
                subject: Subject::Person(w.person),
                line: famiglie,
                opened: d(2024, 3, 1),
                closed: None,
                status: CaseStatus::InCorso,
                referente: Some(w.other),
                team: vec![],
                need: "Presa in carico".into(),
                plan: vec![],
                outcome: String::new(),
                archived: false,
            },
        )
        .unwrap();
    assert_eq!(
        note(),
        "Riferisce violenza domestica",
        "the referente's sight"
    );
    let log = w.store.read().unwrap().audit(5).unwrap();
    let entry = log
        .iter()
        .find(|(_, a)| a.entity == case && a.kind == EntityKind::Case)
        .map(|(_, a)| a.clone())
        .unwrap();
    assert!(
        entry.flagged && entry.detail.contains("referente"),
        "{entry:?}"
    );
    // Archiving the case takes the sight away.
    w.store.set_archived_as::<Case>(&other, case, true).unwrap();
    assert_eq!(note(), "");
    // The social worker's own case (made by the system here) is not flagged again on edit.
    let social = w.session("sociale", role_codes::OPERATORE, Some(w.social));
    let mut c = w
        .store
        .read_as(&social)
        .unwrap()
        .require::<Case>(w.case)
        .unwrap();
    c.need = "Sostegno alla genitorialità, rivisto".into();
    w.store.update_as(&social, c).unwrap();
    let log = w.store.read().unwrap().audit(5).unwrap();
    let edit = log.iter().find(|(_, a)| a.entity == w.case).unwrap();
    assert!(!edit.1.flagged, "{:?}", edit.1);
}

/// Freezing a year's figures for the funders is the coordination's: the meeting role and
/// an operator are refused, a coordinator's publication names the account in the audit.
#[test]
fn only_the_coordination_publishes_a_years_figures() {
    let w = world();
    let freeze =
        || accoglienza::stats::published::freeze(&w.store.read().unwrap(), 2023, "").unwrap();
    for (name, role) in [
        ("riunione", role_codes::RIUNIONE),
        ("operatrice", role_codes::OPERATORE),
    ] {
        let s = w.session(name, role, Some(w.other));
        let m = denied(w.store.publish_as(&s, freeze(), false).unwrap_err());
        assert!(m.contains("Pubblicare"), "{m}");
    }
    assert!(w.store.read().unwrap().published(2023).unwrap().is_none());
    let coord = w.session("coord", role_codes::COORDINATORE, Some(w.social));
    w.store.publish_as(&coord, freeze(), false).unwrap();
    assert!(w.store.read().unwrap().published(2023).unwrap().is_some());
    let log = w.store.read().unwrap().audit(3).unwrap();
    let entry = log
        .iter()
        .find(|(_, a)| a.action == Action::Publish)
        .unwrap();
    assert_eq!(entry.1.account, coord.account());
}

/// Merging people and the list of possible duplicates show and move everyone's data,
/// restricted people included: the administrator (no «anagrafica») and an operator are
/// refused, a coordinator merges and the audit names the account.
#[test]
fn merging_people_needs_the_registry_and_the_log() {
    use accoglienza::store::merge::{merge_people_as, undo_person_merge_as};
    let w = world();
    let twin = w
        .store
        .insert(
            w.social,
            Person {
                surname: "Bianchi".into(),
                name: "Carla".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let admin = w.session("admin", role_codes::ADMIN, None);
    let oper = w.session("operatrice", role_codes::OPERATORE, Some(w.other));
    for s in [&admin, &oper] {
        assert!(denied(w.store.duplicate_candidates_as(s).unwrap_err()).contains("doppioni"));
        denied(merge_people_as(&w.store, s, w.person, twin, &[]).unwrap_err());
    }
    let coord = w.session("coord", role_codes::COORDINATORE, Some(w.social));
    assert!(!w.store.duplicate_candidates_as(&coord).unwrap().is_empty());
    merge_people_as(&w.store, &coord, w.person, twin, &[]).unwrap();
    let log = w.store.read().unwrap().audit(10).unwrap();
    assert!(log.iter().any(|(_, a)| a.account == coord.account()));
    denied(undo_person_merge_as(&w.store, &oper, twin).unwrap_err());
    undo_person_merge_as(&w.store, &coord, twin).unwrap();
    assert!(
        w.store
            .read()
            .unwrap()
            .get::<Person>(twin)
            .unwrap()
            .is_some()
    );
}

/// The art. 15 export of a person's whole cartella needs «esportazioni» in the store's
/// print layer too, not only in the command line and the window that call it.
#[test]
fn the_art15_export_needs_the_export_permission() {
    let w = world();
    let oper = w.session("operatrice", role_codes::OPERATORE, Some(w.other));
    let m = denied(
        accoglienza::print::art15::access_export(&w.store, Some(&oper), w.person, &[]).unwrap_err(),
    );
    assert!(m.contains("art. 15"), "{m}");
    let coord = w.session("coord", role_codes::COORDINATORE, Some(w.social));
    assert!(
        accoglienza::print::art15::access_export(&w.store, Some(&coord), w.person, &[]).is_ok()
    );
}
