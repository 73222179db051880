//! The service over a stub server: Stop, the panic guard, and the RPCs answered without the provider.

use super::super::request::StopSwitch;
use super::*;
use crate::protocol::Diagnostics;
use crate::protocol::diagnostics::Diagnostic;
use crate::protocol::provider_server::{Cancel, ProviderServer};
use futures::StreamExt;
use handler::ProviderService;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Answers ReadResource only once its cancellation fires (and panics reading type `panics`);
/// panics in PlanResourceChange and ApplyResourceChange.
#[derive(Default)]
struct SlowServer {
    gate: Option<Gate>,
}

/// Lets a test hold a validation in the middle of its (blocking) work.
struct Gate {
    /// Fired when the validation has started.
    entered: std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// The validation blocks its thread on this until the test sends.
    release: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
    /// What happened, in order, as both sides saw it.
    events: Arc<std::sync::Mutex<Vec<&'static str>>>,
}

#[async_trait::async_trait]
impl ProviderServer for SlowServer {
    async fn get_metadata(&self) -> api::GetMetadataResponse {
        api::GetMetadataResponse::default()
    }
    async fn get_provider_schema(&self) -> api::GetProviderSchemaResponse {
        api::GetProviderSchemaResponse::default()
    }
    async fn prepare_provider_config(
        &self,
        _: api::PrepareProviderConfigRequest,
    ) -> api::PrepareProviderConfigResponse {
        api::PrepareProviderConfigResponse::default()
    }
    async fn configure_provider(&self, _: api::ConfigureProviderRequest, _: Cancel) -> api::ConfigureProviderResponse {
        api::ConfigureProviderResponse::default()
    }
    async fn validate_resource_type_config(
        &self,
        _: api::ValidateResourceTypeConfigRequest,
    ) -> api::ValidateResourceTypeConfigResponse {
        if let Some(gate) = &self.gate {
            if let Some(entered) = gate.entered.lock().expect("lock").take() {
                let _ = entered.send(());
            }
            // Blocks the thread, not just the task. The timeout only breaks the deadlock a
            // validation on the async worker would cause; the test fails on the order then.
            let released = gate.release.lock().expect("lock").recv_timeout(Duration::from_secs(30));
            let event = if released.is_ok() { "validation released" } else { "validation gave up waiting" };
            gate.events.lock().expect("lock").push(event);
        }
        api::ValidateResourceTypeConfigResponse::default()
    }
    async fn validate_data_source_config(
        &self,
        _: api::ValidateDataSourceConfigRequest,
    ) -> api::ValidateDataSourceConfigResponse {
        api::ValidateDataSourceConfigResponse::default()
    }
    async fn upgrade_resource_state(&self, _: api::UpgradeResourceStateRequest) -> api::UpgradeResourceStateResponse {
        api::UpgradeResourceStateResponse::default()
    }
    async fn read_resource(&self, req: api::ReadResourceRequest, cancel: Cancel) -> api::ReadResourceResponse {
        if req.type_name == "panics" {
            panic!("provider bug in read")
        }
        cancel.cancelled().await;
        api::ReadResourceResponse {
            diagnostics: Diagnostics::from(Diagnostic::error("Cancelled", req.type_name)),
            ..Default::default()
        }
    }
    async fn plan_resource_change(
        &self,
        _: api::PlanResourceChangeRequest,
        _: Cancel,
    ) -> api::PlanResourceChangeResponse {
        panic!("provider bug")
    }
    async fn apply_resource_change(
        &self,
        _: api::ApplyResourceChangeRequest,
        _: Cancel,
    ) -> api::ApplyResourceChangeResponse {
        panic!("provider bug in apply")
    }
    async fn import_resource_state(
        &self,
        _: api::ImportResourceStateRequest,
        _: Cancel,
    ) -> api::ImportResourceStateResponse {
        api::ImportResourceStateResponse::default()
    }
    async fn move_resource_state(&self, _: api::MoveResourceStateRequest) -> api::MoveResourceStateResponse {
        api::MoveResourceStateResponse::default()
    }
    async fn read_data_source(&self, _: api::ReadDataSourceRequest, _: Cancel) -> api::ReadDataSourceResponse {
        api::ReadDataSourceResponse::default()
    }
    async fn get_functions(&self) -> api::GetFunctionsResponse {
        api::GetFunctionsResponse::default()
    }
    async fn call_function(&self, _: api::CallFunctionRequest) -> api::CallFunctionResponse {
        api::CallFunctionResponse::default()
    }
    async fn get_resource_identity_schemas(&self) -> api::GetResourceIdentitySchemasResponse {
        api::GetResourceIdentitySchemasResponse::default()
    }
    async fn upgrade_resource_identity(
        &self,
        _: api::UpgradeResourceIdentityRequest,
    ) -> api::UpgradeResourceIdentityResponse {
        api::UpgradeResourceIdentityResponse::default()
    }
    async fn validate_list_resource_config(
        &self,
        _: api::ValidateListResourceConfigRequest,
    ) -> api::ValidateListResourceConfigResponse {
        api::ValidateListResourceConfigResponse::default()
    }
    /// Sends `limit` events named 0, 1, …, then panics when the type is `panics`.
    async fn list_resource(&self, req: api::ListResourceRequest, events: api::ListEvents, _: Cancel) {
        for i in 0..req.limit {
            let event = api::ListResourceEvent { display_name: i.to_string(), ..Default::default() };
            if events.send(event).await.is_err() {
                return;
            }
        }
        assert_ne!(req.type_name, "panics", "listing panicked");
    }
}

fn service() -> Arc<ProviderService> {
    service_with(SlowServer::default())
}

fn service_with(server: SlowServer) -> Arc<ProviderService> {
    Arc::new(ProviderService::new(Arc::new(server), Arc::new(StopSwitch::new(CancellationToken::new()))))
}

/// On a single-threaded runtime, the only async worker: had the validation run there, nothing
/// else could be answered until it ended.
#[tokio::test(flavor = "current_thread")]
async fn other_rpcs_are_answered_while_a_validation_holds_its_thread() {
    let (entered_tx, entered_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel();
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let service = service_with(SlowServer {
        gate: Some(Gate {
            entered: std::sync::Mutex::new(Some(entered_tx)),
            release: std::sync::Mutex::new(release_rx),
            events: Arc::clone(&events),
        }),
    });
    let validation = tokio::spawn({
        let service = Arc::clone(&service);
        async move {
            service
                .validate_resource_type_config(Request::new(pb::validate_resource_type_config::Request {
                    type_name: "apig_certificate".into(),
                    ..Default::default()
                }))
                .await
        }
    });
    entered_rx.await.expect("the validation started");

    service.get_schema(Request::new(pb::get_provider_schema::Request {})).await.expect("GetProviderSchema");
    events.lock().expect("lock").push("schema answered");
    service.stop(Request::new(pb::stop::Request {})).await.expect("StopProvider");
    events.lock().expect("lock").push("stop answered");

    release_tx.send(()).expect("the validation is still waiting");
    validation.await.expect("task").expect("validation answered");
    assert_eq!(*events.lock().expect("lock"), ["schema answered", "stop answered", "validation released"]);
}

fn read_request() -> Request<pb::read_resource::Request> {
    Request::new(pb::read_resource::Request { type_name: "apig_certificate".into(), ..Default::default() })
}

#[tokio::test]
async fn stop_cancels_in_flight_requests_and_the_service_keeps_serving() {
    let service = service();
    let in_flight = tokio::spawn({
        let service = Arc::clone(&service);
        async move { service.read_resource(read_request()).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!in_flight.is_finished(), "waits for cancellation");

    let stopped = service.stop(Request::new(pb::stop::Request {})).await.expect("Stop answered");
    assert_eq!(stopped.into_inner().error, "");
    let answer = tokio::time::timeout(Duration::from_secs(5), in_flight)
        .await
        .expect("cancelled request returns")
        .expect("task")
        .expect("status ok");
    let diagnostics = answer.into_inner().diagnostics;
    assert_eq!(diagnostics.first().map(|d| d.detail.as_str()), Some("apig_certificate"));

    // A request after Stop gets a fresh, live token.
    let later = tokio::spawn({
        let service = Arc::clone(&service);
        async move { service.read_resource(read_request()).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!later.is_finished(), "a fresh token is not cancelled");
    service.stop(Request::new(pb::stop::Request {})).await.expect("second Stop");
    assert!(tokio::time::timeout(Duration::from_secs(5), later).await.is_ok());
}

#[tokio::test]
async fn a_panicking_provider_yields_an_error_diagnostic_for_that_request_only() {
    let service = service();
    let planned = service
        .plan_resource_change(Request::new(pb::plan_resource_change::Request::default()))
        .await
        .expect("a panic is answered, not a status")
        .into_inner();
    assert!(planned.planned_state.is_none());
    assert_eq!(planned.diagnostics.len(), 1);
    assert_eq!(planned.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
    assert_eq!(planned.diagnostics[0].summary, "Provider internal error");
    assert!(planned.diagnostics[0].detail.contains("PlanResourceChange"), "{}", planned.diagnostics[0].detail);
    let schema = service.get_schema(Request::new(pb::get_provider_schema::Request {})).await.expect("still fine");
    assert!(schema.into_inner().provider.and_then(|p| p.block).is_some());
}

/// Nothing is known about the remote object after a panic: the state Terraform sent is kept.
#[tokio::test]
async fn a_panic_becomes_a_diagnostic_and_the_state_is_kept() {
    let service = service();
    let state = pb::DynamicValue { msgpack: vec![0x81, 0xa4, b'n', b'a', b'm', b'e', 0xa1, b'x'], json: Vec::new() };
    let read = service
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "panics".into(),
            current_state: Some(state.clone()),
            private: b"private".to_vec(),
            ..Default::default()
        }))
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(read.diagnostics[0].summary, "Provider internal error");
    assert_eq!(read.new_state.map(|v| v.msgpack), Some(state.msgpack.clone()));
    assert_eq!(read.private, b"private".to_vec());

    let applied = service
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: "apig_certificate".into(),
            prior_state: Some(state.clone()),
            planned_state: Some(pb::DynamicValue { msgpack: vec![0xc0], json: Vec::new() }),
            planned_private: b"planned".to_vec(),
            ..Default::default()
        }))
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(applied.diagnostics[0].summary, "Provider internal error");
    assert!(applied.diagnostics[0].detail.contains("ApplyResourceChange"), "{}", applied.diagnostics[0].detail);
    assert_eq!(applied.new_state.map(|v| v.msgpack), Some(state.msgpack), "the prior state, not the planned one");
    assert_eq!(applied.private, b"planned".to_vec());

    // The service keeps serving.
    let service_again = Arc::clone(&service);
    let in_flight = tokio::spawn(async move { service_again.read_resource(read_request()).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    service.stop(Request::new(pb::stop::Request {})).await.expect("Stop");
    let answer = tokio::time::timeout(Duration::from_secs(5), in_flight).await.expect("returns").expect("task");
    assert_eq!(answer.expect("ok").into_inner().diagnostics[0].detail, "apig_certificate");
}

#[tokio::test]
async fn rpcs_the_provider_has_nothing_for_are_answered_without_it() {
    let service = service();
    let status = service
        .validate_action_config(Request::new(pb::validate_action_config::Request::default()))
        .await
        .expect_err("unimplemented");
    assert_eq!(status.code(), tonic::Code::Unimplemented);
    let opened = service
        .open_ephemeral_resource(Request::new(pb::open_ephemeral_resource::Request {
            type_name: "apig_x".into(),
            ..Default::default()
        }))
        .await
        .expect("diagnostic answer")
        .into_inner();
    assert!(opened.result.is_none());
    assert_eq!(opened.diagnostics.first().map(|d| d.severity), Some(pb::diagnostic::Severity::Error as i32));
}

fn list_request(type_name: &str, limit: i64) -> Request<pb::list_resource::Request> {
    Request::new(pb::list_resource::Request { type_name: type_name.into(), limit, ..Default::default() })
}

#[tokio::test]
async fn a_listing_streams_its_events_in_order() {
    let stream = service().list_resource(list_request("apig_certificate", 3)).await.expect("stream").into_inner();
    let names: Vec<String> = stream.map(|e| e.expect("event").display_name).collect().await;
    assert_eq!(names, ["0", "1", "2"]);
}

#[tokio::test]
async fn a_panicking_listing_ends_with_an_error_event() {
    let stream = service().list_resource(list_request("panics", 2)).await.expect("stream").into_inner();
    let events: Vec<pb::list_resource::Event> = stream.map(|e| e.expect("event")).collect().await;
    assert_eq!(events.len(), 3, "the two events sent, then the error");
    let last = &events[2];
    assert_eq!(last.diagnostic[0].summary, "Provider internal error");
    assert!(last.identity.is_none());
}
