fn main() {
    let path = std::env::args().nth(1).unwrap();
    let what = std::env::args().nth(2).unwrap_or_default();
    let t = std::time::Instant::now();
    let mut s = accoglienza::store::Store::open(&path).unwrap();
    eprintln!("open {:?}", t.elapsed());
    let t = std::time::Instant::now();
    match what.as_str() {
        "rebuild" => s.rebuild_aggregates().unwrap(),
        "tally" => {
            let r = s.read().unwrap();
            let t = r.full_tally().unwrap();
            eprintln!("{}", t.totals().count());
        }
        "counts" => {
            let r = s.read().unwrap();
            let c = accoglienza::stats::annual_counts(&r).unwrap();
            eprintln!("{}", c.years.len());
        }
        "compact" => {
            eprintln!("{:?}", s.compact());
        }
        "check" => {
            let rep = s.check().unwrap();
            eprintln!("{:?}", rep.problems);
        }
        _ => {}
    }
    eprintln!("{what} {:?}", t.elapsed());
}
