//! Compiles the protocol 5 and go-plugin protos with the pure-Rust `protox` compiler (no system
//! `protoc`) and generates prost messages plus tonic server traits into OUT_DIR, for the provider.
//!
//! It also generates the client side into OUT_DIR/client, for the integration tests' go-plugin-like
//! client (`tests/integration/support/protocol_client/`): only they include it, so no client code
//! is compiled into the provider.

use std::io;
use std::path::PathBuf;

const PROTOS: &[&str] =
    &["proto/tfplugin5.proto", "proto/grpc_controller.proto", "proto/grpc_stdio.proto", "proto/grpc_broker.proto"];

fn main() -> io::Result<()> {
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let descriptors = protox::compile(PROTOS, ["proto"]).map_err(|e| io::Error::other(e.to_string()))?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        // State and config bytes may hold secrets: their Debug is written by hand (redacted).
        .skip_debug([".tfplugin5.DynamicValue", ".tfplugin5.RawState"])
        .compile_fds(descriptors.clone())?;

    let client_dir =
        PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| io::Error::other("OUT_DIR unset"))?).join("client");
    std::fs::create_dir_all(&client_dir)?;
    tonic_prost_build::configure().build_client(true).build_server(false).out_dir(client_dir).compile_fds(descriptors)
}
