//! Accoglienza: a desktop case tracker for the social reception service of an Italian
//! social cooperative. Layers: [`domain`] → [`store`] → [`stats`] → `ui`. Accounts and
//! permissions: [`access`] (enforced by the store).

pub mod cli;
pub use store::access;
pub mod demo;
pub mod domain;
pub mod import;
pub mod print;
pub mod stats;
pub mod store;
pub mod ui;
