//! Terraform 1.12–1.15 on the real CLI (1.15.5 from the version matrix): resource identity for
//! every resource, import by identity exactly as by ID, a 1.11.4 state taken over without a
//! diff, and `terraform query` finding what was made outside Terraform, its generated
//! configuration importing with no unexpected change. (Run once: the Makefile's second pass on
//! 1.15.5 skips this module.)

use serde_json::{Value, json};

use super::certificate::{api, writes};
use super::certificate_domains::{out_of_band, provider_block, simulator_is_empty};
use crate::support::certs::{self, TestCert};
use crate::support::simulator::{DOMAINS, GROUP_ID, INSTANCE_ID, PROJECT_ID, Simulator};
use crate::support::terraform::Terraform;

const LATEST: &str = "1.15.5";

fn write_pair(tf: &Terraform, label: &str, cert: &TestCert) {
    tf.write(&format!("{label}.crt"), &cert.cert_pem);
    tf.write(&format!("{label}.key"), &cert.key_pem);
}

/// One of each resource: a certificate bound by `apig_certificate_domains` (api.example.com), a
/// certificate made on www.example.com's domain, and a third bound to shop.example.org by an
/// attachment.
fn every_resource_hcl() -> String {
    format!(
        r#"resource "apig_certificate" "api" {{
  name        = "api_example_com"
  content     = file("api.crt")
  private_key = file("api.key")
}}

resource "apig_certificate_domains" "api" {{
  certificate_id = apig_certificate.api.id
  domain {{
    name         = "api.example.com"
    instance_ids = ["{INSTANCE_ID}"]
  }}
}}

resource "apig_domain_certificate" "www" {{
  instance_id = "{INSTANCE_ID}"
  group_id    = "{GROUP_ID}"
  domain_id   = "{www}"
  name        = "www_example_com"
  content     = file("www.crt")
  private_key = file("www.key")
}}

resource "apig_certificate" "shop" {{
  name        = "shop_example_org"
  content     = file("shop.crt")
  private_key = file("shop.key")
}}

resource "apig_domain_certificate_attachment" "shop" {{
  instance_id    = "{INSTANCE_ID}"
  group_id       = "{GROUP_ID}"
  domain_id      = "{shop}"
  certificate_id = apig_certificate.shop.id
}}
"#,
        www = DOMAINS[1].0,
        shop = DOMAINS[2].0,
    )
}

/// A working directory on Terraform `version` wired to `sim` with every certificate written.
fn workspace(tf: Terraform, sim: &Simulator) -> Terraform {
    tf.write("provider.tf", &provider_block(sim));
    write_pair(&tf, "api", &certs::valid("api.example.com", &["api.example.com"]));
    write_pair(&tf, "www", &certs::valid("www.example.com", &["www.example.com"]));
    write_pair(&tf, "shop", &certs::valid("shop.example.org", &["shop.example.org"]));
    tf
}

fn identities(tf: &Terraform) -> Value {
    let out = tf.run(&["state", "identities", "-json"]);
    out.expect_success();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("state identities -json: {e}\n{}", out.dump()))
}

/// The `Plan: …` summary line of a plan.
fn summary(plan: &crate::support::terraform::Output) -> String {
    plan.combined()
        .lines()
        .find(|l| l.starts_with("Plan:"))
        .unwrap_or_else(|| panic!("no summary\n{}", plan.dump()))
        .to_string()
}

fn import_block(address: &str, how: &str) -> String {
    format!("import {{\n  to = {address}\n  {how}\n}}\n")
}

fn identity_hcl(identity: &Value, leave_out: &[&str]) -> String {
    let attrs = identity.as_object().expect("an identity object");
    let lines: Vec<String> =
        attrs.iter().filter(|(k, _)| !leave_out.contains(&k.as_str())).map(|(k, v)| format!("    {k} = {v}")).collect();
    format!("identity = {{\n{}\n  }}", lines.join("\n"))
}

#[test]
fn every_resource_has_an_identity_and_imports_by_it_exactly_as_by_id() {
    let Some(tf) = Terraform::with_version(LATEST) else { return };
    let sim = Simulator::start();
    let tf = workspace(tf, &sim);
    tf.write_main(&every_resource_hcl());
    tf.apply().expect_success();

    let all = identities(&tf);
    let state = tf.state().expect("state");
    let id_of = |ty: &str, name: &str| -> Value {
        let r = state["resources"].as_array().into_iter().flatten().find(|r| r["type"] == ty && r["name"] == name);
        r.map(|r| r["instances"][0]["attributes"].clone()).unwrap_or_else(|| panic!("{ty}.{name} not in state"))
    };
    let api_id = id_of("apig_certificate", "api")["id"].clone();
    assert_eq!(
        all["apig_certificate.api"],
        json!({"certificate_id": api_id, "service": "apig", "project_id": PROJECT_ID})
    );
    assert_eq!(all["apig_certificate_domains.api"], all["apig_certificate.api"]);
    let www = id_of("apig_domain_certificate", "www");
    assert_eq!(
        all["apig_domain_certificate.www"],
        json!({"instance_id": INSTANCE_ID, "group_id": GROUP_ID, "domain_id": DOMAINS[1].0,
               "certificate_id": www["certificate_id"], "service": "apig", "project_id": PROJECT_ID})
    );
    assert_eq!(all["apig_domain_certificate_attachment.shop"]["domain_id"], DOMAINS[2].0);
    assert_eq!(all.as_object().map(|o| o.len()), Some(5), "{all}");

    // Forget everything, then import by ID: the reference plan.
    let addresses: Vec<String> = all.as_object().expect("object").keys().cloned().collect();
    for address in &addresses {
        tf.run(&["state", "rm", address]).expect_success();
    }
    let by_id: String = addresses
        .iter()
        .map(|a| {
            let id = match a.as_str() {
                "apig_certificate.api" | "apig_certificate_domains.api" => api_id.as_str().unwrap().to_string(),
                "apig_certificate.shop" => all[a]["certificate_id"].as_str().unwrap().to_string(),
                _ => {
                    let i = &all[a];
                    format!("{}/{}/{}/{}", i["instance_id"], i["group_id"], i["domain_id"], i["certificate_id"])
                        .replace('"', "")
                }
            };
            import_block(a, &format!("id = \"{id}\""))
        })
        .collect();
    tf.write("imports.tf", &by_id);
    let reference = summary(&tf.plan_detailed());
    assert!(reference.starts_with("Plan: 5 to import, 0 to add"), "{reference}");

    // The same by identity, some with only what import requires (service and project default).
    let by_identity: String = addresses
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let leave_out: &[&str] = if n % 2 == 0 { &["service", "project_id"] } else { &[] };
            import_block(a, &identity_hcl(&all[a], leave_out))
        })
        .collect();
    tf.write("imports.tf", &by_identity);
    let plan = tf.plan_detailed();
    assert_eq!(summary(&plan), reference, "import by identity plans what import by ID plans");
    sim.clear_requests();
    tf.apply().expect_success();
    assert_eq!(writes(&sim), Vec::<String>::new(), "the imports' record-only updates write nothing");
    assert_eq!(identities(&tf), all, "the imported objects have the identities they had");
    std::fs::remove_file(tf.dir().join("imports.tf")).expect("remove imports");
    tf.plan_detailed().expect_code(0);

    // An identity naming another project is refused, saying what to do.
    tf.run(&["state", "rm", "apig_certificate.shop"]).expect_success();
    let mut other = all["apig_certificate.shop"].clone();
    other["project_id"] = json!("ffffffffffffffffffffffffffffffff");
    tf.write("imports.tf", &import_block("apig_certificate.shop", &identity_hcl(&other, &[])));
    let refused = tf.plan_detailed();
    refused.expect_code(1).expect_contains("Identity names another project").expect_contains("provider = apig.<alias>");
    std::fs::remove_file(tf.dir().join("imports.tf")).expect("remove imports");
    tf.write("imports.tf", &import_block("apig_certificate.shop", &identity_hcl(&all["apig_certificate.shop"], &[])));
    tf.apply().expect_success();
    std::fs::remove_file(tf.dir().join("imports.tf")).expect("remove imports");

    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "{}", sim.state());
}

/// State written by Terraform 1.11.4 has no identities: 1.15.5 takes it over silently, and
/// `apply -refresh=false` of a change records the identity of what it changed.
#[test]
fn a_state_written_by_terraform_1_11_is_taken_over_by_1_15_without_a_diff() {
    let Some(tf) = Terraform::new() else { return };
    if tf.at_least(1, 12) {
        eprintln!("SKIPPED: the installed terraform ({}) writes identities itself", tf.version());
        return;
    }
    let sim = Simulator::start();
    let mut tf = workspace(tf, &sim);
    tf.write_main(&every_resource_hcl());
    tf.apply().expect_success();
    let written = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).expect("state");
    assert!(!written.contains("\"identity\""), "Terraform 1.11 writes no identity");

    if tf.switch_to(LATEST).is_none() {
        return;
    }
    tf.plan_detailed().expect_code(0);
    tf.write_main(&every_resource_hcl().replace("\"shop_example_org\"", "\"shop_renamed\""));
    let refresh_false = tf.run(&["apply", "-refresh=false", "-auto-approve", "-input=false", "-no-color"]);
    refresh_false.expect_success().expect_contains("0 added, 1 changed, 0 destroyed");
    assert_eq!(identities(&tf)["apig_certificate.shop"]["project_id"], PROJECT_ID, "the update recorded it");
    tf.apply().expect_success().expect_contains("0 added, 0 changed, 0 destroyed");
    assert_eq!(identities(&tf).as_object().map(|o| o.len()), Some(5), "a refresh fills in every identity");
    tf.plan_detailed().expect_code(0);
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "{}", sim.state());
}

const QUERY: &str = r#"list "apig_certificate" "gateway" {
  provider = apig
  config {
    instance_id = "INSTANCE"
  }
}

list "apig_domain_certificate_attachment" "group" {
  provider = apig
  config {
    instance_id = "INSTANCE"
    group_id    = "GROUP"
  }
}
"#;

/// What a user does with generated configuration: fills in the certificate's PEM and key (the
/// API never returns them; the write-only alternative's null lines go), and refers to the
/// certificate from its binding instead of by literal ID, so destroy unbinds before it deletes.
fn complete_generated(generated: &str, label: &str, certificate_address: &str) -> String {
    let mut in_binding = false;
    let mut out = Vec::new();
    for line in generated.lines() {
        let t = line.trim_start();
        if line.starts_with("resource ") || line.starts_with("import ") {
            in_binding = line.starts_with("resource \"apig_domain_certificate_attachment\"");
        }
        if t.starts_with("private_key_wo") {
            continue;
        }
        out.push(if t.starts_with("content ") && t.ends_with("= null") {
            format!("  content = file(\"{label}.crt\")")
        } else if t.starts_with("private_key ") {
            format!("  private_key = file(\"{label}.key\")")
        } else if in_binding && t.starts_with("certificate_id ") {
            format!("  certificate_id = {certificate_address}.id")
        } else {
            line.to_string()
        });
    }
    out.join("\n")
}

#[test]
fn terraform_query_finds_what_was_made_outside_terraform_on_1_15() {
    query_and_adopt(LATEST);
}

/// `terraform query` became stable in 1.14.
#[test]
fn terraform_query_finds_what_was_made_outside_terraform_on_1_14() {
    query_and_adopt("1.14.9");
}

/// Objects made in the console are listed, and the generated configuration (PEM and key filled
/// in) imports them with no unexpected change and no API write.
fn query_and_adopt(version: &str) {
    let Some(tf) = Terraform::with_version(version) else { return };
    let sim = Simulator::start();
    tf.write("provider.tf", &provider_block(&sim));
    let shop = certs::valid("shop.example.org", &["shop.example.org"]);
    write_pair(&tf, "shop", &shop);

    // Made in the console: a global certificate, bound to shop.example.org.
    let form = json!({"name": "shop_example_org", "cert_content": shop.cert_pem, "private_key": shop.key_pem});
    let (status, created) = api(&sim, "POST", "apig", "certificates", Some(form));
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().expect("id").to_string();
    out_of_band(&sim, "apig", &id, "attach", "shop.example.org");

    tf.write("found.tfquery.hcl", &QUERY.replace("INSTANCE", INSTANCE_ID).replace("GROUP", GROUP_ID));
    sim.clear_requests();
    let listed = tf.run(&["query", "-no-color"]);
    listed.expect_success();
    listed
        .expect_contains(&format!("certificate_id={id}"))
        .expect_contains("shop_example_org (shop.example.org, expires");
    listed.expect_contains("shop.example.org: shop_example_org");
    assert_eq!(writes(&sim), Vec::<String>::new(), "a query reads only");

    tf.run(&["query", "-no-color", "-generate-config-out=generated.tf"]).expect_success();
    let generated = std::fs::read_to_string(tf.dir().join("generated.tf")).expect("generated.tf");
    assert!(generated.contains("identity = {"), "import blocks by identity:\n{generated}");
    assert!(!generated.contains("\n  id "), "no computed-only attribute:\n{generated}");
    std::fs::remove_file(tf.dir().join("found.tfquery.hcl")).expect("remove query");
    tf.write("generated.tf", &complete_generated(&generated, "shop", "apig_certificate.gateway_0"));

    // The certificate's one record-only update, the binding with no change, no API write.
    let plan = tf.plan_detailed();
    plan.expect_code(2).expect_contains("Plan: 2 to import, 0 to add, 1 to change, 0 to destroy");
    sim.clear_requests();
    tf.apply().expect_success();
    assert_eq!(writes(&sim), Vec::<String>::new(), "adoption writes nothing");
    tf.plan_detailed().expect_code(0);
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "{}", sim.state());
}

#[test]
fn an_invalid_list_configuration_fails_on_its_attribute_before_any_api_call() {
    let Some(tf) = Terraform::with_version(LATEST) else { return };
    let sim = Simulator::start();
    tf.write("provider.tf", &provider_block(&sim));
    tf.write("bad.tfquery.hcl", &QUERY.replace("INSTANCE", INSTANCE_ID).replace("GROUP", "not-a-group"));
    sim.clear_requests();
    let out = tf.run(&["query", "-no-color"]);
    // Terraform quotes the attribute's own line: the diagnostic names `config.group_id`.
    out.expect_failure().expect_contains("Invalid API group ID").expect_contains(r#"group_id    = "not-a-group""#);
    assert_eq!(sim.request_count(), 0, "nothing reached the API:\n{}", out.dump());
}

/// A listing pages as it goes and stops at the list block's `limit`: 120 of 250 certificates
/// take two list calls of 100, not three.
#[test]
fn terraform_query_honours_the_limit_and_reads_no_page_past_it() {
    let Some(tf) = Terraform::with_version(LATEST) else { return };
    let sim = Simulator::start();
    tf.write("provider.tf", &provider_block(&sim));
    let cert = certs::valid("many.example.com", &["many.example.com"]);
    for n in 0..250 {
        let form = json!({"name": format!("many_{n:03}"), "cert_content": cert.cert_pem, "private_key": cert.key_pem});
        let (status, created) = api(&sim, "POST", "apig", "certificates", Some(form));
        assert_eq!(status, 200, "{created}");
    }
    let query = format!(
        "list \"apig_certificate\" \"many\" {{\n  provider = apig\n  limit    = 120\n  config {{\n    instance_id = \
         \"{INSTANCE_ID}\"\n  }}\n}}\n"
    );
    tf.write("many.tfquery.hcl", &query);
    sim.clear_requests();
    let out = tf.run(&["query", "-no-color"]);
    out.expect_success();
    let listed = out.stdout.lines().filter(|l| l.starts_with("list.apig_certificate.many")).count();
    assert_eq!(listed, 120, "{}", out.dump());
    let pages: Vec<String> = sim.requests()["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().is_some_and(|p| p.ends_with("/certificates")))
        .map(|r| r["path"].to_string())
        .collect();
    assert_eq!(pages.len(), 2, "two pages of 100 hold the first 120: {pages:?}");
}
