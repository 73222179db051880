//! What `configure` hands to resources and data sources: the API client built from the provider
//! block, and the block's defaults. Resources get it, with the service an object lives in, from
//! `service::configured_service`.

use crate::client::models::Service;
use crate::client::{ApiClient, ClientConfig, Credentials as ClientCredentials, EndpointOverrides};
use crate::protocol::Diagnostic;

use super::config::{Credentials, ProviderConfig};

#[derive(Debug, Clone)]
pub struct Configured {
    pub client: ApiClient,
    /// The provider's `service`: the default of every resource's own `service`.
    pub service: Service,
    pub config: ProviderConfig,
}

impl Configured {
    pub fn new(config: ProviderConfig) -> Result<Configured, Diagnostic> {
        let client = ApiClient::new(client_config(&config)).map_err(|e| {
            Diagnostic::error(
                "Cannot create the API client",
                format!("{e}. {} Check `region`, `cloud`, `endpoints` and `auth_url`.", e.hint()),
            )
        })?;
        Ok(Configured { client, service: config.service, config })
    }
}

/// The client's view of the provider block. Secrets leave their redacting wrapper only here.
pub fn client_config(config: &ProviderConfig) -> ClientConfig {
    let credentials = match &config.credentials {
        Credentials::Token { token } => ClientCredentials::Token(token.expose().into()),
        Credentials::AkSk { access_key, secret_key, security_token } => ClientCredentials::AkSk {
            access_key: access_key.clone(),
            secret_key: secret_key.expose().into(),
            security_token: security_token.as_ref().map(|t| t.expose().into()),
        },
        Credentials::Password { user_name, password, domain_name } => ClientCredentials::Password {
            user_name: user_name.clone(),
            password: password.expose().into(),
            domain_name: domain_name.clone(),
        },
    };
    // Without a region every endpoint is overridden (the configuration rules make sure of it).
    let mut client = ClientConfig::without_region(&config.project_id, credentials).with_max_retries(config.max_retries);
    client.region = config.region.clone();
    client.auth_url = config.auth_url.clone();
    client.cloud = Some(config.cloud.clone());
    client.endpoints = EndpointOverrides {
        apig: config.endpoints.apig.clone(),
        roma: config.endpoints.roma.clone(),
        iam: config.endpoints.iam.clone(),
    };
    client.insecure = config.insecure;
    client.allow_insecure_http = config.allow_insecure_http;
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::config::{DEFAULT_CLOUD, Endpoints, Secret};

    fn config(credentials: Credentials) -> ProviderConfig {
        ProviderConfig {
            region: Some("cn-north-4".into()),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            service: Service::Roma,
            credentials,
            cloud: DEFAULT_CLOUD.into(),
            endpoints: Endpoints { apig: Some("http://127.0.0.1:8080".into()), roma: None, iam: None },
            auth_url: None,
            insecure: true,
            allow_insecure_http: false,
            max_retries: 2,
        }
    }

    #[test]
    fn the_client_gets_every_setting() {
        let c = Configured::new(config(Credentials::Token { token: Secret::new("tok") })).expect("client");
        assert_eq!(c.service, Service::Roma);
        assert_eq!(c.client.base_url(Service::Apig), "http://127.0.0.1:8080");
        assert_eq!(c.client.base_url(Service::Roma), "https://roma.cn-north-4.myhuaweicloud.com");
        let cc = c.client.config();
        assert_eq!(cc.project_id, "0123456789abcdef0123456789abcdef");
        assert_eq!(cc.credentials, ClientCredentials::Token("tok".into()));
        assert!(cc.insecure);
        assert_eq!(cc.retry.max_retries, 2);
    }

    #[test]
    fn credentials_map_one_to_one() {
        let aksk = Credentials::AkSk {
            access_key: "AK".into(),
            secret_key: Secret::new("SK"),
            security_token: Some(Secret::new("ST")),
        };
        assert_eq!(
            client_config(&config(aksk)).credentials,
            ClientCredentials::AkSk {
                access_key: "AK".into(),
                secret_key: "SK".into(),
                security_token: Some("ST".into())
            }
        );
        let mut pw = config(Credentials::Password {
            user_name: "u".into(),
            password: Secret::new("p"),
            domain_name: "d".into(),
        });
        pw.auth_url = Some("http://127.0.0.1:9/v3".into());
        let cc = client_config(&pw);
        assert_eq!(cc.auth_url().as_deref().ok(), Some("http://127.0.0.1:9/v3"));
        assert_eq!(
            cc.credentials,
            ClientCredentials::Password { user_name: "u".into(), password: "p".into(), domain_name: "d".into() }
        );
    }

    #[test]
    fn no_region_works_when_every_endpoint_is_overridden() {
        let mut c = config(Credentials::Token { token: Secret::new("tok") });
        c.region = None;
        c.endpoints.roma = Some("http://127.0.0.1:8081/".into());
        let configured = Configured::new(c).expect("client");
        assert_eq!(configured.client.base_url(Service::Roma), "http://127.0.0.1:8081");
    }

    #[test]
    fn debug_output_keeps_secrets_out() {
        let c = Configured::new(config(Credentials::Token { token: Secret::new("tok-XYZZY") })).expect("client");
        assert!(!format!("{c:?}").contains("XYZZY"));
    }
}
