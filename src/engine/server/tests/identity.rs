//! Resource identity: in every answer, computed from the object, never an unknown or null one
//! sent where Terraform forbids it, import by identity, upgrades.

use super::*;

fn identity_ty() -> Type {
    Type::object([("id", Type::String), ("endpoint", Type::String)])
}

fn identity(id: &str) -> Value {
    Value::object([("id", Value::string(id)), ("endpoint", Value::string("x"))])
}

fn identity_of(dv: Option<&DynamicValue>) -> Option<Value> {
    dv.map(|d| val(d, &identity_ty()))
}

#[tokio::test]
async fn identity_schemas_list_every_resource_that_has_one() {
    let (e, _) = engine();
    let r = e.get_resource_identity_schemas().await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let thing = &r.identity_schemas[THING];
    assert_eq!(thing.version, 0);
    let names: Vec<_> = thing.attributes.iter().map(|a| (a.name.as_str(), a.required_for_import)).collect();
    assert_eq!(names, [("id", true), ("endpoint", false)]);
}

#[tokio::test]
async fn a_create_plans_no_identity_and_its_apply_returns_it() {
    let (e, _) = configured().await;
    let config = thing_config("a");
    let (planned, r) = valid_plan(&e, &Value::Null, &config).await;
    assert!(r.planned_identity.is_none(), "the ID is not known before the object exists");
    let (_, r) = apply(&e, &Value::Null, &planned, &config, Cancel::new()).await;
    assert_eq!(identity_of(r.new_identity.as_ref()), Some(identity("thing-1")));
}

/// A state written by Terraform ≤ 1.11 (or before the resource had an identity) has none: read,
/// an update's plan and apply fill it in instead of treating it as a change.
#[tokio::test]
async fn a_state_without_identity_gets_one_from_read_plan_and_apply() {
    let (e, _) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let ty = thing_ty(&e);
    let read = e
        .read_resource(
            ReadResourceRequest { type_name: THING.into(), current_state: dv(&state, &ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert_eq!(identity_of(read.new_identity.as_ref()), Some(identity("thing-1")));

    // `apply -refresh=false` after the upgrade: the plan and the apply of an update carry it.
    let config = thing_config("b");
    let (planned, r) = valid_plan(&e, &state, &config).await;
    assert_eq!(identity_of(r.planned_identity.as_ref()), Some(identity("thing-1")));
    let (_, r) = apply(&e, &state, &planned, &config, Cancel::new()).await;
    assert_eq!(identity_of(r.new_identity.as_ref()), Some(identity("thing-1")));
}

/// Plans no change to `state`, Terraform having sent `prior_identity`.
async fn plan_unchanged(e: &Engine, state: &Value, prior_identity: Option<DynamicValue>) -> PlanResourceChangeResponse {
    let ty = thing_ty(e);
    let request = PlanResourceChangeRequest {
        type_name: THING.into(),
        prior_state: dv(state, &ty),
        proposed_new_state: dv(state, &ty),
        config: dv(state, &ty),
        prior_identity,
        ..Default::default()
    };
    e.plan_resource_change(request, Cancel::new()).await
}

#[tokio::test]
async fn without_provider_data_the_identity_terraform_sent_is_answered_back() {
    // Unconfigured: the identity cannot be computed (it names the provider's endpoint).
    let (e, _) = engine();
    let mut state = thing_config("a");
    state.set("id", Value::string("thing-1"));
    let sent = dv(&identity("thing-1"), &identity_ty());
    let r = plan_unchanged(&e, &state, Some(sent.clone())).await;
    assert_eq!(r.planned_identity, Some(sent));
    // And none at all when Terraform sent none (Terraform < 1.12): never a null or partial one.
    let r = plan_unchanged(&e, &state, None).await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    assert!(r.planned_identity.is_none());
}

#[tokio::test]
async fn import_by_identity_imports_what_the_id_imports() {
    let (e, _) = configured().await;
    let by_id = e
        .import_resource_state(
            ImportResourceStateRequest { type_name: THING.into(), id: "thing-9".into(), ..Default::default() },
            Cancel::new(),
        )
        .await;
    let wanted = Value::object([("id", Value::string("thing-9")), ("endpoint", Value::Null)]);
    let by_identity = e
        .import_resource_state(
            ImportResourceStateRequest {
                type_name: THING.into(),
                identity: Some(dv(&wanted, &identity_ty())),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(by_identity.diagnostics.is_empty(), "{:?}", by_identity.diagnostics);
    let (a, b) = (&by_id.imported_resources[0], &by_identity.imported_resources[0]);
    assert_eq!(a.state, b.state);
    assert_eq!(identity_of(b.identity.as_ref()), Some(identity("thing-9")), "the identity is returned, complete");
    assert_eq!(identity_of(a.identity.as_ref()), Some(identity("thing-9")), "import by ID returns it too");

    let other = Value::object([("id", Value::string("thing-9")), ("endpoint", Value::string("elsewhere"))]);
    let refused = e
        .import_resource_state(
            ImportResourceStateRequest {
                type_name: THING.into(),
                identity: Some(dv(&other, &identity_ty())),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert_eq!(refused.diagnostics.iter().next().map(|d| d.summary.as_str()), Some("Other endpoint"));
    assert!(refused.imported_resources.is_empty());
}

#[tokio::test]
async fn a_delete_keeps_no_identity_and_a_failed_update_keeps_the_planned_one() {
    let (e, _) = configured().await;
    let state = create(&e, &thing_config("nodelete")).await;
    let ty = thing_ty(&e);
    let planned_identity = Some(dv(&identity("thing-1"), &identity_ty()));
    let r = e
        .apply_resource_change(
            ApplyResourceChangeRequest {
                type_name: THING.into(),
                prior_state: dv(&state, &ty),
                planned_state: dv(&Value::Null, &ty),
                config: dv(&Value::Null, &ty),
                planned_identity: planned_identity.clone(),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.has_errors(), "the toy refuses to delete `nodelete`");
    assert_eq!(r.new_identity, planned_identity, "the object stays, and so does its identity");

    let state = create(&e, &thing_config("a")).await;
    let (_, r) = apply(&e, &state, &Value::Null, &Value::Null, Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.new_identity.is_none(), "a deleted object has no identity");
}

#[tokio::test]
async fn identity_upgrade_of_the_current_version_conforms_the_stored_json() {
    let (e, _) = engine();
    let upgrade = |version: i64, json: &str| {
        e.upgrade_resource_identity(UpgradeResourceIdentityRequest {
            type_name: THING.into(),
            version,
            raw_identity: RawState { json: json.as_bytes().to_vec(), ..Default::default() },
        })
    };
    let r = upgrade(0, r#"{"id":"thing-1","endpoint":"x","dropped":"y"}"#).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(identity_of(r.upgraded_identity.as_ref()), Some(identity("thing-1")));
    let r = upgrade(1, "{}").await;
    assert_eq!(r.diagnostics.iter().next().map(|d| d.summary.as_str()), Some("Identity written by a newer provider"));
    let r = upgrade(0, "not json").await;
    assert_eq!(r.diagnostics.iter().next().map(|d| d.summary.as_str()), Some("Invalid stored identity"));
}
