//! Assembles every gRPC service the plugin process serves into one tonic router.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tonic::transport::Server;
use tonic::transport::server::Router;

use super::generated::plugin::grpc_broker_server::GrpcBrokerServer;
use super::generated::plugin::grpc_controller_server::GrpcControllerServer;
use super::generated::plugin::grpc_stdio_server::GrpcStdioServer;
use super::generated::tfplugin5::provider_server::ProviderServer as ProviderGrpcServer;
use super::go_plugin::{Broker, Controller, Stdio};
use super::provider::ProviderService;
use super::request::StopSwitch;
use crate::protocol::ProviderServer;

/// Message size limit in both directions (as terraform-plugin-go): tonic's 4 MiB default would
/// reject large configurations and states with RESOURCE_EXHAUSTED.
pub(crate) const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// The go-plugin health check asks about the service named "plugin".
const HEALTH_SERVICE_NAME: &str = "plugin";

/// Builds the router: `tfplugin5.Provider`, `grpc.health.v1.Health`, `plugin.GRPCController`,
/// `plugin.GRPCStdio`, `plugin.GRPCBroker`. Cancelling `shutdown` (which `Shutdown` does) ends the
/// long-lived streams and every in-flight request's token.
pub(crate) async fn router(server: Arc<dyn ProviderServer>, shutdown: CancellationToken) -> Router {
    let stop = Arc::new(StopSwitch::new(shutdown.clone()));
    let provider = ProviderGrpcServer::new(ProviderService::new(server, stop))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);

    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter.set_service_status(HEALTH_SERVICE_NAME, tonic_health::ServingStatus::Serving).await;

    Server::builder()
        .add_service(provider)
        .add_service(health)
        .add_service(GrpcControllerServer::new(Controller::new(shutdown.clone())))
        .add_service(GrpcStdioServer::new(Stdio::new(shutdown.clone())))
        .add_service(GrpcBrokerServer::new(Broker::new(shutdown)))
}
