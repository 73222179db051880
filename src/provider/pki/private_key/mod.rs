//! PEM private keys (PKCS#8, PKCS#1 RSA, SEC1 EC, legacy DSA) → their algorithm and public half.
//! The private material is read in place and never copied out: [`ParsedPrivateKey`] holds only
//! public information, so printing or logging it cannot leak the key.

use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _};
use x509_parser::num_bigint::BigUint;

use super::certificate::ParsedCertificate;
use super::der::{self, Reader};
use super::error::PkiError;
use super::limits::{self, DsaValue};
use super::pem;
use super::public_key::{
    EcCurve, KeyKind, OID_DSA, OID_EC_PUBLIC_KEY, OID_ED25519, OID_RSA_ENCRYPTION, OID_RSASSA_PSS, OID_SM2, PublicKey,
    public_key_from_parts,
};

/// The encoding the key came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// `-----BEGIN PRIVATE KEY-----`
    Pkcs8,
    /// `-----BEGIN RSA PRIVATE KEY-----`
    Pkcs1,
    /// `-----BEGIN EC PRIVATE KEY-----`
    Sec1,
    /// `-----BEGIN DSA PRIVATE KEY-----` (OpenSSL's traditional format)
    Dsa,
}

impl KeyFormat {
    pub fn name(self) -> &'static str {
        match self {
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::Pkcs1 => "PKCS#1 RSA",
            KeyFormat::Sec1 => "SEC1 EC",
            KeyFormat::Dsa => "DSA",
        }
    }
}

/// What is known about a private key without keeping any of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPrivateKey {
    pub format: KeyFormat,
    pub kind: KeyKind,
    /// `None` when it cannot be derived (an SM2 or unusual-curve key without its public point).
    pub public_key: Option<PublicKey>,
}

/// Parses the one private key in `text`. Other PEM blocks (a certificate, `EC PARAMETERS`) are
/// ignored; none or several private keys are errors.
pub fn parse_private_key(text: &str) -> Result<ParsedPrivateKey, PkiError> {
    #[cfg(test)]
    super::parse_count::key();
    limits::check_text_size(text)?;
    let blocks = pem::parse(text)?;
    let mut keys = blocks.iter().filter(|b| b.label.ends_with("PRIVATE KEY"));
    let block = match (keys.next(), keys.count()) {
        (Some(block), 0) => block,
        (Some(_), more) => return Err(PkiError::MultiplePrivateKeys { count: more + 1 }),
        (None, _) => return Err(PkiError::NoPrivateKey { found: blocks.iter().map(|b| b.label.clone()).collect() }),
    };
    if block.encrypted {
        return Err(PkiError::EncryptedPrivateKey);
    }
    match block.label.as_str() {
        "PRIVATE KEY" => parse_pkcs8(&block.der),
        "RSA PRIVATE KEY" => parse_pkcs1(&block.der, KeyFormat::Pkcs1),
        "EC PRIVATE KEY" => parse_sec1(&block.der, None, KeyFormat::Sec1),
        "DSA PRIVATE KEY" => parse_legacy_dsa(&block.der),
        "ENCRYPTED PRIVATE KEY" => Err(PkiError::EncryptedPrivateKey),
        other => Err(PkiError::UnsupportedKeyFormat { label: other.to_string() }),
    }
}

/// Whether `key` is the private half of `certificate`'s public key.
pub fn key_matches_certificate(key: &ParsedPrivateKey, certificate: &ParsedCertificate) -> Result<bool, PkiError> {
    let Some(public) = &key.public_key else {
        return Err(PkiError::PublicKeyUnavailable { kind: key.kind.describe() });
    };
    Ok(certificate.public_key.as_ref().is_some_and(|c| c.same_key(public)))
}

fn invalid(format: KeyFormat, reason: &'static str) -> PkiError {
    PkiError::InvalidPrivateKey { format: format.name(), reason }
}

/// PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958).
fn parse_pkcs8(document: &[u8]) -> Result<ParsedPrivateKey, PkiError> {
    let bad = |reason| invalid(KeyFormat::Pkcs8, reason);
    let mut info = der::sequence(document).ok_or_else(|| bad("not a PrivateKeyInfo structure"))?;
    match info.read(der::INTEGER).and_then(der::small_integer) {
        Some(0 | 1) => {}
        _ => return Err(bad("unknown version")),
    }
    let mut algorithm = info.read_sequence().ok_or_else(|| bad("missing algorithm identifier"))?;
    let oid = algorithm.read(der::OID).and_then(der::oid_to_string).ok_or_else(|| bad("missing algorithm OID"))?;
    let parameters = algorithm.read_any();
    let private = info.read(der::OCTET_STRING).ok_or_else(|| bad("missing private key"))?;
    let _attributes = info.read(der::CONTEXT_0);
    let embedded_public = info.read(der::CONTEXT_1_PRIMITIVE).and_then(der::bit_string_bytes);

    match oid.as_str() {
        OID_RSA_ENCRYPTION | OID_RSASSA_PSS => {
            parse_pkcs1(private, KeyFormat::Pkcs8).map(|k| ParsedPrivateKey { format: KeyFormat::Pkcs8, ..k })
        }
        OID_EC_PUBLIC_KEY => {
            let curve = parameters
                .filter(|p| p.tag == der::OID)
                .and_then(|p| der::oid_to_string(p.content))
                .ok_or_else(|| bad("EC key without a named curve"))?;
            parse_sec1(private, Some((EcCurve::from_oid(&curve), document)), KeyFormat::Pkcs8)
        }
        OID_SM2 => parse_sec1(private, Some((EcCurve::Sm2, document)), KeyFormat::Pkcs8),
        OID_ED25519 => {
            let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(document).map_err(|_| bad("invalid Ed25519 key"))?;
            Ok(ParsedPrivateKey {
                format: KeyFormat::Pkcs8,
                kind: KeyKind::Ed25519,
                public_key: Some(PublicKey::Ed25519(pair.public_key().as_ref().to_vec())),
            })
        }
        OID_DSA => {
            let domain =
                parameters.filter(|p| p.tag == der::SEQUENCE).ok_or_else(|| bad("DSA key without parameters"))?;
            let mut domain = Reader::new(domain.content);
            let p = domain.read(der::INTEGER).ok_or_else(|| bad("DSA parameters incomplete"))?;
            let q = domain.read(der::INTEGER).ok_or_else(|| bad("DSA parameters incomplete"))?;
            let g = domain.read(der::INTEGER).ok_or_else(|| bad("DSA parameters incomplete"))?;
            let x = Reader::new(private).read(der::INTEGER).ok_or_else(|| bad("malformed DSA private value"))?;
            let [p, q, g, x] = [p, q, g, x].map(der::unsigned_integer);
            // Before the exponentiation: its cost grows with the sizes of p and x.
            limits::check_dsa(p, q, g, &[(x, DsaValue::Private)])?;
            let y = dsa_public_value(p, g, x).ok_or_else(|| bad("invalid DSA parameters"))?;
            Ok(ParsedPrivateKey {
                format: KeyFormat::Pkcs8,
                kind: KeyKind::Dsa,
                public_key: Some(PublicKey::Dsa { y }),
            })
        }
        other => Ok(ParsedPrivateKey {
            format: KeyFormat::Pkcs8,
            kind: KeyKind::Other(other.to_string()),
            public_key: embedded_public.and_then(|key| public_key_from_parts(other, None, key)),
        }),
    }
}

/// RSAPrivateKey (RFC 8017): the public key is its modulus and public exponent.
fn parse_pkcs1(der_bytes: &[u8], format: KeyFormat) -> Result<ParsedPrivateKey, PkiError> {
    let bad = |reason| invalid(format, reason);
    let mut key = der::sequence(der_bytes).ok_or_else(|| bad("not an RSAPrivateKey structure"))?;
    match key.read(der::INTEGER).and_then(der::small_integer) {
        Some(0 | 1) => {}
        _ => return Err(bad("unknown RSA key version")),
    }
    let mut next = || key.read(der::INTEGER).map(der::unsigned_integer).filter(|v| !v.is_empty());
    let modulus = next().ok_or_else(|| bad("missing modulus"))?.to_vec();
    let exponent = next().ok_or_else(|| bad("missing public exponent"))?.to_vec();
    limits::check_rsa(&modulus, &exponent)?;
    // d, p, q must be there for this to be a usable private key.
    for _ in 0..3 {
        next().ok_or_else(|| bad("missing private components"))?;
    }
    Ok(ParsedPrivateKey { format, kind: KeyKind::Rsa, public_key: Some(PublicKey::Rsa { modulus, exponent }) })
}

/// ECPrivateKey (RFC 5915). `outer` is the curve named by an enclosing PKCS#8 document together
/// with that document.
fn parse_sec1(
    der_bytes: &[u8],
    outer: Option<(EcCurve, &[u8])>,
    format: KeyFormat,
) -> Result<ParsedPrivateKey, PkiError> {
    let bad = |reason| invalid(format, reason);
    let mut key = der::sequence(der_bytes).ok_or_else(|| bad("not an ECPrivateKey structure"))?;
    if key.read(der::INTEGER).and_then(der::small_integer) != Some(1) {
        return Err(bad("unknown EC key version"));
    }
    let scalar = key.read(der::OCTET_STRING).filter(|s| !s.is_empty()).ok_or_else(|| bad("missing private value"))?;
    let inner_curve = key
        .read(der::CONTEXT_0)
        .and_then(|p| Reader::new(p).read(der::OID))
        .and_then(der::oid_to_string)
        .map(|oid| EcCurve::from_oid(&oid));
    let embedded_public = key.read(der::CONTEXT_1).and_then(|p| Reader::new(p).read(der::BIT_STRING));
    let embedded_public = embedded_public.and_then(der::bit_string_bytes).map(<[u8]>::to_vec);

    let (outer_curve, pkcs8_document) = match outer {
        Some((curve, document)) => (Some(curve), Some(document)),
        None => (None, None),
    };
    // Without a named curve, the private value's size says which NIST curve it is.
    let curve_by_size = match scalar.len() {
        32 => Some(EcCurve::P256),
        48 => Some(EcCurve::P384),
        66 => Some(EcCurve::P521),
        _ => None,
    };
    let curve = outer_curve.or(inner_curve).or(curve_by_size);
    let curve = curve.ok_or_else(|| bad("the key does not name its curve"))?;
    let algorithm = match curve {
        EcCurve::P256 => Some(&signature::ECDSA_P256_SHA256_ASN1_SIGNING),
        EcCurve::P384 => Some(&signature::ECDSA_P384_SHA384_ASN1_SIGNING),
        EcCurve::P521 => Some(&signature::ECDSA_P521_SHA512_ASN1_SIGNING),
        EcCurve::Sm2 | EcCurve::Other(_) => None,
    };
    let point = match algorithm {
        // Derive the public point from the private value; this also checks the key is consistent.
        Some(algorithm) => {
            let pair = match pkcs8_document {
                Some(document) => EcdsaKeyPair::from_pkcs8(algorithm, document),
                None => EcdsaKeyPair::from_private_key_der(algorithm, der_bytes),
            };
            let pair = pair.map_err(|_| bad("the private value is not valid for its curve"))?;
            Some(pair.public_key().as_ref().to_vec())
        }
        // No arithmetic for these curves here: trust the public point stored beside the key.
        None => embedded_public,
    };
    Ok(ParsedPrivateKey {
        format,
        kind: KeyKind::Ec(curve.clone()),
        public_key: point.map(|point| PublicKey::Ec { curve, point }),
    })
}

/// OpenSSL's traditional DSA key: SEQUENCE { version, p, q, g, y, x }.
fn parse_legacy_dsa(der_bytes: &[u8]) -> Result<ParsedPrivateKey, PkiError> {
    let bad = |reason| invalid(KeyFormat::Dsa, reason);
    let mut key = der::sequence(der_bytes).ok_or_else(|| bad("not a DSA key structure"))?;
    let mut fields = Vec::with_capacity(6);
    for _ in 0..6 {
        fields.push(key.read(der::INTEGER).ok_or_else(|| bad("missing DSA components"))?);
    }
    let [p, q, g, y, x] = [1, 2, 3, 4, 5].map(|i| fields.get(i).map_or(&[][..], |f| der::unsigned_integer(f)));
    limits::check_dsa(p, q, g, &[(y, DsaValue::Public), (x, DsaValue::Private)])?;
    let y = Some(y.to_vec()).filter(|y| !y.is_empty());
    let y = y.ok_or_else(|| bad("missing DSA public value"))?;
    Ok(ParsedPrivateKey { format: KeyFormat::Dsa, kind: KeyKind::Dsa, public_key: Some(PublicKey::Dsa { y }) })
}

/// y = g^x mod p.
/// Never over the limits (callers check them first, with a message; this is the backstop that
/// keeps the exponentiation bounded whatever the caller).
fn dsa_public_value(p: &[u8], g: &[u8], x: &[u8]) -> Option<Vec<u8>> {
    let [p, g, x] = [p, g, x].map(der::unsigned_integer);
    let p_bits = limits::bit_length(p);
    if p_bits > limits::MAX_DSA_P_BITS
        || limits::bit_length(x) > limits::MAX_DSA_Q_BITS
        || limits::bit_length(g) > p_bits
    {
        return None;
    }
    let p = BigUint::from_bytes_be(p);
    if p.bits() < 2 {
        return None;
    }
    let y = BigUint::from_bytes_be(g).modpow(&BigUint::from_bytes_be(x), &p);
    Some(y.to_bytes_be())
}

#[cfg(test)]
mod tests;
