//! Mutual TLS as go-plugin's AutoMTLS does it, but enforced: a fresh self-signed server
//! certificate per launch, and only the exact client certificate Terraform put in
//! `PLUGIN_CLIENT_CERT` is accepted.
//!
//! Crypto is aws-lc-rs throughout: Terraform's client certificate is ECDSA P-521 / SHA-512, and
//! ring (rustls' other provider) cannot verify P-521 signatures at all.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};

/// How long the server certificate is valid: go-plugin uses 262980 hours (about 30 years).
const CERT_VALIDITY_HOURS: i64 = 262_980;

/// Why TLS could not be set up. Messages never include key material.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("could not generate the plugin's TLS certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error(
        "PLUGIN_CLIENT_CERT does not hold a PEM certificate ({0}); it is set by Terraform when it starts the \
         provider, do not set it by hand"
    )]
    ClientCertificate(String),
    #[error("could not build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The server's certificate (DER, also printed in the handshake) and its private key.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    key_der: PrivatePkcs8KeyDer<'static>,
}

impl std::fmt::Debug for ServerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerIdentity").field("cert_bytes", &self.cert_der.len()).finish_non_exhaustive()
    }
}

/// The server's identity for this launch: a [`go_plugin_certificate`] on ECDSA P-256 rather than
/// go-plugin's P-521. The key is made on every launch, before the handshake, and P-256 key
/// generation and signing cost a fraction of P-521's. Terraform pins this exact certificate from
/// the handshake line, and Go's crypto/tls accepts a P-256 one (tfplugin5.md §2.3, checked with
/// Terraform 1.11.4).
pub fn generate_server_identity() -> Result<ServerIdentity, TlsSetupError> {
    let (cert, key) = go_plugin_certificate(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    Ok(ServerIdentity { cert_der: cert.der().clone(), key_der: PrivatePkcs8KeyDer::from(key.serialize_der()) })
}

/// A fresh self-signed certificate shaped like go-plugin's `generateCert`, on the given ECDSA
/// algorithm: CN and SAN `localhost`, O `HashiCorp`, CA, server and client auth, a random 127-bit
/// serial, valid from 30 s ago (UTC) for about 30 years. Terraform's per-launch client
/// certificate has this shape on P-521, so tests and benchmarks that stand in for Terraform make
/// theirs here too.
pub fn go_plugin_certificate(
    algorithm: &'static rcgen::SignatureAlgorithm,
) -> Result<(rcgen::Certificate, rcgen::KeyPair), rcgen::Error> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
        SerialNumber,
    };

    let key = KeyPair::generate_for(algorithm)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name.push(DnType::CommonName, "localhost");
    params.distinguished_name.push(DnType::OrganizationName, "HashiCorp");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, ExtendedKeyUsagePurpose::ServerAuth];
    // 128 random bits with the top bit clear, so the DER integer stays positive. From aws-lc's
    // generator, which the key has just used: `rand`'s thread generator would be set up for this
    // alone, before the handshake line, CPU feature detection included (cpuid, slow in a VM).
    let mut serial = [0u8; 16];
    aws_lc_rs::rand::fill(&mut serial).map_err(|_| rcgen::Error::RingUnspecified)?;
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let now = ::time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::hours(CERT_VALIDITY_HOURS);

    let cert = params.self_signed(&key)?;
    Ok((cert, key))
}

/// Every certificate in a PEM bundle (Terraform sends exactly one).
pub fn parse_client_certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsSetupError::ClientCertificate(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsSetupError::ClientCertificate("no CERTIFICATE block found".into()));
    }
    Ok(certs)
}

fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// rustls server config: TLS 1.2 and 1.3, ALPN `h2` (grpc-go ≥ 1.67 refuses connections without
/// it), and the pinned client certificate verifier.
pub fn server_config(
    identity: &ServerIdentity,
    client_certs: Vec<CertificateDer<'static>>,
) -> Result<Arc<ServerConfig>, TlsSetupError> {
    let provider = crypto_provider();
    let verifier = PinnedClientCert::new(client_certs, provider.signature_verification_algorithms);
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![identity.cert_der.clone()], PrivateKeyDer::Pkcs8(identity.key_der.clone_key()))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// Accepts a client only if it presents exactly one of the pinned certificates (byte for byte)
/// and proves it holds the key. No chain building: Terraform's certificate is a self-signed CA
/// certificate used as an end entity, which a WebPKI verifier would reject anyway.
#[derive(Debug)]
pub struct PinnedClientCert {
    pinned: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    pub fn new(pinned: Vec<CertificateDer<'static>>, algorithms: WebPkiSupportedAlgorithms) -> Self {
        PinnedClientCert { pinned, algorithms }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn client_auth_mandatory(&self) -> bool {
        true
    }

    /// Empty: Go's client then offers its certificate whatever its issuer.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if self.pinned.iter().any(|pinned| pinned.as_ref() == end_entity.as_ref()) {
            Ok(ClientCertVerified::assertion())
        } else {
            tracing::warn!("Refused a TLS client: its certificate is not the one Terraform announced");
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    /// aws-lc-rs' list, which includes ECDSA_NISTP521_SHA512: offering it is what makes Go's
    /// client send its P-521 certificate at all (it sends none if no offered scheme fits).
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::*;

    #[test]
    fn server_certificate_mirrors_go_plugin() {
        let identity = generate_server_identity().expect("certificate generation");
        let (_, cert) = X509Certificate::from_der(identity.cert_der.as_ref()).expect("parse");
        let subject = cert.subject().to_string();
        assert!(subject.contains("CN=localhost") && subject.contains("O=HashiCorp"), "{subject}");
        assert_eq!(cert.issuer(), cert.subject(), "self-signed");
        assert_eq!(cert.signature_algorithm.algorithm, x509_parser::oid_registry::OID_SIG_ECDSA_WITH_SHA256);
        let curve = cert.public_key().algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
        assert_eq!(curve, Some(x509_parser::oid_registry::OID_EC_P256));

        let san = cert.subject_alternative_name().expect("SAN ok").expect("SAN present");
        assert!(san.value.general_names.iter().any(|n| matches!(n, GeneralName::DNSName("localhost"))));
        let constraints = cert.basic_constraints().expect("ok").expect("present");
        assert!(constraints.value.ca);
        let eku = cert.extended_key_usage().expect("ok").expect("present");
        assert!(eku.value.server_auth && eku.value.client_auth);
        let ku = cert.key_usage().expect("ok").expect("present");
        assert!(ku.value.digital_signature() && ku.value.key_encipherment());
        assert!(ku.value.key_agreement() && ku.value.key_cert_sign());

        let now = ::time::OffsetDateTime::now_utc().unix_timestamp();
        let not_before = cert.validity().not_before.timestamp();
        assert!((now - 40..=now - 20).contains(&not_before), "NotBefore about 30 s ago: {not_before} vs {now}");
        let years = (cert.validity().not_after.timestamp() - now) / (365 * 24 * 3600);
        assert_eq!(years, 30);
    }

    #[test]
    fn each_launch_gets_a_new_certificate() {
        let a = generate_server_identity().expect("a");
        let b = generate_server_identity().expect("b");
        assert_ne!(a.cert_der, b.cert_der);
    }

    #[test]
    fn client_certificate_pem_is_parsed_or_refused() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".into()]).expect("params").self_signed(&key);
        let cert = cert.expect("cert");
        let parsed = parse_client_certificates(&cert.pem()).expect("parse");
        assert_eq!(parsed, vec![cert.der().clone()]);

        for bad in ["", "not a certificate", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
            assert!(parse_client_certificates(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn verifier_pins_the_exact_certificate_and_offers_p521() {
        let make = || {
            let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
            rcgen::CertificateParams::new(vec!["localhost".into()]).expect("params").self_signed(&key).expect("cert")
        };
        let (pinned, other) = (make(), make());
        let verifier = PinnedClientCert::new(
            vec![pinned.der().clone()],
            rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms,
        );
        let now = UnixTime::now();
        assert!(verifier.verify_client_cert(pinned.der(), &[], now).is_ok());
        assert!(verifier.verify_client_cert(other.der(), &[], now).is_err());
        assert!(verifier.verify_client_cert(&CertificateDer::from(vec![0x30, 0x00]), &[], now).is_err());
        assert!(verifier.client_auth_mandatory() && verifier.offer_client_auth());
        assert!(verifier.supported_verify_schemes().contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn server_config_negotiates_h2() {
        let identity = generate_server_identity().expect("identity");
        let config = server_config(&identity, vec![identity.cert_der.clone()]).expect("config");
        assert_eq!(config.alpn_protocols, vec![b"h2".to_vec()]);
    }
}
