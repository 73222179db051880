//! The retry policy, in one place: which failures are retried, how long to wait (exponential
//! backoff with jitter, or the service's `Retry-After`), and the loop that never outlives the
//! call's deadline and stops at once when the call is cancelled.

use std::future::Future;
use std::time::{Duration, SystemTime};

use rand::Rng;
use tokio::time::Instant;

use super::call::CallContext;
use super::error::ApiError;
use crate::scope::Interrupted;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further retry.
    pub base_delay: Duration,
    /// Upper bound of the exponential backoff.
    pub max_delay: Duration,
    /// Upper bound of a `Retry-After` the service asks for.
    pub max_retry_after: Duration,
    /// How long a new object may take to become readable (the API's read lag): a 404 for what the
    /// provider has just written, and a look-up that does not find what an ambiguous create may
    /// have made, are tried again with backoff this long before they count.
    pub settle: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            settle: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The un-jittered backoff before retry number `retry` (1-based): `base * 2^(retry-1)`, capped.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(30));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// Backoff with jitter: uniformly in `[ceiling/2, ceiling]`, so concurrent callers spread out
    /// while the wait still grows.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let low = ceiling / 2;
        if ceiling <= low {
            return ceiling;
        }
        let nanos = rand::rng().random_range(low.as_nanos()..=ceiling.as_nanos());
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// How long to wait before retry number `retry`: the service's `Retry-After` if it gave one
    /// (capped by `max_retry_after`), else the jittered backoff.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(ra) => ra.min(self.max_retry_after),
            None => self.backoff(retry),
        }
    }
}

/// Statuses that are retried: throttling and transient server failures.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// How a failed attempt relates to retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Certainly not processed (429, APIG.3500 write conflict, connection never established):
    /// safe to re-send anything.
    Rejected,
    /// May have been processed (5xx, connection lost after sending, attempt timeout): safe to
    /// re-send an idempotent request; a create must first look for what it may have created.
    Ambiguous,
    /// Retrying will not help (4xx, decode, auth, cancelled, ...).
    Permanent,
}

pub fn classify(err: &ApiError) -> FailureKind {
    match err {
        // Another write to the object was in progress; this one was refused without effect.
        e if e.is_write_conflict() => FailureKind::Rejected,
        ApiError::Service(s) if s.status == 429 => FailureKind::Rejected,
        ApiError::Service(s) if is_retryable_status(s.status) => FailureKind::Ambiguous,
        ApiError::Transport { before_send: true, .. } => FailureKind::Rejected,
        ApiError::Transport { before_send: false, .. } => FailureKind::Ambiguous,
        _ => FailureKind::Permanent,
    }
}

/// `Retry-After`: delay in seconds, or an HTTP date (IMF-fixdate) relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = time::PrimitiveDateTime::parse(v, &fmt).ok()?.assume_utc();
    let at = SystemTime::from(at);
    // A date in the past means "now".
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// What one attempt of a call came to.
pub(crate) enum Attempt<T> {
    /// Finished (success, or a failure not worth retrying).
    Done(Result<T, ApiError>),
    /// Failed in a retryable way; the loop waits (honouring `Retry-After`) and tries again.
    Retry(ApiError),
}

impl<T> Attempt<T> {
    /// The usual mapping: retry what [`classify`] calls rejected or ambiguous.
    pub(crate) fn from_result(r: Result<T, ApiError>) -> Attempt<T> {
        match r {
            Err(e) if classify(&e) != FailureKind::Permanent => Attempt::Retry(e),
            other => Attempt::Done(other),
        }
    }
}

/// Runs `attempt` (given the 0-based attempt number) until it is done, retries are exhausted,
/// the deadline passes, or the call is stopped. A deadline that passes carries the last error.
pub(crate) async fn run<T, F, Fut>(policy: &RetryPolicy, call: &CallContext, mut attempt: F) -> Result<T, ApiError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let mut last_error: Option<ApiError> = None;
    let mut n: u32 = 0;
    let ended = |why: Interrupted, last: Option<ApiError>| match ApiError::from(why) {
        ApiError::DeadlineExceeded { deadline, .. } => {
            ApiError::DeadlineExceeded { deadline, last_error: last.map(Box::new) }
        }
        other => other,
    };
    loop {
        let outcome = match call.run(attempt(n)).await {
            Ok(o) => o,
            Err(why) => return Err(ended(why, last_error)),
        };
        let error = match outcome {
            Attempt::Done(r) => return r,
            Attempt::Retry(e) => e,
        };
        if n >= policy.max_retries {
            return Err(error);
        }
        let retry_after = error.service().and_then(|s| s.retry_after);
        let delay = policy.delay(n + 1, retry_after);
        if let Some(deadline) = call.deadline()
            && Instant::now() + delay >= deadline.at
        {
            // Waiting would outlive the deadline: report now rather than sleep in vain.
            return Err(ApiError::DeadlineExceeded { deadline, last_error: Some(Box::new(error)) });
        }
        tracing::debug!(attempt = n + 1, delay_ms = delay.as_millis() as u64, error = %error, "retrying API call");
        last_error = Some(error);
        if let Err(why) = call.run(tokio::time::sleep(delay)).await {
            return Err(ended(why, last_error));
        }
        n += 1;
    }
}

/// Tries `probe` until it gives an answer or `policy.settle` has passed since the first try (with
/// backoff between tries, never past the call's end). `None` from the probe means "not there (yet)";
/// the last `None` is returned when the time is up.
pub(crate) async fn settle<T, E, F, Fut>(policy: &RetryPolicy, call: &CallContext, mut probe: F) -> Result<Option<T>, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
    E: From<ApiError>,
{
    let until = Instant::now() + policy.settle;
    let mut n: u32 = 0;
    loop {
        if let Some(found) = probe().await? {
            return Ok(Some(found));
        }
        n += 1;
        let delay = policy.backoff(n);
        if Instant::now() + delay > until {
            return Ok(None);
        }
        tracing::debug!(attempt = n, delay_ms = delay.as_millis() as u64, "not readable yet; looking again");
        call.run(tokio::time::sleep(delay)).await.map_err(|why| E::from(ApiError::from(why)))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::error::ServiceError;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio_util::sync::CancellationToken;

    fn policy(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_retry_after: Duration::from_secs(120),
            settle: Duration::from_millis(20),
        }
    }

    fn service_error(status: u16, retry_after: Option<Duration>) -> ApiError {
        ApiError::Service(Box::new(ServiceError {
            status,
            error_code: String::new(),
            error_msg: String::new(),
            request_id: None,
            method: "GET".into(),
            path: "/x".into(),
            retry_after,
        }))
    }

    #[test]
    fn backoff_grows_exponentially_within_bounds() {
        let p = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(60),
            settle: Duration::ZERO,
        };
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(6), Duration::from_secs(2));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(2));
        for retry in 1..=8 {
            let ceiling = p.backoff_ceiling(retry);
            for _ in 0..200 {
                let d = p.backoff(retry);
                assert!(
                    d >= ceiling / 2 && d <= ceiling,
                    "retry {retry}: {d:?} not in [{:?}, {ceiling:?}]",
                    ceiling / 2
                );
            }
        }
        // Jitter actually varies.
        let samples: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(samples.len() > 1);
    }

    #[test]
    fn retry_after_wins_over_backoff_and_is_capped() {
        let p = RetryPolicy { max_retry_after: Duration::from_secs(10), ..RetryPolicy::default() };
        assert_eq!(p.delay(1, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(p.delay(1, Some(Duration::from_secs(3600))), Duration::from_secs(10));
        assert_eq!(p.delay(1, Some(Duration::ZERO)), Duration::ZERO);
        assert!(p.delay(1, None) <= p.backoff_ceiling(1));
    }

    #[test]
    fn parses_retry_after_seconds_and_http_dates() {
        let now = SystemTime::from(time::macros::datetime!(2015-10-21 07:28:00 UTC));
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn classification() {
        assert_eq!(classify(&service_error(429, None)), FailureKind::Rejected);
        for s in [500, 502, 503, 504] {
            assert_eq!(classify(&service_error(s, None)), FailureKind::Ambiguous, "{s}");
        }
        for s in [400, 401, 403, 404, 409, 501] {
            assert_eq!(classify(&service_error(s, None)), FailureKind::Permanent, "{s}");
        }
        let t = |before_send| ApiError::Transport {
            method: "GET".into(),
            path: "/".into(),
            message: "x".into(),
            before_send,
            timed_out: false,
        };
        assert_eq!(classify(&t(true)), FailureKind::Rejected);
        assert_eq!(classify(&t(false)), FailureKind::Ambiguous);
        assert_eq!(classify(&ApiError::Cancelled), FailureKind::Permanent);
        let conflict = ApiError::Service(Box::new(ServiceError {
            error_code: "APIG.3500".into(),
            ..match service_error(400, None) {
                ApiError::Service(s) => *s,
                _ => unreachable!(),
            }
        }));
        assert_eq!(classify(&conflict), FailureKind::Rejected, "a write conflict did nothing: retry it");
    }

    async fn count_attempts(
        p: &RetryPolicy,
        call: &CallContext,
        fail_first: u32,
        err: impl Fn() -> ApiError,
    ) -> (Result<u32, ApiError>, u32) {
        let count = Arc::new(AtomicU32::new(0));
        let r = run(p, call, |n| {
            let count = count.clone();
            let e = if n < fail_first { Some(err()) } else { None };
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                match e {
                    Some(e) => Attempt::from_result(Err(e)),
                    None => Attempt::Done(Ok(n)),
                }
            }
        })
        .await;
        (r, count.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn retries_until_success_or_budget_exhausted() {
        let call = CallContext::default();
        let (r, n) = count_attempts(&policy(3), &call, 2, || service_error(503, None)).await;
        assert_eq!(r.unwrap(), 2);
        assert_eq!(n, 3);
        let (r, n) = count_attempts(&policy(3), &call, 10, || service_error(500, None)).await;
        assert_eq!(r.unwrap_err().status(), Some(500));
        assert_eq!(n, 4);
        let (r, n) = count_attempts(&policy(0), &call, 10, || service_error(429, None)).await;
        assert_eq!(r.unwrap_err().status(), Some(429));
        assert_eq!(n, 1);
    }

    #[tokio::test]
    async fn permanent_errors_are_not_retried() {
        let (r, n) = count_attempts(&policy(5), &CallContext::default(), 10, || service_error(400, None)).await;
        assert_eq!(r.unwrap_err().status(), Some(400));
        assert_eq!(n, 1);
    }

    #[tokio::test]
    async fn a_retry_after_beyond_the_deadline_stops_at_once() {
        let call = CallContext::until(CancellationToken::new(), Some(Instant::now() + Duration::from_secs(30)));
        let (r, n) = count_attempts(&policy(5), &call, 10, || service_error(429, Some(Duration::from_secs(60)))).await;
        let err = r.unwrap_err();
        assert!(err.is_deadline_exceeded(), "{err}");
        assert_eq!(err.status(), Some(429));
        assert_eq!(n, 1);
    }

    #[tokio::test]
    async fn cancellation_interrupts_the_backoff_sleep() {
        let cancel = CancellationToken::new();
        let call = CallContext::new(cancel.clone(), None);
        let p =
            RetryPolicy { base_delay: Duration::from_secs(3600), max_delay: Duration::from_secs(3600), ..policy(5) };
        let canceller = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            cancel.cancel();
        });
        let started = std::time::Instant::now();
        let (r, n) = count_attempts(&p, &call, 10, || service_error(503, None)).await;
        assert!(r.unwrap_err().is_cancelled());
        assert_eq!(n, 1);
        // Not a timing assertion on the happy path: only that it did not sleep the hour.
        assert!(started.elapsed() < Duration::from_secs(600));
        canceller.await.unwrap();
    }

    #[tokio::test]
    async fn an_expired_deadline_reports_the_last_error() {
        let call = CallContext::until(CancellationToken::new(), Some(Instant::now() + Duration::from_millis(50)));
        let p = RetryPolicy { max_retries: 1000, ..policy(0) };
        let (r, n) = count_attempts(&p, &call, u32::MAX, || service_error(502, None)).await;
        let err = r.unwrap_err();
        assert!(err.is_deadline_exceeded(), "{err}");
        assert_eq!(err.status(), Some(502));
        assert!(n >= 1);
    }
}
