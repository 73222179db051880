//! The log behind `GET /_sim/requests`: method, path, query, status, time and the injected fault
//! (if any) of each API request (never headers or bodies). Admin requests are not logged.

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
    /// What was injected into this request: `latency 200 ms`, `status 503`, `status 503 after
    /// work`, `drop`, `conflict` (APIG.3500), `read lag` (joined by `; ` when several).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// The same as short names (`latency`, `status`, `status_after_work`, `drop`, `conflict`,
    /// `read_lag`), counted in `GET /_sim/requests`.
    #[serde(skip)]
    pub fault_kinds: Vec<&'static str>,
    pub time: String,
}

impl LoggedRequest {
    fn add_fault(&mut self, text: String, kinds: &[&'static str]) {
        self.fault = Some(match self.fault.take() {
            Some(before) => format!("{before}; {text}"),
            None => text,
        });
        self.fault_kinds.extend_from_slice(kinds);
    }
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
            fault: None,
            fault_kinds: Vec::new(),
            time,
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Requests with at least one injected fault.
    pub fn fault_count(&self) -> usize {
        self.entries.iter().filter(|e| e.fault.is_some()).count()
    }

    /// How often each kind of fault was injected.
    pub fn fault_kinds(&self) -> std::collections::BTreeMap<&'static str, u64> {
        let mut counts = std::collections::BTreeMap::new();
        for kind in self.entries.iter().flat_map(|e| &e.fault_kinds) {
            *counts.entry(*kind).or_insert(0) += 1;
        }
        counts
    }
}

/// A request's entry until it is answered. Dropping it unanswered logs the request as dropped.
#[derive(Clone)]
pub struct PendingEntry {
    entry: Arc<Mutex<Option<LoggedRequest>>>,
    sim: Sim,
}

impl PendingEntry {
    /// Records an injected fault on the request's entry (before it is answered).
    pub fn note_fault(&self, text: impl Into<String>, kinds: &[&'static str]) {
        if let Ok(mut guard) = self.entry.lock()
            && let Some(entry) = guard.as_mut()
        {
            entry.add_fault(text.into(), kinds);
        }
    }

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
