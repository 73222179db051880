//! Turning reqwest's results into this layer's types: transport errors (was the request sent?),
//! response reading, `X-Request-Id` and `Retry-After`.

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::ApiError;
use super::retry::parse_retry_after;

pub const HEADER_REQUEST_ID: &str = "X-Request-Id";

/// A transport failure, with whether the request can have reached the service.
pub(crate) fn transport_error(method: &str, path: &str, err: &reqwest::Error) -> ApiError {
    // The URL is left out (it is in `path`); the source chain says what actually failed.
    let mut message = err.without_url_ref();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    ApiError::Transport {
        method: method.to_string(),
        path: path.to_string(),
        message,
        before_send: err.is_connect(),
        timed_out: err.is_timeout(),
    }
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        if self.is_timeout() {
            "timed out".to_string()
        } else if self.is_connect() {
            "cannot connect".to_string()
        } else if self.is_body() || self.is_decode() {
            "error reading the response".to_string()
        } else {
            "error sending the request".to_string()
        }
    }
}

/// Reads the whole response. A failure while reading the body is a transport error after sending.
pub(crate) async fn read_response(
    resp: reqwest::Response,
    method: &str,
    path: &str,
) -> Result<(StatusCode, HeaderMap, Vec<u8>), ApiError> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.map_err(|e| {
        let mut err = transport_error(method, path, &e);
        if let ApiError::Transport { before_send, .. } = &mut err {
            *before_send = false;
        }
        err
    })?;
    Ok((status, headers, body.to_vec()))
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(HEADER_REQUEST_ID).and_then(|v| v.to_str().ok()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}
