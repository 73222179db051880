//! [`ApiClient`]: one reqwest client for both services, adding the common headers and the
//! authentication to every request and running every call through the retry policy.
//! The typed endpoint methods live in `certificates.rs`, `domains.rs` and `groups.rs`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use super::auth::TokenSource;
use super::call::CallContext;
use super::config::ClientConfig;
use super::credentials::Credentials;
use super::error::{ApiError, ServiceError};
use super::models::Service;
use super::retry::{self, Attempt};
use super::signer;
use super::transport::{read_response, request_id, retry_after, transport_error};
use super::write_lock::{WriteGuard, WriteLocks};

/// `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("terraform-provider-apig/", env!("CARGO_PKG_VERSION"));

/// Cheap to clone; clones share the connection pool and the IAM token cache.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    apig_base: String,
    roma_base: String,
    /// The IAM token cache of password credentials (`None` for the other methods).
    iam_tokens: Option<TokenSource>,
    /// One write at a time per certificate (`write_lock.rs`).
    writes: WriteLocks,
    /// A gateway ID per service, once looked up (`gateway_lookup.rs`).
    gateways: std::sync::Mutex<Vec<(Service, String)>>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("apig", &self.inner.apig_base)
            .field("roma", &self.inner.roma_base)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// One API request, before authentication. Built by the endpoint methods.
#[derive(Clone)]
pub(crate) struct ApiRequest {
    pub method: Method,
    pub service: Service,
    /// Path segments after `/v2/{project_id}/{apigw|apic}/`, unencoded.
    pub segments: Vec<String>,
    /// Whether the service prefix (`apigw`/`apic`) follows the project; false only for paths
    /// outside it, such as ROMA's instance list `/v2/{project_id}/instances`.
    pub prefixed: bool,
    /// Query pairs (empty values are skipped by the builders, not here).
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Documented success statuses (any other 2xx is accepted too, with a warning).
    pub ok: &'static [u16],
}

impl ApiRequest {
    pub(crate) fn new(method: Method, service: Service, segments: &[&str], ok: &'static [u16]) -> ApiRequest {
        ApiRequest {
            method,
            service,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            prefixed: true,
            query: Vec::new(),
            body: None,
            ok,
        }
    }

    /// A request to `/v2/{project_id}/{segments}`, without the service prefix.
    pub(crate) fn without_prefix(
        method: Method,
        service: Service,
        segments: &[&str],
        ok: &'static [u16],
    ) -> ApiRequest {
        ApiRequest { prefixed: false, ..ApiRequest::new(method, service, segments, ok) }
    }

    pub(crate) fn query(mut self, key: &str, value: Option<impl ToString>) -> ApiRequest {
        if let Some(v) = value {
            self.query.push((key.to_string(), v.to_string()));
        }
        self
    }

    pub(crate) fn json<T: Serialize>(mut self, body: &T) -> Result<ApiRequest, ApiError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::InvalidInput { message: format!("cannot encode the request body: {e}") })?;
        self.body = Some(bytes);
        Ok(self)
    }
}

impl ApiClient {
    pub fn new(config: ClientConfig) -> Result<ApiClient, ApiError> {
        config.validate()?;
        let apig_base = config.service_base_url(Service::Apig)?;
        let roma_base = config.service_base_url(Service::Roma)?;
        let http = reqwest::Client::builder()
            .tls_danger_accept_invalid_certs(config.insecure)
            .timeout(config.attempt_timeout)
            .connect_timeout(config.attempt_timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|e| ApiError::config(format!("cannot build the HTTP client: {e}")))?;
        let mut config = config;
        config.credentials = config.credentials.normalized();
        let iam_tokens = match &config.credentials {
            Credentials::Password { user_name, password, domain_name } => Some(TokenSource::new(
                http.clone(),
                &config.auth_url()?,
                user_name,
                password.expose(),
                domain_name,
                &config.project_id,
                config.token_renew_margin,
                config.retry.clone(),
                USER_AGENT.to_string(),
            )),
            Credentials::Token(_) | Credentials::AkSk { .. } => None,
        };
        Ok(ApiClient {
            inner: Arc::new(Inner {
                http,
                config,
                apig_base,
                roma_base,
                iam_tokens,
                writes: WriteLocks::default(),
                gateways: Default::default(),
            }),
        })
    }

    /// Holds the certificate's write lock until the guard is dropped: every write endpoint that
    /// names an existing certificate takes it first.
    pub(crate) async fn lock_certificate_writes(
        &self,
        service: Service,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<WriteGuard, ApiError> {
        self.inner.writes.lock(service, certificate_id, call).await
    }

    pub(crate) fn remembered_gateway(&self, service: Service) -> Option<String> {
        let known = self.inner.gateways.lock().unwrap_or_else(|p| p.into_inner());
        known.iter().find(|(s, _)| *s == service).map(|(_, id)| id.clone())
    }

    pub(crate) fn remember_gateway(&self, service: Service, id: &str) {
        let mut known = self.inner.gateways.lock().unwrap_or_else(|p| p.into_inner());
        if !known.iter().any(|(s, _)| *s == service) {
            known.push((service, id.to_string()));
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn project_id(&self) -> &str {
        &self.inner.config.project_id
    }

    /// Base URL of a service (no trailing slash).
    pub fn base_url(&self, service: Service) -> &str {
        match service {
            Service::Apig => &self.inner.apig_base,
            Service::Roma => &self.inner.roma_base,
        }
    }

    fn url(&self, req: &ApiRequest) -> Result<url::Url, ApiError> {
        let mut s = String::from(self.base_url(req.service));
        s.push_str("/v2/");
        s.push_str(&signer::encode_component(&self.inner.config.project_id));
        if req.prefixed {
            s.push('/');
            s.push_str(req.service.path_prefix());
        }
        for seg in &req.segments {
            // An empty or dot segment would address another resource (`certificates/` is the list).
            if seg.is_empty() || seg == "." || seg == ".." {
                return Err(ApiError::InvalidInput { message: format!("{seg:?} is not a valid ID in a request path") });
            }
            s.push('/');
            s.push_str(&signer::encode_component(seg));
        }
        if !req.query.is_empty() {
            s.push('?');
            s.push_str(&signer::canonical_query_pairs(req.query.iter().cloned()));
        }
        url::Url::parse(&s).map_err(|e| ApiError::config(format!("cannot build a request URL: {e}")))
    }

    /// Runs a call with retries and decodes its JSON answer.
    pub(crate) async fn execute_json<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
        call: &CallContext,
    ) -> Result<T, ApiError> {
        let body = retry::run(&self.inner.config.retry, call, |_| async {
            Attempt::from_result(self.send_once(req, call).await)
        })
        .await?;
        self.decode(req, &body)
    }

    /// Runs a call with retries; its answer has no body (204).
    pub(crate) async fn execute_empty(&self, req: &ApiRequest, call: &CallContext) -> Result<(), ApiError> {
        retry::run(&self.inner.config.retry, call, |_| async {
            Attempt::from_result(self.send_once(req, call).await.map(drop))
        })
        .await
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self, req: &ApiRequest, body: &[u8]) -> Result<T, ApiError> {
        serde_json::from_slice(body).map_err(|e| ApiError::Decode {
            method: req.method.to_string(),
            path: self.url(req).map(|u| u.path().to_string()).unwrap_or_default(),
            message: e.to_string(),
        })
    }

    /// One attempt: authenticate, send, read. `Ok` carries the body of a success status.
    pub(crate) async fn send_once(&self, req: &ApiRequest, call: &CallContext) -> Result<Vec<u8>, ApiError> {
        let url = self.url(req)?;
        let method = req.method.as_str();
        let path = url.path().to_string();
        // A password token the service rejects is dropped and fetched again, once.
        for _ in 0..2 {
            let mut headers: Vec<(&'static str, String)> = vec![
                ("Accept", "application/json".to_string()),
                ("User-Agent", USER_AGENT.to_string()),
                ("X-Language", "en-us".to_string()),
            ];
            if req.body.is_some() {
                headers.push(("Content-Type", "application/json".to_string()));
            }
            let mut used_token: Option<(String, bool)> = None;
            match (&self.inner.config.credentials, &self.inner.iam_tokens) {
                (Credentials::Token(t), _) => headers.push(("X-Auth-Token", t.expose().to_string())),
                (Credentials::Password { .. }, Some(source)) => {
                    let (token, fresh) = source.token(call).await?;
                    headers.push(("X-Auth-Token", token.clone()));
                    used_token = Some((token, fresh));
                }
                (Credentials::Password { .. }, None) => {
                    return Err(ApiError::config("password credentials without an IAM token source"));
                }
                (Credentials::AkSk { access_key, secret_key, security_token }, _) => {
                    headers.push(("X-Project-Id", self.inner.config.project_id.clone()));
                    if let Some(st) = security_token {
                        headers.push(("X-Security-Token", st.expose().to_string()));
                    }
                    let mut to_sign: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                    let host = host_header(&url);
                    to_sign.push(("Host", &host));
                    let date = signer::format_sdk_date(OffsetDateTime::now_utc());
                    let sig = signer::sign(
                        method,
                        &url,
                        &to_sign,
                        req.body.as_deref().unwrap_or_default(),
                        &date,
                        access_key,
                        secret_key.expose(),
                    );
                    headers.push((signer::HEADER_SDK_DATE, sig.sdk_date));
                    headers.push(("Authorization", sig.authorization));
                }
            }

            let mut builder = self.inner.http.request(req.method.clone(), url.clone());
            for (name, value) in &headers {
                builder = builder.header(*name, value);
            }
            if let Some(body) = &req.body {
                builder = builder.body(body.clone());
            }
            tracing::debug!(method, path = %path, service = req.service.as_str(), "API request");
            let resp = builder.send().await.map_err(|e| transport_error(method, &path, &e))?;
            let (status, resp_headers, body) = read_response(resp, method, &path).await?;
            let rid = request_id(&resp_headers);
            tracing::debug!(method, path = %path, status = status.as_u16(), request_id = ?rid, "API response");
            if status.is_success() {
                if !req.ok.contains(&status.as_u16()) {
                    tracing::warn!(method, path = %path, status = status.as_u16(), documented = ?req.ok,
                        "the API answered with an undocumented success status");
                }
                return Ok(body);
            }
            if status.as_u16() == 401
                && let (Some(source), Some((token, false))) = (&self.inner.iam_tokens, &used_token)
            {
                source.invalidate(token).await;
                continue;
            }
            let mut err = ServiceError::from_response(status, rid, &body, method, &path);
            err.retry_after = retry_after(&resp_headers);
            return Err(err.into());
        }
        Err(ApiError::Auth {
            message: "the service rejected a freshly issued IAM token".to_string(),
            source_error: None,
        })
    }
}

/// The `Host` header reqwest will send: host, plus the port when it is not the scheme's default.
fn host_header(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_has_port_only_when_not_default() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            host_header(&u("https://apig.cn-north-4.myhuaweicloud.com/v2")),
            "apig.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(host_header(&u("https://h:443/")), "h");
        assert_eq!(host_header(&u("http://127.0.0.1:8080/")), "127.0.0.1:8080");
        assert_eq!(host_header(&u("http://[::1]:9/")), "[::1]:9");
    }

    #[test]
    fn urls_are_built_from_base_project_prefix_and_encoded_segments() {
        let mut cfg = ClientConfig::new("cn-north-4", "pid", Credentials::Token("t".into()));
        cfg.endpoints.roma = Some("http://127.0.0.1:8080/".into());
        let c = ApiClient::new(cfg).unwrap();
        let req = ApiRequest::new(Method::GET, Service::Apig, &["certificates", "a/b c"], &[200])
            .query("name", Some("x y"))
            .query("limit", Some(100))
            .query("offset", None::<u32>);
        assert_eq!(
            c.url(&req).unwrap().as_str(),
            "https://apig.cn-north-4.myhuaweicloud.com/v2/pid/apigw/certificates/a%2Fb%20c?limit=100&name=x%20y"
        );
        let req = ApiRequest::new(Method::GET, Service::Roma, &["certificates"], &[200]);
        assert_eq!(c.url(&req).unwrap().as_str(), "http://127.0.0.1:8080/v2/pid/apic/certificates");
        let req = ApiRequest::without_prefix(Method::GET, Service::Roma, &["instances"], &[200]);
        assert_eq!(c.url(&req).unwrap().as_str(), "http://127.0.0.1:8080/v2/pid/instances");
        for bad in ["", ".", ".."] {
            let req = ApiRequest::new(Method::GET, Service::Apig, &["certificates", bad], &[200]);
            assert!(matches!(c.url(&req), Err(ApiError::InvalidInput { .. })), "{bad:?}");
        }
    }

    #[test]
    fn user_agent_names_the_provider_and_version() {
        assert_eq!(USER_AGENT, format!("terraform-provider-apig/{}", env!("CARGO_PKG_VERSION")));
    }
}
