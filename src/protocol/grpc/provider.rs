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
use super::guard::{self, PanicAnswer};
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

    /// The one shape of every handler, and the one panic guard: a panic in the provider becomes
    /// this request's answer with an error diagnostic (the state kept, see [`guard`]) instead of
    /// taking the whole connection down.
    async fn call<Req, ApiReq, ApiResp, Resp, F, Fut>(
        &self,
        rpc: &'static str,
        type_name: Option<String>,
        request: Req,
        handler: F,
    ) -> Result<Response<Resp>, Status>
    where
        ApiReq: From<Req>,
        Resp: From<ApiResp> + PanicAnswer<Req>,
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
        Resp: From<ApiResp> + PanicAnswer<Req>,
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
        Resp: From<ApiResp> + PanicAnswer<Req>,
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
            let kept = Resp::keep(&request);
            let work = handler(server, ApiReq::from(request), cancel);
            let outcome = match runs {
                Runs::OnWorker => AssertUnwindSafe(work).catch_unwind().await,
                Runs::OffWorkers => off_workers(work).await,
            };
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            let answer = match outcome {
                Ok(answer) => {
                    tracing::debug!(tf_req_duration_ms = elapsed_ms, "Served request");
                    Resp::from(answer)
                }
                Err(_) => {
                    tracing::error!(
                        tf_req_duration_ms = elapsed_ms,
                        "internal error (panic) while serving the request: answered with an error diagnostic"
                    );
                    Resp::answer(kept, guard::internal_error(rpc))
                }
            };
            Ok(Response::new(answer))
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
mod tests;
