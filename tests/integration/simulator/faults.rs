//! The faults the real API has, over the simulator's HTTP API: status answers after the work was
//! done, read lag, APIG.3500 on overlapping writes to one certificate, and seeded probabilities.

use std::time::{Duration, Instant};

use crate::support::certs;
use crate::support::simulator::{DOMAINS, GROUP_ID, INSTANCE_ID, Simulator, TOKEN, call};
use serde_json::{Value, json};

fn form(name: &str, cert: &certs::TestCert) -> Value {
    json!({"name": name, "cert_content": cert.cert_pem, "private_key": cert.key_pem})
}

async fn create(sim: &Simulator, service: &str, name: &str) -> String {
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let url = format!("{}/certificates", sim.service_url(service));
    let reply = call("POST", &url, Some(TOKEN), Some(&form(name, &cert))).await.expect(200);
    reply.json["id"].as_str().unwrap().to_string()
}

fn last_request(sim: &Simulator) -> Value {
    sim.requests()["requests"].as_array().unwrap().last().unwrap().clone()
}

/// Polls `f` every 50 ms until it is true, for at most 15 s.
async fn eventually(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !f().await {
        assert!(start.elapsed() < Duration::from_secs(15), "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_status_after_work_answers_the_error_but_the_work_is_done() {
    let sim = Simulator::start();
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    let url = format!("{}/certificates", sim.service_url("apigw"));
    let rule = sim.add_fault(json!({"status": 503, "after_work": true, "count": 1, "method": "POST"}));
    assert_eq!(rule["after_work"], true);
    call("POST", &url, Some(TOKEN), Some(&form("half_failed", &cert))).await.expect_error(503, "APIG.9999");
    let stored = sim.certificates("apigw");
    assert_eq!(stored.len(), 1, "the create happened");
    assert_eq!(stored[0]["name"], "half_failed");
    let entry = last_request(&sim);
    assert_eq!((entry["status"].as_u64(), entry["fault"].as_str()), (Some(503), Some("status 503 after work")));
    assert_eq!(entry["dropped"], false);

    // The same for a delete, with 504; a plain status fault does no work at all.
    let id = stored[0]["id"].as_str().unwrap().to_string();
    sim.add_fault(json!({"status": 502, "count": 1, "method": "DELETE"}));
    call("DELETE", &format!("{url}/{id}"), Some(TOKEN), None).await.expect(502);
    assert_eq!(sim.certificates("apigw").len(), 1, "a plain status fault does nothing");
    sim.add_fault(json!({"status": 504, "after_work": true, "count": 1, "method": "DELETE"}));
    call("DELETE", &format!("{url}/{id}"), Some(TOKEN), None).await.expect(504);
    assert!(sim.certificates("apigw").is_empty(), "the delete happened");

    let log = sim.requests();
    assert_eq!(log["faults"], 3, "{log}");
    assert_eq!(log["fault_kinds"], json!({"status": 1, "status_after_work": 2}));
    assert_eq!(log["requests"][1]["fault"], "status 502");
    // after_work needs a status.
    let (status, _) = sim.admin("POST", "/_sim/faults", Some(&json!({"drop_connection": true, "after_work": true})));
    assert_eq!(status, 400);
}

#[tokio::test]
async fn read_lag_hides_a_new_certificate_then_shows_it() {
    let sim = Simulator::start_with(&["--read-lag-ms", "1500"]);
    assert_eq!(sim.behaviour(), json!({"read_lag_ms": 1500, "write_conflict_window_ms": 0}));
    let base = sim.service_url("apigw");
    let id = create(&sim, "apigw", "lagging").await;
    let show = format!("{base}/certificates/{id}");
    let list = format!("{base}/certificates?instance_id={INSTANCE_ID}");

    // Right after the create: missing to reads, present in the state, writable.
    call("GET", &show, Some(TOKEN), None).await.expect_error(404, "APIG.3021");
    assert_eq!(last_request(&sim)["fault"], "read lag");
    assert_eq!(call("GET", &list, Some(TOKEN), None).await.expect(200).json["total"], 0);
    assert_eq!(sim.certificates("apigw").len(), 1);
    let attach = json!({"domains": [{"domain": "api.example.com"}]});
    call("POST", &format!("{show}/domains/attach"), Some(TOKEN), Some(&attach)).await.expect(204);
    let domain = format!("{base}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}/domains/{}", DOMAINS[0].0);
    call("GET", &format!("{domain}/certificate/{id}"), Some(TOKEN), None).await.expect_error(404, "APIG.3021");

    // Then it shows up everywhere.
    eventually("the certificate becomes readable", async || call("GET", &show, Some(TOKEN), None).await.status == 200)
        .await;
    assert_eq!(call("GET", &list, Some(TOKEN), None).await.expect(200).json["total"], 1);
    call("GET", &format!("{domain}/certificate/{id}"), Some(TOKEN), None).await.expect(200);
    assert!(sim.requests()["fault_kinds"]["read_lag"].as_u64().unwrap() >= 3);

    // A certificate added to a domain lags too, on ROMA as well.
    let roma_domain =
        format!("{}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}/domains/{}", sim.service_url("apic"), DOMAINS[1].0);
    let cert = certs::valid("www.example.com", &["www.example.com"]);
    let added = call("POST", &format!("{roma_domain}/certificate"), Some(TOKEN), Some(&form("added_lag", &cert))).await;
    let added_id = added.expect(201).json["ssl_id"].as_str().unwrap().to_string();
    let roma_show = format!("{roma_domain}/certificate/{added_id}");
    call("GET", &roma_show, Some(TOKEN), None).await.expect_error(404, "APIG.3021");
    eventually("the added certificate becomes readable", async || {
        call("GET", &roma_show, Some(TOKEN), None).await.status == 200
    })
    .await;

    // Turned off at run time; a reset brings back the command line's value.
    assert_eq!(sim.set_behaviour(json!({"read_lag_ms": 0}))["read_lag_ms"], 0);
    let fresh = create(&sim, "apigw", "no_lag").await;
    call("GET", &format!("{base}/certificates/{fresh}"), Some(TOKEN), None).await.expect(200);
    sim.reset();
    assert_eq!(sim.behaviour()["read_lag_ms"], 1500);
    let (status, _) = sim.admin("PUT", "/_sim/behaviour", Some(&json!({"read_lag": 5})));
    assert_eq!(status, 400);
}

#[tokio::test]
async fn overlapping_writes_to_one_certificate_give_exactly_one_apig_3500() {
    let sim = Simulator::start_with(&["--write-conflict-window-ms", "2000"]);
    let base = sim.service_url("apigw");
    let id = create(&sim, "apigw", "contended").await;
    let cert_url = format!("{base}/certificates/{id}");
    let attach = json!({"domains": [{"domain": "api.example.com"}]});
    let detach_url = format!("{cert_url}/domains/detach");
    let attach_url = format!("{cert_url}/domains/attach");

    // Two concurrent writes: one goes through, the other is refused and does nothing.
    let (a, b) = tokio::join!(
        call("POST", &attach_url, Some(TOKEN), Some(&attach)),
        call("POST", &attach_url, Some(TOKEN), Some(&attach))
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [204, 400], "{} / {}", a.text, b.text);
    let refused = if a.status == 400 { a } else { b };
    assert!(refused.expect_error(400, "APIG.3500").to_lowercase().contains("etcd"));

    // Within the window after the answer a write to it is refused too, from the domain side
    // as well, and does nothing (the binding stays).
    call("POST", &detach_url, Some(TOKEN), Some(&attach)).await.expect_error(400, "APIG.3500");
    let domain = format!("{base}/instances/{INSTANCE_ID}/api-groups/{GROUP_ID}/domains/{}", DOMAINS[0].0);
    let ids = json!({"certificate_ids": [id]});
    call("POST", &format!("{domain}/certificates/detach"), Some(TOKEN), Some(&ids))
        .await
        .expect_error(400, "APIG.3500");
    call("DELETE", &format!("{domain}/certificate/{id}"), Some(TOKEN), None).await.expect_error(400, "APIG.3500");
    let state = sim.state();
    let bound = &state["apigw"]["projects"][0]["instances"][0]["groups"][0]["domains"][0]["certificates"];
    assert_eq!(bound["RSA"], id.as_str(), "refused writes did nothing");
    // Reads and other certificates are not affected.
    call("GET", &cert_url, Some(TOKEN), None).await.expect(200);
    let other = create(&sim, "apigw", "bystander").await;
    call("DELETE", &format!("{base}/certificates/{other}"), Some(TOKEN), None).await.expect(204);
    // The same certificate ID on ROMA is another certificate.
    call("DELETE", &format!("{}/certificates/{id}", sim.service_url("apic")), Some(TOKEN), None)
        .await
        .expect_error(404, "APIG.3021");

    // Refused writes do not extend the span: once it is over, writes go through.
    eventually("the write span ends", async || {
        call("POST", &detach_url, Some(TOKEN), Some(&attach)).await.status == 204
    })
    .await;
    let log = sim.requests();
    assert!(log["fault_kinds"]["conflict"].as_u64().unwrap() >= 4, "{log}");
    assert!(log["requests"].as_array().unwrap().iter().any(|r| r["fault"] == "conflict" && r["status"] == 400));

    // With a window of 0 one write after another is fine.
    sim.set_behaviour(json!({"write_conflict_window_ms": 0}));
    call("POST", &attach_url, Some(TOKEN), Some(&attach)).await.expect(204);
    call("POST", &detach_url, Some(TOKEN), Some(&attach)).await.expect(204);
}

/// The statuses of `n` list requests under a 50 % 503 rule.
async fn statuses(sim: &Simulator, rule: Value, n: usize) -> Vec<u16> {
    sim.add_fault(rule);
    let url = format!("{}/certificates?instance_id={INSTANCE_ID}", sim.service_url("apigw"));
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(call("GET", &url, Some(TOKEN), None).await.status);
    }
    out
}

#[tokio::test]
async fn seeded_probability_rules_repeat() {
    let rule = json!({"status": 503, "probability": 0.5, "method": "GET"});
    let sim = Simulator::start_with(&["--seed", "7"]);
    assert_eq!(sim.admin("GET", "/_sim/faults", None).1["seed"], 7);
    let first = statuses(&sim, rule.clone(), 40).await;
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");

    // A reset reseeds from --seed; another simulator with the same seed decides the same.
    sim.reset();
    assert_eq!(statuses(&sim, rule.clone(), 40).await, first);
    let twin = Simulator::start_with(&["--seed", "7"]);
    assert_eq!(statuses(&twin, rule.clone(), 40).await, first);
    assert_eq!(twin.requests()["faults"].as_u64(), Some(first.iter().filter(|s| **s == 503).count() as u64));

    // Another seed, another sequence; the reset body's seed wins over --seed.
    sim.reset_with_seed(8);
    let other = statuses(&sim, rule.clone(), 40).await;
    assert_ne!(other, first);
    sim.reset_with_seed(7);
    assert_eq!(statuses(&sim, rule.clone(), 40).await, first);

    // A rule with its own seed decides the same whatever the simulator's seed.
    let own = json!({"status": 429, "probability": 0.5, "seed": 99});
    sim.reset_with_seed(1);
    let a = statuses(&sim, own.clone(), 40).await;
    sim.reset_with_seed(2);
    assert_eq!(statuses(&sim, own, 40).await, a);
    assert!(a.contains(&429), "{a:?}");
}
