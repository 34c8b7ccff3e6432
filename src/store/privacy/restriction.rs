//! Consent and restriction (GDPR art. 7 and 18) as the store keeps them: each person's
//! privacy log is a kind of record (`PrivacyEntry`, about the person), so backups,
//! restores, merges, encryption and erasure carry it like any other record.
//!
//! A restriction hides the person — and every record about them — from lists, search
//! and exports for every session without the coordinator's permissions
//! ([`SEE_RESTRICTED`]); reading one of them by id is refused with a clear message, and
//! so is writing about them. Their records keep counting: the annual counts are kept by
//! the store, not read through a session. Only a coordinator starts or lifts a
//! restriction.

use crate::domain::consent::purpose_codes;
use crate::domain::*;
use crate::store::derived::{self, DERIVED};
use crate::store::entity::Entity;
use crate::store::tables::TEXT_RESTRICTION;
use crate::store::{Reader, StoreError, codec};
use redb::ReadableTable;
use std::collections::{HashMap, HashSet};

/// The permissions that see people whose processing is restricted, and that start or
/// lift a restriction: the erasure's pair (by default the Coordinatore role's: the
/// registry and the privacy officer's Registro accessi).
pub const SEE_RESTRICTED: [Permission; 2] = super::ERASE_PERMISSIONS;

/// The refusal for a restricted person's data.
pub(crate) fn restricted_error() -> StoreError {
    crate::store::access::denied(
        "Il trattamento dei dati di questa persona è limitato (art. 18 GDPR): solo un coordinatore può vederli o modificarli.",
    )
}

/// The people whose processing is restricted now, from the entries that start or end a
/// restriction (the restriction index) in the caller's transaction.
pub(crate) fn restricted_people(
    idx: &impl ReadableTable<&'static [u8], &'static [u8]>,
    entries: &impl ReadableTable<u128, &'static [u8]>,
) -> Result<HashSet<Id>, StoreError> {
    let ids: Vec<u128> = match idx.get(derived::text_key(TEXT_RESTRICTION, "").as_slice())? {
        Some(v) => derived::ids(v.value())?.collect(),
        None => return Ok(HashSet::new()),
    };
    let mut latest: HashMap<Id, PrivacyEntry> = HashMap::new();
    for id in ids {
        let Some(v) = entries.get(id)? else { continue };
        let e: PrivacyEntry = codec::decode(v.value())?;
        if e.archived {
            continue;
        }
        match latest.get(&e.person) {
            Some(old) if (old.at, old.id) > (e.at, e.id) => {}
            _ => {
                latest.insert(e.person, e);
            }
        }
    }
    Ok(latest
        .into_values()
        .filter(|e| e.act == PrivacyAct::Limitazione)
        .map(|e| e.person)
        .collect())
}

impl Reader {
    /// A person's privacy log (informativa, consents, restrictions), oldest first.
    pub fn privacy_log(&self, person: Id) -> Result<Vec<PrivacyEntry>, StoreError> {
        let mut v = self.by_subject::<PrivacyEntry>(person)?;
        v.sort_by_key(|e| (e.at, e.id));
        Ok(v)
    }

    /// What a person's privacy log says now.
    pub fn privacy_state(&self, person: Id) -> Result<PrivacyState, StoreError> {
        Ok(PrivacyState::of(&self.privacy_log(person)?))
    }

    /// The purpose a referral needs consent for (code [`purpose_codes::RETE`]), if the
    /// catalogue has it and it is not archived.
    pub fn network_purpose(&self) -> Result<Option<Purpose>, StoreError> {
        Ok(self
            .all::<Purpose>()?
            .into_iter()
            .find(|p| p.code == purpose_codes::RETE && !p.archived))
    }

    /// The warning a new referral for this person shows (no consent to sharing with the
    /// network, or withdrawn); `None` when the consent is in force or the purpose is not
    /// in the catalogue.
    pub fn referral_consent_warning(&self, person: Id) -> Result<Option<String>, StoreError> {
        let purpose = self.network_purpose()?.map(|p| p.id);
        Ok(self.privacy_state(person)?.referral_warning(purpose))
    }

    /// The people whose processing is restricted now, for the system and for a session
    /// with [`SEE_RESTRICTED`]; empty for a session without it, which does not see them
    /// at all.
    pub fn restricted_people(&self) -> Result<HashSet<Id>, StoreError> {
        if let Some(v) = self.view()
            && !sees_restricted(v.session())
        {
            return Ok(HashSet::new());
        }
        restricted_people(
            &self.txn().open_table(DERIVED)?,
            &self.txn().open_table(PrivacyEntry::TABLE)?,
        )
    }
}

/// A group activity written by a session that may not see some people (art. 18): it may
/// not add them (as participants or attendees), and what it could not see of the stored
/// activity stays — their participation is put back, and a session they attended is not
/// removed. `hidden(person)`: the session may not see them.
pub(crate) fn keep_hidden_participants(
    new: &mut Activity,
    old: Option<&Activity>,
    hidden: &dyn Fn(Id) -> bool,
) -> Result<(), StoreError> {
    keep_hidden_in(&mut new.participants, old.map(|o| &o.participants), hidden)?;
    for s in &mut new.sessions {
        let before = old.and_then(|o| o.sessions.iter().find(|x| x.date == s.date));
        keep_hidden_in(&mut s.attendees, before.map(|b| &b.attendees), hidden)?;
    }
    let dropped_with_hidden = old.is_some_and(|o| {
        o.sessions.iter().any(|s| {
            s.attendees.iter().any(|p| hidden(*p)) && !new.sessions.iter().any(|n| n.date == s.date)
        })
    });
    if dropped_with_hidden {
        return Err(restricted_error());
    }
    Ok(())
}

/// One list of people of an activity (its participants, or a meeting's attendees): none
/// the session may not see is added, and those it may not see that were there are put back.
fn keep_hidden_in(
    people: &mut Vec<Id>,
    before: Option<&Vec<Id>>,
    hidden: &dyn Fn(Id) -> bool,
) -> Result<(), StoreError> {
    let was_there = |p: &Id| before.is_some_and(|l| l.contains(p));
    if people.iter().any(|p| hidden(*p) && !was_there(p)) {
        return Err(restricted_error());
    }
    for p in before.into_iter().flatten() {
        if hidden(*p) && !people.contains(p) {
            people.push(*p);
        }
    }
    Ok(())
}

/// True when `session` may see people whose processing is restricted ([`SEE_RESTRICTED`]).
pub(crate) fn sees_restricted(session: &crate::access::Session) -> bool {
    SEE_RESTRICTED.iter().all(|p| session.may(*p))
}
