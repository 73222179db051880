//! The compatibility journey, once on each Terraform of the version matrix (1.0.3, 1.12.2,
//! 1.14.9, 1.15.5, installed by `scripts/terraform-versions.sh`) and once on the installed
//! `terraform` (1.11.4 on the project's machines): apply a certificate and a binding, re-plan
//! with no changes, rename the certificate in place, import a certificate and its binding made
//! through the API (the certificate's one record-only update without an API write, no change for
//! the binding), drift (the imported pair deleted through the API is planned and made again), and
//! destroy to an empty simulator. Terraform before 1.11 has no write-only attributes, so there the
//! key is the plain sensitive `private_key`; from 1.11 it is `private_key_wo`.

use serde_json::json;

use super::certificate::{api, writes};
use super::certificate_domains::{bound_names, out_of_band, provider_block, resource_values, simulator_is_empty};
use crate::support::certs::{self, TestCert};
use crate::support::simulator::{INSTANCE_ID, Simulator};
use crate::support::terraform::Terraform;

/// `apig_certificate.<label>` named `name`, from `<label>.crt` / `<label>.key`.
fn certificate_hcl(label: &str, name: &str, write_only: bool) -> String {
    let key = if write_only {
        format!("  private_key_wo         = file(\"{label}.key\")\n  private_key_wo_version = 1\n")
    } else {
        format!("  private_key            = file(\"{label}.key\")\n")
    };
    format!(
        "resource \"apig_certificate\" \"{label}\" {{\n  name                   = \"{name}\"\n  \
         content                = file(\"{label}.crt\")\n{key}}}\n"
    )
}

/// `apig_certificate_domains.<label>` binding `domain` on the fixture's gateway to the certificate
/// of the same label.
fn binding_hcl(label: &str, domain: &str) -> String {
    format!(
        "resource \"apig_certificate_domains\" \"{label}\" {{\n  certificate_id = apig_certificate.{label}.id\n  \
         domain {{\n    name         = \"{domain}\"\n    instance_ids = [\"{INSTANCE_ID}\"]\n  }}\n}}\n"
    )
}

fn write_pair(tf: &Terraform, label: &str, cert: &TestCert) {
    tf.write(&format!("{label}.crt"), &cert.cert_pem);
    tf.write(&format!("{label}.key"), &cert.key_pem);
}

fn certificate_id(tf: &Terraform, label: &str) -> String {
    resource_values(tf, "apig_certificate", label)["id"].as_str().expect("certificate id").to_string()
}

/// The simulator's record of certificate `id` on APIG.
fn certificate(sim: &Simulator, id: &str) -> serde_json::Value {
    let found = sim.certificates("apigw").into_iter().find(|c| c["id"] == id);
    found.unwrap_or_else(|| panic!("certificate {id} not in the simulator: {}", sim.state()))
}

fn journey(tf: Terraform) {
    let version = tf.version();
    let write_only = tf.at_least(1, 11);
    let sim = Simulator::start();
    tf.write("provider.tf", &provider_block(&sim));
    write_pair(&tf, "api", &certs::valid("api.example.com", &["api.example.com"]));
    let www = certs::valid("www.example.com", &["www.example.com"]);
    write_pair(&tf, "www", &www);
    let context = format!("on Terraform {version}");

    // Apply, then nothing to change.
    let config =
        |name: &str| format!("{}{}", certificate_hcl("api", name, write_only), binding_hcl("api", "api.example.com"));
    tf.write_main(&config("api_example_com"));
    tf.apply().expect_success();
    let id = certificate_id(&tf, "api");
    assert_eq!(certificate(&sim, &id)["name"], "api_example_com", "{context}");
    assert_eq!(bound_names(&sim, "apig", &id), ["api.example.com"], "{context}");
    tf.plan_detailed().expect_code(0);

    // Rename: one update in place, the same certificate.
    tf.write_main(&config("api_renamed"));
    tf.plan_detailed().expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(certificate_id(&tf, "api"), id, "{context}");
    assert_eq!(certificate(&sim, &id)["name"], "api_renamed", "{context}");
    tf.plan_detailed().expect_code(0);

    // Import a certificate uploaded and bound through the API (the console, another tool).
    let form = json!({"name": "www_example_com", "cert_content": www.cert_pem, "private_key": www.key_pem});
    let (status, created) = api(&sim, "POST", "apig", "certificates", Some(form));
    assert_eq!(status, 200, "{created}");
    let www_id = created["id"].as_str().expect("id").to_string();
    out_of_band(&sim, "apig", &www_id, "attach", "www.example.com");
    let full = format!(
        "{}{}{}",
        config("api_renamed"),
        certificate_hcl("www", "www_example_com", write_only),
        binding_hcl("www", "www.example.com")
    );
    tf.write_main(&full);
    tf.import("apig_certificate.www", &www_id).expect_success();
    tf.import("apig_certificate_domains.www", &www_id).expect_success();
    // The API never returns the PEM: the plan records it, an update in place of the certificate
    // and nothing else; its apply writes nothing to the API.
    let plan = tf.plan_detailed();
    plan.expect_code(2).expect_contains("0 to add, 1 to change, 0 to destroy");
    plan.expect_contains("apig_certificate.www will be updated in-place");
    sim.clear_requests();
    tf.apply().expect_success();
    assert_eq!(writes(&sim), Vec::<String>::new(), "{context}");
    tf.plan_detailed().expect_code(0);
    assert_eq!(bound_names(&sim, "apig", &www_id), ["www.example.com"], "{context}");

    // Drift: the imported pair unbound and deleted through the API; the plan makes both again.
    out_of_band(&sim, "apig", &www_id, "detach", "www.example.com");
    let (status, body) = api(&sim, "DELETE", "apig", &format!("certificates/{www_id}"), None);
    assert_eq!(status, 204, "{body}");
    tf.plan_detailed().expect_code(2).expect_contains("2 to add, 0 to change, 0 to destroy");
    tf.apply().expect_success();
    let recreated = certificate_id(&tf, "www");
    assert_ne!(recreated, www_id, "{context}");
    assert_eq!(bound_names(&sim, "apig", &recreated), ["www.example.com"], "{context}");
    tf.plan_detailed().expect_code(0);

    // Destroy leaves nothing behind.
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy {context} left something behind: {}", sim.state());
}

#[test]
fn journey_on_terraform_1_0_3() {
    let Some(tf) = Terraform::with_version("1.0.3") else { return };
    journey(tf);
}

#[test]
fn journey_on_terraform_1_12_2() {
    let Some(tf) = Terraform::with_version("1.12.2") else { return };
    journey(tf);
}

#[test]
fn journey_on_terraform_1_14_9() {
    let Some(tf) = Terraform::with_version("1.14.9") else { return };
    journey(tf);
}

#[test]
fn journey_on_terraform_1_15_5() {
    let Some(tf) = Terraform::with_version("1.15.5") else { return };
    journey(tf);
}

/// The `terraform` the rest of the suite runs (PATH's 1.11.4, or `APIG_TERRAFORM*`).
#[test]
fn journey_on_the_installed_terraform() {
    let Some(tf) = Terraform::new() else { return };
    journey(tf);
}
