//! IAM password tokens for [`super::Credentials::Password`]: fetched once, shared by concurrent
//! callers, and renewed before they expire. (A static token is sent as it is; AK/SK requests are
//! signed by [`super::signer`].)

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::call::CallContext;
use super::error::{ApiError, ServiceError};
use super::models::{
    IamAuth, IamIdentity, IamNamed, IamPassword, IamScope, IamTokenRequest, IamTokenResponse, IamUser,
};
use super::retry::{self, Attempt, RetryPolicy};
use super::transport::{read_response, transport_error};

/// Header carrying the IAM token in the token response.
pub const HEADER_SUBJECT_TOKEN: &str = "X-Subject-Token";

#[derive(Clone)]
struct CachedToken {
    token: String,
    renew_at: Instant,
}

/// Fetches IAM tokens with user name + password (apig-api.md §8.1).
pub(crate) struct TokenSource {
    http: reqwest::Client,
    tokens_url: String,
    request: IamTokenRequest,
    renew_margin: Duration,
    retry: RetryPolicy,
    user_agent: String,
    /// Held across a fetch, so concurrent callers wait for one fetch and share its token.
    cached: Mutex<Option<CachedToken>>,
}

impl TokenSource {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        http: reqwest::Client,
        auth_url: &str,
        user_name: &str,
        password: &str,
        domain_name: &str,
        project_id: &str,
        renew_margin: Duration,
        retry: RetryPolicy,
        user_agent: String,
    ) -> TokenSource {
        let request = IamTokenRequest {
            auth: IamAuth {
                identity: IamIdentity {
                    methods: vec!["password".to_string()],
                    password: IamPassword {
                        user: IamUser {
                            name: user_name.to_string(),
                            password: password.to_string(),
                            domain: IamNamed { id: None, name: Some(domain_name.to_string()) },
                        },
                    },
                },
                scope: IamScope { project: IamNamed { id: Some(project_id.to_string()), name: None } },
            },
        };
        TokenSource {
            http,
            tokens_url: format!("{auth_url}/auth/tokens"),
            request,
            renew_margin,
            retry,
            user_agent,
            cached: Mutex::new(None),
        }
    }

    /// A valid token: the cached one, or a new one. `fresh` is `true` when it was just fetched.
    pub(crate) async fn token(&self, call: &CallContext) -> Result<(String, bool), ApiError> {
        let mut cached = call.run(self.cached.lock()).await?;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.renew_at
        {
            return Ok((c.token.clone(), false));
        }
        let fresh = self.fetch(call).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok((token, true))
    }

    /// Forgets `token` if it is still the cached one (the service rejected it).
    pub(crate) async fn invalidate(&self, token: &str) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.token == token) {
            *cached = None;
        }
    }

    async fn fetch(&self, call: &CallContext) -> Result<CachedToken, ApiError> {
        let body = serde_json::to_vec(&self.request).map_err(|e| ApiError::Auth {
            message: format!("cannot encode the IAM request: {e}"),
            source_error: None,
        })?;
        let path = url::Url::parse(&self.tokens_url).map(|u| u.path().to_string()).unwrap_or_default();
        tracing::debug!(url = %self.tokens_url, "requesting an IAM token");
        retry::run(&self.retry, call, |_| async {
            let sent = self
                .http
                .post(&self.tokens_url)
                .header(ACCEPT, "application/json")
                .header(CONTENT_TYPE, "application/json;charset=utf8")
                .header(USER_AGENT, &self.user_agent)
                .body(body.clone())
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => return Attempt::from_result(Err(transport_error("POST", &path, &e))),
            };
            let (status, headers, bytes) = match read_response(resp, "POST", &path).await {
                Ok(parts) => parts,
                Err(e) => return Attempt::from_result(Err(e)),
            };
            if status != StatusCode::CREATED && status != StatusCode::OK {
                let request_id = super::transport::request_id(&headers);
                let mut err = ServiceError::from_response(status, request_id, &bytes, "POST", &path);
                err.retry_after = super::transport::retry_after(&headers);
                if retry::is_retryable_status(status.as_u16()) {
                    return Attempt::Retry(err.into());
                }
                return Attempt::Done(Err(ApiError::Auth {
                    message: format!("IAM refused the password token request: {err}"),
                    source_error: Some(Box::new(err)),
                }));
            }
            let token = headers
                .get(HEADER_SUBJECT_TOKEN)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            let Some(token) = token else {
                return Attempt::Done(Err(ApiError::Auth {
                    message: format!("IAM answered HTTP {status} without an {HEADER_SUBJECT_TOKEN} header"),
                    source_error: None,
                }));
            };
            let expires_at = serde_json::from_slice::<IamTokenResponse>(&bytes)
                .ok()
                .and_then(|r| OffsetDateTime::parse(&r.token.expires_at, &Rfc3339).ok());
            let renew_at = renew_instant(expires_at, OffsetDateTime::now_utc(), Instant::now(), self.renew_margin);
            Attempt::Done(Ok(CachedToken { token, renew_at }))
        })
        .await
    }
}

/// When to fetch a new token: `margin` before `expires_at` (or half-way through a lifetime shorter
/// than twice the margin). Without a usable expiry, renew after ten minutes.
fn renew_instant(
    expires_at: Option<OffsetDateTime>,
    now_wall: OffsetDateTime,
    now: Instant,
    margin: Duration,
) -> Instant {
    let Some(expires_at) = expires_at else {
        tracing::warn!("the IAM token response has no usable expires_at; renewing the token in 10 minutes");
        return now + Duration::from_secs(600);
    };
    let lifetime = Duration::try_from(expires_at - now_wall).unwrap_or(Duration::ZERO);
    let renew_after = if lifetime > margin.saturating_mul(2) { lifetime - margin } else { lifetime / 2 };
    now + renew_after
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn renews_margin_before_expiry() {
        let now_wall = datetime!(2024-01-01 00:00:00 UTC);
        let now = Instant::now();
        let margin = Duration::from_secs(300);
        let at = renew_instant(Some(datetime!(2024-01-02 00:00:00 UTC)), now_wall, now, margin);
        assert_eq!(at - now, Duration::from_secs(24 * 3600 - 300));
        // Short-lived token: renewed half-way.
        let at = renew_instant(Some(datetime!(2024-01-01 00:04:00 UTC)), now_wall, now, margin);
        assert_eq!(at - now, Duration::from_secs(120));
        // Already expired: renew immediately.
        let at = renew_instant(Some(datetime!(2023-12-31 00:00:00 UTC)), now_wall, now, margin);
        assert_eq!(at, now);
        let at = renew_instant(None, now_wall, now, margin);
        assert_eq!(at - now, Duration::from_secs(600));
    }

    #[test]
    fn iam_request_body_has_documented_shape() {
        let ts = TokenSource::new(
            reqwest::Client::new(),
            "https://iam.example.com/v3",
            "alice",
            "pw",
            "dom",
            "pid",
            Duration::from_secs(300),
            RetryPolicy::default(),
            "ua".into(),
        );
        assert_eq!(ts.tokens_url, "https://iam.example.com/v3/auth/tokens");
        let v = serde_json::to_value(&ts.request).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"auth": {
                "identity": {"methods": ["password"], "password": {"user": {"name": "alice", "password": "pw", "domain": {"name": "dom"}}}},
                "scope": {"project": {"id": "pid"}}
            }})
        );
    }
}
