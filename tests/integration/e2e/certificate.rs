//! End to end through the real Terraform CLI against `apig-simulator`: `apig_certificate` and the
//! `apig_certificate` / `apig_certificates` data sources, on both services. Create, no-change
//! re-plan, rename in place, key rotation through `private_key_wo_version`, replacement on a type
//! change, data sources reading back, destroy refused while bound (naming the domains), deletion
//! outside Terraform, destroy leaving no certificate; and import, whose first apply records the
//! PEM without any API write, then drift when the certificate is re-uploaded outside Terraform.

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{INSTANCE_ID, PROJECT_ID, Simulator, TOKEN, raw_request};
use crate::support::terraform::Terraform;
use serde_json::{Value, json};

fn provider_block(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{url}\", roma = \"{url}\" }}\n  max_retries = 0\n}}\n",
        url = sim.base_url()
    )
}

/// The simulator's path segment of a service.
fn segment(service: &str) -> &'static str {
    if service == "roma" { "apic" } else { "apigw" }
}

/// One API call to the simulator with the test token; returns status and JSON body.
pub(super) fn api(sim: &Simulator, method: &str, service: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let full = format!("/v2/{PROJECT_ID}/{}/{path}", segment(service));
    let body = body.map(|b| b.to_string());
    let (status, _, bytes) = raw_request(sim.addr(), method, &full, &[("X-Auth-Token", TOKEN)], body.as_deref());
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// The only certificate the simulator holds on `service`.
fn only_certificate(sim: &Simulator, service: &str) -> Value {
    let certificates = sim.certificates(segment(service));
    assert_eq!(certificates.len(), 1, "expected exactly one certificate: {certificates:?}");
    certificates[0].clone()
}

fn write_pair(tf: &Terraform, cert: &TestCert) {
    tf.write("api.crt", &cert.cert_pem);
    tf.write("api.key", &cert.key_pem);
}

/// A global or instance certificate whose key is write-only.
fn certificate_hcl(service: &str, name: &str, version: u32, instance: bool) -> String {
    let scope = if instance {
        format!("  type        = \"instance\"\n  instance_id = \"{INSTANCE_ID}\"\n")
    } else {
        String::new()
    };
    format!(
        "resource \"apig_certificate\" \"api\" {{\n  service                = \"{service}\"\n  name                   = \"{name}\"\n  \
         content                = file(\"api.crt\")\n  private_key_wo         = file(\"api.key\")\n  \
         private_key_wo_version = {version}\n{scope}}}\n"
    )
}

fn data_sources_hcl(service: &str, name: &str) -> String {
    format!(
        "data \"apig_certificate\" \"by_id\" {{\n  service = \"{service}\"\n  id = apig_certificate.api.id\n}}\n\
         data \"apig_certificate\" \"by_name\" {{\n  service = \"{service}\"\n  name = \"{name}\"\n  instance_id = \"{INSTANCE_ID}\"\n  \
         depends_on = [apig_certificate.api]\n}}\n\
         data \"apig_certificates\" \"all\" {{\n  service = \"{service}\"\n  instance_id = \"{INSTANCE_ID}\"\n  \
         depends_on = [apig_certificate.api]\n}}\n\
         output \"by_id\" {{ value = data.apig_certificate.by_id }}\n\
         output \"by_name_id\" {{ value = data.apig_certificate.by_name.id }}\n\
         output \"all\" {{ value = data.apig_certificates.all.certificates }}\n\
         output \"resource\" {{ value = {{ id = apig_certificate.api.id, serial = apig_certificate.api.serial_number, \
         not_after = apig_certificate.api.not_after, updated_at = apig_certificate.api.updated_at }} }}\n"
    )
}

/// A distinctive line of a key's base64 body.
fn key_marker(key_pem: &str) -> String {
    let body: Vec<&str> = key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 40).collect();
    body[body.len() / 2].to_string()
}

fn outputs(tf: &Terraform) -> Value {
    let out = tf.run(&["output", "-json"]);
    out.expect_success();
    serde_json::from_str(&out.stdout).expect("output -json")
}

fn lifecycle(service: &str) {
    let sim = Simulator::start();
    let Some(tf) = Terraform::new() else { return };
    tf.write("provider.tf", &provider_block(&sim));
    let first = certs::builder("api.example.com").sans(&["api.example.com"]).organization("Acme").serial(1001).build();
    write_pair(&tf, &first);

    // Create; then the plan shows no changes.
    tf.write_main(&certificate_hcl(service, "api_example_com", 1, false));
    tf.apply().expect_success();
    let created = only_certificate(&sim, service);
    assert_eq!((created["name"].as_str(), created["type"].as_str()), (Some("api_example_com"), Some("global")));
    let id = created["id"].as_str().expect("id").to_string();
    tf.plan_detailed().expect_code(0);

    // The write-only key is nowhere in state.
    let shown = tf.show_json();
    let attributes = &shown["values"]["root_module"]["resources"][0]["values"];
    assert_eq!(attributes["id"], id.as_str());
    assert_eq!(attributes["instance_id"], "common");
    assert_eq!(attributes["serial_number"], "1001");
    assert!(attributes["private_key_wo"].is_null() && attributes["private_key"].is_null(), "{attributes}");
    assert!(!shown.to_string().contains(&key_marker(&first.key_pem)), "the key is in show -json");

    // Rename: one update in place, same certificate.
    tf.write_main(&certificate_hcl(service, "renamed_cert", 1, false));
    tf.plan_detailed().expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    tf.apply().expect_success();
    let renamed = only_certificate(&sim, service);
    assert_eq!((renamed["id"].as_str(), renamed["name"].as_str()), (Some(id.as_str()), Some("renamed_cert")));
    tf.plan_detailed().expect_code(0);

    // Rotation: a new certificate and key, announced by private_key_wo_version; updated in place.
    let second = certs::builder("api.example.com").sans(&["api.example.com"]).organization("Acme").serial(1002).build();
    write_pair(&tf, &second);
    tf.write_main(&certificate_hcl(service, "renamed_cert", 2, false));
    tf.plan_detailed().expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    tf.apply().expect_success();
    let rotated = only_certificate(&sim, service);
    assert_eq!(rotated["id"].as_str(), Some(id.as_str()));
    assert_eq!(rotated["parsed"]["serial_number"], "1002");
    assert_ne!(rotated["update_time"], renamed["update_time"]);
    tf.plan_detailed().expect_code(0);

    // Data sources read back what the resource holds.
    tf.write_main(&format!(
        "{}{}",
        certificate_hcl(service, "renamed_cert", 2, false),
        data_sources_hcl(service, "renamed_cert")
    ));
    tf.apply().expect_success();
    let out = outputs(&tf);
    let by_id = &out["by_id"]["value"];
    assert_eq!(by_id["id"], id.as_str());
    assert_eq!(by_id["name"], "renamed_cert");
    assert_eq!(by_id["serial_number"], "1002");
    assert_eq!(by_id["service"], service);
    assert_eq!(by_id["sans"], json!(["api.example.com"]));
    assert_eq!(by_id["not_after"], out["resource"]["value"]["not_after"]);
    assert_eq!(by_id["updated_at"], out["resource"]["value"]["updated_at"]);
    assert_eq!(out["by_name_id"]["value"], id.as_str());
    let listed = out["all"]["value"].as_array().expect("certificates list").clone();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!((listed[0]["id"].as_str(), listed[0]["instance_id"].as_str()), (Some(id.as_str()), Some("common")));
    tf.plan_detailed().expect_code(0);

    // A type change replaces the certificate.
    let with_data = |instance: bool| {
        format!(
            "{}{}",
            certificate_hcl(service, "renamed_cert", 2, instance),
            data_sources_hcl(service, "renamed_cert")
        )
    };
    tf.write_main(&with_data(true));
    tf.plan_detailed().expect_code(2).expect_contains("must be replaced");
    tf.apply().expect_success();
    let replaced = only_certificate(&sim, service);
    assert_ne!(replaced["id"].as_str(), Some(id.as_str()));
    assert_eq!((replaced["type"].as_str(), replaced["instance_id"].as_str()), (Some("instance"), Some(INSTANCE_ID)));
    let id = replaced["id"].as_str().expect("id").to_string();
    tf.plan_detailed().expect_code(0);

    // Destroy is refused while a domain holds the certificate, naming the domain.
    let bind = json!({"domains": [{"domain": "api.example.com", "instance_ids": [INSTANCE_ID]}]});
    let (status, body) = api(&sim, "POST", service, &format!("certificates/{id}/domains/attach"), Some(bind.clone()));
    assert_eq!(status, 204, "{body}");
    let refused = tf.destroy();
    refused.expect_failure().expect_contains("Certificate is still bound to domains");
    refused.expect_contains("api.example.com (API group demo_group");
    assert_eq!(only_certificate(&sim, service)["id"].as_str(), Some(id.as_str()));
    let (status, body) = api(&sim, "POST", service, &format!("certificates/{id}/domains/detach"), Some(bind));
    assert_eq!(status, 204, "{body}");

    // Deleted outside Terraform: the plan proposes creating it again.
    let (status, body) = api(&sim, "DELETE", service, &format!("certificates/{id}"), None);
    assert_eq!(status, 204, "{body}");
    tf.plan_detailed().expect_code(2).expect_contains("1 to add, 0 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_ne!(only_certificate(&sim, service)["id"].as_str(), Some(id.as_str()));

    // Destroy leaves the simulator without certificates.
    tf.destroy().expect_success();
    assert!(sim.certificates(segment(service)).is_empty());
}

#[test]
fn certificate_lifecycle_on_apig() {
    lifecycle("apig");
}

#[test]
fn certificate_lifecycle_on_roma() {
    lifecycle("roma");
}

/// API writes in the simulator's request log (admin calls are not logged).
pub(super) fn writes(sim: &Simulator) -> Vec<String> {
    sim.requests()["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["method"] != "GET")
        .map(|r| format!("{} {}", r["method"].as_str().unwrap_or("?"), r["path"].as_str().unwrap_or("?")))
        .collect()
}

fn import(service: &str) {
    let sim = Simulator::start();
    let Some(tf) = Terraform::new() else { return };
    tf.write("provider.tf", &provider_block(&sim));
    let cert = certs::builder("api.example.com").sans(&["api.example.com"]).organization("Acme").serial(2001).build();
    write_pair(&tf, &cert);

    // A certificate uploaded outside Terraform.
    let form = json!({"name": "api_example_com", "cert_content": cert.cert_pem, "private_key": cert.key_pem});
    let (status, created) = api(&sim, "POST", service, "certificates", Some(form));
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().expect("id").to_string();
    let update_time = created["update_time"].clone();

    tf.write_main(&certificate_hcl(service, "api_example_com", 1, false));
    let import_id = if service == "roma" { format!("roma/{id}") } else { id.clone() };
    tf.import("apig_certificate.api", &import_id).expect_success();

    // The PEM is never returned, so the first plan records it: an update in place, nothing else.
    let plan = tf.plan_detailed();
    plan.expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    plan.expect_contains("+ content");
    assert!(!plan.stdout.contains("updated_at"), "updated_at must not change\n{}", plan.stdout);

    // Its apply makes no API write, and the certificate is untouched.
    sim.clear_requests();
    tf.apply().expect_success();
    assert_eq!(writes(&sim), Vec::<String>::new());
    assert_eq!(only_certificate(&sim, service)["update_time"], update_time);
    tf.plan_detailed().expect_code(0);
    let shown = tf.show_json();
    assert!(!shown.to_string().contains(&key_marker(&cert.key_pem)), "the key is in show -json");

    // Re-uploaded outside Terraform: the refresh shows it and the plan uploads the configuration.
    let other = certs::builder("api.example.com").sans(&["api.example.com"]).organization("Acme").serial(2002).build();
    let form = json!({"name": "api_example_com", "cert_content": other.cert_pem, "private_key": other.key_pem});
    let (status, body) = api(&sim, "PUT", service, &format!("certificates/{id}"), Some(form));
    assert_eq!(status, 200, "{body}");
    tf.plan_detailed().expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    sim.clear_requests();
    tf.apply().expect_success();
    let path = format!("/v2/{PROJECT_ID}/{}/certificates/{id}", segment(service));
    assert_eq!(writes(&sim), vec![format!("PUT {path}")]);
    assert_eq!(only_certificate(&sim, service)["parsed"]["serial_number"], "2001");
    tf.plan_detailed().expect_code(0);

    tf.destroy().expect_success();
    assert!(sim.certificates(segment(service)).is_empty());
}

#[test]
fn import_then_record_without_a_write_on_apig() {
    import("apig");
}

#[test]
fn import_then_record_without_a_write_on_roma() {
    import("roma");
}
