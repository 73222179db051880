//! Engine tests through the ProviderServer methods, with the toy provider of `toy.rs`.

mod apply;
mod functions;
mod identity;
mod list;
mod plan;
mod state;
mod toy;
mod validate;

use std::collections::HashMap;
use std::sync::Arc;

use super::Engine;
use crate::engine::checks::plan_problems;
use crate::engine::schema::BlockSchema;
use crate::protocol::cty::{Type, Value, msgpack};
use crate::protocol::schema::NestingMode;
use crate::protocol::*;
use toy::{Probe, ToyProvider};

const THING: &str = "toy_thing";

fn engine() -> (Engine, Arc<Probe>) {
    let probe = Arc::new(Probe::default());
    (Engine::new(Arc::new(ToyProvider { probe: probe.clone() })), probe)
}

/// An engine whose provider is configured (resources get provider data).
async fn configured() -> (Engine, Arc<Probe>) {
    let (e, probe) = engine();
    let config = Value::object([("endpoint", Value::string("x")), ("token", Value::Null)]);
    let r = e
        .configure_provider(
            ConfigureProviderRequest {
                terraform_version: "1.11.4".into(),
                config: dv(&config, &e.provider_schema.ty),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    (e, probe)
}

fn thing_ty(e: &Engine) -> Type {
    e.resources[THING].schema.ty.clone()
}

fn thing_block(e: &Engine) -> &BlockSchema {
    &e.resources[THING].schema.decl.block
}

fn dv(v: &Value, ty: &Type) -> DynamicValue {
    DynamicValue::msgpack(msgpack::encode(v, ty).expect("test value encodes"))
}

fn val(d: &DynamicValue, ty: &Type) -> Value {
    msgpack::decode(&d.msgpack, ty).expect("engine output decodes")
}

/// A `toy_thing` configuration: everything null or empty except `name`.
fn thing_config(name: &str) -> Value {
    Value::object([
        ("id", Value::Null),
        ("name", Value::string(name)),
        ("kind", Value::Null),
        ("mode", Value::Null),
        ("updated_at", Value::Null),
        ("secret", Value::Null),
        ("secret_wo", Value::Null),
        ("rule", Value::List(Vec::new())),
        ("tag", Value::Set(Vec::new())),
        ("timeouts", Value::Null),
    ])
}

fn rule(port: i64) -> Value {
    Value::object([("port", Value::number(port)), ("label", Value::Null)])
}

fn tag(key: &str) -> Value {
    Value::object([("key", Value::string(key))])
}

/// Terraform's ProposedNew, simplified to what the toy schema needs: computed attributes whose
/// config is null take the prior value (list blocks by index), everything else the config value.
fn proposed_new(block: &BlockSchema, prior: &Value, config: &Value) -> Value {
    if config.is_null() || !matches!(config, Value::Object(_)) {
        return config.clone();
    }
    let mut out = config.clone();
    for a in block.attributes.iter().filter(|a| a.computed) {
        if config.get(&a.name).is_some_and(Value::is_null) {
            out.set(&a.name, prior.get(&a.name).cloned().unwrap_or(Value::Null));
        }
    }
    for b in &block.blocks {
        let c = config.get(&b.type_name).cloned().unwrap_or(Value::Null);
        let p = prior.get(&b.type_name).cloned().unwrap_or(Value::Null);
        let merged = match (b.nesting, &c) {
            (NestingMode::List, Value::List(cs)) => Value::List(
                cs.iter()
                    .enumerate()
                    .map(|(i, ce)| {
                        proposed_new(&b.block, p.as_elements().and_then(|v| v.get(i)).unwrap_or(&Value::Null), ce)
                    })
                    .collect(),
            ),
            (NestingMode::Single, Value::Object(_)) => proposed_new(&b.block, &p, &c),
            _ => c,
        };
        out.set(&b.type_name, merged);
    }
    out
}

/// Plans `config` against `prior` (null for a create) the way Terraform calls it.
async fn plan(e: &Engine, prior: &Value, config: &Value, prior_private: &[u8]) -> PlanResourceChangeResponse {
    let ty = thing_ty(e);
    let proposed = proposed_new(thing_block(e), prior, config);
    e.plan_resource_change(
        PlanResourceChangeRequest {
            type_name: THING.into(),
            prior_state: dv(prior, &ty),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(config, &ty),
            prior_private: prior_private.to_vec(),
            ..Default::default()
        },
        Cancel::new(),
    )
    .await
}

/// Plans and asserts the plan is valid by Terraform's rules; returns the planned value.
async fn valid_plan(e: &Engine, prior: &Value, config: &Value) -> (Value, PlanResourceChangeResponse) {
    let r = plan(e, prior, config, b"").await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let ty = thing_ty(e);
    let planned = val(r.planned_state.as_ref().expect("planned state"), &ty);
    let problems = plan_problems(thing_block(e), &ty, prior, config, &planned);
    assert!(problems.is_empty(), "invalid plan: {problems:#?}");
    (planned, r)
}

async fn apply(
    e: &Engine,
    prior: &Value,
    planned: &Value,
    config: &Value,
    cancel: Cancel,
) -> (Option<Value>, ApplyResourceChangeResponse) {
    let ty = thing_ty(e);
    let r = e
        .apply_resource_change(
            ApplyResourceChangeRequest {
                type_name: THING.into(),
                prior_state: dv(prior, &ty),
                planned_state: dv(planned, &ty),
                config: dv(config, &ty),
                ..Default::default()
            },
            cancel,
        )
        .await;
    (r.new_state.as_ref().map(|s| val(s, &ty)), r)
}

/// Plan then apply a create of `config`; returns the new state.
async fn create(e: &Engine, config: &Value) -> Value {
    let (planned, _) = valid_plan(e, &Value::Null, config).await;
    let (state, r) = apply(e, &Value::Null, &planned, config, Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    state.expect("new state")
}

fn paths(d: &Diagnostics) -> Vec<String> {
    d.iter().map(|x| x.attribute.as_ref().map(|p| p.to_string()).unwrap_or_default()).collect()
}

#[tokio::test]
async fn schema_response_is_complete_and_cached() {
    let (e, _) = engine();
    let s = e.get_provider_schema().await;
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert!(s.server_capabilities.plan_destroy && s.server_capabilities.get_provider_schema_optional);
    assert!(!s.server_capabilities.move_resource_state);
    assert!(s.provider.block.attribute("token").unwrap().sensitive);
    let thing = &s.resource_schemas["toy_thing"];
    assert_eq!(thing.version, 1);
    let t = thing.block.block_type("timeouts").unwrap();
    assert_eq!(t.nesting, NestingMode::Single);
    let ops: Vec<_> = t.block.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(ops, ["create", "read", "update", "delete"]);
    assert!(thing.block.attribute("secret_wo").unwrap().write_only);
    assert!(s.data_source_schemas["toy_lookup"].block.block_type("timeouts").is_none());
    assert_eq!(s.functions.len(), 2);
    assert!(s.functions["join"].variadic_parameter.is_some());

    let m = e.get_metadata().await;
    assert_eq!(m.resources, ["toy_thing"]);
    assert_eq!(m.data_sources, ["toy_lookup"]);
    assert_eq!(m.functions, ["join", "upper"]);
    assert_eq!(m.server_capabilities, s.server_capabilities);
    assert_eq!(e.get_functions().await.functions.len(), 2);
}

#[tokio::test]
async fn unknown_types_are_diagnostics() {
    let (e, _) = engine();
    let r = e
        .validate_resource_type_config(ValidateResourceTypeConfigRequest {
            type_name: "toy_nope".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(r.diagnostics.0[0].summary, "Unknown resource type");
    let r = e.call_function(CallFunctionRequest { name: "nope".into(), arguments: vec![] }).await;
    assert!(r.error.unwrap().text.contains("no function"));
}

#[tokio::test]
async fn move_is_refused_and_flatmap_state_is_too_old() {
    let (e, _) = engine();
    let r = e
        .move_resource_state(MoveResourceStateRequest {
            source_type_name: "other_thing".into(),
            target_type_name: "toy_thing".into(),
            ..Default::default()
        })
        .await;
    assert!(r.target_state.is_none());
    assert!(r.diagnostics.has_errors());
    let r = e
        .upgrade_resource_state(UpgradeResourceStateRequest {
            type_name: "toy_thing".into(),
            version: 0,
            raw_state: RawState { json: Vec::new(), flatmap: HashMap::from([("id".into(), "x".into())]) },
        })
        .await;
    assert_eq!(r.diagnostics.0[0].summary, "State too old to upgrade");
    let r = e
        .upgrade_resource_state(UpgradeResourceStateRequest {
            type_name: "toy_thing".into(),
            version: 7,
            raw_state: RawState { json: b"{}".to_vec(), flatmap: HashMap::new() },
        })
        .await;
    assert_eq!(r.diagnostics.0[0].summary, "State written by a newer provider");
}

#[tokio::test]
async fn a_broken_declaration_is_reported_in_the_schema() {
    struct Broken;
    #[async_trait::async_trait]
    impl crate::engine::Provider for Broken {
        fn type_name(&self) -> &'static str {
            "broken"
        }
        fn schema(&self) -> crate::engine::ResourceSchema {
            crate::engine::ResourceSchema::new(
                crate::engine::BlockSchema::new("").attribute(crate::engine::AttributeSchema::string("x")),
            )
        }
        async fn configure(
            &self,
            _: &crate::engine::Context,
            _: &str,
            _: crate::protocol::cty::Value,
        ) -> Result<crate::engine::ProviderData, Diagnostics> {
            Ok(Arc::new(()))
        }
        fn resources(&self) -> Vec<Arc<dyn crate::engine::Resource>> {
            Vec::new()
        }
        fn data_sources(&self) -> Vec<Arc<dyn crate::engine::DataSource>> {
            Vec::new()
        }
        fn functions(&self) -> Vec<Arc<dyn crate::engine::Function>> {
            Vec::new()
        }
    }
    let e = Engine::new(Arc::new(Broken));
    let s = e.get_provider_schema().await;
    assert_eq!(s.diagnostics.0.len(), 1);
    assert!(s.diagnostics.0[0].detail.contains("must be required, optional or computed"));
}
