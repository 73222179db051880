//! The integration suite, as one test binary. Every former suite is a module here, so Cargo links
//! the whole dependency graph once instead of once per suite (this halves build time and keeps the
//! target directory small enough for CI's disk). Filter by module path, e.g.
//! `cargo test --test integration e2e::certificate`.

mod support;

mod client;
mod e2e;
mod protocol;
mod provider;
mod simulator;
