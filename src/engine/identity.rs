//! Resource identity (Terraform ≥ 1.12), an opt-in capability: a resource that has one returns it
//! from [`Resource::identity`](super::Resource::identity). The resource says what its identity
//! is and how an identity becomes an import ID; the engine owns the rules Terraform enforces and
//! the pitfalls other providers shipped (`../shared/spec/terraform-1.12-1.15.md` §2):
//!
//! - the identity is computed from the resulting object in every read, plan, apply and import
//!   answer, so a state written without one (Terraform ≤ 1.11, or before this provider had
//!   identities) gets one on its first operation, `apply -refresh=false` included;
//! - a missing or all-null prior identity means "fill it in", never a change;
//! - an identity is sent only when wholly known with no null attribute; the plan of a create (or
//!   a replacement) sends none, since the object's ID is not known yet (Terraform 1.15.5 cannot
//!   render a plan whose identity is unknown);
//! - a request without identity (Terraform < 1.12) works exactly as before.

use serde_json::Value as Json;

use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::{IdentityAttribute, IdentitySchema};
use crate::protocol::{Diagnostic, Diagnostics};

use super::traits::Context;

pub trait ResourceIdentity: Send + Sync + 'static {
    fn schema(&self) -> IdentitySchema;
    /// The identity of `object` (a state, or a plan that may hold unknowns), as an object of the
    /// schema's type. Attributes not known yet are unknown; the engine decides what is sent.
    fn of_object(&self, ctx: &Context, object: &Value) -> Result<Value, Diagnostic>;
    /// The import ID that imports the object `identity` names (`import { identity = … }`).
    /// Attributes optional for import may be null.
    fn import_id(&self, ctx: &Context, identity: &Value) -> Result<String, Diagnostic>;
    /// Upgrades identity JSON written by schema `from_version` (< current). Default: none exist.
    fn upgrade(&self, type_name: &str, from_version: i64, _identity: Json) -> Result<Json, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported identity version",
            format!(
                "{type_name} has no upgrade from identity version {from_version}. Use the provider version that wrote \
                 the state, or remove the resource with `terraform state rm` and import it again."
            ),
        )
        .into())
    }
}

/// An identity attribute of type string.
pub fn string_attribute(name: &str, required_for_import: bool, description: &str) -> IdentityAttribute {
    IdentityAttribute { name: name.into(), ty: Type::String, required_for_import, description: description.into() }
}

/// What is wrong with an identity schema as declared (empty: nothing). Terraform fails every
/// command on a bad one, so the engine refuses it at start like a bad resource schema.
pub(crate) fn schema_problems(schema: &IdentitySchema) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in &schema.attributes {
        if !seen.insert(a.name.as_str()) {
            problems.push(format!("identity attribute {:?} is declared twice", a.name));
        }
        let primitive = |t: &Type| matches!(t, Type::String | Type::Number | Type::Bool);
        let allowed = match &a.ty {
            Type::List(inner) => primitive(inner),
            t => primitive(t),
        };
        if !allowed {
            problems.push(format!("identity attribute {:?} is not a primitive or a list of primitives", a.name));
        }
    }
    if !schema.attributes.iter().any(|a| a.required_for_import) {
        problems.push("the identity has no attribute required for import".into());
    }
    problems
}

/// Whether `identity` may be sent as it is: wholly known, and no attribute null.
pub(crate) fn is_complete(identity: &Value) -> bool {
    match identity {
        Value::Object(attrs) => attrs.values().all(|v| v.is_wholly_known() && !v.is_null()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(attributes: Vec<IdentityAttribute>) -> IdentitySchema {
        IdentitySchema { version: 0, attributes }
    }

    #[test]
    fn a_schema_needs_an_import_attribute_unique_names_and_primitive_types() {
        assert!(schema_problems(&schema(vec![string_attribute("id", true, "")])).is_empty());
        let problems = schema_problems(&schema(vec![
            string_attribute("id", false, ""),
            string_attribute("id", false, ""),
            IdentityAttribute {
                name: "m".into(),
                ty: Type::map(Type::String),
                required_for_import: false,
                description: String::new(),
            },
        ]));
        assert_eq!(problems.len(), 3, "{problems:?}");
        let list = IdentityAttribute {
            name: "l".into(),
            ty: Type::list(Type::String),
            required_for_import: true,
            description: String::new(),
        };
        assert!(schema_problems(&schema(vec![list])).is_empty(), "a list of primitives is allowed");
    }

    #[test]
    fn only_a_wholly_known_identity_without_nulls_is_complete() {
        let id = |v: Value| Value::object([("id", Value::string("a")), ("project_id", v)]);
        assert!(is_complete(&id(Value::string("p"))));
        assert!(!is_complete(&id(Value::Null)), "a null attribute is never sent");
        assert!(!is_complete(&id(Value::Unknown)));
        assert!(!is_complete(&Value::Null));
    }
}
