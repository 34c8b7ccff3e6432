//! The hidden `write-probe` command of the crash tests: durable writes, one per line of
//! output.

use crate::store::Store;

/// Writes `count` contacts, each in its own durable transaction, printing `ok <id>` after
/// every commit. Creates what it needs (an operator and a person) on first use.
pub fn write_probe(
    store: &Store,
    session: Option<&crate::access::Session>,
    count: u64,
) -> Result<(), crate::store::StoreError> {
    use crate::domain::*;
    use std::io::Write;
    let r = store.read()?;
    let line = r
        .active::<ServiceLine>()?
        .first()
        .map(|l| l.id)
        .unwrap_or(Id::NIL);
    let desk = r.active::<Desk>()?.first().map(|d| d.id).unwrap_or(Id::NIL);
    let role = r.active::<Role>()?.first().map(|d| d.id).unwrap_or(Id::NIL);
    let operator = match r.active::<Operator>()?.first() {
        Some(o) => o.id,
        None => store.insert(
            Id::NIL,
            Operator {
                surname: "Prova".into(),
                name: "Scrittura".into(),
                role,
                active: true,
                ..Default::default()
            },
        )?,
    };
    let person = match r.active::<Person>()?.first() {
        Some(p) => p.id,
        None => store.insert(
            operator,
            Person {
                surname: "Prova".into(),
                name: "Persona".into(),
                ..Default::default()
            },
        )?,
    };
    drop(r);
    let out = std::io::stdout();
    for i in 0..count {
        let c = Contact {
            id: Id::NIL,
            at: time::now_minute(),
            subject: Subject::Person(person),
            line,
            desk,
            operator,
            kind: ContactKind::Informazione,
            measure: None,
            minutes: (i % 60) as u16 + 1,
            note: format!("scrittura di prova {i}"),
            confidential: false,
            archived: false,
        };
        let id = match session {
            Some(s) => store.insert_as(
                s,
                Contact {
                    operator: s.operator().unwrap_or(operator),
                    ..c
                },
            )?,
            None => store.insert(operator, c)?,
        };
        let mut o = out.lock();
        let _ = writeln!(o, "ok {id}");
        let _ = o.flush();
    }
    Ok(())
}
