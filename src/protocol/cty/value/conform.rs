//! Does a value fit a type? The same rules the codecs enforce, checked up front so the engine can
//! report a provider bug with the exact attribute path instead of a failed encoding.

use super::Value;
use crate::protocol::cty::Type;
use crate::protocol::path::AttributePath;

/// Where and why a value does not conform to a type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", if path.is_empty() { reason.clone() } else { format!("{path}: {reason}") })]
pub struct ConformanceError {
    pub path: AttributePath,
    pub reason: String,
}

impl Value {
    /// Checks that this value can be encoded as `ty`: null and unknown fit any type; collections
    /// must be the matching kind (a `Set` for a set type); an object may leave attributes out
    /// (they count as null) but may not carry attributes the type lacks; a value in a dynamic
    /// slot must be a [`Value::Dynamic`] unless it is a primitive, null or unknown.
    pub fn conforms_to(&self, ty: &Type) -> Result<(), ConformanceError> {
        conform(self, ty, AttributePath::root())
    }

    /// One-word kind of this value for messages ("string", "list", ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Tuple(_) => "tuple",
            Value::Dynamic(..) => "dynamic",
        }
    }
}

fn fail(path: AttributePath, reason: impl Into<String>) -> Result<(), ConformanceError> {
    Err(ConformanceError { path, reason: reason.into() })
}

fn conform(value: &Value, ty: &Type, path: AttributePath) -> Result<(), ConformanceError> {
    if let Type::Dynamic = ty {
        return match value {
            Value::Null | Value::Unknown | Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(()),
            Value::Dynamic(Type::Dynamic, _) => fail(path, "a dynamic value must carry a concrete type"),
            Value::Dynamic(inner_ty, inner) => conform(inner, inner_ty, path),
            other => fail(path, format!("a {} in a dynamic slot must be wrapped with its type", other.kind_name())),
        };
    }
    match (ty, value) {
        (_, Value::Null | Value::Unknown) => Ok(()),
        (_, Value::Dynamic(inner_ty, inner)) if inner_ty == ty => conform(inner, ty, path),
        (Type::String, Value::String(_)) | (Type::Number, Value::Number(_)) | (Type::Bool, Value::Bool(_)) => Ok(()),
        (Type::List(et), Value::List(items)) => {
            items.iter().enumerate().try_for_each(|(i, item)| conform(item, et, path.clone().push_index(i as i64)))
        }
        // Set elements cannot be addressed on the wire, so errors inside a set point at the set.
        (Type::Set(et), Value::Set(items)) => items.iter().try_for_each(|item| {
            conform(item, et, AttributePath::root()).or_else(|e| fail(path.clone(), format!("element: {}", e)))
        }),
        (Type::Map(et), Value::Map(m)) => m.iter().try_for_each(|(k, v)| conform(v, et, path.clone().push_key(k))),
        (Type::Tuple(ets), Value::Tuple(items)) => {
            if ets.len() != items.len() {
                return fail(path, format!("a tuple of {} elements is required, got {}", ets.len(), items.len()));
            }
            ets.iter()
                .zip(items)
                .enumerate()
                .try_for_each(|(i, (et, item))| conform(item, et, path.clone().push_index(i as i64)))
        }
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return fail(path, format!("unsupported attribute {extra:?}"));
            }
            attrs.iter().try_for_each(|(name, aty)| match m.get(name) {
                Some(v) => conform(v, aty, path.clone().push_attr(name)),
                None => Ok(()),
            })
        }
        (ty, value) => fail(path, format!("a {} is required, got a {}", ty.friendly_name(), value.kind_name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Type {
        Type::object([
            ("name", Type::String),
            ("count", Type::Number),
            ("domains", Type::list(Type::object([("name", Type::String)]))),
            ("tags", Type::map(Type::String)),
            ("ids", Type::set(Type::String)),
            ("any", Type::Dynamic),
        ])
    }

    #[test]
    fn accepts_matching_values_nulls_unknowns_and_omitted_attributes() {
        let v = Value::object([
            ("name", Value::string("x")),
            ("count", Value::Unknown),
            ("domains", Value::List(vec![Value::object([("name", Value::Null)])])),
            ("ids", Value::Set(vec![Value::string("a")])),
            ("any", Value::Dynamic(Type::list(Type::Bool), Box::new(Value::List(vec![true.into()])))),
        ]);
        assert_eq!(v.conforms_to(&schema()), Ok(()));
        assert_eq!(Value::Null.conforms_to(&schema()), Ok(()));
        assert_eq!(Value::string("s").conforms_to(&Type::Dynamic), Ok(()));
    }

    #[test]
    fn reports_the_path_and_reason_of_the_first_mismatch() {
        let v = Value::object([("domains", Value::List(vec![Value::object([("name", Value::number(3))])]))]);
        let err = v.conforms_to(&schema()).err();
        assert_eq!(
            err,
            Some(ConformanceError {
                path: AttributePath::attr("domains").push_index(0).push_attr("name"),
                reason: "a string is required, got a number".into()
            })
        );
        assert_eq!(err.map(|e| e.to_string()).as_deref(), Some("domains[0].name: a string is required, got a number"));

        let extra = Value::object([("nope", Value::Null)]).conforms_to(&schema());
        assert_eq!(extra.map_err(|e| e.reason), Err("unsupported attribute \"nope\"".to_string()));

        let list_for_set = Value::object([("ids", Value::List(vec![]))]).conforms_to(&schema());
        assert_eq!(list_for_set.map_err(|e| e.path), Err(AttributePath::attr("ids")));

        let in_set = Value::object([("ids", Value::Set(vec![Value::Bool(true)]))]).conforms_to(&schema());
        assert_eq!(in_set.map_err(|e| e.path), Err(AttributePath::attr("ids")));

        let bare_list = Value::object([("any", Value::List(vec![]))]).conforms_to(&schema());
        assert!(bare_list.is_err());

        let tuple = Value::Tuple(vec![Value::Null]).conforms_to(&Type::Tuple(vec![Type::String, Type::String]));
        assert!(tuple.is_err());
    }
}
