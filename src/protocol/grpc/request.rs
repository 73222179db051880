//! What every RPC handler shares: a per-request id, the tracing span Terraform's log lines are
//! tagged with, and the cancellation that `Stop` (or shutdown) fires.

use std::sync::{Mutex, PoisonError};

use tokio_util::sync::CancellationToken;

/// Hands out cancellation tokens for requests. `Stop` cancels every token handed out so far and
/// installs a fresh one, so the server keeps answering later requests normally.
#[derive(Debug)]
pub(crate) struct StopSwitch {
    /// Fires when the whole server shuts down; every request token is a child of it.
    shutdown: CancellationToken,
    current: Mutex<CancellationToken>,
}

impl StopSwitch {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        let current = Mutex::new(shutdown.child_token());
        StopSwitch { shutdown, current }
    }

    /// The token for a request starting now.
    pub(crate) fn token(&self) -> CancellationToken {
        self.current.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Cancels all in-flight requests; requests arriving afterwards get a fresh token.
    pub(crate) fn stop(&self) {
        let fresh = self.shutdown.child_token();
        let previous = std::mem::replace(&mut *self.current.lock().unwrap_or_else(PoisonError::into_inner), fresh);
        previous.cancel();
    }
}

/// A fresh random id in UUID v4 text form, to correlate the log lines of one request.
pub(crate) fn new_request_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The span around one RPC. Created at ERROR level so its fields tag every line logged inside it,
/// whatever level the user enabled.
pub(crate) fn rpc_span(rpc: &'static str, resource_type: Option<&str>) -> tracing::Span {
    let span = tracing::error_span!(
        "rpc",
        tf_rpc = rpc,
        tf_req_id = %new_request_id(),
        tf_resource_type = tracing::field::Empty
    );
    if let Some(resource_type) = resource_type.filter(|t| !t.is_empty()) {
        span.record("tf_resource_type", resource_type);
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_cancels_in_flight_tokens_and_later_requests_get_a_live_one() {
        let switch = StopSwitch::new(CancellationToken::new());
        let first = switch.token();
        let second = switch.token();
        switch.stop();
        assert!(first.is_cancelled() && second.is_cancelled());
        let later = switch.token();
        assert!(!later.is_cancelled());
        switch.stop();
        assert!(later.is_cancelled());
    }

    #[test]
    fn shutdown_cancels_every_request_token() {
        let shutdown = CancellationToken::new();
        let switch = StopSwitch::new(shutdown.clone());
        let token = switch.token();
        switch.stop();
        let after_stop = switch.token();
        shutdown.cancel();
        assert!(token.is_cancelled() && after_stop.is_cancelled());
    }

    #[test]
    fn request_ids_are_uuid_shaped_and_distinct() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert_eq!(a.as_bytes()[14], b'4', "version nibble");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
