//! Fault injection for API requests (`POST /_sim/faults`): added latency, an error status
//! (429/500/503, optional `Retry-After`) or a dropped connection, for the next N matching requests
//! or with a probability, optionally filtered by method and path substring. A dropped request is
//! still carried out first, so a client can meet "the create happened but the answer was lost".

use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::Sim;
use super::errors::ApiError;
use super::request_log::PendingEntry;

/// Closes the TCP connection a request arrived on, without answering.
#[derive(Clone)]
pub struct ConnectionKill(pub CancellationToken);

/// A fault rule as posted and as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default)]
    pub id: u64,
    /// Only requests with this method (any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only requests whose path contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// 429, 500 or 503.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Seconds, sent as `Retry-After` with `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub drop_connection: bool,
    /// Fire for the next N matching requests, then disappear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Fire with this probability (0..=1) on each matching request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

impl FaultRule {
    pub fn validate(&self) -> Result<(), String> {
        if self.latency_ms.is_none() && self.status.is_none() && !self.drop_connection {
            return Err("a fault needs latency_ms, status or drop_connection".into());
        }
        if self.status.is_some() && self.drop_connection {
            return Err("status and drop_connection exclude each other".into());
        }
        if let Some(s) = self.status
            && !matches!(s, 429 | 500 | 503)
        {
            return Err(format!("status {s} is not one of 429, 500, 503"));
        }
        if self.retry_after.is_some() && self.status.is_none() {
            return Err("retry_after needs a status".into());
        }
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Err("probability must be between 0 and 1".into());
        }
        if self.count == Some(0) {
            return Err("count must be at least 1".into());
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.contains(p))
    }
}

#[derive(Debug, Default, Serialize)]
pub struct FaultSet {
    #[serde(skip)]
    next_id: u64,
    pub rules: Vec<FaultRule>,
}

/// What to do to one request.
#[derive(Debug, Default, PartialEq)]
pub struct Decision {
    pub latency: Duration,
    pub action: Option<Action>,
}

#[derive(Debug, PartialEq)]
pub enum Action {
    Status { status: u16, retry_after: Option<u64> },
    Drop,
}

impl FaultSet {
    pub fn add(&mut self, mut rule: FaultRule) -> FaultRule {
        self.next_id += 1;
        rule.id = self.next_id;
        self.rules.push(rule.clone());
        rule
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Rules fire in order; latencies add up, the first status or drop wins.
    pub fn decide(&mut self, method: &str, path: &str, mut roll: impl FnMut() -> f64) -> Decision {
        let mut decision = Decision::default();
        for rule in &mut self.rules {
            if !rule.matches(method, path) {
                continue;
            }
            let effect = rule.status.is_some() || rule.drop_connection;
            if effect && decision.action.is_some() && rule.latency_ms.is_none() {
                continue;
            }
            if rule.probability.is_some_and(|p| roll() >= p) {
                continue;
            }
            if let Some(ms) = rule.latency_ms {
                decision.latency += Duration::from_millis(ms);
            }
            if decision.action.is_none() {
                if let Some(status) = rule.status {
                    decision.action = Some(Action::Status { status, retry_after: rule.retry_after });
                } else if rule.drop_connection {
                    decision.action = Some(Action::Drop);
                }
            }
            if let Some(n) = rule.count.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        self.rules.retain(|r| r.count != Some(0));
        decision
    }
}

fn injected(status: u16, retry_after: Option<u64>) -> Response {
    let err = match status {
        429 => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "APIGW.0308",
            "The throttling threshold has been reached (fault injected by apig-simulator)",
        ),
        503 => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "APIG.9999",
            "Service unavailable (fault injected by apig-simulator)",
        ),
        _ => ApiError::system_error(),
    };
    let mut resp = err.into_response();
    if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        resp.headers_mut().insert("retry-after", v);
    }
    resp
}

pub async fn inject(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let decision = sim.faults().decide(req.method().as_str(), req.uri().path(), rand::random::<f64>);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    match decision.action {
        None => next.run(req).await,
        Some(Action::Status { status, retry_after }) => injected(status, retry_after),
        Some(Action::Drop) => {
            let kill = req.extensions().get::<ConnectionKill>().cloned();
            let pending = req.extensions().get::<PendingEntry>().cloned();
            // Carry the request out, then lose the answer.
            let resp = next.run(req).await;
            let Some(kill) = kill else {
                return resp;
            };
            if let Some(p) = pending {
                p.finish(None);
            }
            tracing::info!("dropping the connection instead of answering (injected fault)");
            kill.0.cancel();
            std::future::pending::<Response>().await
        }
    }
}

/// `GET /_sim/faults`.
pub async fn list(State(sim): State<Sim>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"rules": sim.faults().rules}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: serde_json::Value) -> FaultRule {
        let r: FaultRule = serde_json::from_value(json).unwrap();
        r.validate().unwrap();
        r
    }

    #[test]
    fn count_limits_firing_and_filters_apply() {
        let mut set = FaultSet::default();
        set.add(rule(
            serde_json::json!({"status": 429, "count": 2, "method": "post", "path": "/certificates", "retry_after": 3}),
        ));
        let want = Some(Action::Status { status: 429, retry_after: Some(3) });
        assert_eq!(set.decide("GET", "/v2/p/apigw/certificates", || 0.0).action, None);
        assert_eq!(set.decide("POST", "/v2/p/apigw/other", || 0.0).action, None);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates", || 0.0).action, want);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates", || 0.0).action, want);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates", || 0.0).action, None);
        assert!(set.rules.is_empty());
    }

    #[test]
    fn probability_uses_the_roll_and_latency_adds_up() {
        let mut set = FaultSet::default();
        set.add(rule(serde_json::json!({"latency_ms": 5})));
        set.add(rule(serde_json::json!({"latency_ms": 7, "drop_connection": true, "probability": 0.5})));
        let d = set.decide("GET", "/", || 0.9);
        assert_eq!(d, Decision { latency: Duration::from_millis(5), action: None });
        let d = set.decide("GET", "/", || 0.1);
        assert_eq!(d, Decision { latency: Duration::from_millis(12), action: Some(Action::Drop) });
    }

    #[test]
    fn invalid_rules_are_refused() {
        for bad in [
            serde_json::json!({}),
            serde_json::json!({"status": 404}),
            serde_json::json!({"status": 500, "drop_connection": true}),
            serde_json::json!({"latency_ms": 1, "probability": 1.5}),
            serde_json::json!({"retry_after": 1, "latency_ms": 1}),
            serde_json::json!({"status": 500, "count": 0}),
        ] {
            let r: FaultRule = serde_json::from_value(bad.clone()).unwrap();
            assert!(r.validate().is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<FaultRule>(serde_json::json!({"stauts": 500})).is_err());
    }
}
