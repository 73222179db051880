//! Value-level tests of the generic planning rules; every plan is also checked with the same
//! rules Terraform applies (`checks::plan_problems`).

use super::*;
use crate::engine::checks::plan_problems;
use crate::engine::schema::{AttributeSchema, NestedBlockSchema};

fn block() -> BlockSchema {
    BlockSchema::new("")
        .attribute(AttributeSchema::string("id").computed().use_state_for_unknown())
        .attribute(AttributeSchema::string("name").required())
        .attribute(AttributeSchema::string("kind").optional().requires_replace())
        .attribute(AttributeSchema::string("mode").optional().computed().default("auto"))
        .attribute(AttributeSchema::string("updated_at").computed())
        .attribute(AttributeSchema::string("key_wo").optional().write_only())
        .block(NestedBlockSchema::new(
            "rule",
            NestingMode::List,
            BlockSchema::new("")
                .attribute(AttributeSchema::string("n").required().requires_replace())
                .attribute(AttributeSchema::string("rid").computed()),
        ))
        .block(NestedBlockSchema::new(
            "tag",
            NestingMode::Set,
            BlockSchema::new("")
                .attribute(AttributeSchema::string("k").required())
                .attribute(AttributeSchema::bool("on").optional().computed().default(false)),
        ))
}

fn config(name: &str, kind: Option<&str>, rules: &[&str], tags: &[&str]) -> Value {
    Value::object([
        ("id", Value::Null),
        ("name", Value::string(name)),
        ("kind", kind.into()),
        ("mode", Value::Null),
        ("updated_at", Value::Null),
        ("key_wo", Value::string("secret")),
        (
            "rule",
            Value::List(
                rules.iter().map(|n| Value::object([("n", Value::string(*n)), ("rid", Value::Null)])).collect(),
            ),
        ),
        (
            "tag",
            Value::Set(tags.iter().map(|k| Value::object([("k", Value::string(*k)), ("on", Value::Null)])).collect()),
        ),
    ])
}

/// Terraform's ProposedNew for these tests: computed attributes with null config take the prior
/// value (list blocks by index, set blocks by `k`), everything else the config value.
fn proposed(prior: &Value, config: &Value) -> Value {
    fn merge(block: &BlockSchema, prior: &Value, config: &Value) -> Value {
        let mut out = config.clone();
        for a in block.attributes.iter().filter(|a| a.computed) {
            if config.get(&a.name).is_some_and(Value::is_null) {
                out.set(&a.name, prior.get(&a.name).cloned().unwrap_or(Value::Null));
            }
        }
        for b in &block.blocks {
            let c = config.get(&b.type_name).cloned().unwrap_or(Value::Null);
            let p = prior.get(&b.type_name).cloned().unwrap_or(Value::Null);
            let merged = match (b.nesting, c) {
                (NestingMode::List, Value::List(cs)) => Value::List(
                    cs.iter()
                        .enumerate()
                        .map(|(i, ce)| {
                            merge(&b.block, p.as_elements().and_then(|v| v.get(i)).unwrap_or(&Value::Null), ce)
                        })
                        .collect(),
                ),
                (NestingMode::Set, Value::Set(cs)) => Value::Set(
                    cs.iter()
                        .map(|ce| {
                            let pe = p.as_elements().unwrap_or(&[]).iter().find(|pe| pe.get("k") == ce.get("k"));
                            merge(&b.block, pe.unwrap_or(&Value::Null), ce)
                        })
                        .collect(),
                ),
                (_, c) => c,
            };
            out.set(&b.type_name, merged);
        }
        out
    }
    merge(&block(), prior, config)
}

fn assert_valid(prior: &Value, config: &Value, planned: &Value) {
    let b = block();
    let problems = plan_problems(&b, &b.block_type(), prior, config, planned);
    assert!(problems.is_empty(), "invalid plan: {problems:#?}");
}

/// The state an apply of `planned` would produce.
fn applied(planned: &Value) -> Value {
    let mut s = planned.clone();
    for (k, v) in [("id", "ID1"), ("updated_at", "t1")] {
        if s.get(k).is_some_and(Value::is_unknown) {
            s.set(k, Value::string(v));
        }
    }
    if let Some(Value::List(rules)) = s.get_mut("rule") {
        for r in rules {
            if r.get("rid").is_some_and(Value::is_unknown) {
                r.set("rid", Value::string("r"));
            }
        }
    }
    s
}

#[test]
fn create_marks_computed_unknown_applies_defaults_and_nulls_write_only() {
    let c = config("a", None, &["x"], &["t"]);
    let p = plan_generic(&block(), None, &proposed(&Value::Null, &c), &c);
    assert_valid(&Value::Null, &c, &p);
    assert!(p.get("id").unwrap().is_unknown());
    assert!(p.get("updated_at").unwrap().is_unknown());
    assert_eq!(p.get_str("mode"), Some("auto"));
    assert_eq!(p.get("key_wo"), Some(&Value::Null));
    assert_eq!(p.get_str("name"), Some("a"));
    let rule = &p.get("rule").unwrap().as_elements().unwrap()[0];
    assert!(rule.get("rid").unwrap().is_unknown());
    let tag = &p.get("tag").unwrap().as_elements().unwrap()[0];
    assert_eq!(tag.get_bool("on"), Some(false));
}

#[test]
fn update_without_changes_plans_the_prior_state() {
    let c = config("a", None, &["x"], &["t"]);
    let prior = applied(&plan_generic(&block(), None, &proposed(&Value::Null, &c), &c));
    let p = plan_generic(&block(), Some(&prior), &proposed(&prior, &c), &c);
    assert_eq!(p, prior);
    assert_valid(&prior, &c, &p);
    assert!(requires_replace(&block(), &prior, &p).is_empty());
}

#[test]
fn update_with_a_change_marks_computed_unknown_except_use_state_for_unknown() {
    let c = config("a", None, &["x"], &["t"]);
    let prior = applied(&plan_generic(&block(), None, &proposed(&Value::Null, &c), &c));
    let c2 = config("b", None, &["x"], &["t", "u"]);
    let p = plan_generic(&block(), Some(&prior), &proposed(&prior, &c2), &c2);
    assert_valid(&prior, &c2, &p);
    assert_eq!(p.get_str("id"), Some("ID1"), "use_state_for_unknown keeps the prior value");
    assert!(p.get("updated_at").unwrap().is_unknown());
    assert_eq!(p.get_str("name"), Some("b"));
    assert_eq!(p.get("tag").unwrap().as_elements().unwrap().len(), 2);
    assert!(requires_replace(&block(), &prior, &p).is_empty(), "name and tags do not force replacement");
}

#[test]
fn timeouts_only_change_keeps_computed_values() {
    let mut b = block();
    b.blocks.push(crate::engine::timeouts::timeouts_block(&crate::engine::schema::TimeoutDefaults {
        create: Some(std::time::Duration::from_secs(60)),
        ..Default::default()
    }));
    let mut c = config("a", None, &[], &[]);
    c.set("timeouts", Value::Null);
    let mut prior = applied(&plan_generic(&b, None, &c, &c));
    prior.set("mode", Value::string("auto"));
    let mut c2 = c.clone();
    c2.set("timeouts", Value::object([("create", Value::string("5m"))]));
    let mut prop = c2.clone();
    prop.set("id", prior.get("id").unwrap().clone());
    prop.set("updated_at", prior.get("updated_at").unwrap().clone());
    let p = plan_generic(&b, Some(&prior), &prop, &c2);
    assert_eq!(p.get_str("updated_at"), Some("t1"));
    assert_eq!(without_timeouts(&p), without_timeouts(&prior));
    assert_eq!(p.get("timeouts").and_then(|t| t.get_str("create")), Some("5m"));
}

#[test]
fn requires_replace_paths_for_attributes_and_list_block_attributes() {
    let c = config("a", Some("k1"), &["x", "y"], &[]);
    let prior = applied(&plan_generic(&block(), None, &proposed(&Value::Null, &c), &c));
    let c2 = config("a", Some("k2"), &["x", "z"], &[]);
    let p = plan_generic(&block(), Some(&prior), &proposed(&prior, &c2), &c2);
    assert_valid(&prior, &c2, &p);
    let paths: Vec<String> = requires_replace(&block(), &prior, &p).iter().map(|p| p.to_string()).collect();
    assert_eq!(paths, ["kind", "rule[1].n"]);
    // Paths a resource adds are kept only if they exist.
    let kept = existing_paths(vec![AttributePath::attr("kind"), AttributePath::attr("nope")], &prior, &p);
    assert_eq!(kept, vec![AttributePath::attr("kind")]);
}

#[test]
fn unknown_config_values_stay_unknown_and_blocks_are_never_null() {
    let mut c = config("a", None, &[], &[]);
    c.set("name", Value::Unknown);
    c.set("rule", Value::Unknown);
    let mut prop = proposed(&Value::Null, &c);
    prop.set("tag", Value::Null);
    let p = plan_generic(&block(), None, &prop, &c);
    assert!(p.get("name").unwrap().is_unknown());
    assert!(p.get("rule").unwrap().is_unknown(), "an unknown dynamic block is planned unchanged");
    assert_eq!(p.get("tag"), Some(&Value::Set(Vec::new())));
    assert_valid(&Value::Null, &c, &p);
}

#[test]
fn set_block_elements_correlate_with_their_config() {
    let c = config("a", None, &[], &["t", "u"]);
    let prior = applied(&plan_generic(&block(), None, &proposed(&Value::Null, &c), &c));
    let mut c2 = config("a", None, &[], &["t", "u"]);
    // Configure `on` for "u" only: "t" keeps its default.
    if let Some(Value::Set(tags)) = c2.get_mut("tag") {
        for t in tags.iter_mut().filter(|t| t.get_str("k") == Some("u")) {
            t.set("on", Value::Bool(true));
        }
    }
    let p = plan_generic(&block(), Some(&prior), &proposed(&prior, &c2), &c2);
    assert_valid(&prior, &c2, &p);
    let tags = p.get("tag").unwrap().as_elements().unwrap();
    let on = |k: &str| tags.iter().find(|t| t.get_str("k") == Some(k)).and_then(|t| t.get_bool("on"));
    assert_eq!((on("t"), on("u")), (Some(false), Some(true)));
}

#[test]
fn set_elements_with_unknown_values_stay_distinct() {
    let mut c = config("a", None, &[], &[]);
    let unknown_tag = Value::object([("k", Value::Unknown), ("on", Value::Null)]);
    c.set("tag", Value::Set(vec![unknown_tag.clone(), unknown_tag]));
    let p = plan_generic(&block(), None, &proposed(&Value::Null, &c), &c);
    assert_eq!(p.get("tag").and_then(Value::as_elements).map(<[Value]>::len), Some(2));
    assert_valid(&Value::Null, &c, &p);
}
