//! The Terraform plugin protocol 5 layer: handshake, mTLS, gRPC services, cty values and codecs,
//! schema and diagnostics types. Generated protobuf code stays private to `grpc/`.

pub mod cty;
pub mod diagnostics;
mod grpc;
pub mod logging;
pub mod path;
pub mod provider_server;
pub mod schema;
mod transport;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use path::{AttributePath, PathStep};
pub use provider_server::*;
pub use transport::{
    Announced, DEFAULT_PROVIDER_ADDRESS, ServeError, ServeOptions, TlsSetupError, announce, go_plugin_certificate,
    serve,
};
