//! The plugin process, launched as go-plugin launches it: the plugin environment, the handshake
//! line on stdout (parsed), stderr collected, and the connection the handshake announces.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tonic::transport::Channel;

use super::tls::{TlsClientOptions, connect};

pub const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
pub const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-apig");
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The parsed handshake line `CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]`.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub line: String,
    pub core_version: String,
    pub protocol_version: String,
    pub network: String,
    pub address: PathBuf,
    pub protocol: String,
    pub server_cert: Option<Vec<u8>>,
}

impl Handshake {
    pub fn parse(line: &str) -> Handshake {
        let parts: Vec<&str> = line.trim_end_matches('\n').split('|').collect();
        assert!(parts.len() == 5 || parts.len() == 6, "handshake line has 5 or 6 fields: {line:?}");
        let server_cert = parts.get(5).map(|cert| {
            assert!(!cert.contains('='), "certificate must be base64 without padding: {cert}");
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(cert).expect("RawStdEncoding base64")
        });
        Handshake {
            line: line.to_string(),
            core_version: parts[0].to_string(),
            protocol_version: parts[1].to_string(),
            network: parts[2].to_string(),
            address: PathBuf::from(parts[3]),
            protocol: parts[4].to_string(),
            server_cert,
        }
    }
}

/// A running provider process; killed if the test ends without shutting it down.
pub struct Plugin {
    pub child: Child,
    pub handshake: Handshake,
    pub stderr: Arc<Mutex<String>>,
    /// Keeps PLUGIN_UNIX_SOCKET_DIR alive.
    pub socket_dir: tempfile::TempDir,
}

pub struct Launch<'a> {
    pub cookie: Option<&'a str>,
    pub protocol_versions: Option<&'a str>,
    pub client_cert_pem: Option<&'a str>,
    pub args: &'a [&'a str],
    pub log_level: &'a str,
}

impl Default for Launch<'_> {
    fn default() -> Self {
        Launch {
            cookie: Some(MAGIC_COOKIE),
            protocol_versions: Some("5,6"),
            client_cert_pem: None,
            args: &[],
            log_level: "debug",
        }
    }
}

/// Starts the binary with a clean plugin environment (what go-plugin sets, nothing inherited that
/// could change the outcome).
pub fn command(launch: &Launch<'_>, socket_dir: &Path) -> Command {
    let mut cmd = Command::new(BINARY);
    cmd.args(launch.args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PLUGIN_UNIX_SOCKET_DIR", socket_dir)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("TF_LOG_PROVIDER", launch.log_level)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(cookie) = launch.cookie {
        cmd.env("TF_PLUGIN_MAGIC_COOKIE", cookie);
    }
    if let Some(versions) = launch.protocol_versions {
        cmd.env("PLUGIN_PROTOCOL_VERSIONS", versions);
    }
    if let Some(pem) = launch.client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    cmd
}

fn collect_stderr(child: &mut Child) -> Arc<Mutex<String>> {
    let stderr = Arc::new(Mutex::new(String::new()));
    if let Some(pipe) = child.stderr.take() {
        let sink = Arc::clone(&stderr);
        tokio::spawn(async move {
            let mut lines = BufReader::new(pipe).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut all) = sink.lock() {
                    all.push_str(&line);
                    all.push('\n');
                }
            }
        });
    }
    stderr
}

impl Plugin {
    /// Launches the provider and waits for its handshake line, which must be the first output.
    pub async fn launch(launch: Launch<'_>) -> Plugin {
        let socket_dir = tempfile::tempdir().expect("socket dir");
        let mut child = command(&launch, socket_dir.path()).spawn().expect("spawn provider");
        let stderr = collect_stderr(&mut child);
        let stdout = child.stdout.take().expect("stdout piped");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        tokio::time::timeout(TIMEOUT, reader.read_line(&mut line))
            .await
            .expect("handshake in time")
            .expect("read handshake");
        assert!(line.ends_with('\n'), "handshake line is newline-terminated: {line:?}; stderr: {stderr:?}");
        // Anything else on stdout would break Terraform: make sure nothing follows.
        tokio::spawn(async move {
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest).await;
            assert!(rest.is_empty(), "unexpected stdout after the handshake: {:?}", String::from_utf8_lossy(&rest));
        });
        Plugin { child, handshake: Handshake::parse(&line), stderr, socket_dir }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Whether `needle` shows up on stderr soon (the server may log after the client gave up).
    pub async fn stderr_eventually_contains(&self, needle: &str) -> bool {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if self.stderr().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Connects as Terraform does: TLS with the pinned server certificate when the handshake
    /// carries one, plaintext otherwise.
    pub async fn connect(&self, tls: Option<TlsClientOptions<'_>>) -> Result<Channel, String> {
        connect(&self.handshake, tls).await
    }

    /// Waits for the process to end.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        tokio::time::timeout(limit, self.child.wait()).await.ok().and_then(Result::ok)
    }

    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().expect("running");
        let status = std::process::Command::new("kill").args([signal, &pid.to_string()]).status().expect("kill");
        assert!(status.success());
    }
}
