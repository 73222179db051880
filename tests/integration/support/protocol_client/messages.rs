//! The messages and client stubs, generated from `proto/` by build.rs into OUT_DIR/client (the
//! provider itself is built from the server-only generation and holds no client code), the health
//! client from tonic-health, and the few calls the suites share.

use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::Channel;

#[allow(clippy::all, clippy::pedantic, missing_docs, dead_code, unreachable_pub)]
pub mod tfplugin5 {
    include!(concat!(env!("OUT_DIR"), "/client/tfplugin5.rs"));
}

#[allow(clippy::all, clippy::pedantic, missing_docs, dead_code, unreachable_pub)]
pub mod plugin {
    include!(concat!(env!("OUT_DIR"), "/client/plugin.rs"));
}

pub use tonic_health::pb as health;

use health::health_client::HealthClient;
use plugin::grpc_broker_client::GrpcBrokerClient;
use plugin::grpc_controller_client::GrpcControllerClient;
use plugin::grpc_stdio_client::GrpcStdioClient;
use tfplugin5::provider_client::ProviderClient;

/// Terraform's own limit; tonic's default (4 MiB) would refuse large states.
const MESSAGE_LIMIT: usize = 256 * 1024 * 1024;

/// The `tfplugin5.Provider` client, with Terraform's message size limits.
pub fn provider_client(channel: &Channel) -> ProviderClient<Channel> {
    ProviderClient::new(channel.clone())
        .max_decoding_message_size(MESSAGE_LIMIT)
        .max_encoding_message_size(MESSAGE_LIMIT)
}

pub fn controller_client(channel: &Channel) -> GrpcControllerClient<Channel> {
    GrpcControllerClient::new(channel.clone())
}

pub fn stdio_client(channel: &Channel) -> GrpcStdioClient<Channel> {
    GrpcStdioClient::new(channel.clone())
}

pub fn broker_client(channel: &Channel) -> GrpcBrokerClient<Channel> {
    GrpcBrokerClient::new(channel.clone())
}

pub fn health_client(channel: &Channel) -> HealthClient<Channel> {
    HealthClient::new(channel.clone())
}

pub async fn get_schema(channel: &Channel) -> Result<tfplugin5::get_provider_schema::Response, tonic::Status> {
    provider_client(channel)
        .get_schema(tfplugin5::get_provider_schema::Request {})
        .await
        .map(tonic::Response::into_inner)
}

pub async fn shutdown(channel: &Channel) -> Result<plugin::Empty, tonic::Status> {
    controller_client(channel).shutdown(plugin::Empty {}).await.map(tonic::Response::into_inner)
}

/// A unary call with an empty message on a path no proto defines (no stub can make it).
pub async fn call_undefined_rpc(channel: &Channel, path: &'static str) -> Result<(), tonic::Status> {
    let mut client = tonic::client::Grpc::new(channel.clone());
    client.ready().await.map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<(), ()>::default();
    client.unary(tonic::Request::new(()), PathAndQuery::from_static(path), codec).await.map(tonic::Response::into_inner)
}
