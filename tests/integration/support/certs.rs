//! Test certificates and keys, generated per run with rcgen (no key material is committed).
//!
//! ```ignore
//! let c = certs::valid("api.example.com", &["api.example.com", "www.example.com"]);
//! let e = certs::builder("old.example.com").key(KeyKind::EcdsaP256).expired().build();
//! ```

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SerialNumber,
};
use time::{Duration, OffsetDateTime};

/// Key algorithms the tests need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa2048,
    EcdsaP256,
}

impl KeyKind {
    fn generate(self) -> KeyPair {
        let alg = match self {
            KeyKind::Rsa2048 => &rcgen::PKCS_RSA_SHA256,
            KeyKind::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        };
        KeyPair::generate_for(alg).expect("generate test key")
    }
}

/// A certificate (PEM, possibly a chain) and its private key (PKCS#8 PEM).
#[derive(Clone)]
pub struct TestCert {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for TestCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestCert { <pem> }")
    }
}

/// A certificate authority that can sign test certificates.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl TestCa {
    pub fn cert_pem(&self) -> String {
        self.issuer.pem()
    }
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, name);
    params.distinguished_name.push(DnType::OrganizationName, format!("{name} Org"));
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365);
    params
}

/// A self-signed root CA named `name` (its Organization is `"{name} Org"`).
pub fn root_ca(name: &str) -> TestCa {
    let issuer = CertifiedIssuer::self_signed(ca_params(name), KeyKind::EcdsaP256.generate()).expect("root CA");
    TestCa { issuer }
}

/// An intermediate CA signed by `parent`.
pub fn intermediate_ca(name: &str, parent: &TestCa) -> TestCa {
    let issuer = CertifiedIssuer::signed_by(ca_params(name), KeyKind::EcdsaP256.generate(), &parent.issuer)
        .expect("intermediate CA");
    TestCa { issuer }
}

/// Builds one leaf certificate.
pub struct CertBuilder<'a> {
    common_name: String,
    sans: Vec<String>,
    key: KeyKind,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    subject: Vec<(DnType, String)>,
    serial: Option<u64>,
    issuer: Option<&'a TestCa>,
}

/// A leaf with CN `common_name` and, by default, that same name as its only DNS SAN, RSA 2048,
/// valid from yesterday for 90 days, self-signed.
pub fn builder(common_name: &str) -> CertBuilder<'static> {
    let now = OffsetDateTime::now_utc();
    CertBuilder {
        common_name: common_name.to_string(),
        sans: vec![common_name.to_string()],
        key: KeyKind::Rsa2048,
        not_before: now - Duration::days(1),
        not_after: now + Duration::days(90),
        subject: Vec::new(),
        serial: None,
        issuer: None,
    }
}

impl<'a> CertBuilder<'a> {
    pub fn sans(mut self, sans: &[&str]) -> Self {
        self.sans = sans.iter().map(|s| s.to_string()).collect();
        self
    }

    /// No subjectAltName extension at all.
    pub fn no_san(mut self) -> Self {
        self.sans.clear();
        self
    }

    pub fn key(mut self, key: KeyKind) -> Self {
        self.key = key;
        self
    }

    pub fn validity(mut self, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Expired yesterday.
    pub fn expired(self) -> Self {
        let now = OffsetDateTime::now_utc();
        self.validity(now - Duration::days(30), now - Duration::days(1))
    }

    /// Expires in 2040, after the service's 2038-01-19T03:14:07Z limit.
    pub fn after_2038(self) -> Self {
        let nb = self.not_before;
        self.validity(nb, time::macros::datetime!(2040-01-01 00:00:00 UTC))
    }

    pub fn organization(mut self, o: &str) -> Self {
        self.subject.push((DnType::OrganizationName, o.to_string()));
        self
    }

    pub fn organizational_unit(mut self, ou: &str) -> Self {
        self.subject.push((DnType::OrganizationalUnitName, ou.to_string()));
        self
    }

    pub fn locality(mut self, l: &str) -> Self {
        self.subject.push((DnType::LocalityName, l.to_string()));
        self
    }

    pub fn state(mut self, st: &str) -> Self {
        self.subject.push((DnType::StateOrProvinceName, st.to_string()));
        self
    }

    pub fn country(mut self, c: &str) -> Self {
        self.subject.push((DnType::CountryName, c.to_string()));
        self
    }

    pub fn serial(mut self, serial: u64) -> Self {
        self.serial = Some(serial);
        self
    }

    pub fn signed_by<'b>(self, ca: &'b TestCa) -> CertBuilder<'b> {
        CertBuilder {
            common_name: self.common_name,
            sans: self.sans,
            key: self.key,
            not_before: self.not_before,
            not_after: self.not_after,
            subject: self.subject,
            serial: self.serial,
            issuer: Some(ca),
        }
    }

    pub fn build(self) -> TestCert {
        let key = self.key.generate();
        let mut params = CertificateParams::new(self.sans).expect("SAN names");
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, self.common_name);
        for (t, v) in self.subject {
            params.distinguished_name.push(t, v);
        }
        params.not_before = self.not_before;
        params.not_after = self.not_after;
        params.serial_number = self.serial.map(SerialNumber::from);
        let cert = match self.issuer {
            Some(ca) => params.signed_by(&key, &ca.issuer).expect("sign leaf"),
            None => params.self_signed(&key).expect("self-sign leaf"),
        };
        TestCert { cert_pem: cert.pem(), key_pem: key.serialize_pem() }
    }
}

/// A valid self-signed RSA certificate for `common_name` with the given DNS SANs.
pub fn valid(common_name: &str, sans: &[&str]) -> TestCert {
    builder(common_name).sans(sans).build()
}

/// The same with an ECDSA P-256 key.
pub fn valid_ecdsa(common_name: &str, sans: &[&str]) -> TestCert {
    builder(common_name).sans(sans).key(KeyKind::EcdsaP256).build()
}

/// `*.{parent}` as CN and only SAN.
pub fn wildcard(parent: &str) -> TestCert {
    let name = format!("*.{parent}");
    builder(&name).build()
}

pub fn expired(common_name: &str) -> TestCert {
    builder(common_name).expired().build()
}

pub fn no_san(common_name: &str) -> TestCert {
    builder(common_name).no_san().build()
}

pub fn after_2038(common_name: &str) -> TestCert {
    builder(common_name).after_2038().build()
}

/// A certificate paired with the key of another certificate.
pub fn mismatched_pair(common_name: &str) -> TestCert {
    let a = builder(common_name).build();
    let b = builder(common_name).build();
    TestCert { cert_pem: a.cert_pem, key_pem: b.key_pem }
}

/// A leaf signed by an intermediate signed by a root. `cert_pem` is leaf then intermediate
/// (server certificate first, as the service wants); the root comes back for `trusted_root_ca`.
pub fn chain(common_name: &str, sans: &[&str]) -> (TestCert, TestCa) {
    let root = root_ca("Sim Test Root");
    let intermediate = intermediate_ca("Sim Test Intermediate", &root);
    let leaf = builder(common_name).sans(sans).signed_by(&intermediate).build();
    let cert = TestCert { cert_pem: format!("{}{}", leaf.cert_pem, intermediate.cert_pem()), key_pem: leaf.key_pem };
    (cert, root)
}

/// The same chain with the intermediate first: the order the service refuses (APIG.2104).
pub fn chain_wrong_order(common_name: &str) -> TestCert {
    let root = root_ca("Sim Test Root");
    let intermediate = intermediate_ca("Sim Test Intermediate", &root);
    let leaf = builder(common_name).signed_by(&intermediate).build();
    TestCert { cert_pem: format!("{}{}", intermediate.cert_pem(), leaf.cert_pem), key_pem: leaf.key_pem }
}
