//! The go-plugin side services Terraform's plugin client talks to besides the provider itself:
//! `plugin.GRPCController` (shutdown), `plugin.GRPCStdio` and `plugin.GRPCBroker` (both kept open
//! and idle: logs go to stderr directly and protocol 5 never brokers connections).

use std::pin::Pin;

use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::generated::plugin as pb;
use super::generated::plugin::grpc_broker_server::GrpcBroker;
use super::generated::plugin::grpc_controller_server::GrpcController;
use super::generated::plugin::grpc_stdio_server::GrpcStdio;

/// A response stream that sends nothing and ends when the server shuts down.
type IdleStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

fn idle_until<T: Send + 'static>(shutdown: CancellationToken) -> IdleStream<T> {
    Box::pin(futures::stream::once(async move { shutdown.cancelled_owned().await }).filter_map(|()| async { None }))
}

/// `plugin.GRPCController`: Terraform calls `Shutdown` when it is done with the process, then
/// waits 2 s before killing it. Answering and then ending promptly avoids that kill.
pub(crate) struct Controller {
    shutdown: CancellationToken,
}

impl Controller {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Controller { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        tracing::debug!(tf_rpc = "Shutdown", "Shutdown requested by Terraform");
        // The reply still goes out: the server drains in-flight calls before it stops.
        self.shutdown.cancel();
        Ok(Response::new(pb::Empty {}))
    }
}

/// `plugin.GRPCStdio`: the stream stays open and empty (the provider writes nothing to stdout,
/// and its stderr already reaches Terraform's log line by line).
pub(crate) struct Stdio {
    shutdown: CancellationToken,
}

impl Stdio {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Stdio { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = IdleStream<pb::StdioData>;

    async fn stream_stdio(&self, _request: Request<()>) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}

/// `plugin.GRPCBroker`: protocol 5 never brokers extra connections. The stream is kept open, what
/// the client sends is read and dropped, nothing is ever sent back.
pub(crate) struct Broker {
    shutdown: CancellationToken,
}

impl Broker {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Broker { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = IdleStream<pb::ConnInfo>;

    async fn start_stream(
        &self,
        request: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        let mut incoming = request.into_inner();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    message = incoming.next() => match message {
                        Some(Ok(info)) => tracing::debug!(service_id = info.service_id, "Ignoring broker message"),
                        Some(Err(_)) | None => break,
                    },
                }
            }
        });
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}
