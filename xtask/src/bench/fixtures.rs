//! Certificates the benchmarks need, generated on the spot (no key is ever committed).

use rcgen::{CertificateParams, DnType, KeyPair, PKCS_RSA_SHA256};
use time::{Duration, OffsetDateTime};

use super::BenchError;

fn setup(e: rcgen::Error) -> BenchError {
    BenchError::Setup(format!("could not generate a benchmark certificate: {e}"))
}

/// A client certificate like the one Terraform makes per launch (go-plugin's shape on P-521).
pub fn plugin_client_certificate() -> Result<String, BenchError> {
    let (certificate, _key) =
        terraform_provider_apig::protocol::go_plugin_certificate(&rcgen::PKCS_ECDSA_P521_SHA512).map_err(setup)?;
    Ok(certificate.pem())
}

/// A server certificate for `api.example.com` (RSA 2048, valid for 90 days) and its key, in PEM.
pub struct ServerCertificate {
    pub certificate_pem: String,
    pub private_key_pem: String,
}

pub fn server_certificate() -> Result<ServerCertificate, BenchError> {
    let key = KeyPair::generate_for(&PKCS_RSA_SHA256).map_err(setup)?;
    let mut params = CertificateParams::new(vec!["api.example.com".to_string()]).map_err(setup)?;
    params.distinguished_name.push(DnType::CommonName, "api.example.com");
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(90);
    let certificate = params.self_signed(&key).map_err(setup)?;
    Ok(ServerCertificate { certificate_pem: certificate.pem(), private_key_pem: key.serialize_pem() })
}
