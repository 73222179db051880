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
mod tests {
    use super::*;
    use crate::provider::pki::certificate::parse_certificate_chain;
    use crate::provider::pki::limits::{MAX_DSA_P_BITS, MAX_DSA_Q_BITS, MAX_PEM_TEXT_BYTES, MAX_RSA_MODULUS_BITS};
    use crate::provider::pki::test_support::{
        CertSpec, KeyAlg, generate, pkcs1_pem, pkcs8_dsa_pem, pkcs8_rsa_pem, sec1_pem, to_pem,
    };

    fn leaf_and_key(alg: KeyAlg) -> (ParsedCertificate, String) {
        let generated = generate(&CertSpec::leaf(alg));
        let chain = parse_certificate_chain(&generated.chain_pem).expect("chain parses");
        (chain.leaf().clone(), generated.key_pem)
    }

    #[test]
    fn pkcs8_keys_of_each_kind_match_their_certificate() {
        for (alg, kind) in [
            (KeyAlg::Rsa2048, KeyKind::Rsa),
            (KeyAlg::EcdsaP256, KeyKind::Ec(EcCurve::P256)),
            (KeyAlg::EcdsaP384, KeyKind::Ec(EcCurve::P384)),
            (KeyAlg::Ed25519, KeyKind::Ed25519),
        ] {
            let (leaf, key_pem) = leaf_and_key(alg);
            let key = parse_private_key(&key_pem).expect("key parses");
            assert_eq!(key.format, KeyFormat::Pkcs8);
            assert_eq!(key.kind, kind, "{alg:?}");
            assert_eq!(key_matches_certificate(&key, &leaf), Ok(true), "{alg:?}");
        }
    }

    #[test]
    fn pkcs1_and_sec1_keys_parse_and_match() {
        let (rsa_leaf, rsa_key) = leaf_and_key(KeyAlg::Rsa2048);
        let key = parse_private_key(&pkcs1_pem(&rsa_key)).expect("PKCS#1 parses");
        assert_eq!((key.format, key.kind.clone()), (KeyFormat::Pkcs1, KeyKind::Rsa));
        assert_eq!(key_matches_certificate(&key, &rsa_leaf), Ok(true));

        let (ec_leaf, ec_key) = leaf_and_key(KeyAlg::EcdsaP384);
        let key = parse_private_key(&sec1_pem(&ec_key, KeyAlg::EcdsaP384)).expect("SEC1 parses");
        assert_eq!((key.format, key.kind.clone()), (KeyFormat::Sec1, KeyKind::Ec(EcCurve::P384)));
        assert_eq!(key_matches_certificate(&key, &ec_leaf), Ok(true));
    }

    #[test]
    fn a_different_key_does_not_match() {
        let (leaf, _) = leaf_and_key(KeyAlg::EcdsaP256);
        let (_, other_key) = leaf_and_key(KeyAlg::EcdsaP256);
        let (_, rsa_key) = leaf_and_key(KeyAlg::Rsa2048);
        let other = parse_private_key(&other_key).expect("parses");
        assert_eq!(key_matches_certificate(&other, &leaf), Ok(false), "same curve, different key");
        let rsa = parse_private_key(&rsa_key).expect("parses");
        assert_eq!(key_matches_certificate(&rsa, &leaf), Ok(false), "different algorithm");
    }

    #[test]
    fn wrong_inputs_are_explained_without_key_material() {
        let (_, key_pem) = leaf_and_key(KeyAlg::EcdsaP256);
        let generated = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));

        assert_eq!(
            parse_private_key(&generated.chain_pem).unwrap_err(),
            PkiError::NoPrivateKey { found: vec!["CERTIFICATE".into(), "CERTIFICATE".into()] }
        );
        assert_eq!(parse_private_key("not pem").unwrap_err(), PkiError::NoPrivateKey { found: vec![] });
        assert_eq!(
            parse_private_key(&format!("{key_pem}{key_pem}")).unwrap_err(),
            PkiError::MultiplePrivateKeys { count: 2 }
        );
        let encrypted = key_pem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
        assert_eq!(parse_private_key(&encrypted).unwrap_err(), PkiError::EncryptedPrivateKey);
        let openssh = key_pem.replace("PRIVATE KEY", "OPENSSH PRIVATE KEY");
        assert_eq!(
            parse_private_key(&openssh).unwrap_err(),
            PkiError::UnsupportedKeyFormat { label: "OPENSSH PRIVATE KEY".into() }
        );

        // A truncated body: valid base64 and PEM, broken DER. The message must not echo the body.
        let body: String = key_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let truncated = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", &body[..40]);
        let err = parse_private_key(&truncated).unwrap_err();
        assert!(matches!(err, PkiError::InvalidPrivateKey { .. }), "{err:?}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(&body[..16]), "{shown}");
        }
    }

    #[test]
    fn a_tampered_ec_key_is_rejected() {
        let (_, key_pem) = leaf_and_key(KeyAlg::EcdsaP256);
        // Zero the private scalar inside the SEC1 structure: no longer a valid key.
        let sec1 = sec1_pem(&key_pem, KeyAlg::EcdsaP256);
        let block = pem::parse(&sec1).expect("pem");
        let mut der_bytes = block[0].der.clone();
        // SEQUENCE hdr (2) + INTEGER 1 (3) + OCTET STRING hdr (2) → scalar at 7..39
        for b in der_bytes.iter_mut().skip(7).take(32) {
            *b = 0;
        }
        let text = crate::provider::pki::test_support::to_pem("EC PRIVATE KEY", &der_bytes);
        assert!(matches!(parse_private_key(&text), Err(PkiError::InvalidPrivateKey { .. })));
    }

    #[test]
    fn debug_output_has_no_private_material() {
        let (_, key_pem) = leaf_and_key(KeyAlg::Rsa2048);
        let key = parse_private_key(&key_pem).expect("parses");
        let shown = format!("{key:?}");
        // The private exponent d is the 4th INTEGER of the PKCS#1 structure; check a slice of it
        // in decimal byte form (how Vec<u8> Debug prints) is absent.
        let pkcs1 = pem::parse(&pkcs1_pem(&key_pem)).expect("pem")[0].der.clone();
        let mut seq = der::sequence(&pkcs1).expect("seq");
        for _ in 0..3 {
            seq.read(der::INTEGER);
        }
        let d = der::unsigned_integer(seq.read(der::INTEGER).expect("d"));
        let d_debug = format!("{:?}", &d[..12]);
        let d_inner = d_debug.trim_start_matches('[').trim_end_matches(']');
        assert!(!shown.contains(d_inner), "private exponent leaked into Debug");
    }

    /// DER TLV with a short-form length (test structures are small).
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, u8::try_from(content.len()).expect("short")];
        out.extend_from_slice(content);
        out
    }

    #[test]
    fn sm2_keys_use_their_stored_public_point() {
        // A synthetic SEC1 key on the SM2 curve (not a real key): no arithmetic for SM2 here, so
        // the public point stored beside the private value is what gets compared.
        let sm2_oid = [0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
        let mut point = vec![0x04];
        point.extend([0x11u8; 64]);
        let mut bits = vec![0x00];
        bits.extend(&point);
        let body = [
            tlv(der::INTEGER, &[1]),
            tlv(der::OCTET_STRING, &[0x22; 32]),
            tlv(der::CONTEXT_0, &tlv(der::OID, &sm2_oid)),
            tlv(der::CONTEXT_1, &tlv(der::BIT_STRING, &bits)),
        ]
        .concat();
        let sec1 = crate::provider::pki::test_support::to_pem("EC PRIVATE KEY", &tlv(der::SEQUENCE, &body));
        let key = parse_private_key(&sec1).expect("parses");
        assert_eq!(key.kind, KeyKind::Ec(EcCurve::Sm2));
        assert_eq!(key.kind.algorithm_type(), Some("SM2"));
        assert_eq!(key.public_key, Some(PublicKey::Ec { curve: EcCurve::Sm2, point }));

        // Without the stored point, matching is impossible and says so.
        let body_without_point = [
            tlv(der::INTEGER, &[1]),
            tlv(der::OCTET_STRING, &[0x22; 32]),
            tlv(der::CONTEXT_0, &tlv(der::OID, &sm2_oid)),
        ]
        .concat();
        let sec1 =
            crate::provider::pki::test_support::to_pem("EC PRIVATE KEY", &tlv(der::SEQUENCE, &body_without_point));
        let key = parse_private_key(&sec1).expect("parses");
        assert_eq!(key.public_key, None);
        let (leaf, _) = leaf_and_key(KeyAlg::EcdsaP256);
        assert!(matches!(key_matches_certificate(&key, &leaf), Err(PkiError::PublicKeyUnavailable { .. })));
    }

    #[test]
    fn legacy_dsa_key_reads_its_public_value() {
        // SEQUENCE { version 0, p 23, q 11, g 4, y 9, x 7 } (toy numbers; y is taken as stored)
        let body: Vec<u8> = [0u8, 23, 11, 4, 9, 7].iter().flat_map(|n| tlv(der::INTEGER, &[*n])).collect();
        let text = crate::provider::pki::test_support::to_pem("DSA PRIVATE KEY", &tlv(der::SEQUENCE, &body));
        let key = parse_private_key(&text).expect("parses");
        assert_eq!(key.format, KeyFormat::Dsa);
        assert_eq!(key.public_key, Some(PublicKey::Dsa { y: vec![9] }));
        assert_eq!(key.kind.algorithm_type(), None);
    }

    #[test]
    fn oversized_dsa_parameters_are_refused_before_any_arithmetic() {
        // The key: 32768-bit parameters (about 17 KB of PEM). Had the exponentiation run,
        // this would take minutes; the refusal comes from the size check (KeyTooLarge), not from
        // dsa_public_value (which would say "invalid DSA parameters").
        let pem = pkcs8_dsa_pem(32768, 32768, 32767);
        assert!(pem.len() > 16_000, "a realistic size: {}", pem.len());
        let err = parse_private_key(&pem).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the private key is too large: 32768-bit DSA parameters; the API accepts at most 3072-bit DSA \
             parameters (p of at most 3072 bits, q of at most 256)"
        );
        // Each bound on its own: q, then x (p and q allowed).
        let err = parse_private_key(&pkcs8_dsa_pem(3072, 4096, 255)).unwrap_err();
        assert!(err.to_string().contains("4096-bit DSA subgroup order q"), "{err}");
        let err = parse_private_key(&pkcs8_dsa_pem(3072, 256, 3000)).unwrap_err();
        assert!(err.to_string().contains("3000-bit DSA private value x"), "{err}");
        assert!(!err.advice().is_empty());
        // The exponentiation refuses over-limit operands whoever calls it.
        let big = vec![0xff; 32768 / 8];
        assert_eq!(dsa_public_value(&big, &[2], &[3]), None);
        assert_eq!(dsa_public_value(&[23], &[5], &big), None);
    }

    #[test]
    fn dsa_parameters_at_the_limit_still_parse() {
        let key =
            parse_private_key(&pkcs8_dsa_pem(MAX_DSA_P_BITS, MAX_DSA_Q_BITS, MAX_DSA_Q_BITS - 1)).expect("allowed");
        assert_eq!((key.format, key.kind), (KeyFormat::Pkcs8, KeyKind::Dsa));
        assert!(matches!(key.public_key, Some(PublicKey::Dsa { ref y }) if !y.is_empty() && y.len() <= 3072 / 8));
    }

    #[test]
    fn a_pkcs8_dsa_key_gets_its_public_value() {
        // p = 23, q = 11, g = 4, x = 7 → y = 4^7 mod 23 = 8 (toy numbers, a consistent key)
        let int = |n: u8| tlv(der::INTEGER, &[n]);
        let oid = tlv(der::OID, &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]);
        let algorithm = tlv(der::SEQUENCE, &[oid, tlv(der::SEQUENCE, &[int(23), int(11), int(4)].concat())].concat());
        let info = tlv(der::SEQUENCE, &[int(0), algorithm, tlv(der::OCTET_STRING, &int(7))].concat());
        let key = parse_private_key(&to_pem("PRIVATE KEY", &info)).expect("parses");
        assert_eq!(key.public_key, Some(PublicKey::Dsa { y: vec![8] }));
    }

    #[test]
    fn oversized_rsa_keys_are_refused() {
        for bits in [2048, 4096, MAX_RSA_MODULUS_BITS] {
            let key = parse_private_key(&pkcs8_rsa_pem(bits)).expect("allowed size");
            assert_eq!(key.public_key.and_then(|k| k.bits()), Some(bits));
        }
        let err = parse_private_key(&pkcs8_rsa_pem(MAX_RSA_MODULUS_BITS + 8)).unwrap_err();
        assert!(matches!(err, PkiError::KeyTooLarge { .. }), "{err:?}");
        assert!(err.to_string().contains("16392-bit RSA modulus"), "{err}");
    }

    #[test]
    fn oversized_text_is_refused_unread() {
        let (_, key_pem) = leaf_and_key(KeyAlg::EcdsaP256);
        let padded = format!("{key_pem}{}", "x".repeat(MAX_PEM_TEXT_BYTES));
        assert_eq!(
            parse_private_key(&padded).unwrap_err(),
            PkiError::InputTooLarge { bytes: padded.len(), limit: MAX_PEM_TEXT_BYTES }
        );
    }

    #[test]
    fn dsa_public_value_is_computed() {
        // p = 23, g = 5, x = 6 → y = 5^6 mod 23 = 8
        assert_eq!(dsa_public_value(&[23], &[5], &[6]), Some(vec![8]));
        assert_eq!(dsa_public_value(&[1], &[5], &[6]), None);
    }
}
