//! Generic configuration validation: required attributes, attribute validators on known values
//! (nested blocks included), block counts, deprecations, then the cross-attribute validators.
//! Runs at plan with unknowns skipped and again at apply when everything is known.

use crate::protocol::Diagnostics;
use crate::protocol::cty::Value;
use crate::protocol::schema::NestingMode;

use super::cursor::PathCursor;
use super::schema::{BlockSchema, NestedBlockSchema, ResourceSchema};

/// Validates a whole configuration object against its (compiled) declaration.
pub(crate) fn validate_config(decl: &ResourceSchema, config: &Value, diags: &mut Diagnostics) {
    validate_block(&decl.block, config, &PathCursor::root(), diags);
    for v in &decl.config_validators {
        v.validate(config, diags);
    }
}

fn validate_block(block: &BlockSchema, value: &Value, at: &PathCursor, diags: &mut Diagnostics) {
    if !matches!(value, Value::Object(_)) {
        return;
    }
    for a in &block.attributes {
        let v = value.get(&a.name).unwrap_or(&Value::Null);
        let path = at.attr(&a.name);
        if v.is_unknown() {
            continue;
        }
        if v.is_null() {
            if a.required {
                diags.attribute_error(
                    path.path(),
                    "Missing required argument",
                    format!("The argument \"{}\" is required but has no value. Set it in the configuration.", a.name),
                );
            }
            continue;
        }
        if let Some(message) = &a.deprecation {
            diags.push(
                crate::protocol::Diagnostic::warning(
                    "Argument is deprecated",
                    format!("The argument \"{}\" is deprecated: {message}", a.name),
                )
                .with_attribute(path.path()),
            );
        }
        // Validators see only wholly known values; what is unknown now is checked at apply.
        if v.is_wholly_known() {
            for validator in &a.validators {
                validator.validate(v, &path.path(), diags);
            }
        }
    }
    for b in &block.blocks {
        let v = value.get(&b.type_name).unwrap_or(&Value::Null);
        let path = at.attr(&b.type_name);
        match (b.nesting, v) {
            (NestingMode::Single | NestingMode::Group, o) => validate_block(&b.block, o, &path, diags),
            (NestingMode::List, Value::List(items) | Value::Tuple(items)) => {
                check_count(b, items.len(), &path, diags);
                for (i, o) in items.iter().enumerate() {
                    validate_block(&b.block, o, &path.index(i), diags);
                }
            }
            (NestingMode::Set, Value::Set(items) | Value::List(items)) => {
                // Unknown elements may still collapse into one another, so count only known sets.
                if v.is_wholly_known() {
                    check_count(b, items.len(), &path, diags);
                }
                for o in items {
                    validate_block(&b.block, o, &path.set_element(), diags);
                }
            }
            (NestingMode::Map, Value::Map(m) | Value::Object(m)) => {
                for (k, o) in m {
                    validate_block(&b.block, o, &path.key(k), diags);
                }
            }
            _ => {}
        }
    }
}

fn check_count(b: &NestedBlockSchema, n: usize, at: &PathCursor, diags: &mut Diagnostics) {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    if b.min_items > 0 && n < b.min_items {
        diags.attribute_error(
            at.path(),
            format!("Too few \"{}\" blocks", b.type_name),
            format!(
                "At least {} \"{}\" block(s) are required, but the configuration has {n}.",
                b.min_items, b.type_name
            ),
        );
    }
    if b.max_items > 0 && n > b.max_items {
        diags.attribute_error(
            at.path(),
            format!("Too many \"{}\" blocks", b.type_name),
            format!("At most {} \"{}\" block(s) are allowed, but the configuration has {n}.", b.max_items, b.type_name),
        );
    }
}

/// Keeps only the errors: at apply the warnings were already shown at plan.
pub(crate) fn errors_only(diags: Diagnostics) -> Diagnostics {
    Diagnostics(diags.0.into_iter().filter(|d| d.severity == crate::protocol::Severity::Error).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::schema::AttributeSchema;
    use crate::engine::validators::{ConfigValidator, Validator};
    use crate::protocol::AttributePath;

    /// Rejects strings longer than 3 characters.
    struct Short;
    impl Validator for Short {
        fn description(&self) -> String {
            "at most 3 characters".into()
        }
        fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
            if value.as_str().is_some_and(|s| s.len() > 3) {
                diags.attribute_error(path.clone(), "Too long", "Use at most 3 characters.");
            }
        }
    }
    /// Reports that it saw the config, and whether `a` was unknown.
    struct SeesConfig;
    impl ConfigValidator for SeesConfig {
        fn description(&self) -> String {
            "sees config".into()
        }
        fn validate(&self, config: &Value, diags: &mut Diagnostics) {
            if config.get("a").is_some_and(Value::is_unknown) {
                diags.warning("a unknown", "seen");
            }
        }
    }

    fn decl() -> ResourceSchema {
        let inner = BlockSchema::new("").attribute(AttributeSchema::string("n").required().validator(Short));
        ResourceSchema::new(
            BlockSchema::new("")
                .attribute(AttributeSchema::string("a").required().validator(Short))
                .attribute(AttributeSchema::string("old").optional().deprecated("Use a."))
                .block(NestedBlockSchema::new("l", NestingMode::List, inner.clone()).max_items(2))
                .block(NestedBlockSchema::new("s", NestingMode::Set, inner.clone()))
                .block(NestedBlockSchema::new("one", NestingMode::Single, inner)),
        )
        .config_validator(SeesConfig)
    }

    fn obj(n: &str) -> Value {
        Value::object([("n", Value::string(n))])
    }

    fn run(config: Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        validate_config(&decl(), &config, &mut d);
        d
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter().filter_map(|x| x.attribute.as_ref().map(|p| p.to_string())).collect()
    }

    #[test]
    fn attribute_validators_get_paths_in_nested_blocks() {
        let d = run(Value::object([
            ("a", Value::string("toolong")),
            ("l", Value::List(vec![obj("ok"), obj("long")])),
            ("s", Value::Set(vec![obj("long")])),
            ("one", obj("long")),
        ]));
        assert_eq!(paths(&d), ["a", "l[1].n", "s", "one.n"]);
        assert!(d.iter().all(|x| x.summary == "Too long"));
    }

    #[test]
    fn unknown_values_are_skipped_and_required_nulls_reported() {
        let d = run(Value::object([
            ("a", Value::Unknown),
            ("l", Value::List(vec![Value::object([("n", Value::Null)])])),
            ("s", Value::Unknown),
        ]));
        assert_eq!(paths(&d), ["l[0].n"]);
        assert_eq!(d.0[0].summary, "Missing required argument");
        // The config validator ran and saw the unknown.
        assert!(d.iter().any(|x| x.summary == "a unknown"));
    }

    #[test]
    fn block_counts_and_deprecations() {
        let d = run(Value::object([
            ("a", Value::string("ok")),
            ("old", Value::string("x")),
            ("l", Value::List(vec![obj("a"), obj("b"), obj("c")])),
        ]));
        let summaries: Vec<_> = d.iter().map(|x| x.summary.as_str()).collect();
        assert_eq!(summaries, ["Argument is deprecated", "Too many \"l\" blocks"]);
        assert_eq!(paths(&d), ["old", "l"]);
        assert_eq!(errors_only(d).0.len(), 1);
    }
}
