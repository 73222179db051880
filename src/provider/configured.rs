//! What `configure` hands to resources and data sources: the API client built from the provider
//! block, and the block's defaults. Resources get it, with the service an object lives in, from
//! `service::configured_service`.

use crate::client::ApiClient;
use crate::client::models::Service;
use crate::protocol::Diagnostic;

use super::config::ProviderConfig;

#[derive(Debug, Clone)]
pub struct Configured {
    pub client: ApiClient,
    /// The provider's `service`: the default of every resource's own `service`.
    pub service: Service,
    pub config: ProviderConfig,
}

impl Configured {
    pub fn new(config: ProviderConfig) -> Result<Configured, Diagnostic> {
        let client = ApiClient::new(config.client.clone()).map_err(|e| {
            Diagnostic::error(
                "Cannot create the API client",
                format!("{e}. {} Check `region`, `cloud`, `endpoints` and `auth_url`.", e.hint()),
            )
        })?;
        Ok(Configured { client, service: config.service, config })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ClientConfig, Credentials, Secret};

    fn config(credentials: Credentials) -> ProviderConfig {
        let mut client = ClientConfig::new("cn-north-4", "0123456789abcdef0123456789abcdef", credentials);
        client.endpoints.apig = Some("http://127.0.0.1:8080".into());
        client.insecure = true;
        ProviderConfig { service: Service::Roma, client: client.with_max_retries(2) }
    }

    #[test]
    fn the_client_gets_every_setting() {
        let c = Configured::new(config(Credentials::Token(Secret::new("tok")))).expect("client");
        assert_eq!(c.service, Service::Roma);
        assert_eq!(c.client.base_url(Service::Apig), "http://127.0.0.1:8080");
        assert_eq!(c.client.base_url(Service::Roma), "https://roma.cn-north-4.myhuaweicloud.com");
        let cc = c.client.config();
        assert_eq!(cc.project_id, "0123456789abcdef0123456789abcdef");
        assert_eq!(cc.credentials, Credentials::Token("tok".into()));
        assert!(cc.insecure);
        assert_eq!(cc.retry.max_retries, 2);
    }

    #[test]
    fn credentials_reach_the_client_unchanged() {
        let aksk = Credentials::AkSk {
            access_key: "AK".into(),
            secret_key: Secret::new("SK"),
            security_token: Some(Secret::new("ST")),
        };
        let c = Configured::new(config(aksk)).expect("client");
        assert_eq!(
            c.client.config().credentials,
            Credentials::AkSk { access_key: "AK".into(), secret_key: "SK".into(), security_token: Some("ST".into()) }
        );
        let mut pw = config(Credentials::Password {
            user_name: "u".into(),
            password: Secret::new("p"),
            domain_name: "d".into(),
        });
        pw.client.auth_url = Some("http://127.0.0.1:9/v3".into());
        let c = Configured::new(pw).expect("client");
        let cc = c.client.config();
        assert_eq!(cc.auth_url().as_deref().ok(), Some("http://127.0.0.1:9/v3"));
        assert_eq!(
            cc.credentials,
            Credentials::Password { user_name: "u".into(), password: "p".into(), domain_name: "d".into() }
        );
    }

    #[test]
    fn no_region_works_when_every_endpoint_is_overridden() {
        let mut c = config(Credentials::Token(Secret::new("tok")));
        c.client.region = None;
        c.client.endpoints.roma = Some("http://127.0.0.1:8081/".into());
        let configured = Configured::new(c).expect("client");
        assert_eq!(configured.client.base_url(Service::Roma), "http://127.0.0.1:8081");
    }

    #[test]
    fn debug_output_keeps_secrets_out() {
        let c = Configured::new(config(Credentials::Token(Secret::new("tok-XYZZY")))).expect("client");
        assert!(!format!("{c:?}").contains("XYZZY"));
    }
}
