//! Property tests of the PEM, key and certificate parsers: arbitrary text, arbitrary DER under
//! every label, and real keys and certificates with bytes flipped or cut are an answer or a
//! [`PkiError`], never a panic; key structures of any size are accepted exactly when within the
//! limits. Inputs are small or, for the size property, refused before any arithmetic.

use proptest::collection::vec;
use proptest::prelude::*;

use super::limits::{MAX_DSA_P_BITS, MAX_DSA_Q_BITS, MAX_RSA_MODULUS_BITS};
use super::test_support::{CertSpec, KeyAlg, generate, pkcs1_pem, pkcs8_dsa_pem, pkcs8_rsa_pem, sec1_pem, to_pem};
use super::{PkiError, UploadInput, check_upload, key_matches_certificate, parse_certificate_chain, parse_private_key};
use crate::proptest_support::config;

const LABELS: [&str; 7] = [
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "CERTIFICATE",
    "ENCRYPTED PRIVATE KEY",
    "X",
];

/// Everything the parsers are given, and the function and validation paths that use them.
fn parse_everything(text: &str) {
    let chain = parse_certificate_chain(text);
    let key = parse_private_key(text);
    if let (Ok(chain), Ok(key)) = (&chain, &key) {
        let _ = key_matches_certificate(key, chain.leaf());
    }
    for problem in check_upload(text, Some(text), Some("RSA"), time::macros::datetime!(2025-06-01 0:00 UTC)) {
        assert!(!problem.summary.is_empty() && !problem.detail.is_empty());
        if problem.input == UploadInput::PrivateKey {
            assert!(!problem.detail.contains("MII"), "a private key is never quoted: {}", problem.detail);
        }
    }
}

/// DER-ish bytes: random, with SEQUENCE/INTEGER/OID heads and long-form lengths mixed in.
fn der_like() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => any::<u8>(),
        1 => prop::sample::select(vec![0x30, 0x02, 0x03, 0x04, 0x06, 0x05, 0x00, 0xa0, 0xa1, 0x81, 0x82, 0x84, 0x80, 0xff]),
    ];
    vec(byte, 0..200)
}

/// Real PEM texts of each kind, generated once (key generation is the slow part).
fn real_texts() -> &'static [String] {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let rsa = generate(&CertSpec::leaf(KeyAlg::Rsa2048));
        let ec = generate(&CertSpec::leaf(KeyAlg::EcdsaP384));
        let ed = generate(&CertSpec::leaf(KeyAlg::Ed25519));
        vec![
            rsa.chain_pem.clone(),
            rsa.key_pem.clone(),
            pkcs1_pem(&rsa.key_pem),
            ec.key_pem.clone(),
            sec1_pem(&ec.key_pem, KeyAlg::EcdsaP384),
            ed.key_pem.clone(),
            ed.chain_pem.clone(),
            pkcs8_dsa_pem(2048, 224, 223),
        ]
    })
}

/// `text` with one base64 character of its DER changed, or the DER cut, re-armoured.
fn damaged(text: &str, at: prop::sample::Index, flip: u8, cut: prop::sample::Index) -> [String; 2] {
    let blocks = super::pem::parse(text).expect("real PEM");
    let mut flipped = String::new();
    let mut truncated = String::new();
    for block in &blocks {
        let mut der = block.der.clone();
        let i = at.index(der.len());
        der[i] ^= flip;
        flipped.push_str(&to_pem(&block.label, &der));
        truncated.push_str(&to_pem(&block.label, &block.der[..cut.index(block.der.len())]));
    }
    [flipped, truncated]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}", lines in vec("(-----(BEGIN|END) (PRIVATE KEY|CERTIFICATE|X)-----|Proc-Type: 4,ENCRYPTED|[A-Za-z0-9+/=]{0,64}|)", 0..8)) {
        parse_everything(&text);
        parse_everything(&lines.join("\n"));
    }

    #[test]
    fn arbitrary_der_under_every_label(der in der_like(), label in prop::sample::select(LABELS.to_vec())) {
        parse_everything(&to_pem(label, &der));
    }

    #[test]
    fn damaged_real_keys_and_certificates(which in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), flip in 1u8..=255, cut in any::<prop::sample::Index>()) {
        let texts = real_texts();
        let text = &texts[which.index(texts.len())];
        for broken in damaged(text, at, flip, cut) {
            parse_everything(&broken);
        }
    }

    /// Any size of DSA or RSA key structure: refused as too large exactly when over the limits,
    /// before any arithmetic (so the case count can stay high whatever the sizes).
    #[test]
    fn key_sizes_are_judged_by_the_limits(p_bits in 2usize..40_000, q_bits in 2usize..2_000, modulus_bits in 8usize..40_000) {
        let x_bits = (q_bits - 1).max(1);
        let dsa = parse_private_key(&pkcs8_dsa_pem(p_bits, q_bits, x_bits));
        let dsa_too_large = p_bits > MAX_DSA_P_BITS || q_bits > MAX_DSA_Q_BITS;
        prop_assert_eq!(matches!(dsa, Err(PkiError::KeyTooLarge { .. })), dsa_too_large, "{:?}", dsa);
        let rsa = parse_private_key(&pkcs8_rsa_pem(modulus_bits));
        prop_assert_eq!(rsa.is_ok(), modulus_bits <= MAX_RSA_MODULUS_BITS, "{:?}", rsa);
    }
}
