//! Record identifiers: UUIDv7, time-ordered, so databases of two desks can later be merged.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The identifier of any record (UUIDv7 stored as a big-endian `u128`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(pub u128);

impl Id {
    /// A fresh UUIDv7 identifier.
    pub fn new() -> Self {
        Id(uuid::Uuid::now_v7().as_u128())
    }

    /// A UUIDv7 whose timestamp and random bits are given (deterministic demo data, tests).
    pub fn from_parts(unix_millis: u64, random: u128) -> Self {
        let ts = (unix_millis as u128 & 0xFFFF_FFFF_FFFF) << 80;
        let ver = 0x7u128 << 76;
        let rand_a = (random & 0xFFF) << 64;
        let var = 0b10u128 << 62;
        let rand_b = (random >> 12) & 0x3FFF_FFFF_FFFF_FFFF;
        Id(ts | ver | rand_a | var | rand_b)
    }

    /// The nil identifier, used only as "none" in fixed-width keys.
    pub const NIL: Id = Id(0);

    /// The canonical hyphenated text form.
    pub fn to_uuid(self) -> uuid::Uuid {
        uuid::Uuid::from_u128(self.0)
    }

    /// Parses the hyphenated (or simple) text form.
    pub fn parse(s: &str) -> Option<Id> {
        uuid::Uuid::parse_str(s.trim())
            .ok()
            .map(|u| Id(u.as_u128()))
    }

    /// The first 8 hex digits, enough to tell records apart on screen.
    pub fn short(self) -> String {
        self.to_uuid().simple().to_string()[..8].to_string()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_uuid().hyphenated())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.short())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Text in JSON; 16 raw bytes in postcard (a varint u128 would take up to 19).
        if s.is_human_readable() {
            self.to_string().serialize(s)
        } else {
            self.0.to_be_bytes().serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Id::parse(&s).ok_or_else(|| serde::de::Error::custom("identificativo non valido"))
        } else {
            <[u8; 16]>::deserialize(d).map(|b| Id(u128::from_be_bytes(b)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_ordered() {
        let a = Id::new();
        let b = Id::new();
        assert_eq!(a.to_uuid().get_version_num(), 7);
        assert!(a < b);
        assert_eq!(Id::parse(&a.to_string()), Some(a));
        let c = Id::from_parts(1_700_000_000_000, 12345);
        assert_eq!(c.to_uuid().get_version_num(), 7);
    }
}
