//! From process start to a serving gRPC server: magic cookie, version negotiation, unix socket,
//! mutual TLS, the handshake line, and the server's lifetime (Shutdown, signals, parent gone).

mod handshake;
mod lifecycle;
mod reattach;
mod socket;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use futures::Stream;
use tokio::net::{UnixListener, UnixStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_stream::wrappers::{ReceiverStream, UnixListenerStream};
use tokio_util::sync::CancellationToken;

use super::ProviderServer;
use super::grpc;
use handshake::Address;
use handshake::{MAGIC_COOKIE_KEY, NOT_LAUNCHED_BY_TERRAFORM};
pub use tls::{TlsSetupError, go_plugin_certificate};

/// The provider's source address, as used in `required_providers` and `TF_REATTACH_PROVIDERS`.
pub const DEFAULT_PROVIDER_ADDRESS: &str = "registry.terraform.io/hwapig/apig";

/// Environment variable holding the PEM of Terraform's per-launch client certificate.
const CLIENT_CERT_ENV: &str = "PLUGIN_CLIENT_CERT";
const PROTOCOL_VERSIONS_ENV: &str = "PLUGIN_PROTOCOL_VERSIONS";

/// A TLS handshake that has not finished in this time is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// After `Shutdown`, in-flight calls get this long to finish before the process ends anyway
/// (Terraform kills it 2 s after asking).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1000);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Debug mode: started by the user, no cookie check, no TLS, prints `TF_REATTACH_PROVIDERS`
    /// instead of the handshake and runs until Ctrl-C.
    pub debug: bool,
    /// Source address printed in debug mode.
    pub provider_address: String,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { debug: false, provider_address: DEFAULT_PROVIDER_ADDRESS.to_string() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Run by hand instead of by Terraform; the message is for the user.
    #[error("{}", NOT_LAUNCHED_BY_TERRAFORM)]
    NotLaunchedByTerraform,
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the gRPC server failed: {0}")]
    Server(#[from] tonic::transport::Error),
}

/// Serves `server` over tfplugin5 until Terraform calls `Shutdown` (or, in debug mode, until
/// Ctrl-C), then removes the socket and returns. Nothing but the handshake is written to stdout.
/// [`announce`] and [`Announced::serve`] in one; a process that starts its runtime only for
/// this should call them itself, the runtime in between.
pub async fn serve(server: Arc<dyn ProviderServer>, options: ServeOptions) -> Result<(), ServeError> {
    announce(options)?.serve(move || server).await
}

/// The launch up to the handshake line: the magic cookie, the server certificate, protocol
/// version negotiation, the socket, and the line itself (or, in debug mode, the reattach
/// instructions). It needs no async runtime, so a process can print the line before it starts
/// one: started first, the runtime and its worker threads put the line about 0.6 ms (of some 3)
/// later. Terraform dials as soon as it reads the line; its connection waits in the listener's
/// backlog until [`Announced::serve`] accepts it.
///
/// SIGINT, SIGTERM and SIGHUP are held (blocked) from here until `serve` has installed their
/// handlers, so one that arrives in between is handled as usual instead of ending the process.
pub fn announce(options: ServeOptions) -> Result<Announced, ServeError> {
    if !options.debug && !handshake::magic_cookie_matches(std::env::var(MAGIC_COOKIE_KEY).ok().as_deref()) {
        return Err(ServeError::NotLaunchedByTerraform);
    }
    let held_signals = lifecycle::HeldSignals::hold()?;

    let tls = if options.debug {
        None
    } else {
        match std::env::var(CLIENT_CERT_ENV) {
            Ok(pem) if !pem.trim().is_empty() => Some(tls_setup(&pem)?),
            _ => {
                tracing::warn!("PLUGIN_CLIENT_CERT is not set: serving without TLS");
                None
            }
        }
    };

    let (protocol_version, offered) =
        handshake::negotiate_protocol_version(std::env::var(PROTOCOL_VERSIONS_ENV).ok().as_deref());
    if !offered {
        tracing::warn!(
            client_versions = std::env::var(PROTOCOL_VERSIONS_ENV).unwrap_or_default(),
            "The client does not offer plugin protocol 5, the only one this provider speaks"
        );
    }

    let socket_dir = std::env::var_os(socket::SOCKET_DIR_ENV).filter(|d| !d.is_empty()).map(std::path::PathBuf::from);
    let (listener, socket_file) = socket::bind_in(socket_dir.as_deref())?;
    let address = Address::Unix(socket_file.path().to_path_buf());

    let announcement = if options.debug {
        let json = reattach::reattach_json(&options.provider_address, std::process::id(), &address);
        reattach::instructions(&json)
    } else {
        let cert = tls.as_ref().map(|(identity, _)| identity.cert_der.as_ref());
        handshake::handshake_line(protocol_version, &address, cert)
    };
    handshake::announce(&announcement)?;
    Ok(Announced { debug: options.debug, tls: tls.map(|(_, config)| config), listener, socket_file, held_signals })
}

/// A launch whose handshake line is out; [`Announced::serve`] serves it. Dropped unserved, it
/// removes the socket.
pub struct Announced {
    debug: bool,
    tls: Option<Arc<rustls::ServerConfig>>,
    listener: std::os::unix::net::UnixListener,
    socket_file: socket::SocketFile,
    held_signals: lifecycle::HeldSignals,
}

impl Announced {
    /// Serves the server made by `build` until Terraform calls `Shutdown` (or, in debug mode,
    /// until Ctrl-C), then removes the socket and returns. Runs on the runtime that serves.
    ///
    /// `build` runs after the signal handlers and the TLS accept loop are in place, so
    /// Terraform's TLS handshake runs on a worker meanwhile: making the provider's server (the
    /// engine compiles every schema) is not something the line needs to wait for. A panic in
    /// `build` ends the process, after the line.
    pub async fn serve<B>(self, build: B) -> Result<(), ServeError>
    where
        B: FnOnce() -> Arc<dyn ProviderServer>,
    {
        let Announced { debug, tls, listener, socket_file, held_signals } = self;
        let listener = UnixListener::from_std(listener)?;
        let shutdown = CancellationToken::new();
        lifecycle::handle_signals(shutdown.clone(), debug)?;
        drop(held_signals);
        if !debug {
            lifecycle::watch_parent(shutdown.clone());
        }

        let served = match tls {
            Some(config) => {
                let incoming = tls_incoming(listener, TlsAcceptor::from(config), shutdown.clone());
                let router = grpc::router(build(), shutdown.clone()).await;
                tracing::debug!(socket = %socket_file.path().display(), "Serving with mutual TLS");
                run_until_shutdown(router, incoming, shutdown).await
            }
            None => {
                let incoming = UnixListenerStream::new(listener);
                let router = grpc::router(build(), shutdown.clone()).await;
                tracing::debug!(socket = %socket_file.path().display(), "Serving without TLS");
                run_until_shutdown(router, incoming, shutdown).await
            }
        };
        drop(socket_file);
        tracing::debug!("Server stopped");
        served
    }
}

fn tls_setup(client_cert_pem: &str) -> Result<(tls::ServerIdentity, Arc<rustls::ServerConfig>), TlsSetupError> {
    let client_certs = tls::parse_client_certificates(client_cert_pem)?;
    let identity = tls::generate_server_identity()?;
    let config = tls::server_config(&identity, client_certs)?;
    Ok((identity, config))
}

/// Serves until `shutdown` fires, then lets in-flight calls finish for at most [`SHUTDOWN_GRACE`].
async fn run_until_shutdown<S, IO>(
    router: tonic::transport::server::Router,
    incoming: S,
    shutdown: CancellationToken,
) -> Result<(), ServeError>
where
    S: Stream<Item = Result<IO, std::io::Error>> + Send + 'static,
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + tonic::transport::server::Connected + Unpin + Send + 'static,
{
    let signal = shutdown.clone();
    let server = router.serve_with_incoming_shutdown(incoming, async move { signal.cancelled().await });
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map_err(ServeError::from),
        () = shutdown.cancelled() => {}
    }
    match tokio::time::timeout(SHUTDOWN_GRACE, server).await {
        Ok(result) => result.map_err(ServeError::from),
        Err(_) => {
            tracing::debug!("In-flight calls did not finish in time; stopping anyway");
            Ok(())
        }
    }
}

/// Accepted connections that completed the TLS handshake (client certificate checked). Each
/// handshake runs in its own task so a slow or hostile client cannot hold up the others.
fn tls_incoming(
    listener: UnixListener,
    acceptor: TlsAcceptor,
    shutdown: CancellationToken,
) -> ReceiverStream<Result<TlsStream<UnixStream>, std::io::Error>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => return,
                accepted = listener.accept() => accepted,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "Could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let acceptor = acceptor.clone();
            let sender = sender.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls_stream)) => {
                        // The receiver is gone only when the server stopped.
                        let _ = sender.send(Ok(tls_stream)).await;
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "Refused a connection: TLS handshake failed"),
                    Err(_) => tracing::warn!("Refused a connection: TLS handshake timed out"),
                }
            });
        }
    });
    ReceiverStream::new(receiver)
}
