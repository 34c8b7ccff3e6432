//! Consent, informativa and restriction (GDPR art. 7, 13, 18) through the store and the
//! command line: the privacy log's state, the referral's consent warning, a restriction
//! that hides the person from an Operatore's lists, search, reads and exports but not from
//! a Coordinatore's, with every year's counts unchanged; the log carried by backups and
//! removed by an erasure; and the state's rule as a property over any order of entries.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::access::Session;
use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::*;
use accoglienza::store::StoreError;
use proptest::prelude::*;
use std::process::{Command, Stdio};
use world::*;

fn entry(
    person: Id,
    act: PrivacyAct,
    purpose: Option<Id>,
    at: chrono::NaiveDateTime,
) -> PrivacyEntry {
    PrivacyEntry {
        id: Id::NIL,
        person,
        act,
        purpose,
        version: if act == PrivacyAct::Informativa {
            "2024/1".into()
        } else {
            String::new()
        },
        at,
        channel: PrivacyChannel::Cartaceo,
        operator: None,
        note: if act == PrivacyAct::Limitazione {
            "Richiesta dell'interessato".into()
        } else {
            String::new()
        },
        archived: false,
    }
}

fn network(w: &World) -> Id {
    w.store
        .read()
        .unwrap()
        .network_purpose()
        .unwrap()
        .unwrap()
        .id
}

#[test]
fn a_new_database_has_the_default_purposes_and_the_log_decides_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let codes: Vec<String> = w
        .store
        .read()
        .unwrap()
        .all::<Purpose>()
        .unwrap()
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    assert!(codes.contains(&"rete".to_string()));
    let p = w.person("Bianchi", None);
    let rete = network(&w);
    let warning = |w: &World| w.store.read().unwrap().referral_consent_warning(p).unwrap();
    assert!(warning(&w).unwrap().contains("non risulta il consenso"));
    w.store
        .insert(
            w.op,
            entry(p, PrivacyAct::ConsensoDato, Some(rete), dt(2024, 1, 10)),
        )
        .unwrap();
    assert_eq!(warning(&w), None);
    w.store
        .insert(
            w.op,
            entry(p, PrivacyAct::ConsensoRevocato, Some(rete), dt(2024, 3, 5)),
        )
        .unwrap();
    let text = warning(&w).unwrap();
    assert!(text.contains("revocato il 05/03/2024"), "{text}");
    let state = w.store.read().unwrap().privacy_state(p).unwrap();
    assert!(!state.consents_to(rete));
    assert!(state.informativa.is_none());
}

#[test]
fn bad_entries_are_refused_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Bianchi", None);
    let refused = |e: PrivacyEntry| match w.store.insert(w.op, e) {
        Err(StoreError::Invalid(problems)) => format!("{problems:?}"),
        other => panic!("accepted: {other:?}"),
    };
    assert!(refused(entry(p, PrivacyAct::ConsensoDato, None, dt(2024, 1, 1))).contains("finalità"));
    let mut no_version = entry(p, PrivacyAct::Informativa, None, dt(2024, 1, 1));
    no_version.version.clear();
    assert!(refused(no_version).contains("versione"));
    let mut no_reason = entry(p, PrivacyAct::Limitazione, None, dt(2024, 1, 1));
    no_reason.note.clear();
    assert!(refused(no_reason).contains("motivo della limitazione"));
    assert!(refused(entry(p, PrivacyAct::Informativa, None, dt(2026, 1, 1))).contains("futuro"));
    let mut ghost = entry(Id::new(), PrivacyAct::Informativa, None, dt(2024, 1, 1));
    ghost.person = Id::new();
    assert!(w.store.insert(w.op, ghost).is_err());
}

/// A person with a contact, a case, a referral; an Operatore and a Coordinatore.
struct Restricted {
    w: World,
    p: Id,
    op: Session,
    coord: Session,
}

fn restricted_world(dir: &std::path::Path) -> Restricted {
    restricted_in(world(&dir.join("r.redb")))
}

fn restricted_in(w: World) -> Restricted {
    let p = w.person("Riservatissimi", None);
    let other = w.person("Rossi", None);
    for who in [p, other] {
        w.contact(
            Subject::Person(who),
            line_codes::WEMI,
            dt(2024, 2, 1),
            "nota",
        );
        w.referral(who, d(2024, 2, 2));
    }
    w.case(Subject::Person(p), line_codes::BLU, d(2023, 5, 1), None);
    let op = w.session("operatrice", "operatore");
    let coord = w.session("coordinatrice", "coordinatore");
    Restricted { w, p, op, coord }
}

fn names_seen(w: &World, s: &Session) -> Vec<String> {
    w.store
        .read_as(s)
        .unwrap()
        .all::<Person>()
        .unwrap()
        .into_iter()
        .map(|p| p.surname)
        .collect()
}

fn is_restricted_refusal(e: &StoreError) -> bool {
    matches!(e, StoreError::Denied(m) if m.contains("art. 18"))
}

#[test]
fn a_restriction_hides_the_person_from_an_operator_but_not_from_a_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let Restricted { w, p, op, coord } = restricted_world(dir.path());
    let before = counts(&w.store);
    // An Operatore may not restrict.
    let err = w
        .store
        .insert_as(&op, entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)))
        .unwrap_err();
    assert!(matches!(err, StoreError::Denied(_)), "{err}");
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)),
        )
        .unwrap();
    assert!(
        w.store
            .read()
            .unwrap()
            .restricted_people()
            .unwrap()
            .contains(&p)
    );
    // Lists, search, codice fiscale, records about the person, dated lists.
    assert!(!names_seen(&w, &op).contains(&"Riservatissimi".to_string()));
    assert!(names_seen(&w, &op).contains(&"Rossi".to_string()));
    assert!(names_seen(&w, &coord).contains(&"Riservatissimi".to_string()));
    let r = w.store.read_as(&op).unwrap();
    assert!(r.search_people("riserv", 10).unwrap().is_empty());
    assert!(r.by_subject::<Contact>(p).unwrap().is_empty());
    let year = r
        .by_date::<Contact>(d(2024, 1, 1), d(2024, 12, 31))
        .unwrap();
    assert_eq!(year.len(), 1, "only the other person's contact");
    assert!(
        r.all::<Referral>()
            .unwrap()
            .iter()
            .all(|x| x.subject.id() != p)
    );
    assert!(r.all::<Case>().unwrap().is_empty());
    // Read by id: refused with the reason.
    assert!(is_restricted_refusal(&r.get::<Person>(p).unwrap_err()));
    drop(r);
    let rc = w.store.read_as(&coord).unwrap();
    assert_eq!(rc.search_people("riserv", 10).unwrap().len(), 1);
    assert_eq!(rc.by_subject::<Contact>(p).unwrap().len(), 1);
    assert!(rc.get::<Person>(p).unwrap().is_some());
    drop(rc);
    // Writing about the person: refused to the Operatore.
    let mut contact: Contact = w.store.read().unwrap().by_subject::<Contact>(p).unwrap()[0].clone();
    contact.id = Id::NIL;
    contact.at = dt(2025, 6, 2);
    let err = w.store.insert_as(&op, contact.clone()).unwrap_err();
    assert!(is_restricted_refusal(&err), "{err}");
    // The counts do not change: the records keep counting.
    assert_eq!(counts(&w.store), before);
    // Lifted by the coordinator: the person is back for everyone.
    let err = w
        .store
        .insert_as(
            &op,
            entry(p, PrivacyAct::FineLimitazione, None, dt(2025, 6, 3)),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Denied(_)));
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::FineLimitazione, None, dt(2025, 6, 3)),
        )
        .unwrap();
    assert!(names_seen(&w, &op).contains(&"Riservatissimi".to_string()));
    w.store.insert_as(&op, contact).unwrap();
}

#[test]
fn the_privacy_log_travels_in_backups_and_leaves_with_an_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Verdi", None);
    let rete = network(&w);
    w.store
        .insert(
            w.op,
            entry(p, PrivacyAct::Informativa, None, dt(2024, 1, 10)),
        )
        .unwrap();
    let mut given = entry(p, PrivacyAct::ConsensoDato, Some(rete), dt(2024, 1, 10));
    given.note = format!("{MARK} consenso firmato");
    w.store.insert(w.op, given).unwrap();
    let bak = dir.path().join("b.accbak");
    backup(&w.store, &bak);
    assert!(
        markers_in(&backup_body(&bak)) > 0,
        "the log is in the backup"
    );
    let mut slot = std::sync::Arc::new(open(&dir.path().join("r.redb")));
    restore(&mut slot, &bak);
    let state = slot.read().unwrap().privacy_state(p).unwrap();
    assert!(state.consents_to(rete));
    assert_eq!(state.informativa.unwrap().version, "2024/1");
    let report = std::sync::Arc::get_mut(&mut slot).unwrap().check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    drop(slot);
    let mut store = w.store;
    store
        .erase_person(w.op, p, "Richiesta dell'interessato")
        .unwrap();
    assert!(store.read().unwrap().privacy_log(p).unwrap().is_empty());
    assert_eq!(
        store.read().unwrap().count::<PrivacyEntry>().unwrap(),
        0,
        "no entry left about the erased person"
    );
    drop(store);
    assert_clean(&std::fs::read(dir.path().join("a.redb")).unwrap());
}

// ---- The command line ----

#[test]
fn cli_export_leaves_a_restricted_person_out_for_an_operator_only() {
    let dir = tempfile::tempdir().unwrap();
    // The binary runs on the system clock: so does this database (accounts used today).
    let path = dir.path().join("r.redb");
    let store = accoglienza::store::Store::open(&path).unwrap();
    let Restricted { w, p, coord, .. } = restricted_in(world_in(store));
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)),
        )
        .unwrap();
    // An Operatore who may also export (a role added by the administrator): still no
    // coordinator.
    let exports = w
        .store
        .insert(
            Id::NIL,
            AccessRole {
                id: Id::NIL,
                code: "esportazioni".into(),
                name: "Esportazioni".into(),
                permissions: Permissions::of(&[Permission::Esportazioni]),
                archived: false,
            },
        )
        .unwrap();
    let operatore = w.store.access_role("operatore").unwrap().unwrap().id;
    w.store
        .create_account_unchecked(
            &accoglienza::access::NewAccount {
                username: "analista".into(),
                operator: Some(w.op),
                roles: vec![operatore, exports],
                must_change: false,
            },
            PW,
            FAST,
        )
        .unwrap();
    drop(w);
    let pw = dir.path().join("password");
    std::fs::write(&pw, format!("{PW}\n")).unwrap();
    let export = |user: &str, table: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
            .arg("--db")
            .arg(&path)
            .args(["--user", user, "--password-file"])
            .arg(&pw)
            .args(["export", "--table", table, "--format", "csv"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let people = export("analista", "people");
    assert!(
        people.contains("Rossi") && !people.contains("Riservatissimi"),
        "{people}"
    );
    let id = p.to_string();
    let contacts = export("analista", "contacts");
    assert_eq!(
        contacts.lines().count(),
        2,
        "header and the other person's: {contacts}"
    );
    assert!(!contacts.contains(&id), "{contacts}");
    assert!(!export("analista", "referrals").contains(&id));
    let people = export("coordinatrice", "people");
    assert!(people.contains("Riservatissimi"), "{people}");
    let contacts = export("coordinatrice", "contacts");
    assert!(contacts.contains(&id), "{contacts}");
}

// ---- The rule of the state ----

fn any_entry(people: Vec<Id>, purposes: Vec<Id>) -> impl Strategy<Value = PrivacyEntry> {
    (
        0..people.len(),
        0..5u8,
        0..purposes.len(),
        0..40u32,
        any::<bool>(),
    )
        .prop_map(move |(who, act, purpose, minute, archived)| {
            let act = [
                PrivacyAct::Informativa,
                PrivacyAct::ConsensoDato,
                PrivacyAct::ConsensoRevocato,
                PrivacyAct::Limitazione,
                PrivacyAct::FineLimitazione,
            ][act as usize];
            let mut e = entry(
                people[who],
                act,
                act.is_consent().then_some(purposes[purpose]),
                dt(2024, 1, 1) + chrono::Duration::minutes(minute as i64),
            );
            e.id = Id::new();
            e.archived = archived;
            e
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The state does not depend on the order entries are read in, and is what the latest
    /// live entry of each kind says.
    #[test]
    fn the_state_is_the_latest_live_entry_whatever_the_order(
        log in proptest::collection::vec(any_entry(vec![Id(1)], vec![Id(10), Id(11)]), 0..30),
        seed in any::<u64>(),
    ) {
        let state = PrivacyState::of(&log);
        let mut shuffled = log.clone();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        rand::seq::SliceRandom::shuffle(shuffled.as_mut_slice(), &mut rng);
        prop_assert_eq!(&PrivacyState::of(&shuffled), &state);
        let live: Vec<&PrivacyEntry> = log.iter().filter(|e| !e.archived).collect();
        let latest = |f: &dyn Fn(&PrivacyEntry) -> bool| {
            live.iter().filter(|e| f(e)).max_by_key(|e| (e.at, e.id)).copied()
        };
        let restriction = latest(&|e| e.act.is_restriction());
        prop_assert_eq!(
            state.restricted(),
            restriction.is_some_and(|e| e.act == PrivacyAct::Limitazione)
        );
        for purpose in [Id(10), Id(11)] {
            let last = latest(&|e| e.purpose == Some(purpose));
            prop_assert_eq!(
                state.consents_to(purpose),
                last.is_some_and(|e| e.act == PrivacyAct::ConsensoDato)
            );
        }
        prop_assert_eq!(
            state.informativa.as_ref().map(|e| e.id),
            latest(&|e| e.act == PrivacyAct::Informativa).map(|e| e.id)
        );
    }
}

#[test]
fn purposes_travel_in_backups_when_they_are_not_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let format = |p: &std::path::Path| std::fs::read(p).unwrap()[8..10].to_vec();
    // Defaults only, no log: the backup keeps format 1 (earlier versions read it).
    let plain = dir.path().join("plain.accbak");
    backup(&w.store, &plain);
    assert_eq!(format(&plain), 1u16.to_le_bytes());
    // A purpose renamed by the team travels (format 5) and comes back.
    let mut foto = w
        .store
        .read()
        .unwrap()
        .all::<Purpose>()
        .unwrap()
        .into_iter()
        .find(|p| p.code == "foto")
        .unwrap();
    foto.name = "Foto per il giornalino della cooperativa".into();
    w.store.update(w.op, foto.clone()).unwrap();
    let custom = dir.path().join("custom.accbak");
    backup(&w.store, &custom);
    assert_eq!(format(&custom), 5u16.to_le_bytes());
    let mut slot = std::sync::Arc::new(open(&dir.path().join("r.redb")));
    restore(&mut slot, &custom);
    let back: Vec<Purpose> = slot.read().unwrap().all().unwrap();
    assert_eq!(back.len(), 3);
    assert!(back.contains(&foto));
}

/// Holes closed after the security review of stop 22: a writer's `get`, the id lists by
/// subject, the list of restricted people and a rule's refusal message must not hand an
/// Operatore what its reads hide.
#[test]
fn writers_id_lists_and_messages_keep_a_restricted_person_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let Restricted { w, p, op, coord } = restricted_world(dir.path());
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)),
        )
        .unwrap();
    // A writer reads as a reader does.
    let e = w.store.write_as(&op).unwrap().get::<Person>(p).unwrap_err();
    assert!(is_restricted_refusal(&e), "{e:?}");
    assert!(
        w.store
            .write_as(&coord)
            .unwrap()
            .get::<Person>(p)
            .unwrap()
            .is_some()
    );
    // Ids by subject: none for the restricted person; a kind the role may not read is refused.
    let r = w.store.read_as(&op).unwrap();
    assert!(r.ids_by_subject(EntityKind::Contact, p).unwrap().is_empty());
    assert!(r.restricted_people().unwrap().is_empty());
    drop(r);
    assert!(
        !w.store
            .read_as(&coord)
            .unwrap()
            .ids_by_subject(EntityKind::Contact, p)
            .unwrap()
            .is_empty()
    );
    assert!(
        w.store
            .read_as(&coord)
            .unwrap()
            .restricted_people()
            .unwrap()
            .contains(&p)
    );
    let riunione = w.session("riunione", "riunione");
    assert!(
        w.store
            .read_as(&riunione)
            .unwrap()
            .ids_by_subject(EntityKind::Case, p)
            .is_err()
    );
    // The household rule does not name a member the writer may not see.
    let h = w.household("Famiglia Riservatissimi");
    let mut restricted: Person = w.store.read().unwrap().require(p).unwrap();
    restricted.household = Some(Membership {
        household: h,
        relationship: Relationship::Riferimento,
    });
    w.store.update_as(&coord, restricted).unwrap();
    let q = w.person("Visibile", None);
    let mut visible: Person = w.store.read_as(&op).unwrap().require(q).unwrap();
    visible.household = Some(Membership {
        household: h,
        relationship: Relationship::Riferimento,
    });
    let e = w.store.update_as(&op, visible.clone()).unwrap_err();
    let text = e.to_string();
    assert!(
        !text.contains("Riservatissimi") && text.contains("un'altra persona del nucleo"),
        "{text}"
    );
    let e = w.store.update_as(&coord, visible).unwrap_err();
    assert!(e.to_string().contains("Riservatissimi"), "{e}");
}

/// The dashboard's comparison of a published year with the live figures names the people
/// added since through the account's own reader: a coordinator sees the names, an
/// Operatore not the restricted person's, the meeting role (counts only) no name at all.
#[test]
fn the_published_years_changes_name_only_whom_the_account_may_see() {
    use accoglienza::ui::dashboard::published::load;
    let dir = tempfile::tempdir().unwrap();
    let Restricted { w, p, op, coord } = restricted_world(dir.path());
    let frozen = accoglienza::stats::published::freeze(&w.store.read().unwrap(), 2024, "").unwrap();
    w.store.publish(Id::NIL, frozen, false).unwrap();
    let visible = w.person("Verdi", None);
    for who in [p, visible] {
        w.contact(
            Subject::Person(who),
            line_codes::FAMIGLIE,
            dt(2024, 9, 1),
            "",
        );
    }
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)),
        )
        .unwrap();
    let riunione = w.session("riunione", "riunione");
    let shown = |s: &Session| -> String {
        let agg = w.store.read().unwrap();
        let names = w.store.read_as(s).unwrap();
        let loaded = load(&agg, Some(&names), 2024).unwrap();
        let lines: Vec<String> = loaded
            .changed
            .iter()
            .flat_map(|l| l.added.iter().cloned())
            .collect();
        assert!(!lines.is_empty(), "the two new people are listed");
        lines.join("\n")
    };
    let all = shown(&coord);
    assert!(
        all.contains("Riservatissimi") && all.contains("Verdi"),
        "{all}"
    );
    let mine = shown(&op);
    assert!(
        !mine.contains("Riservatissimi") && mine.contains("Verdi"),
        "{mine}"
    );
    let meeting = shown(&riunione);
    assert!(
        !meeting.contains("Riservatissimi") && !meeting.contains("Verdi"),
        "{meeting}"
    );
}

/// A group activity with a restricted participant, edited by an Operatore: the person
/// cannot be added, their participation and attendance are put back when left out, and
/// a meeting they attended cannot be removed; a coordinator may do all of it.
#[test]
fn an_operator_cannot_change_a_restricted_persons_part_in_an_activity() {
    let dir = tempfile::tempdir().unwrap();
    let Restricted { w, p, op, coord } = restricted_world(dir.path());
    let other = w.person("Partecipante", None);
    let activity = w.activity(&[p, other], d(2024, 5, 10));
    w.store
        .insert_as(
            &coord,
            entry(p, PrivacyAct::Limitazione, None, dt(2025, 6, 1)),
        )
        .unwrap();
    let stored = || {
        w.store
            .read()
            .unwrap()
            .require::<Activity>(activity)
            .unwrap()
    };
    // Left out by the operator's edit: put back.
    let mut a = stored();
    a.participants.retain(|x| *x != p);
    a.sessions[0].attendees.retain(|x| *x != p);
    a.name = "Passeggiata al Castello Sforzesco".into();
    w.store.update_as(&op, a).unwrap();
    let after = stored();
    assert_eq!(after.name, "Passeggiata al Castello Sforzesco");
    assert!(after.participants.contains(&p) && after.sessions[0].attendees.contains(&p));
    // The meeting they attended cannot be removed by the operator.
    let mut a = stored();
    a.sessions.clear();
    let e = w.store.update_as(&op, a).unwrap_err();
    assert!(is_restricted_refusal(&e), "{e:?}");
    // Nor can the operator enrol them in another activity.
    let mut fresh = stored();
    fresh.id = Id::NIL;
    fresh.sessions.clear();
    let e = w.store.insert_as(&op, fresh.clone()).unwrap_err();
    assert!(is_restricted_refusal(&e), "{e:?}");
    // The coordinator can.
    w.store.insert_as(&coord, fresh).unwrap();
    let mut a = stored();
    a.participants.retain(|x| *x != p);
    a.sessions[0].attendees.retain(|x| *x != p);
    w.store.update_as(&coord, a).unwrap();
    assert!(!stored().participants.contains(&p));
}
