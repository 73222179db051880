//! IAM as far as the provider needs it (apig-api.md §8.1): password tokens from
//! `POST /v3/auth/tokens` (201, token in `X-Subject-Token`, valid 24 h) and `GET /v3/projects?name=`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::Sim;
use super::api::input::Query;
use super::clock::rfc3339_micros;

pub const TOKEN_LIFETIME: Duration = Duration::hours(24);

/// A token issued by `POST /v3/auth/tokens`.
#[derive(Clone)]
pub struct IssuedToken {
    /// None for a domain-scoped token, which no project API accepts.
    pub project_id: Option<String>,
    pub expires_at: OffsetDateTime,
}

#[derive(Default)]
pub struct TokenStore {
    issued: HashMap<String, IssuedToken>,
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenStore {{ {} issued }}", self.issued.len())
    }
}

impl TokenStore {
    pub fn issue(&mut self, project_id: Option<String>, expires_at: OffsetDateTime) -> String {
        let token = format!("MIIsim{:032x}{:032x}", rand::random::<u128>(), rand::random::<u128>());
        self.issued.insert(token.clone(), IssuedToken { project_id, expires_at });
        token
    }

    pub fn get(&self, token: &str) -> Option<&IssuedToken> {
        self.issued.get(token)
    }

    pub fn len(&self) -> usize {
        self.issued.len()
    }

    pub fn is_empty(&self) -> bool {
        self.issued.is_empty()
    }
}

/// Keystone-style IAM error body.
fn iam_error(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    (status, Json(json!({"error": {"code": status.as_u16(), "message": message, "title": title}}))).into_response()
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

/// `POST /v3/auth/tokens` with the password method.
pub async fn create_token(State(sim): State<Sim>, body: Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<Value>(&body) else {
        return iam_error(StatusCode::BAD_REQUEST, "The request body is not valid JSON.");
    };
    let methods = req.pointer("/auth/identity/methods").and_then(Value::as_array);
    if !methods.is_some_and(|m| m.iter().any(|x| x.as_str() == Some("password"))) {
        return iam_error(StatusCode::BAD_REQUEST, "Only the password method is supported.");
    }
    let user = ["auth", "identity", "password", "user"];
    let name = text(&req, &[&user[..], &["name"]].concat());
    let password = text(&req, &[&user[..], &["password"]].concat());
    let domain = text(&req, &[&user[..], &["domain", "name"]].concat())
        .or_else(|| text(&req, &[&user[..], &["domain", "id"]].concat()));
    let known = sim.config().users.iter().find(|u| {
        Some(u.name.as_str()) == name && Some(u.password.as_str()) == password && Some(u.domain.as_str()) == domain
    });
    let Some(known) = known.cloned() else {
        return iam_error(StatusCode::UNAUTHORIZED, "The username or password is wrong.");
    };

    let project = {
        let world = sim.world();
        let projects = &world.apigw.projects;
        let by_id = text(&req, &["auth", "scope", "project", "id"]);
        let by_name = text(&req, &["auth", "scope", "project", "name"]);
        match (by_id, by_name) {
            (Some(id), _) => match projects.iter().find(|p| p.id == id) {
                Some(p) => Some((p.id.clone(), p.name.clone())),
                None => return iam_error(StatusCode::UNAUTHORIZED, "The project in the scope does not exist."),
            },
            (None, Some(name)) => match projects.iter().find(|p| p.name == name) {
                Some(p) => Some((p.id.clone(), p.name.clone())),
                None => return iam_error(StatusCode::UNAUTHORIZED, "The project in the scope does not exist."),
            },
            (None, None) => None,
        }
    };
    let now = sim.now();
    let expires_at = now + TOKEN_LIFETIME;
    let token = sim.tokens().issue(project.as_ref().map(|(id, _)| id.clone()), expires_at);
    let domain_obj = json!({"id": format!("{:032x}", fxhash(&known.domain)), "name": known.domain});
    let mut body = json!({"token": {
        "expires_at": rfc3339_micros(expires_at),
        "issued_at": rfc3339_micros(now),
        "methods": ["password"],
        "user": {"id": format!("{:032x}", fxhash(&known.name)), "name": known.name, "domain": domain_obj},
        "roles": [],
        "catalog": [],
    }});
    if let (Some((id, name)), Some(t)) = (project, body.get_mut("token").and_then(Value::as_object_mut)) {
        t.insert("project".into(), json!({"id": id, "name": name, "domain": domain_obj}));
    }
    tracing::info!(user = %known.name, "IAM token issued");
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&token) {
        resp.headers_mut().insert("x-subject-token", v);
    }
    resp
}

/// Stable pseudo-IDs for users and domains (not secret, just deterministic).
fn fxhash(s: &str) -> u128 {
    s.bytes().fold(0xcbf29ce484222325_u128, |h, b| (h ^ u128::from(b)).wrapping_mul(0x100000001b3))
}

/// `GET /v3/projects?name=` (needs a valid token).
pub async fn list_projects(State(sim): State<Sim>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    let world = sim.world();
    let projects: Vec<Value> = world
        .apigw
        .projects
        .iter()
        .filter(|p| query.get("name").is_none_or(|n| p.name == n))
        .map(
            |p| json!({"id": p.id, "name": p.name, "enabled": true, "domain_id": format!("{:032x}", fxhash("domain"))}),
        )
        .collect();
    Json(json!({"projects": projects})).into_response()
}
