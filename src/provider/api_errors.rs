//! API errors as diagnostics: the summary names what failed, the detail carries the service's
//! error (code, message, request ID, call; never a body that could hold a key) and what to do.
//! An operation that ran out of time or was stopped says so (naming the `timeouts` argument and the
//! last API error), whichever layer noticed first.

use crate::client::{ApiError, CallContext};
use crate::engine::{Context, interrupted_diagnostic};
use crate::protocol::Diagnostic;
use crate::scope::Interrupted;

pub fn api_error(summary: impl Into<String>, e: &ApiError) -> Diagnostic {
    let summary = summary.into();
    match e {
        ApiError::DeadlineExceeded { deadline, last_error } => interrupted_diagnostic(
            &summary,
            &Interrupted::TimedOut(*deadline),
            last_error.as_ref().map(|e| e.to_string()).as_deref(),
        ),
        ApiError::Cancelled => interrupted_diagnostic(&summary, &Interrupted::Stopped, None),
        _ => Diagnostic::error(summary, format!("{e}. {}", e.hint())),
    }
}

/// The client's view of an operation's context: the same scope (Stop, `timeouts {}` deadline).
pub fn call_context(ctx: &Context) -> CallContext {
    ctx.scope.clone()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::protocol::AttributePath;
    use crate::scope::Deadline;

    #[test]
    fn a_deadline_is_a_timeout_on_the_timeouts_argument_and_a_stop_an_interruption() {
        let deadline =
            Deadline { at: tokio::time::Instant::now(), timeout: Duration::from_secs(600), operation: "delete" };
        let last = ApiError::Transport {
            method: "DELETE".into(),
            path: "/v2/p/apigw/certificates/c".into(),
            message: "connection reset".into(),
            before_send: false,
            timed_out: false,
        };
        let d = api_error(
            "Cannot delete the certificate",
            &ApiError::DeadlineExceeded { deadline, last_error: Some(Box::new(last)) },
        );
        assert_eq!(d.summary, "Cannot delete the certificate: timed out");
        assert_eq!(d.attribute, Some(AttributePath::attr("timeouts").push_attr("delete")));
        assert!(d.detail.contains("10m") && d.detail.contains("connection reset"), "{}", d.detail);

        let d = api_error("Cannot delete the certificate", &ApiError::Cancelled);
        assert_eq!(d.summary, "Cannot delete the certificate: interrupted");
    }
}
