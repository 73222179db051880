//! Schema-driven fix-ups of values a resource hands back, so that what the engine sends always has
//! the shape Terraform checks: every attribute present, write-only attributes null, nested block
//! collections empty rather than null, no unknowns in state.

use crate::protocol::diagnostics::excerpt;
use std::collections::BTreeMap;

use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::NestingMode;
use crate::protocol::{AttributePath, Diagnostic};

use super::cursor::PathCursor;
use super::schema::BlockSchema;

/// Reshapes `value` to type `ty`: objects get exactly the type's attributes (missing ones null,
/// extra ones dropped), lists/sets/maps are re-tagged to the declared kind. Any other mismatch is
/// a provider bug reported on the attribute.
pub(crate) fn conform(value: Value, ty: &Type) -> Result<Value, Diagnostic> {
    conform_at(value, ty, &PathCursor::root()).map_err(|(path, expected)| {
        Diagnostic::error(
            "Provider produced a value of the wrong type",
            format!(
                "The provider built a value that is not {expected}. This is a bug in the provider: please report it \
                 with the resource type and the operation you ran."
            ),
        )
        .with_attribute(path)
    })
}

fn conform_at(value: Value, ty: &Type, at: &PathCursor) -> Result<Value, (AttributePath, String)> {
    let mismatch = |what: &str| Err((at.path(), what.to_string()));
    if matches!(value, Value::Null | Value::Unknown) {
        return Ok(value);
    }
    match ty {
        Type::Dynamic => match value {
            // The codec infers the type of a bare primitive in a dynamic slot.
            Value::Dynamic(..) | Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(value),
            _ => mismatch("a typed value for a dynamic attribute"),
        },
        Type::String => match value {
            Value::String(_) => Ok(value),
            _ => mismatch("a string"),
        },
        Type::Number => match value {
            Value::Number(_) => Ok(value),
            _ => mismatch("a number"),
        },
        Type::Bool => match value {
            Value::Bool(_) => Ok(value),
            _ => mismatch("a bool"),
        },
        Type::List(elem) => match value {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Ok(Value::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| conform_at(v, elem, &at.index(i)))
                    .collect::<Result<_, _>>()?,
            )),
            _ => mismatch("a list"),
        },
        Type::Set(elem) => match value {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                let inner = at.set_element();
                let mut out: Vec<Value> = Vec::with_capacity(items.len());
                for v in items {
                    let v = conform_at(v, elem, &inner)?;
                    // Elements holding unknowns are never merged: cty cannot prove them equal.
                    if !v.is_wholly_known() || !out.contains(&v) {
                        out.push(v);
                    }
                }
                Ok(Value::Set(out))
            }
            _ => mismatch("a set"),
        },
        Type::Map(elem) => match value {
            Value::Map(m) | Value::Object(m) => Ok(Value::Map(
                m.into_iter()
                    .map(|(k, v)| {
                        let v = conform_at(v, elem, &at.key(&k))?;
                        Ok((k, v))
                    })
                    .collect::<Result<_, _>>()?,
            )),
            _ => mismatch("a map"),
        },
        Type::Object(attrs) => match value {
            Value::Object(mut m) => {
                let mut out = BTreeMap::new();
                for (name, aty) in attrs {
                    let v = m.remove(name).unwrap_or(Value::Null);
                    out.insert(name.clone(), conform_at(v, aty, &at.attr(name))?);
                }
                Ok(Value::Object(out))
            }
            _ => mismatch("an object"),
        },
        Type::Tuple(elems) => match value {
            Value::Tuple(items) | Value::List(items) if items.len() == elems.len() => Ok(Value::Tuple(
                items
                    .into_iter()
                    .zip(elems)
                    .enumerate()
                    .map(|(i, (v, t))| conform_at(v, t, &at.index(i)))
                    .collect::<Result<_, _>>()?,
            )),
            _ => mismatch("a tuple of the declared length"),
        },
    }
}

/// Problems that make `value` not conform strictly to `ty` (missing or extra attributes included).
/// Used to check what the engine sends, in tests and debug builds.
pub(crate) fn conformance_problems(value: &Value, ty: &Type) -> Vec<String> {
    let mut out = Vec::new();
    strict(value, ty, &PathCursor::root(), &mut out);
    out
}

fn strict(value: &Value, ty: &Type, at: &PathCursor, out: &mut Vec<String>) {
    let mut bad = |what: &str| out.push(format!("{}: expected {what}", at.path()));
    match (ty, value) {
        (_, Value::Null | Value::Unknown) => {}
        (Type::Dynamic, Value::Dynamic(..) | Value::String(_) | Value::Number(_) | Value::Bool(_)) => {}
        (Type::String, Value::String(_)) => {}
        (Type::Number, Value::Number(_)) | (Type::Bool, Value::Bool(_)) => {}
        (Type::List(e), Value::List(items)) => {
            items.iter().enumerate().for_each(|(i, v)| strict(v, e, &at.index(i), out));
        }
        (Type::Set(e), Value::Set(items)) => items.iter().for_each(|v| strict(v, e, &at.set_element(), out)),
        (Type::Map(e), Value::Map(m)) => m.iter().for_each(|(k, v)| strict(v, e, &at.key(k), out)),
        (Type::Tuple(ts), Value::Tuple(items)) if ts.len() == items.len() => {
            items.iter().zip(ts).enumerate().for_each(|(i, (v, t))| strict(v, t, &at.index(i), out));
        }
        (Type::Object(attrs), Value::Object(m)) => {
            for name in m.keys().filter(|k| !attrs.contains_key(*k)) {
                out.push(format!("{}: unexpected attribute {name}", at.path(), name = excerpt(name)));
            }
            for (name, aty) in attrs {
                match m.get(name) {
                    Some(v) => strict(v, aty, &at.attr(name), out),
                    None => out.push(format!("{}: missing attribute {name}", at.path(), name = excerpt(name))),
                }
            }
        }
        (Type::Dynamic, _) => bad("a typed value"),
        (Type::String, _) => bad("a string"),
        (Type::Number, _) => bad("a number"),
        (Type::Bool, _) => bad("a bool"),
        (Type::List(_), _) => bad("a list"),
        (Type::Set(_), _) => bad("a set"),
        (Type::Map(_), _) => bad("a map"),
        (Type::Tuple(_), _) => bad("a tuple"),
        (Type::Object(_), _) => bad("an object"),
    }
}

/// Sets every write-only attribute (at any depth of nested blocks) to null.
pub(crate) fn null_write_only(block: &BlockSchema, value: &mut Value) {
    let Value::Object(m) = value else { return };
    for a in block.attributes.iter().filter(|a| a.write_only) {
        if let Some(v) = m.get_mut(&a.name) {
            *v = Value::Null;
        }
    }
    for b in &block.blocks {
        if let Some(v) = m.get_mut(&b.type_name) {
            for_each_block_object(b.nesting, v, &mut |o| null_write_only(&b.block, o));
        }
    }
}

/// Paths of write-only attributes holding a non-null value (checked before sending any state).
pub(crate) fn write_only_violations(block: &BlockSchema, value: &Value, at: &PathCursor, out: &mut Vec<AttributePath>) {
    let Value::Object(m) = value else { return };
    for a in block.attributes.iter().filter(|a| a.write_only) {
        if m.get(&a.name).is_some_and(|v| !v.is_null()) {
            out.push(at.attr(&a.name).path());
        }
    }
    for b in &block.blocks {
        let Some(v) = m.get(&b.type_name) else { continue };
        let here = at.attr(&b.type_name);
        match (b.nesting, v) {
            (NestingMode::Single | NestingMode::Group, o) => write_only_violations(&b.block, o, &here, out),
            (NestingMode::List, Value::List(items)) => {
                items.iter().enumerate().for_each(|(i, o)| write_only_violations(&b.block, o, &here.index(i), out))
            }
            (NestingMode::Set, Value::Set(items) | Value::List(items)) => {
                items.iter().for_each(|o| write_only_violations(&b.block, o, &here.set_element(), out))
            }
            (NestingMode::Map, Value::Map(m)) => {
                m.iter().for_each(|(k, o)| write_only_violations(&b.block, o, &here.key(k), out))
            }
            _ => {}
        }
    }
}

/// Null list/set/map blocks become empty collections and null group blocks become objects of
/// nulls, as Terraform requires of planned values (and expects in state), at any depth.
pub(crate) fn normalize_blocks(block: &BlockSchema, value: &mut Value) {
    let Value::Object(m) = value else { return };
    for b in &block.blocks {
        let slot = m.entry(b.type_name.clone()).or_insert(Value::Null);
        if slot.is_null() {
            *slot = match b.nesting {
                NestingMode::List => Value::List(Vec::new()),
                NestingMode::Set => Value::Set(Vec::new()),
                NestingMode::Map => Value::Map(BTreeMap::new()),
                NestingMode::Group => Value::null_object_of(&b.block.block_type()),
                NestingMode::Single => Value::Null,
            };
        }
        for_each_block_object(b.nesting, slot, &mut |o| normalize_blocks(&b.block, o));
    }
}

/// Calls `f` on each object of a nested block value (one for single/group, each element otherwise).
pub(crate) fn for_each_block_object(nesting: NestingMode, value: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match (nesting, value) {
        (NestingMode::Single | NestingMode::Group, o @ Value::Object(_)) => f(o),
        (_, Value::List(items) | Value::Set(items) | Value::Tuple(items)) => items.iter_mut().for_each(f),
        (_, Value::Map(m)) => m.values_mut().for_each(f),
        _ => {}
    }
}

/// Replaces every unknown with null and returns where they were.
pub(crate) fn unknowns_to_null(value: &mut Value) -> Vec<AttributePath> {
    let mut out = Vec::new();
    fn walk(v: &mut Value, at: &PathCursor, out: &mut Vec<AttributePath>) {
        match v {
            Value::Unknown => {
                *v = Value::Null;
                out.push(at.path());
            }
            Value::Dynamic(_, inner) if inner.is_unknown() => {
                *v = Value::Null;
                out.push(at.path());
            }
            Value::Dynamic(_, inner) => walk(inner, at, out),
            Value::List(items) | Value::Tuple(items) => {
                items.iter_mut().enumerate().for_each(|(i, e)| walk(e, &at.index(i), out))
            }
            Value::Set(items) => items.iter_mut().for_each(|e| walk(e, &at.set_element(), out)),
            Value::Map(m) => m.iter_mut().for_each(|(k, e)| walk(e, &at.key(k), out)),
            Value::Object(m) => m.iter_mut().for_each(|(k, e)| walk(e, &at.attr(k), out)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
    walk(value, &PathCursor::root(), &mut out);
    out.dedup();
    out
}

/// The value at `path` inside `value`, if the path exists there (sets cannot be addressed).
pub(crate) fn value_at<'a>(value: &'a Value, path: &AttributePath) -> Option<&'a Value> {
    use crate::protocol::PathStep;
    let mut current = value;
    for step in path.steps() {
        current = match (current, step) {
            (Value::Object(m), PathStep::Attribute(name)) => m.get(name)?,
            (Value::Map(m), PathStep::ElementKeyString(k)) => m.get(k)?,
            (Value::List(items) | Value::Tuple(items), PathStep::ElementKeyInt(i)) => {
                items.get(usize::try_from(*i).ok()?)?
            }
            (Value::Dynamic(_, inner), _) => return value_at(inner, &AttributePath(vec![step.clone()])),
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::schema::{AttributeSchema, NestedBlockSchema};

    fn block() -> BlockSchema {
        BlockSchema::new("")
            .attribute(AttributeSchema::string("id").computed())
            .attribute(AttributeSchema::string("secret_wo").optional().write_only())
            .block(NestedBlockSchema::new(
                "rule",
                NestingMode::List,
                BlockSchema::new("").attribute(AttributeSchema::string("key_wo").optional().write_only()),
            ))
            .block(NestedBlockSchema::new(
                "tag",
                NestingMode::Set,
                BlockSchema::new("").attribute(AttributeSchema::string("name").optional()),
            ))
    }

    #[test]
    fn conform_fills_missing_attributes_and_drops_extras() {
        let ty = block().block_type();
        let v = Value::object([("id", Value::string("x")), ("extra", Value::Bool(true))]);
        let c = conform(v, &ty).unwrap();
        assert!(conformance_problems(&c, &ty).is_empty(), "{:?}", conformance_problems(&c, &ty));
        assert_eq!(c.get_str("id"), Some("x"));
        assert_eq!(c.get("rule"), Some(&Value::Null));
        assert!(c.get("extra").is_none());
    }

    #[test]
    fn conform_reports_type_mismatch_with_path() {
        let ty = block().block_type();
        let v = Value::object([("rule", Value::List(vec![Value::object([("key_wo", Value::Bool(true))])]))]);
        let d = conform(v, &ty).unwrap_err();
        assert_eq!(d.attribute, Some(AttributePath::attr("rule").push_index(0).push_attr("key_wo")));
    }

    #[test]
    fn write_only_nulled_at_every_depth_and_blocks_normalized() {
        let b = block();
        let mut v = conform(
            Value::object([
                ("secret_wo", Value::string("s")),
                ("rule", Value::List(vec![Value::object([("key_wo", Value::string("k"))])])),
            ]),
            &b.block_type(),
        )
        .unwrap();
        let mut found = Vec::new();
        write_only_violations(&b, &v, &PathCursor::root(), &mut found);
        assert_eq!(found.len(), 2);
        null_write_only(&b, &mut v);
        normalize_blocks(&b, &mut v);
        let mut found = Vec::new();
        write_only_violations(&b, &v, &PathCursor::root(), &mut found);
        assert!(found.is_empty());
        assert_eq!(v.get("tag"), Some(&Value::Set(Vec::new())));
    }

    #[test]
    fn set_elements_with_unknowns_are_not_merged() {
        let ty = Type::set(Type::object([("k", Type::String)]));
        let u = Value::object([("k", Value::Unknown)]);
        let k = Value::object([("k", Value::string("a"))]);
        let v = conform(Value::Set(vec![u.clone(), u, k.clone(), k]), &ty).unwrap();
        assert_eq!(v.as_elements().map(<[Value]>::len), Some(3));
    }

    #[test]
    fn unknowns_become_null_with_paths() {
        let mut v = Value::object([
            ("a", Value::Unknown),
            ("b", Value::List(vec![Value::string("x"), Value::Unknown])),
            ("c", Value::Set(vec![Value::Unknown])),
        ]);
        let paths = unknowns_to_null(&mut v);
        assert!(v.is_wholly_known());
        assert_eq!(
            paths,
            vec![AttributePath::attr("a"), AttributePath::attr("b").push_index(1), AttributePath::attr("c")]
        );
    }

    #[test]
    fn value_at_resolves_existing_paths_only() {
        let v = Value::object([("b", Value::List(vec![Value::object([("n", Value::string("x"))])]))]);
        assert_eq!(value_at(&v, &AttributePath::attr("b").push_index(0).push_attr("n")), Some(&Value::string("x")));
        assert_eq!(value_at(&v, &AttributePath::attr("b").push_index(1)), None);
        assert_eq!(value_at(&v, &AttributePath::attr("zz")), None);
    }
}
