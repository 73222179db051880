//! The simulator driven over plain HTTP (reqwest, not the provider's client) through the full
//! certificate lifecycle on both `apigw` (APIG) and `apic` (ROMA Connect).

use crate::support::certs;
use crate::support::simulator::{DOMAINS, GROUP_ID, GROUP_NAME, INSTANCE_ID, PROJECT_ID, Simulator, TOKEN, call};
use regex::Regex;
use serde_json::{Value, json};

const SERVICES: [&str; 2] = ["apigw", "apic"];

fn form(name: &str, cert: &certs::TestCert) -> Value {
    json!({"name": name, "cert_content": cert.cert_pem, "private_key": cert.key_pem})
}

fn group_url(sim: &Simulator, service: &str) -> String {
    format!("{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}", sim.service_url(service))
}

fn assert_no_secrets(v: &Value) {
    for key in ["cert_content", "private_key", "trusted_root_ca", "cert_content_sign", "private_key_sign"] {
        assert!(v.get(key).is_none(), "{key} must never be returned: {v}");
    }
    assert!(!v.to_string().contains("BEGIN"), "no PEM in answers: {v}");
}

#[tokio::test]
async fn full_certificate_lifecycle_on_both_services() {
    let sim = Simulator::start();
    let cert = certs::builder("api.example.com")
        .sans(&["api.example.com", "www.example.com"])
        .organization("Acme Corp")
        .organizational_unit("Web")
        .locality("Berlin")
        .state("Berlin")
        .country("DE")
        .serial(13010)
        .build();
    let id_rule = Regex::new("^[0-9a-f]{32}$").unwrap();
    let seconds = Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").unwrap();
    let micros = Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$").unwrap();

    for service in SERVICES {
        let base = sim.service_url(service);

        // Create: 200 with the detail parsed from the leaf.
        let created = call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&form("cert_demo", &cert))).await;
        let created = created.expect(200);
        assert!(created.header("x-request-id").is_some_and(|r| id_rule.is_match(r)));
        let c = &created.json;
        let id = c["id"].as_str().unwrap().to_string();
        assert!(id_rule.is_match(&id), "{id}");
        assert_eq!(c["name"], "cert_demo");
        assert_eq!(c["type"], "global");
        assert_eq!(c["instance_id"], "common");
        assert_eq!(c["project_id"], PROJECT_ID);
        assert_eq!(c["common_name"], "api.example.com");
        assert_eq!(c["san"], json!(["api.example.com", "www.example.com"]));
        assert_eq!(c["signature_algorithm"], "SHA256-RSA");
        assert_eq!(c["algorithm_type"], "RSA");
        assert_eq!(c["serial_number"], "13010");
        assert_eq!(c["version"], 3);
        assert_eq!(c["organization"], json!(["Acme Corp"]));
        assert_eq!(c["organizational_unit"], json!(["Web"]));
        assert_eq!(c["locality"], json!(["Berlin"]));
        assert_eq!(c["state"], json!(["Berlin"]));
        assert_eq!(c["country"], json!(["DE"]));
        // Self-signed: the issuer's Organization is the subject's.
        assert_eq!(c["issuer"], json!(["Acme Corp"]));
        assert_eq!(c["is_has_trusted_root_ca"], false);
        assert!(seconds.is_match(c["not_before"].as_str().unwrap()), "{c}");
        assert!(seconds.is_match(c["not_after"].as_str().unwrap()), "{c}");
        assert!(micros.is_match(c["create_time"].as_str().unwrap()), "{c}");
        assert_eq!(c["create_time"], c["update_time"]);
        assert_no_secrets(c);

        // Show returns the same detail.
        let shown = call("GET", &format!("{base}/certificates/{id}"), Some(TOKEN), None).await.expect(200);
        assert_eq!(shown.json, created.json);

        // List (instance_id is mandatory) shows it as a global certificate.
        let listed = call("GET", &format!("{base}/certificates?instance_id={INSTANCE_ID}"), Some(TOKEN), None).await;
        let listed = listed.expect(200);
        assert_eq!(listed.json["total"], 1);
        assert_eq!(listed.json["size"], 1);
        assert_eq!(listed.json["certs"][0]["id"], id.as_str());
        assert!(listed.json["certs"][0].get("serial_number").is_none(), "list entries carry no detail fields");

        // Bind two domains: 204 with an empty body.
        let attach = json!({"domains": [{"domain": "api.example.com"}, {"domain": "www.example.com", "instance_ids": [INSTANCE_ID]}]});
        let bound = call("POST", &format!("{base}/certificates/{id}/domains/attach"), Some(TOKEN), Some(&attach)).await;
        assert_eq!(bound.expect(204).text, "");

        let attached = call("GET", &format!("{base}/certificates/{id}/attached-domains"), Some(TOKEN), None).await;
        let attached = attached.expect(200);
        assert_eq!(attached.json["total"], 2);
        let names: Vec<_> =
            attached.json["bound_domains"].as_array().unwrap().iter().map(|d| d["url_domain"].clone()).collect();
        assert_eq!(names, [json!("api.example.com"), json!("www.example.com")]);
        let first = &attached.json["bound_domains"][0];
        assert_eq!(first["id"], DOMAINS[0].0);
        assert_eq!(first["api_group_id"], GROUP_ID);
        assert_eq!(first["api_group_name"], GROUP_NAME);
        assert_eq!(first["instance_id"], INSTANCE_ID);
        assert_eq!(first["verified_client_certificate_enabled"], false);
        let filtered = call(
            "GET",
            &format!("{base}/certificates/{id}/attached-domains?url_domain=www.example.com"),
            Some(TOKEN),
            None,
        )
        .await
        .expect(200);
        assert_eq!(filtered.json["total"], 1);

        // Group details show the binding, with the service's own `ssl_infos[].type` form.
        let group = call("GET", &group_url(&sim, service), Some(TOKEN), None).await.expect(200);
        let api = &group.json["url_domains"][0];
        assert_eq!(api["domain"], "api.example.com");
        assert_eq!(api["ssl_id"], id.as_str());
        assert_eq!(api["ssl_name"], "cert_demo");
        assert_eq!(api["ssl_infos"][0]["ssl_id"], id.as_str());
        assert_eq!(api["ssl_infos"][0]["algorithm_type"], "RSA");
        let want_type = if service == "apigw" { json!(2) } else { json!("global") };
        assert_eq!(api["ssl_infos"][0]["type"], want_type);
        assert_eq!(group.json["url_domains"][2]["ssl_id"], "", "shop.example.org stays unbound");

        // Deleting a bound certificate is refused and names the domains.
        let refused = call("DELETE", &format!("{base}/certificates/{id}"), Some(TOKEN), None).await;
        let msg = refused.expect_error(400, "APIG.2000");
        assert!(msg.contains("api.example.com") && msg.contains("www.example.com"), "{msg}");

        // Unbind, then nothing is left to unbind.
        let detach = json!({"domains": [{"domain": "api.example.com"}, {"domain": "www.example.com"}]});
        let unbound =
            call("POST", &format!("{base}/certificates/{id}/domains/detach"), Some(TOKEN), Some(&detach)).await;
        assert_eq!(unbound.expect(204).text, "");
        let again = call("POST", &format!("{base}/certificates/{id}/domains/detach"), Some(TOKEN), Some(&detach)).await;
        assert_eq!(again.expect_error(400, "APIG.2000"), "no valid domain name");

        // Delete: 204 with an empty body, then 404.
        let deleted = call("DELETE", &format!("{base}/certificates/{id}"), Some(TOKEN), None).await;
        assert_eq!(deleted.expect(204).text, "");
        call("GET", &format!("{base}/certificates/{id}"), Some(TOKEN), None).await.expect_error(404, "APIG.3021");
        call("DELETE", &format!("{base}/certificates/{id}"), Some(TOKEN), None).await.expect_error(404, "APIG.3021");
    }
}

#[tokio::test]
async fn the_two_services_are_independent_clouds() {
    let sim = Simulator::start();
    let cert = certs::valid_ecdsa("api.example.com", &["api.example.com"]);
    let created = call(
        "POST",
        &format!("{}/certificates", sim.service_url("apigw")),
        Some(TOKEN),
        Some(&form("only_apig", &cert)),
    )
    .await
    .expect(200);
    let id = created.json["id"].as_str().unwrap().to_string();
    assert_eq!(created.json["algorithm_type"], "ECC");
    assert_eq!(created.json["signature_algorithm"], "ECDSA-SHA256");
    let list = format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apic"));
    assert_eq!(call("GET", &list, Some(TOKEN), None).await.expect(200).json["total"], 0);
    call("GET", &format!("{}/certificates/{id}", sim.service_url("apic")), Some(TOKEN), None)
        .await
        .expect_error(404, "APIG.3021");
    assert_eq!(sim.certificates("apigw").len(), 1);
    assert_eq!(sim.certificates("apic").len(), 0);
}

#[tokio::test]
async fn domain_side_operations_on_both_services() {
    let sim = Simulator::start();
    let www = DOMAINS[1];
    for service in SERVICES {
        let domain_url = format!("{}/domains/{}", group_url(&sim, service), www.0);

        // Add a certificate to a domain: creates it and binds it, 201.
        let cert = certs::valid("www.example.com", &["www.example.com"]);
        let added =
            call("POST", &format!("{domain_url}/certificate"), Some(TOKEN), Some(&form("domain_cert", &cert))).await;
        let added = added.expect(201);
        let ssl_id = added.json["ssl_id"].as_str().unwrap().to_string();
        assert_eq!(added.json["ssl_name"], "domain_cert");
        assert_eq!(added.json["url_domain"], www.1);
        assert_eq!(added.json["id"], www.0);
        assert_eq!(added.json["status"], 3);
        if service == "apigw" {
            assert_eq!(added.json["instance_id"], INSTANCE_ID);
            assert_eq!(added.json["api_group_id"], GROUP_ID);
            assert_eq!(added.json["api_group_name"], GROUP_NAME);
            assert!(added.json.get("ssl_infos").is_none());
        } else {
            assert!(added.json.get("instance_id").is_none());
            assert_eq!(added.json["ssl_infos"][0]["ssl_id"], ssl_id.as_str());
            assert_eq!(added.json["ssl_infos"][0]["type"], "global");
        }
        let stored =
            call("GET", &format!("{}/certificates/{ssl_id}", sim.service_url(service)), Some(TOKEN), None).await;
        assert_eq!(stored.expect(200).json["name"], "domain_cert");

        // Show it through the domain; APIG's answer lacks algorithm_type and is_has_trusted_root_ca.
        let shown = call("GET", &format!("{domain_url}/certificate/{ssl_id}"), Some(TOKEN), None).await.expect(200);
        assert_eq!(shown.json["id"], ssl_id.as_str());
        assert_eq!(shown.json["common_name"], "www.example.com");
        assert_eq!(shown.json.get("algorithm_type").is_some(), service == "apic");
        assert_no_secrets(&shown.json);

        // Domain-side detach, then attach again, then the DELETE form of unbinding.
        let ids = json!({"certificate_ids": [ssl_id]});
        call("POST", &format!("{domain_url}/certificates/detach"), Some(TOKEN), Some(&ids)).await.expect(204);
        call("GET", &format!("{domain_url}/certificate/{ssl_id}"), Some(TOKEN), None)
            .await
            .expect_error(404, "APIG.3097");
        call("POST", &format!("{domain_url}/certificates/detach"), Some(TOKEN), Some(&ids))
            .await
            .expect_error(404, "APIG.3097");
        let attached = call("POST", &format!("{domain_url}/certificates/attach"), Some(TOKEN), Some(&ids)).await;
        assert_eq!(attached.expect(204).text, "");
        let removed = call("DELETE", &format!("{domain_url}/certificate/{ssl_id}"), Some(TOKEN), None).await;
        assert_eq!(removed.expect(204).text, "");
        call("DELETE", &format!("{domain_url}/certificate/{ssl_id}"), Some(TOKEN), None)
            .await
            .expect_error(404, "APIG.3097");
        // The certificate object survives unbinding.
        call("GET", &format!("{}/certificates/{ssl_id}", sim.service_url(service)), Some(TOKEN), None)
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn update_is_a_full_replacement_that_keeps_create_time() {
    let sim = Simulator::start();
    for service in SERVICES {
        let base = sim.service_url(service);
        let first = certs::valid("api.example.com", &["api.example.com"]);
        let created =
            call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&form("before_update", &first))).await;
        let created = created.expect(200);
        let id = created.json["id"].as_str().unwrap().to_string();
        call(
            "POST",
            &format!("{base}/certificates/{id}/domains/attach"),
            Some(TOKEN),
            Some(&json!({"domains": [{"domain": "api.example.com"}]})),
        )
        .await
        .expect(204);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;

        // A new ECDSA certificate for the same name: re-parsed, still bound.
        let second = certs::valid_ecdsa("api.example.com", &["api.example.com", "www.example.com"]);
        let updated =
            call("PUT", &format!("{base}/certificates/{id}"), Some(TOKEN), Some(&form("after_update", &second))).await;
        let updated = updated.expect(200);
        assert_eq!(updated.json["id"], id.as_str());
        assert_eq!(updated.json["name"], "after_update");
        assert_eq!(updated.json["signature_algorithm"], "ECDSA-SHA256");
        assert_eq!(updated.json["algorithm_type"], "ECC");
        assert_eq!(updated.json["san"], json!(["api.example.com", "www.example.com"]));
        assert_eq!(updated.json["create_time"], created.json["create_time"]);
        assert!(updated.json["update_time"].as_str().unwrap() > created.json["update_time"].as_str().unwrap());
        let group = call("GET", &group_url(&sim, service), Some(TOKEN), None).await.expect(200);
        assert_eq!(group.json["url_domains"][0]["ssl_infos"][0]["algorithm_type"], "ECC");
        assert_eq!(group.json["url_domains"][0]["ssl_name"], "after_update");

        // The scope cannot change; a certificate no longer covering a bound domain is refused.
        let mut to_instance = form("after_update", &second);
        to_instance["type"] = json!("instance");
        to_instance["instance_id"] = json!(INSTANCE_ID);
        let msg = call("PUT", &format!("{base}/certificates/{id}"), Some(TOKEN), Some(&to_instance))
            .await
            .expect_error(400, "APIG.2012");
        assert!(msg.contains("parameterName:type"), "{msg}");
        let elsewhere = certs::valid("other.example.net", &["other.example.net"]);
        call("PUT", &format!("{base}/certificates/{id}"), Some(TOKEN), Some(&form("elsewhere", &elsewhere)))
            .await
            .expect_error(400, "APIG.2103");
        call(
            "PUT",
            &format!("{base}/certificates/ffffffffffffffffffffffffffffffff"),
            Some(TOKEN),
            Some(&form("x_name", &second)),
        )
        .await
        .expect_error(404, "APIG.3021");
    }
}

#[tokio::test]
async fn list_filters_and_paging() {
    let sim = Simulator::start();
    let base = sim.service_url("apigw");
    let rsa = certs::valid("api.example.com", &["api.example.com"]);
    let ec = certs::valid_ecdsa("shop.example.org", &["shop.example.org"]);
    let mut instance_form = form("instance_cert", &ec);
    instance_form["type"] = json!("instance");
    instance_form["instance_id"] = json!(INSTANCE_ID);
    call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&instance_form)).await.expect(200);
    for i in 0..22 {
        call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&form(&format!("global_{i:02}"), &rsa)))
            .await
            .expect(200);
    }
    let list = |q: &str| {
        let url = format!("{base}/certificates?instance_id={INSTANCE_ID}{q}");
        async move { call("GET", &url, Some(TOKEN), None).await.expect(200).json }
    };
    let names = |v: &Value| {
        v["certs"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };

    // Default page: 20 of 23, in creation order.
    let page = list("").await;
    assert_eq!((page["size"].clone(), page["total"].clone()), (json!(20), json!(23)));
    assert_eq!(names(&page)[0], "instance_cert");
    let rest = list("&offset=20").await;
    assert_eq!((rest["size"].clone(), rest["total"].clone()), (json!(3), json!(23)));
    assert_eq!(names(&rest), ["global_19", "global_20", "global_21"]);
    assert_eq!(list("&offset=-4&limit=2").await["certs"][0]["name"], "instance_cert", "negative offset → 0");
    assert_eq!(list("&limit=0").await["size"], 20, "limit ≤ 0 → 20");
    assert_eq!(list("&limit=-1").await["size"], 20);
    assert_eq!(list("&limit=501").await["size"], 23, "limit > 500 → 500");
    assert_eq!(list("&limit=5&offset=100").await["size"], 0);

    // Exact filters.
    assert_eq!(names(&list("&name=global_07").await), ["global_07"]);
    assert_eq!(list("&name=global_0").await["total"], 0, "names match exactly");
    assert_eq!(names(&list("&type=instance").await), ["instance_cert"]);
    assert_eq!(list("&type=global").await["total"], 22);
    assert_eq!(names(&list("&algorithm_type=ECC").await), ["instance_cert"]);
    assert_eq!(names(&list("&signature_algorithm=ECDSA-SHA256").await), ["instance_cert"]);
    assert_eq!(list("&common_name=api.example.com").await["total"], 22);
    let instance_entry = &list("&type=instance").await["certs"][0];
    assert_eq!(instance_entry["instance_id"], INSTANCE_ID);
    assert_eq!(instance_entry["type"], "instance");

    // instance_id is mandatory and must exist.
    let missing = call("GET", &format!("{base}/certificates"), Some(TOKEN), None).await;
    assert!(missing.expect_error(400, "APIG.2001").contains("parameterName:instance_id"));
    call("GET", &format!("{base}/certificates?instance_id=ffffffffffffffffffffffffffffffff"), Some(TOKEN), None)
        .await
        .expect_error(404, "APIG.3030");
}
