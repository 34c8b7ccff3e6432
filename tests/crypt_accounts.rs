//! Accounts and key slots of an encrypted database stay in step: a new account, a changed
//! password and an administrator's reset open the file with the account's own password; an
//! administrator's unlock clears the slot's failed unlocks.

use accoglienza::access::{self, NewAccount, PasswordParams};
use accoglienza::domain::access::role_codes;
use accoglienza::store::crypt::{self, SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store, StoreError};
use std::path::Path;

const FAST: PasswordParams = PasswordParams::FAST_FOR_TESTS;

fn opens(path: &Path, slot: &str, password: &str) -> Result<Store, StoreError> {
    Store::open_encrypted(
        path,
        OpenOptions::default(),
        &Unlock::Password {
            slot: slot.into(),
            password: SecretString::from(password.to_string()),
        },
    )
}

#[test]
fn new_accounts_changes_and_resets_give_the_key_slot_the_account_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.redb");
    let admin_pw = "password dell'amministratore";
    let (store, _key) = Store::create_encrypted(
        &path,
        OpenOptions::default(),
        "admin",
        &SecretString::from(admin_pw.to_string()),
    )
    .unwrap();
    let admin_role = store.access_role(role_codes::ADMIN).unwrap().unwrap().id;
    let op_role = store
        .access_role(role_codes::OPERATORE)
        .unwrap()
        .unwrap()
        .id;
    store
        .create_account_unchecked(
            &NewAccount {
                username: "admin".into(),
                operator: None,
                roles: vec![admin_role],
                must_change: false,
            },
            admin_pw,
            FAST,
        )
        .unwrap();
    let admin = access::sign_in(&store, "admin", admin_pw).unwrap();
    store
        .create_account(
            &admin,
            &NewAccount {
                username: "Anna".into(),
                operator: None,
                roles: vec![op_role],
                must_change: false,
            },
            "prima parola chiave lunga",
            FAST,
        )
        .unwrap();
    assert!(store.key_slot_names().contains(&"anna".to_string()));
    let anna = access::sign_in(&store, "anna", "prima parola chiave lunga").unwrap();
    store
        .change_password(
            &anna,
            "prima parola chiave lunga",
            "seconda parola chiave lunga",
            FAST,
        )
        .unwrap();
    let anna_id = anna.account();
    // Failed unlocks of anna's slot, then an administrator's unlock clears them.
    let now = chrono::Utc::now().timestamp();
    for _ in 0..crypt::LOCK_AFTER_FAILURES {
        crypt::record_failed_unlock(&path, "anna", now).unwrap();
    }
    assert!(
        crypt::slot_status(&path, "anna")
            .unwrap()
            .locked_until
            .is_some()
    );
    store.unlock_account(&admin, anna_id).unwrap();
    assert_eq!(crypt::slot_status(&path, "anna").unwrap().failures, 0);
    store
        .reset_password(&admin, anna_id, "provvisoria parola chiave", FAST)
        .unwrap();
    drop(store);

    assert!(matches!(
        opens(&path, "anna", "seconda parola chiave lunga"),
        Err(StoreError::WrongPassword)
    ));
    assert!(matches!(
        opens(&path, "anna", "prima parola chiave lunga"),
        Err(StoreError::WrongPassword)
    ));
    let store = opens(&path, "anna", "provvisoria parola chiave").expect("the reset opens");
    let s = access::sign_in(&store, "anna", "provvisoria parola chiave").unwrap();
    assert!(s.must_change(), "the temporary password must be changed");
}

#[test]
fn the_unlock_proof_is_for_that_account_only_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.redb");
    let pw = "password dell'amministratore";
    let (store, _key) = Store::create_encrypted(
        &path,
        OpenOptions::default(),
        "admin",
        &SecretString::from(pw.to_string()),
    )
    .unwrap();
    let admin_role = store.access_role(role_codes::ADMIN).unwrap().unwrap().id;
    for name in ["admin", "bruno"] {
        store
            .create_account_unchecked(
                &NewAccount {
                    username: name.into(),
                    operator: None,
                    roles: vec![admin_role],
                    must_change: false,
                },
                pw,
                FAST,
            )
            .unwrap();
    }
    drop(store);
    let store = opens(&path, "admin", pw).unwrap();
    // The proof names admin's slot: bruno's wrong password is still checked.
    assert!(access::sign_in(&store, "bruno", "non è la password giusta").is_err());
    // And it was consumed: admin's wrong password is checked too.
    assert!(access::sign_in(&store, "admin", "non è la password giusta").is_err());
}
