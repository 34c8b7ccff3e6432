//! Moving in: the team's spreadsheets (XLSX, XLS, ODS, CSV) imported through a mapping,
//! with a dry run first, matching to known people, one audited batch per import, and undo.
//! Above `store` and below `ui`: the window's wizard and `accoglienza import` share it.
//!
//! The flow: [`read::read_file`] → [`plan::plan`] (nothing written; the preview) →
//! [`commit::commit`] (one durable transaction on behalf of an operator) →
//! [`commit::undo`] when a batch was a mistake.

pub mod catalog;
pub mod commit;
pub mod convert;
pub mod fields;
pub mod mapping;
pub mod plan;
mod planner;
pub mod read;
mod records;

pub use commit::{ImportError, Undone, commit, undo};
pub use mapping::{Field, Mapping, RowKind};
pub use plan::{Plan, PlanOptions, RowOutcome, RowReport, plan};
pub use read::{ReadError, ReadOptions, Sheet, TextEncoding, read_file};
pub use records::{school_and_need, spread_hours};

use crate::domain::Id;
use crate::store::Store;
use std::path::Path;

/// Finds a mapping: a JSON file at `spec`, else one saved in the database under that name,
/// else a kind of rows by its code (`accessi`, `persone`, …) with every column guessed
/// from the headers.
pub fn find_mapping(store: &Store, spec: &str) -> Result<Mapping, String> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("Impossibile leggere la mappatura {}: {e}", path.display()))?;
        let mut m = Mapping::from_json(&text)?;
        if m.name.is_empty() {
            m.name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        return Ok(m);
    }
    let saved = store
        .read()
        .and_then(|r| r.import_mappings())
        .map_err(|e| e.to_string())?;
    if let Some((_, json)) = saved.iter().find(|(n, _)| n == spec) {
        return Mapping::from_json(json);
    }
    if let Some(kind) = RowKind::from_code(spec) {
        let mut m = Mapping::guessed(kind);
        m.name = kind.code().to_string();
        return Ok(m);
    }
    Err(format!(
        "Mappatura «{spec}» sconosciuta: indica un file .json, il nome di una mappatura salvata ({}) o un tipo di righe ({})",
        if saved.is_empty() {
            "nessuna salvata".to_string()
        } else {
            saved
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
        RowKind::ALL.map(|k| k.code()).join(", ")
    ))
}

/// The mappings saved in the database.
pub fn saved_mappings(store: &Store) -> Result<Vec<Mapping>, String> {
    let saved = store
        .read()
        .and_then(|r| r.import_mappings())
        .map_err(|e| e.to_string())?;
    saved
        .iter()
        .map(|(_, json)| Mapping::from_json(json))
        .collect()
}

/// Saves a mapping under its name, on behalf of `actor` (replaces one of the same name).
pub fn save_mapping(store: &Store, actor: Id, mapping: &Mapping) -> Result<(), String> {
    let name = mapping.name.trim();
    if name.is_empty() {
        return Err("Dai un nome alla mappatura per salvarla".into());
    }
    let mut m = mapping.clone();
    m.name = name.to_string();
    let w = store.write(actor).map_err(|e| e.to_string())?;
    w.save_import_mapping(name, &m.to_json())
        .map_err(|e| e.to_string())?;
    w.commit().map_err(|e| e.to_string())
}
