//! ApplyResourceChange: create, update, delete, enforcement of Terraform's rules on the result,
//! validation at apply, timeouts and Stop reaching the resource.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::*;
use crate::engine::checks::apply_problems;

#[tokio::test]
async fn create_returns_the_planned_object_with_computed_values() {
    let (e, probe) = configured().await;
    let mut c = thing_config("a");
    c.set("secret_wo", Value::string("s3cret"));
    c.set("timeouts", Value::object([("create", Value::string("5m"))]));
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let (state, r) = apply(&e, &Value::Null, &planned, &c, Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let state = state.unwrap();
    assert!(apply_problems(&planned, &state).is_empty(), "{:?}", apply_problems(&planned, &state));
    assert_eq!(state.get_str("id"), Some("thing-1"));
    assert_eq!(state.get("secret_wo"), Some(&Value::Null));
    assert_eq!(state.get("timeouts").and_then(|t| t.get_str("create")), Some("5m"));
    // The write-only value reached the resource through the config only.
    assert_eq!(*probe.last_config_secret_wo.lock().unwrap(), Some(Value::string("s3cret")));
    assert!(probe.last_deadline.lock().unwrap().is_some());
    assert_eq!(probe.create_saw_endpoint.lock().unwrap().as_deref(), Some("x"), "provider data reached create");
    assert_eq!(probe.calls(), ["create"]);
}

#[tokio::test]
async fn a_misbehaving_resource_cannot_break_the_rules() {
    let (e, probe) = configured().await;
    probe.misbehave.store(true, Ordering::SeqCst);
    let mut c = thing_config("a");
    c.set("secret_wo", Value::string("s3cret"));
    c.set("timeouts", Value::object([("create", Value::string("5m"))]));
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let (state, r) = apply(&e, &Value::Null, &planned, &c, Cancel::new()).await;
    let state = state.unwrap();
    // Known planned name kept, write-only nulled, timeouts copied from the plan.
    assert_eq!(state.get_str("name"), Some("a"));
    assert_eq!(state.get("secret_wo"), Some(&Value::Null));
    assert_eq!(state.get("timeouts").and_then(|t| t.get_str("create")), Some("5m"));
    // The unknown it left is an error on that attribute, and null in the state sent.
    assert!(state.is_wholly_known());
    assert_eq!(paths(&r.diagnostics), ["updated_at"]);
    assert_eq!(r.diagnostics.0[0].summary, "Provider left a value unknown");
}

#[tokio::test]
async fn values_unknown_at_plan_are_validated_at_apply_before_any_call() {
    let (e, probe) = configured().await;
    let mut c = thing_config("x");
    c.set("name", Value::Unknown);
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let mut known = thing_config("much_too_long_name");
    known.set("rule", Value::List(vec![rule(0)]));
    let mut planned = planned;
    planned.set("name", Value::string("much_too_long_name"));
    planned.set("rule", Value::List(vec![rule(0)]));
    let (state, r) = apply(&e, &Value::Null, &planned, &known, Cancel::new()).await;
    assert_eq!(paths(&r.diagnostics), ["name", "rule[0].port"]);
    assert_eq!(state, Some(Value::Null));
    assert!(probe.calls().is_empty(), "no API call on invalid config");
}

#[tokio::test]
async fn what_validation_made_at_apply_reaches_create_and_update() {
    let (e, probe) = configured().await;
    // Unknown at plan: only the apply's validation sees the name, and hands it on.
    let mut c = thing_config("x");
    c.set("name", Value::Unknown);
    let (mut planned, _) = valid_plan(&e, &Value::Null, &c).await;
    planned.set("name", Value::string("known"));
    let (state, r) = apply(&e, &Value::Null, &planned, &thing_config("known"), Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(probe.apply_saw_validated.lock().unwrap().as_deref(), Some("known"), "create");

    let state = state.expect("state");
    let c = thing_config("renamed");
    let (planned, _) = valid_plan(&e, &state, &c).await;
    let (_, r) = apply(&e, &state, &planned, &c, Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(probe.apply_saw_validated.lock().unwrap().as_deref(), Some("renamed"), "update");
    assert_eq!(probe.calls(), ["create", "update"]);
}

#[tokio::test]
async fn update_fills_unknowns_and_timeouts_only_change_makes_no_call() {
    let (e, probe) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let c = thing_config("b");
    let (planned, _) = valid_plan(&e, &state, &c).await;
    let (new, r) = apply(&e, &state, &planned, &c, Cancel::new()).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let new = new.unwrap();
    assert!(apply_problems(&planned, &new).is_empty());
    assert_eq!((new.get_str("name"), new.get_str("updated_at")), (Some("b"), Some("t3")));

    let mut c2 = c.clone();
    c2.set("timeouts", Value::object([("delete", Value::string("1m"))]));
    let (planned, _) = valid_plan(&e, &new, &c2).await;
    let (newer, r) = apply(&e, &new, &planned, &c2, Cancel::new()).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(newer.unwrap().get("timeouts").and_then(|t| t.get_str("delete")), Some("1m"));
    assert_eq!(probe.calls(), ["create", "update"], "no update call for a timeouts-only change");
}

#[tokio::test]
async fn delete_returns_null_or_keeps_the_object_on_error() {
    let (e, probe) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let (new, r) = apply(&e, &state, &Value::Null, &Value::Null, Cancel::new()).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(new, Some(Value::Null));
    let stuck = create(&e, &thing_config("nodelete")).await;
    let (new, r) = apply(&e, &stuck, &Value::Null, &Value::Null, Cancel::new()).await;
    assert!(r.diagnostics.has_errors());
    assert_eq!(new, Some(stuck));
    assert_eq!(probe.calls(), ["create", "delete", "create", "delete"]);
}

#[tokio::test]
async fn unconfigured_provider_gives_a_clear_error_at_apply() {
    let (e, _) = engine();
    let config = Value::object([("endpoint", Value::Unknown), ("token", Value::Null)]);
    let r = e
        .configure_provider(
            ConfigureProviderRequest { config: dv(&config, &e.provider_schema.ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty());
    let c = thing_config("a");
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let (state, r) = apply(&e, &Value::Null, &planned, &c, Cancel::new()).await;
    assert_eq!(r.diagnostics.0[0].summary, "Provider not configured");
    assert_eq!(state, Some(Value::Null));
}

#[tokio::test]
async fn configure_errors_are_returned() {
    let (e, probe) = engine();
    let config = Value::object([("endpoint", Value::string("fail")), ("token", Value::Null)]);
    let r = e
        .configure_provider(
            ConfigureProviderRequest { config: dv(&config, &e.provider_schema.ty), ..Default::default() },
            Cancel::new(),
        )
        .await;
    assert_eq!(r.diagnostics.0[0].summary, "Cannot configure");
    assert_eq!(probe.configured_with.lock().unwrap().as_deref(), Some("fail"));
    assert!(e.provider_data().is_none());
}

#[tokio::test]
async fn the_create_timeout_cancels_the_operation() {
    let (e, probe) = configured().await;
    probe.block_on_create.store(true, Ordering::SeqCst);
    let mut c = thing_config("a");
    c.set("timeouts", Value::object([("create", Value::string("50ms"))]));
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let (state, r) = apply(&e, &Value::Null, &planned, &c, Cancel::new()).await;
    assert_eq!(probe.calls(), ["create", "cancelled"]);
    let summaries: Vec<_> = r.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(summaries, ["Cannot create the thing: timed out"], "one diagnostic, and it says timeout");
    assert_eq!(paths(&r.diagnostics), ["timeouts.create"]);
    assert!(r.diagnostics.0[0].detail.contains("50ms"), "{}", r.diagnostics.0[0].detail);
    assert_eq!(state, Some(Value::Null));
}

#[tokio::test]
async fn stop_reaches_the_resource() {
    let (e, probe) = configured().await;
    probe.block_on_create.store(true, Ordering::SeqCst);
    let c = thing_config("a");
    let (planned, _) = valid_plan(&e, &Value::Null, &c).await;
    let stop = Cancel::new();
    let stopper = {
        let stop = stop.clone();
        let probe = probe.clone();
        tokio::spawn(async move {
            // Stop once the resource is inside create.
            while probe.calls().is_empty() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            stop.cancel();
        })
    };
    let (_, r) = apply(&e, &Value::Null, &planned, &c, stop).await;
    stopper.await.unwrap();
    assert_eq!(probe.calls(), ["create", "cancelled"]);
    let summaries: Vec<_> = r.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(summaries, ["Cannot create the thing: interrupted"], "a Stop is not reported as a timeout");
}
