//! The `tfplugin5.Provider` gRPC service: every handler opens a span, takes a cancellation token,
//! converts the request, calls the [`ProviderServer`], and converts the answer back.
//! RPCs the provider has nothing for (identity, list, actions, ephemeral resources, config
//! generation) are answered here without reaching the provider.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures::FutureExt;
use tonic::{Request, Response, Status};
use tracing::Instrument;

use super::convert::error_diagnostic;
use super::generated::tfplugin5 as pb;
use super::generated::tfplugin5::provider_server::Provider;
use super::request::{StopSwitch, rpc_span};
use crate::protocol::provider_server::{self as api, Cancel, ProviderServer};

/// Where a handler runs. Validation, planning checks and function calls parse certificates and
/// keys: CPU work that would hold an async worker (the runtime has one per core) and so delay
/// every other request, Stop included. They run on tokio's blocking pool instead.
#[derive(Clone, Copy)]
enum Runs {
    /// On the async workers: RPCs that only wait (on the API, on cancellation) or answer at once.
    OnWorker,
    /// On the blocking pool, driving the handler's future there.
    OffWorkers,
}

pub(crate) struct ProviderService {
    server: Arc<dyn ProviderServer>,
    stop: Arc<StopSwitch>,
}

impl ProviderService {
    pub(crate) fn new(server: Arc<dyn ProviderServer>, stop: Arc<StopSwitch>) -> Self {
        ProviderService { server, stop }
    }

    /// The one shape of every handler. A panic in the provider becomes an INTERNAL status for
    /// this request instead of taking the whole connection down.
    async fn call<Req, ApiReq, ApiResp, Resp, F, Fut>(
        &self,
        rpc: &'static str,
        type_name: Option<String>,
        request: Req,
        handler: F,
    ) -> Result<Response<Resp>, Status>
    where
        ApiReq: From<Req>,
        Resp: From<ApiResp>,
        F: FnOnce(Arc<dyn ProviderServer>, ApiReq, Cancel) -> Fut,
        Fut: Future<Output = ApiResp> + Send + 'static,
        ApiResp: Send + 'static,
    {
        self.call_on(Runs::OnWorker, rpc, type_name, request, handler).await
    }

    /// [`Self::call`] for the CPU-heavy RPCs: the handler runs on the blocking pool.
    async fn call_blocking<Req, ApiReq, ApiResp, Resp, F, Fut>(
        &self,
        rpc: &'static str,
        type_name: Option<String>,
        request: Req,
        handler: F,
    ) -> Result<Response<Resp>, Status>
    where
        ApiReq: From<Req>,
        Resp: From<ApiResp>,
        F: FnOnce(Arc<dyn ProviderServer>, ApiReq, Cancel) -> Fut,
        Fut: Future<Output = ApiResp> + Send + 'static,
        ApiResp: Send + 'static,
    {
        self.call_on(Runs::OffWorkers, rpc, type_name, request, handler).await
    }

    async fn call_on<Req, ApiReq, ApiResp, Resp, F, Fut>(
        &self,
        runs: Runs,
        rpc: &'static str,
        type_name: Option<String>,
        request: Req,
        handler: F,
    ) -> Result<Response<Resp>, Status>
    where
        ApiReq: From<Req>,
        Resp: From<ApiResp>,
        F: FnOnce(Arc<dyn ProviderServer>, ApiReq, Cancel) -> Fut,
        Fut: Future<Output = ApiResp> + Send + 'static,
        ApiResp: Send + 'static,
    {
        let span = rpc_span(rpc, type_name.as_deref());
        let cancel = self.stop.token();
        let server = Arc::clone(&self.server);
        async move {
            tracing::debug!("Received request");
            let started = Instant::now();
            let work = handler(server, ApiReq::from(request), cancel);
            let outcome = match runs {
                Runs::OnWorker => AssertUnwindSafe(work).catch_unwind().await,
                Runs::OffWorkers => off_workers(work).await,
            };
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            match outcome {
                Ok(answer) => {
                    tracing::debug!(tf_req_duration_ms = elapsed_ms, "Served request");
                    Ok(Response::new(Resp::from(answer)))
                }
                Err(_) => {
                    tracing::error!(tf_req_duration_ms = elapsed_ms, "Provider panicked while serving the request");
                    Err(Status::internal(format!(
                        "the provider crashed while handling {rpc}; this is a bug in terraform-provider-apig, \
                         please report it with the provider log (TF_LOG_PROVIDER=debug)"
                    )))
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Answers an RPC this provider does not serve, inside the usual span.
    fn unimplemented(rpc: &'static str, type_name: Option<&str>) -> Status {
        let _entered = rpc_span(rpc, type_name).entered();
        tracing::debug!("RPC not implemented by this provider");
        Status::unimplemented(format!("terraform-provider-apig does not implement {rpc}"))
    }

    fn no_ephemeral_resources(type_name: &str) -> Vec<pb::Diagnostic> {
        error_diagnostic(
            "Unknown ephemeral resource type",
            format!(
                "The provider has no ephemeral resource type {type_name:?}. Check the ephemeral block's type name \
                 against the provider documentation."
            ),
        )
    }
}

/// Drives `work` to completion on the blocking pool (keeping the request's span), so its CPU time
/// holds no async worker. A panic inside comes back as `Err`, exactly like `catch_unwind` on the
/// workers, so [`ProviderService::call_on`] answers both the same way.
async fn off_workers<T: Send + 'static>(
    work: impl Future<Output = T> + Send + 'static,
) -> Result<T, Box<dyn std::any::Any + Send>> {
    let runtime = tokio::runtime::Handle::current();
    let span = tracing::Span::current();
    match tokio::task::spawn_blocking(move || runtime.block_on(work.instrument(span))).await {
        Ok(answer) => Ok(answer),
        Err(error) => match error.try_into_panic() {
            Ok(panic) => Err(panic),
            // Cancelled: only when the runtime shuts down, and then nobody waits for the answer.
            Err(error) => Err(Box::new(error.to_string())),
        },
    }
}

type EventStream<T> = Pin<Box<dyn futures::Stream<Item = Result<T, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        self.call("GetMetadata", None, request.into_inner(), |s, _: (), _| async move { s.get_metadata().await }).await
    }

    async fn get_schema(
        &self,
        request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        self.call("GetProviderSchema", None, request.into_inner(), |s, _: (), _| async move {
            s.get_provider_schema().await
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        let _entered = rpc_span("GetResourceIdentitySchemas", None).entered();
        tracing::debug!("No resource has an identity schema");
        Ok(Response::new(pb::get_resource_identity_schemas::Response::default()))
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        self.call_blocking("PrepareProviderConfig", None, request.into_inner(), |s, r, _| async move {
            s.prepare_provider_config(r).await
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("ValidateResourceTypeConfig", type_name, request, |s, r, _| async move {
            s.validate_resource_type_config(r).await
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("ValidateDataSourceConfig", type_name, request, |s, r, _| async move {
            s.validate_data_source_config(r).await
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("UpgradeResourceState", type_name, request, |s, r, _| async move {
            s.upgrade_resource_state(r).await
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        Err(Self::unimplemented("UpgradeResourceIdentity", Some(&request.get_ref().type_name)))
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        self.call(
            "ConfigureProvider",
            None,
            request.into_inner(),
            |s, r, c| async move { s.configure_provider(r, c).await },
        )
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call("ReadResource", type_name, request, |s, r, c| async move { s.read_resource(r, c).await }).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("PlanResourceChange", type_name, request, |s, r, c| async move {
            s.plan_resource_change(r, c).await
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call(
            "ApplyResourceChange",
            type_name,
            request,
            |s, r, c| async move { s.apply_resource_change(r, c).await },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call(
            "ImportResourceState",
            type_name,
            request,
            |s, r, c| async move { s.import_resource_state(r, c).await },
        )
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.target_type_name.clone());
        self.call("MoveResourceState", type_name, request, |s, r, _| async move { s.move_resource_state(r).await })
            .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call("ReadDataSource", type_name, request, |s, r, c| async move { s.read_data_source(r, c).await }).await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        Err(Self::unimplemented("GenerateResourceConfig", Some(&request.get_ref().type_name)))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("ValidateEphemeralResourceConfig", Some(type_name)).entered();
        Ok(Response::new(pb::validate_ephemeral_resource_config::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
        }))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("OpenEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
            ..Default::default()
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("RenewEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
            ..Default::default()
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("CloseEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
        }))
    }

    type ListResourceStream = EventStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        Err(Self::unimplemented("ListResource", Some(&request.get_ref().type_name)))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        Err(Self::unimplemented("ValidateListResourceConfig", Some(&request.get_ref().type_name)))
    }

    async fn get_functions(
        &self,
        request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        self.call("GetFunctions", None, request.into_inner(), |s, _: (), _| async move { s.get_functions().await })
            .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        self.call_blocking("CallFunction", None, request.into_inner(), |s, r: api::CallFunctionRequest, _| async move {
            s.call_function(r).await
        })
        .await
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        Err(Self::unimplemented("ValidateActionConfig", Some(&request.get_ref().action_type)))
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        Err(Self::unimplemented("PlanAction", Some(&request.get_ref().action_type)))
    }

    type InvokeActionStream = EventStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        Err(Self::unimplemented("InvokeAction", Some(&request.get_ref().action_type)))
    }

    async fn stop(&self, _request: Request<pb::stop::Request>) -> Result<Response<pb::stop::Response>, Status> {
        let _entered = rpc_span("StopProvider", None).entered();
        self.stop.stop();
        tracing::info!("Stop requested: cancelled every in-flight request");
        Ok(Response::new(pb::stop::Response { error: String::new() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Diagnostics;
    use crate::protocol::diagnostics::Diagnostic;
    use std::time::Duration;
    use tokio_util::sync::CancellationToken;

    /// Answers ReadResource only once its cancellation fires; panics in PlanResourceChange; with a
    /// gate, ValidateResourceTypeConfig holds its thread (as CPU-heavy validation does) until
    /// released.
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
        async fn configure_provider(
            &self,
            _: api::ConfigureProviderRequest,
            _: Cancel,
        ) -> api::ConfigureProviderResponse {
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
        async fn upgrade_resource_state(
            &self,
            _: api::UpgradeResourceStateRequest,
        ) -> api::UpgradeResourceStateResponse {
            api::UpgradeResourceStateResponse::default()
        }
        async fn read_resource(&self, req: api::ReadResourceRequest, cancel: Cancel) -> api::ReadResourceResponse {
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
            api::ApplyResourceChangeResponse::default()
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
    async fn a_panicking_provider_yields_internal_for_that_request_only() {
        let service = service();
        let status = service
            .plan_resource_change(Request::new(pb::plan_resource_change::Request::default()))
            .await
            .expect_err("panic becomes a status");
        assert_eq!(status.code(), tonic::Code::Internal);
        assert!(status.message().contains("PlanResourceChange"), "{}", status.message());
        let schema = service.get_schema(Request::new(pb::get_provider_schema::Request {})).await.expect("still fine");
        assert!(schema.into_inner().provider.and_then(|p| p.block).is_some());
    }

    #[tokio::test]
    async fn rpcs_newer_than_terraform_1_11_are_answered_without_the_provider() {
        let service = service();
        let identities = service
            .get_resource_identity_schemas(Request::new(pb::get_resource_identity_schemas::Request {}))
            .await
            .expect("empty answer");
        assert!(identities.into_inner().identity_schemas.is_empty());
        let status = service
            .validate_list_resource_config(Request::new(pb::validate_list_resource_config::Request::default()))
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
}
