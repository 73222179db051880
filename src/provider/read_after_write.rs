//! Reading what the provider has just written. A new object may answer 404 for a short while (the
//! API's read lag), and a refresh that believed that 404 would drop the object from state and plan
//! a second one. So the time of the provider's own write is kept in the resource's private state,
//! and while it is younger than the client's `settle` time a 404 is read again until that time is
//! up (bounded by the operation's timeout). Afterwards a 404 counts at once: an object deleted
//! outside Terraform still leaves the state on the next refresh.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;

use crate::engine::Private;

/// Private-state key: when the provider last created the object (milliseconds since the epoch).
const WRITTEN_AT: &str = "written_at_unix_ms";

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Records in `private` that the object was written now.
pub fn mark_written(private: &mut Private) {
    private.insert(WRITTEN_AT.to_string(), Json::from(now_ms()));
}

/// How long a 404 for this object is still read again: what is left of `settle` since the
/// provider wrote it, or zero when it did not (imported, or written long ago).
pub fn settle_left(private: &Private, settle: Duration) -> Duration {
    let Some(written) = private.get(WRITTEN_AT).and_then(Json::as_u64) else {
        return Duration::ZERO;
    };
    let age = Duration::from_millis(now_ms().saturating_sub(written));
    settle.saturating_sub(age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_write_is_settled_for_the_rest_of_the_window_an_old_or_unknown_one_not_at_all() {
        let settle = Duration::from_secs(10);
        assert_eq!(settle_left(&Private::new(), settle), Duration::ZERO, "imported: no write of ours");
        let mut p = Private::new();
        mark_written(&mut p);
        let left = settle_left(&p, settle);
        assert!(left > Duration::from_secs(5) && left <= settle, "{left:?}");
        p.insert(WRITTEN_AT.into(), Json::from(now_ms() - 60_000));
        assert_eq!(settle_left(&p, settle), Duration::ZERO);
        p.insert(WRITTEN_AT.into(), Json::from("garbage"));
        assert_eq!(settle_left(&p, settle), Duration::ZERO);
    }
}
