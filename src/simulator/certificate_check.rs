//! The simulator's own certificate checks (apig-api.md §2.1, §5): PEM decoding, chain order,
//! key/certificate match, validity, SAN presence, the 2038 limit, and the detail fields the API
//! reports, read from the leaf with a real X.509 parser. Shares nothing with the provider.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P384_SHA384_ASN1_SIGNING, ECDSA_P521_SHA512_ASN1_SIGNING, EcdsaKeyPair,
    EcdsaSigningAlgorithm, KeyPair, RsaKeyPair,
};
use axum::http::StatusCode;
use time::OffsetDateTime;
use time::macros::datetime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;

use super::errors::ApiError;

/// Certificates must expire no later than this instant (APIG.3148).
pub const LATEST_NOT_AFTER: OffsetDateTime = datetime!(2038-01-19 03:14:07 UTC);

/// Why a certificate/key pair is refused, with its documented code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertProblem {
    /// APIG.2106
    Invalid,
    /// APIG.2105
    EncryptedKey,
    /// APIG.2104
    ChainOrder,
    /// APIG.2101
    KeyMismatch,
    /// APIG.2102
    Expired,
    /// APIG.2109
    NoSan,
    /// APIG.3148
    ExpiresAfter2038,
}

impl From<CertProblem> for ApiError {
    fn from(p: CertProblem) -> ApiError {
        let bad = StatusCode::BAD_REQUEST;
        match p {
            CertProblem::Invalid => ApiError::new(bad, "APIG.2106", "Invalid certificate or private key."),
            CertProblem::EncryptedKey => ApiError::new(bad, "APIG.2105", "Encrypted private keys are not supported."),
            CertProblem::ChainOrder => ApiError::new(bad, "APIG.2104", "The certificate chain is not matched."),
            CertProblem::KeyMismatch => {
                ApiError::new(bad, "APIG.2101", "The certificate and private key do not match.")
            }
            CertProblem::Expired => ApiError::new(bad, "APIG.2102", "The certificate has expired."),
            CertProblem::NoSan => ApiError::new(bad, "APIG.2109", "Invalid certificate, SAN missing."),
            CertProblem::ExpiresAfter2038 => {
                ApiError::new(bad, "APIG.3148", "The certificate must expire before 2038-01-19 03:14:07 UTC.")
            }
        }
    }
}

/// Key family of the leaf, which decides the `algorithm_type` slot (RSA or ECC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    Rsa,
    Ec,
}

impl KeyFamily {
    /// The `algorithm_type` this key belongs to.
    pub fn algorithm_type(self) -> &'static str {
        match self {
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ec => "ECC",
        }
    }
}

/// What the API reports about a certificate, read from the leaf.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParsedCertificate {
    pub common_name: String,
    pub san: Vec<String>,
    #[serde(serialize_with = "as_rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(serialize_with = "as_rfc3339")]
    pub not_after: OffsetDateTime,
    pub signature_algorithm: String,
    pub serial_number: String,
    pub issuer: Vec<String>,
    pub organization: Vec<String>,
    pub organizational_unit: Vec<String>,
    pub locality: Vec<String>,
    pub state: Vec<String>,
    pub country: Vec<String>,
    pub version: i32,
    #[serde(skip)]
    pub key_family: KeyFamily,
}

fn as_rfc3339<S: serde::Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::clock::rfc3339_seconds(*t))
}

impl ParsedCertificate {
    /// True when the CN or a DNS SAN covers `domain` (exactly, or by a one-label `*.` wildcard).
    pub fn covers(&self, domain: &str) -> bool {
        std::iter::once(&self.common_name).chain(self.san.iter()).any(|name| name_covers(name, domain))
    }
}

fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `*.example.com` covers `a.example.com` but neither `example.com` nor `a.b.example.com`.
pub fn name_covers(cert_name: &str, domain: &str) -> bool {
    let cert_name = normalise(cert_name);
    let domain = normalise(domain);
    if cert_name.is_empty() || domain.is_empty() {
        return false;
    }
    if cert_name == domain {
        return true;
    }
    match (cert_name.strip_prefix("*."), domain.split_once('.')) {
        (Some(suffix), Some((first, rest))) => !first.is_empty() && first != "*" && rest == suffix,
        _ => false,
    }
}

/// Checks a certificate (leaf first, optionally followed by its chain) and its private key the way
/// the service does on create and update, and returns the leaf's details.
pub fn check_pair(cert_pem: &str, key_pem: &str, now: OffsetDateTime) -> Result<ParsedCertificate, CertProblem> {
    let chain_der = certificate_blocks(cert_pem)?;
    let mut chain = Vec::with_capacity(chain_der.len());
    for der in &chain_der {
        chain.push(parse_der(der)?);
    }
    let key_public = private_key_public_bytes(key_pem)?;

    // Each certificate must be issued by the next one: the server certificate comes first.
    for pair in chain.windows(2) {
        if let [child, parent] = pair
            && child.issuer().as_raw() != parent.subject().as_raw()
        {
            return Err(CertProblem::ChainOrder);
        }
    }
    let leaf = chain.first().ok_or(CertProblem::Invalid)?;
    if leaf.public_key().subject_public_key.data.as_ref() != key_public.as_slice() {
        let matches_later = chain.iter().skip(1).any(|c| c.public_key().subject_public_key.data.as_ref() == key_public);
        return Err(if matches_later { CertProblem::ChainOrder } else { CertProblem::KeyMismatch });
    }
    let details = describe(leaf)?;
    if details.not_after < now {
        return Err(CertProblem::Expired);
    }
    if details.san.is_empty() {
        return Err(CertProblem::NoSan);
    }
    if details.not_after > LATEST_NOT_AFTER {
        return Err(CertProblem::ExpiresAfter2038);
    }
    Ok(details)
}

/// A trusted root CA bundle: one or more PEM certificates that parse.
pub fn check_ca_bundle(pem: &str) -> Result<usize, CertProblem> {
    let blocks = certificate_blocks(pem)?;
    for der in &blocks {
        parse_der(der)?;
    }
    Ok(blocks.len())
}

fn pem_blocks(text: &str) -> Result<Vec<Pem>, CertProblem> {
    let blocks =
        Pem::iter_from_buffer(text.as_bytes()).collect::<Result<Vec<_>, _>>().map_err(|_| CertProblem::Invalid)?;
    // A `-----BEGIN` the reader skipped (not at a line start) means the text is not clean PEM.
    if blocks.is_empty() || blocks.len() != text.matches("-----BEGIN").count() {
        return Err(CertProblem::Invalid);
    }
    Ok(blocks)
}

fn certificate_blocks(text: &str) -> Result<Vec<Vec<u8>>, CertProblem> {
    let blocks = pem_blocks(text)?;
    if blocks.iter().any(|b| b.label != "CERTIFICATE") {
        return Err(CertProblem::Invalid);
    }
    Ok(blocks.into_iter().map(|b| b.contents).collect())
}

fn parse_der(der: &[u8]) -> Result<X509Certificate<'_>, CertProblem> {
    match X509Certificate::from_der(der) {
        Ok(([], cert)) => Ok(cert),
        _ => Err(CertProblem::Invalid),
    }
}

const EC_ALGS: [&EcdsaSigningAlgorithm; 3] =
    [&ECDSA_P256_SHA256_ASN1_SIGNING, &ECDSA_P384_SHA384_ASN1_SIGNING, &ECDSA_P521_SHA512_ASN1_SIGNING];

/// The public key of a PEM private key, encoded the way a certificate's SubjectPublicKeyInfo
/// carries it (RSAPublicKey DER for RSA, the uncompressed point for EC).
fn private_key_public_bytes(key_pem: &str) -> Result<Vec<u8>, CertProblem> {
    if key_pem.contains("ENCRYPTED") {
        return Err(CertProblem::EncryptedKey);
    }
    let blocks = pem_blocks(key_pem)?;
    let [block] = blocks.as_slice() else {
        return Err(CertProblem::Invalid);
    };
    let der = block.contents.as_slice();
    match block.label.as_str() {
        "PRIVATE KEY" => {
            if let Ok(k) = RsaKeyPair::from_pkcs8(der) {
                return Ok(k.public_key().as_ref().to_vec());
            }
            EC_ALGS
                .iter()
                .find_map(|alg| EcdsaKeyPair::from_pkcs8(alg, der).ok())
                .map(|k| k.public_key().as_ref().to_vec())
                .ok_or(CertProblem::Invalid)
        }
        "RSA PRIVATE KEY" => {
            RsaKeyPair::from_der(der).map(|k| k.public_key().as_ref().to_vec()).map_err(|_| CertProblem::Invalid)
        }
        "EC PRIVATE KEY" => EC_ALGS
            .iter()
            .find_map(|alg| EcdsaKeyPair::from_private_key_der(alg, der).ok())
            .map(|k| k.public_key().as_ref().to_vec())
            .ok_or(CertProblem::Invalid),
        _ => Err(CertProblem::Invalid),
    }
}

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

fn describe(cert: &X509Certificate<'_>) -> Result<ParsedCertificate, CertProblem> {
    let key_family = match cert.public_key().algorithm.algorithm.to_id_string().as_str() {
        OID_RSA_ENCRYPTION => KeyFamily::Rsa,
        OID_EC_PUBLIC_KEY => KeyFamily::Ec,
        _ => return Err(CertProblem::Invalid),
    };
    let san = match cert.subject_alternative_name() {
        Ok(Some(ext)) => ext
            .value
            .general_names
            .iter()
            .filter_map(|n| match n {
                GeneralName::DNSName(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(_) => return Err(CertProblem::Invalid),
    };
    let subject = cert.subject();
    Ok(ParsedCertificate {
        common_name: values(subject.iter_common_name()).into_iter().next().unwrap_or_default(),
        san,
        not_before: cert.validity().not_before.to_datetime(),
        not_after: cert.validity().not_after.to_datetime(),
        signature_algorithm: go_signature_algorithm(cert),
        serial_number: cert.tbs_certificate.serial.to_string(),
        issuer: values(cert.issuer().iter_organization()),
        organization: values(subject.iter_organization()),
        organizational_unit: values(subject.iter_organizational_unit()),
        locality: values(subject.iter_locality()),
        state: values(subject.iter_state_or_province()),
        country: values(subject.iter_country()),
        version: i32::try_from(cert.version().0).map(|v| v + 1).unwrap_or(3),
        key_family,
    })
}

fn values<'a>(attrs: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>) -> Vec<String> {
    attrs.filter_map(|a| a.as_str().ok().map(str::to_string)).collect()
}

/// Go's `x509.SignatureAlgorithm.String()` names, which the service reports.
fn go_signature_algorithm(cert: &X509Certificate<'_>) -> String {
    let alg = &cert.signature_algorithm;
    let name = match alg.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.2" => "MD2-RSA",
        "1.2.840.113549.1.1.4" => "MD5-RSA",
        "1.2.840.113549.1.1.5" => "SHA1-RSA",
        "1.2.840.113549.1.1.11" => "SHA256-RSA",
        "1.2.840.113549.1.1.12" => "SHA384-RSA",
        "1.2.840.113549.1.1.13" => "SHA512-RSA",
        "1.2.840.113549.1.1.10" => {
            // RSASSA-PSS names its hash in the parameters (sha384 / sha512 OIDs end in .2 / .3).
            let params = alg.parameters.as_ref().map(|p| p.data.to_vec()).unwrap_or_default();
            let contains = |needle: &[u8]| params.windows(needle.len()).any(|w| w == needle);
            if contains(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03]) {
                "SHA512-RSAPSS"
            } else if contains(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02]) {
                "SHA384-RSAPSS"
            } else {
                "SHA256-RSAPSS"
            }
        }
        "1.2.840.10040.4.3" => "DSA-SHA1",
        "2.16.840.1.101.3.4.3.2" => "DSA-SHA256",
        "1.2.840.10045.4.1" => "ECDSA-SHA1",
        "1.2.840.10045.4.3.2" => "ECDSA-SHA256",
        "1.2.840.10045.4.3.3" => "ECDSA-SHA384",
        "1.2.840.10045.4.3.4" => "ECDSA-SHA512",
        "1.3.101.112" => "Ed25519",
        _ => "0",
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::AsDer;
    use base64::Engine;
    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
    use time::Duration;

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn pem(label: &str, der: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<String> = b64.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).to_string()).collect();
        format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
    }

    fn leaf(alg: &'static rcgen::SignatureAlgorithm, cn: &str, sans: &[&str]) -> (String, KeyPair) {
        let key = KeyPair::generate_for(alg).unwrap();
        let mut params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.distinguished_name.push(DnType::OrganizationName, "Unit Org");
        params.not_before = now() - Duration::days(1);
        params.not_after = now() + Duration::days(30);
        (params.self_signed(&key).unwrap().pem(), key)
    }

    #[test]
    fn wildcards_cover_one_label() {
        assert!(name_covers("api.example.com", "API.example.com."));
        assert!(name_covers("*.example.com", "api.example.com"));
        assert!(!name_covers("*.example.com", "example.com"));
        assert!(!name_covers("*.example.com", "a.b.example.com"));
        assert!(!name_covers("*.example.com", "api.example.org"));
        assert!(name_covers("*.example.com", "*.example.com"));
        assert!(!name_covers("api.example.com", "*.example.com"));
        assert!(!name_covers("", "example.com"));
    }

    #[test]
    fn reads_detail_fields_and_go_algorithm_names() {
        let (cert, key) = leaf(&rcgen::PKCS_RSA_SHA256, "api.example.com", &["api.example.com", "www.example.com"]);
        let p = check_pair(&cert, &key.serialize_pem(), now()).unwrap();
        assert_eq!(p.common_name, "api.example.com");
        assert_eq!(p.san, ["api.example.com", "www.example.com"]);
        assert_eq!(p.signature_algorithm, "SHA256-RSA");
        assert_eq!(p.key_family, KeyFamily::Rsa);
        assert_eq!(p.version, 3);
        assert_eq!(p.issuer, ["Unit Org"]);
        assert!(p.covers("www.example.com") && !p.covers("shop.example.org"));

        let (cert, key) = leaf(&rcgen::PKCS_ECDSA_P384_SHA384, "ec.example.com", &["ec.example.com"]);
        let p = check_pair(&cert, &key.serialize_pem(), now()).unwrap();
        assert_eq!(p.signature_algorithm, "ECDSA-SHA384");
        assert_eq!(p.key_family.algorithm_type(), "ECC");
    }

    #[test]
    fn accepts_sec1_and_pkcs1_private_keys() {
        let (cert, key) = leaf(&rcgen::PKCS_ECDSA_P256_SHA256, "ec.example.com", &["ec.example.com"]);
        let ec = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, key.serialized_der()).unwrap();
        let sec1 = ec.private_key().as_der().unwrap();
        assert!(check_pair(&cert, &pem("EC PRIVATE KEY", sec1.as_ref()), now()).is_ok());

        // PKCS#1 is the OCTET STRING inside the PKCS#8 PrivateKeyInfo.
        let (cert, key) = leaf(&rcgen::PKCS_RSA_SHA256, "rsa.example.com", &["rsa.example.com"]);
        let (_, info) = x509_parser::der_parser::parse_der(key.serialized_der()).unwrap();
        let pkcs1 = info.as_sequence().unwrap()[2].as_slice().unwrap().to_vec();
        assert!(check_pair(&cert, &pem("RSA PRIVATE KEY", &pkcs1), now()).is_ok());
    }

    #[test]
    fn refusals_in_order() {
        let (cert, key) = leaf(&rcgen::PKCS_ECDSA_P256_SHA256, "a.example.com", &["a.example.com"]);
        let (_, other) = leaf(&rcgen::PKCS_ECDSA_P256_SHA256, "a.example.com", &["a.example.com"]);
        assert_eq!(check_pair(&cert, &other.serialize_pem(), now()), Err(CertProblem::KeyMismatch));
        assert_eq!(check_pair("garbage", &key.serialize_pem(), now()), Err(CertProblem::Invalid));
        assert_eq!(check_pair(&cert, "garbage", now()), Err(CertProblem::Invalid));
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(check_pair(&cert, encrypted, now()), Err(CertProblem::EncryptedKey));
        // A key PEM where a certificate belongs.
        assert_eq!(check_pair(&key.serialize_pem(), &key.serialize_pem(), now()), Err(CertProblem::Invalid));
        // Expiry is judged against the clock it is given.
        assert_eq!(check_pair(&cert, &key.serialize_pem(), now() + Duration::days(31)), Err(CertProblem::Expired));
        let (no_san, key2) = leaf(&rcgen::PKCS_ECDSA_P256_SHA256, "n.example.com", &[]);
        assert_eq!(check_pair(&no_san, &key2.serialize_pem(), now()), Err(CertProblem::NoSan));
        assert_eq!(check_ca_bundle(&cert), Ok(1));
        assert_eq!(check_ca_bundle("nope"), Err(CertProblem::Invalid));
    }
}
