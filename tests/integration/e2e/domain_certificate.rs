//! End to end through the real Terraform CLI against `apig-simulator`: `apig_domain_certificate`
//! and `apig_domain_certificate_attachment` on the default fixture, on both services.

use crate::support::certs;
use crate::support::simulator::{DOMAINS, GROUP_ID, INSTANCE_ID, PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::Terraform;

fn provider_block(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{url}\", roma = \"{url}\" }}\n  max_retries = 0\n}}\n",
        url = sim.base_url()
    )
}

fn segment(service: &str) -> &'static str {
    if service == "roma" { "apic" } else { "apigw" }
}

/// Certificate IDs bound to any domain of the simulator's `service`.
fn bindings(sim: &Simulator, service: &str) -> Vec<String> {
    let state = sim.state();
    let mut out = Vec::new();
    for project in state[segment(service)]["projects"].as_array().into_iter().flatten() {
        for instance in project["instances"].as_array().into_iter().flatten() {
            for group in instance["groups"].as_array().into_iter().flatten() {
                for d in group["domains"].as_array().into_iter().flatten() {
                    for v in d["certificates"].as_object().into_iter().flatten().map(|(_, v)| v) {
                        out.push(v.as_str().unwrap_or_default().to_string());
                    }
                }
            }
        }
    }
    out
}

fn attachment_hcl(service: &str, domain_id: &str, verified: Option<bool>) -> String {
    let flag = verified.map(|v| format!("  verified_client_certificate_enabled = {v}\n")).unwrap_or_default();
    format!(
        "resource \"apig_certificate\" \"api\" {{\n  service = \"{service}\"\n  name = \"api_example_com\"\n  \
         content = file(\"api.crt\")\n  private_key = file(\"api.key\")\n  type = \"instance\"\n  instance_id = \"{INSTANCE_ID}\"\n  \
         trusted_root_ca = file(\"ca.crt\")\n}}\n\
         resource \"apig_domain_certificate_attachment\" \"www\" {{\n  service = \"{service}\"\n  \
         instance_id = \"{INSTANCE_ID}\"\n  group_id = \"{GROUP_ID}\"\n  domain_id = \"{domain_id}\"\n  \
         certificate_id = apig_certificate.api.id\n{flag}}}\n"
    )
}

fn attachment_lifecycle(service: &str) {
    let sim = Simulator::start();
    let Some(tf) = Terraform::new() else { return };
    // Client verification needs a certificate with a trusted root CA.
    let ca = certs::root_ca("Client CA");
    let cert = certs::valid("www.example.com", &["www.example.com", "api.example.com"]);
    tf.write("ca.crt", &ca.cert_pem());
    tf.write("provider.tf", &provider_block(&sim));
    tf.write("api.crt", &cert.cert_pem);
    tf.write("api.key", &cert.key_pem);
    let www = DOMAINS[1].0;

    // Create, then no changes.
    tf.write_main(&attachment_hcl(service, www, None));
    tf.apply().expect_success();
    assert_eq!(bindings(&sim, service).len(), 1);
    tf.plan_detailed().expect_code(0);

    // The flag changes in place (update, not replace).
    tf.write_main(&attachment_hcl(service, www, Some(true)));
    tf.plan_detailed().expect_code(2).expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    tf.plan_detailed().expect_code(0);

    // Import: forget the binding, import it back, no changes.
    let state = tf.state().expect("state");
    let id = state["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "apig_domain_certificate_attachment"))
        .map(|r| r["instances"][0]["attributes"]["id"].as_str().unwrap_or_default().to_string())
        .expect("attachment in state");
    tf.run(&["state", "rm", "apig_domain_certificate_attachment.www"]).expect_success();
    let import_id = if service == "roma" { format!("roma/{id}") } else { id.clone() };
    tf.import("apig_domain_certificate_attachment.www", &import_id).expect_success();
    tf.plan_detailed().expect_code(0);

    // Replacement: another domain.
    tf.write_main(&attachment_hcl(service, DOMAINS[0].0, Some(true)));
    tf.plan_detailed().expect_code(2).expect_contains("must be replaced");
    tf.apply().expect_success();
    tf.plan_detailed().expect_code(0);

    // Out-of-band detach: the plan proposes creating the binding again.
    let cert_id = id.rsplit('/').next().unwrap_or_default();
    let detach = serde_json::json!({"certificate_ids": [cert_id]});
    let path = format!(
        "/v2/{PROJECT_ID}/{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}/domains/{}/certificates/detach",
        segment(service),
        DOMAINS[0].0
    );
    let (status, _, _) = crate::support::simulator::raw_request(
        sim.addr(),
        "POST",
        &path,
        &[("X-Auth-Token", TOKEN)],
        Some(&detach.to_string()),
    );
    assert_eq!(status, 204);
    tf.plan_detailed().expect_code(2).expect_contains("1 to add");

    tf.destroy().expect_success();
    assert!(bindings(&sim, service).is_empty());
    assert!(sim.certificates(segment(service)).is_empty());
}

#[test]
fn attachment_lifecycle_on_apig() {
    attachment_lifecycle("apig");
}

#[test]
fn attachment_lifecycle_on_roma() {
    attachment_lifecycle("roma");
}

fn domain_certificate_hcl(service: &str, name: &str) -> String {
    format!(
        "resource \"apig_domain_certificate\" \"www\" {{\n  service = \"{service}\"\n  \
         instance_id = \"{INSTANCE_ID}\"\n  group_id = \"{GROUP_ID}\"\n  domain_id = \"{}\"\n  name = \"{name}\"\n  \
         content = file(\"api.crt\")\n  private_key_wo = file(\"api.key\")\n  private_key_wo_version = 1\n}}\n",
        DOMAINS[1].0
    )
}

fn domain_certificate_lifecycle(service: &str) {
    let sim = Simulator::start();
    let Some(tf) = Terraform::new() else { return };
    let cert = certs::valid("www.example.com", &["www.example.com"]);
    tf.write("provider.tf", &provider_block(&sim));
    tf.write("api.crt", &cert.cert_pem);
    tf.write("api.key", &cert.key_pem);

    tf.write_main(&domain_certificate_hcl(service, "www_cert"));
    tf.apply().expect_success();
    assert_eq!(bindings(&sim, service).len(), 1);
    tf.plan_detailed().expect_code(0);

    // Name change replaces.
    tf.write_main(&domain_certificate_hcl(service, "www_cert_two"));
    tf.plan_detailed().expect_code(2).expect_contains("must be replaced");
    tf.apply().expect_success();
    tf.plan_detailed().expect_code(0);
    assert_eq!(sim.certificates(segment(service)).len(), 1, "the replaced certificate is deleted");

    // Import: the first apply records content and key without replacing, then no changes.
    let state = tf.state().expect("state");
    let id = state["resources"][0]["instances"][0]["attributes"]["id"].as_str().expect("id").to_string();
    tf.run(&["state", "rm", "apig_domain_certificate.www"]).expect_success();
    let import_id = if service == "roma" { format!("roma/{id}") } else { id };
    tf.import("apig_domain_certificate.www", &import_id).expect_success();
    let plan = tf.plan_detailed();
    plan.expect_code(2).expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    tf.plan_detailed().expect_code(0);

    tf.destroy().expect_success();
    assert!(bindings(&sim, service).is_empty());
    assert!(sim.certificates(segment(service)).is_empty());
}

#[test]
fn domain_certificate_lifecycle_on_apig() {
    domain_certificate_lifecycle("apig");
}

#[test]
fn domain_certificate_lifecycle_on_roma() {
    domain_certificate_lifecycle("roma");
}
