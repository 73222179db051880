//! Fault injection for API requests (`POST /_sim/faults`): added latency, an error status
//! (429/500/502/503/504, optional `Retry-After`) or a dropped connection, for the next N matching
//! requests or with a probability, optionally filtered by method and path substring. A dropped
//! request is still carried out first, so a client can meet "the create happened but the answer
//! was lost"; a status with `after_work` likewise carries the request out and then answers the
//! injected status instead of the real one.
//!
//! Every probability roll comes from a seeded [`StdRng`]: the rule's own when it has a `seed`,
//! else the fault set's (seeded from `--seed`, or `POST /_sim/reset {"seed": N}`, random when
//! neither is given; `GET /_sim/faults` shows the seed in use). The same seed and the same request
//! order give the same decisions.

use std::collections::HashMap;
use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
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
    /// 429, 500, 502, 503 or 504.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// With `status`: carry the request out first (the object is created, changed or deleted),
    /// then answer the injected status instead of the real answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_work: bool,
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
    /// Seed of this rule's own random generator for `probability` (else the fault set's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// Statuses a rule may inject.
pub const INJECTABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

impl FaultRule {
    pub fn validate(&self) -> Result<(), String> {
        if self.latency_ms.is_none() && self.status.is_none() && !self.drop_connection {
            return Err("a fault needs latency_ms, status or drop_connection".into());
        }
        if self.status.is_some() && self.drop_connection {
            return Err("status and drop_connection exclude each other".into());
        }
        if let Some(s) = self.status
            && !INJECTABLE_STATUSES.contains(&s)
        {
            return Err(format!("status {s} is not one of 429, 500, 502, 503, 504"));
        }
        if self.after_work && self.status.is_none() && self.latency_ms.is_none() {
            return Err(
                "after_work needs a status or latency_ms (a dropped connection always does the work first)".into()
            );
        }
        if self.seed.is_some() && self.probability.is_none() {
            return Err("seed needs a probability".into());
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

/// The rules in force and the random generators their probabilities roll with.
#[derive(Debug, Serialize)]
pub struct FaultSet {
    #[serde(skip)]
    next_id: u64,
    /// Seed of the fault set's generator (rules without their own seed roll with it).
    pub seed: u64,
    #[serde(skip)]
    rng: StdRng,
    /// Generators of rules that carry a seed, by rule ID.
    #[serde(skip)]
    rule_rngs: HashMap<u64, StdRng>,
    pub rules: Vec<FaultRule>,
}

/// What to do to one request.
#[derive(Debug, Default, PartialEq)]
pub struct Decision {
    pub latency: Duration,
    /// Latency of `after_work` rules: the request is carried out at once and answered this late
    /// (a slow answer, not a slow start: a client that gives up meanwhile leaves the work done).
    pub latency_after_work: Duration,
    pub action: Option<Action>,
}

#[derive(Debug, PartialEq)]
pub enum Action {
    Status { status: u16, retry_after: Option<u64>, after_work: bool },
    Drop,
}

impl Decision {
    /// How the request log describes it (None when nothing was injected).
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.latency.is_zero() {
            parts.push(format!("latency {} ms", self.latency.as_millis()));
        }
        if !self.latency_after_work.is_zero() {
            parts.push(format!("latency {} ms after work", self.latency_after_work.as_millis()));
        }
        match &self.action {
            Some(Action::Status { status, after_work: true, .. }) => parts.push(format!("status {status} after work")),
            Some(Action::Status { status, .. }) => parts.push(format!("status {status}")),
            Some(Action::Drop) => parts.push("drop".to_string()),
            None => {}
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// Short names of what was injected, for the counts of `GET /_sim/requests`.
    pub fn kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if !self.latency.is_zero() || !self.latency_after_work.is_zero() {
            kinds.push("latency");
        }
        match self.action {
            Some(Action::Status { after_work: true, .. }) => kinds.push("status_after_work"),
            Some(Action::Status { .. }) => kinds.push("status"),
            Some(Action::Drop) => kinds.push("drop"),
            None => {}
        }
        kinds
    }
}

impl Default for FaultSet {
    /// A random seed.
    fn default() -> Self {
        FaultSet::new(rand::random())
    }
}

impl FaultSet {
    pub fn new(seed: u64) -> FaultSet {
        FaultSet { next_id: 0, seed, rng: StdRng::seed_from_u64(seed), rule_rngs: HashMap::new(), rules: Vec::new() }
    }

    /// Seeded from `seed` when given, else randomly.
    pub fn seeded(seed: Option<u64>) -> FaultSet {
        seed.map_or_else(FaultSet::default, FaultSet::new)
    }

    pub fn add(&mut self, mut rule: FaultRule) -> FaultRule {
        self.next_id += 1;
        rule.id = self.next_id;
        if let Some(seed) = rule.seed {
            self.rule_rngs.insert(rule.id, StdRng::seed_from_u64(seed));
        }
        self.rules.push(rule.clone());
        rule
    }

    /// Removes every rule; the fault set's generator goes on where it was.
    pub fn clear(&mut self) {
        self.rules.clear();
        self.rule_rngs.clear();
    }

    /// Rules fire in order; latencies add up, the first status or drop wins.
    pub fn decide(&mut self, method: &str, path: &str) -> Decision {
        let mut decision = Decision::default();
        for rule in &mut self.rules {
            if !rule.matches(method, path) {
                continue;
            }
            let effect = rule.status.is_some() || rule.drop_connection;
            if effect && decision.action.is_some() && rule.latency_ms.is_none() {
                continue;
            }
            if let Some(p) = rule.probability {
                let rng = self.rule_rngs.get_mut(&rule.id).unwrap_or(&mut self.rng);
                if rng.random::<f64>() >= p {
                    continue;
                }
            }
            match rule.latency_ms {
                Some(ms) if rule.after_work => decision.latency_after_work += Duration::from_millis(ms),
                Some(ms) => decision.latency += Duration::from_millis(ms),
                None => {}
            }
            if decision.action.is_none() {
                if let Some(status) = rule.status {
                    decision.action =
                        Some(Action::Status { status, retry_after: rule.retry_after, after_work: rule.after_work });
                } else if rule.drop_connection {
                    decision.action = Some(Action::Drop);
                }
            }
            if let Some(n) = rule.count.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        let rule_rngs = &mut self.rule_rngs;
        self.rules.retain(|r| {
            let keep = r.count != Some(0);
            if !keep {
                rule_rngs.remove(&r.id);
            }
            keep
        });
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
        502 => ApiError::new(StatusCode::BAD_GATEWAY, "APIG.9999", "Bad gateway (fault injected by apig-simulator)"),
        503 => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "APIG.9999",
            "Service unavailable (fault injected by apig-simulator)",
        ),
        504 => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "APIG.9999",
            "Gateway timeout (fault injected by apig-simulator)",
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
    let decision = sim.faults().decide(req.method().as_str(), req.uri().path());
    let pending = req.extensions().get::<PendingEntry>().cloned();
    if let (Some(p), Some(text)) = (&pending, decision.describe()) {
        p.note_fault(text, &decision.kinds());
    }
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    let slow_answer = decision.latency_after_work;
    match decision.action {
        None if !slow_answer.is_zero() => {
            let resp = next.run(req).await;
            tokio::time::sleep(slow_answer).await;
            resp
        }
        None => next.run(req).await,
        Some(Action::Status { status, retry_after, after_work: false }) => injected(status, retry_after),
        Some(Action::Status { status, retry_after, after_work: true }) => {
            // Carry the request out, then answer as if it had failed.
            let real = next.run(req).await;
            tokio::time::sleep(slow_answer).await;
            tracing::info!(real = real.status().as_u16(), status, "answering an injected status after the work");
            injected(status, retry_after)
        }
        Some(Action::Drop) => {
            let kill = req.extensions().get::<ConnectionKill>().cloned();
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
    let faults = sim.faults();
    Json(serde_json::json!({"seed": faults.seed, "rules": faults.rules}))
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
        let mut set = FaultSet::new(1);
        set.add(rule(
            serde_json::json!({"status": 429, "count": 2, "method": "post", "path": "/certificates", "retry_after": 3}),
        ));
        let want = Some(Action::Status { status: 429, retry_after: Some(3), after_work: false });
        assert_eq!(set.decide("GET", "/v2/p/apigw/certificates").action, None);
        assert_eq!(set.decide("POST", "/v2/p/apigw/other").action, None);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates").action, want);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates").action, want);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates").action, None);
        assert!(set.rules.is_empty());
    }

    #[test]
    fn probability_zero_never_fires_one_always_and_latency_adds_up() {
        let mut set = FaultSet::new(7);
        set.add(rule(serde_json::json!({"latency_ms": 5})));
        set.add(rule(serde_json::json!({"status": 500, "probability": 0.0})));
        set.add(rule(serde_json::json!({"latency_ms": 7, "drop_connection": true, "probability": 1.0})));
        for _ in 0..20 {
            let d = set.decide("GET", "/");
            assert_eq!(
                d,
                Decision {
                    latency: Duration::from_millis(12),
                    latency_after_work: Duration::ZERO,
                    action: Some(Action::Drop)
                }
            );
            assert_eq!(d.describe().as_deref(), Some("latency 12 ms; drop"));
        }
    }

    #[test]
    fn after_work_latency_delays_the_answer_not_the_work() {
        let mut set = FaultSet::new(1);
        set.add(rule(serde_json::json!({"latency_ms": 3000, "after_work": true, "method": "POST"})));
        set.add(rule(serde_json::json!({"latency_ms": 5})));
        let d = set.decide("POST", "/v2/p/apigw/certificates");
        assert_eq!((d.latency, d.latency_after_work), (Duration::from_millis(5), Duration::from_secs(3)));
        assert_eq!(d.describe().as_deref(), Some("latency 5 ms; latency 3000 ms after work"));
        assert_eq!(d.kinds(), ["latency"]);
        assert_eq!(set.decide("GET", "/x").latency_after_work, Duration::ZERO);
    }

    #[test]
    fn after_work_is_carried_in_the_decision() {
        let mut set = FaultSet::new(0);
        set.add(rule(serde_json::json!({"status": 503, "after_work": true, "count": 1})));
        let d = set.decide("POST", "/v2/p/apigw/certificates");
        assert_eq!(d.action, Some(Action::Status { status: 503, retry_after: None, after_work: true }));
        assert_eq!(d.describe().as_deref(), Some("status 503 after work"));
        assert_eq!(d.kinds(), ["status_after_work"]);
        assert_eq!(set.decide("POST", "/v2/p/apigw/certificates").describe(), None);
    }

    /// Which of `n` requests a fault set answers with an injected fault.
    fn firing(set: &mut FaultSet, n: usize) -> Vec<bool> {
        (0..n).map(|_| set.decide("GET", "/v2/p/apigw/certificates").action.is_some()).collect()
    }

    #[test]
    fn same_seed_same_decisions_other_seed_other_decisions() {
        let make = |seed: u64| {
            let mut set = FaultSet::new(seed);
            set.add(rule(serde_json::json!({"status": 503, "probability": 0.5})));
            set.add(rule(serde_json::json!({"drop_connection": true, "probability": 0.3})));
            set
        };
        let a = firing(&mut make(42), 200);
        assert_eq!(a, firing(&mut make(42), 200));
        assert_ne!(a, firing(&mut make(43), 200));
        // About half fire (0.5 + 0.5 × 0.3 = 0.65), so the rolls are real.
        let fired = a.iter().filter(|f| **f).count();
        assert!((90..=170).contains(&fired), "{fired}");
    }

    #[test]
    fn a_rule_with_its_own_seed_ignores_the_set_seed_and_other_rules() {
        let make = |set_seed: u64, other_rule: bool| {
            let mut set = FaultSet::new(set_seed);
            if other_rule {
                // Rolls on the set's generator for every request.
                set.add(rule(serde_json::json!({"latency_ms": 0, "probability": 0.5, "path": "/nothing"})));
                set.add(rule(serde_json::json!({"latency_ms": 1, "probability": 0.5})));
            }
            set.add(rule(serde_json::json!({"status": 429, "probability": 0.4, "seed": 9})));
            set
        };
        let statuses = |set: &mut FaultSet| {
            (0..100).map(|_| matches!(set.decide("GET", "/x").action, Some(Action::Status { .. }))).collect::<Vec<_>>()
        };
        let a = statuses(&mut make(1, false));
        assert_eq!(a, statuses(&mut make(2, true)));
        let mut other = FaultSet::new(1);
        other.add(rule(serde_json::json!({"status": 429, "probability": 0.4, "seed": 10})));
        assert_ne!(a, statuses(&mut other));
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
            serde_json::json!({"drop_connection": true, "after_work": true}),
            serde_json::json!({"status": 500, "seed": 3}),
        ] {
            let r: FaultRule = serde_json::from_value(bad.clone()).unwrap();
            assert!(r.validate().is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<FaultRule>(serde_json::json!({"stauts": 500})).is_err());
        for ok in [502, 504] {
            rule(serde_json::json!({"status": ok, "after_work": true, "probability": 0.1, "seed": 5}));
        }
    }
}
