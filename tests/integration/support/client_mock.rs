//! A scripted HTTP server for the client tests: each expected request (method + path) gets its
//! scripted reply, in order. Anything unexpected is answered with 418 `MOCK.UNEXPECTED` (which
//! the client does not retry) and recorded, and [`MockServer::verify`] panics on it — as it does
//! on scripted requests that never came.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::Response;
use serde_json::Value;
use terraform_provider_apig::client::models::Service;
use terraform_provider_apig::client::{ApiClient, ClientConfig, Credentials, RetryPolicy};

pub const PID: &str = "0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "test-token";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("request body is not JSON ({e}): {:?}", self.body))
    }
}

#[derive(Clone)]
pub enum Reply {
    /// Status + JSON body.
    Json(u16, Value),
    /// Status, no body.
    Empty(u16),
    /// Status + raw body text.
    Text(u16, String),
    /// Sends 200 headers, then breaks the connection mid-body (a response lost after the
    /// request was processed).
    Drop,
}

#[derive(Clone)]
pub struct Step {
    method: String,
    path: String,
    reply: Reply,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
}

impl Step {
    pub fn new(method: &str, path: impl Into<String>, reply: Reply) -> Step {
        Step { method: method.to_string(), path: path.into(), reply, headers: Vec::new(), delay: None }
    }
    pub fn header(mut self, name: &str, value: &str) -> Step {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Step {
        self.delay = Some(d);
        self
    }
}

#[derive(Default)]
struct State {
    steps: VecDeque<Step>,
    log: Vec<Recorded>,
    failures: Vec<String>,
}

pub struct MockServer {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: tokio::task::JoinHandle<()>,
}

impl MockServer {
    pub async fn start() -> MockServer {
        let state = Arc::new(Mutex::new(State::default()));
        let app_state = state.clone();
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let state = app_state.clone();
            async move { handle(state, req).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind mock server");
        let addr = listener.local_addr().expect("mock address");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockServer { base_url: format!("http://{addr}"), state, server }
    }

    pub fn expect(&self, step: Step) -> &Self {
        self.state.lock().unwrap().steps.push_back(step);
        self
    }

    /// Shorthand: `method path` answered with `reply`.
    pub fn on(&self, method: &str, path: impl Into<String>, reply: Reply) -> &Self {
        self.expect(Step::new(method, path, reply))
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests().iter().filter(|r| r.method == method && r.path == path).count()
    }

    /// Panics on unexpected requests and on scripted requests that did not come.
    pub fn verify(&self) {
        let st = self.state.lock().unwrap();
        let mut problems = st.failures.clone();
        for s in &st.steps {
            problems.push(format!("expected request never came: {} {}", s.method, s.path));
        }
        assert!(problems.is_empty(), "mock server problems:\n{}", problems.join("\n"));
    }

    /// Panics on unexpected requests only (for calls abandoned before their request arrived).
    pub fn verify_nothing_unexpected(&self) {
        let st = self.state.lock().unwrap();
        assert!(st.failures.is_empty(), "mock server problems:\n{}", st.failures.join("\n"));
    }

    /// A client for `service` pointing both services at this server, with token auth and a
    /// fast retry policy.
    pub fn client(&self) -> ApiClient {
        ApiClient::new(self.config(Credentials::Token(TOKEN.into()))).expect("client")
    }

    pub fn config(&self, credentials: Credentials) -> ClientConfig {
        let mut cfg = ClientConfig::new("cn-north-4", PID, credentials);
        cfg.endpoints.apig = Some(self.base_url.clone());
        cfg.endpoints.roma = Some(self.base_url.clone());
        cfg.endpoints.iam = Some(self.base_url.clone());
        cfg.retry = fast_retry(3);
        cfg
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(5),
        settle: Duration::ZERO,
    }
}

/// `/v2/{PID}/{apigw|apic}/{tail}`.
pub fn api_path(service: Service, tail: &str) -> String {
    format!("/v2/{PID}/{}/{tail}", service.path_prefix())
}

async fn handle(state: Arc<Mutex<State>>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024).await.map(|b| b.to_vec()).unwrap_or_default();
    let rec = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body,
    };
    let step = {
        let mut st = state.lock().unwrap();
        st.log.push(rec.clone());
        match st.steps.front() {
            Some(s) if s.method == rec.method && s.path == rec.path => st.steps.pop_front(),
            Some(s) => {
                let msg =
                    format!("unexpected request {} {} (next expected: {} {})", rec.method, rec.path, s.method, s.path);
                st.failures.push(msg);
                None
            }
            None => {
                st.failures.push(format!("unexpected request {} {} (no more expected)", rec.method, rec.path));
                None
            }
        }
    };
    let Some(step) = step else {
        return json_response(
            418,
            &serde_json::json!({"error_code": "MOCK.UNEXPECTED", "error_msg": "unexpected request"}),
        );
    };
    if let Some(d) = step.delay {
        tokio::time::sleep(d).await;
    }
    let mut resp = match step.reply {
        Reply::Json(status, v) => json_response(status, &v),
        Reply::Empty(status) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r
        }
        Reply::Text(status, t) => {
            let mut r = Response::new(Body::from(t));
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r
        }
        Reply::Drop => {
            let stream = futures::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped"))
            });
            Response::new(Body::from_stream(stream))
        }
    };
    for (n, v) in step.headers {
        resp.headers_mut().insert(
            axum::http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
            axum::http::HeaderValue::from_str(&v).unwrap(),
        );
    }
    resp
}

fn json_response(status: u16, v: &Value) -> Response {
    let mut r = Response::new(Body::from(serde_json::to_vec(v).unwrap()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    r.headers_mut().insert("content-type", axum::http::HeaderValue::from_static("application/json"));
    r
}

/// A freshly generated self-signed certificate (PEM) with the given serial and CN, and its key.
/// Nothing is written to disk.
pub fn test_cert(serial: u64, cn: &str) -> (String, String) {
    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SerialNumber};
    let mut params = CertificateParams::new(vec![cn.to_string()]).unwrap();
    let bytes = serial.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len() - 1);
    params.serial_number = Some(SerialNumber::from_slice(&bytes[first..]));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}
