//! The admin API under `/_sim/` (no auth, not logged): state, request log, faults, behaviour
//! settings, reset.
//! The state dump cannot contain certificate contents, private keys, CAs or tokens: those values
//! live in types that have no `Serialize` implementation.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Sim;
use super::behaviour::BehaviourUpdate;
use super::faults::FaultRule;

/// `GET /_sim/state`.
pub async fn state(State(sim): State<Sim>) -> Response {
    let world = match serde_json::to_value(&*sim.world()) {
        Ok(v) => v,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": e.to_string()}))).into_response(),
    };
    let issued_tokens = sim.tokens().len();
    let mut body = world;
    if let Value::Object(map) = &mut body {
        map.insert("issued_tokens".into(), issued_tokens.into());
    }
    Json(body).into_response()
}

/// `GET /_sim/requests`.
pub async fn requests(State(sim): State<Sim>) -> Json<Value> {
    let log = sim.log();
    Json(json!({
        "count": log.entries.len(),
        "faults": log.fault_count(),
        "fault_kinds": log.fault_kinds(),
        "requests": log.entries,
    }))
}

/// `DELETE /_sim/requests`: empties the log.
pub async fn clear_requests(State(sim): State<Sim>) -> StatusCode {
    sim.log().clear();
    StatusCode::NO_CONTENT
}

fn bad_request(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg.into()}))).into_response()
}

/// `POST /_sim/faults`: add a rule, or `{"clear": true}` to remove all.
pub async fn add_fault(State(sim): State<Sim>, body: Bytes) -> Response {
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("the body must be a JSON object");
    };
    if let Some(map) = value.as_object_mut()
        && let Some(clear) = map.remove("clear")
    {
        if clear != Value::Bool(true) || !map.is_empty() {
            return bad_request("clear takes `true` and no other field");
        }
        sim.faults().clear();
        return Json(json!({"rules": []})).into_response();
    }
    let rule: FaultRule = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => return bad_request(format!("not a fault rule: {e}")),
    };
    if let Err(e) = rule.validate() {
        return bad_request(e);
    }
    let added = sim.faults().add(rule);
    tracing::info!(?added, "fault rule added");
    Json(json!({"rule": added, "rules": sim.faults().rules})).into_response()
}

/// `DELETE /_sim/faults`.
pub async fn clear_faults(State(sim): State<Sim>) -> StatusCode {
    sim.faults().clear();
    StatusCode::NO_CONTENT
}

/// Body of `POST /_sim/reset` (optional).
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ResetBody {
    seed: Option<u64>,
}

/// `POST /_sim/reset`, optionally `{"seed": N}`: back to the fixtures and the command line's
/// behaviour settings; faults roll with seed N (else `--seed`, else a random one).
pub async fn reset(State(sim): State<Sim>, body: Bytes) -> Response {
    let parsed = if body.iter().all(u8::is_ascii_whitespace) {
        ResetBody::default()
    } else {
        match serde_json::from_slice::<ResetBody>(&body) {
            Ok(b) => b,
            Err(e) => return bad_request(format!("the reset body takes only an optional seed: {e}")),
        }
    };
    sim.reset(parsed.seed);
    tracing::info!(seed = ?parsed.seed, "state reset to fixtures");
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /_sim/behaviour`: `{"read_lag_ms": N, "write_conflict_window_ms": N}`.
pub async fn behaviour(State(sim): State<Sim>) -> Response {
    Json(*sim.behaviour()).into_response()
}

/// `PUT /_sim/behaviour`: changes the fields given, answers the settings now in force.
pub async fn set_behaviour(State(sim): State<Sim>, body: Bytes) -> Response {
    let update: BehaviourUpdate = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            return bad_request(format!(
                "the body must be {{\"read_lag_ms\": N, \"write_conflict_window_ms\": N}} (either may be left out): {e}"
            ));
        }
    };
    let now = {
        let mut b = sim.behaviour();
        b.apply(update);
        *b
    };
    tracing::info!(?now, "behaviour settings changed");
    Json(now).into_response()
}
