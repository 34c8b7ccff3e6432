use super::*;
use proptest::prelude::*;

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(n)
}

fn pratica() -> Pratica {
    Pratica::new(
        Subject::Person(Id::new()),
        Id::new(),
        Id::new(),
        Id::new(),
        day(0),
    )
}

#[test]
fn the_path_to_accolta_needs_the_amount() {
    let mut p = pratica();
    p.advance(PraticaState::InPreparazione, day(1)).unwrap();
    p.advance(PraticaState::Inviata, day(5)).unwrap();
    p.advance(PraticaState::InAttesaIntegrazione, day(20))
        .unwrap();
    p.advance(PraticaState::Inviata, day(25)).unwrap();
    p.advance(PraticaState::Accolta, day(60)).unwrap();
    assert_eq!(p.entered(PraticaState::Inviata), Some(day(5)));
    assert_eq!(p.history.len(), 6);
    let problems = p.validate(day(100));
    assert!(problems.for_field("amount").is_some(), "{problems:?}");
    p.amount_cents = Some(150_000);
    assert!(p.validate(day(100)).is_empty());
    p.amount_cents = Some(0);
    assert!(p.validate(day(100)).for_field("amount").is_some());
}

#[test]
fn refusals_are_clear() {
    let mut p = pratica();
    let e = p.advance(PraticaState::Accolta, day(1)).unwrap_err();
    assert!(e.contains("«Informato» non può diventare «Accolta»"), "{e}");
    assert!(e.contains("«In preparazione»"), "{e}");
    p.advance(PraticaState::Ritirata, day(1)).unwrap();
    let e = p.advance(PraticaState::Inviata, day(2)).unwrap_err();
    assert!(e.contains("chiusa"), "{e}");
    assert_eq!(p.state, PraticaState::Ritirata);
    let mut p = pratica();
    p.advance(PraticaState::InPreparazione, day(3)).unwrap();
    let e = p.advance(PraticaState::Inviata, day(2)).unwrap_err();
    assert!(e.contains("non può precedere"), "{e}");
}

#[test]
fn amount_only_when_accolta_and_history_checked() {
    let mut p = pratica();
    p.amount_cents = Some(100);
    assert!(p.validate(day(1)).for_field("amount").is_some());
    let mut p = pratica();
    p.state = PraticaState::Inviata;
    assert!(p.validate(day(1)).for_field("state").is_some());
    let mut p = pratica();
    p.history.push(StateChange {
        state: PraticaState::Accolta,
        on: day(1),
    });
    p.state = PraticaState::Accolta;
    p.amount_cents = Some(1);
    assert!(p.validate(day(2)).for_field("state").is_some());
    let mut p = pratica();
    p.advance(PraticaState::InPreparazione, day(10)).unwrap();
    assert!(p.validate(day(5)).for_field("state").is_some(), "future");
}

#[test]
fn euro_parsed_and_formatted() {
    assert_eq!(parse_euro("1.234,56"), Ok(123_456));
    assert_eq!(parse_euro("350"), Ok(35_000));
    assert_eq!(parse_euro(" 350,5 € "), Ok(35_050));
    assert!(parse_euro("12,345").is_err());
    assert!(parse_euro("abc").is_err());
    assert!(parse_euro("").is_err());
    assert_eq!(fmt_euro(123_456), "1.234,56 €");
    assert_eq!(fmt_euro(5), "0,05 €");
    assert_eq!(fmt_euro(100_000_000), "1.000.000,00 €");
}

fn any_state() -> impl Strategy<Value = PraticaState> {
    (0..PraticaState::ALL.len()).prop_map(|i| PraticaState::ALL[i])
}

/// The states reachable from the initial ones, by walking the allowed changes.
fn reachable() -> std::collections::HashSet<PraticaState> {
    let mut seen: std::collections::HashSet<_> = PraticaState::INITIAL.into_iter().collect();
    let mut todo: Vec<_> = seen.iter().copied().collect();
    while let Some(s) = todo.pop() {
        for n in s.next() {
            if seen.insert(*n) {
                todo.push(*n);
            }
        }
    }
    seen
}

proptest! {
    /// Any sequence of requested changes (allowed or not, dates going back or forward)
    /// keeps the history consistent: accepted changes are appended, refused ones change
    /// nothing, and the state is always reachable and the history's last.
    #[test]
    fn any_requests_keep_the_history_consistent(
        steps in proptest::collection::vec((any_state(), -3i64..10), 0..30)
    ) {
        let mut p = pratica();
        let mut on = 0i64;
        let reach = reachable();
        for (to, delta) in steps {
            let before = p.clone();
            let allowed = p.state.may_become(to) && delta >= 0;
            let r = p.advance(to, day(on + delta));
            prop_assert_eq!(r.is_ok(), allowed);
            if r.is_ok() {
                on += delta;
                prop_assert_eq!(p.history.len(), before.history.len() + 1);
            } else {
                prop_assert_eq!(&p, &before);
            }
            prop_assert!(check_history(&p).is_ok());
            prop_assert!(reach.contains(&p.state));
            prop_assert_eq!(p.history.last().map(|c| c.state), Some(p.state));
        }
    }

    /// Formatting then parsing an amount gives it back.
    #[test]
    fn euro_round_trip(c in 0i64..100_000_000) {
        let text = fmt_euro(c);
        prop_assert_eq!(parse_euro(&text), Ok(c));
    }
}
