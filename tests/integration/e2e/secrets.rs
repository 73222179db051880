//! Private keys stay secret end to end: a `private_key_wo` never reaches Terraform's state,
//! `show -json`, the provider's trace log, or the simulator's admin API; a `private_key` is shown
//! as `(sensitive value)` in the plan and never logged.

use crate::support::certs;
use crate::support::simulator::{PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{Output, Terraform};

fn provider(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints = {{ apig = \"{0}\", roma = \"{0}\" }}\n}}\n",
        sim.base_url()
    )
}

/// A distinctive line of the key's base64 body (the middle one: never a header, never short).
fn key_marker(key_pem: &str) -> String {
    let body: Vec<&str> = key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 40).collect();
    assert!(!body.is_empty(), "test key has no base64 body");
    body[body.len() / 2].to_string()
}

/// Writes a certificate and its key (`cert.pem`, `key.pem`) and an `apig_certificate` that passes
/// the key through `key_attributes`; returns the key's marker line.
fn configure_certificate(tf: &Terraform, sim: &Simulator, key_attributes: &str) -> String {
    let c = certs::valid("api.example.com", &["api.example.com"]);
    tf.write("cert.pem", &c.cert_pem);
    tf.write("key.pem", &c.key_pem);
    tf.write_main(&format!(
        "{}\nresource \"apig_certificate\" \"x\" {{\n  name = \"api_example_com\"\n  content = file(\"cert.pem\")\n  \
         {key_attributes}\n}}\n",
        provider(sim)
    ));
    key_marker(&c.key_pem)
}

fn trace(tf: &Terraform, args: &[&str]) -> Output {
    tf.run_with_env(args, &[("TF_LOG", "trace")])
}

fn assert_absent(what: &str, haystack: &str, marker: &str) {
    assert!(!haystack.contains(marker), "the private key appears in {what}");
}

fn assert_logged_provider(out: &Output) {
    // The trace really is a trace of the provider (so "no key in it" means something).
    assert!(out.stderr.contains("[TRACE]") && out.stderr.contains("apig"), "no trace log\n{}", out.stderr);
}

#[test]
fn a_write_only_private_key_appears_nowhere() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start();
    let marker = configure_certificate(&tf, &sim, "private_key_wo = file(\"key.pem\")\n  private_key_wo_version = 1");

    let plan = trace(&tf, &["plan", "-no-color", "-input=false"]);
    plan.expect_success();
    assert_logged_provider(&plan);
    assert_absent("the plan's output or trace log", &plan.combined(), &marker);

    let apply = trace(&tf, &["apply", "-no-color", "-input=false", "-auto-approve"]);
    apply.expect_success();
    assert_logged_provider(&apply);
    assert_absent("the apply's output or trace log", &apply.combined(), &marker);
    assert_eq!(sim.certificates("apigw").len(), 1, "{}", sim.state());

    let show = tf.show_json();
    assert_absent("terraform show -json", &show.to_string(), &marker);
    let values = &show["values"]["root_module"]["resources"][0]["values"];
    assert!(values["private_key_wo"].is_null(), "private_key_wo in show -json: {}", values["private_key_wo"]);
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).expect("state file");
    assert_absent("the state file", &state, &marker);

    assert_absent("GET /_sim/state", &sim.state().to_string(), &marker);
    assert_absent("GET /_sim/requests", &sim.requests().to_string(), &marker);

    let destroy = trace(&tf, &["destroy", "-no-color", "-input=false", "-auto-approve"]);
    destroy.expect_success();
    assert_absent("the destroy's output or trace log", &destroy.combined(), &marker);
    assert!(sim.certificates("apigw").is_empty(), "{}", sim.state());
}

#[test]
fn a_sensitive_private_key_is_masked_in_the_plan_and_never_logged() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start();
    let marker = configure_certificate(&tf, &sim, "private_key = file(\"key.pem\")");

    let plan = trace(&tf, &["plan", "-no-color", "-input=false"]);
    plan.expect_success();
    assert_logged_provider(&plan);
    let shows_masked = plan.stdout.lines().any(|l| l.contains("private_key") && l.contains("(sensitive value)"));
    assert!(shows_masked, "the plan does not show private_key as (sensitive value)\n{}", plan.stdout);
    assert_absent("the plan's output or trace log", &plan.combined(), &marker);

    let apply = trace(&tf, &["apply", "-no-color", "-input=false", "-auto-approve"]);
    apply.expect_success();
    assert_absent("the apply's output or trace log", &apply.combined(), &marker);
    assert_absent("GET /_sim/state", &sim.state().to_string(), &marker);
    assert_absent("GET /_sim/requests", &sim.requests().to_string(), &marker);

    let destroy = trace(&tf, &["destroy", "-no-color", "-input=false", "-auto-approve"]);
    destroy.expect_success();
    assert_absent("the destroy's output or trace log", &destroy.combined(), &marker);
}
