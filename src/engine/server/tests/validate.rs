//! Validation through ValidateResourceTypeConfig / PrepareProviderConfig / ValidateDataSourceConfig.

use super::*;

/// Validates as Terraform 1.11 does (write-only attributes allowed).
async fn validate(e: &Engine, config: &Value) -> Diagnostics {
    validate_with(e, config, true).await
}

async fn validate_with(e: &Engine, config: &Value, write_only_allowed: bool) -> Diagnostics {
    e.validate_resource_type_config(ValidateResourceTypeConfigRequest {
        type_name: THING.into(),
        config: dv(config, &thing_ty(e)),
        client_capabilities: ClientCapabilities {
            write_only_attributes_allowed: write_only_allowed,
            deferral_allowed: false,
        },
    })
    .await
    .diagnostics
}

#[tokio::test]
async fn write_only_values_need_a_terraform_that_supports_them() {
    let (e, _) = engine();
    let mut c = thing_config("ok");
    c.set("secret_wo", Value::string("s"));
    assert!(validate(&e, &c).await.is_empty());
    let d = validate_with(&e, &c, false).await;
    assert_eq!(paths(&d), ["secret_wo"]);
    assert_eq!(d.0[0].summary, "Write-only attribute not supported");
    assert!(validate_with(&e, &thing_config("ok"), false).await.is_empty());
}

#[tokio::test]
async fn a_valid_config_has_no_diagnostics() {
    let (e, _) = engine();
    let mut c = thing_config("ok");
    c.set("rule", Value::List(vec![rule(443)]));
    c.set("tag", Value::Set(vec![tag("env")]));
    c.set("timeouts", Value::object([("create", Value::string("1h30m"))]));
    assert!(validate(&e, &c).await.is_empty());
}

#[tokio::test]
async fn errors_carry_attribute_paths_in_nested_blocks() {
    let (e, _) = engine();
    let mut c = thing_config("much_too_long_name");
    c.set("kind", Value::string("forbidden"));
    c.set("rule", Value::List(vec![rule(443), rule(70000)]));
    c.set("tag", Value::Set(vec![tag("ok"), tag("far_too_long_key")]));
    c.set(
        "timeouts",
        Value::object([
            ("create", Value::string("soon")),
            ("read", Value::Null),
            ("update", Value::string("10m")),
            ("delete", Value::string("5")),
        ]),
    );
    let d = validate(&e, &c).await;
    assert!(d.iter().all(|x| x.severity == Severity::Error && !x.detail.is_empty()));
    assert_eq!(paths(&d), ["name", "rule[1].port", "tag", "timeouts.create", "timeouts.delete", "kind"]);
}

#[tokio::test]
async fn unknown_values_are_left_for_apply() {
    let (e, _) = engine();
    let mut c = thing_config("x");
    c.set("name", Value::Unknown);
    c.set("rule", Value::List(vec![Value::object([("port", Value::Unknown), ("label", Value::Null)])]));
    c.set("tag", Value::Unknown);
    assert!(validate(&e, &c).await.is_empty());
}

#[tokio::test]
async fn required_null_is_reported() {
    let (e, _) = engine();
    let mut c = thing_config("x");
    c.set("name", Value::Null);
    c.set("rule", Value::List(vec![Value::object([("port", Value::Null), ("label", Value::Null)])]));
    let d = validate(&e, &c).await;
    assert_eq!(paths(&d), ["name", "rule[0].port"]);
    assert!(d.iter().all(|x| x.summary == "Missing required argument"));
}

#[tokio::test]
async fn provider_and_data_source_configs_are_validated() {
    let (e, _) = engine();
    let ty = e.provider_schema.ty.clone();
    let bad = Value::object([("endpoint", Value::string("far_too_long_endpoint")), ("token", Value::Null)]);
    let r = e.prepare_provider_config(PrepareProviderConfigRequest { config: dv(&bad, &ty) }).await;
    assert_eq!(paths(&r.diagnostics), ["endpoint"]);
    assert!(r.prepared_config.is_none());
    let good = Value::object([("endpoint", Value::Unknown), ("token", Value::Null)]);
    let r = e.prepare_provider_config(PrepareProviderConfigRequest { config: dv(&good, &ty) }).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(r.prepared_config, Some(dv(&good, &ty)));

    let ty = e.data_sources["toy_lookup"].schema.ty.clone();
    let bad = Value::object([("name", Value::string("far_too_long_name")), ("value", Value::Null)]);
    let r = e
        .validate_data_source_config(ValidateDataSourceConfigRequest {
            type_name: "toy_lookup".into(),
            config: dv(&bad, &ty),
        })
        .await;
    assert_eq!(paths(&r.diagnostics), ["name"]);
}

#[tokio::test]
async fn garbage_bytes_are_a_diagnostic_not_a_panic() {
    let (e, _) = engine();
    let d = e
        .validate_resource_type_config(ValidateResourceTypeConfigRequest {
            type_name: THING.into(),
            config: DynamicValue::msgpack(vec![0x81, 0xa1]),
            ..Default::default()
        })
        .await
        .diagnostics;
    assert_eq!(d.0[0].summary, "Invalid value from Terraform");
}
