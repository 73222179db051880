//! Provider logging: `tracing` events written to stderr as hclog JSON lines, which Terraform
//! re-logs at their own level. The level comes from `TF_LOG_PROVIDER`, else `TF_LOG`.
//! Stdout is never written to (it carries the plugin handshake).

mod hclog;

use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use hclog::{HclogLayer, format_line};

/// Level used when neither variable is set.
const DEFAULT_LEVEL: LevelFilter = LevelFilter::WARN;

/// Our own crate logs at the chosen level; libraries (h2, hyper, tonic, rustls) at most at WARN,
/// or TF_LOG=trace would drown the provider's lines in HTTP/2 frame traces.
const OWN_TARGET: &str = "terraform_provider_apig";
const LIBRARY_MAX_LEVEL: LevelFilter = LevelFilter::WARN;

/// The level Terraform's own variables ask for: `TF_LOG_PROVIDER` wins over `TF_LOG`; values are
/// TRACE, DEBUG, INFO, WARN, ERROR, OFF (any case); JSON means TRACE; like Terraform, any other
/// non-empty value means TRACE.
pub fn level_from(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> LevelFilter {
    let chosen = [tf_log_provider, tf_log].into_iter().flatten().map(str::trim).find(|v| !v.is_empty());
    match chosen.map(str::to_ascii_uppercase).as_deref() {
        None => DEFAULT_LEVEL,
        Some("OFF") => LevelFilter::OFF,
        Some("ERROR") => LevelFilter::ERROR,
        Some("WARN") => LevelFilter::WARN,
        Some("INFO") => LevelFilter::INFO,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some(_) => LevelFilter::TRACE,
    }
}

/// Installs the stderr hclog subscriber for the process, at the level from the environment.
pub fn init_from_env() {
    let provider = std::env::var("TF_LOG_PROVIDER").ok();
    let general = std::env::var("TF_LOG").ok();
    init(level_from(provider.as_deref(), general.as_deref()));
}

pub fn init(level: LevelFilter) {
    let filter = Targets::new().with_default(level.min(LIBRARY_MAX_LEVEL)).with_target(OWN_TARGET, level);
    let layer = HclogLayer::new(std::io::stderr).with_filter(filter);
    // A second call (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_choice_follows_terraform_variables() {
        let table = [
            (None, None, LevelFilter::WARN),
            (None, Some(""), LevelFilter::WARN),
            (None, Some("trace"), LevelFilter::TRACE),
            (None, Some("JSON"), LevelFilter::TRACE),
            (None, Some("Debug"), LevelFilter::DEBUG),
            (None, Some("info"), LevelFilter::INFO),
            (None, Some("WARN"), LevelFilter::WARN),
            (None, Some("error"), LevelFilter::ERROR),
            (None, Some("off"), LevelFilter::OFF),
            (None, Some("verbose"), LevelFilter::TRACE),
            (Some("error"), Some("trace"), LevelFilter::ERROR),
            (Some("off"), Some("trace"), LevelFilter::OFF),
            (Some(""), Some("debug"), LevelFilter::DEBUG),
        ];
        for (provider, general, want) in table {
            assert_eq!(level_from(provider, general), want, "{provider:?} {general:?}");
        }
    }
}
