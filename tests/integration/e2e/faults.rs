//! Nothing lost, nothing doubled, through the real Terraform under the API's faults.
//!
//! The fault suite applies 200 resources (global and instance certificates on both services, and
//! both binding resources, two of which share each bound certificate) while the simulator answers
//! 10 % of requests with 429 + `Retry-After`, does the work and then answers 503 for 5 %, does the
//! work and drops the connection for 5 %, refuses overlapping writes to one certificate (APIG.3500)
//! and hides new certificates for a while (read lag). The faults are seeded. Afterwards the
//! simulator holds exactly the configured objects, a re-plan under the same faults is empty, and
//! destroy leaves nothing.
//!
//! The interrupt test sends a real SIGINT to `terraform apply` while creates are slow: Terraform
//! exits promptly, and every certificate the simulator holds afterwards is in the state.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::certs;
use crate::support::simulator::{INSTANCE_ID, PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{Terraform, provider_block_at};

const GROUPS: [&str; 2] = ["a0000000000000000000000000000001", "a0000000000000000000000000000002"];
/// Certificates per service and scope (global, instance).
const PER_SCOPE: usize = 45;
/// Bindings per service and binding resource.
const BINDINGS: usize = 5;

fn domain_id(n: usize) -> String {
    format!("f{n:031x}")
}

fn domain_name(n: usize) -> String {
    format!("f{n:02}.example.com")
}

/// One project and gateway with two groups of five domains `f00..f09.example.com`.
fn fixtures() -> Value {
    let groups: Vec<Value> = GROUPS
        .iter()
        .enumerate()
        .map(|(g, id)| {
            let domains: Vec<Value> =
                (g * 5..g * 5 + 5).map(|n| json!({"id": domain_id(n), "url_domain": domain_name(n)})).collect();
            json!({"id": id, "name": format!("fault_group_{g}"), "domains": domains})
        })
        .collect();
    json!({"projects": [{"id": PROJECT_ID, "name": "cn-north-4", "instances": [
        {"id": INSTANCE_ID, "name": "fault-gateway", "groups": groups}
    ]}]})
}

fn start_simulator(tf: &Terraform, extra: &[&str]) -> Simulator {
    let path = tf.root().join("fixtures.json");
    std::fs::write(&path, fixtures().to_string()).expect("write fixtures");
    let mut args = vec!["--fixtures", path.to_str().expect("utf-8 path"), "--token", TOKEN];
    args.extend_from_slice(extra);
    Simulator::start_with(&args)
}

/// Certificates of both scopes on `service`, and both binding resources on the first certificates.
fn service_hcl(service: &str) -> String {
    let attachments: Vec<String> = (0..BINDINGS).map(|i| format!("{:?}", domain_id(BINDINGS + i))).collect();
    format!(
        r#"
resource "apig_certificate" "{service}_global" {{
  count                  = {PER_SCOPE}
  service                = "{service}"
  name                   = "{service}_global_${{count.index}}"
  content                = local.pem
  private_key_wo         = local.key
  private_key_wo_version = 1
}}

resource "apig_certificate" "{service}_instance" {{
  count       = {PER_SCOPE}
  service     = "{service}"
  name        = "{service}_instance_${{count.index}}"
  type        = "instance"
  instance_id = "{INSTANCE_ID}"
  content     = local.pem
  private_key = local.key
}}

resource "apig_certificate_domains" "{service}" {{
  count          = {BINDINGS}
  service        = "{service}"
  certificate_id = apig_certificate.{service}_global[count.index].id
  domain {{
    name = "f0${{count.index}}.example.com"
  }}
}}

# Each binds the same certificate as the apig_certificate_domains of the same index: two writers
# of one certificate at once.
resource "apig_domain_certificate_attachment" "{service}" {{
  count          = {BINDINGS}
  service        = "{service}"
  instance_id    = "{INSTANCE_ID}"
  group_id       = "{group}"
  domain_id      = [{attachments}][count.index]
  certificate_id = apig_certificate.{service}_global[count.index].id
}}
"#,
        group = GROUPS[1],
        attachments = attachments.join(", "),
    )
}

fn configuration(tf: &Terraform, sim: &Simulator) -> String {
    let cert = certs::wildcard("example.com");
    tf.write("c.crt", &cert.cert_pem);
    tf.write("c.key", &cert.key_pem);
    format!(
        "{}\nlocals {{\n  pem = file(\"c.crt\")\n  key = file(\"c.key\")\n}}\n{}{}",
        // A fifth of all answers is a fault here: with the default 5 retries, one of the ~1000
        // calls of a run fails six times in a row often enough (about 0.2^6 each) to make the suite
        // flaky; 10 retries make that about 2e-8 per call. A user on a flaky API raises it alike.
        provider_block_at(&sim.base_url(), &format!("  auth_token = {TOKEN:?}\n  max_retries = 10\n")),
        service_hcl("apig"),
        service_hcl("roma")
    )
}

/// What the simulator holds on one service: certificate names (with repeats) and, per domain
/// name, the certificate IDs bound to it.
struct Holdings {
    names: Vec<String>,
    ids: BTreeMap<String, String>,
    bindings: BTreeMap<String, Vec<String>>,
}

fn holdings(sim: &Simulator, segment: &str) -> Holdings {
    let state = sim.state();
    let project = state[segment]["projects"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["id"] == PROJECT_ID))
        .cloned()
        .unwrap_or(Value::Null);
    let certificates = project["certificates"].as_array().cloned().unwrap_or_default();
    let names = certificates.iter().map(|c| c["name"].as_str().unwrap_or_default().to_string()).collect();
    let ids = certificates
        .iter()
        .map(|c| (c["id"].as_str().unwrap_or_default().to_string(), c["name"].as_str().unwrap_or_default().to_string()))
        .collect();
    let mut bindings = BTreeMap::new();
    for instance in project["instances"].as_array().into_iter().flatten() {
        for group in instance["groups"].as_array().into_iter().flatten() {
            for domain in group["domains"].as_array().into_iter().flatten() {
                let bound: Vec<String> = domain["certificates"]
                    .as_object()
                    .map(|m| m.values().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                if !bound.is_empty() {
                    bindings.insert(domain["url_domain"].as_str().unwrap_or_default().to_string(), bound);
                }
            }
        }
    }
    Holdings { names, ids, bindings }
}

/// Exactly the configured certificates (none missing, none twice) and bindings on one service.
fn assert_holds_exactly_the_configuration(sim: &Simulator, service: &str, segment: &str) {
    let held = holdings(sim, segment);
    let mut expected: Vec<String> =
        (0..PER_SCOPE).flat_map(|i| [format!("{service}_global_{i}"), format!("{service}_instance_{i}")]).collect();
    expected.sort();
    let mut names = held.names.clone();
    names.sort();
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{service}: a certificate was created twice: {names:?}");
    assert_eq!(names, expected, "{service}: the simulator holds other certificates than configured");
    for i in 0..BINDINGS {
        let cert = format!("{service}_global_{i}");
        for domain in [domain_name(i), domain_name(BINDINGS + i)] {
            let bound = held.bindings.get(&domain).cloned().unwrap_or_default();
            let bound_names: Vec<&str> = bound.iter().filter_map(|id| held.ids.get(id).map(String::as_str)).collect();
            assert_eq!(bound_names, [cert.as_str()], "{service}: domain {domain} must carry {cert} only");
        }
    }
    assert_eq!(held.bindings.len(), 2 * BINDINGS, "{service}: no other domain is bound: {:?}", held.bindings);
}

/// Requests the simulator logged, and how many of them it answered with an injected fault.
fn request_figures(sim: &Simulator) -> (usize, BTreeMap<String, usize>) {
    let log = sim.requests();
    let requests = log["requests"].as_array().cloned().unwrap_or_default();
    let mut faults = BTreeMap::new();
    for r in &requests {
        if let Some(kind) = r["fault"].as_str() {
            *faults.entry(kind.to_string()).or_insert(0) += 1;
        }
    }
    (log["count"].as_u64().unwrap_or(requests.len() as u64) as usize, faults)
}

#[test]
fn two_hundred_resources_under_seeded_faults_are_neither_lost_nor_doubled() {
    let Some(tf) = Terraform::new() else { return };
    let sim =
        start_simulator(&tf, &["--seed", "20261201", "--read-lag-ms", "300", "--write-conflict-window-ms", "100"]);
    for rule in [
        json!({"path": "/v2/", "status": 429, "retry_after": 1, "probability": 0.10}),
        json!({"path": "/v2/", "status": 503, "after_work": true, "probability": 0.05}),
        json!({"path": "/v2/", "drop_connection": true, "probability": 0.05}),
    ] {
        sim.add_fault(rule);
    }
    tf.write_main(&configuration(&tf, &sim));

    let started = Instant::now();
    let apply = tf.run(&["apply", "-no-color", "-input=false", "-auto-approve", "-parallelism=10"]);
    let apply_time = started.elapsed();
    apply.expect_success();
    let (apply_requests, apply_faults) = request_figures(&sim);
    for (service, segment) in [("apig", "apigw"), ("roma", "apic")] {
        assert_holds_exactly_the_configuration(&sim, service, segment);
    }
    let state = tf.state().expect("state after apply");
    let instances: usize = state["resources"]
        .as_array()
        .map(|rs| rs.iter().map(|r| r["instances"].as_array().map_or(0, Vec::len)).sum())
        .unwrap_or(0);
    assert_eq!(instances, 4 * PER_SCOPE + 4 * BINDINGS, "every resource is in the state");
    for kind in ["429", "503", "drop"] {
        assert!(
            apply_faults.keys().any(|k| k.contains(kind)),
            "the {kind} fault never fired, so the suite proved nothing about it: {apply_faults:?}"
        );
    }

    // Under the same faults the refresh reads every object back and the plan is empty.
    sim.clear_requests();
    let started = Instant::now();
    let plan = tf.plan_detailed();
    let plan_time = started.elapsed();
    assert_eq!(plan.code, 0, "a re-plan under faults must show no changes\n{}", plan.dump());
    let (plan_requests, plan_faults) = request_figures(&sim);

    sim.clear_requests();
    let started = Instant::now();
    tf.destroy().expect_success();
    let destroy_time = started.elapsed();
    let (destroy_requests, destroy_faults) = request_figures(&sim);
    for segment in ["apigw", "apic"] {
        let held = holdings(&sim, segment);
        assert!(held.names.is_empty(), "{segment}: destroy left certificates: {:?}", held.names);
        assert!(held.bindings.is_empty(), "{segment}: destroy left bindings: {:?}", held.bindings);
    }
    eprintln!(
        "fault suite: apply {apply_requests} requests in {apply_time:.1?}, faults {apply_faults:?}; re-plan \
         {plan_requests} requests in {plan_time:.1?}, faults {plan_faults:?}; destroy {destroy_requests} requests in \
         {destroy_time:.1?}, faults {destroy_faults:?}"
    );
}

#[test]
fn ctrl_c_during_slow_creates_leaves_no_object_outside_the_state() {
    let Some(tf) = Terraform::new() else { return };
    let sim = start_simulator(&tf, &[]);
    // Every create is carried out at once and answered 3 s later: a slow API.
    sim.add_fault(json!({"method": "POST", "path": "/certificates", "latency_ms": 3000, "after_work": true}));
    let cert = certs::wildcard("example.com");
    tf.write("c.crt", &cert.cert_pem);
    tf.write("c.key", &cert.key_pem);
    tf.write_main(&format!(
        "{}\nresource \"apig_certificate\" \"slow\" {{\n  count       = 12\n  name        = \"slow_${{count.index}}\"\n  \
         content     = file(\"c.crt\")\n  private_key = file(\"c.key\")\n}}\n",
        provider_block_at(&sim.base_url(), &format!("  auth_token = {TOKEN:?}\n"))
    ));
    let mut apply = tf.spawn(&["apply", "-no-color", "-input=false", "-auto-approve", "-parallelism=4"]);
    let waiting_since = Instant::now();
    while holdings(&sim, "apigw").names.is_empty() {
        assert!(!apply.has_exited(), "terraform exited before creating anything");
        assert!(waiting_since.elapsed() < Duration::from_secs(120), "no create reached the simulator");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGINT to Terraform alone, as Ctrl-C in a terminal would (its provider is told through Stop).
    let interrupted = Instant::now();
    // SAFETY: kill(2) with a PID of a child this test started and still owns.
    let sent = unsafe { libc::kill(apply.pid() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0, "cannot signal terraform");
    let out = apply.wait(Duration::from_secs(60));
    let exit_time = interrupted.elapsed();
    assert_ne!(out.code, 0, "an interrupted apply does not succeed\n{}", out.dump());
    assert!(
        exit_time < Duration::from_secs(5),
        "terraform took {exit_time:?} to exit after Ctrl-C (the creates are answered after 3 s)\n{}",
        out.dump()
    );

    let held = holdings(&sim, "apigw");
    let state = tf.state().expect("an interrupted apply still writes the state");
    let in_state: BTreeSet<String> = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["instances"].as_array().cloned().unwrap_or_default())
        .filter_map(|i| i["attributes"]["id"].as_str().map(str::to_string))
        .collect();
    assert!(!held.ids.is_empty());
    for (id, name) in &held.ids {
        assert!(in_state.contains(id), "certificate {name} ({id}) exists but is not in the state\n{}", out.dump());
    }
    // And the state holds nothing the simulator does not.
    assert_eq!(in_state.len(), held.ids.len(), "state {in_state:?} vs simulator {:?}", held.ids);
}
