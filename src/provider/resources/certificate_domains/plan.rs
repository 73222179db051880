//! Plan-time rules beyond the per-attribute validators: no domain named twice, no empty
//! `instance_ids`; and the planned values the engine cannot know: `id` (= `certificate_id`) and
//! the verification flag, whose absence means `false`. Each `domain` block is read on its own:
//! one holding values known only after apply is skipped, the others are still checked and planned.

use crate::protocol::diagnostics::excerpt;
use std::collections::BTreeMap;

use crate::engine::PlanContext;
use crate::engine::model::{Model, Val};
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostics};

use super::bindings::domain_key;
use super::model::CertificateDomainsModel;
use super::schema::attr;

/// Reports a domain name that appears in more than one block, and an empty `instance_ids`, on
/// `domain` (set elements cannot be addressed). Unknown values are skipped.
pub fn validate_domains(config: &Value, diags: &mut Diagnostics) {
    let config = match CertificateDomainsModel::read(config) {
        Ok(m) => m,
        Err(d) => return diags.push(d),
    };
    let Val::Known(blocks) = &config.domain else { return };
    let path = AttributePath::attr(attr::DOMAIN);
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for block in blocks.iter() {
        if let Some(name) = block.name.as_deref() {
            match seen.get(&domain_key(name)) {
                Some(first) => diags.attribute_error(
                    path.clone(),
                    "Duplicate domain name",
                    format!(
                        "The domain name {name} appears in more than one `domain` block{}. Name each domain once; to \
                         bind it on several gateways, list them all in that block's `instance_ids`.",
                        if *first == name {
                            String::new()
                        } else {
                            format!(" (also as {first})", first = excerpt(first))
                        },
                        name = excerpt(name)
                    ),
                ),
                None => {
                    seen.insert(domain_key(name), name);
                }
            }
        }
        if block.instance_ids.known().is_some_and(|ids| ids.is_empty()) {
            let name = block.name.as_deref().map(|n| format!(" of {n}", n = excerpt(n))).unwrap_or_default();
            diags.attribute_error(
                path.clone(),
                "Empty instance_ids",
                format!(
                    "The `instance_ids`{name} is an empty set, which would bind the domain nowhere. List at least one \
                     gateway ID, or leave `instance_ids` out to bind the domain on every gateway."
                ),
            );
        }
    }
}

/// Plans `id` as the configured `certificate_id`, and the verification flag of every block that
/// leaves it out as `false` (so leaving it out is the same as writing `false`, and a `true` on the
/// API shows as a change back to `false`).
pub fn plan_domains(plan: &mut PlanContext) {
    let models = CertificateDomainsModel::read(&plan.config)
        .and_then(|config| Ok((config, CertificateDomainsModel::read(&plan.planned)?)));
    let (config, mut planned) = match models {
        Ok(m) => m,
        Err(d) => return plan.diagnostics.push(d),
    };
    planned.id = if config.certificate_id.is_null() { Val::Unknown } else { config.certificate_id.clone() };

    if let (Val::Known(configured), Val::Known(planned_blocks)) = (&config.domain, &mut planned.domain) {
        // Names are unique (validated), so a planned block is the configured block of the same name.
        let flag_left_out: Vec<String> = configured
            .iter()
            .filter(|b| b.verified_client_certificate_enabled.is_null())
            .filter_map(|b| b.name.as_deref().map(domain_key))
            .collect();
        for block in planned_blocks.iter_mut() {
            if block.name.as_deref().is_some_and(|n| flag_left_out.contains(&domain_key(n))) {
                block.verified_client_certificate_enabled = Val::Known(false);
            }
        }
    }
    plan.planned = planned.to_value_over(&plan.planned);
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW1: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";

    fn block(name: &str, ids: Value, flag: Value) -> Value {
        Value::object([(attr::NAME, Value::string(name)), (attr::INSTANCE_IDS, ids), (attr::VERIFIED, flag)])
    }
    fn config(blocks: Vec<Value>) -> Value {
        Value::object([
            (attr::ID, Value::Null),
            (attr::CERTIFICATE_ID, Value::string("a27be832f2e9441c8127fe48e3b5ac67")),
            (attr::SERVICE, Value::Null),
            (attr::DOMAIN, Value::Set(blocks)),
        ])
    }
    fn validate(c: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        validate_domains(c, &mut d);
        d
    }

    #[test]
    fn a_domain_named_twice_is_an_error_on_domain() {
        let gw = Value::Set(vec![Value::string(GW1)]);
        let d = validate(&config(vec![
            block("api.example.com", Value::Null, Value::Null),
            block("API.example.com.", gw, Value::Null),
            block("www.example.com", Value::Null, Value::Null),
        ]));
        assert_eq!(d.0.len(), 1, "{d:?}");
        assert_eq!(d.0[0].summary, "Duplicate domain name");
        assert_eq!(d.0[0].attribute, Some(AttributePath::attr(attr::DOMAIN)));
        assert!(d.0[0].detail.contains("\"API.example.com.\"") && d.0[0].detail.contains("instance_ids"));
    }

    #[test]
    fn empty_instance_ids_is_an_error_and_unknowns_pass() {
        let d = validate(&config(vec![block("api.example.com", Value::Set(vec![]), Value::Null)]));
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].summary, "Empty instance_ids");
        assert!(d.0[0].detail.contains("api.example.com"));
        let unknown = Value::object([(attr::NAME, Value::Unknown), (attr::INSTANCE_IDS, Value::Unknown)]);
        assert!(validate(&config(vec![unknown.clone(), unknown])).is_empty());
        assert!(validate(&config(vec![block("a.example.com", Value::Null, Value::Null)])).is_empty());
    }

    fn plan_for(config: Value, planned: Value) -> Value {
        let mut plan = PlanContext {
            prior: None,
            config,
            planned,
            requires_replace: Vec::new(),
            private: Default::default(),
            diagnostics: Diagnostics::new(),
        };
        plan_domains(&mut plan);
        plan.planned
    }

    #[test]
    fn a_left_out_flag_is_planned_false_and_a_written_one_is_kept() {
        let c = config(vec![
            block("api.example.com", Value::Null, Value::Null),
            block("www.example.com", Value::Null, Value::Bool(true)),
        ]);
        // As the engine plans it: the left-out flag unknown (create) or the prior `true` (update).
        for left_out in [Value::Unknown, Value::Bool(true)] {
            let planned = config(vec![
                block("api.example.com", Value::Null, left_out),
                block("www.example.com", Value::Null, Value::Bool(true)),
            ]);
            let p = plan_for(c.clone(), planned);
            assert_eq!(p.get_str(attr::ID), Some("a27be832f2e9441c8127fe48e3b5ac67"));
            let flags: Vec<(String, Option<bool>)> = p
                .get(attr::DOMAIN)
                .and_then(Value::as_elements)
                .unwrap_or(&[])
                .iter()
                .map(|b| (b.get_str(attr::NAME).unwrap_or("").to_string(), b.get_bool(attr::VERIFIED)))
                .collect();
            assert_eq!(flags, [("api.example.com".to_string(), Some(false)), ("www.example.com".into(), Some(true))]);
        }
    }

    #[test]
    fn an_unknown_certificate_id_plans_an_unknown_id() {
        let mut c = config(vec![]);
        c.set(attr::CERTIFICATE_ID, Value::Unknown);
        assert!(plan_for(c.clone(), c).get(attr::ID).is_some_and(Value::is_unknown));
    }

    #[test]
    fn a_block_holding_unknowns_leaves_the_others_checked_and_planned() {
        let unknown_name = |flag: Value| {
            Value::object([(attr::NAME, Value::Unknown), (attr::INSTANCE_IDS, Value::Null), (attr::VERIFIED, flag)])
        };
        let partly_known = Value::Set(vec![Value::string(GW1), Value::Unknown]);
        let c = config(vec![
            block("api.example.com", partly_known.clone(), Value::Null),
            unknown_name(Value::Null),
            block("www.example.com", Value::Set(vec![]), Value::Null),
        ]);
        let summaries: Vec<String> = validate(&c).iter().map(|d| d.summary.clone()).collect();
        assert_eq!(summaries, ["Empty instance_ids"]);

        let planned =
            config(vec![block("api.example.com", partly_known.clone(), Value::Unknown), unknown_name(Value::Unknown)]);
        let p = plan_for(
            config(vec![block("api.example.com", partly_known.clone(), Value::Null), unknown_name(Value::Null)]),
            planned,
        );
        let expected =
            Value::Set(vec![block("api.example.com", partly_known, Value::Bool(false)), unknown_name(Value::Unknown)]);
        assert_eq!(p.get(attr::DOMAIN), Some(&expected), "the known parts of a partly unknown block are kept");
    }
}
