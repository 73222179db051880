//! One write at a time per certificate: the API answers APIG.3500 when two writes hit the same
//! object at once, and Terraform applies independent resources (two `apig_certificate_domains`
//! on one certificate) in parallel.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use tokio::sync::OwnedMutexGuard;

static LOCKS: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = LazyLock::new(Default::default);

/// Waits for and holds the lock of `certificate_id` until the guard is dropped.
pub async fn lock_certificate(certificate_id: &str) -> OwnedMutexGuard<()> {
    let lock = {
        // A poisoned map only means another thread panicked while inserting; the map is still usable.
        let mut map = LOCKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(certificate_id.to_string()).or_default().clone()
    };
    lock.lock_owned().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_second_writer_waits_for_the_first_but_other_certificates_do_not() {
        let first = lock_certificate("c1").await;
        let other = tokio::time::timeout(Duration::from_millis(50), lock_certificate("c2")).await;
        assert!(other.is_ok(), "another certificate is not blocked");
        let second = tokio::time::timeout(Duration::from_millis(50), lock_certificate("c1")).await;
        assert!(second.is_err(), "the same certificate is blocked while held");
        drop(first);
        assert!(tokio::time::timeout(Duration::from_millis(500), lock_certificate("c1")).await.is_ok());
    }
}
