//! Builds the [`Context`] of one operation: a cancel token that fires when Terraform calls Stop or
//! when the operation's timeout passes, so a resource only ever watches `ctx.cancel`.

use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::protocol::{AttributePath, Diagnostic};

use super::timeouts::{Operation, TIMEOUTS_BLOCK, format_duration};
use super::traits::{Context, ProviderData};

/// A context plus the guard that ends its timer task when the operation finishes.
pub(crate) struct OperationContext {
    pub ctx: Context,
    stop: CancellationToken,
    timeout: Option<Duration>,
    _done: DropGuard,
}

impl OperationContext {
    /// When the operation ran out of time (and was not stopped by the user): an error that says
    /// which timeout to raise. Added beside whatever the resource reported about the cancellation.
    pub(crate) fn timed_out(&self, op: Operation) -> Option<Diagnostic> {
        let (deadline, timeout) = (self.ctx.deadline?, self.timeout?);
        if self.stop.is_cancelled() || Instant::now() < deadline {
            return None;
        }
        Some(
            Diagnostic::error(
                "Operation timed out",
                format!(
                    "The {} operation did not finish within {}. If it needs longer, raise `{} {{ {} = \"...\" }}` \
                     in this resource (e.g. \"30m\") and run the command again.",
                    op.name(),
                    format_duration(timeout),
                    TIMEOUTS_BLOCK,
                    op.name()
                ),
            )
            .with_attribute(AttributePath::attr(TIMEOUTS_BLOCK).push_attr(op.name())),
        )
    }
}

pub(crate) fn operation_context(
    stop: &CancellationToken,
    timeout: Option<Duration>,
    provider_data: Option<ProviderData>,
) -> OperationContext {
    let cancel = stop.child_token();
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    if let Some(deadline) = deadline {
        let token = cancel.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => {
                    tracing::debug!("operation deadline passed; cancelling");
                    token.cancel();
                }
                _ = token.cancelled() => {}
            }
        });
    }
    // Cancelling the child when the operation ends stops the timer task; the parent is untouched.
    let done = cancel.clone().drop_guard();
    OperationContext { ctx: Context { cancel, deadline, provider_data }, stop: stop.clone(), timeout, _done: done }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stop_reaches_the_context() {
        let stop = CancellationToken::new();
        let op = operation_context(&stop, None, None);
        assert!(op.ctx.deadline.is_none());
        assert!(!op.ctx.cancel.is_cancelled());
        stop.cancel();
        op.ctx.cancel.cancelled().await;
    }

    #[tokio::test]
    async fn deadline_cancels_without_touching_stop() {
        let stop = CancellationToken::new();
        let op = operation_context(&stop, Some(Duration::from_millis(20)), None);
        assert!(op.ctx.deadline.is_some());
        op.ctx.cancel.cancelled().await;
        assert!(!stop.is_cancelled());
        let d = op.timed_out(Operation::Create).expect("a timeout diagnostic");
        assert_eq!(d.attribute, Some(AttributePath::attr("timeouts").push_attr("create")));
        assert!(d.detail.contains("20ms"), "{}", d.detail);
    }

    #[tokio::test]
    async fn no_timeout_diagnostic_before_the_deadline_or_after_stop() {
        let stop = CancellationToken::new();
        let op = operation_context(&stop, Some(Duration::from_secs(3600)), None);
        assert!(op.timed_out(Operation::Update).is_none());
        let op = operation_context(&stop, Some(Duration::ZERO), None);
        stop.cancel();
        assert!(op.timed_out(Operation::Update).is_none(), "Stop is not a timeout");
    }

    #[tokio::test]
    async fn finishing_the_operation_cancels_only_its_token() {
        let stop = CancellationToken::new();
        let op = operation_context(&stop, Some(Duration::from_secs(3600)), None);
        let token = op.ctx.cancel.clone();
        drop(op);
        assert!(token.is_cancelled());
        assert!(!stop.is_cancelled());
    }
}
