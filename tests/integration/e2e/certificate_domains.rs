//! End to end through the real Terraform CLI against `apig-simulator`: `apig_certificate_domains`
//! binds domains of the default fixture to a certificate made by `apig_certificate`, on both
//! services, and the `apig_certificate_attached_domains` data source reads them back.

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{INSTANCE_ID, PROJECT_ID, Simulator, TOKEN, raw_request};
use crate::support::terraform::Terraform;
use serde_json::{Value, json};

/// Every name of the default fixture, so one certificate can be bound to any of them.
const NAMES: [&str; 3] = ["api.example.com", "www.example.com", "shop.example.org"];

/// `apig` → `apigw`, `roma` → `apic`: the simulator's path segment and state key.
pub(super) fn segment(service: &str) -> &'static str {
    if service == "roma" { "apic" } else { "apigw" }
}

pub(super) fn provider_block(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{url}\", roma = \"{url}\" }}\n  max_retries = 0\n}}\n",
        url = sim.base_url()
    )
}

/// A working directory wired to `sim`, with the certificate files written; `None` to skip.
fn workspace(sim: &Simulator, cert: &TestCert) -> Option<Terraform> {
    let tf = Terraform::new()?;
    tf.write("provider.tf", &provider_block(sim));
    tf.write("api.crt", &cert.cert_pem);
    tf.write("api.key", &cert.key_pem);
    Some(tf)
}

/// `resource "apig_certificate" "api"` on `service` (`None`: the provider's default).
fn certificate_hcl(service: Option<&str>, extra: &str) -> String {
    let service = service.map(|s| format!("  service     = \"{s}\"\n")).unwrap_or_default();
    format!(
        "resource \"apig_certificate\" \"api\" {{\n  name        = \"api_example_com\"\n  content     = file(\"api.crt\")\n  \
         private_key = file(\"api.key\")\n{service}{extra}}}\n"
    )
}

/// One `domain` block.
fn domain(name: &str, instance_ids: Option<&[&str]>, verified: Option<bool>) -> String {
    let mut out = format!("  domain {{\n    name = \"{name}\"\n");
    if let Some(ids) = instance_ids {
        let ids: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
        out.push_str(&format!("    instance_ids = [{}]\n", ids.join(", ")));
    }
    if let Some(v) = verified {
        out.push_str(&format!("    verified_client_certificate_enabled = {v}\n"));
    }
    out.push_str("  }\n");
    out
}

fn domains_hcl(label: &str, certificate_id: &str, service: Option<&str>, blocks: &[String]) -> String {
    let service = service.map(|s| format!("  service        = \"{s}\"\n")).unwrap_or_default();
    format!(
        "resource \"apig_certificate_domains\" \"{label}\" {{\n  certificate_id = {certificate_id}\n{service}{}}}\n",
        blocks.concat()
    )
}

/// `(url_domain, instance_id, verified_client_certificate_enabled)` of every domain of the
/// simulator's `service` that holds `certificate_id`, sorted.
pub(super) fn bound(sim: &Simulator, service: &str, certificate_id: &str) -> Vec<(String, String, bool)> {
    let state = sim.state();
    let mut out = Vec::new();
    for project in state[segment(service)]["projects"].as_array().into_iter().flatten() {
        for instance in project["instances"].as_array().into_iter().flatten() {
            for group in instance["groups"].as_array().into_iter().flatten() {
                for d in group["domains"].as_array().into_iter().flatten() {
                    let holds = d["certificates"].as_object().is_some_and(|m| m.values().any(|v| v == certificate_id));
                    if holds {
                        out.push((
                            d["url_domain"].as_str().unwrap_or_default().to_string(),
                            instance["id"].as_str().unwrap_or_default().to_string(),
                            d["verified_client_certificate_enabled"].as_bool().unwrap_or(false),
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Names bound to `certificate_id` (on the fixture's one gateway).
pub(super) fn bound_names(sim: &Simulator, service: &str, certificate_id: &str) -> Vec<String> {
    bound(sim, service, certificate_id)
        .into_iter()
        .map(|(name, instance, _)| {
            assert_eq!(instance, INSTANCE_ID);
            name
        })
        .collect()
}

/// True when no domain of either service holds any certificate, and no certificate is left.
pub(super) fn simulator_is_empty(sim: &Simulator) -> bool {
    let state = sim.state();
    ["apigw", "apic"].iter().all(|svc| {
        state[svc]["projects"].as_array().into_iter().flatten().all(|p| {
            p["certificates"].as_array().is_none_or(|c| c.is_empty())
                && p["instances"].as_array().into_iter().flatten().all(|i| {
                    i["groups"].as_array().into_iter().flatten().all(|g| {
                        g["domains"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .all(|d| d["certificates"].as_object().is_none_or(|m| m.is_empty()))
                    })
                })
        })
    })
}

/// Someone else (the console, another tool) binds or unbinds through the API directly.
pub(super) fn out_of_band(sim: &Simulator, service: &str, certificate_id: &str, action: &str, name: &str) {
    let path = format!("/v2/{PROJECT_ID}/{}/certificates/{certificate_id}/domains/{action}", segment(service));
    let body = json!({"domains": [{"domain": name, "instance_ids": [INSTANCE_ID]}]}).to_string();
    let (status, _, reply) = raw_request(sim.addr(), "POST", &path, &[("X-Auth-Token", TOKEN)], Some(&body));
    assert_eq!(status, 204, "out-of-band {action} of {name}: {}", String::from_utf8_lossy(&reply));
}

/// The ID of the certificate the state holds.
fn certificate_id(tf: &Terraform) -> String {
    resource_values(tf, "apig_certificate", "api")["id"].as_str().expect("certificate id").to_string()
}

/// `values` of one resource (or data source) in `terraform show -json`.
pub(super) fn resource_values(tf: &Terraform, ty: &str, name: &str) -> Value {
    let show = tf.show_json();
    show["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["type"] == ty && r["name"] == name)
        .map(|r| r["values"].clone())
        .unwrap_or_else(|| panic!("{ty}.{name} not in state: {show}"))
}

/// The sorted domain names a `apig_certificate_domains` state holds.
fn state_names(tf: &Terraform, name: &str) -> Vec<String> {
    let v = resource_values(tf, "apig_certificate_domains", name);
    let mut names: Vec<String> =
        v["domain"].as_array().into_iter().flatten().filter_map(|d| d["name"].as_str().map(str::to_string)).collect();
    names.sort();
    names
}

fn plan_is_clean(tf: &Terraform) {
    tf.plan_detailed().expect_code(0);
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Create, re-plan, add and remove a domain in place, drift (out-of-band unbind) re-attached, the
/// data source, destroy, on `service` (`roma` set on the resources, the provider's default `apig`).
fn lifecycle(service: &str) {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &NAMES);
    let Some(tf) = workspace(&sim, &cert) else { return };
    let svc = (service == "roma").then_some(service);
    let gw = Some(&[INSTANCE_ID][..]);
    let data = |label: &str, filter: &str| {
        format!(
            "data \"apig_certificate_attached_domains\" \"{label}\" {{\n  certificate_id = apig_certificate.api.id\n{}{filter}  \
             depends_on = [apig_certificate_domains.api]\n}}\n",
            svc.map(|s| format!("  service = \"{s}\"\n")).unwrap_or_default()
        )
    };
    let config = |blocks: &[String]| {
        format!(
            "{}{}{}{}",
            certificate_hcl(svc, ""),
            domains_hcl("api", "apig_certificate.api.id", svc, blocks),
            data("api", ""),
            data("www", "  url_domain = \"www.example.com\"\n")
        )
    };

    tf.write_main(&config(&[domain("api.example.com", gw, Some(false))]));
    tf.apply().expect_success();
    let id = certificate_id(&tf);
    assert_eq!(bound(&sim, service, &id), [("api.example.com".to_string(), INSTANCE_ID.to_string(), false)]);
    plan_is_clean(&tf);
    let v = resource_values(&tf, "apig_certificate_domains", "api");
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["service"], service);

    // The data source lists what is bound, with the group it belongs to.
    let ds = resource_values(&tf, "apig_certificate_attached_domains", "api");
    let listed = ds["domains"].as_array().expect("domains list");
    assert_eq!(listed.len(), 1, "{ds}");
    assert_eq!(listed[0]["url_domain"], "api.example.com");
    assert_eq!(listed[0]["id"], "d0000000000000000000000000000001");
    assert_eq!(listed[0]["instance_id"], INSTANCE_ID);
    assert_eq!(listed[0]["api_group_name"], "demo_group");
    assert_eq!(listed[0]["verified_client_certificate_enabled"], false);

    // Add a domain in place (no flag written: the same as false).
    tf.write_main(&config(&[domain("api.example.com", gw, Some(false)), domain("www.example.com", None, None)]));
    let plan = tf.plan();
    plan.expect_success().expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, service, &id), strings(&["api.example.com", "www.example.com"]));
    plan_is_clean(&tf);
    // The data source filtered by name lists only that one.
    let www = resource_values(&tf, "apig_certificate_attached_domains", "www");
    let names: Vec<&str> =
        www["domains"].as_array().into_iter().flatten().filter_map(|d| d["url_domain"].as_str()).collect();
    assert_eq!(names, ["www.example.com"], "{www}");
    assert_eq!(
        resource_values(&tf, "apig_certificate_attached_domains", "api")["domains"].as_array().map(Vec::len),
        Some(2)
    );

    // One of two unbound out of band: the refresh drops it, the plan binds it again in place.
    out_of_band(&sim, service, &id, "detach", "api.example.com");
    tf.plan_detailed().expect_code(2).expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, service, &id), strings(&["api.example.com", "www.example.com"]));
    plan_is_clean(&tf);

    // Remove one in place: only it is unbound.
    tf.write_main(&config(&[domain("www.example.com", None, None)]));
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, service, &id), strings(&["www.example.com"]));
    plan_is_clean(&tf);
    assert_eq!(state_names(&tf, "api"), strings(&["www.example.com"]));

    // Its only domain unbound out of band: the resource is gone, and the plan creates it again.
    out_of_band(&sim, service, &id, "detach", "www.example.com");
    let drift = tf.plan_detailed();
    drift.expect_code(2).expect_contains("www.example.com").expect_contains("1 to add, 0 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, service, &id), strings(&["www.example.com"]));
    plan_is_clean(&tf);

    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy left something behind: {}", sim.state());
}

#[test]
fn lifecycle_on_apig() {
    lifecycle("apig");
}

#[test]
fn lifecycle_on_roma() {
    lifecycle("roma");
}

/// Two resources bind different domains of one certificate, and a third domain is bound by
/// someone else: nobody fights, each re-plans clean, destroying one leaves the others bound.
#[test]
fn resources_sharing_a_certificate_do_not_fight() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &NAMES);
    let Some(tf) = workspace(&sim, &cert) else { return };
    let gw = Some(&[INSTANCE_ID][..]);
    let cert_ref = "apig_certificate.api.id";
    let a = domains_hcl("a", cert_ref, None, &[domain("api.example.com", gw, None)]);
    let b = domains_hcl("b", cert_ref, None, &[domain("www.example.com", gw, Some(false))]);
    tf.write_main(&format!("{}{a}{b}", certificate_hcl(None, "")));
    tf.apply().expect_success();
    let id = certificate_id(&tf);
    assert_eq!(bound_names(&sim, "apig", &id), strings(&["api.example.com", "www.example.com"]));
    plan_is_clean(&tf);

    // Bound by someone else: left alone, in no resource's state.
    out_of_band(&sim, "apig", &id, "attach", "shop.example.org");
    plan_is_clean(&tf);
    tf.apply().expect_success();
    assert_eq!(state_names(&tf, "a"), strings(&["api.example.com"]));
    assert_eq!(state_names(&tf, "b"), strings(&["www.example.com"]));

    // Dropping resource b unbinds only what b bound.
    tf.write_main(&format!("{}{a}", certificate_hcl(None, "")));
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, "apig", &id), strings(&["api.example.com", "shop.example.org"]));
    plan_is_clean(&tf);

    // The certificate cannot go while the other binding holds it; once it is gone, destroy empties all.
    out_of_band(&sim, "apig", &id, "detach", "shop.example.org");
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy left something behind: {}", sim.state());
}

/// Domains bound outside Terraform are adopted by `terraform import <certificate_id>`; the plan
/// after it shows no change when the configuration names them the natural way.
fn import_plans_no_change(service: &str) {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &NAMES);
    let Some(tf) = workspace(&sim, &cert) else { return };
    let svc = (service == "roma").then_some(service);
    tf.write_main(&certificate_hcl(svc, ""));
    tf.apply().expect_success();
    let id = certificate_id(&tf);
    out_of_band(&sim, service, &id, "attach", "api.example.com");
    out_of_band(&sim, service, &id, "attach", "www.example.com");

    let gw = Some(&[INSTANCE_ID][..]);
    // As in the design's example: name, the gateway, and (for one of them) an explicit false.
    let blocks = [domain("api.example.com", gw, Some(false)), domain("www.example.com", gw, None)];
    tf.write_main(&format!(
        "{}{}",
        certificate_hcl(svc, ""),
        domains_hcl("api", "apig_certificate.api.id", svc, &blocks)
    ));
    let import_id = if service == "roma" { format!("roma/{id}") } else { id.clone() };
    tf.import("apig_certificate_domains.api", &import_id).expect_success();
    plan_is_clean(&tf);
    assert_eq!(state_names(&tf, "api"), strings(&["api.example.com", "www.example.com"]));

    // Adopted bindings are the resource's own: removing one from the configuration unbinds it.
    tf.write_main(&format!(
        "{}{}",
        certificate_hcl(svc, ""),
        domains_hcl("api", "apig_certificate.api.id", svc, &blocks[1..])
    ));
    tf.apply().expect_success();
    assert_eq!(bound_names(&sim, service, &id), strings(&["www.example.com"]));
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy left something behind: {}", sim.state());
}

#[test]
fn import_plans_no_change_on_apig() {
    import_plans_no_change("apig");
}

#[test]
fn import_plans_no_change_on_roma() {
    import_plans_no_change("roma");
}

/// With a trusted root CA on the certificate, client verification turns on and off in place.
#[test]
fn client_verification_flag_changes_in_place() {
    let sim = Simulator::start();
    let (cert, root) = certs::chain("api.example.com", &NAMES);
    let Some(tf) = workspace(&sim, &cert) else { return };
    tf.write("root.crt", &root.cert_pem());
    let certificate = certificate_hcl(
        None,
        &format!(
            "  type            = \"instance\"\n  instance_id     = \"{INSTANCE_ID}\"\n  trusted_root_ca = file(\"root.crt\")\n"
        ),
    );
    let gw = Some(&[INSTANCE_ID][..]);
    let config = |verified: Option<bool>| {
        format!(
            "{certificate}{}",
            domains_hcl("api", "apig_certificate.api.id", None, &[domain("api.example.com", gw, verified)])
        )
    };
    // Left out, the flag is false even though the API's own default with a CA would be true.
    tf.write_main(&config(None));
    tf.apply().expect_success();
    let id = certificate_id(&tf);
    assert_eq!(bound(&sim, "apig", &id), [("api.example.com".to_string(), INSTANCE_ID.to_string(), false)]);
    plan_is_clean(&tf);

    tf.write_main(&config(Some(true)));
    tf.plan().expect_success().expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(bound(&sim, "apig", &id), [("api.example.com".to_string(), INSTANCE_ID.to_string(), true)]);
    plan_is_clean(&tf);

    // Removing the argument means false again.
    tf.write_main(&config(None));
    tf.plan().expect_success().expect_contains("1 to change, 0 to destroy");
    tf.apply().expect_success();
    assert_eq!(bound(&sim, "apig", &id), [("api.example.com".to_string(), INSTANCE_ID.to_string(), false)]);
    plan_is_clean(&tf);
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy left something behind: {}", sim.state());
}

/// Mistakes are reported at plan, on the attribute, before any API request.
#[test]
fn invalid_configurations_fail_at_plan_without_api_calls() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &NAMES);
    let Some(tf) = workspace(&sim, &cert) else { return };
    let good_id = "\"a27be832f2e9441c8127fe48e3b5ac67\"";
    let cases = [
        (
            domains_hcl(
                "x",
                good_id,
                None,
                &[domain("api.example.com", None, None), domain("API.example.com", None, None)],
            ),
            "Duplicate domain name",
        ),
        (domains_hcl("x", good_id, None, &[domain("api..example.com", None, None)]), "Invalid domain name"),
        (
            domains_hcl("x", good_id, None, &[domain("api.example.com", Some(&["gateway-1"]), None)]),
            "Invalid instance ID",
        ),
        (domains_hcl("x", good_id, None, &[domain("api.example.com", Some(&[]), None)]), "Empty instance_ids"),
        (domains_hcl("x", "\"A27BE832\"", None, &[domain("api.example.com", None, None)]), "Invalid certificate ID"),
        (domains_hcl("x", good_id, Some("cloud"), &[domain("api.example.com", None, None)]), "Invalid attribute value"),
        (
            format!("resource \"apig_certificate_domains\" \"x\" {{\n  certificate_id = {good_id}\n}}\n"),
            "Insufficient domain blocks",
        ),
    ];
    sim.clear_requests();
    for (hcl, expected) in cases {
        tf.write_main(&hcl);
        tf.plan().expect_failure().expect_contains(expected);
    }
    assert_eq!(sim.request_count(), 0, "invalid configurations made API requests: {}", sim.requests());
}

/// A domain the certificate does not cover is refused by the API at apply; the error says what to
/// check and nothing is recorded as bound.
#[test]
fn an_uncovered_domain_fails_at_apply_with_advice() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let Some(tf) = workspace(&sim, &cert) else { return };
    let blocks = [domain("api.example.com", None, None), domain("shop.example.org", None, None)];
    tf.write_main(&format!(
        "{}{}",
        certificate_hcl(None, ""),
        domains_hcl("api", "apig_certificate.api.id", None, &blocks)
    ));
    tf.apply().expect_failure().expect_contains("APIG.2103").expect_contains("SANs");
    let id = certificate_id(&tf);
    assert!(bound(&sim, "apig", &id).is_empty());
    let state = tf.state().expect("state");
    let kinds: Vec<&str> =
        state["resources"].as_array().into_iter().flatten().filter_map(|r| r["type"].as_str()).collect();
    assert_eq!(kinds, ["apig_certificate"]);
    tf.destroy().expect_success();
    assert!(simulator_is_empty(&sim), "destroy left something behind: {}", sim.state());
}
