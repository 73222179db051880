//! The log behind `GET /_sim/requests`: method, path, query, status and time of each API request
//! (never headers or bodies). Admin requests are not logged.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use super::Sim;
use super::clock::rfc3339_micros;

#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub seq: u64,
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// None when no answer was sent (connection dropped).
    pub status: Option<u16>,
    pub dropped: bool,
    pub time: String,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    next_seq: u64,
    pub entries: Vec<LoggedRequest>,
}

impl RequestLog {
    fn start(&mut self, method: &str, path: &str, query: Option<&str>, time: String) -> LoggedRequest {
        self.next_seq += 1;
        LoggedRequest {
            seq: self.next_seq,
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_string),
            status: None,
            dropped: false,
            time,
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// A request's entry until it is answered. Dropping it unanswered logs the request as dropped.
#[derive(Clone)]
pub struct PendingEntry {
    entry: Arc<Mutex<Option<LoggedRequest>>>,
    sim: Sim,
}

impl PendingEntry {
    pub fn finish(&self, status: Option<u16>) {
        let taken = self.entry.lock().ok().and_then(|mut e| e.take());
        if let Some(mut entry) = taken {
            entry.dropped = status.is_none();
            entry.status = status;
            self.sim.log().entries.push(entry);
        }
    }
}

struct FinishOnDrop(PendingEntry);

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        self.0.finish(None);
    }
}

pub async fn record(State(sim): State<Sim>, mut req: Request, next: Next) -> Response {
    let time = rfc3339_micros(sim.now());
    let entry = sim.log().start(req.method().as_str(), req.uri().path(), req.uri().query(), time);
    let pending = PendingEntry { entry: Arc::new(Mutex::new(Some(entry))), sim: sim.clone() };
    req.extensions_mut().insert(pending.clone());
    let guard = FinishOnDrop(pending);
    let resp = next.run(req).await;
    guard.0.finish(Some(resp.status().as_u16()));
    resp
}
