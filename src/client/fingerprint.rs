//! What identifies a certificate's content when comparing what we sent with what the API shows:
//! the leaf's serial number (decimal, as the API reports it) and its issuer (the issuer's
//! organization names, the API's `issuer`). [`same_certificate`] is the one rule for "the API
//! holds this certificate", used by the create look-up here and by the provider's plans alike.

use x509_parser::pem::Pem;

use super::models::{CertificateDetail, CertificateSummary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFingerprint {
    /// Decimal string of the serial number (the API's `serial_number` format).
    pub serial_number: String,
    /// Organization names of the issuer, as the API's `issuer` lists them.
    pub issuer: Vec<String>,
    /// Subject CN; empty when the certificate has none. Only a pre-filter of list entries.
    pub common_name: String,
}

/// The one rule for "the same certificate": same serial number and same issuer.
pub fn same_certificate(serial_a: &str, issuer_a: &[String], serial_b: &str, issuer_b: &[String]) -> bool {
    serial_a == serial_b && issuer_a == issuer_b
}

impl CertFingerprint {
    /// The fingerprint of the first certificate (the leaf) in a PEM bundle; `None` if there is no
    /// parsable certificate.
    pub fn of_leaf_pem(pem: &str) -> Option<CertFingerprint> {
        let block = Pem::iter_from_buffer(pem.as_bytes()).filter_map(Result::ok).find(|p| p.label == "CERTIFICATE")?;
        let cert = block.parse_x509().ok()?;
        let common_name =
            cert.subject().iter_common_name().next().and_then(|cn| cn.as_str().ok()).unwrap_or_default().to_string();
        let issuer = cert.issuer().iter_organization().filter_map(|o| o.as_str().ok()).map(str::to_string).collect();
        Some(CertFingerprint { serial_number: cert.serial.to_string(), issuer, common_name })
    }

    /// The API's certificate is this one ([`same_certificate`]).
    pub fn matches_detail(&self, d: &CertificateDetail) -> bool {
        same_certificate(&self.serial_number, &self.issuer, &d.serial_number, &d.issuer)
    }

    /// A cheap pre-filter on list entries (which carry no serial number).
    pub fn may_match_summary(&self, s: &CertificateSummary) -> bool {
        self.common_name_compatible(&s.common_name)
    }

    fn common_name_compatible(&self, other: &str) -> bool {
        self.common_name.is_empty() || other.is_empty() || self.common_name == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SerialNumber};

    fn pem_with(serial: &[u8], cn: Option<&str>) -> String {
        let mut params = CertificateParams::new(vec!["api.example.com".to_string()]).unwrap();
        params.serial_number = Some(SerialNumber::from_slice(serial));
        let mut dn = DistinguishedName::new();
        if let Some(cn) = cn {
            dn.push(DnType::CommonName, cn);
        }
        params.distinguished_name = dn;
        let key = KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn reads_decimal_serial_and_common_name_of_the_leaf() {
        let leaf = pem_with(&[0x32, 0xD2], Some("api.example.com"));
        let other = pem_with(&[0x01], Some("ca.example.com"));
        let fp = CertFingerprint::of_leaf_pem(&format!("{leaf}{other}")).unwrap();
        assert_eq!(fp.serial_number, "13010");
        assert_eq!(fp.common_name, "api.example.com");
        assert!(fp.issuer.is_empty(), "these test certificates name no issuer organization");
        let fp = CertFingerprint::of_leaf_pem(&pem_with(&[0x05], None)).unwrap();
        assert_eq!(fp.common_name, "");
    }

    #[test]
    fn garbage_has_no_fingerprint() {
        assert!(CertFingerprint::of_leaf_pem("").is_none());
        assert!(CertFingerprint::of_leaf_pem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_none());
    }

    #[test]
    fn the_same_certificate_has_the_same_serial_number_and_issuer() {
        let fp = CertFingerprint {
            serial_number: "42".into(),
            issuer: vec!["Test CA Org".into()],
            common_name: "a.example.com".into(),
        };
        let mut d = CertificateDetail {
            serial_number: "42".into(),
            issuer: vec!["Test CA Org".into()],
            common_name: "a.example.com".into(),
            ..Default::default()
        };
        assert!(fp.matches_detail(&d));
        d.common_name = "renamed.example.com".into();
        assert!(fp.matches_detail(&d), "the subject does not decide");
        d.issuer = vec!["Another CA".into()];
        assert!(!fp.matches_detail(&d), "a reissue by another CA with the same serial is another certificate");
        d.issuer = fp.issuer.clone();
        d.serial_number = "43".into();
        assert!(!fp.matches_detail(&d));
        let s = CertificateSummary { common_name: "b.example.com".into(), ..Default::default() };
        assert!(!fp.may_match_summary(&s));
    }
}
