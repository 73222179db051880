//! Values as JSON, as go-cty `cty/json` reads and writes them. Only `RawState.json` uses this:
//! Terraform never sends `DynamicValue.json` and providers always answer msgpack.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::go_string::write_go_json_string;
use super::type_json::{type_from_json, write_type};
use crate::protocol::cty::value::dedupe_set_elements;
use crate::protocol::cty::{CodecError, Number, Type, Value};
use crate::protocol::path::AttributePath;

/// Decodes state JSON as a value of type `ty`, as leniently as go-cty: missing object attributes
/// are null, numbers may be strings, bools may be `"true"`/`"false"` (or `"1"`/`"0"`), strings may
/// be numbers or bools; numbers are exact (no f64 on the way). Attributes the type lacks are an
/// error, as in go-cty: a state upgrader should decode old state with the old schema's type.
pub fn decode_value(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let root = AttributePath::root();
    // serde_json keeps number text as written (arbitrary_precision) and limits nesting to 128.
    let json: Json = serde_json::from_slice(bytes).map_err(|e| CodecError::at(&root, format!("invalid JSON: {e}")))?;
    from_json(&json, ty, &root)
}

fn from_json(json: &Json, ty: &Type, path: &AttributePath) -> Result<Value, CodecError> {
    if json.is_null() {
        return Ok(Value::Null);
    }
    let required = |what: &str| Err(CodecError::at(path, format!("{what} is required")));
    match ty {
        Type::Dynamic => dynamic_from_json(json, path),
        Type::String => match json {
            Json::String(s) => Ok(Value::String(s.clone())),
            Json::Number(n) => Ok(Value::String(n.to_string())),
            Json::Bool(b) => Ok(Value::String(b.to_string())),
            _ => required("a string"),
        },
        Type::Number => {
            let text = match json {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.clone(),
                _ => return required("a number"),
            };
            Number::parse(&text).map(Value::Number).ok_or_else(|| CodecError::at(path, "a number is required"))
        }
        Type::Bool => match json {
            Json::Bool(b) => Ok(Value::Bool(*b)),
            Json::String(s) => match s.as_str() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                other if other.eq_ignore_ascii_case("true") || other.eq_ignore_ascii_case("false") => {
                    Err(CodecError::at(
                        path,
                        format!("a bool is required; to convert from string, use lowercase {:?}", other.to_lowercase()),
                    ))
                }
                _ => required("a bool"),
            },
            _ => required("a bool"),
        },
        Type::List(et) | Type::Set(et) => {
            let Json::Array(items) = json else {
                return required(if matches!(ty, Type::List(_)) { "a list" } else { "a set" });
            };
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| from_json(item, et, &element_path(ty, path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) { Value::List(values) } else { Value::Set(dedupe_set_elements(values)) })
        }
        Type::Map(et) => {
            let Json::Object(members) = json else { return required("a map") };
            let values = members
                .iter()
                .map(|(k, v)| Ok((k.clone(), from_json(v, et, &path.clone().push_key(k))?)))
                .collect::<Result<BTreeMap<_, _>, CodecError>>()?;
            Ok(Value::Map(values))
        }
        Type::Tuple(ets) => {
            let Json::Array(items) = json else { return required("a tuple") };
            if items.len() != ets.len() {
                let which = if items.len() > ets.len() { "too many" } else { "not enough" };
                return Err(CodecError::at(path, format!("{which} tuple elements (need {})", ets.len())));
            }
            let values = items
                .iter()
                .zip(ets)
                .enumerate()
                .map(|(i, (item, et))| from_json(item, et, &path.clone().push_index(i as i64)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(values))
        }
        Type::Object(attrs) => {
            let Json::Object(members) = json else { return required("an object") };
            if let Some(extra) = members.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::at(path, format!("unsupported attribute {extra:?}")));
            }
            let values = attrs
                .iter()
                .map(|(name, aty)| {
                    let v = match members.get(name) {
                        Some(member) => from_json(member, aty, &path.clone().push_attr(name))?,
                        None => Value::Null,
                    };
                    Ok((name.clone(), v))
                })
                .collect::<Result<BTreeMap<_, _>, CodecError>>()?;
            Ok(Value::Object(values))
        }
    }
}

/// Set elements cannot be addressed, so paths inside a set stop at the set.
fn element_path(ty: &Type, path: &AttributePath, index: usize) -> AttributePath {
    match ty {
        Type::Set(_) => path.clone(),
        _ => path.clone().push_index(index as i64),
    }
}

fn dynamic_from_json(json: &Json, path: &AttributePath) -> Result<Value, CodecError> {
    let Json::Object(members) = json else {
        return Err(CodecError::at(path, "a dynamic value must be an object with \"value\" and \"type\""));
    };
    let mut ty = None;
    let mut body = None;
    for (key, member) in members {
        match key.as_str() {
            "type" => ty = Some(type_from_json(member).map_err(|e| CodecError::at(path, e.to_string()))?),
            "value" => body = Some(member),
            other => return Err(CodecError::at(path, format!("invalid key {other:?} in dynamically-typed value"))),
        }
    }
    let ty = ty.ok_or_else(|| CodecError::at(path, "missing type in dynamically-typed value"))?;
    let body = body.ok_or_else(|| CodecError::at(path, "missing value in dynamically-typed value"))?;
    let value = from_json(body, &ty, path)?;
    Ok(match ty {
        Type::Dynamic => value,
        ty => Value::Dynamic(ty, Box::new(value)),
    })
}

/// Encodes a wholly known value as JSON of type `ty`, byte for byte as go-cty: object attributes
/// and map keys sorted, attributes the value omits written as `null`, numbers as plain decimals,
/// dynamic values as `{"value":..,"type":..}`. Unknowns and infinities cannot be JSON: error.
pub fn encode_value(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    write_value(&mut out, value, ty, &AttributePath::root())?;
    Ok(out)
}

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type, path: &AttributePath) -> Result<(), CodecError> {
    if value.is_unknown() {
        return Err(CodecError::at(path, "value is not known"));
    }
    if let Type::Dynamic = ty {
        let (inner_ty, inner) = match value {
            Value::Null => {
                out.extend_from_slice(b"null");
                return Ok(());
            }
            Value::Dynamic(Type::Dynamic, _) => {
                return Err(CodecError::at(path, "a dynamic value must carry a concrete type"));
            }
            Value::Dynamic(inner_ty, inner) => (inner_ty.clone(), inner.as_ref()),
            other => match other.primitive_type() {
                Some(t) => (t, other),
                None => {
                    return Err(CodecError::at(
                        path,
                        format!("a {} in a dynamic slot must carry its type", other.kind_name()),
                    ));
                }
            },
        };
        out.extend_from_slice(br#"{"value":"#);
        write_value(out, inner, &inner_ty, path)?;
        out.extend_from_slice(br#","type":"#);
        write_type(out, &inner_ty);
        out.push(b'}');
        return Ok(());
    }
    let mismatch =
        || Err(CodecError::at(path, format!("a {} is required, got a {}", ty.friendly_name(), value.kind_name())));
    match (ty, value) {
        (_, Value::Null) => out.extend_from_slice(b"null"),
        (_, Value::Dynamic(inner_ty, inner)) if inner_ty == ty => write_value(out, inner, ty, path)?,
        (Type::String, Value::String(s)) => write_go_json_string(out, s),
        (Type::Number, Value::Number(n)) => match n {
            Number::Finite(_) => out.extend_from_slice(n.to_string().as_bytes()),
            _ => return Err(CodecError::at(path, "cannot serialize infinity as JSON")),
        },
        (Type::Bool, Value::Bool(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        (Type::List(et), Value::List(items)) | (Type::Set(et), Value::Set(items)) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item, et, &element_path(ty, path, i))?;
            }
            out.push(b']');
        }
        (Type::Tuple(ets), Value::Tuple(items)) => {
            if ets.len() != items.len() {
                return Err(CodecError::at(path, format!("a tuple of {} elements is required", ets.len())));
            }
            out.push(b'[');
            for (i, (item, et)) in items.iter().zip(ets).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item, et, &path.clone().push_index(i as i64))?;
            }
            out.push(b']');
        }
        (Type::Map(et), Value::Map(m)) => {
            out.push(b'{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_go_json_string(out, k);
                out.push(b':');
                write_value(out, v, et, &path.clone().push_key(k))?;
            }
            out.push(b'}');
        }
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::at(path, format!("unsupported attribute {extra:?}")));
            }
            out.push(b'{');
            for (i, (name, aty)) in attrs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_go_json_string(out, name);
                out.push(b':');
                write_value(out, m.get(name).unwrap_or(&Value::Null), aty, &path.clone().push_attr(name))?;
            }
            out.push(b'}');
        }
        _ => return mismatch(),
    }
    Ok(())
}

#[cfg(test)]
mod tests;
