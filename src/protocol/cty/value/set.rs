//! Set element identity: sets hold no two equal known elements (go-cty drops duplicates when
//! decoding). Elements containing unknowns are never merged, as cty cannot prove them equal.

use std::collections::HashSet;

use super::Value;
use crate::protocol::cty::json::encode_type;

/// Drops later duplicates of wholly known elements, keeping the first occurrence in order.
pub(crate) fn dedupe_set_elements(elements: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    elements
        .into_iter()
        .filter(|element| match canonical_key(element) {
            Some(key) => seen.insert(key),
            None => true,
        })
        .collect()
}

/// An unambiguous byte key such that two wholly known values are equal exactly when their keys
/// are; `None` when the value contains an unknown.
fn canonical_key(value: &Value) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write_key(&mut out, value).then_some(out)
}

fn write_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_len(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn write_key(out: &mut Vec<u8>, value: &Value) -> bool {
    match value {
        Value::Unknown => false,
        Value::Null => {
            out.push(0);
            true
        }
        Value::Bool(b) => {
            out.extend_from_slice(&[1, u8::from(*b)]);
            true
        }
        // Display is the normalized exact decimal, so equal numbers print alike.
        Value::Number(n) => {
            out.push(2);
            write_bytes(out, n.to_string().as_bytes());
            true
        }
        Value::String(s) => {
            out.push(3);
            write_bytes(out, s.as_bytes());
            true
        }
        Value::List(items) | Value::Tuple(items) => {
            out.push(if matches!(value, Value::List(_)) { 4 } else { 5 });
            write_len(out, items.len());
            items.iter().all(|item| write_key(out, item))
        }
        Value::Set(items) => {
            let Some(mut keys) = items.iter().map(canonical_key).collect::<Option<Vec<_>>>() else {
                return false;
            };
            keys.sort();
            keys.dedup();
            out.push(6);
            write_len(out, keys.len());
            keys.iter().for_each(|k| write_bytes(out, k));
            true
        }
        Value::Map(m) | Value::Object(m) => {
            out.push(if matches!(value, Value::Map(_)) { 7 } else { 8 });
            write_len(out, m.len());
            m.iter().all(|(k, v)| {
                write_bytes(out, k.as_bytes());
                write_key(out, v)
            })
        }
        Value::Dynamic(ty, inner) => {
            out.push(9);
            write_bytes(out, &encode_type(ty));
            write_key(out, inner)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Number;

    #[test]
    fn drops_equal_known_elements_only() {
        let one_point_five = Number::parse("1.50").map(Value::Number).unwrap_or(Value::Null);
        let elements = vec![
            Value::string("a"),
            Value::number(1),
            Value::string("a"),
            Value::Unknown,
            Value::Unknown,
            Number::parse("1.5").map(Value::Number).unwrap_or(Value::Null),
            one_point_five,
            Value::List(vec![Value::Unknown]),
            Value::List(vec![Value::Unknown]),
            Value::Set(vec![Value::string("x"), Value::string("y")]),
            Value::Set(vec![Value::string("y"), Value::string("x")]),
            Value::Null,
            Value::Null,
        ];
        let deduped = dedupe_set_elements(elements);
        assert_eq!(deduped.len(), 9, "{deduped:?}");
        assert_eq!(deduped[0], Value::string("a"));
        assert_eq!(deduped[1], Value::number(1));
        assert!(matches!(deduped[2], Value::Unknown) && matches!(deduped[3], Value::Unknown));
    }

    #[test]
    fn keys_do_not_collide_across_shapes() {
        let a = canonical_key(&Value::List(vec![Value::string("ab")]));
        let b = canonical_key(&Value::List(vec![Value::string("a"), Value::string("b")]));
        let c = canonical_key(&Value::Tuple(vec![Value::string("ab")]));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_ne!(canonical_key(&Value::string("1")), canonical_key(&Value::number(1)));
    }
}
