//! Client configuration: where the services live and how to authenticate (apig-api.md §1.1, §8.5).
//! The endpoint, cloud and region rules are here and nowhere else: the provider's configuration
//! resolves and validates its block into a [`ClientConfig`] and leaves the URLs to it.

use std::time::Duration;

use super::credentials::Credentials;
use super::error::ApiError;
use super::models::Service;
use super::retry::RetryPolicy;

/// Default cloud domain of the Huawei Cloud public sites.
pub const DEFAULT_CLOUD: &str = "myhuaweicloud.com";
/// The European site uses its own domain (regions `eu-west-101`, ... — apig-api.md §7.6).
const EU_CLOUD: &str = "myhuaweicloud.eu";

/// Base URL overrides (`endpoints = { apig, roma, iam }`), e.g. `http://127.0.0.1:8080`; the API
/// path (`/v2/{project_id}/apigw/...`) is appended to them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointOverrides {
    pub apig: Option<String>,
    pub roma: Option<String>,
    pub iam: Option<String>,
}

/// Its `Debug` redacts every secret (see [`super::Secret`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// `None` (or blank): no default endpoints, so every endpoint used must be overridden.
    pub region: Option<String>,
    pub project_id: String,
    /// `None`: [`DEFAULT_CLOUD`] (or the EU domain for `eu-west-1xx` regions).
    pub cloud: Option<String>,
    pub endpoints: EndpointOverrides,
    /// The IAM v3 URL password tokens are requested from; `None`: see [`ClientConfig::auth_url`].
    pub auth_url: Option<String>,
    /// Accept invalid TLS certificates (private endpoints with self-signed certificates).
    pub insecure: bool,
    pub credentials: Credentials,
    /// Retries of 429 / 5xx / connection failures, and their backoff.
    pub retry: RetryPolicy,
    /// Upper bound for one HTTP attempt (connect + response), independent of the call's deadline.
    pub attempt_timeout: Duration,
    /// Renew an IAM token this long before it expires.
    pub token_renew_margin: Duration,
    /// Allow `http://` endpoints beyond loopback (the token or signature would travel in clear).
    pub allow_insecure_http: bool,
}

impl ClientConfig {
    /// A configuration with the defaults for everything but region, project and credentials.
    pub fn new(region: impl Into<String>, project_id: impl Into<String>, credentials: Credentials) -> Self {
        ClientConfig { region: Some(region.into()), ..ClientConfig::without_region(project_id, credentials) }
    }

    /// [`ClientConfig::new`] without a region: every endpoint must then be overridden.
    pub fn without_region(project_id: impl Into<String>, credentials: Credentials) -> Self {
        ClientConfig {
            region: None,
            project_id: project_id.into(),
            cloud: None,
            endpoints: EndpointOverrides::default(),
            auth_url: None,
            insecure: false,
            credentials,
            retry: RetryPolicy::default(),
            attempt_timeout: Duration::from_secs(60),
            token_renew_margin: Duration::from_secs(5 * 60),
            allow_insecure_http: false,
        }
    }

    /// Sets `max_retries` of the retry policy.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// The cloud domain in effect: `cloud`, else the EU site's for `eu-west-1xx` regions, else
    /// [`DEFAULT_CLOUD`].
    pub fn cloud(&self) -> String {
        match self.cloud.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => c.to_string(),
            _ if self.region().is_some_and(|r| r.starts_with("eu-west-1")) => EU_CLOUD.to_string(),
            _ => DEFAULT_CLOUD.to_string(),
        }
    }

    /// The region, when one is set (not blank).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref().map(str::trim).filter(|r| !r.is_empty())
    }

    /// Base URL (scheme + host [+ path], no trailing slash) of a service, to which
    /// `/v2/{project_id}/...` is appended: the override, else `https://{apig|roma}.{region}.{cloud}`.
    pub fn service_base_url(&self, service: Service) -> Result<String, ApiError> {
        let (host_prefix, over) = match service {
            Service::Apig => ("apig", &self.endpoints.apig),
            Service::Roma => ("roma", &self.endpoints.roma),
        };
        self.base_url(host_prefix, over.as_deref())
    }

    /// Base URL of IAM (no `/v3`).
    pub fn iam_base_url(&self) -> Result<String, ApiError> {
        self.base_url("iam", self.endpoints.iam.as_deref())
    }

    /// The IAM v3 URL tokens are requested from (`{auth_url}/auth/tokens`): `auth_url`, else
    /// `{endpoints.iam}/v3`, else `https://iam.{region}.{cloud}/v3`.
    pub fn auth_url(&self) -> Result<String, ApiError> {
        if let Some(u) = &self.auth_url
            && !u.trim().is_empty()
        {
            return normalize_base_url(u).ok_or_else(|| ApiError::config(format!("auth_url {u:?} is not a valid URL")));
        }
        Ok(format!("{}/v3", self.iam_base_url()?))
    }

    fn base_url(&self, host_prefix: &str, over: Option<&str>) -> Result<String, ApiError> {
        if let Some(o) = over
            && !o.trim().is_empty()
        {
            return normalize_base_url(o).ok_or_else(|| {
                ApiError::config(format!("endpoint override for {host_prefix} ({o:?}) is not a valid URL"))
            });
        }
        let Some(region) = self.region() else {
            return Err(ApiError::config(format!(
                "no region is configured, so the {host_prefix} endpoint cannot be derived; set region or an endpoint override"
            )));
        };
        let url = format!("https://{host_prefix}.{region}.{}", self.cloud());
        normalize_base_url(&url).ok_or_else(|| ApiError::config(format!("{url:?} is not a valid URL")))
    }

    /// Checks what the client needs before any request.
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.project_id.trim().is_empty() {
            return Err(ApiError::config("project_id is empty; every API path contains the project ID"));
        }
        if !self.allow_insecure_http {
            let urls = [&self.endpoints.apig, &self.endpoints.roma, &self.endpoints.iam, &self.auth_url];
            for url in urls.into_iter().flatten().map(String::as_str) {
                if is_plain_http_beyond_loopback(url) {
                    return Err(ApiError::config(format!(
                        "{url:?} is plain http:// to a host that is not a loopback address, so credentials would \
                         travel in clear; use https:// (or allow_insecure_http)"
                    )));
                }
            }
        }
        match &self.credentials {
            Credentials::Token(t) if t.expose().trim().is_empty() => Err(ApiError::config("the auth token is empty")),
            Credentials::AkSk { access_key, secret_key, .. }
                if access_key.trim().is_empty() || secret_key.expose().is_empty() =>
            {
                Err(ApiError::config("access_key and secret_key must both be set"))
            }
            Credentials::Password { user_name, password, domain_name }
                if user_name.trim().is_empty() || password.expose().is_empty() || domain_name.trim().is_empty() =>
            {
                Err(ApiError::config("user_name, password and domain_name must all be set"))
            }
            _ => Ok(()),
        }
    }
}

/// Whether credentials sent to `url` would cross a network in clear: `http://` to anything but a
/// loopback address (`localhost`, 127.0.0.0/8, `::1`). A URL that does not parse is not judged here.
pub fn is_plain_http_beyond_loopback(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url.trim()) else { return false };
    if parsed.scheme() != "http" {
        return false;
    }
    match parsed.host() {
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(url::Host::Domain(d)) => !d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Trims, adds `https://` when no scheme is given, and removes trailing slashes so that appending
/// `/v2/...` never yields `//`. `None` if the result is not an http(s) URL with a host.
pub fn normalize_base_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let with_scheme = if trimmed.contains("://") { trimmed.to_string() } else { format!("https://{trimmed}") };
    let parsed = url::Url::parse(&with_scheme).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return None;
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return None;
    }
    let mut s = parsed.to_string();
    while s.ends_with('/') {
        s.pop();
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(region: &str) -> ClientConfig {
        ClientConfig::new(region, "0123456789abcdef0123456789abcdef", Credentials::Token("t".into()))
    }

    #[test]
    fn default_endpoints_follow_region_and_cloud() {
        let table = [
            (Service::Apig, "cn-north-4", None, "https://apig.cn-north-4.myhuaweicloud.com"),
            (Service::Roma, "cn-north-4", None, "https://roma.cn-north-4.myhuaweicloud.com"),
            (Service::Apig, "ap-southeast-1", Some("example.org"), "https://apig.ap-southeast-1.example.org"),
            (Service::Apig, "eu-west-101", None, "https://apig.eu-west-101.myhuaweicloud.eu"),
            (Service::Apig, "eu-west-101", Some("myhuaweicloud.com"), "https://apig.eu-west-101.myhuaweicloud.com"),
            (Service::Roma, "cn-east-3", Some("  "), "https://roma.cn-east-3.myhuaweicloud.com"),
        ];
        for (service, region, cloud, want) in table {
            let mut c = cfg(region);
            c.cloud = cloud.map(String::from);
            assert_eq!(c.service_base_url(service).unwrap(), want, "{service:?} {region} {cloud:?}");
        }
        let c = cfg("cn-north-4");
        assert_eq!(c.iam_base_url().unwrap(), "https://iam.cn-north-4.myhuaweicloud.com");
        assert_eq!(c.auth_url().unwrap(), "https://iam.cn-north-4.myhuaweicloud.com/v3");
    }

    #[test]
    fn overrides_are_normalised() {
        let table = [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("  http://127.0.0.1:8080/  ", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080//", "http://127.0.0.1:8080"),
            ("apig.internal.example.com", "https://apig.internal.example.com"),
            ("apig.internal.example.com:8443/", "https://apig.internal.example.com:8443"),
            ("https://proxy.example.com/apig/", "https://proxy.example.com/apig"),
            ("HTTPS://Apig.Example.com", "https://apig.example.com"),
        ];
        for (raw, want) in table {
            let mut c = cfg("cn-north-4");
            c.endpoints.apig = Some(raw.to_string());
            c.endpoints.roma = Some(raw.to_string());
            assert_eq!(c.service_base_url(Service::Apig).unwrap(), want, "{raw:?}");
            assert_eq!(c.service_base_url(Service::Roma).unwrap(), want, "{raw:?}");
        }
    }

    #[test]
    fn invalid_overrides_are_config_errors() {
        for raw in ["ftp://example.com", "http://", "http://exa mple.com", "https://h/?q=1"] {
            let mut c = cfg("cn-north-4");
            c.endpoints.apig = Some(raw.to_string());
            let err = c.service_base_url(Service::Apig).unwrap_err();
            assert!(matches!(err, ApiError::InvalidConfig { .. }), "{raw:?}: {err:?}");
        }
        assert!(matches!(cfg("").service_base_url(Service::Apig), Err(ApiError::InvalidConfig { .. })));
    }

    #[test]
    fn overrides_win_and_a_missing_endpoint_says_what_to_set() {
        let mut c = ClientConfig::without_region("p", Credentials::Token("t".into()));
        c.endpoints.apig = Some("http://127.0.0.1:8080".into());
        c.endpoints.iam = Some("http://127.0.0.1:9090".into());
        assert_eq!(c.service_base_url(Service::Apig).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(c.auth_url().unwrap(), "http://127.0.0.1:9090/v3");
        let err = c.service_base_url(Service::Roma).unwrap_err().to_string();
        assert!(err.contains("roma") && err.contains("set region or an endpoint override"), "{err}");
        c.auth_url = Some("https://iam.example.test/v3".into());
        assert_eq!(c.auth_url().unwrap(), "https://iam.example.test/v3");
    }

    #[test]
    fn iam_override_and_explicit_auth_url() {
        let mut c = cfg("cn-north-4");
        c.endpoints.iam = Some("http://127.0.0.1:9000/".into());
        assert_eq!(c.auth_url().unwrap(), "http://127.0.0.1:9000/v3");
        c.credentials = Credentials::Password { user_name: "u".into(), password: "p".into(), domain_name: "d".into() };
        c.auth_url = Some("iam.example.com/v3/".into());
        assert_eq!(c.auth_url().unwrap(), "https://iam.example.com/v3");
    }

    #[test]
    fn debug_redacts_secrets() {
        let creds = [
            Credentials::Token("tok-SECRET".into()),
            Credentials::AkSk {
                access_key: "AK1".into(),
                secret_key: "SK-SECRET".into(),
                security_token: Some("STS-SECRET".into()),
            },
            Credentials::Password {
                user_name: "alice".into(),
                password: "PW-SECRET".into(),
                domain_name: "dom".into(),
            },
        ];
        for c in creds {
            let cfg = ClientConfig::new("r", "p", c);
            let dbg = format!("{cfg:?}");
            assert!(!dbg.contains("SECRET"), "{dbg}");
            assert!(dbg.contains("redacted"), "{dbg}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback_unless_allowed() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:80/",
            "http://localhost:1",
            "https://10.0.0.1",
            "https://apig.example.com",
        ] {
            assert!(!is_plain_http_beyond_loopback(ok), "{ok}");
        }
        for clear in ["http://10.0.0.1:8080", "http://apig.example.com", "http://[2001:db8::1]", "HTTP://0.0.0.0"] {
            assert!(is_plain_http_beyond_loopback(clear), "{clear}");
        }
        let mut c = cfg("r");
        c.endpoints.roma = Some("http://gateway.internal:8080".into());
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("allow_insecure_http") && e.contains("gateway.internal"), "{e}");
        c.allow_insecure_http = true;
        assert!(c.validate().is_ok());
        let mut c = cfg("r");
        c.credentials = Credentials::Password { user_name: "u".into(), password: "p".into(), domain_name: "d".into() };
        c.auth_url = Some("http://iam.example.com/v3".into());
        assert!(c.validate().is_err(), "the password would travel in clear");
    }

    #[test]
    fn validate_rejects_missing_pieces() {
        assert!(cfg("r").validate().is_ok());
        let mut c = cfg("r");
        c.project_id = " ".into();
        assert!(c.validate().is_err());
        c = cfg("r");
        c.credentials = Credentials::AkSk { access_key: "ak".into(), secret_key: "".into(), security_token: None };
        assert!(c.validate().is_err());
        c.credentials = Credentials::Token("".into());
        assert!(c.validate().is_err());
    }
}
