//! What ends the server besides `Shutdown`: signals, and the parent process going away.

use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// How often the parent process is checked for.
const PARENT_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Installs the signal handling for the server's lifetime.
///
/// SIGINT: launched by Terraform, a terminal Ctrl-C reaches the provider too (same process group);
/// Terraform handles it itself by calling `Stop`, so the provider ignores it, like go-plugin
/// servers. In debug mode SIGINT is how the user ends the server.
/// SIGTERM (and SIGHUP): end the server cleanly so the socket file is removed.
pub fn handle_signals(shutdown: CancellationToken, interrupt_ends_server: bool) -> std::io::Result<()> {
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = interrupt.recv() => {
                    if interrupt_ends_server {
                        tracing::info!("Interrupted: shutting down");
                        shutdown.cancel();
                        return;
                    }
                    tracing::debug!("Ignoring SIGINT: Terraform stops providers itself");
                }
                _ = terminate.recv() => {
                    tracing::info!("SIGTERM received: shutting down");
                    shutdown.cancel();
                    return;
                }
                _ = hangup.recv() => {
                    tracing::info!("SIGHUP received: shutting down");
                    shutdown.cancel();
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Ends the server if the process that started it goes away (Terraform crashed or was killed):
/// the provider is then re-parented and nobody will ever call `Shutdown`.
pub fn watch_parent(shutdown: CancellationToken) {
    let parent = parent_pid();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PARENT_POLL_INTERVAL);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = ticks.tick() => {
                    if parent_pid() != parent {
                        tracing::warn!("The process that started the provider is gone: shutting down");
                        shutdown.cancel();
                        return;
                    }
                }
            }
        }
    });
}

fn parent_pid() -> u32 {
    std::os::unix::process::parent_id()
}
