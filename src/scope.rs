//! One cancellation-and-deadline type for an operation, shared by the engine and the API client.
//!
//! Terraform's Stop (Ctrl-C) and the resource's `timeouts {}` are two different ends of an
//! operation and are reported differently: a timeout names the `timeouts` argument to raise, a Stop
//! says the run was interrupted. Both used to be folded into one cancel token (the engine fired it
//! at the deadline while the client watched the deadline too), so task scheduling decided which
//! message the user saw. Here the Stop token only ever means Stop, the deadline is checked in the
//! same `select!` (Stop first), and [`Interrupted`] says which one ended the wait.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// When an operation must be done, and what set that bound (for the message that names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub at: Instant,
    /// The configured (or default) duration the deadline was computed from.
    pub timeout: Duration,
    /// The `timeouts {}` argument that bounds it: `create`, `read`, `update` or `delete`.
    pub operation: &'static str,
}

/// Why a wait ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// Terraform asked the provider to stop.
    Stopped,
    /// The operation's deadline passed.
    TimedOut(Deadline),
}

/// Stop token plus optional deadline of one operation. Cheap to clone; clones share the token.
/// `Default` is "never stopped, no deadline".
#[derive(Debug, Clone, Default)]
pub struct OperationScope {
    stop: CancellationToken,
    deadline: Option<Deadline>,
}

impl OperationScope {
    /// A scope ended by `stop` or by `deadline`.
    pub fn new(stop: CancellationToken, deadline: Option<Deadline>) -> Self {
        OperationScope { stop, deadline }
    }

    /// The scope of one Terraform operation: a child of the provider's Stop token (so finishing
    /// this operation never stops others) bounded by `timeout` when the resource declares one.
    pub fn for_operation(stop: &CancellationToken, operation: &'static str, timeout: Option<Duration>) -> Self {
        let deadline =
            timeout.and_then(|t| Some(Deadline { at: Instant::now().checked_add(t)?, timeout: t, operation }));
        OperationScope { stop: stop.child_token(), deadline }
    }

    /// A scope that ends at `at` (tests and callers without a `timeouts {}` argument).
    pub fn until(stop: CancellationToken, at: Option<Instant>) -> Self {
        let deadline =
            at.map(|at| Deadline { at, timeout: at.saturating_duration_since(Instant::now()), operation: "operation" });
        OperationScope { stop, deadline }
    }

    /// A scope that is not ended by this one's Stop, for the short clean-up that must still run after
    /// one (finding an object a stopped create may have made): it ends after `grace`, or at this
    /// scope's deadline if that comes first.
    pub fn grace_after_stop(&self, grace: Duration) -> OperationScope {
        let own = Instant::now() + grace;
        let deadline = match self.deadline {
            Some(d) if d.at <= own => d,
            _ => Deadline { at: own, timeout: grace, operation: self.deadline.map_or("operation", |d| d.operation) },
        };
        OperationScope { stop: CancellationToken::new(), deadline: Some(deadline) }
    }

    /// The Stop token (tests trigger it; the engine's is the provider's).
    pub fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.deadline
    }

    pub fn is_stopped(&self) -> bool {
        self.stop.is_cancelled()
    }

    /// Whether the scope has ended, Stop taking precedence over a passed deadline.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.stop.is_cancelled() {
            return Err(Interrupted::Stopped);
        }
        match self.deadline {
            Some(d) if Instant::now() >= d.at => Err(Interrupted::TimedOut(d)),
            _ => Ok(()),
        }
    }

    /// Resolves when the scope ends.
    pub async fn ended(&self) -> Interrupted {
        let deadline = async {
            match self.deadline {
                Some(d) => {
                    tokio::time::sleep_until(d.at).await;
                    d
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            _ = self.stop.cancelled() => Interrupted::Stopped,
            d = deadline => Interrupted::TimedOut(d),
        }
    }

    /// Runs `fut` unless the scope ends first; then `fut` is dropped (closing its connection).
    pub async fn run<T>(&self, fut: impl Future<Output = T>) -> Result<T, Interrupted> {
        self.check()?;
        tokio::select! {
            biased;
            why = self.ended() => Err(why),
            out = fut => Ok(out),
        }
    }
}

/// Renders a duration the way users write it ("20m", "1h30m", "45s").
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(Duration::from_secs(1200)), "20m");
        assert_eq!(format_duration(Duration::from_secs(5430)), "1h30m30s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
    }

    #[tokio::test]
    async fn runs_to_completion_without_stop_or_deadline() {
        assert_eq!(OperationScope::default().run(async { 7 }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_stopped_scope_does_not_start_the_work() {
        let scope = OperationScope::default();
        scope.stop_token().cancel();
        let started = std::sync::atomic::AtomicBool::new(false);
        let r = scope.run(async { started.store(true, std::sync::atomic::Ordering::SeqCst) }).await;
        assert_eq!(r, Err(Interrupted::Stopped));
        assert!(!started.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_a_pending_future_as_a_timeout_naming_the_operation() {
        let scope = OperationScope::for_operation(&CancellationToken::new(), "create", Some(Duration::from_secs(10)));
        match scope.run(std::future::pending::<()>()).await {
            Err(Interrupted::TimedOut(d)) => {
                assert_eq!((d.operation, d.timeout), ("create", Duration::from_secs(10)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn stop_wins_over_a_passed_deadline_and_a_deadline_never_looks_like_stop() {
        let stop = CancellationToken::new();
        let scope = OperationScope::for_operation(&stop, "update", Some(Duration::from_secs(1)));
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(matches!(scope.check(), Err(Interrupted::TimedOut(_))));
        assert!(!stop.is_cancelled(), "a timeout does not stop anything else");
        stop.cancel();
        assert_eq!(scope.check(), Err(Interrupted::Stopped));
        assert_eq!(scope.run(async {}).await, Err(Interrupted::Stopped));
    }

    #[tokio::test]
    async fn stop_reaches_operation_scopes_but_not_the_other_way_round() {
        let stop = CancellationToken::new();
        let a = OperationScope::for_operation(&stop, "read", None);
        a.stop_token().cancel();
        assert!(!stop.is_cancelled());
        let b = OperationScope::for_operation(&stop, "read", None);
        stop.cancel();
        assert_eq!(b.ended().await, Interrupted::Stopped);
    }

    #[tokio::test(start_paused = true)]
    async fn the_grace_scope_survives_stop_and_keeps_the_earlier_deadline() {
        let stop = CancellationToken::new();
        let scope = OperationScope::for_operation(&stop, "create", Some(Duration::from_secs(60)));
        stop.cancel();
        let grace = scope.grace_after_stop(Duration::from_secs(5));
        assert_eq!(grace.check(), Ok(()));
        assert_eq!(grace.deadline().map(|d| d.timeout), Some(Duration::from_secs(5)));
        let near = OperationScope::for_operation(&CancellationToken::new(), "create", Some(Duration::from_secs(1)));
        assert_eq!(near.grace_after_stop(Duration::from_secs(5)).deadline(), near.deadline());
    }
}
