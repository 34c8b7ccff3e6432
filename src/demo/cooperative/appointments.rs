//! The demo's appointments at the WeMi desks (via Ornato, via Rizzoli): over the last four
//! weeks of the demo period, most held and linked to the contact they became (existing
//! contacts: the annual counts do not change), some «non presentato» or cancelled; and
//! around the store's today, a few missed in the days before and the coming two weeks
//! booked, so the Appuntamenti screen shows something real on first run.

use crate::demo::DemoError;
use crate::domain::*;
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// What to bring, printed on the reminder slip.
const NOTES: [&str; 6] = [
    "Portare documento d'identità e tessera sanitaria",
    "Portare l'ISEE aggiornato",
    "Portare le ultime tre buste paga",
    "Domanda Sostegno al Reddito: portare il permesso di soggiorno",
    "",
    "",
];

/// The slots of a desk's day: mornings and afternoons, every half hour.
fn slots() -> Vec<NaiveTime> {
    let mut v = Vec::new();
    for (from, to) in [(9 * 60, 12 * 60 + 30), (14 * 60 + 30, 17 * 60)] {
        let mut m = from;
        while m < to {
            v.push(NaiveTime::from_hms_opt(m / 60, m % 60, 0).expect("time"));
            m += 30;
        }
    }
    v
}

fn weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Writes the appointments (one bulk transaction). `last_day` is the demo period's last
/// day. Returns how many were written.
pub(super) fn write_appointments(
    store: &Store,
    seed: u64,
    last_day: NaiveDate,
) -> Result<u64, DemoError> {
    let r = store.read()?;
    let today = store.clock().today();
    let desks: Vec<Id> = r
        .all::<Desk>()?
        .into_iter()
        .filter(|d| d.code == "ornato" || d.code == "rizzoli")
        .map(|d| d.id)
        .collect();
    let Some(line) = r
        .all::<ServiceLine>()?
        .into_iter()
        .find(|l| l.code == "wemi")
        .map(|l| l.id)
    else {
        return Ok(0);
    };
    let end = last_day.min(today - Duration::days(1));
    let start = end - Duration::days(27);
    let contacts: Vec<Contact> = r
        .by_date::<Contact>(start, end)?
        .into_iter()
        .filter(|c| c.line == line && desks.contains(&c.desk) && !c.archived)
        .collect();
    // Who comes to each desk, and who works there (from the whole last year's contacts).
    let year = r
        .by_date::<Contact>(end - Duration::days(365), end)?
        .into_iter()
        .filter(|c| c.line == line && desks.contains(&c.desk) && !c.archived);
    let mut people: BTreeMap<Id, Vec<Subject>> = BTreeMap::new();
    let mut staff: BTreeMap<Id, Vec<Id>> = BTreeMap::new();
    for c in year {
        people.entry(c.desk).or_default().push(c.subject);
        let s = staff.entry(c.desk).or_default();
        if !s.contains(&c.operator) {
            s.push(c.operator);
        }
    }
    let live: HashMap<Id, bool> = r
        .all::<Person>()?
        .into_iter()
        .map(|p| (p.id, !p.archived))
        .collect();
    for v in people.values_mut() {
        v.retain(|s| match s {
            Subject::Person(p) => live.get(p).copied().unwrap_or(false),
            Subject::Household(_) => true,
        });
        v.sort_by_key(|s| s.id());
        v.dedup();
    }
    drop(r);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0061_7070_756e_7469);
    let mut out: Vec<Appointment> = Vec::new();
    let note = |rng: &mut StdRng| NOTES.choose(rng).copied().unwrap_or("").to_string();
    // The last four weeks: 70 % of the contacts had been booked.
    for c in &contacts {
        if !rng.random_bool(0.7) {
            continue;
        }
        let mut a = Appointment::new(c.subject, c.operator, c.desk, c.at, 30);
        a.line = Some(line);
        a.note = note(&mut rng);
        a.outcome = AppointmentOutcome::Svolto;
        a.contact = Some(c.id);
        out.push(a);
    }
    // Days with booked slots: the missed and cancelled ones of the last four weeks, and
    // every weekday around today.
    let mut days: Vec<(NaiveDate, usize)> = Vec::new();
    let mut d = start;
    while d <= end {
        if weekday(d) {
            days.push((d, 1));
        }
        d += Duration::days(1);
    }
    let mut d = (today - Duration::days(7)).max(end + Duration::days(1));
    while d <= today + Duration::days(14) {
        if weekday(d) {
            days.push((d, if d < today { 2 } else { 5 }));
        }
        d += Duration::days(1);
    }
    let slots = slots();
    for (day, n) in days {
        for desk in &desks {
            let (Some(who), Some(ops)) = (people.get(desk), staff.get(desk)) else {
                continue;
            };
            if who.is_empty() || ops.is_empty() {
                continue;
            }
            let n = rng.random_range(n.saturating_sub(1).max(1)..=n + 1);
            let mut times: Vec<NaiveTime> = slots.sample(&mut rng, n).copied().collect();
            times.sort();
            for t in times {
                let start: NaiveDateTime = day.and_time(t);
                let subject = *who.choose(&mut rng).expect("someone");
                let operator = *ops.choose(&mut rng).expect("someone");
                let minutes = *[30, 30, 30, 45, 60].choose(&mut rng).expect("minutes");
                let mut a = Appointment::new(subject, operator, *desk, start, minutes);
                a.line = Some(line);
                a.note = note(&mut rng);
                a.outcome = if day < today {
                    if rng.random_bool(0.7) {
                        AppointmentOutcome::NonPresentato
                    } else {
                        AppointmentOutcome::Annullato
                    }
                } else if rng.random_bool(0.05) {
                    AppointmentOutcome::Annullato
                } else {
                    AppointmentOutcome::Previsto
                };
                out.push(a);
            }
        }
    }
    let n = out.len() as u64;
    let mut w = store.bulk_write(Id::NIL)?;
    for a in out {
        w.insert(a)?;
    }
    w.commit()?;
    Ok(n)
}
