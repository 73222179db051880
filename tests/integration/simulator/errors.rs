//! Each documented refusal of the simulator (apig-api.md §2, §5, §6), over plain HTTP.

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{DOMAINS, GROUP_ID, INSTANCE_ID, Reply, Simulator, TOKEN, call};
use serde_json::{Value, json};

const MISSING: &str = "ffffffffffffffffffffffffffffffff";

fn form(name: &str, cert: &TestCert) -> Value {
    json!({"name": name, "cert_content": cert.cert_pem, "private_key": cert.key_pem})
}

async fn create(sim: &Simulator, service: &str, body: &Value) -> Reply {
    call("POST", &format!("{}/certificates", sim.service_url(service)), Some(TOKEN), Some(body)).await
}

async fn create_ok(sim: &Simulator, service: &str, body: &Value) -> String {
    create(sim, service, body).await.expect(200).json["id"].as_str().unwrap().to_string()
}

async fn attach(sim: &Simulator, service: &str, id: &str, domains: Value) -> Reply {
    let url = format!("{}/certificates/{id}/domains/attach", sim.service_url(service));
    call("POST", &url, Some(TOKEN), Some(&json!({ "domains": domains }))).await
}

fn domain_url(sim: &Simulator, service: &str, domain_id: &str) -> String {
    format!("{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}/domains/{domain_id}", sim.service_url(service))
}

#[tokio::test]
async fn request_field_rules() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    for service in ["apigw", "apic"] {
        // The name rule, with the documented message.
        for bad in ["abc", "1cert", "cert-demo", "_cert", &"a".repeat(51)] {
            let r = create(&sim, service, &form(bad, &cert)).await;
            assert_eq!(
                r.expect_error(400, "APIG.2012"),
                "Invalid parameter value,parameterName:name. Please refer to the support documentation"
            );
        }
        // Missing required fields name the field.
        for field in ["name", "cert_content", "private_key"] {
            let mut body = form("cert_demo", &cert);
            body.as_object_mut().unwrap().remove(field);
            let msg = create(&sim, service, &body).await.expect_error(400, "APIG.2001");
            assert!(msg.contains(&format!("parameterName:{field}")), "{msg}");
        }
        let msg = create(&sim, service, &json!({"name": 5, "cert_content": "x", "private_key": "y"}))
            .await
            .expect_error(400, "APIG.2012");
        assert!(msg.contains("parameterName:name"), "{msg}");
        create(&sim, service, &json!(["not", "an", "object"])).await.expect_error(400, "APIG.2000");

        // type=instance needs an instance_id, which must exist.
        let mut body = form("cert_demo", &cert);
        body["type"] = json!("instance");
        let msg = create(&sim, service, &body).await.expect_error(400, "APIG.2012");
        assert!(msg.contains("parameterName:instance_id"), "{msg}");
        body["instance_id"] = json!(MISSING);
        let msg = create(&sim, service, &body).await.expect_error(404, "APIG.3030");
        assert_eq!(msg, format!("The instance does not exist;id:{MISSING}"));
        body["type"] = json!("everywhere");
        assert!(create(&sim, service, &body).await.expect_error(400, "APIG.2012").contains("parameterName:type"));

        // algorithm_type must agree with the key.
        let mut body = form("cert_demo", &cert);
        body["algorithm_type"] = json!("ECC");
        assert!(
            create(&sim, service, &body).await.expect_error(400, "APIG.2012").contains("parameterName:algorithm_type")
        );
        body["algorithm_type"] = json!("RSA");
        assert_eq!(create(&sim, service, &body).await.expect(200).json["algorithm_type"], "RSA");

        // A trusted root CA is for instance certificates only.
        let mut body = form("cert_demo", &cert);
        body["trusted_root_ca"] = json!(cert.cert_pem);
        assert!(
            create(&sim, service, &body).await.expect_error(400, "APIG.2012").contains("parameterName:trusted_root_ca")
        );
    }
    assert_eq!(sim.certificates("apigw").len(), 1, "only the valid create landed");
}

#[tokio::test]
async fn certificate_content_rules() {
    let sim = Simulator::start();
    let good = certs::valid("api.example.com", &["api.example.com"]);
    let cases: Vec<(&str, TestCert, &str)> = vec![
        ("mismatched key", certs::mismatched_pair("api.example.com"), "APIG.2101"),
        ("expired", certs::expired("api.example.com"), "APIG.2102"),
        ("chain not leaf-first", certs::chain_wrong_order("api.example.com"), "APIG.2104"),
        ("no SAN", certs::no_san("api.example.com"), "APIG.2109"),
        ("expires after 2038-01-19", certs::after_2038("api.example.com"), "APIG.3148"),
        (
            "garbage PEM (the doc's placeholder)",
            TestCert {
                cert_pem: "-----BEGIN CERTIFICATE-----THIS IS YOUR CERT CONTENT-----END CERTIFICATE-----".into(),
                key_pem: good.key_pem.clone(),
            },
            "APIG.2106",
        ),
        ("garbage key", TestCert { cert_pem: good.cert_pem.clone(), key_pem: "not a key".into() }, "APIG.2106"),
        ("not PEM at all", TestCert { cert_pem: "hello".into(), key_pem: good.key_pem.clone() }, "APIG.2106"),
    ];
    for service in ["apigw", "apic"] {
        for (what, cert, code) in &cases {
            let r = create(&sim, service, &form("cert_demo", cert)).await;
            assert_eq!(r.status, 400, "{what}: {}", r.text);
            assert_eq!(r.json["error_code"], *code, "{what}: {}", r.text);
        }
        // The same rules on update.
        let id = create_ok(&sim, service, &form("cert_demo", &good)).await;
        let url = format!("{}/certificates/{id}", sim.service_url(service));
        for (what, cert, code) in &cases {
            let r = call("PUT", &url, Some(TOKEN), Some(&form("cert_demo", cert))).await;
            assert_eq!(r.json["error_code"], *code, "update, {what}: {}", r.text);
        }
        // A correct chain (leaf first) with an instance-scoped trusted root CA is accepted.
        let (chain, root) = certs::chain("api.example.com", &["api.example.com"]);
        let mut body = form("chain_cert", &chain);
        body["type"] = json!("instance");
        body["instance_id"] = json!(INSTANCE_ID);
        body["trusted_root_ca"] = json!(root.cert_pem());
        let created = create(&sim, service, &body).await.expect(200);
        assert_eq!(created.json["is_has_trusted_root_ca"], true);
        assert_eq!(created.json["instance_id"], INSTANCE_ID);
        assert_eq!(created.json["issuer"], json!(["Sim Test Intermediate Org"]));
    }
}

#[tokio::test]
async fn binding_rules() {
    let sim = Simulator::start();
    let (api, www, shop) = (DOMAINS[0], DOMAINS[1], DOMAINS[2]);
    for service in ["apigw", "apic"] {
        let wildcard = create_ok(&sim, service, &form("wildcard", &certs::wildcard("example.com"))).await;
        // *.example.com covers api.example.com, not shop.example.org.
        attach(&sim, service, &wildcard, json!([{"domain": "api.example.com"}])).await.expect(204);
        let msg = attach(&sim, service, &wildcard, json!([{"domain": "shop.example.org"}]))
            .await
            .expect_error(400, "APIG.2103");
        assert_eq!(msg, "The certificate common name does not match the domain name.");
        // A refused entry leaves the others of the same call unapplied.
        attach(&sim, service, &wildcard, json!([{"domain": "www.example.com"}, {"domain": "shop.example.org"}]))
            .await
            .expect_error(400, "APIG.2103");
        let attached = call(
            "GET",
            &format!("{}/certificates/{wildcard}/attached-domains", sim.service_url(service)),
            Some(TOKEN),
            None,
        )
        .await
        .expect(200);
        assert_eq!(attached.json["total"], 1);

        // One certificate per algorithm per domain.
        let other_rsa =
            create_ok(&sim, service, &form("other_rsa", &certs::valid("api.example.com", &["api.example.com"]))).await;
        attach(&sim, service, &other_rsa, json!([{"domain": "api.example.com"}])).await.expect_error(400, "APIG.2051");
        let ids = json!({"certificate_ids": [other_rsa]});
        call("POST", &format!("{}/certificates/attach", domain_url(&sim, service, api.0)), Some(TOKEN), Some(&ids))
            .await
            .expect_error(400, "APIG.2051");
        // ... but an ECC certificate can sit beside the RSA one.
        let ecc =
            create_ok(&sim, service, &form("api_ecc", &certs::valid_ecdsa("api.example.com", &["api.example.com"])))
                .await;
        attach(&sim, service, &ecc, json!([{"domain": "api.example.com"}])).await.expect(204);
        let group = call(
            "GET",
            &format!("{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}", sim.service_url(service)),
            Some(TOKEN),
            None,
        )
        .await
        .expect(200);
        let infos = group.json["url_domains"][0]["ssl_infos"].as_array().unwrap().clone();
        assert_eq!(infos.len(), 2, "{infos:?}");
        assert_eq!(group.json["url_domains"][0]["ssl_id"], wildcard.as_str(), "ssl_id shows the RSA certificate");
        // Re-attaching the same certificate is idempotent.
        attach(&sim, service, &wildcard, json!([{"domain": "api.example.com"}])).await.expect(204);

        // Unknown objects.
        let unknown_domain = attach(&sim, service, &wildcard, json!([{"domain": "nowhere.example.com"}])).await;
        assert_eq!(unknown_domain.expect_error(404, "APIG.3020"), "The URL domain does not exist");
        attach(&sim, service, &wildcard, json!([{"domain": "api.example.com", "instance_ids": [MISSING]}]))
            .await
            .expect_error(404, "APIG.3030");
        attach(&sim, service, MISSING, json!([{"domain": "api.example.com"}])).await.expect_error(404, "APIG.3021");
        let msg = attach(&sim, service, &wildcard, json!([{"instance_ids": [INSTANCE_ID]}]))
            .await
            .expect_error(400, "APIG.2001");
        assert!(msg.contains("parameterName:domain"), "{msg}");
        let base = sim.service_url(service);
        let ids = json!({"certificate_ids": [wildcard]});
        let wrong_instance =
            format!("{base}/instances/{MISSING}/api-groups/{GROUP_ID}/domains/{}/certificates/attach", www.0);
        call("POST", &wrong_instance, Some(TOKEN), Some(&ids)).await.expect_error(404, "APIG.3030");
        let wrong_group =
            format!("{base}/instances/{INSTANCE_ID}/api-groups/{MISSING}/domains/{}/certificates/attach", www.0);
        call("POST", &wrong_group, Some(TOKEN), Some(&ids)).await.expect_error(404, "APIG.3001");
        let wrong_domain = format!("{}/certificates/attach", domain_url(&sim, service, MISSING));
        call("POST", &wrong_domain, Some(TOKEN), Some(&ids)).await.expect_error(404, "APIG.3020");
        let wrong_cert = json!({"certificate_ids": [MISSING]});
        call(
            "POST",
            &format!("{}/certificates/attach", domain_url(&sim, service, www.0)),
            Some(TOKEN),
            Some(&wrong_cert),
        )
        .await
        .expect_error(404, "APIG.3021");
        let two = json!({"certificate_ids": [wildcard, ecc]});
        call("POST", &format!("{}/certificates/attach", domain_url(&sim, service, www.0)), Some(TOKEN), Some(&two))
            .await
            .expect_error(400, "APIG.2012");
        call("GET", &format!("{base}/instances/{INSTANCE_ID}/api-groups/{MISSING}"), Some(TOKEN), None)
            .await
            .expect_error(404, "APIG.3001");

        // Domain-side detach of something not bound there.
        let shop_ids = json!({"certificate_ids": [wildcard]});
        call(
            "POST",
            &format!("{}/certificates/detach", domain_url(&sim, service, shop.0)),
            Some(TOKEN),
            Some(&shop_ids),
        )
        .await
        .expect_error(404, "APIG.3097");
        // Certificate-side detach of unbound names.
        let detach = json!({"domains": [{"domain": "shop.example.org"}]});
        let r =
            call("POST", &format!("{base}/certificates/{wildcard}/domains/detach"), Some(TOKEN), Some(&detach)).await;
        assert_eq!(r.expect_error(400, "APIG.2000"), "no valid domain name");
    }
}

#[tokio::test]
async fn client_verification_flag_follows_attach() {
    let sim = Simulator::start();
    let api = DOMAINS[0];
    for service in ["apigw", "apic"] {
        let (chain, root) = certs::chain("api.example.com", &["api.example.com"]);
        let mut body = form("with_ca", &chain);
        body["type"] = json!("instance");
        body["instance_id"] = json!(INSTANCE_ID);
        body["trusted_root_ca"] = json!(root.cert_pem());
        let with_ca = create_ok(&sim, service, &body).await;
        let plain =
            create_ok(&sim, service, &form("without_ca", &certs::valid_ecdsa("www.example.com", &["www.example.com"])))
                .await;
        let group_url = format!("{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}", sim.service_url(service));
        let flag = |g: &Value, i: usize| g["url_domains"][i]["verified_client_certificate_enabled"].clone();

        // With a CA the flag defaults to on; re-attaching with false turns it off, and back on.
        attach(&sim, service, &with_ca, json!([{"domain": "api.example.com"}])).await.expect(204);
        let g = call("GET", &group_url, Some(TOKEN), None).await.expect(200).json;
        assert_eq!(flag(&g, 0), true);
        assert_eq!(g["url_domains"][0]["is_has_trusted_root_ca"], true);
        assert_eq!(
            g["url_domains"][0]["ssl_infos"][0]["type"],
            if service == "apigw" { json!(1) } else { json!("instance") }
        );
        let ids = |v: bool| json!({"certificate_ids": [with_ca], "verified_client_certificate_enabled": v});
        let attach_url = format!("{}/certificates/attach", domain_url(&sim, service, api.0));
        call("POST", &attach_url, Some(TOKEN), Some(&ids(false))).await.expect(204);
        assert_eq!(flag(&call("GET", &group_url, Some(TOKEN), None).await.json, 0), false);
        call("POST", &attach_url, Some(TOKEN), Some(&ids(true))).await.expect(204);
        assert_eq!(flag(&call("GET", &group_url, Some(TOKEN), None).await.json, 0), true);
        attach(
            &sim,
            service,
            &with_ca,
            json!([{"domain": "api.example.com", "verified_client_certificate_enabled": false}]),
        )
        .await
        .expect(204);
        let attached = call(
            "GET",
            &format!("{}/certificates/{with_ca}/attached-domains", sim.service_url(service)),
            Some(TOKEN),
            None,
        )
        .await
        .expect(200);
        assert_eq!(attached.json["bound_domains"][0]["verified_client_certificate_enabled"], false);

        // Without a CA, verification cannot be turned on.
        let r = attach(
            &sim,
            service,
            &plain,
            json!([{"domain": "www.example.com", "verified_client_certificate_enabled": true}]),
        )
        .await;
        assert!(r.expect_error(400, "APIG.2012").contains("verified_client_certificate_enabled"));
        attach(&sim, service, &plain, json!([{"domain": "www.example.com"}])).await.expect(204);
        assert_eq!(flag(&call("GET", &group_url, Some(TOKEN), None).await.json, 1), false);
    }
}

#[tokio::test]
async fn unknown_routes_projects_and_methods() {
    let sim = Simulator::start();
    let r = call(
        "GET",
        &format!("{}/v2/{}/apigw/nothing-here", sim.base_url(), crate::support::simulator::PROJECT_ID),
        Some(TOKEN),
        None,
    )
    .await;
    r.expect_error(404, "APIGW.0101");
    let r = call(
        "GET",
        &format!(
            "{}/v2/{}/other/certificates?instance_id={INSTANCE_ID}",
            sim.base_url(),
            crate::support::simulator::PROJECT_ID
        ),
        Some(TOKEN),
        None,
    )
    .await;
    r.expect_error(404, "APIGW.0101");
    let r = call("PATCH", &format!("{}/certificates", sim.service_url("apigw")), Some(TOKEN), None).await;
    r.expect_error(404, "APIGW.0101");
    let r = call(
        "GET",
        &format!("{}/v2/{MISSING}/apigw/certificates?instance_id={INSTANCE_ID}", sim.base_url()),
        Some(TOKEN),
        None,
    )
    .await;
    r.expect_error(403, "APIG.1005");
}
