//! A test client that behaves like go-plugin's (what Terraform uses): it launches the provider
//! binary with the plugin environment, parses the handshake line, and talks gRPC over the unix
//! socket with mutual TLS (its own P-521 certificate, the server certificate pinned from the
//! handshake). The generated protobuf code is private to the crate, so the few messages needed
//! are declared here.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::net::UnixStream;
use tokio::process::{Child, Command};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint};

pub const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
pub const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-apig");
pub const TIMEOUT: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------------------------------------
// Certificates
// ------------------------------------------------------------------------------------------------

/// A certificate made the way go-plugin makes Terraform's client certificate: P-521, CA, both EKUs.
pub struct ClientIdentity {
    pub pem: String,
    pub der: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl ClientIdentity {
    pub fn generate() -> ClientIdentity {
        let (cert, key) = terraform_provider_apig::protocol::go_plugin_certificate(&rcgen::PKCS_ECDSA_P521_SHA512)
            .expect("P-521 certificate");
        ClientIdentity { pem: cert.pem(), der: cert.der().clone(), key: PrivatePkcs8KeyDer::from(key.serialize_der()) }
    }
}

/// Trusts exactly the server certificate announced in the handshake, as go-plugin's client does
/// (its RootCAs hold only that certificate), and checks the handshake signatures.
#[derive(Debug)]
struct PinnedServerCert {
    der: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

pub struct TlsClientOptions<'a> {
    /// The certificate to present, if any.
    pub identity: Option<&'a ClientIdentity>,
    pub versions: &'static [&'static rustls::SupportedProtocolVersion],
}

impl<'a> TlsClientOptions<'a> {
    pub fn with(identity: &'a ClientIdentity) -> Self {
        TlsClientOptions { identity: Some(identity), versions: rustls::ALL_VERSIONS }
    }
}

// ------------------------------------------------------------------------------------------------
// The plugin process
// ------------------------------------------------------------------------------------------------

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

/// One TLS (or plain) connection turned into a tonic channel.
pub async fn connect(handshake: &Handshake, tls: Option<TlsClientOptions<'_>>) -> Result<Channel, String> {
    let socket = UnixStream::connect(&handshake.address).await.map_err(|e| format!("connect: {e}"))?;
    let endpoint = Endpoint::from_static("http://localhost").connect_timeout(TIMEOUT);
    match (tls, &handshake.server_cert) {
        (Some(options), Some(server_cert)) => {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let verifier =
                PinnedServerCert { der: server_cert.clone(), algorithms: provider.signature_verification_algorithms };
            let builder = rustls::ClientConfig::builder_with_provider(provider)
                .with_protocol_versions(options.versions)
                .map_err(|e| e.to_string())?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier));
            let mut config = match options.identity {
                Some(identity) => builder
                    .with_client_auth_cert(vec![identity.der.clone()], PrivateKeyDer::Pkcs8(identity.key.clone_key()))
                    .map_err(|e| e.to_string())?,
                None => builder.with_no_client_auth(),
            };
            config.alpn_protocols = vec![b"h2".to_vec()];
            let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
            let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
            let stream = connector.connect(name, socket).await.map_err(|e| format!("TLS: {e}"))?;
            let alpn = stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
            if alpn.as_deref() != Some(b"h2".as_slice()) {
                return Err(format!("ALPN h2 not negotiated: {alpn:?}"));
            }
            endpoint.connect_with_connector(OneShot::new(stream)).await.map_err(|e| format!("h2: {e}"))
        }
        (None, None) => endpoint.connect_with_connector(OneShot::new(socket)).await.map_err(|e| format!("h2: {e}")),
        (tls, cert) => Err(format!("TLS wanted: {}, server certificate announced: {}", tls.is_some(), cert.is_some())),
    }
}

/// A connector that hands tonic one already-established stream.
struct OneShot<S> {
    stream: Arc<Mutex<Option<S>>>,
}

impl<S> OneShot<S> {
    fn new(stream: S) -> Self {
        OneShot { stream: Arc::new(Mutex::new(Some(stream))) }
    }
}

impl<S> tonic::codegen::Service<tonic::codegen::http::Uri> for OneShot<S>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    type Response = TokioIo<S>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<TokioIo<S>, std::io::Error>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: tonic::codegen::http::Uri) -> Self::Future {
        let stream = self.stream.lock().ok().and_then(|mut s| s.take());
        std::future::ready(
            stream.map(TokioIo::new).ok_or_else(|| std::io::Error::other("this test connector connects only once")),
        )
    }
}

// ------------------------------------------------------------------------------------------------
// gRPC calls with hand-declared messages
// ------------------------------------------------------------------------------------------------

#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Block {
    #[prost(int64, tag = "1")]
    pub version: i64,
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<AttributeMsg>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct AttributeMsg {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(bytes = "vec", tag = "2")]
    pub r#type: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Schema {
    #[prost(int64, tag = "1")]
    pub version: i64,
    #[prost(message, optional, tag = "2")]
    pub block: Option<Block>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Diagnostic {
    #[prost(int32, tag = "1")]
    pub severity: i32,
    #[prost(string, tag = "2")]
    pub summary: String,
    #[prost(string, tag = "3")]
    pub detail: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct GetProviderSchemaResponse {
    #[prost(message, optional, tag = "1")]
    pub provider: Option<Schema>,
    #[prost(map = "string, message", tag = "2")]
    pub resource_schemas: std::collections::HashMap<String, Schema>,
    #[prost(message, repeated, tag = "4")]
    pub diagnostics: Vec<Diagnostic>,
    #[prost(message, optional, tag = "5")]
    pub provider_meta: Option<Schema>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct DynamicValue {
    #[prost(bytes = "vec", tag = "1")]
    pub msgpack: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    pub json: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ValidateResourceTypeConfigRequest {
    #[prost(string, tag = "1")]
    pub type_name: String,
    #[prost(message, optional, tag = "2")]
    pub config: Option<DynamicValue>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct DiagnosticsResponse {
    #[prost(message, repeated, tag = "1")]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TypeNameRequest {
    #[prost(string, tag = "1")]
    pub type_name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StopResponse {
    #[prost(string, tag = "1")]
    pub error: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct HealthCheckRequest {
    #[prost(string, tag = "1")]
    pub service: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct HealthCheckResponse {
    /// 1 = SERVING.
    #[prost(int32, tag = "1")]
    pub status: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StdioData {
    #[prost(int32, tag = "1")]
    pub channel: i32,
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ConnInfo {
    #[prost(uint32, tag = "1")]
    pub service_id: u32,
    #[prost(string, tag = "2")]
    pub network: String,
    #[prost(string, tag = "3")]
    pub address: String,
}

const MESSAGE_LIMIT: usize = 256 * 1024 * 1024;

fn grpc(channel: &Channel) -> tonic::client::Grpc<Channel> {
    tonic::client::Grpc::new(channel.clone())
        .max_decoding_message_size(MESSAGE_LIMIT)
        .max_encoding_message_size(MESSAGE_LIMIT)
}

/// A unary call on a raw path such as `/tfplugin5.Provider/GetSchema`.
pub async fn unary<Req, Resp>(channel: &Channel, path: &'static str, request: Req) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut client = grpc(channel);
    client.ready().await.map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    let response = client.unary(tonic::Request::new(request), PathAndQuery::from_static(path), codec).await?;
    Ok(response.into_inner())
}

/// A server-streaming call.
pub async fn server_stream<Req, Resp>(
    channel: &Channel,
    path: &'static str,
    request: Req,
) -> Result<tonic::Streaming<Resp>, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut client = grpc(channel);
    client.ready().await.map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    let response =
        client.server_streaming(tonic::Request::new(request), PathAndQuery::from_static(path), codec).await?;
    Ok(response.into_inner())
}

/// A bidirectional-streaming call; the request stream is supplied by the caller.
pub async fn bidi_stream<Req, Resp, S>(
    channel: &Channel,
    path: &'static str,
    requests: S,
) -> Result<tonic::Streaming<Resp>, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
    S: futures::Stream<Item = Req> + Send + 'static,
{
    let mut client = grpc(channel);
    client.ready().await.map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    let response = client.streaming(tonic::Request::new(requests), PathAndQuery::from_static(path), codec).await?;
    Ok(response.into_inner())
}

pub async fn get_schema(channel: &Channel) -> Result<GetProviderSchemaResponse, tonic::Status> {
    unary(channel, "/tfplugin5.Provider/GetSchema", Empty {}).await
}

pub async fn shutdown(channel: &Channel) -> Result<Empty, tonic::Status> {
    unary(channel, "/plugin.GRPCController/Shutdown", Empty {}).await
}
