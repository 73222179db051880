//! ReadResource, ImportResourceState, UpgradeResourceState, ReadDataSource.

use std::sync::atomic::Ordering;

use super::*;

async fn read(e: &Engine, state: &Value) -> (Value, ReadResourceResponse) {
    let ty = thing_ty(e);
    let r = e
        .read_resource(
            ReadResourceRequest { type_name: THING.into(), current_state: dv(state, &ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    (val(r.new_state.as_ref().unwrap(), &ty), r)
}

#[tokio::test]
async fn read_refreshes_and_keeps_timeouts_from_the_current_state() {
    let (e, probe) = configured().await;
    let mut c = thing_config("a");
    c.set("timeouts", Value::object([("read", Value::string("2m"))]));
    let state = create(&e, &c).await;
    let (new, r) = read(&e, &state).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(new.get_str("updated_at"), Some("t2"));
    assert_eq!(new.get("timeouts").and_then(|t| t.get_str("read")), Some("2m"));
    assert!(probe.last_deadline.lock().unwrap().is_some());
}

#[tokio::test]
async fn a_stored_state_that_does_not_decode_is_answered_with_the_error_alone() {
    let (e, probe) = configured().await;
    let garbage = DynamicValue::msgpack(vec![0x81, 0xa1]);
    let r = e
        .read_resource(
            ReadResourceRequest { type_name: THING.into(), current_state: garbage.clone(), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.has_errors());
    assert!(r.new_state.is_none(), "the undecodable bytes are not handed back as the new state");
    let ty = thing_ty(&e);
    let r = e
        .apply_resource_change(
            ApplyResourceChangeRequest {
                type_name: THING.into(),
                prior_state: garbage,
                planned_state: dv(&Value::Null, &ty),
                config: dv(&Value::Null, &ty),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.has_errors());
    assert!(r.new_state.is_none(), "a delete of an undecodable state returns the error alone");
    assert!(probe.calls().is_empty(), "nothing reached the resource");
}

#[tokio::test]
async fn read_of_a_gone_object_is_null() {
    let (e, probe) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    probe.gone.store(true, Ordering::SeqCst);
    let (new, r) = read(&e, &state).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(new, Value::Null);
}

#[tokio::test]
async fn import_passes_the_id_through_and_fills_the_rest_with_null() {
    let (e, _) = configured().await;
    let r = e
        .import_resource_state(
            ImportResourceStateRequest { type_name: THING.into(), id: "thing-9".into(), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.imported_resources.len(), 1);
    let imported = &r.imported_resources[0];
    assert_eq!(imported.type_name, THING);
    let state = val(&imported.state, &thing_ty(&e));
    assert_eq!(state.get_str("id"), Some("thing-9"));
    assert_eq!(state.get("name"), Some(&Value::Null));
    assert_eq!(state.get("timeouts"), Some(&Value::Null));
    assert_eq!(state.get("rule"), Some(&Value::List(Vec::new())));
}

fn upgrade_request(version: i64, json: &str) -> UpgradeResourceStateRequest {
    UpgradeResourceStateRequest {
        type_name: THING.into(),
        version,
        raw_state: RawState { json: json.as_bytes().to_vec(), flatmap: HashMap::new() },
    }
}

#[tokio::test]
async fn upgrade_same_version_drops_removed_attributes() {
    let (e, _) = engine();
    let r = e
        .upgrade_resource_state(upgrade_request(
            1,
            r#"{"id":"thing-1","name":"a","removed_long_ago":true,"rule":[{"port":443,"label":null,"old":1}],"secret_wo":null}"#,
        ))
        .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let state = val(r.upgraded_state.as_ref().unwrap(), &thing_ty(&e));
    assert_eq!(state.get_str("name"), Some("a"));
    assert_eq!(state.get("rule"), Some(&Value::List(vec![rule(443)])));
    assert_eq!(state.get("tag"), Some(&Value::Set(Vec::new())));
    assert_eq!(state.get("timeouts"), Some(&Value::Null));
}

#[tokio::test]
async fn upgrade_from_an_older_version_uses_the_resource_upgrader() {
    let (e, _) = engine();
    let r = e.upgrade_resource_state(upgrade_request(0, r#"{"id":"thing-1","title":"old"}"#)).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let state = val(r.upgraded_state.as_ref().unwrap(), &thing_ty(&e));
    assert_eq!(state.get_str("name"), Some("old"));
    let r = e.upgrade_resource_state(upgrade_request(1, "{not json")).await;
    assert_eq!(r.diagnostics.0[0].summary, "Invalid stored state");
}

#[tokio::test]
async fn data_source_read_returns_a_known_object() {
    let (e, _) = configured().await;
    let ty = e.data_sources["toy_lookup"].schema.ty.clone();
    let config = Value::object([("name", Value::string("abc")), ("value", Value::Null)]);
    let r = e
        .read_data_source(
            ReadDataSourceRequest { type_name: "toy_lookup".into(), config: dv(&config, &ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(val(r.state.as_ref().unwrap(), &ty).get_str("value"), Some("ABC"));
    let bad = Value::object([("name", Value::string("far_too_long_name")), ("value", Value::Null)]);
    let r = e
        .read_data_source(
            ReadDataSourceRequest { type_name: "toy_lookup".into(), config: dv(&bad, &ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert!(r.state.is_none());
    assert_eq!(paths(&r.diagnostics), ["name"]);
}
