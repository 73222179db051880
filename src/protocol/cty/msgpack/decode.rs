//! msgpack → Value, as go-cty `cty/msgpack.Unmarshal`, plus checks go-cty leaves out (trailing
//! bytes, duplicate object keys, nesting depth).

use std::collections::BTreeMap;

use super::reader::{Head, Reader};
use crate::protocol::cty::json::decode_type;
use crate::protocol::cty::value::dedupe_set_elements;
use crate::protocol::cty::{CodecError, Number, Type, Value};
use crate::protocol::path::AttributePath;

/// Deepest value nesting accepted. Schemas nest a handful of levels; the limit only stops
/// hostile input (dynamic values wrapping dynamic values) from exhausting the stack.
const MAX_DEPTH: usize = 128;
/// go-cty refuses refinement payloads larger than this.
const MAX_REFINEMENT_LEN: usize = 1024;
/// The extension type of an unknown value carrying refinements.
const REFINED_UNKNOWN_EXT: i8 = 12;

pub(super) struct Decoder<'a> {
    reader: Reader<'a>,
    depth: usize,
}

impl<'a> Decoder<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Decoder { reader: Reader::new(bytes), depth: 0 }
    }

    pub(super) fn remaining(&self) -> usize {
        self.reader.remaining()
    }

    pub(super) fn value(&mut self, ty: &Type, path: &AttributePath) -> Result<Value, CodecError> {
        if self.depth >= MAX_DEPTH {
            return Err(CodecError::at(path, format!("value nested deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let result = self.value_inner(ty, path);
        self.depth -= 1;
        result
    }

    fn value_inner(&mut self, ty: &Type, path: &AttributePath) -> Result<Value, CodecError> {
        let head = self.reader.head()?;
        if let Head::Ext { kind, data } = head {
            return unknown(kind, data, path);
        }
        if let Type::Dynamic = ty {
            return self.dynamic(head, path);
        }
        if let Head::Nil = head {
            return Ok(Value::Null);
        }
        let required = |what: &str| Err(CodecError::at(path, format!("{what} is required, got {}", head.describe())));
        match ty {
            Type::Dynamic => self.dynamic(head, path),
            Type::Bool => match head {
                Head::Bool(b) => Ok(Value::Bool(b)),
                _ => required("a bool"),
            },
            Type::String => match head {
                Head::Str(bytes) | Head::Bin(bytes) => utf8(bytes, path).map(|s| Value::String(s.to_string())),
                _ => required("a string"),
            },
            Type::Number => number(head, path).map(Value::Number),
            Type::List(et) | Type::Set(et) => {
                let Head::Array(len) = head else {
                    return required(if matches!(ty, Type::List(_)) { "a list" } else { "a set" });
                };
                let mut items = Vec::with_capacity(len.min(self.remaining()));
                for i in 0..len {
                    // Set elements cannot be addressed, so paths inside a set stop at the set.
                    let element_path = match ty {
                        Type::List(_) => path.clone().push_index(i as i64),
                        _ => path.clone(),
                    };
                    items.push(self.value(et, &element_path)?);
                }
                Ok(match ty {
                    Type::List(_) => Value::List(items),
                    _ => Value::Set(dedupe_set_elements(items)),
                })
            }
            Type::Tuple(ets) => {
                let Head::Array(len) = head else { return required("a tuple") };
                if len != ets.len() {
                    return Err(CodecError::at(
                        path,
                        format!("a tuple of length {} is required ({len} given)", ets.len()),
                    ));
                }
                let items = ets
                    .iter()
                    .enumerate()
                    .map(|(i, et)| self.value(et, &path.clone().push_index(i as i64)))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::Tuple(items))
            }
            Type::Map(et) => {
                let Head::Map(len) = head else { return required("a map") };
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let key = self.key(path)?;
                    let item = self.value(et, &path.clone().push_key(&key))?;
                    entries.insert(key, item);
                }
                Ok(Value::Map(entries))
            }
            Type::Object(attrs) => {
                let Head::Map(len) = head else { return required("an object") };
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let key = self.key(path)?;
                    let Some(aty) = attrs.get(&key) else {
                        return Err(CodecError::at(path, format!("unsupported attribute {key:?}")));
                    };
                    if entries.contains_key(&key) {
                        return Err(CodecError::at(path, format!("duplicate attribute {key:?}")));
                    }
                    let item = self.value(aty, &path.clone().push_attr(&key))?;
                    entries.insert(key, item);
                }
                if let Some(missing) = attrs.keys().find(|k| !entries.contains_key(*k)) {
                    return Err(CodecError::at(
                        path,
                        format!(
                            "missing attribute {missing:?} (an object with {} attributes is required, {len} given)",
                            attrs.len()
                        ),
                    ));
                }
                Ok(Value::Object(entries))
            }
        }
    }

    fn key(&mut self, path: &AttributePath) -> Result<String, CodecError> {
        match self.reader.head()? {
            Head::Str(bytes) | Head::Bin(bytes) => utf8(bytes, path).map(str::to_string),
            other => Err(CodecError::at(path, format!("all keys must be strings, got {}", other.describe()))),
        }
    }

    /// A `dynamic` slot: nil is an untyped null, otherwise `[type JSON, value]`.
    fn dynamic(&mut self, head: Head<'a>, path: &AttributePath) -> Result<Value, CodecError> {
        match head {
            Head::Nil => Ok(Value::Null),
            Head::Array(2) => {
                let type_json = match self.reader.head()? {
                    Head::Bin(bytes) | Head::Str(bytes) => bytes,
                    other => {
                        return Err(CodecError::at(
                            path,
                            format!("a dynamic value's type must be bytes, got {}", other.describe()),
                        ));
                    }
                };
                let ty = decode_type(type_json).map_err(|e| CodecError::at(path, e.to_string()))?;
                let value = self.value(&ty, path)?;
                Ok(match ty {
                    Type::Dynamic => value,
                    ty => Value::Dynamic(ty, Box::new(value)),
                })
            }
            Head::Array(_) => Err(CodecError::at(path, "dynamic value array must have exactly two elements")),
            other => Err(CodecError::at(path, format!("a dynamic value is required, got {}", other.describe()))),
        }
    }
}

/// Any extension is an unknown. A payload of more than one byte must be a refinement map (type
/// 12, at most 1 KiB); refinements are accepted and dropped (tfplugin5.md §6.5).
fn unknown(kind: i8, data: &[u8], path: &AttributePath) -> Result<Value, CodecError> {
    if data.len() <= 1 {
        return Ok(Value::Unknown);
    }
    if kind != REFINED_UNKNOWN_EXT {
        return Err(CodecError::at(
            path,
            format!("unsupported extension type 0x{:02x} with len {}", kind as u8, data.len()),
        ));
    }
    if data.len() > MAX_REFINEMENT_LEN {
        return Err(CodecError::at(path, "oversize unknown value refinement"));
    }
    match Reader::new(data).head() {
        Ok(Head::Map(_) | Head::Nil) => Ok(Value::Unknown),
        _ => Err(CodecError::at(path, "failed to decode msgpack extension body: not a map")),
    }
}

fn utf8<'b>(bytes: &'b [u8], path: &AttributePath) -> Result<&'b str, CodecError> {
    std::str::from_utf8(bytes).map_err(|_| CodecError::at(path, "string is not valid UTF-8"))
}

/// Integers of any width, float32, float64 and numeric strings (`"0.1"`, `"1e3"`). Floats keep
/// their exact binary value so that they encode back to the same float.
fn number(head: Head<'_>, path: &AttributePath) -> Result<Number, CodecError> {
    let number = match head {
        Head::Uint(u) => Some(Number::from(u)),
        Head::Int(i) => Some(Number::from(i)),
        Head::Float32(f) => Number::from_f64_exact(f64::from(f)),
        Head::Float64(f) => Number::from_f64_exact(f),
        Head::Str(bytes) | Head::Bin(bytes) => Number::parse(utf8(bytes, path)?),
        other => return Err(CodecError::at(path, format!("a number is required, got {}", other.describe()))),
    };
    number.ok_or_else(|| CodecError::at(path, "a number is required (got NaN or an invalid number string)"))
}
