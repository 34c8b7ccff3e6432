//! Tests of the reader: the span of the dated records.

use crate::domain::*;
use crate::store::Store;
use chrono::NaiveDate;

#[test]
fn date_span_of_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("t.redb")).unwrap();
    let r = store.read().unwrap();
    assert_eq!(r.date_span(EntityKind::Contact).unwrap(), None);
    let line = r.all::<ServiceLine>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let role = r.all::<Role>().unwrap()[0].id;
    drop(r);
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Verdi".into(),
                name: "Anna".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let p = store
        .insert(
            op,
            Person {
                surname: "Rossi".into(),
                name: "Mario".into(),
                ..Default::default()
            },
        )
        .unwrap();
    for (y, m, d) in [(2021, 3, 4), (2019, 12, 31), (2023, 1, 2)] {
        let at = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        store
            .insert(
                op,
                Contact {
                    id: Id::NIL,
                    at,
                    subject: Subject::Person(p),
                    line,
                    desk,
                    operator: op,
                    kind: ContactKind::Ascolto,
                    measure: None,
                    minutes: 10,
                    note: String::new(),
                    confidential: false,
                    archived: false,
                },
            )
            .unwrap();
    }
    let r = store.read().unwrap();
    let mut seen = Vec::new();
    r.for_each_by_date(
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
        |c: Contact| seen.push(c.at.date()),
    )
    .unwrap();
    assert_eq!(
        seen,
        vec![
            NaiveDate::from_ymd_opt(2021, 3, 4).unwrap(),
            NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()
        ],
        "in the range, in date order"
    );
    drop(r);
    let span = store
        .read()
        .unwrap()
        .date_span(EntityKind::Contact)
        .unwrap();
    assert_eq!(
        span,
        Some((
            NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()
        ))
    );
    assert_eq!(
        store.read().unwrap().date_span(EntityKind::Case).unwrap(),
        None
    );
}
