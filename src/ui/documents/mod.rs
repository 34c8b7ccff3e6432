//! Attached documents in the window (issue 15 part 3): previews of images and of the first
//! page of PDFs ([`preview`]), opening with the system's viewer through a temporary copy
//! that is removed afterwards ([`external`]), and files dropped on the window
//! ([`dropped`]).

pub mod dropped;
pub mod external;
pub mod preview;
