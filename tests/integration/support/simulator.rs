//! A running `apig-simulator` for integration tests: started on port 0 from the binary Cargo
//! built, killed when dropped. The admin helpers use a tiny blocking HTTP/1.1 client over
//! `std::net`, so they work from plain `#[test]`s and from async tests alike.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
pub const PROJECT_NAME: &str = "cn-north-4";
pub const INSTANCE_ID: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
pub const GROUP_ID: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
pub const GROUP_NAME: &str = "demo_group";
/// `(domain ID, domain name)` of the default fixture.
pub const DOMAINS: [(&str, &str); 3] = [
    ("d0000000000000000000000000000001", "api.example.com"),
    ("d0000000000000000000000000000002", "www.example.com"),
    ("d0000000000000000000000000000003", "shop.example.org"),
];
pub const TOKEN: &str = "sim-token";
pub const USER: &str = "sim-user";
pub const PASSWORD: &str = "sim-password";
pub const USER_DOMAIN: &str = "sim-domain";

/// Path of the simulator binary built for this test run.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_apig-simulator")
}

pub struct Simulator {
    child: Child,
    addr: SocketAddr,
}

impl Simulator {
    /// Starts with the default fixture and credentials.
    pub fn start() -> Simulator {
        Self::start_with(&[])
    }

    /// Starts with extra command-line arguments (`--access-key`, `--token`, `--fixtures`, ...).
    /// Set `APIG_SIM_TEST_LOG=1` to see the simulator's log on stderr.
    pub fn start_with(args: &[&str]) -> Simulator {
        let stderr = if std::env::var_os("APIG_SIM_TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() };
        let mut child = Command::new(binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start apig-simulator");
        let stdout = child.stdout.take().expect("simulator stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep the pipe open for the life of the process.
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("apig-simulator printed no ready line within 30 s");
            }
        };
        let addr = line
            .trim_end()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected ready line from apig-simulator: {line:?}"));
        Simulator { child, addr }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `{base_url}/v2/{project}/{service}` with `service` = `apigw` or `apic`.
    pub fn service_url(&self, service: &str) -> String {
        format!("{}/v2/{PROJECT_ID}/{service}", self.base_url())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whole state (`GET /_sim/state`).
    pub fn state(&self) -> Value {
        self.admin("GET", "/_sim/state", None).1
    }

    /// The certificates of the default project on `service` (`apigw` / `apic`), from the state.
    pub fn certificates(&self, service: &str) -> Vec<Value> {
        let state = self.state();
        state[service]["projects"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["id"] == PROJECT_ID))
            .and_then(|p| p["certificates"].as_array().cloned())
            .unwrap_or_default()
    }

    /// `GET /_sim/requests`: `{"count": n, "faults": n, "fault_kinds": {kind: n}, "requests":
    /// [{seq, method, path, query, status, dropped, fault, time}]}`.
    pub fn requests(&self) -> Value {
        self.admin("GET", "/_sim/requests", None).1
    }

    pub fn request_count(&self) -> u64 {
        self.requests()["count"].as_u64().unwrap_or(0)
    }

    pub fn clear_requests(&self) {
        let (status, _) = self.admin("DELETE", "/_sim/requests", None);
        assert_eq!(status, 204);
    }

    /// `POST /_sim/faults`; panics unless accepted. Returns the stored rule.
    pub fn add_fault(&self, rule: Value) -> Value {
        let (status, body) = self.admin("POST", "/_sim/faults", Some(&rule));
        assert_eq!(status, 200, "fault refused: {body}");
        body["rule"].clone()
    }

    pub fn clear_faults(&self) {
        let (status, _) = self.admin("DELETE", "/_sim/faults", None);
        assert_eq!(status, 204);
    }

    /// `POST /_sim/reset`: back to the fixtures (also clears faults, tokens and the request log).
    pub fn reset(&self) {
        let (status, _) = self.admin("POST", "/_sim/reset", None);
        assert_eq!(status, 204);
    }

    /// `POST /_sim/reset {"seed": N}`: as [`Simulator::reset`], fault rolls reseeded with N.
    pub fn reset_with_seed(&self, seed: u64) {
        let (status, body) = self.admin("POST", "/_sim/reset", Some(&serde_json::json!({"seed": seed})));
        assert_eq!(status, 204, "{body}");
    }

    /// `GET /_sim/behaviour`: `{"read_lag_ms": N, "write_conflict_window_ms": N}`.
    pub fn behaviour(&self) -> Value {
        self.admin("GET", "/_sim/behaviour", None).1
    }

    /// `PUT /_sim/behaviour`; panics unless accepted. Returns the settings now in force.
    pub fn set_behaviour(&self, settings: Value) -> Value {
        let (status, body) = self.admin("PUT", "/_sim/behaviour", Some(&settings));
        assert_eq!(status, 200, "behaviour refused: {body}");
        body
    }

    /// One blocking request to the simulator; returns status and JSON body (Null when empty).
    pub fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, _, bytes) = raw_request(self.addr, method, path, &[], body.map(|b| b.to_string()).as_deref());
        let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        (status, value)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking HTTP/1.1 request with `Connection: close`; returns status, headers and body.
pub fn raw_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect to apig-simulator");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let body = body.unwrap_or("");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

/// An answer read by [`call`].
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// The raw body text (empty for 204).
    pub text: String,
    /// The body as JSON (Null when empty or not JSON).
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Panics with the body unless the status is `want`.
    pub fn expect(self, want: u16) -> Reply {
        assert_eq!(self.status, want, "unexpected status; body: {}", self.text);
        self
    }

    /// Panics unless this is the API error `(status, code)`; returns `error_msg`.
    pub fn expect_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        assert_eq!(self.json["error_code"], code, "unexpected error; body: {}", self.text);
        self.json["error_msg"].as_str().unwrap_or_default().to_string()
    }
}

/// One request with a plain reqwest client (not the provider's API client), `X-Auth-Token: token`
/// when given.
pub async fn call(method: &str, url: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.header("X-Auth-Token", t);
    }
    if let Some(b) = body {
        req = req.header("Content-Type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.expect("request to apig-simulator");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("response body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, text, json }
}
