//! Public keys as both sides see them: the certificate's SubjectPublicKeyInfo and the public half
//! derived from a private key. Comparing two of these is how a key is matched to a certificate.

use super::der::{self, Reader};

pub(crate) const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub(crate) const OID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
pub(crate) const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
pub(crate) const OID_SM2: &str = "1.2.156.10197.1.301";
pub(crate) const OID_ED25519: &str = "1.3.101.112";
pub(crate) const OID_DSA: &str = "1.2.840.10040.4.1";

/// A named elliptic curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EcCurve {
    P256,
    P384,
    P521,
    /// The Chinese SM2 curve (GB/T 32918), `algorithm_type = "SM2"` on the API.
    Sm2,
    /// Any other curve, by OID.
    Other(String),
}

impl EcCurve {
    pub fn from_oid(oid: &str) -> EcCurve {
        match oid {
            "1.2.840.10045.3.1.7" => EcCurve::P256,
            "1.3.132.0.34" => EcCurve::P384,
            "1.3.132.0.35" => EcCurve::P521,
            OID_SM2 => EcCurve::Sm2,
            other => EcCurve::Other(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
            EcCurve::Sm2 => "SM2",
            EcCurve::Other(oid) => oid,
        }
    }
}

/// The algorithm family of a key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    Ec(EcCurve),
    Ed25519,
    Dsa,
    /// Anything else, by algorithm OID.
    Other(String),
}

impl KeyKind {
    /// Go's `x509.PublicKeyAlgorithm` name (`RSA`, `ECDSA`, `Ed25519`, `DSA`); SM2 keys, which Go's
    /// standard library does not know, are `SM2`; unknown algorithms show their OID.
    pub fn go_name(&self) -> String {
        match self {
            KeyKind::Rsa => "RSA".into(),
            KeyKind::Ec(EcCurve::Sm2) => "SM2".into(),
            KeyKind::Ec(_) => "ECDSA".into(),
            KeyKind::Ed25519 => "Ed25519".into(),
            KeyKind::Dsa => "DSA".into(),
            KeyKind::Other(oid) => oid.clone(),
        }
    }

    /// The API's `algorithm_type` for certificates with this kind of key, where it has one.
    pub fn algorithm_type(&self) -> Option<&'static str> {
        match self {
            KeyKind::Rsa => Some("RSA"),
            KeyKind::Ec(EcCurve::Sm2) => Some("SM2"),
            KeyKind::Ec(_) => Some("ECC"),
            _ => None,
        }
    }

    /// For messages: `RSA`, `ECDSA P-256`, `SM2`, ...
    pub fn describe(&self) -> String {
        match self {
            KeyKind::Ec(EcCurve::Sm2) => "SM2".into(),
            KeyKind::Ec(curve) => format!("ECDSA {}", curve.name()),
            other => other.go_name(),
        }
    }
}

/// A public key, normalised so that equal keys compare equal whatever encoding they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Big-endian modulus and exponent without leading zeros.
    Rsa {
        modulus: Vec<u8>,
        exponent: Vec<u8>,
    },
    /// The SEC1 point (usually uncompressed, `04 || X || Y`).
    Ec {
        curve: EcCurve,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    /// The public value `y` without leading zeros.
    Dsa {
        y: Vec<u8>,
    },
    Other {
        algorithm: String,
        key: Vec<u8>,
    },
}

impl PublicKey {
    pub fn kind(&self) -> KeyKind {
        match self {
            PublicKey::Rsa { .. } => KeyKind::Rsa,
            PublicKey::Ec { curve, .. } => KeyKind::Ec(curve.clone()),
            PublicKey::Ed25519(_) => KeyKind::Ed25519,
            PublicKey::Dsa { .. } => KeyKind::Dsa,
            PublicKey::Other { algorithm, .. } => KeyKind::Other(algorithm.clone()),
        }
    }

    /// Key size in bits where it is meaningful (RSA modulus, EC field).
    pub fn bits(&self) -> Option<usize> {
        match self {
            PublicKey::Rsa { modulus, .. } => modulus.first().map(|top| {
                let leading = usize::try_from(top.leading_zeros()).unwrap_or(0);
                modulus.len() * 8 - leading
            }),
            PublicKey::Ec { curve: EcCurve::P256 | EcCurve::Sm2, .. } => Some(256),
            PublicKey::Ec { curve: EcCurve::P384, .. } => Some(384),
            PublicKey::Ec { curve: EcCurve::P521, .. } => Some(521),
            PublicKey::Ed25519(_) => Some(256),
            _ => None,
        }
    }

    /// True when both are the same key (an EC point may be compressed on one side).
    pub fn same_key(&self, other: &PublicKey) -> bool {
        match (self, other) {
            (PublicKey::Ec { curve: ca, point: pa }, PublicKey::Ec { curve: cb, point: pb }) => {
                ca == cb && same_ec_point(pa, pb)
            }
            _ => self == other,
        }
    }
}

/// Uncompressed (`04 X Y`) and compressed (`02|03 X`) encodings of one point are equal when the
/// X coordinates agree and the prefix parity matches Y's.
fn same_ec_point(a: &[u8], b: &[u8]) -> bool {
    fn uncompressed_matches_compressed(full: &[u8], compressed: &[u8]) -> bool {
        let (Some((0x04, xy)), Some((&prefix @ (0x02 | 0x03), x))) = (full.split_first(), compressed.split_first())
        else {
            return false;
        };
        match xy.split_at_checked(x.len()) {
            Some((full_x, y)) if y.len() == x.len() => {
                full_x == x && y.last().is_some_and(|last| last & 1 == prefix & 1)
            }
            _ => false,
        }
    }
    a == b || uncompressed_matches_compressed(a, b) || uncompressed_matches_compressed(b, a)
}

/// Parses a DER SubjectPublicKeyInfo. `None` when it is malformed.
pub fn parse_spki(spki: &[u8]) -> Option<PublicKey> {
    let mut outer = der::sequence(spki)?;
    let mut algorithm = outer.read_sequence()?;
    let oid = der::oid_to_string(algorithm.read(der::OID)?)?;
    let parameters = algorithm.read(der::OID).and_then(der::oid_to_string);
    let key = der::bit_string_bytes(outer.read(der::BIT_STRING)?)?;
    public_key_from_parts(&oid, parameters.as_deref(), key)
}

/// Builds a public key from an algorithm OID, its curve parameter (for EC) and the key bytes as
/// found in a SubjectPublicKeyInfo's BIT STRING.
pub(crate) fn public_key_from_parts(algorithm: &str, curve: Option<&str>, key: &[u8]) -> Option<PublicKey> {
    Some(match algorithm {
        OID_RSA_ENCRYPTION | OID_RSASSA_PSS => {
            let mut rsa = der::sequence(key)?;
            let modulus = der::unsigned_integer(rsa.read(der::INTEGER)?).to_vec();
            let exponent = der::unsigned_integer(rsa.read(der::INTEGER)?).to_vec();
            if modulus.is_empty() || exponent.is_empty() {
                return None;
            }
            PublicKey::Rsa { modulus, exponent }
        }
        OID_EC_PUBLIC_KEY => PublicKey::Ec { curve: EcCurve::from_oid(curve?), point: non_empty(key)? },
        OID_SM2 => PublicKey::Ec { curve: EcCurve::Sm2, point: non_empty(key)? },
        OID_ED25519 => PublicKey::Ed25519(non_empty(key)?),
        OID_DSA => PublicKey::Dsa { y: der::unsigned_integer(Reader::new(key).read(der::INTEGER)?).to_vec() },
        other => PublicKey::Other { algorithm: other.to_string(), key: key.to_vec() },
    })
}

fn non_empty(bytes: &[u8]) -> Option<Vec<u8>> {
    (!bytes.is_empty()).then(|| bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_and_uncompressed_points_match() {
        let full = [0x04, 1, 2, 3, 4, 5, 7];
        let even = [0x02, 1, 2, 3];
        let odd = [0x03, 1, 2, 3];
        assert!(same_ec_point(&full, &odd));
        assert!(same_ec_point(&odd, &full));
        assert!(!same_ec_point(&full, &even), "Y is odd");
        assert!(!same_ec_point(&full, &[0x03, 1, 2, 9]), "different X");
        assert!(!same_ec_point(&full, &[0x03]), "truncated");
    }

    #[test]
    fn key_kind_names_follow_go_and_the_api() {
        assert_eq!(KeyKind::Rsa.go_name(), "RSA");
        assert_eq!(KeyKind::Ec(EcCurve::P384).go_name(), "ECDSA");
        assert_eq!(KeyKind::Ec(EcCurve::P384).algorithm_type(), Some("ECC"));
        assert_eq!(KeyKind::Ec(EcCurve::Sm2).algorithm_type(), Some("SM2"));
        assert_eq!(KeyKind::Rsa.algorithm_type(), Some("RSA"));
        assert_eq!(KeyKind::Ed25519.algorithm_type(), None);
        assert_eq!(KeyKind::Ec(EcCurve::P256).describe(), "ECDSA P-256");
    }

    #[test]
    fn rsa_bits_from_modulus() {
        let key = PublicKey::Rsa { modulus: vec![0x7f, 0, 0], exponent: vec![1, 0, 1] };
        assert_eq!(key.bits(), Some(23));
    }

    #[test]
    fn malformed_spki_is_none() {
        assert!(parse_spki(&[]).is_none());
        assert!(parse_spki(&[0x30, 0x03, 0x30, 0x01, 0x06]).is_none());
    }
}
