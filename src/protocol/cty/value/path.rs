//! Navigating a value along an [`AttributePath`].

use super::Value;
use crate::protocol::path::{AttributePath, PathStep};

impl Value {
    /// The value at `path` (dynamic wrappers are looked through). `None` when a step does not
    /// exist or passes through a null or unknown value; use [`Value::lookup`] to tell those apart.
    pub fn get_path(&self, path: &AttributePath) -> Option<&Value> {
        match self.lookup(path) {
            Lookup::Found(v) => Some(v),
            Lookup::Unknown | Lookup::Absent => None,
        }
    }

    /// Follows `path`, distinguishing "an unknown value is on the way" (the target may or may not
    /// exist once known) from "the target is absent" (a null or missing step).
    pub fn lookup(&self, path: &AttributePath) -> Lookup<'_> {
        let mut current = self;
        for step in path.steps() {
            let inner = current.unwrap_dynamic();
            if inner.is_unknown() {
                return Lookup::Unknown;
            }
            let next = match (step, inner) {
                (PathStep::Attribute(name), Value::Object(m)) => m.get(name),
                (PathStep::ElementKeyString(key), Value::Map(m) | Value::Object(m)) => m.get(key),
                (PathStep::ElementKeyInt(i), Value::List(v) | Value::Tuple(v)) => {
                    usize::try_from(*i).ok().and_then(|i| v.get(i))
                }
                _ => None,
            };
            match next {
                Some(v) => current = v,
                None => return Lookup::Absent,
            }
        }
        if current.is_unknown() { Lookup::Unknown } else { Lookup::Found(current) }
    }
}

/// Result of [`Value::lookup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    /// The value at the path (may be null).
    Found(&'a Value),
    /// The value, or a value on the way to it, is unknown.
    Unknown,
    /// A step does not exist or passes through a null.
    Absent,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Type;

    fn sample() -> Value {
        Value::object([
            ("name", Value::string("cert")),
            ("tags", Value::Map([("env".to_string(), Value::string("prod"))].into_iter().collect())),
            ("domains", Value::List(vec![Value::object([("name", Value::string("a.example.com"))]), Value::Unknown])),
            ("nothing", Value::Null),
            ("dyn", Value::Dynamic(Type::object([("x", Type::Bool)]), Box::new(Value::object([("x", true.into())])))),
        ])
    }

    #[test]
    fn finds_values_along_attribute_key_and_index_steps() {
        let v = sample();
        assert_eq!(v.get_path(&AttributePath::attr("name")), Some(&Value::string("cert")));
        assert_eq!(v.get_path(&AttributePath::attr("tags").push_key("env")), Some(&Value::string("prod")));
        assert_eq!(
            v.get_path(&AttributePath::attr("domains").push_index(0).push_attr("name")),
            Some(&Value::string("a.example.com"))
        );
        assert_eq!(v.get_path(&AttributePath::attr("dyn").push_attr("x")), Some(&Value::Bool(true)));
        assert_eq!(v.get_path(&AttributePath::root()), Some(&v));
    }

    #[test]
    fn lookup_tells_unknown_from_absent() {
        let v = sample();
        assert_eq!(v.lookup(&AttributePath::attr("domains").push_index(1)), Lookup::Unknown);
        assert_eq!(v.lookup(&AttributePath::attr("domains").push_index(1).push_attr("name")), Lookup::Unknown);
        assert_eq!(v.lookup(&AttributePath::attr("domains").push_index(2)), Lookup::Absent);
        assert_eq!(v.lookup(&AttributePath::attr("domains").push_index(-1)), Lookup::Absent);
        assert_eq!(v.lookup(&AttributePath::attr("nothing").push_attr("x")), Lookup::Absent);
        assert_eq!(v.lookup(&AttributePath::attr("nothing")), Lookup::Found(&Value::Null));
        assert_eq!(v.lookup(&AttributePath::attr("missing")), Lookup::Absent);
        assert_eq!(v.lookup(&AttributePath::attr("name").push_index(0)), Lookup::Absent);
    }
}
