//! PEM certificate chains → [`ParsedCertificate`]s carrying what the API derives from a certificate
//! (`common_name`, `san`, validity, serial, issuer, subject fields, signature algorithm) plus what
//! the plan-time checks need (public key, CA flag, raw subject/issuer names).

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Name};

use super::algorithms::signature_algorithm_name;
use super::error::PkiError;
use super::limits::{self, MAX_CHAIN_CERTIFICATES, MAX_SERIAL_BYTES};
use super::pem;
use super::public_key::{PublicKey, parse_spki};

/// Subject attributes the API returns as arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectFields {
    pub organization: Vec<String>,
    pub organizational_unit: Vec<String>,
    pub locality: Vec<String>,
    pub state: Vec<String>,
    pub country: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCertificate {
    /// The subject's common name (the last CN attribute, as Go reads it), empty when absent.
    pub common_name: String,
    /// DNS names of the subjectAltName extension, in certificate order.
    pub dns_sans: Vec<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Decimal text of the serial number.
    pub serial_number: String,
    /// X.509 version (3 for every modern certificate).
    pub version: u32,
    pub subject: SubjectFields,
    /// The issuer's Organization values (the API's `issuer`).
    pub issuer_organizations: Vec<String>,
    pub issuer_common_name: String,
    /// Go x509 naming: `SHA256-RSA`, `ECDSA-SHA384`, `SHA256-RSAPSS`, ...
    pub signature_algorithm: String,
    /// Go x509 naming: `RSA`, `ECDSA`, `Ed25519`, `DSA` (and `SM2`).
    pub public_key_algorithm: String,
    /// `None` when the SubjectPublicKeyInfo could not be decoded.
    pub public_key: Option<PublicKey>,
    /// The DER SubjectPublicKeyInfo.
    pub spki: Vec<u8>,
    /// basicConstraints `cA = TRUE`.
    pub is_ca: bool,
    /// DER of the subject and issuer names, compared byte for byte to follow the chain.
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
    /// Readable forms (`CN=api.example.com, O=Example`) for messages.
    pub subject_text: String,
    pub issuer_text: String,
}

impl ParsedCertificate {
    /// True when `child` names this certificate's subject as its issuer.
    pub fn issued(&self, child: &ParsedCertificate) -> bool {
        child.issuer_raw == self.subject_raw
    }

    /// A short identification for messages: `"CN=api.example.com, O=Example" (serial 4242)`.
    pub fn describe(&self) -> String {
        let subject = if self.subject_text.is_empty() { "(empty subject)" } else { &self.subject_text };
        format!("\"{subject}\" (serial {})", self.serial_number)
    }
}

/// A parsed chain: never empty, leaf first as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateChain {
    leaf: ParsedCertificate,
    rest: Vec<ParsedCertificate>,
}

impl CertificateChain {
    /// The first certificate, which the API treats as the server certificate.
    pub fn leaf(&self) -> &ParsedCertificate {
        &self.leaf
    }
    /// All certificates in the given order.
    pub fn iter(&self) -> impl Iterator<Item = &ParsedCertificate> {
        std::iter::once(&self.leaf).chain(self.rest.iter())
    }
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Parses every `CERTIFICATE` block of `text`. Other blocks are ignored; no certificate at all,
/// malformed PEM or a block that is not an X.509 certificate is an error.
pub fn parse_certificate_chain(text: &str) -> Result<CertificateChain, PkiError> {
    #[cfg(test)]
    super::parse_count::chain();
    limits::check_text_size(text)?;
    let blocks = pem::parse(text)?;
    let count = blocks.iter().filter(|b| b.label == "CERTIFICATE").count();
    if count > MAX_CHAIN_CERTIFICATES {
        return Err(PkiError::TooManyCertificates { count, limit: MAX_CHAIN_CERTIFICATES });
    }
    let mut certificates = Vec::new();
    let mut others = Vec::new();
    for block in &blocks {
        if block.label == "CERTIFICATE" {
            certificates.push(parse_certificate_der(&block.der, certificates.len() + 1)?);
        } else {
            others.push(block.label.clone());
        }
    }
    let mut certificates = certificates.into_iter();
    match certificates.next() {
        Some(leaf) => Ok(CertificateChain { leaf, rest: certificates.collect() }),
        None => Err(PkiError::NoCertificate { found: others }),
    }
}

/// Parses one DER certificate; `position` (1-based) is only for the error message.
pub fn parse_certificate_der(der: &[u8], position: usize) -> Result<ParsedCertificate, PkiError> {
    let invalid = |reason: String| PkiError::InvalidCertificate { position, reason };
    let (rest, cert) = X509Certificate::from_der(der).map_err(|e| {
        invalid(match e {
            x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e.to_string(),
            x509_parser::nom::Err::Incomplete(_) => "truncated data".to_string(),
        })
    })?;
    if !rest.is_empty() {
        return Err(invalid(format!("{} unexpected bytes after the certificate", rest.len())));
    }
    let serial_bytes = cert.raw_serial().iter().skip_while(|b| **b == 0).count();
    if serial_bytes > MAX_SERIAL_BYTES {
        return Err(invalid(format!(
            "its serial number is {serial_bytes} bytes long; at most {MAX_SERIAL_BYTES} are accepted (RFC 5280 allows 20)"
        )));
    }
    let dns_sans = match cert.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some(dns.to_string()),
                _ => None,
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(e) => return Err(invalid(format!("subjectAltName: {e}"))),
    };
    let spki = cert.public_key().raw.to_vec();
    let public_key = parse_spki(&spki);
    let public_key_algorithm = match &public_key {
        Some(key) => key.kind().go_name(),
        None => cert.public_key().algorithm.algorithm.to_id_string(),
    };
    let signature = &cert.signature_algorithm;
    let signature_algorithm =
        signature_algorithm_name(&signature.algorithm.to_id_string(), signature.parameters.as_ref().map(|p| p.data));
    let subject = cert.subject();
    Ok(ParsedCertificate {
        common_name: texts(subject.iter_common_name()).pop().unwrap_or_default(),
        dns_sans,
        not_before: cert.validity().not_before.to_datetime(),
        not_after: cert.validity().not_after.to_datetime(),
        serial_number: cert.tbs_certificate.serial.to_string(),
        version: cert.version().0 + 1,
        subject: SubjectFields {
            organization: texts(subject.iter_organization()),
            organizational_unit: texts(subject.iter_organizational_unit()),
            locality: texts(subject.iter_locality()),
            state: texts(subject.iter_state_or_province()),
            country: texts(subject.iter_country()),
        },
        issuer_organizations: texts(cert.issuer().iter_organization()),
        issuer_common_name: texts(cert.issuer().iter_common_name()).pop().unwrap_or_default(),
        signature_algorithm,
        public_key_algorithm,
        public_key,
        spki,
        is_ca: cert.is_ca(),
        subject_raw: subject.as_raw().to_vec(),
        issuer_raw: cert.issuer().as_raw().to_vec(),
        subject_text: name_text(subject),
        issuer_text: name_text(cert.issuer()),
    })
}

/// String values of name attributes; values in encodings without a text form are skipped.
fn texts<'a, 'b: 'a>(attrs: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'b>>) -> Vec<String> {
    attrs.filter_map(|a| a.as_str().ok().map(str::to_string)).collect()
}

fn name_text(name: &X509Name<'_>) -> String {
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    #[test]
    fn parses_the_fields_the_api_reports() {
        let spec = CertSpec {
            common_name: "api.example.com".into(),
            sans: vec!["api.example.com".into(), "*.api.example.com".into()],
            organization: Some("Example Org".into()),
            serial: Some(vec![0x32, 0xd2]),
            not_before: time::macros::datetime!(2024-01-02 03:04:05 UTC),
            not_after: time::macros::datetime!(2030-06-07 08:09:10 UTC),
            ..CertSpec::leaf(KeyAlg::EcdsaP256)
        };
        let generated = generate(&spec);
        let chain = parse_certificate_chain(&generated.chain_pem).expect("parses");
        let leaf = chain.leaf();
        assert_eq!(chain.len(), 2, "leaf plus its issuing CA");
        assert_eq!(leaf.common_name, "api.example.com");
        assert_eq!(leaf.dns_sans, vec!["api.example.com", "*.api.example.com"]);
        assert_eq!(leaf.serial_number, "13010");
        assert_eq!(leaf.version, 3);
        assert_eq!(leaf.not_before, time::macros::datetime!(2024-01-02 03:04:05 UTC));
        assert_eq!(leaf.not_after, time::macros::datetime!(2030-06-07 08:09:10 UTC));
        assert_eq!(leaf.subject.organization, vec!["Example Org"]);
        assert_eq!(leaf.issuer_organizations, vec!["Test CA Org"]);
        assert_eq!(leaf.signature_algorithm, "ECDSA-SHA256", "signed by the P-256 CA");
        assert_eq!(leaf.public_key_algorithm, "ECDSA");
        assert!(!leaf.is_ca);
        let ca = chain.iter().nth(1).expect("second certificate");
        assert!(ca.is_ca);
        assert!(ca.issued(leaf));
        assert!(!leaf.issued(ca));
        assert!(leaf.subject_text.contains("CN=api.example.com"), "{}", leaf.subject_text);
    }

    #[test]
    fn signature_algorithm_names_follow_go() {
        for (alg, signature, key) in [
            (KeyAlg::Rsa2048, "SHA256-RSA", "RSA"),
            (KeyAlg::EcdsaP256, "ECDSA-SHA256", "ECDSA"),
            (KeyAlg::EcdsaP384, "ECDSA-SHA384", "ECDSA"),
        ] {
            let generated = generate(&CertSpec { ca_key: alg, ..CertSpec::leaf(alg) });
            let chain = parse_certificate_chain(&generated.chain_pem).expect("parses");
            assert_eq!(chain.leaf().signature_algorithm, signature, "{alg:?}");
            assert_eq!(chain.leaf().public_key_algorithm, key, "{alg:?}");
        }
    }

    #[test]
    fn ignores_non_certificate_blocks_but_needs_one_certificate() {
        let generated = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let combined = format!("{}{}", generated.chain_pem, generated.key_pem);
        assert_eq!(parse_certificate_chain(&combined).expect("parses").len(), 2);

        let err = parse_certificate_chain(&generated.key_pem).unwrap_err();
        assert_eq!(err, PkiError::NoCertificate { found: vec!["PRIVATE KEY".into()] });
        assert_eq!(parse_certificate_chain("garbage").unwrap_err(), PkiError::NoCertificate { found: vec![] });
    }

    #[test]
    fn chains_and_texts_over_the_limits_are_refused_unparsed() {
        let generated = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let at_limit = generated.leaf_pem.repeat(MAX_CHAIN_CERTIFICATES);
        assert_eq!(parse_certificate_chain(&at_limit).expect("allowed").len(), MAX_CHAIN_CERTIFICATES);
        let over = generated.leaf_pem.repeat(MAX_CHAIN_CERTIFICATES + 1);
        assert_eq!(
            parse_certificate_chain(&over).unwrap_err(),
            PkiError::TooManyCertificates { count: MAX_CHAIN_CERTIFICATES + 1, limit: MAX_CHAIN_CERTIFICATES }
        );
        let padded = format!("{}{}", generated.chain_pem, " ".repeat(crate::provider::pki::MAX_PEM_TEXT_BYTES));
        assert!(matches!(parse_certificate_chain(&padded), Err(PkiError::InputTooLarge { .. })));
    }

    #[test]
    fn an_overlong_serial_number_is_refused() {
        let long = |n: usize| CertSpec { serial: Some(vec![0x42; n]), ..CertSpec::leaf(KeyAlg::EcdsaP256) };
        let chain = parse_certificate_chain(&generate(&long(MAX_SERIAL_BYTES)).chain_pem).expect("allowed");
        assert!(chain.leaf().serial_number.len() > 100);
        match parse_certificate_chain(&generate(&long(MAX_SERIAL_BYTES + 1)).chain_pem).unwrap_err() {
            PkiError::InvalidCertificate { position: 1, reason } => {
                assert!(reason.contains("serial number"), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_block_that_is_not_a_certificate_is_reported_by_position() {
        let generated = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let text = format!("{}-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n", generated.chain_pem);
        match parse_certificate_chain(&text).unwrap_err() {
            PkiError::InvalidCertificate { position, .. } => assert_eq!(position, 3),
            other => panic!("unexpected {other:?}"),
        }
    }
}
