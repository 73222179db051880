//! The one shape of every handler: open a span, take a cancellation token, convert the request,
//! call the [`ProviderServer`] inside the panic guard, convert the answer back.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures::FutureExt;
use tonic::{Response, Status};
use tracing::Instrument;

use super::super::convert::error_diagnostic;
use super::super::generated::tfplugin5 as pb;
use super::super::guard::{self, PanicAnswer};
use super::super::request::{StopSwitch, rpc_span};
use crate::protocol::provider_server::{Cancel, ProviderServer};

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
    pub(super) server: Arc<dyn ProviderServer>,
    pub(super) stop: Arc<StopSwitch>,
}

impl ProviderService {
    pub(crate) fn new(server: Arc<dyn ProviderServer>, stop: Arc<StopSwitch>) -> Self {
        ProviderService { server, stop }
    }

    /// The one shape of every handler, and the one panic guard: a panic in the provider becomes
    /// this request's answer with an error diagnostic (the state kept, see [`guard`]) instead of
    /// taking the whole connection down.
    pub(super) async fn call<Req, ApiReq, ApiResp, Resp, F, Fut>(
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
    pub(super) async fn call_blocking<Req, ApiReq, ApiResp, Resp, F, Fut>(
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
    pub(super) fn unimplemented(rpc: &'static str, type_name: Option<&str>) -> Status {
        let _entered = rpc_span(rpc, type_name).entered();
        tracing::debug!("RPC not implemented by this provider");
        Status::unimplemented(format!("terraform-provider-apig does not implement {rpc}"))
    }

    pub(super) fn no_ephemeral_resources(type_name: &str) -> Vec<pb::Diagnostic> {
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
