//! List resources: config validation, events shaped like a read with their identity, the limit,
//! the resource object only when asked, errors ending the listing.

use super::*;

fn list_config(count: i64) -> Value {
    Value::object([("count", Value::number(count)), ("prefix", Value::Null)])
}

fn list_ty(e: &Engine) -> Type {
    e.list_resources[THING].schema.ty.clone()
}

async fn list(e: &Engine, config: &Value, limit: i64, include_resource_object: bool) -> Vec<ListResourceEvent> {
    let (events, mut received) = tokio::sync::mpsc::channel(1024);
    e.list_resource(
        ListResourceRequest {
            type_name: THING.into(),
            config: dv(config, &list_ty(e)),
            include_resource_object,
            limit,
        },
        events,
        Cancel::new(),
    )
    .await;
    let mut out = Vec::new();
    while let Ok(event) = received.try_recv() {
        out.push(event);
    }
    out
}

#[tokio::test]
async fn list_schemas_are_declared_with_the_provider_schema() {
    let (e, _) = engine();
    let s = e.get_provider_schema().await;
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert!(s.list_resource_schemas[THING].block.attribute("count").is_some_and(|a| a.required));
    assert_eq!(e.get_metadata().await.list_resources, [THING]);
}

#[tokio::test]
async fn events_carry_identity_and_the_object_only_when_asked() {
    let (e, _) = configured().await;
    let events = list(&e, &list_config(2), 100, false).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].display_name, "thing 1");
    assert!(events.iter().all(|ev| ev.identity.is_some() && ev.resource_object.is_none()));
    let identity = val(
        events[0].identity.as_ref().expect("identity"),
        &Type::object([("id", Type::String), ("endpoint", Type::String)]),
    );
    assert_eq!(identity.get_str("id"), Some("thing-0"));

    let events = list(&e, &list_config(2), 100, true).await;
    let object = val(events[0].resource_object.as_ref().expect("object"), &thing_ty(&e));
    assert_eq!(object.get_str("name"), Some("thing-0"));
    assert_eq!(object.get("secret_wo"), Some(&Value::Null), "write-only attributes never leave the provider");
    assert_eq!(object.get("mode"), Some(&Value::Null), "what the lister did not set is null, as after a read");
}

#[tokio::test]
async fn the_limit_stops_the_listing_itself() {
    let (e, probe) = configured().await;
    let events = list(&e, &list_config(50), 3, false).await;
    assert_eq!(events.len(), 3);
    let listed = probe.calls().iter().filter(|c| c.starts_with("list ")).count();
    assert_eq!(listed, 3, "no object is fetched past the limit");
}

#[tokio::test]
async fn an_error_ends_the_listing_after_what_was_sent() {
    let (e, _) = configured().await;
    let events = list(&e, &list_config(13), 100, false).await;
    assert_eq!(events.len(), 2);
    assert!(events[0].identity.is_some());
    assert!(events[1].identity.is_none());
    assert_eq!(events[1].diagnostics.iter().next().map(|d| d.summary.as_str()), Some("Listing failed"));
}

#[tokio::test]
async fn invalid_config_is_refused_with_its_attribute_before_listing() {
    let (e, probe) = configured().await;
    let config = Value::object([("count", Value::number(0)), ("prefix", Value::string("far too long a prefix"))]);
    let r = e
        .validate_list_resource_config(ValidateListResourceConfigRequest {
            type_name: THING.into(),
            config: dv(&config, &list_ty(&e)),
        })
        .await;
    let mut paths = paths(&r.diagnostics);
    paths.sort();
    assert_eq!(paths, ["count", "prefix"]);
    let events = list(&e, &config, 100, false).await;
    assert_eq!(events.len(), 1);
    assert!(events[0].diagnostics.has_errors());
    assert!(probe.calls().is_empty(), "nothing listed");
}
