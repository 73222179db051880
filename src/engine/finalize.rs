//! Turning what a resource returned into a state Terraform accepts (tfplugin5.md §4.3, §4.4):
//! conform to the schema type, write-only null, blocks normalized, the `timeouts` block taken from
//! where Terraform expects it, known planned values kept, no unknowns left.

use crate::protocol::cty::{Type, Value};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use super::cursor::PathCursor;
use super::schema::ResourceSchema;
use super::timeouts::TIMEOUTS_BLOCK;
use super::values::{conform, normalize_blocks, null_write_only, unknowns_to_null};

/// How strictly to treat a state coming back from a resource.
pub(crate) struct Finalize<'a> {
    pub decl: &'a ResourceSchema,
    pub ty: &'a Type,
    /// The object whose `timeouts` block the state keeps (planned state, current state, config).
    pub timeouts_from: Option<&'a Value>,
    /// After a successful create/update: the plan whose known values must come back unchanged.
    pub planned: Option<&'a Value>,
    /// Unknowns left over are errors (a successful operation); otherwise they are nulled quietly.
    pub unknowns_are_errors: bool,
    /// Names the operation in messages ("apply", "read").
    pub operation: &'a str,
}

impl Finalize<'_> {
    /// The state to send, and any errors found. `Err` when the value cannot be shaped at all.
    pub(crate) fn run(&self, actual: Value) -> Result<(Value, Diagnostics), Diagnostic> {
        let mut diags = Diagnostics::new();
        let mut state = conform(actual, self.ty)?;
        if state.is_null() {
            return Ok((state, diags));
        }
        if let Some(planned) = self.planned {
            let mut changed = Vec::new();
            state = merge_known(planned, state, &PathCursor::root(), &mut changed);
            for path in changed {
                // A resource bug: it returned something else than the plan promised. Terraform
                // would reject the result, so the planned value is kept; the next refresh shows the
                // real one.
                tracing::warn!(path = %path, "resource returned a value that differs from the known planned value; keeping the planned value");
            }
        }
        null_write_only(&self.decl.block, &mut state);
        normalize_blocks(&self.decl.block, &mut state);
        if self.decl.timeouts.is_some() {
            let t = self.timeouts_from.and_then(|v| v.get(TIMEOUTS_BLOCK)).cloned().unwrap_or(Value::Null);
            state.set(TIMEOUTS_BLOCK, t);
        }
        let unknown = unknowns_to_null(&mut state);
        if self.unknowns_are_errors {
            for path in unknown {
                diags.push(unknown_after(self.operation, path));
            }
        }
        Ok((state, diags))
    }
}

fn unknown_after(operation: &str, path: AttributePath) -> Diagnostic {
    Diagnostic::error(
        "Provider left a value unknown",
        format!(
            "After {operation}, the provider still had no value for this attribute, so it was saved as null. This is \
             a bug in the provider: please report it. Running `terraform apply -refresh-only` reads the real value."
        ),
    )
    .with_attribute(path)
}

/// `actual` with every known planned value put back (unknown planned values take the actual
/// value). Records where the resource disagreed with a known planned value.
pub(crate) fn merge_known(planned: &Value, actual: Value, at: &PathCursor, changed: &mut Vec<AttributePath>) -> Value {
    if planned.is_unknown() {
        return actual;
    }
    if planned.is_wholly_known() {
        if *planned != actual {
            changed.push(at.path());
        }
        return planned.clone();
    }
    match (planned, actual) {
        (Value::Object(p), Value::Object(mut a)) => {
            let merged = p
                .iter()
                .map(|(k, pv)| {
                    let av = a.remove(k).unwrap_or(Value::Null);
                    (k.clone(), merge_known(pv, av, &at.attr(k), changed))
                })
                .collect();
            Value::Object(merged)
        }
        (Value::Map(p), Value::Map(mut a)) if p.len() == a.len() && p.keys().all(|k| a.contains_key(k)) => Value::Map(
            p.iter()
                .map(|(k, pv)| {
                    let av = a.remove(k).unwrap_or(Value::Null);
                    (k.clone(), merge_known(pv, av, &at.key(k), changed))
                })
                .collect(),
        ),
        (Value::List(p), Value::List(a)) if p.len() == a.len() => Value::List(
            p.iter().zip(a).enumerate().map(|(i, (pv, av))| merge_known(pv, av, &at.index(i), changed)).collect(),
        ),
        (Value::Tuple(p), Value::Tuple(a)) if p.len() == a.len() => Value::Tuple(
            p.iter().zip(a).enumerate().map(|(i, (pv, av))| merge_known(pv, av, &at.index(i), changed)).collect(),
        ),
        (Value::Dynamic(pt, pv), Value::Dynamic(at_, av)) if *pt == at_ => {
            Value::Dynamic(at_, Box::new(merge_known(pv, *av, at, changed)))
        }
        // Partly unknown sets cannot be correlated, and shape changes cannot be repaired: take
        // what the resource returned.
        (_, actual) => actual,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_planned_values_win_and_unknowns_are_filled() {
        let planned = Value::object([
            ("id", Value::Unknown),
            ("name", Value::string("a")),
            ("tags", Value::List(vec![Value::string("x"), Value::Unknown])),
        ]);
        let actual = Value::object([
            ("id", Value::string("1")),
            ("name", Value::string("A")),
            ("tags", Value::List(vec![Value::string("X"), Value::string("y")])),
        ]);
        let mut changed = Vec::new();
        let merged = merge_known(&planned, actual, &PathCursor::root(), &mut changed);
        assert_eq!(merged.get_str("id"), Some("1"));
        assert_eq!(merged.get_str("name"), Some("a"));
        assert_eq!(merged.get("tags"), Some(&Value::List(vec![Value::string("x"), Value::string("y")])));
        assert_eq!(changed, vec![AttributePath::attr("name"), AttributePath::attr("tags").push_index(0)]);
    }
}
