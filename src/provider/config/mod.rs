//! The provider block: its schema, the environment fallbacks, the plan-time rules, and the parsed
//! [`ProviderConfig`] that `configure` hands to the API client.
//!
//! Rules (checked at plan by `validate`, and again by `configure` once every value is known):
//! - every attribute falls back to its `HW_*` environment variable; a value in the block wins, and an
//!   empty string counts as unset;
//! - exactly one credential method: `auth_token`; `access_key` + `secret_key` (+ `security_token`);
//!   `user_name` + `password` + `domain_name`. A method named in the block wins over methods found
//!   only in the environment; environment variables may complete the method the block names;
//! - `project_id` is required; `region` is required unless `endpoints` overrides both service
//!   endpoints (`apig` and `roma`: any resource may pick either) and, for password authentication,
//!   `auth_url` or `endpoints.iam` is set;
//! - unknown values (known only after apply) are never an error at plan;
//! - see [`Stage`] for which rules run at validate and which at configure.
//!
//! The result is the client's own configuration ([`ClientConfig`], with its [`Credentials`]): the
//! URL rules (default hosts, the EU cloud of `eu-west-1xx` regions, override normalisation, the
//! `auth_url` default) are the client's and are not repeated here.
//!
//! [`Credentials`]: crate::client::Credentials

mod credentials;
mod env;
mod resolve;
mod schema;
mod setting;

pub use env::{EnvSource, ProcessEnv, vars};
pub use resolve::resolve;
pub use schema::{DEFAULT_CLOUD, DEFAULT_MAX_RETRIES, ENDPOINT_KEYS, attr, provider_schema};

use crate::client::ClientConfig;
use crate::client::models::Service;

/// When the rules run. `Validate` is PrepareProviderConfig, which `terraform validate` also calls
/// (with variables unknown and, typically in CI, without credentials in the environment): there
/// only the block itself is judged (conflicting credential methods, malformed values). What the
/// environment may still supply at plan (credentials, `region`, `project_id`) is required at
/// `Configure`, which Terraform runs at the start of every plan, before any resource is touched
/// and before any API call. Both stages report on the same attribute paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Validate,
    Configure,
}

/// The provider block after environment fallbacks, defaults and validation: the API client's
/// configuration as it is (credentials, region, cloud, endpoints: the client derives the URLs from
/// them) and the provider's default service. Its `Debug` output redacts every secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderConfig {
    /// The provider's `service`: the default of every resource's own `service`.
    pub service: Service,
    /// What the API client is built from.
    pub client: ClientConfig,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Credentials, Secret};

    #[test]
    fn debug_output_redacts_secrets() {
        let mut c = ProviderConfig {
            service: Service::Apig,
            client: ClientConfig::new(
                "cn-north-4",
                "0123456789abcdef0123456789abcdef",
                Credentials::Token(Secret::new("tok-XYZZY-secret")),
            ),
        };
        assert!(!format!("{c:?}").contains("XYZZY"));
        c.client.credentials = Credentials::AkSk {
            access_key: "AKVISIBLE".into(),
            secret_key: Secret::new("SK-XYZZY"),
            security_token: Some(Secret::new("ST-XYZZY")),
        };
        let shown = format!("{c:#?}");
        assert!(!shown.contains("XYZZY") && shown.contains("AKVISIBLE"), "{shown}");
        c.client.credentials = Credentials::Password {
            user_name: "alice".into(),
            password: Secret::new("pw-XYZZY"),
            domain_name: "acme".into(),
        };
        assert!(!format!("{c:?}").contains("XYZZY"));
    }
}
