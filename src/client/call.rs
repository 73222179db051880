//! Per-call context: cancellation (Terraform's Stop) and the deadline from `timeouts {}`.

use std::future::Future;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::error::ApiError;

/// Every API call takes one. `Default` is "never cancelled, no deadline".
#[derive(Debug, Clone, Default)]
pub struct CallContext {
    pub cancel: CancellationToken,
    pub deadline: Option<Instant>,
}

impl CallContext {
    pub fn new(cancel: CancellationToken, deadline: Option<Instant>) -> Self {
        CallContext { cancel, deadline }
    }

    /// Runs `fut` unless the call is cancelled or its deadline passes first; then `fut` is dropped
    /// (closing its connection) and `Cancelled` / `DeadlineExceeded` is returned.
    pub async fn run<T>(&self, fut: impl Future<Output = T>) -> Result<T, ApiError> {
        if self.cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        let deadline = async {
            match self.deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => Err(ApiError::Cancelled),
            _ = deadline => Err(ApiError::DeadlineExceeded { last_error: None }),
            out = fut => Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn runs_to_completion_without_cancel_or_deadline() {
        assert_eq!(CallContext::default().run(async { 7 }).await.unwrap(), 7);
    }

    #[tokio::test]
    async fn an_already_cancelled_call_does_not_start() {
        let call = CallContext::default();
        call.cancel.cancel();
        let started = std::sync::atomic::AtomicBool::new(false);
        let r = call.run(async { started.store(true, std::sync::atomic::Ordering::SeqCst) }).await;
        assert!(r.unwrap_err().is_cancelled());
        assert!(!started.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[tokio::test]
    async fn deadline_interrupts_a_pending_future() {
        let call = CallContext::new(CancellationToken::new(), Some(Instant::now() + Duration::from_millis(10)));
        let r = call.run(std::future::pending::<()>()).await;
        assert!(r.unwrap_err().is_deadline_exceeded());
    }

    #[tokio::test]
    async fn cancel_interrupts_a_pending_future() {
        let call = CallContext::default();
        let c = call.cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            c.cancel();
        });
        assert!(call.run(std::future::pending::<()>()).await.unwrap_err().is_cancelled());
    }
}
