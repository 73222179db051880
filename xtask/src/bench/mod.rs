//! `cargo xtask bench`: the performance targets of design.md, measured side by side in one run on
//! this machine, against the release build and the bundled simulator. Never a timed test: this
//! reports numbers, it does not assert them (the exit status only says whether the runs worked).
//!
//! - start-to-handshake and idle RSS: the provider launched the way Terraform launches it;
//! - `terraform apply` of N certificates next to the same apply of N `terraform_data` resources;
//! - API requests per resource on a refreshing `terraform plan`.

mod apply;
mod fixtures;
mod handshake;
mod report;
mod simulator;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use report::Report;

/// What to run, from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Provider launches for the handshake and RSS figures.
    pub launches: usize,
    /// Resources in each apply.
    pub resources: usize,
    /// Skip `cargo build --release` (use the binaries already in the target directory).
    pub no_build: bool,
}

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{0}")]
    Setup(String),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("`{command}` failed ({status}):\n{output}")]
    Command { command: String, status: String, output: String },
}

impl BenchError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BenchError {
        let what = what.into();
        move |source| BenchError::Io { what, source }
    }
}

/// The release binaries under test.
pub struct Binaries {
    pub provider: PathBuf,
    pub simulator: PathBuf,
}

/// Runs every benchmark and returns the report.
pub fn run(root: &Path, options: &Options) -> Result<Report, BenchError> {
    let binaries = release_binaries(root, options.no_build)?;
    let terraform = which("terraform").ok_or_else(|| {
        BenchError::Setup("terraform is not on PATH: the apply benchmarks drive the real Terraform CLI".into())
    })?;
    let mut report = Report::new(options);
    eprintln!("bench: {} launches of the provider", options.launches);
    report.handshake = Some(handshake::measure(&binaries.provider, options.launches)?);
    eprintln!("bench: apply of {} resources, apig_certificate and terraform_data", options.resources);
    report.apply = Some(apply::measure(&terraform, &binaries, options.resources)?);
    Ok(report)
}

fn release_binaries(root: &Path, no_build: bool) -> Result<Binaries, BenchError> {
    if !no_build {
        eprintln!("bench: cargo build --release --bins");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--locked", "--quiet", "--package", "terraform-provider-apig", "--bins"])
            .current_dir(root)
            .status()
            .map_err(BenchError::io("run cargo build"))?;
        if !status.success() {
            return Err(BenchError::Setup(format!("cargo build --release failed ({status})")));
        }
    }
    let dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let dir = if dir.is_absolute() { dir } else { root.join(dir) }.join("release");
    let binaries = Binaries { provider: dir.join("terraform-provider-apig"), simulator: dir.join("apig-simulator") };
    for binary in [&binaries.provider, &binaries.simulator] {
        if !binary.is_file() {
            return Err(BenchError::Setup(format!(
                "{} is missing; run without --no-build to build it",
                binary.display()
            )));
        }
    }
    Ok(binaries)
}

fn which(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}
