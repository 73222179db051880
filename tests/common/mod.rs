//! Helpers shared by integration tests: test certificates generated on the fly (never committed
//! keys) and a running `apig-simulator` process.
#![allow(dead_code)]

pub mod certs;
pub mod simulator;
