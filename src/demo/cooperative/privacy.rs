//! The demo's privacy logs: the informativa given at registration and the consents
//! collected with it, a few consents withdrawn later, so the cartella's «Privacy e
//! consensi» and the referral's consent warning show something real on first run.

use crate::demo::DemoError;
use crate::domain::consent::purpose_codes;
use crate::domain::*;
use crate::store::Store;
use chrono::{Duration, NaiveTime};
use rand::prelude::*;

/// The version of the informativa the demo hands out.
const VERSION: &str = "2019/1";

/// Writes a privacy log for every person registered with a signed consent (one bulk
/// transaction). Returns how many entries were written.
pub(super) fn write_logs(store: &Store, seed: u64) -> Result<u64, DemoError> {
    let r = store.read()?;
    let purposes = r.all::<Purpose>()?;
    let purpose = |code: &str| purposes.iter().find(|p| p.code == code).map(|p| p.id);
    let (rete, foto, messaggi) = (
        purpose(purpose_codes::RETE),
        purpose(purpose_codes::FOTO),
        purpose(purpose_codes::MESSAGGI),
    );
    let operators: Vec<Id> = r.active::<Operator>()?.into_iter().map(|o| o.id).collect();
    let people = r.all::<Person>()?;
    drop(r);
    let today = store.clock().today();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0070_7269_7661_6379);
    let mut w = store.bulk_write(Id::NIL)?;
    let mut n = 0u64;
    for p in people.iter().filter(|p| !p.archived) {
        let Some(consent) = &p.consent else { continue };
        let at = consent
            .date
            .and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("time"))
            + Duration::minutes(rng.random_range(0..420));
        let operator = operators.choose(&mut rng).copied();
        let channel = if rng.random_bool(0.9) {
            PrivacyChannel::Cartaceo
        } else {
            PrivacyChannel::Email
        };
        let entry = |act, purpose, at, note: &str| PrivacyEntry {
            id: Id::NIL,
            person: p.id,
            act,
            purpose,
            version: if act == PrivacyAct::Informativa {
                VERSION.into()
            } else {
                String::new()
            },
            at,
            channel,
            operator,
            note: note.into(),
            archived: false,
        };
        let mut log = vec![entry(PrivacyAct::Informativa, None, at, "")];
        for (purpose, share) in [(rete, 0.93), (foto, 0.35), (messaggi, 0.55)] {
            if purpose.is_some() && rng.random_bool(share) {
                log.push(entry(PrivacyAct::ConsensoDato, purpose, at, ""));
            }
        }
        // A few people withdraw the sharing consent months later.
        let later = at + Duration::days(rng.random_range(30..400));
        if rete.is_some() && later.date() <= today && rng.random_bool(0.03) {
            log.push(entry(
                PrivacyAct::ConsensoRevocato,
                rete,
                later,
                "Revoca comunicata allo sportello",
            ));
        }
        for e in log {
            w.insert(e)?;
            n += 1;
        }
    }
    w.commit()?;
    Ok(n)
}
