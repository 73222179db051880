//! The TLS side of go-plugin's client: its own P-521 certificate, the server certificate pinned
//! from the handshake, ALPN h2, and the one stream handed to tonic as a channel.

use std::sync::{Arc, Mutex};

use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint};

use super::launch::{Handshake, TIMEOUT};

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
