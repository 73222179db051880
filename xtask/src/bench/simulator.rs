//! The release `apig-simulator`, started on a free port and killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::BenchError;

pub struct Simulator {
    child: Child,
    pub base_url: String,
}

impl Simulator {
    pub fn start(binary: &Path) -> Result<Simulator, BenchError> {
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(BenchError::io(format!("start {}", binary.display())))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .map_err(BenchError::io("read the simulator's ready line"))?;
        match line.trim().strip_prefix("listening on ") {
            Some(url) => Ok(Simulator { base_url: url.to_string(), child }),
            None => {
                let _ = child.kill();
                Err(BenchError::Setup(format!("apig-simulator did not report its address (got {line:?})")))
            }
        }
    }

    /// How many API requests the simulator has served (`GET /_sim/requests`).
    pub fn request_count(&self) -> Result<u64, BenchError> {
        let url = format!("{}/_sim/requests", self.base_url);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(BenchError::io("start a tokio runtime"))?;
        let body: serde_json::Value = runtime
            .block_on(async { reqwest::get(&url).await?.error_for_status()?.json().await })
            .map_err(|e| BenchError::Setup(format!("GET {url}: {e}")))?;
        body["count"].as_u64().ok_or_else(|| BenchError::Setup(format!("GET {url}: no count in {body}")))
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
