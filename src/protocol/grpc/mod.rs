//! The gRPC face of the protocol layer: generated code (private), the `tfplugin5.Provider`
//! service over a [`ProviderServer`](crate::protocol::ProviderServer), go-plugin's side services,
//! and the proto ↔ public conversions.

mod convert;
mod generated;
mod go_plugin;
mod guard;
#[cfg(test)]
mod proptests;
mod provider;
mod request;
mod services;

pub(crate) use services::router;
