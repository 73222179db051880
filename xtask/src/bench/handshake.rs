//! Start-to-handshake and idle RSS: the provider is launched with the environment Terraform
//! gives it (magic cookie, `PLUGIN_PROTOCOL_VERSIONS=5,6`, the port range and a fresh P-521
//! client certificate in `PLUGIN_CLIENT_CERT`), the clock runs from spawn until the handshake line
//! arrives on stdout, and the resident set is read from /proc once the process has idled.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::BenchError;
use super::fixtures::plugin_client_certificate;
use super::report::Summary;

const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// How long the provider sits idle before its RSS is read.
const IDLE: Duration = Duration::from_millis(300);

/// Start-to-handshake times (milliseconds) and idle RSS (MiB) over `launches` launches.
#[derive(Debug)]
pub struct HandshakeFigures {
    pub start_to_handshake_ms: Summary,
    pub idle_rss_mib: Summary,
}

pub fn measure(provider: &Path, launches: usize) -> Result<HandshakeFigures, BenchError> {
    let client_cert = plugin_client_certificate()?;
    let socket_dir = tempfile::tempdir().map_err(BenchError::io("create a socket directory"))?;
    let mut times = Vec::with_capacity(launches);
    let mut rss = Vec::with_capacity(launches);
    // One launch first so the binary is in the page cache, as it is when Terraform runs it.
    launch(provider, &client_cert, socket_dir.path())?;
    for _ in 0..launches {
        let (elapsed, resident) = launch(provider, &client_cert, socket_dir.path())?;
        times.push(elapsed.as_secs_f64() * 1000.0);
        rss.push(resident as f64 / 1024.0);
    }
    Ok(HandshakeFigures { start_to_handshake_ms: Summary::of(&times), idle_rss_mib: Summary::of(&rss) })
}

/// One launch: time to the handshake line, and RSS (KiB) after idling.
fn launch(provider: &Path, client_cert: &str, socket_dir: &Path) -> Result<(Duration, u64), BenchError> {
    let started = Instant::now();
    let mut child = Command::new(provider)
        .env_clear()
        .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_CLIENT_CERT", client_cert)
        .env("TMPDIR", socket_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(BenchError::io(format!("launch {}", provider.display())))?;
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line);
    let elapsed = started.elapsed();
    let outcome = match read {
        Ok(_) if line.starts_with("1|5|unix|") => {
            std::thread::sleep(IDLE);
            resident_kib(child.id()).map(|kib| (elapsed, kib))
        }
        Ok(_) => Err(BenchError::Setup(format!("the provider printed no handshake line (got {line:?})"))),
        Err(e) => Err(BenchError::io("read the handshake line")(e)),
    };
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

/// `VmRSS` of a running process, in KiB.
fn resident_kib(pid: u32) -> Result<u64, BenchError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(BenchError::io("read /proc status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| BenchError::Setup(format!("no VmRSS line in /proc/{pid}/status")))
}
