//! Person merge: two records of the same person become one. The operator picks, field by
//! field, what the person who stays keeps; every contact, case, project, referral and
//! attendance of the other moves to the one who stays; the other id lives on as an alias
//! (carried to the other desks); undoable until the next desk merge.

use super::aliases::{self, Alias, Moved, Undo};
use super::fields::{fields_of, from_fields};
use super::tracking::{self, Tracking, VERSIONS};
use crate::access::Session;
use crate::domain::*;
use crate::store::derived::{self, DERIVED};
use crate::store::entity::Entity;
use crate::store::{Store, StoreError, Writer, codec};
use chrono::NaiveDateTime;
use serde_json::Value;
use std::collections::BTreeMap;

/// The fields of a person the operator chooses between, in the form's order, with their
/// Italian labels.
pub const PERSON_FIELDS: [(&str, &str); 16] = [
    ("surname", "Cognome"),
    ("name", "Nome"),
    ("sex", "Sesso"),
    ("birth", "Data di nascita"),
    ("birthplace", "Luogo di nascita"),
    ("codice_fiscale", "Codice fiscale"),
    ("cf_provisional", "Codice fiscale provvisorio"),
    ("citizenship", "Cittadinanza"),
    ("address", "Indirizzo"),
    ("municipio", "Municipio"),
    ("phone", "Telefono"),
    ("email", "Email"),
    ("household", "Nucleo familiare"),
    ("consent", "Consenso privacy"),
    ("note", "Note"),
    ("archived", "Archiviata"),
];

/// The fields (name, label) where two people differ, with each one's value.
pub fn differing_fields(
    keep: &Person,
    other: &Person,
) -> Vec<(&'static str, &'static str, Value, Value)> {
    let (a, b) = (fields_of(keep), fields_of(other));
    PERSON_FIELDS
        .iter()
        .filter_map(|(f, label)| {
            let (va, vb) = (
                a.get(*f).cloned().unwrap_or(Value::Null),
                b.get(*f).cloned().unwrap_or(Value::Null),
            );
            (va != vb).then_some((*f, *label, va, vb))
        })
        .collect()
}

/// What a person merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMergeReport {
    /// The person who stays.
    pub survivor: Id,
    /// The person merged away (now an alias).
    pub other: Id,
    /// How many records of each kind moved.
    pub moved: BTreeMap<EntityKind, u64>,
}

/// A person merge that can still be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoablePersonMerge {
    /// The person merged away.
    pub other: Id,
    /// Name of the person merged away, as it was.
    pub other_name: String,
    /// The person who stays.
    pub survivor: Id,
    /// When.
    pub at: NaiveDateTime,
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    let mut p = Problems::default();
    p.add(field, message.into());
    StoreError::Invalid(p)
}

/// The kinds of record that refer to a person and move with a person merge.
const LINKED: [EntityKind; 9] = [
    EntityKind::PrivacyEntry,
    EntityKind::Appointment,
    EntityKind::Pratica,
    EntityKind::Contact,
    EntityKind::Case,
    EntityKind::Project,
    EntityKind::Referral,
    EntityKind::Activity,
    // Attached documents: of the person, and of every record about them.
    EntityKind::Document,
];

fn move_one<E: Entity>(
    w: &mut Writer,
    id: Id,
    from: Id,
    to: Id,
    out: &mut Vec<Moved>,
) -> Result<(), StoreError> {
    let before: E = w.stored(id)?.ok_or(StoreError::NotFound(E::KIND, id))?;
    let mut after = before.clone();
    after.remap(&|k, i| {
        if k == EntityKind::Person && i == from {
            to
        } else {
            i
        }
    });
    let (b, a) = (codec::encode(&before), codec::encode(&after));
    if a != b {
        w.update_as(after, Action::MergePerson)?;
        let a = codec::encode(
            &w.stored::<E>(id)?
                .ok_or(StoreError::NotFound(E::KIND, id))?,
        );
        out.push(Moved {
            kind: E::KIND,
            id,
            before: b,
            after: a,
        });
    }
    Ok(())
}

/// Moves every record about `from` to `to`, inside the writer's transaction.
fn move_records(w: &mut Writer, from: Id, to: Id) -> Result<Vec<Moved>, StoreError> {
    let mut out = Vec::new();
    for kind in LINKED {
        let ids = {
            let t = w.txn().open_table(DERIVED)?;
            derived::subject_ids(&t, kind.code(), from.0)?
        };
        for id in ids.into_iter().map(Id) {
            match kind {
                EntityKind::Contact => move_one::<Contact>(w, id, from, to, &mut out)?,
                EntityKind::Case => move_one::<Case>(w, id, from, to, &mut out)?,
                EntityKind::Project => move_one::<Project>(w, id, from, to, &mut out)?,
                EntityKind::Referral => move_one::<Referral>(w, id, from, to, &mut out)?,
                EntityKind::Activity => move_one::<Activity>(w, id, from, to, &mut out)?,
                EntityKind::PrivacyEntry => move_one::<PrivacyEntry>(w, id, from, to, &mut out)?,
                EntityKind::Appointment => move_one::<Appointment>(w, id, from, to, &mut out)?,
                EntityKind::Pratica => move_one::<Pratica>(w, id, from, to, &mut out)?,
                EntityKind::Document => move_one::<Document>(w, id, from, to, &mut out)?,
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Moves the records of `old` to `survivor` and removes `old` (a person merge made at
/// another desk, applied here by the desk merge). Returns what moved and `old` as it was.
pub(crate) fn absorb(
    w: &mut Writer,
    old: Id,
    survivor: Id,
) -> Result<(Vec<Moved>, Person), StoreError> {
    let moved = move_records(w, old, survivor)?;
    let removed = w.remove::<Person>(old, Action::MergePerson)?;
    Ok((moved, removed))
}

/// Merges person `other` into person `keep` on behalf of `actor`, in one transaction:
/// `keep` takes the fields named in `take_from_other` from `other` (names of
/// [`PERSON_FIELDS`]); every contact, case, project, referral and attendance of `other`
/// moves to `keep`; `other` is removed and its id kept as an alias of `keep`. The annual
/// counts follow (a person counted twice counts once). Undo with [`undo_person_merge`].
pub fn merge_people(
    store: &Store,
    actor: Id,
    keep: Id,
    other: Id,
    take_from_other: &[&str],
) -> Result<PersonMergeReport, StoreError> {
    merge_people_by(store, actor, Id::NIL, keep, other, take_from_other)
}

/// What merging people, undoing a merge and listing possible duplicates need: the
/// registry and the sight of every person, those under restriction included (merging
/// moves a person's whole history, privacy log included) — the erasure's pair.
pub const PERSON_MERGE_PERMISSIONS: [Permission; 2] = crate::store::privacy::ERASE_PERMISSIONS;

/// Refuses a session without [`PERSON_MERGE_PERMISSIONS`].
pub(crate) fn require_person_merge(session: &Session) -> Result<(), StoreError> {
    if PERSON_MERGE_PERMISSIONS.iter().all(|p| session.may(*p)) && !session.must_change() {
        return Ok(());
    }
    Err(crate::store::access::denied(format!(
        "Unire persone e vedere i possibili doppioni richiede i permessi «{}» e «{}».",
        PERSON_MERGE_PERMISSIONS[0].label(),
        PERSON_MERGE_PERMISSIONS[1].label()
    )))
}

/// [`merge_people`] on behalf of a signed-in account with [`PERSON_MERGE_PERMISSIONS`];
/// the audit entries name the account.
pub fn merge_people_as(
    store: &Store,
    session: &Session,
    keep: Id,
    other: Id,
    take_from_other: &[&str],
) -> Result<PersonMergeReport, StoreError> {
    require_person_merge(session)?;
    let actor = session.operator().unwrap_or(Id::NIL);
    merge_people_by(
        store,
        actor,
        session.account(),
        keep,
        other,
        take_from_other,
    )
}

fn merge_people_by(
    store: &Store,
    actor: Id,
    account: Id,
    keep: Id,
    other: Id,
    take_from_other: &[&str],
) -> Result<PersonMergeReport, StoreError> {
    if keep == other {
        return Err(invalid(
            "persona",
            "Una persona non si unisce con sé stessa",
        ));
    }
    let mut w = store.write(actor)?;
    w.attribute_to(account);
    let k: Person = w
        .stored(keep)?
        .ok_or(StoreError::NotFound(EntityKind::Person, keep))?;
    let o: Person = w
        .stored(other)?
        .ok_or(StoreError::NotFound(EntityKind::Person, other))?;
    let other_history = tracking::get(&w.txn().open_table(VERSIONS)?, other)?;
    let (moved, removed) = absorb(&mut w, other, keep)?;
    let mut f = fields_of(&k);
    let of = fields_of(&o);
    for name in take_from_other {
        if *name == "id" {
            continue;
        }
        let Some(v) = of.get(*name) else {
            return Err(invalid("campo", format!("Campo sconosciuto: {name}")));
        };
        f.insert(name.to_string(), v.clone());
    }
    let mut new_keep: Person = from_fields(f).map_err(|e| invalid("persona", e))?;
    new_keep.id = keep;
    let before = codec::encode(&k);
    if codec::encode(&new_keep) != before {
        w.update_as(new_keep, Action::MergePerson)?;
    }
    let after = codec::encode(
        &w.stored::<Person>(keep)?
            .ok_or(StoreError::NotFound(EntityKind::Person, keep))?,
    );
    let mut counts = BTreeMap::new();
    for m in &moved {
        *counts.entry(m.kind).or_insert(0u64) += 1;
    }
    let n = moved.len() as u64 + 1;
    aliases::put(
        w.txn(),
        other,
        &Alias {
            kind: EntityKind::Person,
            survivor: keep,
            shared: true,
            undo: Some(Undo {
                at: w.now(),
                operator: actor,
                other: codec::encode(&removed),
                other_history: codec::encode(&other_history),
                survivor_before: before,
                survivor_after: after,
                moved,
            }),
        },
    )?;
    w.audit(Action::MergePerson, EntityKind::Person, keep, n)?;
    w.commit()?;
    Ok(PersonMergeReport {
        survivor: keep,
        other,
        moved: counts,
    })
}

fn restore_one<E: Entity>(w: &mut Writer, m: &Moved) -> Result<(), StoreError> {
    let before: E = codec::decode(&m.before)?;
    w.update_as(before, Action::UndoMergePerson)
}

fn current_bytes(w: &Writer, kind: EntityKind, id: Id) -> Result<Option<Vec<u8>>, StoreError> {
    fn enc<E: Entity>(w: &Writer, id: Id) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(w.stored::<E>(id)?.map(|r| codec::encode(&r)))
    }
    match kind {
        EntityKind::Person => enc::<Person>(w, id),
        EntityKind::Contact => enc::<Contact>(w, id),
        EntityKind::Case => enc::<Case>(w, id),
        EntityKind::Project => enc::<Project>(w, id),
        EntityKind::Referral => enc::<Referral>(w, id),
        EntityKind::Activity => enc::<Activity>(w, id),
        EntityKind::PrivacyEntry => enc::<PrivacyEntry>(w, id),
        EntityKind::Appointment => enc::<Appointment>(w, id),
        EntityKind::Pratica => enc::<Pratica>(w, id),
        EntityKind::Document => enc::<Document>(w, id),
        _ => Ok(None),
    }
}

/// Undoes the person merge that removed `other`: both people and every moved record as
/// they were before it. Refused once a desk merge has happened since, or when any of
/// those records was changed after the merge.
pub fn undo_person_merge(store: &Store, actor: Id, other: Id) -> Result<(), StoreError> {
    undo_person_merge_by(store, actor, Id::NIL, other)
}

/// [`undo_person_merge`] on behalf of a signed-in account with
/// [`PERSON_MERGE_PERMISSIONS`]; the audit entries name the account.
pub fn undo_person_merge_as(store: &Store, session: &Session, other: Id) -> Result<(), StoreError> {
    require_person_merge(session)?;
    let actor = session.operator().unwrap_or(Id::NIL);
    undo_person_merge_by(store, actor, session.account(), other)
}

fn undo_person_merge_by(
    store: &Store,
    actor: Id,
    account: Id,
    other: Id,
) -> Result<(), StoreError> {
    let not_undoable = || {
        invalid(
            "unione",
            "Questa unione non si può più annullare (è seguita un'unione con un altro sportello)",
        )
    };
    let mut w = store.write(actor)?;
    w.attribute_to(account);
    let all = aliases::all(&w.txn().open_table(aliases::ALIASES)?)?;
    let alias = all.get(&other.0).ok_or_else(not_undoable)?;
    let undo = alias.undo.clone().ok_or_else(not_undoable)?;
    let survivor = alias.survivor;
    let changed = || {
        invalid(
            "unione",
            "Dopo l'unione alcuni dati di queste persone sono stati modificati: annullala a mano",
        )
    };
    if current_bytes(&w, EntityKind::Person, survivor)?.as_deref() != Some(&undo.survivor_after) {
        return Err(changed());
    }
    for m in &undo.moved {
        if current_bytes(&w, m.kind, m.id)?.as_deref() != Some(&m.after) {
            return Err(changed());
        }
    }
    let before: Person = codec::decode(&undo.survivor_before)?;
    if undo.survivor_before != undo.survivor_after {
        w.update_as(before, Action::UndoMergePerson)?;
    }
    let back: Person = codec::decode(&undo.other)?;
    let history: Tracking = codec::decode(&undo.other_history)?;
    w.write_merged(None, back, history, Action::UndoMergePerson)?;
    for m in &undo.moved {
        match m.kind {
            EntityKind::Contact => restore_one::<Contact>(&mut w, m)?,
            EntityKind::Case => restore_one::<Case>(&mut w, m)?,
            EntityKind::Project => restore_one::<Project>(&mut w, m)?,
            EntityKind::Referral => restore_one::<Referral>(&mut w, m)?,
            EntityKind::Activity => restore_one::<Activity>(&mut w, m)?,
            EntityKind::PrivacyEntry => restore_one::<PrivacyEntry>(&mut w, m)?,
            EntityKind::Appointment => restore_one::<Appointment>(&mut w, m)?,
            EntityKind::Pratica => restore_one::<Pratica>(&mut w, m)?,
            EntityKind::Document => restore_one::<Document>(&mut w, m)?,
            _ => {}
        }
    }
    aliases::remove(w.txn(), other)?;
    w.audit(
        Action::UndoMergePerson,
        EntityKind::Person,
        other,
        undo.moved.len() as u64 + 1,
    )?;
    w.commit()
}

/// The person merges that can still be undone, newest first.
pub fn undoable(store: &Store) -> Result<Vec<UndoablePersonMerge>, StoreError> {
    let r = store.read()?;
    let all = aliases::all(&r.txn().open_table(aliases::ALIASES)?)?;
    let mut out = Vec::new();
    for (old, a) in all {
        if let Some(u) = a.undo {
            let p: Person = codec::decode(&u.other)?;
            out.push(UndoablePersonMerge {
                other: Id(old),
                other_name: format!("{} {}", p.surname, p.name),
                survivor: a.survivor,
                at: u.at,
            });
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then(a.other.cmp(&b.other)));
    Ok(out)
}

/// Ends the undo of every person merge (a desk merge has happened).
pub(crate) fn end_undo(w: &Writer) -> Result<(), StoreError> {
    let all = aliases::all(&w.txn().open_table(aliases::ALIASES)?)?;
    for (old, mut a) in all {
        if a.undo.is_some() {
            a.undo = None;
            aliases::put(w.txn(), Id(old), &a)?;
        }
    }
    Ok(())
}

/// The id a record now has: itself, or the person it was merged into.
pub fn current_id(store: &Store, id: Id) -> Result<Id, StoreError> {
    let r = store.read()?;
    let all = aliases::all(&r.txn().open_table(aliases::ALIASES)?)?;
    Ok(aliases::resolve(&all, id))
}
