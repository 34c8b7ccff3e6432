//! The city scale: 200,000 people and 2,000,000 contacts over 2016–2025.

use super::{DemoError, Progress, Summary};
use crate::store::Store;

/// Generates the city-scale demo.
pub fn generate(_store: &Store, _seed: u64, _progress: Progress<'_>) -> Result<Summary, DemoError> {
    Err(DemoError::Mismatch("city: da implementare".into()))
}
