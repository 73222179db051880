//! Behaviours of the live service that are not per-request faults (`GET/PUT /_sim/behaviour`,
//! `--read-lag-ms`, `--write-conflict-window-ms`; both 0 = off):
//!
//! - read lag: a certificate younger than `read_lag_ms` (since it was created, by
//!   `POST .../certificates` or by add-certificate-to-domain) answers 404 APIG.3021 to
//!   `GET .../certificates/{id}` and `GET .../domains/{d}/certificate/{id}`, and is missing from
//!   `GET .../certificates`. Writes to it work; `/_sim/state` shows it.
//! - write conflicts: a write to a certificate is in progress from its arrival until
//!   `write_conflict_window_ms` after its answer; another write to the same certificate (same
//!   service and project) arriving in that span gets 400 APIG.3500 and does nothing (nor extends
//!   the span). Writes: PUT/DELETE `certificates/{id}`, POST `certificates/{id}/domains/attach|detach`,
//!   POST `.../domains/{d}/certificates/attach|detach` (the IDs in `certificate_ids`) and DELETE
//!   `.../domains/{d}/certificate/{id}`. With a window of 0 only truly concurrent writes conflict.
//!
//! Ages and spans are measured on the monotonic clock (`Instant`), not the simulator's date clock,
//! so a fixed test clock does not freeze them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::Sim;
use super::errors::ApiError;
use super::request_log::PendingEntry;
use crate::client::models::Service;

/// The settings of `GET/PUT /_sim/behaviour`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    #[serde(default)]
    pub read_lag_ms: u64,
    #[serde(default)]
    pub write_conflict_window_ms: u64,
}

/// Body of `PUT /_sim/behaviour`: fields left out keep their value.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourUpdate {
    pub read_lag_ms: Option<u64>,
    pub write_conflict_window_ms: Option<u64>,
}

impl Behaviour {
    pub fn apply(&mut self, update: BehaviourUpdate) {
        if let Some(v) = update.read_lag_ms {
            self.read_lag_ms = v;
        }
        if let Some(v) = update.write_conflict_window_ms {
            self.write_conflict_window_ms = v;
        }
    }

    /// Whether an object created at `born` is still hidden from reads at `now`.
    pub fn hides(&self, born: Instant, now: Instant) -> bool {
        self.read_lag_ms > 0 && now.saturating_duration_since(born) < Duration::from_millis(self.read_lag_ms)
    }
}

/// One certificate of one project of one service.
pub type CertKey = (Service, String, String);

#[derive(Debug, Clone, Copy)]
enum Busy {
    InFlight,
    /// Answered at this instant; busy while within the window (the window in force at the time
    /// of the check, so changing it takes effect at once).
    Answered(Instant),
}

/// Certificates with a write in progress.
#[derive(Debug, Default)]
pub struct WriteTracker {
    busy: HashMap<CertKey, Busy>,
}

impl WriteTracker {
    /// Starts a write to every key, or none when one of them is busy (then false).
    pub fn try_begin(&mut self, keys: &[CertKey], now: Instant, window: Duration) -> bool {
        self.busy.retain(|_, b| match b {
            Busy::InFlight => true,
            Busy::Answered(at) => now.saturating_duration_since(*at) < window,
        });
        if keys.iter().any(|k| self.busy.contains_key(k)) {
            return false;
        }
        for k in keys {
            self.busy.insert(k.clone(), Busy::InFlight);
        }
        true
    }

    /// The write to `keys` was answered at `now`.
    pub fn end(&mut self, keys: &[CertKey], now: Instant) {
        for k in keys {
            self.busy.insert(k.clone(), Busy::Answered(now));
        }
    }
}

/// Which certificates a request writes: the one its path names, or the `certificate_ids` of its
/// body (domain-side attach/detach).
enum Target {
    None,
    Path(Service, String, String),
    Body(Service, String),
}

fn decoded(seg: &str) -> String {
    percent_encoding::percent_decode_str(seg).decode_utf8_lossy().into_owned()
}

fn service(seg: &str) -> Option<Service> {
    match seg {
        "apigw" => Some(Service::Apig),
        "apic" => Some(Service::Roma),
        _ => None,
    }
}

fn target(method: &Method, path: &str) -> Target {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (project, svc, rest) = match segs.as_slice() {
        ["v2", project, svc, rest @ ..] => match service(svc) {
            Some(s) => (decoded(project), s, rest),
            None => return Target::None,
        },
        _ => return Target::None,
    };
    let write = |m: &Method| m == Method::PUT || m == Method::DELETE;
    match rest {
        ["certificates", id] if write(method) => Target::Path(svc, project, decoded(id)),
        ["certificates", id, "domains", "attach" | "detach"] if method == Method::POST => {
            Target::Path(svc, project, decoded(id))
        }
        ["instances", _, "api-groups", _, "domains", _, "certificates", "attach" | "detach"]
            if method == Method::POST =>
        {
            Target::Body(svc, project)
        }
        ["instances", _, "api-groups", _, "domains", _, "certificate", id] if method == Method::DELETE => {
            Target::Path(svc, project, decoded(id))
        }
        _ => Target::None,
    }
}

/// Bodies up to this size are read to find `certificate_ids`.
const MAX_BODY: usize = 12 * 1024 * 1024;

fn conflict() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "APIG.3500",
        "Failed to synchronize the data to etcd: a concurrent update of the same certificate is in progress. \
         Please try again later",
    )
}

/// Ends the write when the answer is ready, or when the request is abandoned.
struct WriteGuard {
    sim: Sim,
    keys: Vec<CertKey>,
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        self.sim.writes().end(&self.keys, Instant::now());
    }
}

/// Middleware (inside auth): refuses a write to a certificate that another write holds.
pub async fn serialize_writes(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let (keys, req) = match target(req.method(), req.uri().path()) {
        Target::None => return next.run(req).await,
        Target::Path(svc, project, id) => (vec![(svc, project, id)], req),
        Target::Body(svc, project) => {
            let (parts, body) = req.into_parts();
            let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
                return ApiError::parameter_error("The request body is too large").into_response();
            };
            let ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v.get("certificate_ids").and_then(|ids| ids.as_array().cloned()))
                .unwrap_or_default()
                .iter()
                .filter_map(|id| id.as_str().map(str::to_string))
                .collect();
            let keys = ids.into_iter().map(|id| (svc, project.clone(), id)).collect();
            (keys, Request::from_parts(parts, Body::from(bytes)))
        }
    };
    if keys.is_empty() {
        return next.run(req).await;
    }
    let window = Duration::from_millis(sim.behaviour().write_conflict_window_ms);
    if !sim.writes().try_begin(&keys, Instant::now(), window) {
        if let Some(p) = req.extensions().get::<PendingEntry>() {
            p.note_fault("conflict", &["conflict"]);
        }
        tracing::info!(?keys, "overlapping write to a certificate refused (APIG.3500)");
        return conflict().into_response();
    }
    let _guard = WriteGuard { sim: sim.clone(), keys };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> CertKey {
        (Service::Apig, "p".into(), id.into())
    }

    #[test]
    fn a_write_holds_its_certificate_until_the_window_after_its_answer() {
        let mut t = WriteTracker::default();
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let w = ms(100);
        assert!(t.try_begin(&[key("a")], t0, w));
        assert!(!t.try_begin(&[key("a")], t0 + ms(1), w), "in flight");
        assert!(!t.try_begin(&[key("a")], t0 + ms(1), Duration::ZERO), "in flight, even without a window");
        assert!(t.try_begin(&[key("b")], t0 + ms(1), w), "another certificate is free");
        assert!(!t.try_begin(&[key("c"), key("b")], t0 + ms(2), w), "all or nothing");
        assert!(t.try_begin(&[key("c")], t0 + ms(2), w), "c was not taken by the refused write");
        t.end(&[key("a")], t0 + ms(10));
        assert!(!t.try_begin(&[key("a")], t0 + ms(109), w), "inside the window");
        assert!(t.try_begin(&[key("a")], t0 + ms(110), w), "after the window");
        // Same certificate ID in another service or project is another certificate.
        assert!(t.try_begin(&[(Service::Roma, "p".into(), "a".into())], t0 + ms(111), w));
        assert!(t.try_begin(&[(Service::Apig, "q".into(), "a".into())], t0 + ms(111), w));
        // A window of 0: free again as soon as answered; a shorter window applies at once.
        t.end(&[key("b")], t0 + ms(120));
        assert!(!t.try_begin(&[key("b")], t0 + ms(120), w));
        assert!(t.try_begin(&[key("b")], t0 + ms(120), Duration::ZERO));
    }

    #[test]
    fn writes_are_recognised_by_method_and_path() {
        let is = |m: Method, p: &str| match target(&m, p) {
            Target::None => "none".to_string(),
            Target::Path(s, project, id) => format!("{}:{project}:{id}", s.as_str()),
            Target::Body(s, project) => format!("{}:{project}:body", s.as_str()),
        };
        assert_eq!(is(Method::PUT, "/v2/p/apigw/certificates/c1"), "apig:p:c1");
        assert_eq!(is(Method::DELETE, "/v2/p/apic/certificates/a%2Fb"), "roma:p:a/b");
        assert_eq!(is(Method::GET, "/v2/p/apigw/certificates/c1"), "none");
        assert_eq!(is(Method::POST, "/v2/p/apigw/certificates"), "none");
        assert_eq!(is(Method::POST, "/v2/p/apigw/certificates/c1/domains/detach"), "apig:p:c1");
        assert_eq!(is(Method::GET, "/v2/p/apigw/certificates/c1/attached-domains"), "none");
        let domain = "/v2/p/apigw/instances/i/api-groups/g/domains/d";
        assert_eq!(is(Method::POST, &format!("{domain}/certificates/attach")), "apig:p:body");
        assert_eq!(is(Method::DELETE, &format!("{domain}/certificate/c2")), "apig:p:c2");
        assert_eq!(is(Method::GET, &format!("{domain}/certificate/c2")), "none");
        assert_eq!(is(Method::POST, &format!("{domain}/certificate")), "none");
        assert_eq!(is(Method::PUT, "/v2/p/other/certificates/c1"), "none");
    }

    #[test]
    fn read_lag_hides_young_objects_only() {
        let t0 = Instant::now();
        let lag = Behaviour { read_lag_ms: 300, write_conflict_window_ms: 0 };
        assert!(lag.hides(t0, t0 + Duration::from_millis(299)));
        assert!(!lag.hides(t0, t0 + Duration::from_millis(300)));
        assert!(!Behaviour::default().hides(t0, t0));
        let mut b = Behaviour::default();
        b.apply(BehaviourUpdate { write_conflict_window_ms: Some(5), read_lag_ms: None });
        assert_eq!(b, Behaviour { read_lag_ms: 0, write_conflict_window_ms: 5 });
    }
}
