use accoglienza::domain::*;
use accoglienza::store::Store;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let store = Store::open(&path).unwrap();
    let r = store.read().unwrap();
    let op = r.all::<Operator>().unwrap()[0].id;
    let line = r.all::<ServiceLine>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let mut person = Id::NIL;
    r.for_each(|p: Person| {
        if person == Id::NIL {
            person = p.id
        }
    })
    .unwrap();
    drop(r);
    let n = 500;
    let t = Instant::now();
    for i in 0..n {
        let c = Contact {
            id: Id::NIL,
            at: time::now_minute(),
            subject: Subject::Person(person),
            line,
            desk,
            operator: op,
            kind: ContactKind::Pratiche,
            measure: None,
            minutes: 30,
            note: format!("probe {i}"),
            confidential: false,
            archived: false,
        };
        store.insert(op, c).unwrap();
    }
    println!("{:?} per insert", t.elapsed() / n);
}
