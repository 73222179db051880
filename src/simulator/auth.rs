//! Who may call the API (apig-api.md §8): `X-Auth-Token` (configured or IAM-issued tokens) or an
//! `SDK-HMAC-SHA256` AK/SK signature over the request as received.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Sim;
use super::errors::ApiError;
use super::request_id::RequestId;
use super::signature::{self, Received, Refusal};

/// AK/SK signing covers bodies up to 12 MB.
const MAX_SIGNED_BODY: usize = 12 * 1024 * 1024;

fn refuse(err: ApiError, request_id: Option<&RequestId>) -> Response {
    let mut body = err.body();
    // Gateway-level refusals carry the request ID in the body too.
    if err.code.starts_with("APIGW.") {
        body.request_id = request_id.map(|r| r.0.clone());
    }
    (err.status, axum::Json(body)).into_response()
}

/// The project in `/v2/{project_id}/...`, if any.
fn path_project(path: &str) -> Option<&str> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("v2"), Some(p)) if !p.is_empty() => Some(p),
        _ => None,
    }
}

pub async fn authenticate(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let request_id = req.extensions().get::<RequestId>().cloned();
    let rid = request_id.as_ref();
    let authorization = req.headers().get("authorization").map(|v| String::from_utf8_lossy(v.as_bytes()).to_string());
    if let Some(authorization) = authorization {
        if !authorization.starts_with(signature::ALGORITHM) {
            return refuse(ApiError::iam_auth("unsupported authorization algorithm"), rid);
        }
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_SIGNED_BODY).await else {
            return refuse(ApiError::iam_auth("request body too large to verify"), rid);
        };
        let received = Received {
            method: parts.method.as_str(),
            raw_path: parts.uri.path(),
            raw_query: parts.uri.query(),
            headers: &parts.headers,
            body: &bytes,
        };
        let keys = &sim.config().access_keys;
        let secret_of = |ak: &str| keys.iter().find(|k| k.access_key == ak).map(|k| k.secret_key.as_str());
        match signature::verify(&received, &authorization, secret_of, sim.now()) {
            Ok(ak) => tracing::debug!(access_key = %ak, "AK/SK signature verified"),
            Err(refusal) => {
                tracing::info!(?refusal, "AK/SK signature refused");
                let detail = match refusal {
                    Refusal::UnknownAccessKey(ak) => format!("Get secretKey failed,ak:{ak},err:ak not exist"),
                    Refusal::Stale => "the X-Sdk-Date is more than 15 minutes away from the server time".to_string(),
                    Refusal::MissingDate => "x-sdk-date not found or not signed".to_string(),
                    Refusal::Malformed | Refusal::BadSignature => "verify aksk signature fail".to_string(),
                };
                return refuse(ApiError::iam_auth(&detail), rid);
            }
        }
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }

    let Some(token) = req.headers().get("x-auth-token").map(|v| String::from_utf8_lossy(v.as_bytes()).to_string())
    else {
        return refuse(ApiError::iam_auth("x-auth-token not found"), rid);
    };
    if sim.config().tokens.iter().any(|t| t == &token) {
        return next.run(req).await;
    }
    let issued = sim.tokens().get(&token).cloned();
    let Some(issued) = issued else {
        return refuse(ApiError::bad_token(), rid);
    };
    if issued.expires_at < sim.now() {
        let at = super::clock::rfc3339_micros(issued.expires_at);
        return refuse(ApiError::iam_auth(&format!("token expires, expires_at: {at}")), rid);
    }
    match (path_project(req.uri().path()), issued.project_id.as_deref()) {
        // A project-scoped token works for its own project only.
        (Some(p), Some(scoped)) if p != scoped => refuse(ApiError::forbidden(), rid),
        (Some(_), None) => refuse(
            ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "APIG.1003",
                "The token does not contain project information",
            ),
            rid,
        ),
        _ => next.run(req).await,
    }
}
