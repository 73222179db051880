//! Value → msgpack, as go-cty `cty/msgpack.Marshal`.

use super::writer::*;
use crate::protocol::cty::json::encode_type;
use crate::protocol::cty::value::dedupe_set_elements;
use crate::protocol::cty::{CodecError, Number, Type, Value};
use crate::protocol::path::AttributePath;

pub(super) fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type, path: &AttributePath) -> Result<(), CodecError> {
    if let Type::Dynamic = ty {
        return write_dynamic(out, value, path);
    }
    match value {
        Value::Unknown => {
            out.extend_from_slice(&UNKNOWN);
            return Ok(());
        }
        Value::Null => {
            write_nil(out);
            return Ok(());
        }
        // A wrapper whose type is the slot's own type adds nothing: encode what it holds.
        Value::Dynamic(inner_ty, inner) if inner_ty == ty => return write_value(out, inner, ty, path),
        _ => {}
    }
    match (ty, value) {
        (Type::String, Value::String(s)) => write_str(out, s),
        (Type::Number, Value::Number(n)) => write_number(out, n),
        (Type::Bool, Value::Bool(b)) => {
            write_bool(out, *b);
            Ok(())
        }
        (Type::List(et), Value::List(items)) => {
            write_array_len(out, items.len())?;
            for (i, item) in items.iter().enumerate() {
                write_value(out, item, et, &path.clone().push_index(i as i64))?;
            }
            Ok(())
        }
        (Type::Set(et), Value::Set(items)) => {
            // Terraform's decoder would merge duplicates; send the set it will see.
            let items = dedupe_set_elements(items.clone());
            write_array_len(out, items.len())?;
            items.iter().try_for_each(|item| write_value(out, item, et, path))
        }
        (Type::Tuple(ets), Value::Tuple(items)) => {
            if ets.len() != items.len() {
                return Err(CodecError::at(
                    path,
                    format!("a tuple of {} elements is required, got {}", ets.len(), items.len()),
                ));
            }
            write_array_len(out, items.len())?;
            for (i, (item, et)) in items.iter().zip(ets).enumerate() {
                write_value(out, item, et, &path.clone().push_index(i as i64))?;
            }
            Ok(())
        }
        (Type::Map(et), Value::Map(entries)) => {
            write_map_len(out, entries.len())?;
            for (key, item) in entries {
                write_str(out, key)?;
                write_value(out, item, et, &path.clone().push_key(key))?;
            }
            Ok(())
        }
        (Type::Object(attrs), Value::Object(entries)) => {
            if let Some(extra) = entries.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::at(path, format!("unsupported attribute {extra:?}")));
            }
            // Every attribute of the type, sorted; one the value leaves out is null.
            write_map_len(out, attrs.len())?;
            for (name, aty) in attrs {
                write_str(out, name)?;
                write_value(out, entries.get(name).unwrap_or(&Value::Null), aty, &path.clone().push_attr(name))?;
            }
            Ok(())
        }
        (ty, value) => {
            Err(CodecError::at(path, format!("a {} is required, got a {}", ty.friendly_name(), value.kind_name())))
        }
    }
}

/// A `dynamic` slot: `[bin(type JSON), value]`, except an untyped null (bare nil) and a wholly
/// unknown value (bare unknown). Bare primitives get their obvious type.
fn write_dynamic(out: &mut Vec<u8>, value: &Value, path: &AttributePath) -> Result<(), CodecError> {
    let (ty, inner) = match value {
        Value::Null => {
            write_nil(out);
            return Ok(());
        }
        Value::Unknown => {
            out.extend_from_slice(&UNKNOWN);
            return Ok(());
        }
        Value::Dynamic(Type::Dynamic, inner) => return write_dynamic(out, inner, path),
        Value::Dynamic(ty, inner) => (ty.clone(), inner.as_ref()),
        other => match other.primitive_type() {
            Some(ty) => (ty, other),
            None => {
                return Err(CodecError::at(
                    path,
                    format!("a {} in a dynamic slot must be wrapped with its type (Value::Dynamic)", other.kind_name()),
                ));
            }
        },
    };
    write_array_len(out, 2)?;
    write_bin(out, &encode_type(&ty))?;
    write_value(out, inner, &ty, path)
}

/// go-cty (Terraform 1.11.4, checked by capturing its bytes) writes a number as an integer when
/// it is an integer within i64; else as float64 when it is a *non-integer* an f64 holds exactly;
/// else as `Text('f', -1)`, the plain decimal string. So 1.5 → `cb3ff8…`; 0.1 (an HCL 512-bit
/// value, and for us an exact decimal, neither of which is an f64) → `"0.1"`; 2^63, 1e20 and
/// u64::MAX → decimal strings even though an f64 or uint64 could hold some of them. Our numbers
/// are exact decimals, so "an f64 holds it exactly" is a plain equality test, and a float64
/// received from Terraform (decoded to its exact expansion) goes back out as the same float64.
fn write_number(out: &mut Vec<u8>, n: &Number) -> Result<(), CodecError> {
    match n {
        Number::PosInfinity => write_f64(out, f64::INFINITY),
        Number::NegInfinity => write_f64(out, f64::NEG_INFINITY),
        Number::Finite(_) => {
            if let Some(i) = n.to_i64() {
                write_int(out, i);
            } else if let Some(f) = (!n.is_integer()).then(|| n.to_exact_f64()).flatten() {
                write_f64(out, f);
            } else {
                write_str(out, &n.to_string())?;
            }
        }
    }
    Ok(())
}
