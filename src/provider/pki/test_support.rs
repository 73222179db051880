//! Certificates and keys generated at test time (rcgen on aws-lc-rs), so no key is ever committed.

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, SerialNumber};
use time::OffsetDateTime;
use time::macros::datetime;

use super::der;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlg {
    Rsa2048,
    EcdsaP256,
    EcdsaP384,
    Ed25519,
}

impl KeyAlg {
    pub fn generate(self) -> KeyPair {
        let alg = match self {
            KeyAlg::Rsa2048 => &rcgen::PKCS_RSA_SHA256,
            KeyAlg::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            KeyAlg::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            KeyAlg::Ed25519 => &rcgen::PKCS_ED25519,
        };
        KeyPair::generate_for(alg).expect("key generation")
    }
}

/// What to generate: a leaf certificate for `key`, issued by a fresh CA with `ca_key`.
#[derive(Debug, Clone)]
pub struct CertSpec {
    pub common_name: String,
    pub sans: Vec<String>,
    pub organization: Option<String>,
    pub serial: Option<Vec<u8>>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key: KeyAlg,
    pub ca_key: KeyAlg,
}

impl CertSpec {
    /// A valid leaf for `api.example.com`, 2024-01-01 → 2030-01-01.
    pub fn leaf(key: KeyAlg) -> Self {
        CertSpec {
            common_name: "api.example.com".into(),
            sans: vec!["api.example.com".into()],
            organization: None,
            serial: None,
            not_before: datetime!(2024-01-01 00:00:00 UTC),
            not_after: datetime!(2030-01-01 00:00:00 UTC),
            key,
            ca_key: KeyAlg::EcdsaP256,
        }
    }
}

pub struct Generated {
    /// Leaf then CA.
    pub chain_pem: String,
    pub leaf_pem: String,
    pub ca_pem: String,
    /// PKCS#8 PEM of the leaf's key.
    pub key_pem: String,
}

pub fn generate(spec: &CertSpec) -> Generated {
    let ca_key = spec.ca_key.generate();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "Test Intermediate CA");
    ca_name.push(DnType::OrganizationName, "Test CA Org");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.not_before = datetime!(2020-01-01 00:00:00 UTC);
    ca_params.not_after = datetime!(2037-12-31 00:00:00 UTC);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, &ca_key);

    let key = spec.key.generate();
    let mut params = CertificateParams::new(spec.sans.clone()).expect("leaf params");
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, spec.common_name.as_str());
    if let Some(org) = &spec.organization {
        name.push(DnType::OrganizationName, org.as_str());
    }
    params.distinguished_name = name;
    params.serial_number = spec.serial.as_deref().map(SerialNumber::from_slice);
    params.not_before = spec.not_before;
    params.not_after = spec.not_after;
    let leaf = params.signed_by(&key, &issuer).expect("leaf certificate");

    let (leaf_pem, ca_pem) = (leaf.pem(), ca_cert.pem());
    Generated { chain_pem: format!("{leaf_pem}{ca_pem}"), leaf_pem, ca_pem, key_pem: key.serialize_pem() }
}

/// PEM-armours DER under `label`.
pub fn to_pem(label: &str, der_bytes: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der_bytes);
    let lines: Vec<&str> =
        body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("base64 is ASCII")).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// The PKCS#8 key's inner structure: RSAPrivateKey for RSA, as `RSA PRIVATE KEY`.
pub fn pkcs1_pem(pkcs8_pem: &str) -> String {
    let blocks = super::pem::parse(pkcs8_pem).expect("PEM");
    let mut info = der::sequence(&blocks[0].der).expect("PrivateKeyInfo");
    info.read(der::INTEGER).expect("version");
    info.read_sequence().expect("algorithm");
    let inner = info.read(der::OCTET_STRING).expect("private key");
    to_pem("RSA PRIVATE KEY", inner)
}

/// The EC key as OpenSSL's `EC PRIVATE KEY` (RFC 5915, with curve and public point).
pub fn sec1_pem(pkcs8_pem: &str, alg: KeyAlg) -> String {
    use aws_lc_rs::encoding::AsDer;
    let signing = match alg {
        KeyAlg::EcdsaP256 => &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        KeyAlg::EcdsaP384 => &aws_lc_rs::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        other => panic!("{other:?} is not an EC key"),
    };
    let blocks = super::pem::parse(pkcs8_pem).expect("PEM");
    let pair = aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(signing, &blocks[0].der).expect("EC key");
    let sec1 = pair.private_key().as_der().expect("SEC1");
    to_pem("EC PRIVATE KEY", sec1.as_ref())
}
