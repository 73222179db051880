//! The https-domain module's own `terraform test` suites (`modules/https-domain/tests/`), run the
//! way teams that share the module run them, so `make test` runs them too:
//!
//! - `mock.tftest.hcl` with `mock_provider "apig"`: no simulator is started and the provider gets
//!   no endpoint, project or credentials (the harness clears the environment), so only the mock
//!   answers plans and applies;
//! - `simulator.tftest.hcl` against the bundled simulator, after which the simulator must hold no
//!   certificate and no binding, and its request log must show the writes the suite implies.
//!
//! A suite passes only when `terraform test` exits 0 and reports every `run` block of the file as
//! passed. Breaking the module in a copy must make the mock suite fail on the run that covers it.
//! The module is tested in a copy, so no `.terraform` or state is ever written into the repository.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::Value;
use time::OffsetDateTime;

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{Output, Terraform};

const MODULE: &str = "modules/https-domain";
const MOCK: &str = "tests/mock.tftest.hcl";
const SIMULATOR: &str = "tests/simulator.tftest.hcl";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("read directory entry");
        let name = entry.file_name();
        let text = name.to_string_lossy();
        // What a developer's own `terraform test` may have left in the module.
        if text.starts_with('.') || text.contains(".tfstate") {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// A copy of the module inside the harness's temporary root.
fn module_copy(tf: &Terraform) -> PathBuf {
    let copy = tf.root().join("https-domain");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(MODULE), &copy);
    copy
}

/// A certificate for both domains the suites bind, valid for 200 days (past the module's default
/// 30-day expiry warning), handed to the suites as `TF_VAR_*` the way the README shows.
fn give_certificate(tf: &mut Terraform) -> TestCert {
    let now = OffsetDateTime::now_utc();
    let cert = certs::builder("api.example.com")
        .sans(&["api.example.com", "www.example.com"])
        .validity(now - time::Duration::days(1), now + time::Duration::days(200))
        .build();
    tf.set_env("TF_VAR_certificate_pem", &cert.cert_pem).set_env("TF_VAR_private_key", &cert.key_pem);
    cert
}

/// A distinctive line of a key's base64 body.
fn key_marker(key_pem: &str) -> String {
    let body: Vec<&str> = key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 40).collect();
    body[body.len() / 2].to_string()
}

/// The names of the `run` blocks of a test file, in order.
fn run_names(module: &Path, file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(module.join(file)).expect("read the test file");
    let names: Vec<String> =
        Regex::new(r#"(?m)^run "([^"]+)""#).expect("pattern").captures_iter(&text).map(|c| c[1].to_string()).collect();
    assert!(!names.is_empty(), "{file} has no run blocks");
    names
}

/// `terraform test` of one file of the module copy, with `extra` arguments.
fn terraform_test(tf: &Terraform, module: &Path, file: &str, extra: &[&str]) -> Output {
    let filter = format!("-filter={file}");
    let mut args = vec!["test", "-no-color", filter.as_str()];
    args.extend_from_slice(extra);
    tf.run_in(module, &args, &[])
}

/// Panics (with Terraform's whole output) unless every run block of `file` passed.
fn expect_every_run_passed(out: &Output, module: &Path, file: &str) {
    out.expect_success();
    let names = run_names(module, file);
    for name in &names {
        out.expect_contains(&format!("run \"{name}\"... pass"));
    }
    out.expect_contains(&format!("Success! {} passed, 0 failed.", names.len()));
}

#[test]
fn the_mock_suite_passes_without_any_api() {
    let Some(mut tf) = Terraform::new() else { return };
    let module = module_copy(&tf);
    let cert = give_certificate(&mut tf);
    let out = terraform_test(&tf, &module, MOCK, &[]);
    expect_every_run_passed(&out, &module, MOCK);
    // The suite covers the module's input checks and its expiry warning, not only the happy path.
    let names = run_names(&module, MOCK);
    assert!(names.iter().filter(|n| n.starts_with("rejects_")).count() >= 3, "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("warns_")), "{names:?}");
    assert!(!out.combined().contains(&key_marker(&cert.key_pem)), "the private key was printed\n{}", out.dump());
}

/// Breaks `file` of a copy of the module (replacing `from`, which must be there, by `to`) and
/// returns what the mock suite then says.
fn mock_suite_with(file: &str, from: &str, to: &str) -> Option<Output> {
    let mut tf = Terraform::new()?;
    let module = module_copy(&tf);
    let path = module.join(file);
    let text = std::fs::read_to_string(&path).expect("read module file");
    assert!(text.contains(from), "{file} no longer contains {from:?}: update this test");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write module file");
    give_certificate(&mut tf);
    let out = terraform_test(&tf, &module, MOCK, &[]);
    out.expect_failure();
    Some(out)
}

#[test]
fn the_mock_suite_fails_when_the_module_breaks() {
    // An output wired to the wrong attribute: an assertion of the apply run fails.
    let Some(out) = mock_suite_with(
        "outputs.tf",
        "value       = apig_certificate.this.id",
        "value       = apig_certificate_domains.this.id",
    ) else {
        return;
    };
    out.expect_contains("run \"applies_and_wires_the_outputs\"... fail")
        .expect_contains("output.certificate_id must be the certificate's ID");

    // The key version no longer passed through: an assertion of a plan run fails.
    let Some(out) =
        mock_suite_with("main.tf", "private_key_wo_version = var.private_key_version", "private_key_wo_version = 1")
    else {
        return;
    };
    out.expect_contains("run \"plans_an_instance_certificate\"... fail")
        .expect_contains("private_key_version must reach private_key_wo_version");

    // The expiry check looking 0 hours ahead: the run that expects its warning reports it missing.
    let Some(out) = mock_suite_with("main.tf", "var.expiry_warning_days * 24", "0") else { return };
    out.expect_contains("run \"warns_when_the_certificate_expires_within_the_warning_period\"... fail")
        .expect_contains("Missing expected failure");

    // An input check dropped: the run that expects it to reject the input fails.
    let Some(out) = mock_suite_with(
        "variables.tf",
        "condition     = length(var.domains) > 0",
        "condition     = length(var.domains) >= 0",
    ) else {
        return;
    };
    out.expect_contains("run \"rejects_no_domains\"... fail");
}

/// `(method, path)` of every request the simulator logged, in order; panics on any that failed.
fn logged_requests(sim: &Simulator) -> Vec<(String, String)> {
    let log = sim.requests();
    let requests = log["requests"].as_array().cloned().unwrap_or_default();
    for r in &requests {
        assert!(r["status"].as_u64().is_some_and(|s| s < 400), "a request failed: {r}\nlog: {log}");
    }
    requests
        .iter()
        .map(|r| {
            (r["method"].as_str().unwrap_or_default().to_string(), r["path"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

/// `(url_domain, holds a certificate)` of every domain of the simulator's APIG.
fn domains(state: &Value) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    for project in state["apigw"]["projects"].as_array().into_iter().flatten() {
        for instance in project["instances"].as_array().into_iter().flatten() {
            for group in instance["groups"].as_array().into_iter().flatten() {
                for domain in group["domains"].as_array().into_iter().flatten() {
                    let held = domain["certificates"].as_object().is_some_and(|m| !m.is_empty());
                    found.push((domain["url_domain"].as_str().unwrap_or_default().to_string(), held));
                }
            }
        }
    }
    found
}

#[test]
fn the_simulator_suite_applies_and_leaves_the_api_empty() {
    let sim = Simulator::start();
    let Some(mut tf) = Terraform::new() else { return };
    let module = module_copy(&tf);
    let cert = give_certificate(&mut tf);
    tf.set_env("HW_AUTH_TOKEN", TOKEN);
    let tfvars = tf.root().join("simulator.tfvars");
    std::fs::write(&tfvars, format!("apig_endpoint = {:?}\n", sim.base_url())).expect("write tfvars");
    let var_file = format!("-var-file={}", tfvars.display());

    let out = terraform_test(&tf, &module, SIMULATOR, &[&var_file]);
    expect_every_run_passed(&out, &module, SIMULATOR);
    assert!(!out.combined().contains(&key_marker(&cert.key_pem)), "the private key was printed\n{}", out.dump());

    // terraform test destroyed what it made: no certificate, no binding left.
    assert_eq!(sim.certificates("apigw"), Vec::<Value>::new());
    let state = sim.state();
    let domains = domains(&state);
    assert!(domains.iter().any(|(name, _)| name == "www.example.com"), "the fixture's domains are missing: {state}");
    assert!(domains.iter().all(|(_, held)| !held), "a domain still holds a certificate: {state}");

    // The API really did the work: two certificates (the global one, rotated in place by PUT,
    // then the instance certificate that replaced it), each bound, unbound and deleted.
    let requests = logged_requests(&sim);
    let base = format!("/v2/{PROJECT_ID}/apigw/certificates");
    let writes: Vec<&(String, String)> = requests.iter().filter(|(method, _)| method != "GET").collect();
    let creates = writes.iter().filter(|(m, p)| m == "POST" && *p == base).count();
    assert_eq!(creates, 2, "{writes:?}");
    let id_of = Regex::new(&format!("^{base}/([0-9a-f]{{32}})")).expect("pattern");
    let mut ids: Vec<String> = Vec::new();
    for (_, path) in &writes {
        if let Some(c) = id_of.captures(path)
            && !ids.contains(&c[1].to_string())
        {
            ids.push(c[1].to_string());
        }
    }
    assert_eq!(ids.len(), 2, "{writes:?}");
    let position = |method: &str, path: String| {
        let found = writes.iter().position(|(m, p)| m == method && *p == path);
        found.unwrap_or_else(|| panic!("no {method} {path} in {writes:?}"))
    };
    for id in &ids {
        let attach = position("POST", format!("{base}/{id}/domains/attach"));
        let detach = position("POST", format!("{base}/{id}/domains/detach"));
        let delete = position("DELETE", format!("{base}/{id}"));
        assert!(attach < detach && detach < delete, "{writes:?}");
    }
    // The rotation was the one update, of the first certificate.
    let updates: Vec<&str> = writes.iter().filter(|(m, _)| m == "PUT").map(|(_, p)| p.as_str()).collect();
    assert_eq!(updates, vec![format!("{base}/{}", ids[0])], "{writes:?}");
}
