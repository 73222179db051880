//! The checks Terraform core runs on a provider's answers (tfplugin5.md §4.2, §4.3), redone here so
//! the engine can prove its plans and apply results valid in tests and debug builds. Messages name
//! paths only, never values (values may be secrets).

use crate::protocol::cty::{Type, Value};
use crate::protocol::diagnostics::excerpt;
use crate::protocol::schema::NestingMode;

use super::cursor::PathCursor;
use super::schema::BlockSchema;
use super::values::{conformance_problems, write_only_violations};

/// Everything Terraform would reject in `planned` ("Provider produced invalid plan"): write-only
/// values, type conformance, and `AssertPlanValid(schema, prior, config, planned)`.
pub(crate) fn plan_problems(
    block: &BlockSchema,
    ty: &Type,
    prior: &Value,
    config: &Value,
    planned: &Value,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut wo = Vec::new();
    write_only_violations(block, planned, &PathCursor::root(), &mut wo);
    out.extend(wo.iter().map(|p| format!("{p}: planned value for write-only attribute is not null")));
    out.extend(conformance_problems(planned, ty));
    assert_plan_valid(block, prior, config, planned, &PathCursor::root(), &mut out);
    out
}

fn assert_plan_valid(
    block: &BlockSchema,
    prior: &Value,
    config: &Value,
    planned: &Value,
    at: &PathCursor,
    out: &mut Vec<String>,
) {
    let here = at.path();
    if planned.is_null() && !config.is_null() {
        out.push(format!("{here}: planned for absence but config wants existence"));
        return;
    }
    if config.is_null() && !planned.is_null() {
        out.push(format!("{here}: planned for existence but config wants absence"));
        return;
    }
    if planned.is_null() {
        return;
    }
    let null = Value::Null;
    let attr_of = |v: &'_ Value, name: &str| -> Value { v.get(name).cloned().unwrap_or(Value::Null) };
    for a in &block.attributes {
        let (p, c, pr) = (attr_of(planned, &a.name), attr_of(config, &a.name), attr_of(prior, &a.name));
        let path = at.attr(&a.name).path();
        if a.write_only {
            // Null is the only valid plan, whatever the config holds (checked above).
            continue;
        }
        if p == c || (!pr.is_null() && !c.is_null() && p == pr) {
            continue;
        }
        if a.computed && (!a.optional || c.is_null()) {
            continue;
        }
        if c.is_null() && !p.is_null() {
            out.push(format!("{path}: planned value for a non-computed attribute"));
        } else if pr.is_null() {
            out.push(format!("{path}: planned value does not match config value"));
        } else {
            out.push(format!("{path}: planned value does not match config value nor prior value"));
        }
    }
    for b in &block.blocks {
        let p = planned.get(&b.type_name).unwrap_or(&null);
        let c = config.get(&b.type_name).unwrap_or(&null);
        let pr = prior.get(&b.type_name).unwrap_or(&null);
        let here = at.attr(&b.type_name);
        let path = here.path();
        if p == c {
            continue;
        }
        if c.is_unknown() {
            out.push(format!("{path}: planned value for unknown dynamic block"));
            continue;
        }
        if p.is_unknown() {
            out.push(format!("{path}: attribute representing nested block must not be unknown itself"));
            continue;
        }
        let element_unknown = |p: &str| format!("{p}: element representing nested block must not be unknown itself");
        match b.nesting {
            NestingMode::Single | NestingMode::Group => assert_plan_valid(&b.block, pr, c, p, &here, out),
            NestingMode::List => {
                if p.is_null() {
                    out.push(format!("{path}: attribute representing a list of nested blocks must be empty, not null"));
                    continue;
                }
                let (ps, cs) = (p.as_elements().unwrap_or(&[]), c.as_elements().unwrap_or(&[]));
                if ps.len() != cs.len() {
                    out.push(format!(
                        "{path}: block count in plan ({}) disagrees with config ({})",
                        ps.len(),
                        cs.len()
                    ));
                    continue;
                }
                for (i, (pe, ce)) in ps.iter().zip(cs).enumerate() {
                    let ep = here.index(i);
                    if pe.is_unknown() {
                        out.push(element_unknown(&ep.path().to_string()));
                        continue;
                    }
                    let pre = pr.as_elements().and_then(|v| v.get(i)).unwrap_or(&null);
                    assert_plan_valid(&b.block, pre, ce, pe, &ep, out);
                }
            }
            NestingMode::Map => {
                if p.is_null() {
                    out.push(format!("{path}: attribute representing a map of nested blocks must be empty, not null"));
                    continue;
                }
                let empty = Default::default();
                let (pm, cm) = (p.as_map().unwrap_or(&empty), c.as_map().unwrap_or(&empty));
                for k in cm.keys().filter(|k| !pm.contains_key(*k)) {
                    out.push(format!("{path}: block key {k} from config is not present in plan", k = excerpt(k)));
                }
                for (k, pe) in pm {
                    let ep = here.key(k);
                    let Some(ce) = cm.get(k) else {
                        out.push(format!("{path}: block key {k} from plan is not present in config", k = excerpt(k)));
                        continue;
                    };
                    if pe.is_unknown() {
                        out.push(element_unknown(&ep.path().to_string()));
                        continue;
                    }
                    let pre = pr.as_map().and_then(|m| m.get(k)).unwrap_or(&null);
                    assert_plan_valid(&b.block, pre, ce, pe, &ep, out);
                }
            }
            NestingMode::Set => {
                if p.is_null() {
                    out.push(format!("{path}: attribute representing a set of nested blocks must be empty, not null"));
                    continue;
                }
                if p.as_elements().unwrap_or(&[]).iter().any(Value::is_unknown) {
                    out.push(element_unknown(&path.to_string()));
                }
            }
        }
    }
}

/// What Terraform's `AssertObjectCompatible(planned, actual)` would report after apply ("Provider
/// produced inconsistent result after apply"), plus unknowns left in `actual`.
pub(crate) fn apply_problems(planned: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if !actual.is_wholly_known() {
        out.push("the new state still holds unknown values".to_string());
    }
    compatible(planned, actual, &PathCursor::root(), &mut out);
    out
}

fn compatible(planned: &Value, actual: &Value, at: &PathCursor, out: &mut Vec<String>) {
    if planned.is_unknown() || planned == actual {
        return;
    }
    let path = at.path();
    match (planned, actual) {
        (Value::Null, _) => out.push(format!("{path}: was null, but now has a value")),
        (_, Value::Null) => out.push(format!("{path}: had a value, but now null")),
        (Value::Object(p), Value::Object(a)) => {
            for (k, pv) in p {
                compatible(pv, a.get(k).unwrap_or(&Value::Null), &at.attr(k), out);
            }
        }
        (Value::Map(p), Value::Map(a)) => {
            for k in p.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{path}: element {k} has vanished", k = excerpt(k)));
            }
            for k in a.keys().filter(|k| !p.contains_key(*k)) {
                out.push(format!("{path}: new element {k} has appeared", k = excerpt(k)));
            }
            for (k, pv) in p {
                if let Some(av) = a.get(k) {
                    compatible(pv, av, &at.key(k), out);
                }
            }
        }
        (Value::List(p), Value::List(a)) | (Value::Tuple(p), Value::Tuple(a)) => {
            if p.len() != a.len() {
                out.push(format!("{path}: length changed from {} to {}", p.len(), a.len()));
                return;
            }
            for (i, (pv, av)) in p.iter().zip(a).enumerate() {
                compatible(pv, av, &at.index(i), out);
            }
        }
        (Value::Set(p), Value::Set(a)) => {
            if planned.is_wholly_known() || p.len() != a.len() {
                out.push(format!("{path}: set elements changed"));
                return;
            }
            for pe in p {
                if !a.iter().any(|ae| {
                    let mut probe = Vec::new();
                    compatible(pe, ae, at, &mut probe);
                    probe.is_empty()
                }) {
                    out.push(format!("{path}: planned set element does not correlate with any element in actual"));
                }
            }
        }
        (Value::Dynamic(pt, pv), Value::Dynamic(at_, av)) if pt == at_ => compatible(pv, av, at, out),
        _ => out.push(format!("{path}: was one value, but now another")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::schema::{AttributeSchema, NestedBlockSchema};

    fn block() -> BlockSchema {
        BlockSchema::new("")
            .attribute(AttributeSchema::string("id").computed())
            .attribute(AttributeSchema::string("name").required())
            .attribute(AttributeSchema::string("mode").optional().computed())
            .attribute(AttributeSchema::string("key_wo").optional().write_only())
            .block(NestedBlockSchema::new(
                "rule",
                NestingMode::List,
                BlockSchema::new("").attribute(AttributeSchema::string("n").optional()),
            ))
    }

    fn state(name: &str, mode: Value, rules: Vec<Value>) -> Value {
        Value::object([
            ("id", Value::string("1")),
            ("name", Value::string(name)),
            ("mode", mode),
            ("key_wo", Value::Null),
            ("rule", Value::List(rules)),
        ])
    }

    #[test]
    fn detects_each_kind_of_invalid_plan() {
        let b = block();
        let ty = b.block_type();
        let config = state("a", Value::Null, vec![Value::object([("n", Value::string("x"))])]);
        let config = {
            let mut c = config;
            c.set("id", Value::Null);
            c
        };
        // valid: computed filled, config kept
        let good = state("a", Value::Unknown, vec![Value::object([("n", Value::string("x"))])]);
        assert!(plan_problems(&b, &ty, &Value::Null, &config, &good).is_empty());
        // configured value changed
        let bad = state("b", Value::Null, vec![Value::object([("n", Value::string("x"))])]);
        assert_eq!(plan_problems(&b, &ty, &Value::Null, &config, &bad).len(), 1);
        // block count changed, and block null
        let bad = state("a", Value::Null, vec![]);
        assert_eq!(plan_problems(&b, &ty, &Value::Null, &config, &bad).len(), 1);
        let mut bad = good.clone();
        bad.set("rule", Value::Null);
        assert_eq!(plan_problems(&b, &ty, &Value::Null, &config, &bad).len(), 1);
        // write-only value planned
        let mut bad = good.clone();
        bad.set("key_wo", Value::string("s"));
        assert!(!plan_problems(&b, &ty, &Value::Null, &config, &bad).is_empty());
        // unknown for a configured value
        let mut bad = good.clone();
        bad.set("name", Value::Unknown);
        assert_eq!(plan_problems(&b, &ty, &Value::Null, &config, &bad).len(), 1);
        // destroy planned for a present config
        assert_eq!(plan_problems(&b, &ty, &Value::Null, &config, &Value::Null).len(), 1);
    }

    #[test]
    fn prior_value_may_replace_config_value() {
        let b = block();
        let ty = b.block_type();
        let prior = state("A", Value::Null, vec![]);
        let mut config = state("a", Value::Null, vec![]);
        config.set("id", Value::Null);
        assert!(plan_problems(&b, &ty, &prior, &config, &prior).is_empty());
    }

    #[test]
    fn apply_compatibility() {
        let planned = state("a", Value::Unknown, vec![]);
        assert!(apply_problems(&planned, &state("a", Value::string("m"), vec![])).is_empty());
        assert_eq!(apply_problems(&planned, &state("b", Value::string("m"), vec![])).len(), 1);
        assert_eq!(apply_problems(&planned, &state("a", Value::Unknown, vec![])).len(), 1);
    }
}
