//! Time and identifiers. The clock is injectable so that signature-date checks and certificate
//! expiry can be tested against fixed instants.

use std::sync::Arc;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Source of "now" for the whole simulator.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    /// The machine's clock.
    pub fn system() -> Self {
        Clock(Arc::new(OffsetDateTime::now_utc))
    }

    /// A clock stopped at `at` (tests).
    pub fn fixed(at: OffsetDateTime) -> Self {
        Clock(Arc::new(move || at))
    }

    /// Any source of time, e.g. a test clock that can be moved forward.
    pub fn from_fn(f: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// RFC 3339 UTC with whole seconds, as the API shows `not_before`/`not_after`: `2031-08-16T06:36:13Z`.
pub fn rfc3339_seconds(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&fmt).unwrap_or_else(|_| t.format(&Rfc3339).unwrap_or_default())
}

/// RFC 3339 UTC with microseconds, as the API shows `create_time`: `2021-08-26T07:27:06.304004Z`.
pub fn rfc3339_micros(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.format(&fmt).unwrap_or_else(|_| t.format(&Rfc3339).unwrap_or_default())
}

/// A fresh API object identifier: 32 lowercase hex characters.
pub fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_match_the_api_examples() {
        let t = datetime!(2021-08-26 07:27:06.304004 UTC);
        assert_eq!(rfc3339_micros(t), "2021-08-26T07:27:06.304004Z");
        assert_eq!(rfc3339_seconds(t), "2021-08-26T07:27:06Z");
    }

    #[test]
    fn ids_are_32_lowercase_hex_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn fixed_clock_does_not_move() {
        let at = datetime!(2024-01-01 00:00:00 UTC);
        let c = Clock::fixed(at);
        assert_eq!(c.now(), at);
        assert_eq!(c.now(), at);
    }
}
