use super::*;

#[test]
fn table_names_match_the_store() {
    use redb::TableHandle;
    for k in EntityKind::ALL {
        assert_eq!(table_of(k).name(), table_name(k));
    }
    assert_eq!(AUDIT.name(), AUDIT_TABLE);
}

#[test]
fn every_reference_points_to_a_table_written_before() {
    // Mirrors Entity::references(): the kinds each kind refers to.
    use EntityKind::*;
    let refs: &[(EntityKind, &[EntityKind])] = &[
        (Person, &[Household]),
        (Operator, &[Role, Desk]),
        (
            Contact,
            &[Person, Household, ServiceLine, Desk, Operator, Measure],
        ),
        (Case, &[Person, Household, ServiceLine, Operator]),
        (Project, &[Person, ServiceLine, Operator]),
        (
            Referral,
            &[Person, Household, TerritorialService, ServiceLine, Operator],
        ),
        (Activity, &[ServiceLine, Desk, Person]),
        (ServiceLine, &[Area]),
    ];
    let order: Vec<_> = body_order()
        .into_iter()
        .filter_map(|(_, s)| match s {
            Section::Records(k) => Some(k),
            _ => None,
        })
        .collect();
    let pos = |k: EntityKind| order.iter().position(|o| *o == k).unwrap();
    for (k, targets) in refs {
        for t in *targets {
            assert!(pos(*t) < pos(*k), "{k:?} refers to {t:?} written later");
        }
    }
    assert_eq!(order.len(), EntityKind::ALL.len());
}
