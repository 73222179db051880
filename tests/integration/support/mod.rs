//! Helpers shared by the suites. Each suite uses a different part of them.
#![allow(dead_code)]

pub mod certs;
pub mod client_mock;
pub mod protocol_client;
pub mod simulator;
pub mod terraform;
