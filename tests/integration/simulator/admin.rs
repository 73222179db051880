//! The admin API (`/_sim/...`): injected faults, the request log, state without secrets, reset,
//! and safety under concurrent requests.

use std::collections::HashSet;

use crate::support::certs;
use crate::support::simulator::{INSTANCE_ID, Simulator, TOKEN, call};
use serde_json::{Value, json};

fn form(name: &str, cert: &certs::TestCert) -> Value {
    json!({"name": name, "cert_content": cert.cert_pem, "private_key": cert.key_pem})
}

#[tokio::test]
async fn throttling_for_the_next_n_requests_with_retry_after() {
    let sim = Simulator::start();
    let url = format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apic"));
    let rule = sim
        .add_fault(json!({"status": 429, "count": 2, "retry_after": 7, "method": "GET", "path": "/apic/certificates"}));
    assert_eq!(rule["count"], 2);
    for _ in 0..2 {
        let r = call("GET", &url, Some(TOKEN), None).await;
        r.expect_error(429, "APIGW.0308");
        assert_eq!(r.header("retry-after"), Some("7"));
        assert!(r.header("x-request-id").is_some());
    }
    call("GET", &url, Some(TOKEN), None).await.expect(200);
    // Requests that do not match the filter were never affected.
    sim.add_fault(json!({"status": 503, "count": 1, "path": "/apigw/"}));
    call("GET", &url, Some(TOKEN), None).await.expect(200);
    let apig = format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apigw"));
    call("GET", &apig, Some(TOKEN), None).await.expect(503);
    call("GET", &apig, Some(TOKEN), None).await.expect(200);

    // A certain 500 until cleared.
    sim.add_fault(json!({"status": 500, "probability": 1.0}));
    call("GET", &apig, Some(TOKEN), None).await.expect_error(500, "APIG.9999");
    call("GET", &apig, Some(TOKEN), None).await.expect(500);
    sim.clear_faults();
    call("GET", &apig, Some(TOKEN), None).await.expect(200);
    let listed = sim.admin("GET", "/_sim/faults", None).1;
    assert_eq!(listed["rules"], json!([]));

    // Refused fault definitions.
    for bad in [json!({"status": 404}), json!({}), json!({"latency_ms": 5, "probability": 2.0}), json!({"bogus": 1})] {
        let (status, body) = sim.admin("POST", "/_sim/faults", Some(&bad));
        assert_eq!(status, 400, "{bad} → {body}");
    }
    let (status, _) = sim.admin("POST", "/_sim/faults", Some(&json!({"clear": true})));
    assert_eq!(status, 200);
}

#[tokio::test]
async fn dropped_connection_still_applies_the_create() {
    let sim = Simulator::start();
    let url = format!("{}/certificates", sim.service_url("apigw"));
    sim.add_fault(json!({"drop_connection": true, "count": 1, "method": "POST", "path": "/certificates"}));
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let client = reqwest::Client::new();
    let outcome = client.post(&url).header("X-Auth-Token", TOKEN).json(&form("lost_answer", &cert)).send().await;
    let err = outcome.expect_err("the connection must close without an answer");
    assert!(!err.is_status() && !err.is_timeout(), "{err}");

    // The create happened: the certificate is there, the log says the answer was dropped.
    let stored = sim.certificates("apigw");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["name"], "lost_answer");
    let log = sim.requests();
    let last = log["requests"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["method"], "POST");
    assert_eq!(last["dropped"], true);
    assert_eq!(last["status"], Value::Null);

    // The rule was for one request only: listing it now answers normally.
    let list =
        call("GET", &format!("{url}?instance_id={INSTANCE_ID}&name=lost_answer"), Some(TOKEN), None).await.expect(200);
    assert_eq!(list.json["total"], 1);
}

#[tokio::test]
async fn latency_rules_are_listed_and_requests_still_answered() {
    let sim = Simulator::start();
    let rule = sim.add_fault(json!({"latency_ms": 20, "count": 1}));
    let listed = sim.admin("GET", "/_sim/faults", None).1;
    assert_eq!(listed["rules"][0]["id"], rule["id"]);
    call("GET", &format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apigw")), Some(TOKEN), None)
        .await
        .expect(200);
    assert_eq!(sim.admin("GET", "/_sim/faults", None).1["rules"], json!([]), "count 1 consumed");
}

#[tokio::test]
async fn request_log_counts_api_requests_only() {
    let sim = Simulator::start();
    assert_eq!(sim.request_count(), 0);
    let url = format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apigw"));
    call("GET", &url, Some(TOKEN), None).await.expect(200);
    call("GET", &url, None, None).await.expect(401);
    sim.state();
    sim.admin("GET", "/_sim/faults", None);
    let log = sim.requests();
    assert_eq!(log["count"], 2, "{log}");
    let first = &log["requests"][0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], format!("/v2/{}/apigw/certificates", crate::support::simulator::PROJECT_ID));
    assert_eq!(first["query"], format!("instance_id={INSTANCE_ID}"));
    assert_eq!(first["status"], 200);
    assert_eq!(log["requests"][1]["status"], 401);
    assert!(first["time"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert!(first.get("headers").is_none() && first.get("body").is_none());
    assert!(!log.to_string().contains(TOKEN), "no header values in the log");
    sim.clear_requests();
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn state_never_contains_secrets() {
    let sim = Simulator::start_with(&["--access-key", "STATEAK", "--secret-key", "STATE-SECRET-KEY-VALUE"]);
    let (chain, root) = certs::chain("api.example.com", &["api.example.com"]);
    let mut body = form("secret_holder", &chain);
    body["type"] = json!("instance");
    body["instance_id"] = json!(INSTANCE_ID);
    body["trusted_root_ca"] = json!(root.cert_pem());
    for service in ["apigw", "apic"] {
        call("POST", &format!("{}/certificates", sim.service_url(service)), Some(TOKEN), Some(&body)).await.expect(200);
    }
    let state = sim.state();
    let text = state.to_string();
    let key_body: String = chain.key_pem.lines().nth(1).unwrap().to_string();
    let cert_body: String = chain.cert_pem.lines().nth(1).unwrap().to_string();
    let ca_body: String = root.cert_pem().lines().nth(1).unwrap().to_string();
    for needle in [
        "BEGIN",
        "PRIVATE KEY",
        key_body.as_str(),
        cert_body.as_str(),
        ca_body.as_str(),
        "STATE-SECRET-KEY-VALUE",
        TOKEN,
    ] {
        assert!(!text.contains(needle), "state leaks {needle:?}");
    }
    for forbidden in ["cert_content", "private_key", "trusted_root_ca", "secret"] {
        assert!(!text.contains(&format!("\"{forbidden}\"")), "state has a {forbidden} field");
    }
    // It does show what the tests need.
    let cert = &sim.certificates("apic")[0];
    assert_eq!(cert["name"], "secret_holder");
    assert_eq!(cert["is_has_trusted_root_ca"], true);
    assert_eq!(cert["parsed"]["common_name"], "api.example.com");
}

#[tokio::test]
async fn reset_returns_to_the_fixtures() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let created = call(
        "POST",
        &format!("{}/certificates", sim.service_url("apigw")),
        Some(TOKEN),
        Some(&form("to_forget", &cert)),
    )
    .await;
    let id = created.expect(200).json["id"].as_str().unwrap().to_string();
    let attach = json!({"domains": [{"domain": "api.example.com"}]});
    call("POST", &format!("{}/certificates/{id}/domains/attach", sim.service_url("apigw")), Some(TOKEN), Some(&attach))
        .await
        .expect(204);
    sim.add_fault(json!({"status": 500, "count": 5}));
    sim.reset();
    assert!(sim.certificates("apigw").is_empty());
    let state = sim.state();
    assert_eq!(state["apigw"]["projects"][0]["instances"][0]["groups"][0]["domains"][0]["certificates"], json!({}));
    assert_eq!(sim.request_count(), 0);
    call("GET", &format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apigw")), Some(TOKEN), None)
        .await
        .expect(200);
}

#[tokio::test]
async fn fifty_parallel_creates_all_land_with_distinct_ids() {
    let sim = Simulator::start();
    let cert = certs::valid_ecdsa("api.example.com", &["api.example.com"]);
    let url = format!("{}/certificates", sim.service_url("apigw"));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (url, body) = (url.clone(), form(&format!("parallel_{i:02}"), &cert));
            tokio::spawn(async move { call("POST", &url, Some(TOKEN), Some(&body)).await })
        })
        .collect();
    let mut ids = HashSet::new();
    for t in tasks {
        let reply = t.await.unwrap().expect(200);
        ids.insert(reply.json["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 50);
    let stored: HashSet<String> =
        sim.certificates("apigw").iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(stored, ids);
    assert_eq!(sim.request_count(), 50);
}
