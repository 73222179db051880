//! Fixtures from `--fixtures`, instance-scoped certificates across gateways, independent-domain
//! create/update/delete, and the command line's refusals.

use std::process::Command;

use crate::support::certs;
use crate::support::simulator::{PROJECT_ID, Simulator, TOKEN, binary, call};
use serde_json::{Value, json};

const GW_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const GW_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const GROUP_A: &str = "a0000000000000000000000000000000";
const GROUP_B: &str = "b0000000000000000000000000000000";

fn fixture_file() -> tempfile::NamedTempFile {
    let fixtures = json!({"projects": [{
        "id": PROJECT_ID,
        "name": "eu-west-101",
        "instances": [
            {"id": GW_A, "name": "gw-a", "groups": [{"id": GROUP_A, "name": "group_a", "domains": [
                {"id": "da000000000000000000000000000001", "url_domain": "api.example.com", "ingress_https_port": 8443}
            ]}]},
            {"id": GW_B, "name": "gw-b", "groups": [{"id": GROUP_B, "name": "group_b", "domains": [
                {"id": "db000000000000000000000000000001", "url_domain": "api.example.com", "min_ssl_version": "TLSv1.2"}
            ]}]}
        ]
    }]});
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), fixtures.to_string()).unwrap();
    file
}

fn form(name: &str, cert: &certs::TestCert) -> Value {
    json!({"name": name, "cert_content": cert.cert_pem, "private_key": cert.key_pem})
}

#[tokio::test]
async fn fixtures_and_instance_scoped_certificates() {
    let file = fixture_file();
    let sim = Simulator::start_with(&["--fixtures", file.path().to_str().unwrap()]);
    let base = sim.service_url("apigw");
    let cert = certs::valid("api.example.com", &["api.example.com"]);

    // The default fixture is gone; these gateways exist.
    call("GET", &format!("{base}/certificates?instance_id=5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"), Some(TOKEN), None)
        .await
        .expect_error(404, "APIG.3030");
    let mut on_a = form("on_gateway_a", &cert);
    on_a["type"] = json!("instance");
    on_a["instance_id"] = json!(GW_A);
    let a_cert = call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&on_a)).await.expect(200);
    let a_id = a_cert.json["id"].as_str().unwrap().to_string();
    let global =
        call("POST", &format!("{base}/certificates"), Some(TOKEN), Some(&form("everywhere", &cert))).await.expect(200);
    let global_id = global.json["id"].as_str().unwrap().to_string();

    // Gateway B sees the global certificate only.
    let list_b = call("GET", &format!("{base}/certificates?instance_id={GW_B}"), Some(TOKEN), None).await.expect(200);
    assert_eq!(list_b.json["total"], 1);
    assert_eq!(list_b.json["certs"][0]["id"], global_id.as_str());
    let list_a = call("GET", &format!("{base}/certificates?instance_id={GW_A}"), Some(TOKEN), None).await.expect(200);
    assert_eq!(list_a.json["total"], 2);

    // Without instance_ids, an instance certificate binds on its own gateway only; a global one on every gateway.
    let attach = json!({"domains": [{"domain": "api.example.com"}]});
    call("POST", &format!("{base}/certificates/{a_id}/domains/attach"), Some(TOKEN), Some(&attach)).await.expect(204);
    let attached =
        call("GET", &format!("{base}/certificates/{a_id}/attached-domains"), Some(TOKEN), None).await.expect(200);
    assert_eq!(attached.json["total"], 1);
    assert_eq!(attached.json["bound_domains"][0]["instance_id"], GW_A);
    // Gateway A's api.example.com already holds an RSA certificate; B's is free.
    let on_b = json!({"domains": [{"domain": "api.example.com", "instance_ids": [GW_B]}]});
    call("POST", &format!("{base}/certificates/{global_id}/domains/attach"), Some(TOKEN), Some(&on_b))
        .await
        .expect(204);
    call("POST", &format!("{base}/certificates/{global_id}/domains/attach"), Some(TOKEN), Some(&attach))
        .await
        .expect_error(400, "APIG.2051");
    // Gateway A's instance certificate cannot be used on gateway B.
    let b_domain = format!("{base}/instances/{GW_B}/api-groups/{GROUP_B}/domains/db000000000000000000000000000001");
    call("POST", &format!("{b_domain}/certificates/attach"), Some(TOKEN), Some(&json!({"certificate_ids": [a_id]})))
        .await
        .expect_error(404, "APIG.3021");

    // Group details carry the fixture's domain settings; ports only on APIG.
    let group_a =
        call("GET", &format!("{base}/instances/{GW_A}/api-groups/{GROUP_A}"), Some(TOKEN), None).await.expect(200);
    assert_eq!(group_a.json["url_domains"][0]["ingress_https_port"], 8443);
    assert_eq!(group_a.json["on_sell_status"], 2);
    assert_eq!(group_a.json["url_domains"][0]["ssl_infos"][0]["type"], 1);
    let group_b =
        call("GET", &format!("{base}/instances/{GW_B}/api-groups/{GROUP_B}"), Some(TOKEN), None).await.expect(200);
    assert_eq!(group_b.json["url_domains"][0]["min_ssl_version"], "TLSv1.2");
    assert_eq!(group_b.json["url_domains"][0]["ssl_infos"][0]["type"], 2);
    let roma_group =
        call("GET", &format!("{}/instances/{GW_A}/api-groups/{GROUP_A}", sim.service_url("apic")), Some(TOKEN), None)
            .await
            .expect(200);
    assert!(roma_group.json["url_domains"][0].get("ingress_https_port").is_none());
    assert_eq!(roma_group.json["on_sell_status"], 2);

    // Detaching with instance_ids leaves the other gateway's binding alone.
    let detach_b = json!({"domains": [{"domain": "api.example.com", "instance_ids": [GW_B]}]});
    call("POST", &format!("{base}/certificates/{global_id}/domains/detach"), Some(TOKEN), Some(&detach_b))
        .await
        .expect(204);
    let still =
        call("GET", &format!("{base}/certificates/{a_id}/attached-domains"), Some(TOKEN), None).await.expect(200);
    assert_eq!(still.json["total"], 1);

    // IAM resolves the fixture's project name.
    let tokens = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "sim-user", "password": "sim-password", "domain": {"name": "sim-domain"}}}},
                                "scope": {"project": {"name": "eu-west-101"}}}});
    let issued = call("POST", &format!("{}/v3/auth/tokens", sim.base_url()), None, Some(&tokens)).await.expect(201);
    assert_eq!(issued.json["token"]["project"]["id"], PROJECT_ID);
}

#[tokio::test]
async fn independent_domains_create_update_delete() {
    let sim = Simulator::start();
    for service in ["apigw", "apic"] {
        let group = format!(
            "{}/instances/{}/api-groups/{}",
            sim.service_url(service),
            crate::support::simulator::INSTANCE_ID,
            crate::support::simulator::GROUP_ID
        );
        let created = call(
            "POST",
            &format!("{group}/domains"),
            Some(TOKEN),
            Some(&json!({"url_domain": "new.example.net", "min_ssl_version": "TLSv1.2", "ingress_https_port": 443})),
        )
        .await
        .expect(201);
        let id = created.json["id"].as_str().unwrap().to_string();
        assert_eq!(created.json["url_domain"], "new.example.net");
        assert_eq!(created.json["min_ssl_version"], "TLSv1.2");
        assert_eq!(created.json["verified_client_certificate_enabled"], false);
        assert_eq!(created.json.get("ingress_https_port").is_some(), service == "apigw");

        // Refusals: duplicate name on the gateway, bad name, too many domains in the group.
        let dup =
            call("POST", &format!("{group}/domains"), Some(TOKEN), Some(&json!({"url_domain": "API.example.com"})))
                .await;
        dup.expect_error(400, "APIG.3305");
        let bad = call("POST", &format!("{group}/domains"), Some(TOKEN), Some(&json!({"url_domain": "no_dots"}))).await;
        assert!(bad.expect_error(400, "APIG.2012").contains("parameterName:url_domain"));
        call("POST", &format!("{group}/domains"), Some(TOKEN), Some(&json!({"url_domain": "five.example.net"})))
            .await
            .expect(201);
        let sixth =
            call("POST", &format!("{group}/domains"), Some(TOKEN), Some(&json!({"url_domain": "six.example.net"})))
                .await;
        sixth.expect_error(403, "APIG.3108");

        // Update: min_ssl_version is required; 201 with the new settings.
        let domain = format!("{group}/domains/{id}");
        let missing = call("PUT", &domain, Some(TOKEN), Some(&json!({"is_http_redirect_to_https": true}))).await;
        assert!(missing.expect_error(400, "APIG.2001").contains("parameterName:min_ssl_version"));
        let updated = call(
            "PUT",
            &domain,
            Some(TOKEN),
            Some(&json!({"min_ssl_version": "TLSv1.1", "is_http_redirect_to_https": true})),
        )
        .await
        .expect(201);
        assert_eq!(updated.json["min_ssl_version"], "TLSv1.1");
        assert_eq!(updated.json["is_http_redirect_to_https"], true);
        let no_ca = call(
            "PUT",
            &domain,
            Some(TOKEN),
            Some(&json!({"min_ssl_version": "TLSv1.1", "verified_client_certificate_enabled": true})),
        )
        .await;
        no_ca.expect_error(400, "APIG.2012");

        // A certificate bound to the new domain; deleting the domain takes the binding with it.
        let cert = certs::valid_ecdsa("new.example.net", &["new.example.net"]);
        let added = call("POST", &format!("{domain}/certificate"), Some(TOKEN), Some(&form("new_domain_cert", &cert)))
            .await
            .expect(201);
        let cert_id = added.json["ssl_id"].as_str().unwrap().to_string();
        assert_eq!(call("DELETE", &domain, Some(TOKEN), None).await.expect(204).text, "");
        call("DELETE", &domain, Some(TOKEN), None).await.expect_error(404, "APIG.3020");
        let cert_url = format!("{}/certificates/{cert_id}", sim.service_url(service));
        call("DELETE", &cert_url, Some(TOKEN), None).await.expect(204);
        // Adding a certificate that does not cover the domain creates nothing.
        let before = sim.certificates(service).len();
        let www = format!("{group}/domains/{}", crate::support::simulator::DOMAINS[1].0);
        call("POST", &format!("{www}/certificate"), Some(TOKEN), Some(&form("wrong_name", &cert)))
            .await
            .expect_error(400, "APIG.2103");
        assert_eq!(sim.certificates(service).len(), before);
    }
}

#[test]
fn command_line_refusals_exit_with_status_2() {
    let bad_fixture = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad_fixture.path(), r#"{"projects": [{"id": ""}]}"#).unwrap();
    let cases: [&[&str]; 4] = [
        &["--user", "no-colons"],
        &["--access-key", "AK"],
        &["--fixtures", "/nonexistent/fixtures.json"],
        &["--fixtures", bad_fixture.path().to_str().unwrap()],
    ];
    for args in cases {
        let out = Command::new(binary()).args(["--listen", "127.0.0.1:0"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "no ready line on failure");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("apig-simulator: "));
    }
}
