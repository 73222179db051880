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

mod credentials;
mod env;
mod resolve;
mod schema;
mod secret;
mod setting;

pub use credentials::{Credentials, Method};
pub use env::{EnvSource, ProcessEnv, vars};
pub use resolve::resolve;
pub use schema::{DEFAULT_CLOUD, DEFAULT_MAX_RETRIES, ENDPOINT_KEYS, attr, provider_schema};
pub use secret::Secret;

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

/// Base URLs that replace the default endpoints (no trailing `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub apig: Option<String>,
    pub roma: Option<String>,
    pub iam: Option<String>,
}

impl Endpoints {
    pub fn for_service(&self, service: Service) -> Option<&str> {
        match service {
            Service::Apig => self.apig.as_deref(),
            Service::Roma => self.roma.as_deref(),
        }
    }
}

/// The provider block after environment fallbacks, defaults and validation. Its `Debug` output
/// redacts every secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    pub region: Option<String>,
    pub project_id: String,
    pub service: Service,
    pub credentials: Credentials,
    pub cloud: String,
    pub endpoints: Endpoints,
    /// `auth_url` as configured; see [`ProviderConfig::iam_auth_url`] for the effective one.
    pub auth_url: Option<String>,
    pub insecure: bool,
    /// `http://` endpoints beyond loopback were explicitly allowed.
    pub allow_insecure_http: bool,
    pub max_retries: u32,
}

impl ProviderConfig {
    /// Base URL of `service` (`/v2/{project_id}/apigw/...` is appended to it): the override from
    /// `endpoints`, else `https://{apig|roma}.{region}.{cloud}`.
    pub fn service_base_url(&self, service: Service) -> Result<String, String> {
        if let Some(url) = self.endpoints.for_service(service) {
            return Ok(url.to_string());
        }
        match &self.region {
            Some(region) => Ok(format!("https://{}.{region}.{}", service.as_str(), self.cloud)),
            None => Err(format!(
                "No endpoint for the `{0}` service: the provider block sets neither `region` (or {1}) nor \
                 `endpoints.{0}`. Set one of them.",
                service.as_str(),
                vars::REGION
            )),
        }
    }

    /// The IAM identity URL that tokens are requested from (`.../v3`; the client appends
    /// `/auth/tokens`): `auth_url`, else `{endpoints.iam}/v3`, else `https://iam.{region}.{cloud}/v3`.
    pub fn iam_auth_url(&self) -> Result<String, String> {
        if let Some(url) = &self.auth_url {
            return Ok(url.clone());
        }
        if let Some(iam) = &self.endpoints.iam {
            return Ok(format!("{iam}/v3"));
        }
        match &self.region {
            Some(region) => Ok(format!("https://iam.{region}.{}/v3", self.cloud)),
            None => Err(format!("No IAM endpoint: set `auth_url`, `endpoints.iam` or `region` (or {}).", vars::REGION)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ProviderConfig {
        ProviderConfig {
            region: Some("cn-north-4".into()),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            service: Service::Apig,
            credentials: Credentials::Token { token: Secret::new("tok-XYZZY-secret") },
            cloud: DEFAULT_CLOUD.into(),
            endpoints: Endpoints::default(),
            auth_url: None,
            insecure: false,
            allow_insecure_http: false,
            max_retries: 5,
        }
    }

    #[test]
    fn default_endpoints_follow_region_and_cloud() {
        let c = config();
        assert_eq!(c.service_base_url(Service::Apig).as_deref(), Ok("https://apig.cn-north-4.myhuaweicloud.com"));
        assert_eq!(c.service_base_url(Service::Roma).as_deref(), Ok("https://roma.cn-north-4.myhuaweicloud.com"));
        assert_eq!(c.iam_auth_url().as_deref(), Ok("https://iam.cn-north-4.myhuaweicloud.com/v3"));
    }

    #[test]
    fn overrides_win_and_a_missing_endpoint_says_what_to_set() {
        let mut c = config();
        c.region = None;
        c.endpoints.apig = Some("http://127.0.0.1:8080".into());
        c.endpoints.iam = Some("http://127.0.0.1:9090".into());
        assert_eq!(c.service_base_url(Service::Apig).as_deref(), Ok("http://127.0.0.1:8080"));
        assert_eq!(c.iam_auth_url().as_deref(), Ok("http://127.0.0.1:9090/v3"));
        let err = c.service_base_url(Service::Roma).unwrap_err();
        assert!(err.contains("endpoints.roma") && err.contains("HW_REGION_NAME"), "{err}");
        c.auth_url = Some("https://iam.example.test/v3".into());
        assert_eq!(c.iam_auth_url().as_deref(), Ok("https://iam.example.test/v3"));
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let mut c = config();
        assert!(!format!("{c:?}").contains("XYZZY"));
        c.credentials = Credentials::AkSk {
            access_key: "AKVISIBLE".into(),
            secret_key: Secret::new("SK-XYZZY"),
            security_token: Some(Secret::new("ST-XYZZY")),
        };
        let shown = format!("{c:#?}");
        assert!(!shown.contains("XYZZY") && shown.contains("AKVISIBLE"), "{shown}");
        c.credentials = Credentials::Password {
            user_name: "alice".into(),
            password: Secret::new("pw-XYZZY"),
            domain_name: "acme".into(),
        };
        assert!(!format!("{c:?}").contains("XYZZY"));
    }
}
