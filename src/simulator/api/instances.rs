//! The project's gateways (apig-api.md §3.15): APIG's `GET /v2/{project_id}/apigw/instances`
//! (APIG paging rules, filters `instance_id`, `instance_name`, `status`) and ROMA Connect's
//! `GET /v2/{project_id}/instances` (outside the `apic` prefix; `limit` default 10, at most 100;
//! filter `status`). Every fixture instance is a running gateway of its service.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};

use super::input::Query;
use super::service_of;
use crate::client::models::{ApigInstanceInfo, RomaInstanceInfo, Service};
use crate::simulator::Sim;
use crate::simulator::errors::{ApiError, ApiResult};
use crate::simulator::state::Instance;

pub const APIG_STATUS: &str = "Running";
/// `instance_status` of a running APIG gateway.
pub const APIG_INSTANCE_STATUS: i32 = 6;
pub const ROMA_STATUS: &str = "RUNNING";

fn apig_info(project_id: &str, i: &Instance) -> ApigInstanceInfo {
    ApigInstanceInfo {
        id: i.id.clone(),
        project_id: project_id.to_string(),
        instance_name: i.name.clone(),
        status: APIG_STATUS.to_string(),
        instance_status: APIG_INSTANCE_STATUS,
        instance_type: "apig".to_string(),
        spec: "BASIC".to_string(),
        create_time: i.create_time_ms,
    }
}

fn roma_info(i: &Instance) -> RomaInstanceInfo {
    RomaInstanceInfo {
        id: i.id.clone(),
        name: i.name.clone(),
        description: String::new(),
        flavor_type: "basic".to_string(),
        status: ROMA_STATUS.to_string(),
    }
}

/// `GET /v2/{project_id}/{service}/instances`: only APIG has this path.
pub async fn list_apig(
    State(sim): State<Sim>,
    Path((project_id, service)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    if service_of(&service)? != Service::Apig {
        return Err(ApiError::no_such_api());
    }
    let query = Query::parse(raw.as_deref());
    let page = query.page()?;
    let world = sim.world();
    let project = world.cloud(Service::Apig).project(&project_id)?;
    let all: Vec<ApigInstanceInfo> = project
        .instances
        .iter()
        .map(|i| apig_info(&project_id, i))
        .filter(|i| {
            query.get("instance_id").is_none_or(|v| i.id == v)
                && query.get("instance_name").is_none_or(|v| i.instance_name == v)
                && query.get("status").is_none_or(|v| i.status == v)
        })
        .collect();
    let (instances, total) = page.apply(all);
    Ok(Json(json!({"size": instances.len(), "total": total, "instances": instances})))
}

/// `GET /v2/{project_id}/instances`: ROMA Connect's list.
pub async fn list_roma(
    State(sim): State<Sim>,
    Path(project_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let query = Query::parse(raw.as_deref());
    let page = query.page_with(10, 100)?;
    let world = sim.world();
    let project = world.cloud(Service::Roma).project(&project_id)?;
    let all: Vec<RomaInstanceInfo> =
        project.instances.iter().map(roma_info).filter(|i| query.get("status").is_none_or(|v| i.status == v)).collect();
    let (instances, total) = page.apply(all);
    Ok(Json(json!({"total": total, "size": instances.len(), "instances": instances})))
}
