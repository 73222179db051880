//! A test client that behaves like go-plugin's (what Terraform uses): it launches the provider
//! binary with the plugin environment, parses the handshake line ([`launch`]), and talks gRPC over
//! the unix socket with mutual TLS, its own P-521 certificate and the server certificate pinned
//! from the handshake ([`tls`]), through client stubs generated from `proto/` ([`messages`]).

mod launch;
mod messages;
mod tls;

pub use launch::*;
pub use messages::*;
pub use tls::*;
