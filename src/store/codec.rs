//! Versioned record envelopes encoded with postcard.
//!
//! Every stored value is `Envelope::V1(record)`: the variant index (a varint) comes first,
//! so a later version adds `V2` and keeps decoding `V1` bytes. Golden byte fixtures in the
//! tests keep the format from drifting.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// The envelope as written: borrowed, to avoid cloning the record.
#[derive(Serialize)]
enum EnvelopeRef<'a, T> {
    V1(&'a T),
}

/// The envelope as read.
#[derive(serde::Deserialize)]
enum Envelope<T> {
    V1(T),
}

/// A stored value that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record illeggibile: {}", self.0)
    }
}

impl std::error::Error for CodecError {}

/// The largest stored value (an encoded record, a year's published figures): the store
/// refuses to write more, and a backup reader accepts up to this much per record, so
/// every record the store holds fits in a backup that restores. 256 MiB is about thirty
/// times the published year of the city-scale demo.
pub const MAX_RECORD_BYTES: usize = 256 << 20;

/// Encodes a record in the current envelope version.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(&EnvelopeRef::V1(value))
        .expect("postcard encoding into a Vec cannot fail")
}

/// Decodes the first fields of a record (`T` a prefix of its fields, in order), leaving
/// the rest unread: a quick look before decoding the whole record.
pub fn decode_head<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (env, _): (Envelope<T>, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|e| CodecError(e.to_string()))?;
    match env {
        Envelope::V1(v) => Ok(v),
    }
}

/// Decodes a record from any known envelope version; trailing bytes are an error.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (env, rest): (Envelope<T>, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|e| CodecError(e.to_string()))?;
    if !rest.is_empty() {
        return Err(CodecError(format!("{} byte in eccesso", rest.len())));
    }
    match env {
        Envelope::V1(v) => Ok(v),
    }
}
