//! One write at a time per certificate. The API answers APIG.3500 when two writes reach the same
//! certificate at once (apig-api.md §5), and Terraform applies independent resources in parallel
//! (two bindings of one certificate, a certificate's update and a domain's re-attach). The lock is
//! held by the client around every write endpoint that names a certificate, so no resource can
//! forget it; APIG.3500 answers that still happen (another process, the console) are retried.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use super::call::CallContext;
use super::error::ApiError;
use super::models::Service;

/// A certificate on one service.
type CertificateKey = (Service, String);

#[derive(Default)]
pub(crate) struct WriteLocks {
    locks: Mutex<HashMap<CertificateKey, Arc<tokio::sync::Mutex<()>>>>,
}

impl WriteLocks {
    /// Waits (as long as the call may) for the certificate's lock and holds it until the guard
    /// is dropped.
    pub(crate) async fn lock(
        &self,
        service: Service,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<WriteGuard, ApiError> {
        let lock = {
            // A poisoned map only means another thread panicked while inserting; it is still usable.
            let mut map = self.locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            // Forget locks nobody holds or waits for, so the map stays as small as the work in flight.
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry((service, certificate_id.to_string())).or_default().clone()
        };
        let guard = call.run(lock.lock_owned()).await?;
        Ok(WriteGuard { _guard: guard })
    }
}

#[derive(Debug)]
pub(crate) struct WriteGuard {
    _guard: OwnedMutexGuard<()>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use tokio_util::sync::CancellationToken;

    #[tokio::test(start_paused = true)]
    async fn a_second_writer_waits_for_the_first_but_other_certificates_and_services_do_not() {
        let locks = WriteLocks::default();
        let call = CallContext::default();
        let first = locks.lock(Service::Apig, "c1", &call).await.unwrap();
        let wait = |s, id| {
            let (locks, call) = (&locks, &call);
            async move { tokio::time::timeout(Duration::from_millis(50), locks.lock(s, id, call)).await }
        };
        assert!(wait(Service::Apig, "c2").await.is_ok(), "another certificate is not blocked");
        assert!(wait(Service::Roma, "c1").await.is_ok(), "the same ID on the other service is not blocked");
        assert!(wait(Service::Apig, "c1").await.is_err(), "the same certificate is blocked while held");
        drop(first);
        assert!(wait(Service::Apig, "c1").await.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_for_the_lock_ends_with_the_call() {
        let locks = WriteLocks::default();
        let _held = locks.lock(Service::Apig, "c1", &CallContext::default()).await.unwrap();
        let stop = CancellationToken::new();
        let call = CallContext::new(stop.clone(), None);
        stop.cancel();
        assert!(locks.lock(Service::Apig, "c1", &call).await.unwrap_err().is_cancelled());
        let call =
            CallContext::until(CancellationToken::new(), Some(tokio::time::Instant::now() + Duration::from_secs(1)));
        assert!(locks.lock(Service::Apig, "c1", &call).await.unwrap_err().is_deadline_exceeded());
    }

    #[tokio::test]
    async fn unused_locks_are_forgotten() {
        let locks = WriteLocks::default();
        for i in 0..100 {
            drop(locks.lock(Service::Apig, &format!("c{i}"), &CallContext::default()).await.unwrap());
        }
        drop(locks.lock(Service::Apig, "last", &CallContext::default()).await.unwrap());
        assert!(locks.locks.lock().unwrap().len() <= 1);
    }
}
