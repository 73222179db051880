//! The unix socket Terraform connects to, as go-plugin creates it: a fresh `plugin…` name in
//! `PLUGIN_UNIX_SOCKET_DIR` or the temp dir, removed when the server ends.

use std::io;
use std::path::{Path, PathBuf};

use std::os::unix::net::UnixListener;

/// Directory override go-plugin hosts may set; Terraform itself does not.
pub const SOCKET_DIR_ENV: &str = "PLUGIN_UNIX_SOCKET_DIR";

/// The socket file; removed when this is dropped (keep it alive as long as the server runs).
#[derive(Debug)]
pub struct SocketFile {
    path: PathBuf,
}

/// Binds a new socket in `dir` (or the temp dir). Listening starts on return, so the handshake
/// can be printed right after; the listener is non-blocking, for tokio's `UnixListener::from_std`.
pub fn bind_in(dir: Option<&Path>) -> io::Result<(UnixListener, SocketFile)> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::temp_dir(),
    };
    let mut last_error = None;
    for _ in 0..16 {
        // aws-lc's generator, like the server certificate's, not `rand`'s (see tls.rs).
        let mut name = [0u8; 4];
        aws_lc_rs::rand::fill(&mut name).map_err(|_| io::Error::other("no random bytes for the plugin socket name"))?;
        let path = dir.join(format!("plugin{:010}", u32::from_ne_bytes(name)));
        match UnixListener::bind(&path) {
            Ok(listener) => {
                let socket = SocketFile { path };
                listener.set_nonblocking(true)?;
                return Ok((listener, socket));
            }
            // Name taken by another process: draw again.
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("could not create the plugin socket {}: {e}", path.display()),
                ));
            }
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("could not find a free plugin socket name")))
}

impl SocketFile {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %e, "Could not remove the plugin socket");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn socket_is_created_in_the_directory_and_removed_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (listener, socket) = bind_in(Some(dir.path())).expect("bind");
        let path = socket.path().to_path_buf();
        assert_eq!(path.parent(), Some(dir.path()));
        assert!(path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("plugin")));
        tokio::net::UnixStream::connect(&path).await.expect("listening before any accept");
        drop(listener);
        drop(socket);
        assert!(!path.exists());
    }

    #[tokio::test]
    async fn missing_directory_is_a_clear_error() {
        let err = bind_in(Some(Path::new("/nonexistent-dir-for-test"))).expect_err("must fail");
        assert!(err.to_string().contains("/nonexistent-dir-for-test"), "{err}");
    }
}
