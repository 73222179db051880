//! End-to-end harness: drives the real `terraform` CLI against the provider binary that Cargo
//! built for this test run, through a `TF_CLI_CONFIG_FILE` with `dev_overrides` (no `init`, no
//! registry). Each [`Terraform`] is one isolated working directory with its own HOME, data dir and
//! CLI configuration, and a child environment cleared of everything else (so a developer's
//! `HW_*` or `TF_*` variables never leak into a test). Tests that install the provider the way
//! users do (a `filesystem_mirror` and `terraform init`) replace the CLI configuration with
//! [`Terraform::set_cli_config`]; [`Terraform::run_in`] runs commands in another directory.
//!
//! Which Terraform runs: `APIG_TERRAFORM=<path>` when set, else `APIG_TERRAFORM_VERSION=<version>`
//! (one of the version matrix, installed by `scripts/terraform-versions.sh` into
//! `APIG_TERRAFORM_VERSIONS_DIR`, by default `.cache/terraform/` in the repository), else the
//! `terraform` on PATH. `make test` runs the end-to-end suite a second time with
//! `APIG_TERRAFORM_VERSION=1.15.5`; [`Terraform::with_version`] picks a version for one test
//! (the compatibility journey).
//!
//! Without that Terraform a test prints a loud `SKIPPED` line with the reason and returns; with
//! `APIG_REQUIRE_TERRAFORM=1` (set by `.ci/run`) it fails instead.
#![allow(dead_code)] // each test crate uses a different part of the harness

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The provider's source address used by every test configuration.
pub const SOURCE: &str = "hwapig/apig";
/// Its fully qualified form, as `providers schema -json` and the state name it.
pub const ADDRESS: &str = "registry.terraform.io/hwapig/apig";
/// The name Terraform gives the provider's logger (from the binary's file name).
pub const LOGGER: &str = "provider.terraform-provider-apig";
/// A Terraform command that runs longer than this is killed and the test fails with its output.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// Whether a missing Terraform fails the test instead of skipping it (`.ci/run` sets it).
fn terraform_required() -> bool {
    std::env::var("APIG_REQUIRE_TERRAFORM").as_deref() == Ok("1")
}

/// `None` after a loud `SKIPPED: <reason>` line, or a panic when Terraform is required.
fn skip<T>(reason: &str) -> Option<T> {
    if terraform_required() {
        panic!("{reason}, and APIG_REQUIRE_TERRAFORM=1 requires the end-to-end tests to run");
    }
    eprintln!();
    eprintln!("==================================================================");
    eprintln!("SKIPPED: {reason} (end-to-end test did not run)");
    eprintln!("==================================================================");
    None
}

/// Where `scripts/terraform-versions.sh` installs the version matrix: `APIG_TERRAFORM_VERSIONS_DIR`,
/// else `.cache/terraform` in the repository.
pub fn versions_dir() -> PathBuf {
    match std::env::var_os("APIG_TERRAFORM_VERSIONS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/terraform"),
    }
}

/// Terraform `version` of the matrix, or `None` (after a `SKIPPED` line naming the install
/// command) when it is not installed.
pub fn versioned_binary(version: &str) -> Option<PathBuf> {
    let binary = versions_dir().join(version).join("terraform");
    if is_executable(&binary) {
        Some(binary)
    } else {
        skip(&format!(
            "terraform {version} not installed in {} (run scripts/terraform-versions.sh {version})",
            versions_dir().display()
        ))
    }
}

/// The `terraform` the suite runs (see the module comment); `None` (after a loud message) when
/// the test must skip.
pub fn terraform_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("APIG_TERRAFORM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if is_executable(&path) {
            Some(path)
        } else {
            skip(&format!("APIG_TERRAFORM={} is not an executable", path.display()))
        };
    }
    if let Ok(version) = std::env::var("APIG_TERRAFORM_VERSION")
        && !version.is_empty()
    {
        return versioned_binary(&version);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|dir| dir.join("terraform")).find(|candidate| is_executable(candidate))
    });
    match found {
        Some(path) => Some(path),
        None => skip("terraform not on PATH"),
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// The provider binary Cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-apig"))
}

/// What one Terraform command did.
#[derive(Debug, Clone)]
pub struct Output {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == 0
    }
    /// stdout then stderr, for searching messages wherever Terraform printed them.
    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
    /// Panics with the whole output unless the command exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "`{}` exited with {} (expected {code})\n{}", self.command, self.code, self.dump());
        self
    }
    pub fn expect_success(&self) -> &Self {
        self.expect_code(0)
    }
    pub fn expect_failure(&self) -> &Self {
        assert_ne!(self.code, 0, "`{}` succeeded but should have failed\n{}", self.command, self.dump());
        self
    }
    /// Panics unless the output (stdout or stderr) contains `needle`. Runs of whitespace count as
    /// one space on both sides, since Terraform wraps diagnostic text.
    pub fn expect_contains(&self, needle: &str) -> &Self {
        let found = squash(&self.combined()).contains(&squash(needle));
        assert!(found, "output of `{}` lacks {needle:?}\n{}", self.command, self.dump());
        self
    }
    pub fn dump(&self) -> String {
        format!("--- stdout ---\n{}\n--- stderr ---\n{}", self.stdout, self.stderr)
    }
}

/// A `terraform` command started by [`Terraform::spawn`].
pub struct Running {
    command: String,
    child: std::process::Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    /// The process ID (to send it a signal).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it has exited, without waiting.
    pub fn has_exited(&mut self) -> bool {
        self.child.try_wait().expect("wait for terraform").is_some()
    }

    /// Waits for the command to finish; panics (killing it) after `limit`.
    pub fn wait(self, limit: Duration) -> Output {
        let Running { command, mut child, stdout, stderr } = self;
        let started = Instant::now();
        let status = loop {
            match child.try_wait().expect("wait for terraform") {
                Some(status) => break status,
                None if started.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "`{command}` did not finish within {limit:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                        stdout.join().unwrap_or_default(),
                        stderr.join().unwrap_or_default()
                    );
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        Output {
            command,
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        }
    }
}

/// One isolated Terraform working directory.
pub struct Terraform {
    terraform: PathBuf,
    root: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Terraform {
    /// A fresh working directory wired to the built provider, or `None` when the test must skip
    /// (see [`terraform_binary`]). A `terraform.tf` declaring `apig = { source = "hwapig/apig" }`
    /// is written; tests add `main.tf`.
    pub fn new() -> Option<Terraform> {
        Some(Self::with_binary(terraform_binary()?))
    }

    /// As [`Terraform::new`], on Terraform `version` of the version matrix (`"1.0.3"`,
    /// `"1.15.5"`, ...), whatever `APIG_TERRAFORM*` and PATH say; `None` when it is not installed
    /// (see [`versioned_binary`]).
    pub fn with_version(version: &str) -> Option<Terraform> {
        Some(Self::with_binary(versioned_binary(version)?))
    }

    fn with_binary(terraform: PathBuf) -> Terraform {
        let root = tempfile::Builder::new().prefix("apig-e2e-").tempdir().expect("temp dir");
        for dir in ["work", "home", "data"] {
            std::fs::create_dir_all(root.path().join(dir)).expect("create dir");
        }
        let plugin_dir = provider_binary().parent().expect("binary has a directory").to_path_buf();
        let cli_config = root.path().join("terraform.rc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    {SOURCE:?} = {:?}\n  }}\n  direct {{}}\n}}\n",
                plugin_dir.display().to_string()
            ),
        )
        .expect("write CLI config");
        let mut env = vec![
            ("TF_CLI_CONFIG_FILE".to_string(), cli_config.display().to_string()),
            ("HOME".to_string(), root.path().join("home").display().to_string()),
            ("TF_DATA_DIR".to_string(), root.path().join("data").display().to_string()),
            ("CHECKPOINT_DISABLE".to_string(), "1".to_string()),
            ("TF_IN_AUTOMATION".to_string(), "1".to_string()),
            ("TF_INPUT".to_string(), "0".to_string()),
        ];
        for inherited in ["PATH", "TMPDIR", "LANG"] {
            if let Ok(v) = std::env::var(inherited) {
                env.push((inherited.to_string(), v));
            }
        }
        let tf = Terraform { terraform, root, env };
        tf.write(
            "terraform.tf",
            &format!("terraform {{\n  required_providers {{\n    apig = {{ source = {SOURCE:?} }}\n  }}\n}}\n"),
        );
        tf
    }

    /// Runs Terraform `version` of the matrix from now on, in the same working directory and
    /// state (an upgrade of Terraform under an existing configuration); `None` when it is not
    /// installed (see [`versioned_binary`]).
    pub fn switch_to(&mut self, version: &str) -> Option<()> {
        self.terraform = versioned_binary(version)?;
        Some(())
    }

    /// The Terraform executable this working directory runs.
    pub fn binary(&self) -> &Path {
        &self.terraform
    }

    /// The version this Terraform reports (`terraform version -json`), e.g. `"1.15.5"`.
    pub fn version(&self) -> String {
        let out = self.run(&["version", "-json"]);
        out.expect_success();
        parse_json(&out)["terraform_version"].as_str().expect("terraform_version").to_string()
    }

    /// Whether this Terraform is at least `major.minor` (write-only attributes need 1.11).
    pub fn at_least(&self, major: u64, minor: u64) -> bool {
        let version = self.version();
        let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
        let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        found >= (major, minor)
    }

    /// The working directory (where `.tf` files and the state live).
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// The temporary directory holding the working directory, HOME, the data dir and the CLI
    /// configuration: a place for files that must not sit in the working directory (copies of
    /// example trees, provider mirrors). Removed when the `Terraform` is dropped.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// Replaces the CLI configuration (by default `dev_overrides` pointing at the built provider),
    /// for tests that install the provider the way users do, e.g. from a `filesystem_mirror`.
    pub fn set_cli_config(&self, content: &str) {
        std::fs::write(self.root.path().join("terraform.rc"), content).expect("write CLI config");
    }

    /// Sets an environment variable for every later command (e.g. `HW_AUTH_TOKEN`).
    pub fn set_env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir().join(name), content).expect("write file");
    }
    pub fn write_main(&self, hcl: &str) {
        self.write("main.tf", hcl);
    }

    /// Runs `terraform <args>` in the working directory.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Runs `terraform <args>` with extra environment variables for this command only.
    pub fn run_with_env(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
        self.run_in(&self.dir(), args, extra_env)
    }

    /// Runs `terraform <args>` in `dir` (for example a copy of an example directory) with this
    /// harness's environment, plus `extra_env` for this command only.
    pub fn run_in(&self, dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
        self.spawn_in(dir, args, extra_env).wait(COMMAND_TIMEOUT)
    }

    /// Starts `terraform <args>` in the working directory without waiting, for tests that act
    /// while it runs (send it a signal, say).
    pub fn spawn(&self, args: &[&str]) -> Running {
        self.spawn_in(&self.dir(), args, &[])
    }

    fn spawn_in(&self, dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Running {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args)
            .current_dir(dir)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let command = format!("terraform {}", args.join(" "));
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start `{command}`: {e}"));
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        Running { command, child, stdout, stderr }
    }

    pub fn validate(&self) -> Output {
        self.run(&["validate", "-no-color"])
    }
    pub fn plan(&self) -> Output {
        self.run(&["plan", "-no-color", "-input=false"])
    }
    /// `plan -detailed-exitcode`: 0 = no changes, 1 = error, 2 = changes present.
    pub fn plan_detailed(&self) -> Output {
        self.run(&["plan", "-no-color", "-input=false", "-detailed-exitcode"])
    }
    pub fn apply(&self) -> Output {
        self.run(&["apply", "-no-color", "-input=false", "-auto-approve"])
    }
    pub fn destroy(&self) -> Output {
        self.run(&["destroy", "-no-color", "-input=false", "-auto-approve"])
    }
    pub fn import(&self, address: &str, id: &str) -> Output {
        self.run(&["import", "-no-color", "-input=false", address, id])
    }

    /// `terraform providers schema -json`, parsed.
    pub fn providers_schema(&self) -> serde_json::Value {
        let out = self.run(&["providers", "schema", "-json"]);
        out.expect_success();
        parse_json(&out)
    }

    /// `terraform show -json` of the current state, parsed.
    pub fn show_json(&self) -> serde_json::Value {
        let out = self.run(&["show", "-json", "-no-color"]);
        out.expect_success();
        parse_json(&out)
    }

    /// The local state file, parsed (`None` before the first apply).
    pub fn state(&self) -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(self.dir().join("terraform.tfstate")).ok()?;
        Some(serde_json::from_str(&text).expect("state is JSON"))
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("`{}` did not print JSON ({e})\n{}", out.command, out.dump()))
}

/// Reads a child's pipe to the end on its own thread, so a full pipe never blocks the child.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A provider block for tests: fixed region and project, `extra` lines (credentials, ...), and
/// both service endpoints pointed at `base_url` (a simulator, or an address nothing listens on).
pub fn provider_block_at(base_url: &str, extra: &str) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"0123456789abcdef0123456789abcdef\"\n  \
         endpoints  = {{ apig = {base_url:?}, roma = {base_url:?} }}\n{extra}}}\n"
    )
}

/// [`provider_block_at`] with endpoints nothing listens on (port 9, the discard port): for
/// configurations that must never reach an API.
pub fn provider_block(extra: &str) -> String {
    provider_block_at("http://127.0.0.1:9", extra)
}

/// Writes `<name>.crt` / `<name>.key` into the working directory and returns an
/// `apig_certificate` resource named `name` that uploads them.
pub fn certificate_resource(tf: &Terraform, name: &str, cert_pem: &str, key_pem: &str) -> String {
    tf.write(&format!("{name}.crt"), cert_pem);
    tf.write(&format!("{name}.key"), key_pem);
    format!(
        "resource \"apig_certificate\" {name:?} {{\n  name        = \"e2e_{name}\"\n  \
         content     = file(\"${{path.module}}/{name}.crt\")\n  private_key = file(\"${{path.module}}/{name}.key\")\n}}\n"
    )
}
