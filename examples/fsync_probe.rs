use redb::{Durability, TableDefinition};
use std::time::Instant;
const T: TableDefinition<u128, &[u8]> = TableDefinition::new("t");
fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = redb::Database::create(dir.path().join("x.redb")).unwrap();
    for (label, d, two_phase) in [
        ("immediate", Durability::Immediate, false),
        ("immediate+2pc", Durability::Immediate, true),
        ("none", Durability::None, false),
    ] {
        let n = 300;
        let t = Instant::now();
        for i in 0..n {
            let mut w = db.begin_write().unwrap();
            w.set_durability(d).unwrap();
            w.set_two_phase_commit(two_phase);
            w.open_table(T)
                .unwrap()
                .insert(i as u128, [0u8; 120].as_slice())
                .unwrap();
            w.commit().unwrap();
        }
        println!("{label}: {:?} per commit", t.elapsed() / n);
    }
    let f = std::fs::File::create(dir.path().join("f")).unwrap();
    use std::io::Write;
    let t = Instant::now();
    for _ in 0..300 {
        (&f).write_all(&[0u8; 4096]).unwrap();
        f.sync_data().unwrap();
    }
    println!("write+fdatasync: {:?}", t.elapsed() / 300);
    let t = Instant::now();
    for _ in 0..300 {
        (&f).write_all(&[0u8; 4096]).unwrap();
        f.sync_all().unwrap();
    }
    println!("write+fsync: {:?}", t.elapsed() / 300);
}
