use super::*;

#[test]
fn table_names_match_the_store() {
    use redb::TableHandle;
    for k in EntityKind::ALL {
        assert_eq!(table_of(k).name(), table_name(k));
    }
    assert_eq!(AUDIT.name(), AUDIT_TABLE);
}
