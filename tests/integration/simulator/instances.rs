//! The instance lists of both services (apig-api.md §3.15): APIG's under `apigw`, ROMA's outside
//! the `apic` prefix; the fixture's gateways, paging, filters, auth and the request log.

use crate::support::simulator::{INSTANCE_ID, PROJECT_ID, Simulator, TOKEN, call};
use serde_json::json;

#[tokio::test]
async fn both_services_list_the_default_gateway() {
    let sim = Simulator::start();
    let apig = call("GET", &format!("{}/instances", sim.service_url("apigw")), Some(TOKEN), None).await.expect(200);
    assert_eq!((apig.json["size"].as_i64(), apig.json["total"].as_i64()), (Some(1), Some(1)));
    let gw = &apig.json["instances"][0];
    assert_eq!(gw["id"], INSTANCE_ID);
    assert_eq!(gw["project_id"], PROJECT_ID);
    assert_eq!(gw["instance_name"], "apig-sim-gateway");
    assert_eq!(gw["status"], "Running");
    assert_eq!(gw["instance_status"], 6);
    assert_eq!(gw["type"], "apig");
    assert_eq!(gw["spec"], "BASIC");
    assert!(gw["create_time"].as_i64().is_some_and(|ms| ms > 1_600_000_000_000), "{gw}");

    let roma_url = format!("{}/v2/{PROJECT_ID}/instances", sim.base_url());
    let roma = call("GET", &roma_url, Some(TOKEN), None).await.expect(200);
    assert_eq!((roma.json["size"].as_i64(), roma.json["total"].as_i64()), (Some(1), Some(1)));
    let inst = &roma.json["instances"][0];
    assert_eq!(inst["id"], INSTANCE_ID);
    assert_eq!(inst["name"], "apig-sim-gateway");
    assert_eq!(inst["status"], "RUNNING");
    assert!(inst["flavor_type"].is_string() && inst["description"].is_string(), "{inst}");
    // ROMA's list has no `apic/instances` path.
    call("GET", &format!("{}/instances", sim.service_url("apic")), Some(TOKEN), None)
        .await
        .expect_error(404, "APIGW.0101");

    // Same auth as every API call, and counted in the request log.
    call("GET", &roma_url, None, None).await.expect_error(401, "APIGW.0301");
    call("GET", &format!("{}/instances", sim.service_url("apigw")), Some("wrong"), None).await.expect(401);
    let log = sim.requests();
    let paths: Vec<&str> = log["requests"].as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths.iter().filter(|p| p.ends_with("/instances")).count(), 5, "{paths:?}");
}

#[tokio::test]
async fn fixture_gateways_page_and_filter() {
    let ids: Vec<String> = (0..12).map(|n| format!("{n:032x}")).collect();
    let instances: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| if n == 0 { json!({"id": id}) } else { json!({"id": id, "name": format!("gw-{n}")}) })
        .collect();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), json!({"projects": [{"id": PROJECT_ID, "instances": instances}]}).to_string()).unwrap();
    let sim = Simulator::start_with(&["--fixtures", file.path().to_str().unwrap()]);
    let apig = format!("{}/instances", sim.service_url("apigw"));
    let roma = format!("{}/v2/{PROJECT_ID}/instances", sim.base_url());

    // APIG: default limit 20, so all 12; a nameless fixture instance gets a stable derived name.
    let all = call("GET", &apig, Some(TOKEN), None).await.expect(200);
    assert_eq!(all.json["size"], 12);
    assert_eq!(all.json["instances"][0]["instance_name"], "gateway-00000000");
    let page = call("GET", &format!("{apig}?offset=10&limit=5"), Some(TOKEN), None).await.expect(200);
    assert_eq!((page.json["size"].as_i64(), page.json["total"].as_i64()), (Some(2), Some(12)));
    assert_eq!(page.json["instances"][0]["id"], ids[10]);
    let by_id = call("GET", &format!("{apig}?instance_id={}", ids[3]), Some(TOKEN), None).await.expect(200);
    assert_eq!(by_id.json["total"], 1);
    assert_eq!(by_id.json["instances"][0]["instance_name"], "gw-3");
    let by_name = call("GET", &format!("{apig}?instance_name=gw-7&status=Running"), Some(TOKEN), None).await;
    assert_eq!(by_name.expect(200).json["instances"][0]["id"], ids[7]);
    let stopped = call("GET", &format!("{apig}?status=Stopped"), Some(TOKEN), None).await.expect(200);
    assert_eq!(stopped.json["total"], 0);
    call("GET", &format!("{apig}?limit=x"), Some(TOKEN), None).await.expect_error(400, "APIG.2012");

    // ROMA: default limit 10, at most 100.
    let first = call("GET", &roma, Some(TOKEN), None).await.expect(200);
    assert_eq!((first.json["size"].as_i64(), first.json["total"].as_i64()), (Some(10), Some(12)));
    let rest = call("GET", &format!("{roma}?offset=10&limit=1000"), Some(TOKEN), None).await.expect(200);
    assert_eq!(rest.json["size"], 2);
    assert_eq!(rest.json["instances"][1]["name"], "gw-11");
    let running = call("GET", &format!("{roma}?status=RUNNING&limit=100"), Some(TOKEN), None).await.expect(200);
    assert_eq!(running.json["size"], 12);
}
