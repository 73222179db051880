use super::*;
use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

const NOW: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);

fn errors(problems: &[Problem]) -> Vec<(UploadInput, &str)> {
    problems.iter().filter(|p| p.is_error()).map(|p| (p.input, p.summary.as_str())).collect()
}

#[test]
fn a_valid_upload_has_no_problem() {
    for alg in [KeyAlg::Rsa2048, KeyAlg::EcdsaP256, KeyAlg::EcdsaP384] {
        let g = generate(&CertSpec::leaf(alg));
        let algorithm_type = if alg == KeyAlg::Rsa2048 { "RSA" } else { "ECC" };
        let problems = check_upload(&g.chain_pem, Some(&g.key_pem), Some(algorithm_type), NOW);
        assert_eq!(problems, vec![], "{alg:?}");
        // The leaf alone (no intermediate) is fine too.
        assert_eq!(check_upload(&g.leaf_pem, Some(&g.key_pem), None, NOW), vec![]);
    }
}

#[test]
fn garbage_content_and_key() {
    let problems = check_upload("hello", Some("not a key"), Some("RSA"), NOW);
    assert_eq!(
        errors(&problems),
        vec![(UploadInput::Content, "Invalid certificate content"), (UploadInput::PrivateKey, "Invalid private key")]
    );
    assert!(problems[0].detail.contains("BEGIN CERTIFICATE"), "{}", problems[0].detail);
}

#[test]
fn expired_certificate() {
    let g = generate(&CertSpec {
        not_before: datetime!(2023-01-01 00:00:00 UTC),
        not_after: datetime!(2025-05-31 23:59:59 UTC),
        ..CertSpec::leaf(KeyAlg::EcdsaP256)
    });
    let problems = check_upload(&g.chain_pem, Some(&g.key_pem), None, NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Certificate has expired")]);
    assert!(problems[0].detail.contains("2025-05-31T23:59:59Z"), "{}", problems[0].detail);
    // The same certificate a day earlier is fine.
    assert!(check_upload(&g.chain_pem, None, None, datetime!(2025-05-30 00:00:00 UTC)).is_empty());
}

#[test]
fn not_yet_valid_is_only_a_warning() {
    let g = generate(&CertSpec { not_before: datetime!(2025-07-01 00:00:00 UTC), ..CertSpec::leaf(KeyAlg::EcdsaP256) });
    let problems = check_upload(&g.chain_pem, Some(&g.key_pem), None, NOW);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].input, UploadInput::Content);
}

#[test]
fn certificate_without_san() {
    let g = generate(&CertSpec { sans: vec![], ..CertSpec::leaf(KeyAlg::EcdsaP256) });
    let problems = check_upload(&g.chain_pem, Some(&g.key_pem), None, NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Certificate has no subject alternative name")]);
}

#[test]
fn certificate_expiring_after_2038() {
    let g = generate(&CertSpec { not_after: datetime!(2038-01-19 03:14:08 UTC), ..CertSpec::leaf(KeyAlg::EcdsaP256) });
    let problems = check_upload(&g.chain_pem, Some(&g.key_pem), None, NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Certificate expires too late")]);
    assert!(problems[0].detail.contains("2038-01-19T03:14:07Z"), "{}", problems[0].detail);

    let g = generate(&CertSpec { not_after: datetime!(2038-01-19 03:14:06 UTC), ..CertSpec::leaf(KeyAlg::EcdsaP256) });
    assert!(check_upload(&g.chain_pem, Some(&g.key_pem), None, NOW).is_empty());
}

#[test]
fn ca_first_is_the_wrong_order() {
    let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let reversed = format!("{}{}", g.ca_pem, g.leaf_pem);
    let problems = check_upload(&reversed, None, None, NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Certificate chain is in the wrong order")]);
    assert!(problems[0].detail.contains("is a CA certificate"), "{}", problems[0].detail);
    // With the key, the mismatch points at the certificate the key belongs to.
    let problems = check_upload(&reversed, Some(&g.key_pem), None, NOW);
    let key_problem = problems.iter().find(|p| p.input == UploadInput::PrivateKey).expect("key problem");
    assert!(key_problem.detail.contains("certificate 2 of the chain"), "{}", key_problem.detail);
}

#[test]
fn an_unrelated_intermediate_breaks_the_chain() {
    let a = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let b = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    // Both CAs share a subject name, so use a leaf from another chain as the "intermediate".
    let text = format!("{}{}", a.leaf_pem, b.leaf_pem);
    let problems = check_upload(&text, None, None, NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Certificate chain is in the wrong order")]);
    assert!(problems[0].detail.contains("Certificate 1 of the chain"), "{}", problems[0].detail);
}

#[test]
fn mismatched_key() {
    let a = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let b = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let problems = check_upload(&a.chain_pem, Some(&b.key_pem), Some("ECC"), NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::PrivateKey, "Private key does not match the certificate")]);
}

#[test]
fn algorithm_type_must_agree_with_the_key() {
    let rsa = generate(&CertSpec::leaf(KeyAlg::Rsa2048));
    let problems = check_upload(&rsa.chain_pem, Some(&rsa.key_pem), Some("ECC"), NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::AlgorithmType, "algorithm_type does not match the key")]);
    assert!(problems[0].detail.contains("algorithm_type = \"RSA\""), "{}", problems[0].detail);

    let ec = generate(&CertSpec::leaf(KeyAlg::EcdsaP384));
    let problems = check_upload(&ec.chain_pem, Some(&ec.key_pem), Some("RSA"), NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::AlgorithmType, "algorithm_type does not match the key")]);
    // Without a key (write-only key unknown at plan), the certificate's key decides.
    let problems = check_upload(&ec.chain_pem, None, Some("RSA"), NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::AlgorithmType, "algorithm_type does not match the key")]);
    assert!(check_upload(&ec.chain_pem, None, Some("ECC"), NOW).is_empty());
}

#[test]
fn problems_never_echo_the_key() {
    let a = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let b = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let body: String = b.key_pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let broken = b.key_pem.replace(&body[10..20], "!!!!!!!!!!");
    for key in [b.key_pem.as_str(), broken.as_str()] {
        for problem in check_upload(&a.chain_pem, Some(key), Some("RSA"), NOW) {
            let shown = format!("{problem:?}");
            assert!(!shown.contains(&body[30..46]), "{shown}");
        }
    }
}

#[test]
fn time_format_has_whole_seconds() {
    assert_eq!(rfc3339_seconds(datetime!(2031-08-16 06:36:13.5 +02:00)), "2031-08-16T04:36:13Z");
}

#[test]
fn read_upload_returns_what_it_parsed_with_the_problems_check_upload_finds() {
    let a = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let b = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
    let (upload, problems) = read_upload(Some(&a.chain_pem), Some(&b.key_pem), Some("ECC"), NOW);
    assert_eq!(problems, check_upload(&a.chain_pem, Some(&b.key_pem), Some("ECC"), NOW));
    let upload = upload.expect("the chain parses");
    assert_eq!(upload.chain.leaf().serial_number, parse_certificate_chain(&a.chain_pem).unwrap().leaf().serial_number);
    assert!(upload.key.is_some());
    // An unreadable key is a problem and left out; the certificate's key decides the algorithm.
    let (upload, problems) = read_upload(Some(&a.chain_pem), Some("not a key"), Some("RSA"), NOW);
    assert!(upload.expect("the chain parses").key.is_none());
    assert_eq!(
        errors(&problems),
        vec![
            (UploadInput::PrivateKey, "Invalid private key"),
            (UploadInput::AlgorithmType, "algorithm_type does not match the key")
        ]
    );
    // No upload without a readable chain; the key is still read.
    let (upload, problems) = read_upload(Some("garbage"), Some(&a.key_pem), None, NOW);
    assert!(upload.is_none());
    assert_eq!(errors(&problems), vec![(UploadInput::Content, "Invalid certificate content")]);
    // Content not known yet: the key alone is read and judged.
    let (upload, problems) = read_upload(None, Some("not a key"), None, NOW);
    assert!(upload.is_none());
    assert_eq!(errors(&problems), vec![(UploadInput::PrivateKey, "Invalid private key")]);
    let (_, problems) = read_upload(None, Some(&a.key_pem), Some("RSA"), NOW);
    assert_eq!(errors(&problems), vec![(UploadInput::AlgorithmType, "algorithm_type does not match the key")]);
    assert!(read_upload(None, None, None, NOW).1.is_empty());
}
