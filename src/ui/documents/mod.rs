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

/// A file's size for the lists: kB under a megabyte, MB above ("613 byte", "12 kB",
/// "0,9 MB").
pub fn fmt_size(bytes: u64) -> String {
    use crate::domain::document::{MB, fmt_mb};
    if bytes < 1024 {
        format!("{bytes} byte")
    } else if bytes < MB {
        format!("{} kB", bytes.div_ceil(1024))
    } else {
        fmt_mb(bytes)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_well() {
        assert_eq!(super::fmt_size(613), "613 byte");
        assert_eq!(super::fmt_size(12 * 1024), "12 kB");
        assert_eq!(super::fmt_size(913_031), "892 kB");
        assert_eq!(super::fmt_size(15 * 1024 * 1024), "15 MB");
    }
}
