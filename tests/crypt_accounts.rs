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

#[test]
fn a_deactivated_account_no_longer_opens_the_file_until_its_password_is_reset() {
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
    let role = |code: &str| store.access_role(code).unwrap().unwrap().id;
    let new = |name: &str, r: &str| NewAccount {
        username: name.into(),
        operator: None,
        roles: vec![role(r)],
        must_change: false,
    };
    store
        .create_account_unchecked(&new("admin", role_codes::ADMIN), admin_pw, FAST)
        .unwrap();
    let admin = access::sign_in(&store, "admin", admin_pw).unwrap();
    let bruno = store
        .create_account(
            &admin,
            &new("bruno", role_codes::OPERATORE),
            "una parola lunga e segreta",
            FAST,
        )
        .unwrap();
    assert!(store.key_slot_names().contains(&"bruno".to_string()));
    store.set_account_active(&admin, bruno, false).unwrap();
    assert!(!store.key_slot_names().contains(&"bruno".to_string()));
    // Brought back, the account has no key until an administrator resets its password.
    store.set_account_active(&admin, bruno, true).unwrap();
    assert!(!store.key_slot_names().contains(&"bruno".to_string()));
    drop(store);
    assert!(matches!(
        opens(&path, "bruno", "una parola lunga e segreta"),
        Err(StoreError::WrongPassword)
    ));
    let store = opens(&path, "admin", admin_pw).unwrap();
    let admin = access::sign_in(&store, "admin", admin_pw).unwrap();
    store
        .reset_password(&admin, bruno, "una nuova parola lunga e segreta", FAST)
        .unwrap();
    drop(store);
    drop(opens(&path, "bruno", "una nuova parola lunga e segreta").expect("the reset opens"));
}

#[test]
fn failed_unlocks_under_ever_new_names_never_fill_the_superblock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.redb");
    let pw = SecretString::from("password dell'amministratore".to_string());
    let (store, _key) =
        Store::create_encrypted(&path, OpenOptions::default(), "admin", &pw).unwrap();
    drop(store);
    let now = chrono::Utc::now().timestamp();
    for _ in 0..3 {
        crypt::record_failed_unlock(&path, "admin", now).unwrap();
    }
    for i in 0..2_000 {
        crypt::record_failed_unlock(&path, &format!("sconosciuto-{i}"), now + i).unwrap();
    }
    // The real slot's count is kept; the latest unknown name is counted too.
    assert_eq!(crypt::slot_status(&path, "admin").unwrap().failures, 3);
    assert_eq!(
        crypt::slot_status(&path, "sconosciuto-1999")
            .unwrap()
            .failures,
        1
    );
    // And the key slots can still change.
    let store = Store::open_encrypted(
        &path,
        OpenOptions::default(),
        &Unlock::Password {
            slot: "admin".into(),
            password: pw,
        },
    )
    .unwrap();
    store
        .set_key_slot(
            "nuovo",
            &SecretString::from("un'altra password".to_string()),
        )
        .unwrap();
}
