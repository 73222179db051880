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

/// One DER element, with a long-form length where needed (test structures can be large).
pub fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A positive DER INTEGER of exactly `bits` bits (top bit set, pseudo-random below it): cheap to
/// make at any size, not a mathematically meaningful number.
pub fn der_integer_of_bits(bits: usize, seed: u8) -> Vec<u8> {
    let len = bits.div_ceil(8);
    let mut magnitude: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1).collect();
    let top_bits = bits - (len - 1) * 8;
    magnitude[0] = (magnitude[0] & (0xffu8 >> (8 - top_bits))) | (1 << (top_bits - 1));
    let mut content = Vec::with_capacity(len + 1);
    if magnitude[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend(magnitude);
    der_tlv(der::INTEGER, &content)
}

/// A PKCS#8 `PRIVATE KEY` for DSA (OID 1.2.840.10040.4.1) with `p`, `q`, `g`, `x` of the given
/// sizes in bits. Only the structure is right; the numbers are arbitrary.
pub fn pkcs8_dsa_pem(p_bits: usize, q_bits: usize, x_bits: usize) -> String {
    let dsa_oid = der_tlv(der::OID, &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]);
    let params = der_tlv(
        der::SEQUENCE,
        &[der_integer_of_bits(p_bits, 1), der_integer_of_bits(q_bits, 2), der_integer_of_bits(p_bits - 1, 3)].concat(),
    );
    let algorithm = der_tlv(der::SEQUENCE, &[dsa_oid, params].concat());
    let private = der_tlv(der::OCTET_STRING, &der_integer_of_bits(x_bits, 4));
    let info = der_tlv(der::SEQUENCE, &[der_tlv(der::INTEGER, &[0]), algorithm, private].concat());
    to_pem("PRIVATE KEY", &info)
}

/// A PKCS#8 `PRIVATE KEY` for RSA with a modulus of `modulus_bits` and exponent 65537; the
/// private components are arbitrary small numbers.
pub fn pkcs8_rsa_pem(modulus_bits: usize) -> String {
    let rsa_oid = der_tlv(der::OID, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
    let algorithm = der_tlv(der::SEQUENCE, &[rsa_oid, der_tlv(0x05, &[])].concat());
    let small = der_tlv(der::INTEGER, &[3]);
    let mut fields =
        vec![der_tlv(der::INTEGER, &[0]), der_integer_of_bits(modulus_bits, 5), der_tlv(der::INTEGER, &[1, 0, 1])];
    fields.extend(std::iter::repeat_n(small, 6));
    let rsa = der_tlv(der::SEQUENCE, &fields.concat());
    let info =
        der_tlv(der::SEQUENCE, &[der_tlv(der::INTEGER, &[0]), algorithm, der_tlv(der::OCTET_STRING, &rsa)].concat());
    to_pem("PRIVATE KEY", &info)
}
