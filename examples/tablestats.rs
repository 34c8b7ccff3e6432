use redb::{MultimapTableHandle, ReadableDatabase, ReadableTableMetadata, TableHandle};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let db = redb::Database::open(&path).unwrap();
    let r = db.begin_read().unwrap();
    for t in r.list_tables().unwrap() {
        let tab = r.open_untyped_table(t.clone()).unwrap();
        let s = tab.stats().unwrap();
        println!(
            "{:24} {:>10} stored {:>12} frag {:>12} leaf_pages {:>8}",
            t.name(),
            tab.len().unwrap(),
            s.stored_bytes(),
            s.fragmented_bytes(),
            s.leaf_pages()
        );
    }
    for t in r.list_multimap_tables().unwrap() {
        let tab = r.open_untyped_multimap_table(t.clone()).unwrap();
        let s = tab.stats().unwrap();
        println!(
            "{:24} {:>10} stored {:>12} frag {:>12} leaf_pages {:>8}",
            t.name(),
            tab.len().unwrap(),
            s.stored_bytes(),
            s.fragmented_bytes(),
            s.leaf_pages()
        );
    }
}
