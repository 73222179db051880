//! terraform-provider-apig: SSL certificates and their domain bindings on Huawei Cloud API Gateway
//! (APIG) and ROMA Connect, served over the Terraform plugin protocol 5.
//!
//! Layers, each talking only to the one below it:
//! - [`protocol`]: tfplugin5 itself (handshake, mTLS, gRPC, cty values, schema, diagnostics);
//! - [`engine`]: the generic Terraform rules, so a resource only declares schema and API calls;
//! - [`client`]: the HTTP client for APIG / ROMA Connect (auth, signing, retries, models);
//! - [`provider`]: the `apig` provider: configuration, resources, data sources, functions;
//! - [`simulator`]: `apig-simulator`, a local stand-in for both services (shares only `client::models`).
//!
//! [`scope`] is below both the engine and the client: the one Stop-and-deadline type they share.

pub mod client;
pub mod engine;
pub mod protocol;
pub mod provider;
pub mod scope;
pub mod simulator;

#[cfg(test)]
pub(crate) mod proptest_support;
