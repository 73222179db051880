//! Builds the [`Context`] of one operation, whose [`OperationScope`] ends on Terraform's Stop or at
//! the operation's timeout, and turns an ended scope into the diagnostic that says which one it was.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::protocol::{AttributePath, Diagnostic};
use crate::scope::{Interrupted, OperationScope, format_duration};

use super::timeouts::TIMEOUTS_BLOCK;
use super::traits::{Context, ProviderData};

/// The context of one operation: a child of the provider's Stop token, bounded by `timeout`.
/// `operation` names the `timeouts {}` argument that bounds it (`create`, `read`, ...).
pub(crate) fn operation_context(
    stop: &CancellationToken,
    operation: &'static str,
    timeout: Option<Duration>,
    provider_data: Option<ProviderData>,
) -> Context {
    Context { scope: OperationScope::for_operation(stop, operation, timeout), provider_data }
}

/// The diagnostic for an operation that ended early. A timeout names the `timeouts` argument to
/// raise (and sits on it); a Stop says the run was interrupted. `last_error` is what the last
/// attempt saw, if anything.
pub fn interrupted_diagnostic(summary: &str, why: &Interrupted, last_error: Option<&str>) -> Diagnostic {
    let last = last_error.map(|e| format!(" The last error was: {e}.")).unwrap_or_default();
    match why {
        Interrupted::TimedOut(d) => Diagnostic::error(
            format!("{summary}: timed out"),
            format!(
                "The {op} operation did not finish within {within}.{last} If it needs longer, raise \
                 `{TIMEOUTS_BLOCK} {{ {op} = \"...\" }}` in this resource (e.g. \"30m\") and run the command again.",
                op = d.operation,
                within = format_duration(d.timeout),
            ),
        )
        .with_attribute(AttributePath::attr(TIMEOUTS_BLOCK).push_attr(d.operation)),
        Interrupted::Stopped => Diagnostic::error(
            format!("{summary}: interrupted"),
            format!(
                "Terraform asked the provider to stop (Ctrl-C, or the run was cancelled) before the operation \
                 finished, so it was abandoned.{last} Run the command again to finish it; `terraform plan` shows \
                 what is left to do."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stop_reaches_the_context_and_a_timeout_does_not_stop_anything() {
        let stop = CancellationToken::new();
        let ctx = operation_context(&stop, "read", None, None);
        assert!(ctx.scope.deadline().is_none());
        stop.cancel();
        assert_eq!(ctx.scope.ended().await, Interrupted::Stopped);

        let stop = CancellationToken::new();
        let ctx = operation_context(&stop, "create", Some(Duration::from_millis(20)), None);
        assert!(matches!(ctx.scope.ended().await, Interrupted::TimedOut(d) if d.operation == "create"));
        assert!(!stop.is_cancelled());
    }

    #[test]
    fn a_timeout_names_the_argument_and_the_last_error_a_stop_does_not_blame_the_timeout() {
        let deadline = crate::scope::Deadline {
            at: tokio::time::Instant::now(),
            timeout: Duration::from_secs(20),
            operation: "update",
        };
        let d =
            interrupted_diagnostic("Cannot update the certificate", &Interrupted::TimedOut(deadline), Some("HTTP 503"));
        assert_eq!(d.summary, "Cannot update the certificate: timed out");
        assert_eq!(d.attribute, Some(AttributePath::attr("timeouts").push_attr("update")));
        assert!(d.detail.contains("within 20s") && d.detail.contains("HTTP 503"), "{}", d.detail);
        assert!(d.detail.contains("timeouts { update = \"...\" }"), "{}", d.detail);

        let d = interrupted_diagnostic("Cannot update the certificate", &Interrupted::Stopped, None);
        assert_eq!(d.summary, "Cannot update the certificate: interrupted");
        assert!(d.attribute.is_none());
        assert!(!d.detail.contains("timeouts"), "{}", d.detail);
    }
}
