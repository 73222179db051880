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
    let body_without_point =
        [tlv(der::INTEGER, &[1]), tlv(der::OCTET_STRING, &[0x22; 32]), tlv(der::CONTEXT_0, &tlv(der::OID, &sm2_oid))]
            .concat();
    let sec1 = crate::provider::pki::test_support::to_pem("EC PRIVATE KEY", &tlv(der::SEQUENCE, &body_without_point));
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
    let key = parse_private_key(&pkcs8_dsa_pem(MAX_DSA_P_BITS, MAX_DSA_Q_BITS, MAX_DSA_Q_BITS - 1)).expect("allowed");
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
