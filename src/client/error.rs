//! The client layer's one error type. Messages name the service's error code, HTTP status, request
//! ID and the call (method + path), never a request or response body that could carry a key.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use super::models::ErrorBody;
use crate::scope::{Deadline, format_duration};

/// A non-success HTTP answer from APIG / ROMA Connect / IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub status: u16,
    /// `APIG.xxxx` / `APIGW.xxxx`; empty when the body was not the documented JSON.
    pub error_code: String,
    pub error_msg: String,
    /// `X-Request-Id` response header (or `request_id` in a gateway error body).
    pub request_id: Option<String>,
    pub method: String,
    /// URL path of the call (no query string, no host).
    pub path: String,
    /// `Retry-After` of a 429/503 answer, used by the retry policy.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.error_code.is_empty() {
            write!(f, "HTTP {}", self.status)?;
        } else {
            write!(f, "{} (HTTP {})", self.error_code, self.status)?;
        }
        if !self.error_msg.is_empty() {
            write!(f, ": {}", self.error_msg)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        write!(f, " ({} {})", self.method, self.path)
    }
}

impl ServiceError {
    /// Builds the error from a response's status, `X-Request-Id` and body. The body is used only
    /// through its documented `error_code`/`error_msg` fields; anything else is summarised.
    pub fn from_response(
        status: StatusCode,
        request_id: Option<String>,
        body: &[u8],
        method: &str,
        path: &str,
    ) -> ServiceError {
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let (error_code, error_msg, body_request_id) = match parsed {
            Some(b) if !b.error_code.is_empty() || !b.error_msg.is_empty() => (b.error_code, b.error_msg, b.request_id),
            _ => (String::new(), summarize_unexpected_body(status, body), None),
        };
        ServiceError {
            status: status.as_u16(),
            error_code,
            error_msg,
            request_id: request_id.or(body_request_id).filter(|s| !s.is_empty()),
            method: method.to_string(),
            path: path.to_string(),
            retry_after: None,
        }
    }
}

/// A short, safe description of a body that is not the documented error JSON (a proxy's HTML
/// page, say). Text that looks like PEM material is never echoed.
fn summarize_unexpected_body(status: StatusCode, body: &[u8]) -> String {
    let reason = status.canonical_reason().unwrap_or("unexpected status");
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return reason.to_string();
    }
    if text.contains("-----BEGIN") || text.to_ascii_lowercase().contains("private") {
        return format!("{reason} (response body of {} bytes not shown)", body.len());
    }
    let mut snippet: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if text.chars().count() > 200 {
        snippet.push('…');
    }
    format!("{reason}: {snippet}")
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error status.
    #[error("{0}")]
    Service(Box<ServiceError>),

    /// The request did not get an HTTP answer (DNS, connect, TLS, connection reset, timeout).
    #[error("{method} {path}: {message}")]
    Transport {
        method: String,
        path: String,
        message: String,
        /// `true` when the connection was never established, so the request was certainly not
        /// processed; `false` when it may have reached the service.
        before_send: bool,
        timed_out: bool,
    },

    /// A success answer whose body is not what the API documents.
    #[error("{method} {path}: unexpected response body: {message}")]
    Decode { method: String, path: String, message: String },

    /// Obtaining credentials failed (IAM token request rejected or unusable).
    #[error("authentication failed: {message}")]
    Auth { message: String, source_error: Option<Box<ServiceError>> },

    /// A create failed ambiguously (it may have landed) and looking for its result failed too, so
    /// it was not re-sent (that could create a duplicate).
    #[error("{what} may or may not have succeeded: {cause}; looking for its result failed: {lookup}")]
    Unconfirmed { what: String, cause: Box<ApiError>, lookup: Box<ApiError> },

    /// The call was cancelled (Terraform's Stop, Ctrl-C).
    #[error("the request was cancelled")]
    Cancelled,

    /// The call's deadline (from `timeouts {}`) passed; `last_error` is what the final attempt saw.
    #[error("{}", deadline_message(.deadline, .last_error))]
    DeadlineExceeded { deadline: Deadline, last_error: Option<Box<ApiError>> },

    /// The client configuration cannot work (bad endpoint, empty project, ...).
    #[error("invalid client configuration: {message}")]
    InvalidConfig { message: String },

    /// Input the client refuses before sending (e.g. an unparsable certificate for adoption).
    #[error("invalid request: {message}")]
    InvalidInput { message: String },
}

fn deadline_message(deadline: &Deadline, last: &Option<Box<ApiError>>) -> String {
    let within = format_duration(deadline.timeout);
    match last {
        Some(e) => format!("the {} did not succeed within {within}; last error: {e}", deadline.operation),
        None => format!("the {} did not finish within {within}", deadline.operation),
    }
}

impl ApiError {
    pub(crate) fn config(message: impl Into<String>) -> ApiError {
        ApiError::InvalidConfig { message: message.into() }
    }

    /// The service's answer, if this is one (also when wrapped by a deadline).
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            ApiError::Service(s) => Some(s.as_ref()),
            ApiError::Auth { source_error: Some(s), .. } => Some(s),
            ApiError::DeadlineExceeded { last_error: Some(e), .. } => e.service(),
            ApiError::Unconfirmed { cause, .. } => cause.service(),
            _ => None,
        }
    }

    /// HTTP status of the service's answer.
    pub fn status(&self) -> Option<u16> {
        self.service().map(|s| s.status)
    }

    /// `APIG.xxxx` code of the service's answer.
    pub fn error_code(&self) -> Option<&str> {
        self.service().map(|s| s.error_code.as_str()).filter(|c| !c.is_empty())
    }

    pub fn request_id(&self) -> Option<&str> {
        self.service().and_then(|s| s.request_id.as_deref())
    }

    /// The object does not exist (HTTP 404): a read drops it from state, a delete treats it as done.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Service(s) if s.status == 404)
    }

    /// APIG.3500: another write to the same object was in progress (etcd sync conflict). Nothing
    /// was done, so the write is retried after a backoff.
    pub fn is_write_conflict(&self) -> bool {
        matches!(self, ApiError::Service(s) if s.error_code == "APIG.3500")
    }

    /// The answer to a detach of something that is not bound (any more): certificate-side
    /// 400 `APIG.2000` "no valid domain name", domain-side 404 (`APIG.3097`, no binding record).
    /// Either way the binding is gone, which is what the detach wanted.
    pub fn is_nothing_to_detach(&self) -> bool {
        match self {
            ApiError::Service(s) => (s.status == 400 && s.error_code == "APIG.2000") || s.status == 404,
            _ => false,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, ApiError::Cancelled)
    }

    pub fn is_deadline_exceeded(&self) -> bool {
        matches!(self, ApiError::DeadlineExceeded { .. })
    }

    /// A hint for the user on what to do about this error, for a diagnostic's detail.
    pub fn hint(&self) -> &'static str {
        match self {
            ApiError::Service(s) => match s.status {
                401 => "Check the provider credentials (token expired, AK/SK wrong, or clock skew over 15 minutes).",
                403 => "The credentials lack the IAM permission for this action on this object.",
                404 => "The object does not exist; check the IDs, region, project and service (apig/roma).",
                429 => "The API rate limit was hit and retries were exhausted; retry later or raise max_retries.",
                500..=599 => "The service failed; retry later. If it persists, contact support with the request ID.",
                _ => "Correct the request as the error message says.",
            },
            ApiError::Transport { .. } => {
                "Check the endpoint, network connectivity and TLS settings (insecure), then retry."
            }
            ApiError::Decode { .. } => {
                "The endpoint did not answer like APIG/ROMA Connect; check the endpoint override."
            }
            ApiError::Auth { .. } => "Check user_name, password, domain_name, auth_url and project_id.",
            ApiError::Unconfirmed { .. } => {
                "The object may exist now: look for it (by name) and import or delete it before applying again."
            }
            ApiError::Cancelled => "The operation was interrupted; run it again.",
            ApiError::DeadlineExceeded { .. } => {
                "Increase the timeout in the resource's timeouts block or retry later."
            }
            ApiError::InvalidConfig { .. } => "Correct the provider configuration.",
            ApiError::InvalidInput { .. } => "Correct the resource configuration.",
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError::Service(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_documented_error_body_with_request_id() {
        let body = br#"{"error_code":"APIG.2101","error_msg":"Certificate and private key do not match"}"#;
        let e = ServiceError::from_response(
            StatusCode::BAD_REQUEST,
            Some("req-123".into()),
            body,
            "POST",
            "/v2/p/apigw/certificates",
        );
        assert_eq!(e.status, 400);
        assert_eq!(e.error_code, "APIG.2101");
        assert_eq!(
            e.to_string(),
            "APIG.2101 (HTTP 400): Certificate and private key do not match [request id req-123] \
             (POST /v2/p/apigw/certificates)"
        );
        let api: ApiError = e.into();
        assert_eq!(api.status(), Some(400));
        assert_eq!(api.error_code(), Some("APIG.2101"));
        assert_eq!(api.request_id(), Some("req-123"));
        assert!(!api.is_not_found());
    }

    #[test]
    fn not_found_is_any_404() {
        let e: ApiError = ServiceError::from_response(
            StatusCode::NOT_FOUND,
            None,
            br#"{"error_code":"APIG.3021","error_msg":"x"}"#,
            "GET",
            "/",
        )
        .into();
        assert!(e.is_not_found());
        let e: ApiError = ServiceError::from_response(StatusCode::NOT_FOUND, None, b"", "GET", "/").into();
        assert!(e.is_not_found());
        assert_eq!(e.to_string(), "HTTP 404: Not Found (GET /)");
    }

    #[test]
    fn gateway_error_request_id_comes_from_body_when_header_missing() {
        let body = br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"abc"}"#;
        let e = ServiceError::from_response(StatusCode::UNAUTHORIZED, None, body, "GET", "/x");
        assert_eq!(e.request_id.as_deref(), Some("abc"));
        assert_eq!(e.error_code, "APIGW.0301");
    }

    #[test]
    fn non_json_bodies_are_summarised_and_key_material_never_echoed() {
        let e = ServiceError::from_response(StatusCode::BAD_GATEWAY, None, b"<html>bad gateway</html>", "GET", "/x");
        assert_eq!(e.error_msg, "Bad Gateway: <html>bad gateway</html>");
        let leak = b"echo: -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
        let e = ServiceError::from_response(StatusCode::BAD_REQUEST, None, leak, "POST", "/x");
        assert!(!e.to_string().contains("MIIE"), "{e}");
        assert!(e.to_string().contains("not shown"), "{e}");
        let long = "x".repeat(1000);
        let e = ServiceError::from_response(StatusCode::INTERNAL_SERVER_ERROR, None, long.as_bytes(), "GET", "/x");
        assert!(e.error_msg.chars().count() < 260, "{}", e.error_msg);
    }

    #[test]
    fn deadline_wraps_last_error() {
        let last: ApiError =
            ServiceError::from_response(StatusCode::SERVICE_UNAVAILABLE, Some("r1".into()), b"", "GET", "/x").into();
        let deadline =
            Deadline { at: tokio::time::Instant::now(), timeout: Duration::from_secs(90), operation: "create" };
        let e = ApiError::DeadlineExceeded { deadline, last_error: Some(Box::new(last)) };
        assert_eq!(
            e.to_string(),
            "the create did not succeed within 1m30s; last error: HTTP 503: Service Unavailable [request id r1] (GET /x)"
        );
        assert_eq!(e.status(), Some(503));
        assert!(!e.is_not_found());
        let e = ApiError::DeadlineExceeded { deadline, last_error: None };
        assert_eq!(e.to_string(), "the create did not finish within 1m30s");
    }

    #[test]
    fn conflicts_and_nothing_to_detach_are_recognised_by_code_and_status() {
        let e = |status: u16, code: &str| -> ApiError {
            ServiceError::from_response(
                StatusCode::from_u16(status).unwrap(),
                None,
                format!(r#"{{"error_code":"{code}","error_msg":"m"}}"#).as_bytes(),
                "POST",
                "/x",
            )
            .into()
        };
        assert!(e(400, "APIG.3500").is_write_conflict());
        assert!(!e(400, "APIG.2000").is_write_conflict());
        assert!(e(400, "APIG.2000").is_nothing_to_detach());
        assert!(e(404, "APIG.3097").is_nothing_to_detach());
        assert!(!e(400, "APIG.2012").is_nothing_to_detach());
        assert!(!e(503, "APIG.9999").is_nothing_to_detach());
    }
}
