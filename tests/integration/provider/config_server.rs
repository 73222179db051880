//! The provider block through the engine's `ProviderServer` boundary, as Terraform drives it:
//! msgpack in, diagnostics with wire attribute paths out. (The end-to-end tests show the same
//! through the real Terraform CLI.)

use std::collections::HashMap;
use std::sync::Arc;

use terraform_provider_apig::engine::{Engine, Provider};
use terraform_provider_apig::protocol::cty::{Type, Value, msgpack};
use terraform_provider_apig::protocol::*;
use terraform_provider_apig::provider::ApigProvider;

const PID: &str = "0123456789abcdef0123456789abcdef";

fn engine(env: &[(&str, &str)]) -> (Engine, Type) {
    let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let provider = ApigProvider::with_env(Arc::new(env));
    let ty = provider.schema().block_type();
    (Engine::new(Arc::new(provider)), ty)
}

/// The provider block as Terraform sends it: every attribute, null unless set.
fn block(ty: &Type, set: &[(&str, Value)]) -> DynamicValue {
    let mut v = Value::null_object_of(ty);
    for (k, val) in set {
        v.set(k, val.clone());
    }
    DynamicValue::msgpack(msgpack::encode(&v, ty).expect("encodes"))
}

fn s(v: &str) -> Value {
    Value::string(v)
}

async fn prepare(e: &Engine, config: DynamicValue) -> PrepareProviderConfigResponse {
    e.prepare_provider_config(PrepareProviderConfigRequest { config }).await
}

async fn configure(e: &Engine, config: DynamicValue) -> ConfigureProviderResponse {
    e.configure_provider(
        ConfigureProviderRequest { terraform_version: "1.11.4".into(), config, ..Default::default() },
        Cancel::new(),
    )
    .await
}

#[tokio::test]
async fn the_wire_schema_marks_secrets_sensitive() {
    let (e, _) = engine(&[]);
    let schema = e.get_provider_schema().await;
    assert!(schema.diagnostics.is_empty(), "{:?}", schema.diagnostics);
    let block = &schema.provider.block;
    for (name, sensitive) in [
        ("auth_token", true),
        ("secret_key", true),
        ("security_token", true),
        ("password", true),
        ("access_key", false),
        ("region", false),
    ] {
        let a = block.attribute(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(a.sensitive, sensitive, "{name}");
        assert!(a.optional && !a.required, "{name}");
    }
}

#[tokio::test]
async fn conflicting_credentials_are_an_error_on_the_attribute_path() {
    let (e, ty) = engine(&[]);
    let config = block(
        &ty,
        &[
            ("region", s("cn-north-4")),
            ("project_id", s(PID)),
            ("auth_token", s("tok-WIRE-SENTINEL")),
            ("access_key", s("AK")),
            ("secret_key", s("sk-WIRE-SENTINEL")),
        ],
    );
    let r = prepare(&e, config.clone()).await;
    assert_eq!(r.diagnostics.0.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics.0[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.summary, "Conflicting credentials");
    assert_eq!(d.attribute, Some(AttributePath::attr("access_key")));
    assert!(!format!("{d:?}").contains("WIRE-SENTINEL"), "a secret leaked into {d:?}");
    assert!(r.prepared_config.is_none());

    // ConfigureProvider refuses it the same way.
    let r = configure(&e, config).await;
    assert_eq!(r.diagnostics.0.first().and_then(|d| d.attribute.clone()), Some(AttributePath::attr("access_key")));
}

#[tokio::test]
async fn an_unknown_endpoint_key_is_reported_on_the_map_element() {
    let (e, ty) = engine(&[]);
    let endpoints = Value::Map([("apgi".to_string(), s("http://127.0.0.1:9"))].into_iter().collect());
    let r = prepare(&e, block(&ty, &[("endpoints", endpoints)])).await;
    let d = r.diagnostics.0.first().expect("a diagnostic");
    assert_eq!(d.attribute, Some(AttributePath::attr("endpoints").push_key("apgi")));
}

#[tokio::test]
async fn missing_values_pass_prepare_but_fail_configure_with_a_helpful_message() {
    let (e, ty) = engine(&[]);
    let config = block(&ty, &[("region", s("cn-north-4"))]);
    let r = prepare(&e, config.clone()).await;
    assert!(r.diagnostics.is_empty(), "`terraform validate` must not need credentials: {:?}", r.diagnostics);

    let r = configure(&e, config).await;
    let summaries: Vec<&str> = r.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(summaries, ["Missing credentials", "Missing project ID"]);
    assert!(r.diagnostics.0[0].detail.contains("HW_AUTH_TOKEN"));
}

#[tokio::test]
async fn environment_variables_complete_the_block() {
    let (e, ty) = engine(&[("HW_PROJECT_ID", PID), ("HW_SECRET_KEY", "sk"), ("HW_REGION_NAME", "cn-north-4")]);
    let r = configure(&e, block(&ty, &[("access_key", s("AK"))])).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[tokio::test]
async fn unknown_values_are_not_errors() {
    let (e, ty) = engine(&[]);
    let r = prepare(&e, block(&ty, &[("auth_token", Value::Unknown), ("region", Value::Unknown)])).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // Configure with unknowns leaves the provider unconfigured without an error (engine rule).
    let r = configure(&e, block(&ty, &[("auth_token", Value::Unknown)])).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}
