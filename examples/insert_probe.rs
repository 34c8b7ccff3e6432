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
    let mut phases = [std::time::Duration::ZERO; 3];
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
        let t0 = Instant::now();
        let mut w = store.write(op).unwrap();
        let t1 = Instant::now();
        w.insert(c).unwrap();
        let t2 = Instant::now();
        w.commit().unwrap();
        let t3 = Instant::now();
        phases[0] += t1 - t0;
        phases[1] += t2 - t1;
        phases[2] += t3 - t2;
    }
    println!("{:?} per insert", t.elapsed() / n);
    println!(
        "begin {:?}, insert (validate, index, count, audit) {:?}, commit {:?}",
        phases[0] / n,
        phases[1] / n,
        phases[2] / n
    );
}
