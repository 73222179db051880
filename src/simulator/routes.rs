//! The route table. Layers, outermost first: request ID (everything); request log and faults
//! (API and IAM, not admin); auth, then write-conflict detection (API routes only).

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};

use super::api::{bindings, certificates, domains, instances};
use super::errors::ApiError;
use super::{Sim, admin, auth, behaviour, faults, iam, request_id, request_log};

const CERTS: &str = "/v2/{project_id}/{service}/certificates";
const CERT: &str = "/v2/{project_id}/{service}/certificates/{certificate_id}";
const GROUP: &str = "/v2/{project_id}/{service}/instances/{instance_id}/api-groups/{group_id}";

async fn no_such_api() -> impl IntoResponse {
    ApiError::no_such_api()
}

pub fn router(sim: Sim) -> Router {
    let domain = format!("{GROUP}/domains/{{domain_id}}");
    let api = Router::new()
        .route(CERTS, post(certificates::create).get(certificates::list))
        .route(CERT, get(certificates::show).put(certificates::update).delete(certificates::delete))
        .route(&format!("{CERT}/domains/attach"), post(bindings::attach))
        .route(&format!("{CERT}/domains/detach"), post(bindings::detach))
        .route(&format!("{CERT}/attached-domains"), get(bindings::attached_domains))
        .route("/v2/{project_id}/{service}/instances", get(instances::list_apig))
        .route("/v2/{project_id}/instances", get(instances::list_roma))
        .route(GROUP, get(domains::group_detail))
        .route(&format!("{GROUP}/domains"), post(domains::create_domain))
        .route(&domain, put(domains::update_domain).delete(domains::delete_domain))
        .route(&format!("{domain}/certificate"), post(domains::add_certificate))
        .route(
            &format!("{domain}/certificate/{{certificate_id}}"),
            get(domains::show_certificate).delete(domains::remove_certificate),
        )
        .route(&format!("{domain}/certificates/attach"), post(domains::attach_certificates))
        .route(&format!("{domain}/certificates/detach"), post(domains::detach_certificates))
        .route("/v3/projects", get(iam::list_projects))
        .route_layer(from_fn_with_state(sim.clone(), behaviour::serialize_writes))
        .route_layer(from_fn_with_state(sim.clone(), auth::authenticate))
        .route("/v3/auth/tokens", post(iam::create_token))
        .fallback(no_such_api)
        .method_not_allowed_fallback(no_such_api)
        .layer(from_fn_with_state(sim.clone(), faults::inject))
        .layer(from_fn_with_state(sim.clone(), request_log::record));

    let admin = Router::new()
        .route("/_sim/state", get(admin::state))
        .route("/_sim/requests", get(admin::requests).delete(admin::clear_requests))
        .route("/_sim/faults", get(faults::list).post(admin::add_fault).delete(admin::clear_faults))
        .route("/_sim/behaviour", get(admin::behaviour).put(admin::set_behaviour))
        .route("/_sim/reset", post(admin::reset));

    admin.merge(api).layer(from_fn(request_id::assign)).with_state(sim)
}
