//! PlanResourceChange through the server, every plan checked against Terraform's rules.

use super::*;

#[tokio::test]
async fn create_plans_unknown_computed_defaults_and_null_write_only() {
    let (e, _) = configured().await;
    let mut c = thing_config("a");
    c.set("secret_wo", Value::string("s3cret"));
    c.set("rule", Value::List(vec![rule(80)]));
    c.set("timeouts", Value::object([("create", Value::string("5m"))]));
    let (p, r) = valid_plan(&e, &Value::Null, &c).await;
    assert!(p.get("id").unwrap().is_unknown());
    assert!(p.get("updated_at").unwrap().is_unknown());
    assert_eq!(p.get_str("mode"), Some("auto"));
    assert_eq!(p.get("secret_wo"), Some(&Value::Null));
    assert_eq!(p.get("tag"), Some(&Value::Set(Vec::new())));
    assert_eq!(p.get("rule"), Some(&Value::List(vec![rule(80)])));
    assert_eq!(p.get("timeouts").and_then(|t| t.get_str("create")), Some("5m"));
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn update_without_change_plans_exactly_the_prior_state() {
    let (e, _) = configured().await;
    let c = thing_config("a");
    let state = create(&e, &c).await;
    let (p, r) = valid_plan(&e, &state, &c).await;
    assert_eq!(p, state);
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn update_marks_computed_unknown_but_keeps_use_state_for_unknown() {
    let (e, _) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let (p, r) = valid_plan(&e, &state, &thing_config("b")).await;
    assert_eq!(p.get_str("id"), Some("thing-1"));
    assert!(p.get("updated_at").unwrap().is_unknown());
    assert_eq!(p.get_str("mode"), Some("auto"));
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn requires_replace_on_changed_attribute_and_resource_paths() {
    let (e, _) = configured().await;
    let mut c = thing_config("a");
    c.set("kind", Value::string("k1"));
    let state = create(&e, &c).await;
    c.set("kind", Value::string("k2"));
    let (_, r) = valid_plan(&e, &state, &c).await;
    assert_eq!(r.requires_replace, vec![AttributePath::attr("kind")]);
    // modify_plan adds `name` and a path that does not exist; only `name` survives.
    let mut c = thing_config("replaceme");
    c.set("kind", Value::string("k1"));
    let (_, r) = valid_plan(&e, &state, &c).await;
    assert_eq!(r.requires_replace, vec![AttributePath::attr("name")]);
    // On create nothing is replaced.
    let (_, r) = valid_plan(&e, &Value::Null, &c).await;
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn destroy_plans_null_and_keeps_private() {
    let (e, _) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let ty = thing_ty(&e);
    let r = e
        .plan_resource_change(
            PlanResourceChangeRequest {
                type_name: THING.into(),
                prior_state: dv(&state, &ty),
                proposed_new_state: dv(&Value::Null, &ty),
                config: dv(&Value::Null, &ty),
                prior_private: br#"{"k":1}"#.to_vec(),
                ..Default::default()
            },
            Cancel::new(),
        )
        .await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(val(r.planned_state.as_ref().unwrap(), &ty), Value::Null);
    assert_eq!(r.planned_private, br#"{"k":1}"#.to_vec());
}

#[tokio::test]
async fn private_passes_through_unless_the_resource_changes_it() {
    let (e, _) = configured().await;
    let r = plan(&e, &Value::Null, &thing_config("a"), br#"{"keep": "me"}"#).await;
    assert_eq!(r.planned_private, br#"{"keep": "me"}"#.to_vec());
    let r = plan(&e, &Value::Null, &thing_config("private"), br#"{"keep":"me"}"#).await;
    let private: serde_json::Value = serde_json::from_slice(&r.planned_private).unwrap();
    assert_eq!(private, serde_json::json!({"keep": "me", "planned": true}));
}

#[tokio::test]
async fn timeouts_change_alone_keeps_computed_values() {
    let (e, _) = configured().await;
    let state = create(&e, &thing_config("a")).await;
    let mut c = thing_config("a");
    c.set("timeouts", Value::object([("update", Value::string("2m"))]));
    let (p, r) = valid_plan(&e, &state, &c).await;
    assert_eq!(p.get_str("updated_at"), Some("t1"));
    assert_eq!(p.get("timeouts").and_then(|t| t.get_str("update")), Some("2m"));
    assert!(r.requires_replace.is_empty());
}
