//! `terraform apply` of N `apig_certificate` resources against the simulator, next to the same
//! apply of N `terraform_data` resources (Terraform's own built-in resource: no plugin, no API),
//! then a refreshing plan that must show no changes and is counted in API requests per resource.
//!
//! Both configurations carry the same values (each resource's name and the certificate PEM; the
//! key is write-only, so it is in neither state): Terraform's own cost of diffing, rendering and
//! storing a 1-2 KB PEM per resource is several times that of a short string, and is not the
//! provider's. What is left between the two runs is the provider's overhead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::fixtures::server_certificate;
use super::simulator::Simulator;
use super::{BenchError, Binaries};

const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

#[derive(Debug)]
pub struct ApplyFigures {
    pub resources: usize,
    pub terraform_data_apply: Duration,
    pub certificate_apply: Duration,
    pub terraform_data_destroy: Duration,
    pub certificate_destroy: Duration,
    /// API requests made by one refreshing `terraform plan` of all certificates.
    pub refresh_requests: u64,
}

pub fn measure(terraform: &Path, binaries: &Binaries, resources: usize) -> Result<ApplyFigures, BenchError> {
    let work = tempfile::tempdir().map_err(BenchError::io("create a working directory"))?;
    let provider_dir = binaries.provider.parent().expect("binary in a directory");
    let cli_config = work.path().join("terraform.rc");
    write(
        &cli_config,
        &format!(
            "provider_installation {{\n  dev_overrides {{\n    \"hwapig/apig\" = {:?}\n  }}\n  direct {{}}\n}}\n",
            provider_dir
        ),
    )?;
    let tf = |dir: &Path| Terraform {
        binary: terraform.to_path_buf(),
        dir: dir.to_path_buf(),
        cli_config: cli_config.clone(),
    };

    let data = work.path().join("terraform_data");
    std::fs::create_dir(&data).map_err(BenchError::io("create a directory"))?;
    write(&data.join("main.tf"), &terraform_data_configuration(resources))?;

    let simulator = Simulator::start(&binaries.simulator)?;
    let certs = work.path().join("apig_certificate");
    std::fs::create_dir(&certs).map_err(BenchError::io("create a directory"))?;
    let pair = server_certificate()?;
    write(&data.join("api.crt"), &pair.certificate_pem)?;
    write(&certs.join("api.crt"), &pair.certificate_pem)?;
    write(&certs.join("api.key"), &pair.private_key_pem)?;
    write(&certs.join("main.tf"), &certificates_configuration(&simulator.base_url, resources))?;

    let data_tf = tf(&data);
    let certs_tf = tf(&certs);
    let terraform_data_apply = data_tf.timed(&["apply", "-auto-approve"])?;
    let certificate_apply = certs_tf.timed(&["apply", "-auto-approve"])?;

    let before = simulator.request_count()?;
    certs_tf.timed(&["plan", "-detailed-exitcode"])?;
    let refresh_requests = simulator.request_count()? - before;

    let terraform_data_destroy = data_tf.timed(&["destroy", "-auto-approve"])?;
    let certificate_destroy = certs_tf.timed(&["destroy", "-auto-approve"])?;
    Ok(ApplyFigures {
        resources,
        terraform_data_apply,
        certificate_apply,
        terraform_data_destroy,
        certificate_destroy,
        refresh_requests,
    })
}

fn terraform_data_configuration(resources: usize) -> String {
    format!(
        r#"resource "terraform_data" "r" {{
  count = {resources}
  input = {{
    name    = format("bench_%04d", count.index)
    content = file("${{path.module}}/api.crt")
  }}
}}
"#
    )
}

fn certificates_configuration(base_url: &str, resources: usize) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    apig = {{ source = "hwapig/apig" }}
  }}
}}

provider "apig" {{
  region     = "cn-north-4"
  project_id = "{PROJECT_ID}"
  auth_token = "sim-token"
  endpoints  = {{ apig = "{base_url}" }}
}}

resource "apig_certificate" "r" {{
  count                  = {resources}
  name                   = format("bench_%04d", count.index)
  content                = file("${{path.module}}/api.crt")
  private_key_wo         = file("${{path.module}}/api.key")
  private_key_wo_version = 1
}}
"#
    )
}

fn write(path: &Path, content: &str) -> Result<(), BenchError> {
    std::fs::write(path, content).map_err(BenchError::io(format!("write {}", path.display())))
}

struct Terraform {
    binary: PathBuf,
    dir: PathBuf,
    cli_config: PathBuf,
}

impl Terraform {
    /// Runs `terraform <args> -input=false -no-color` and returns how long it took; any exit
    /// status but 0 is an error (so `plan -detailed-exitcode` fails when it finds changes).
    fn timed(&self, args: &[&str]) -> Result<Duration, BenchError> {
        let started = Instant::now();
        let output = Command::new(&self.binary)
            .args(args)
            .args(["-input=false", "-no-color"])
            .current_dir(&self.dir)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .stdin(Stdio::null())
            .output()
            .map_err(BenchError::io("run terraform"))?;
        let elapsed = started.elapsed();
        if output.status.success() {
            return Ok(elapsed);
        }
        Err(BenchError::Command {
            command: format!("terraform {} (in {})", args.join(" "), self.dir.display()),
            status: output.status.to_string(),
            output: format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
        })
    }
}
