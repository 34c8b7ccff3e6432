//! Attached documents in the window (issue 15 part 3): previews of images and of the first
//! page of PDFs ([`preview`]), opening with the system's viewer through a temporary copy
//! that is removed afterwards ([`external`]), and files dropped on the window
//! ([`dropped`]); the attach form ([`attach`]), the «Documenti» section of the cartella
//! ([`section`]), what a screen does with a listed document ([`actions`]) and the size
//! limit in Impostazioni ([`limit`]).

pub mod actions;
pub mod attach;
pub mod dropped;
pub mod external;
pub mod limit;
pub mod preview;
pub mod section;
