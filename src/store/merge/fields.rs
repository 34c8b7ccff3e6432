//! A record as named fields (its JSON form), and the three-way decision for each field
//! between this desk's copy and another desk's.

use super::tracking::{Dot, Tracking};
use crate::domain::{EntityKind, Id};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A record's top-level fields by name.
pub type Fields = serde_json::Map<String, Value>;

/// The fields of a record (empty if it cannot be represented, which no record type does).
pub fn fields_of<E: Serialize>(rec: &E) -> Fields {
    match serde_json::to_value(rec) {
        Ok(Value::Object(m)) => m,
        _ => Fields::new(),
    }
}

/// The record made of `fields`.
pub fn from_fields<E: DeserializeOwned>(fields: Fields) -> Result<E, String> {
    serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())
}

/// How the operator decides a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Choice {
    /// Keep this desk's value.
    Local,
    /// Take the other desk's value.
    Incoming,
    /// Keep both (texts joined, lists united), where it makes sense.
    Both,
}

impl Choice {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Choice::Local => "tieni questo",
            Choice::Incoming => "prendi l'altro",
            Choice::Both => "tieni entrambi",
        }
    }
}

/// One field changed differently here and at the other desk since they last had it in
/// common.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The kind of record.
    pub kind: EntityKind,
    /// The record (its id in this database).
    pub id: Id,
    /// The field.
    pub field: String,
    /// This desk's value.
    pub local: Value,
    /// The other desk's value.
    pub incoming: Value,
    /// Both kept, when that makes sense (notes, lists).
    pub both: Option<Value>,
    /// How it was decided (`None`: still to decide).
    pub choice: Option<Choice>,
}

/// A field value for people: texts as they are, numbers, "sì"/"no", "—" for nothing,
/// anything else in compact JSON.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "sì".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The separator between the two texts when both are kept.
pub const BOTH_SEPARATOR: &str = "\n— dall'altro sportello —\n";

/// Both values kept, when that makes sense: two texts joined, two lists united.
pub fn keep_both(local: &Value, incoming: &Value) -> Option<Value> {
    match (local, incoming) {
        (Value::String(a), Value::String(b)) => Some(Value::String(if a.is_empty() {
            b.clone()
        } else if b.is_empty() || a.contains(b.as_str()) {
            a.clone()
        } else if b.contains(a.as_str()) {
            b.clone()
        } else {
            format!("{a}{BOTH_SEPARATOR}{b}")
        })),
        (Value::Array(a), Value::Array(b)) => {
            let mut out = a.clone();
            for v in b {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Some(Value::Array(out))
        }
        _ => None,
    }
}

/// The outcome of comparing two copies of a record field by field.
#[derive(Debug, Clone)]
pub struct FieldMerge {
    /// The fields the record ends with.
    pub merged: Fields,
    /// Its history afterwards.
    pub tracking: Tracking,
    /// Fields changed only at the other desk, taken.
    pub taken: Vec<String>,
    /// Fields changed on both sides (decided or not).
    pub conflicts: Vec<Conflict>,
}

/// Compares this desk's copy (`local`, history `lt`) with the other desk's (`incoming`,
/// history `it`) field by field: a field changed on one side only is taken from that side;
/// changed differently on both is a conflict, decided by `decide` (when it says nothing,
/// this desk's value stays and the conflict is reported as undecided). A decided conflict
/// is a new change made here (`dot`), so the other desk takes the decision in turn.
#[allow(clippy::too_many_arguments)]
pub fn three_way(
    kind: EntityKind,
    id: Id,
    local: &Fields,
    lt: &Tracking,
    incoming: &Fields,
    it: &Tracking,
    decide: &dyn Fn(EntityKind, Id, &str) -> Option<Choice>,
    dot: Dot,
) -> FieldMerge {
    let mut tracking = lt.clone();
    tracking.join_seen(it);
    let mut merged = Fields::new();
    let mut taken = Vec::new();
    let mut conflicts = Vec::new();
    let mut names: Vec<&String> = local.keys().chain(incoming.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let vl = local.get(name).cloned().unwrap_or(Value::Null);
        let vi = incoming.get(name).cloned().unwrap_or(Value::Null);
        let (dl, di) = (lt.dot(name), it.dot(name));
        let local_knows = lt.has_seen(di);
        let incoming_knows = it.has_seen(dl);
        if vl == vi {
            let d = if local_knows {
                dl
            } else if incoming_knows {
                di
            } else {
                dl.max(di)
            };
            tracking.set_dot(name, d);
            merged.insert(name.clone(), vl);
        } else if dl != di && local_knows && !incoming_knows {
            tracking.set_dot(name, dl);
            merged.insert(name.clone(), vl);
        } else if dl != di && incoming_knows && !local_knows {
            tracking.set_dot(name, di);
            merged.insert(name.clone(), vi);
            taken.push(name.clone());
        } else {
            let both = keep_both(&vl, &vi);
            let choice = decide(kind, id, name).filter(|c| *c != Choice::Both || both.is_some());
            let value = match choice {
                Some(Choice::Incoming) => vi.clone(),
                Some(Choice::Both) => both.clone().unwrap_or_else(|| vl.clone()),
                Some(Choice::Local) | None => vl.clone(),
            };
            if choice.is_some() {
                tracking.set_dot(name, Some(dot));
            } else {
                tracking.set_dot(name, dl);
            }
            merged.insert(name.clone(), value);
            conflicts.push(Conflict {
                kind,
                id,
                field: name.clone(),
                local: vl,
                incoming: vi,
                both,
                choice,
            });
        }
    }
    FieldMerge {
        merged,
        tracking,
        taken,
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dot(r: u128, c: u64) -> Dot {
        Dot {
            replica: Id(r),
            counter: c,
        }
    }

    fn obj(v: Value) -> Fields {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn one_side_changes_are_taken_and_both_sides_are_conflicts() {
        let local = obj(json!({"a": 1, "b": 2, "c": 3}));
        let incoming = obj(json!({"a": 10, "b": 2, "c": 30}));
        let mut lt = Tracking::default();
        lt.set_dot("c", Some(dot(1, 1)));
        let mut it = Tracking::default();
        it.set_dot("a", Some(dot(2, 1)));
        it.set_dot("c", Some(dot(2, 1)));
        let m = three_way(
            EntityKind::Person,
            Id(9),
            &local,
            &lt,
            &incoming,
            &it,
            &|_, _, _| None,
            dot(1, 2),
        );
        assert_eq!(m.merged["a"], json!(10));
        assert_eq!(m.merged["c"], json!(3));
        assert_eq!(m.taken, vec!["a".to_string()]);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].field, "c");
        assert!(m.tracking.has_seen(Some(dot(2, 1))));
    }

    #[test]
    fn old_news_is_not_a_conflict() {
        let local = obj(json!({"a": 5}));
        let incoming = obj(json!({"a": 4}));
        let mut lt = Tracking::default();
        lt.set_dot("a", Some(dot(2, 1)));
        lt.set_dot("a", Some(dot(1, 7)));
        let mut it = Tracking::default();
        it.set_dot("a", Some(dot(2, 1)));
        let m = three_way(
            EntityKind::Person,
            Id(9),
            &local,
            &lt,
            &incoming,
            &it,
            &|_, _, _| None,
            dot(1, 8),
        );
        assert_eq!(m.merged["a"], json!(5));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn both_joins_texts_and_unites_lists() {
        assert_eq!(
            keep_both(&json!("uno"), &json!("due")),
            Some(json!(format!("uno{BOTH_SEPARATOR}due")))
        );
        assert_eq!(
            keep_both(&json!([1, 2]), &json!([2, 3])),
            Some(json!([1, 2, 3]))
        );
        assert_eq!(keep_both(&json!(1), &json!(2)), None);
    }
}
