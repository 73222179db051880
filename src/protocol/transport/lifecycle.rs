//! What ends the server besides `Shutdown`: signals, and the parent process going away.

use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// How often the parent process is checked for.
const PARENT_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// The signals [`handle_signals`] handles.
const HANDLED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// SIGINT, SIGTERM and SIGHUP blocked on this thread from [`hold`] until this is dropped, which
/// unblocks those that were not blocked already: a signal that arrives in between stays pending,
/// and is delivered (to this thread) on the drop. Held until [`handle_signals`] has installed the
/// handlers, it is handled as usual instead of ending the process with the default action.
/// Threads started meanwhile (the runtime's) inherit the mask and keep it, so these signals
/// reach the process through this thread only; their handlers only wake the runtime.
///
/// [`hold`]: HeldSignals::hold
pub struct HeldSignals {
    released: libc::sigset_t,
}

impl HeldSignals {
    pub fn hold() -> std::io::Result<HeldSignals> {
        // SAFETY: sigset_t is plain data, initialised by sigemptyset before any other use, and
        // pthread_sigmask only reads `handled` and writes `previous`.
        unsafe {
            let mut handled: libc::sigset_t = std::mem::zeroed();
            let mut previous: libc::sigset_t = std::mem::zeroed();
            let mut released: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut handled);
            libc::sigemptyset(&mut released);
            for signal in HANDLED {
                libc::sigaddset(&mut handled, signal);
            }
            let rc = libc::pthread_sigmask(libc::SIG_BLOCK, &handled, &mut previous);
            if rc != 0 {
                return Err(std::io::Error::from_raw_os_error(rc));
            }
            for signal in HANDLED {
                if libc::sigismember(&previous, signal) == 0 {
                    libc::sigaddset(&mut released, signal);
                }
            }
            Ok(HeldSignals { released })
        }
    }
}

impl Drop for HeldSignals {
    fn drop(&mut self) {
        // SAFETY: `released` was initialised in `hold`; unblocking cannot fail with a valid set.
        unsafe {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &self.released, std::ptr::null_mut());
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A signal raised while held waits, and reaches the handler installed before the release;
    /// without the hold, SIGHUP's default action would end the test process.
    #[tokio::test]
    async fn a_held_signal_is_handled_once_released() {
        let held = HeldSignals::hold().expect("hold");
        // raise() signals this thread only, which blocks it: nothing is delivered yet.
        assert_eq!(unsafe { libc::raise(libc::SIGHUP) }, 0);
        let mut hangup = signal(SignalKind::hangup()).expect("handler");
        drop(held);
        tokio::time::timeout(Duration::from_secs(5), hangup.recv()).await.expect("delivered on release");
    }
}
