//! The cooperative demo split into three workstation databases (sede, via Ornato, via
//! Rizzoli), as if each desk had worked on its own: what the desk merge's tests and
//! benchmarks start from.
//!
//! Each contact goes to the database of its desk, an activity to its desk's (sede when it
//! has none), every other record to the sede; the people, households and operators a
//! database's records refer to are copied into it with the same ids (the desks already
//! shared them). Each database has its own default catalogue (other ids, the same codes).
//! `twins` people of via Ornato are registered again at via Rizzoli under a new id, with
//! one of their contacts: the same person registered at both desks.

use crate::domain::*;
use crate::store::{Entity, Reader, Store, StoreError};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The three databases and the people registered twice.
#[derive(Debug, Clone)]
pub struct SplitDesks {
    /// The main office's database.
    pub sede: PathBuf,
    /// The via Ornato desk's.
    pub ornato: PathBuf,
    /// The via Rizzoli desk's.
    pub rizzoli: PathBuf,
    /// (id at via Ornato, id at via Rizzoli) of each person registered at both.
    pub twins: Vec<(Id, Id)>,
}

const DESKS: [&str; 3] = ["sede", "ornato", "rizzoli"];

/// Everything of the source, read once.
struct Source {
    areas: Vec<Area>,
    lines: Vec<ServiceLine>,
    desks: Vec<Desk>,
    measures: Vec<Measure>,
    services: Vec<TerritorialService>,
    roles: Vec<Role>,
    purposes: Vec<Purpose>,
    document_kinds: Vec<DocumentKind>,
    bandi: Vec<Bando>,
    operators: Vec<Operator>,
    households: Vec<Household>,
    people: Vec<Person>,
    contacts: Vec<Contact>,
    cases: Vec<Case>,
    projects: Vec<Project>,
    referrals: Vec<Referral>,
    activities: Vec<Activity>,
    privacy: Vec<PrivacyEntry>,
    appointments: Vec<Appointment>,
    pratiche: Vec<Pratica>,
}

impl Source {
    fn read(r: &Reader) -> Result<Source, StoreError> {
        Ok(Source {
            areas: r.all()?,
            lines: r.all()?,
            desks: r.all()?,
            measures: r.all()?,
            services: r.all()?,
            roles: r.all()?,
            purposes: r.all()?,
            document_kinds: r.all()?,
            bandi: r.all()?,
            operators: r.all()?,
            households: r.all()?,
            people: r.all()?,
            contacts: r.all()?,
            cases: r.all()?,
            projects: r.all()?,
            referrals: r.all()?,
            activities: r.all()?,
            privacy: r.all()?,
            appointments: r.all()?,
            pratiche: r.all()?,
        })
    }
}

fn subject_people(s: Subject, people: &mut BTreeSet<Id>, households: &mut BTreeSet<Id>) {
    match s {
        Subject::Person(p) => {
            people.insert(p);
        }
        Subject::Household(h) => {
            households.insert(h);
        }
    }
}

/// What goes into one database.
#[derive(Default)]
struct Part {
    people: BTreeSet<Id>,
    households: BTreeSet<Id>,
    contacts: Vec<Contact>,
    cases: Vec<Case>,
    projects: Vec<Project>,
    referrals: Vec<Referral>,
    activities: Vec<Activity>,
    /// Records written under another id (the twins at via Rizzoli).
    extra_people: Vec<Person>,
}

/// Splits the database `source` (the cooperative demo) into three new databases in `dir`.
pub fn split_desks(source: &Store, dir: &Path, twins: usize) -> Result<SplitDesks, StoreError> {
    let src = Source::read(&source.read()?)?;
    let desk_code: HashMap<Id, &str> = src.desks.iter().map(|d| (d.id, d.code.as_str())).collect();
    let index = |code: &str| DESKS.iter().position(|d| *d == code).unwrap_or(0);
    let mut parts: [Part; 3] = Default::default();
    for c in &src.contacts {
        let i = desk_code.get(&c.desk).map_or(0, |d| index(d));
        subject_people(c.subject, &mut parts[i].people, &mut parts[i].households);
        parts[i].contacts.push(c.clone());
    }
    for a in &src.activities {
        let i = a
            .desk
            .and_then(|d| desk_code.get(&d))
            .map_or(0, |d| index(d));
        parts[i].people.extend(a.participants.iter().copied());
        for s in &a.sessions {
            parts[i].people.extend(s.attendees.iter().copied());
        }
        parts[i].activities.push(a.clone());
    }
    for c in &src.cases {
        subject_people(c.subject, &mut parts[0].people, &mut parts[0].households);
        parts[0].cases.push(c.clone());
    }
    for p in &src.projects {
        parts[0].people.insert(p.person);
        parts[0].projects.push(p.clone());
    }
    for r in &src.referrals {
        subject_people(r.subject, &mut parts[0].people, &mut parts[0].households);
        parts[0].referrals.push(r.clone());
    }
    // Everyone is somewhere: people and households without records at the sede.
    let placed: HashSet<Id> = parts
        .iter()
        .flat_map(|p| p.people.iter().copied())
        .collect();
    for p in &src.people {
        if !placed.contains(&p.id) {
            parts[0].people.insert(p.id);
        }
    }
    let placed: HashSet<Id> = parts
        .iter()
        .flat_map(|p| p.households.iter().copied())
        .collect();
    for h in &src.households {
        if !placed.contains(&h.id) {
            parts[0].households.insert(h.id);
        }
    }
    let by_id: HashMap<Id, &Person> = src.people.iter().map(|p| (p.id, p)).collect();
    // A person's household, and a household's members, go with them (households count
    // their members).
    let members: HashMap<Id, Vec<Id>> =
        src.people
            .iter()
            .fold(HashMap::new(), |mut m: HashMap<Id, Vec<Id>>, p| {
                if let Some(h) = p.household {
                    m.entry(h.household).or_default().push(p.id);
                }
                m
            });
    for part in parts.iter_mut() {
        for p in part.people.clone() {
            if let Some(h) = by_id.get(&p).and_then(|p| p.household) {
                part.households.insert(h.household);
            }
        }
        for h in part.households.clone() {
            part.people
                .extend(members.get(&h).into_iter().flatten().copied());
        }
    }
    let twins = make_twins(&mut parts, &by_id, twins);
    let paths = DESKS.map(|d| dir.join(format!("{d}.redb")));
    for (i, part) in parts.iter().enumerate() {
        write_part(&src, part, &paths[i], DESKS[i])?;
    }
    let [sede, ornato, rizzoli] = paths;
    Ok(SplitDesks {
        sede,
        ornato,
        rizzoli,
        twins,
    })
}

/// Registers `n` people of via Ornato again at via Rizzoli under a new id, moving one of
/// their contacts there: people in via Ornato only, with two contacts or more, no
/// household.
fn make_twins(parts: &mut [Part; 3], by_id: &HashMap<Id, &Person>, n: usize) -> Vec<(Id, Id)> {
    let elsewhere: HashSet<Id> = [0, 2]
        .iter()
        .flat_map(|i| parts[*i].people.iter().copied())
        .collect();
    let mut contacts_of: HashMap<Id, Vec<usize>> = HashMap::new();
    for (i, c) in parts[1].contacts.iter().enumerate() {
        if let Subject::Person(p) = c.subject {
            contacts_of.entry(p).or_default().push(i);
        }
    }
    let in_activities: HashSet<Id> = parts[1]
        .activities
        .iter()
        .flat_map(|a| a.participants.iter().copied())
        .collect();
    let mut out = Vec::new();
    let mut moved = Vec::new();
    for p in parts[1].people.clone() {
        if out.len() >= n {
            break;
        }
        let Some(person) = by_id.get(&p) else {
            continue;
        };
        let Some(cs) = contacts_of.get(&p) else {
            continue;
        };
        if elsewhere.contains(&p)
            || person.household.is_some()
            || person.archived
            || in_activities.contains(&p)
            || cs.len() < 2
        {
            continue;
        }
        // A new id made when the desk registered them (deterministic for the tests).
        let twin = Id::from_parts(1_600_000_000_000 + out.len() as u64, p.0 ^ 0xA5A5);
        let mut copy = (*person).clone();
        copy.id = twin;
        parts[2].extra_people.push(copy);
        moved.push((*cs.last().unwrap_or(&0), twin));
        out.push((p, twin));
    }
    moved.sort_by_key(|m| std::cmp::Reverse(m.0));
    for (i, twin) in moved {
        let mut c = parts[1].contacts.remove(i);
        c.subject = Subject::Person(twin);
        parts[2].contacts.push(c);
    }
    out
}

fn insert_all<E: Entity>(
    w: &mut crate::store::Writer,
    records: impl IntoIterator<Item = E>,
    map: &dyn Fn(EntityKind, Id) -> Id,
) -> Result<(), StoreError> {
    for mut r in records {
        r.remap(map);
        w.insert(r)?;
    }
    Ok(())
}

/// The source's catalogue entries of a kind, mapped by code to the new database's (added
/// there when missing).
fn catalogue<E: Entity>(
    store: &Store,
    entries: &[E],
    map: &mut HashMap<Id, Id>,
) -> Result<(), StoreError> {
    let here: HashMap<String, Id> = store
        .read()?
        .all::<E>()?
        .into_iter()
        .filter_map(|e| e.catalogue_entry().map(|(c, _)| (c.to_string(), e.id())))
        .collect();
    let mut w = store.write(Id::NIL)?;
    for e in entries {
        let code = e
            .catalogue_entry()
            .map(|(c, _)| c.to_string())
            .unwrap_or_default();
        match here.get(&code) {
            Some(id) => {
                map.insert(e.id(), *id);
            }
            None => {
                let mut e = e.clone();
                let m = map.clone();
                e.remap(&|_, i| m.get(&i).copied().unwrap_or(i));
                w.insert(e)?;
            }
        }
    }
    w.commit()
}

fn write_part(src: &Source, part: &Part, path: &Path, desk: &str) -> Result<(), StoreError> {
    let store = Store::open(path)?;
    let mut map: HashMap<Id, Id> = HashMap::new();
    catalogue(&store, &src.areas, &mut map)?;
    catalogue(&store, &src.lines, &mut map)?;
    catalogue(&store, &src.desks, &mut map)?;
    catalogue(&store, &src.measures, &mut map)?;
    catalogue(&store, &src.services, &mut map)?;
    catalogue(&store, &src.roles, &mut map)?;
    catalogue(&store, &src.purposes, &mut map)?;
    catalogue(&store, &src.document_kinds, &mut map)?;
    catalogue(&store, &src.bandi, &mut map)?;
    let m = |_: EntityKind, i: Id| map.get(&i).copied().unwrap_or(i);
    let mut w = store.bulk_write(Id::NIL)?;
    insert_all(&mut w, src.operators.iter().cloned(), &m)?;
    insert_all(
        &mut w,
        src.households
            .iter()
            .filter(|h| part.households.contains(&h.id))
            .cloned(),
        &m,
    )?;
    insert_all(
        &mut w,
        src.people
            .iter()
            .filter(|p| part.people.contains(&p.id))
            .cloned()
            .chain(part.extra_people.iter().cloned()),
        &m,
    )?;
    // The contacts moved with a twin were made at the desk whose database holds them.
    let own_desk = src.desks.iter().find(|d| d.code == desk).map(|d| d.id);
    insert_all(
        &mut w,
        part.contacts.iter().cloned().map(|mut c| {
            if desk == "rizzoli"
                && let Some(d) = own_desk
            {
                c.desk = d;
            }
            c
        }),
        &m,
    )?;
    insert_all(&mut w, part.cases.iter().cloned(), &m)?;
    insert_all(&mut w, part.projects.iter().cloned(), &m)?;
    insert_all(&mut w, part.referrals.iter().cloned(), &m)?;
    insert_all(&mut w, part.activities.iter().cloned(), &m)?;
    // A person's privacy log goes wherever the person is (the same entries at each desk).
    insert_all(
        &mut w,
        src.privacy
            .iter()
            .filter(|e| part.people.contains(&e.person))
            .cloned(),
        &m,
    )?;
    // Appointments stay at their desk, with their subject and the contact they became.
    let contacts: HashSet<Id> = part.contacts.iter().map(|c| c.id).collect();
    insert_all(
        &mut w,
        src.appointments
            .iter()
            .filter(|a| {
                Some(a.desk) == own_desk
                    && match a.subject {
                        Subject::Person(p) => part.people.contains(&p),
                        Subject::Household(h) => part.households.contains(&h),
                    }
                    && a.contact.is_none_or(|c| contacts.contains(&c))
            })
            .cloned(),
        &m,
    )?;
    // A pratica goes wherever its person or household is. Attached documents are not
    // split: their checklist lines become «visto».
    insert_all(
        &mut w,
        src.pratiche
            .iter()
            .filter(|p| match p.subject {
                Subject::Person(id) => part.people.contains(&id),
                Subject::Household(id) => part.households.contains(&id),
            })
            .cloned()
            .map(|mut p| {
                for i in &mut p.checklist {
                    if matches!(i.state, DocumentState::Allegato(_)) {
                        i.state = DocumentState::Visto;
                    }
                }
                p
            }),
        &m,
    )?;
    w.commit()?;
    store.rebuild_aggregates()?;
    Ok(())
}
