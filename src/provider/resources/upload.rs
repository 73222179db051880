//! What `apig_certificate` and `apig_domain_certificate` share as certificate uploads (the way
//! terraform-provider-tls shares its certificate code): the upload attributes' names, reading and
//! checking the configured upload, where the key comes from, whether the API already holds the
//! configured certificate, and whether the API's certificate was replaced outside Terraform.
//!
//! The PEM is parsed once per request: validation reads the upload ([`validate_upload`]) and the
//! engine hands the parsed form to the apply's create or update ([`Validated`]), which take the
//! leaf from it ([`configured_leaf`]) for the client's create look-up and the "same certificate"
//! rule ([`same_certificate`]).

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::client::models::CertificateDetail;
use crate::client::{CertFingerprint, same_certificate};
use crate::engine::model::Val;
use crate::engine::{AttributeSchema, Validated};
use crate::protocol::{AttributePath, Diagnostics};
use crate::provider::pki::{self, ParsedCertificate, ParsedUpload, UploadInput};

/// The upload attributes, named alike in both resources.
pub mod attr {
    pub const CONTENT: &str = "content";
    pub const PRIVATE_KEY: &str = "private_key";
    pub const PRIVATE_KEY_WO: &str = "private_key_wo";
    pub const PRIVATE_KEY_WO_VERSION: &str = "private_key_wo_version";
    pub const ALGORITHM_TYPE: &str = "algorithm_type";
}

/// What a new key does to the object: `apig_certificate` updates in place, `apig_domain_certificate`
/// replaces it (its API cannot update).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChange {
    UpdatesInPlace,
    Replaces,
}

/// The key attributes of both resources: `private_key`, `private_key_wo` and
/// `private_key_wo_version` (exactly one key is required: each resource says it its own way).
pub fn key_attributes(change: KeyChange) -> [AttributeSchema; 3] {
    let (on_change, rotating) = match change {
        KeyChange::UpdatesInPlace => (
            "Changing it updates the certificate in place.",
            "updates the certificate in place, sending `private_key_wo`",
        ),
        KeyChange::Replaces => ("Changing it replaces the certificate.", "replaces the certificate"),
    };
    [
        AttributeSchema::string(attr::PRIVATE_KEY).optional().sensitive().description(&format!(
            "The certificate's unencrypted PEM private key, kept in state as a sensitive value. Exactly one of \
             `private_key` and `private_key_wo` is required; prefer `private_key_wo`, which never reaches state or \
             plan. {on_change}"
        )),
        AttributeSchema::string(attr::PRIVATE_KEY_WO).optional().sensitive().write_only().description(
            "Write-only form of `private_key` (Terraform 1.11 or later): the unencrypted PEM private key, sent to \
             the API but never stored in state or shown in a plan. Requires `private_key_wo_version`; change that \
             number to send a new key.",
        ),
        AttributeSchema::number(attr::PRIVATE_KEY_WO_VERSION).optional().description(&format!(
            "Required with `private_key_wo`, and only with it. Terraform cannot see changes of a write-only value, \
             so change this number (for example increment it) whenever the key or certificate is rotated: the \
             change {rotating}."
        )),
    ]
}

/// The configured upload attributes of either resource.
pub struct UploadConfig<'a> {
    pub content: &'a Val<String>,
    pub private_key: &'a Val<String>,
    pub private_key_wo: &'a Val<String>,
    /// `apig_certificate` only.
    pub algorithm_type: Option<&'a Val<String>>,
}

/// Reads the configured upload once and checks it as the API would: an unreadable certificate or
/// key, and every upload rule broken, each on the attribute at fault. Unknown values are skipped
/// (checked at apply). Returns the parsed upload for the apply, when `content` parsed.
///
/// The key checked is the one set; with both set (an error of its own) it is `private_key`.
pub fn validate_upload(config: UploadConfig<'_>, now: OffsetDateTime, diags: &mut Diagnostics) -> Validated {
    let (key_attribute, key) = match (config.private_key.as_deref(), config.private_key_wo.as_deref()) {
        (None, Some(key)) => (attr::PRIVATE_KEY_WO, Some(key)),
        (key, _) => (attr::PRIVATE_KEY, key),
    };
    let algorithm_type = config.algorithm_type.and_then(Val::as_deref);
    let (upload, problems) = pki::read_upload(config.content.as_deref(), key, algorithm_type, now);
    for problem in problems {
        let at = match problem.input {
            UploadInput::Content => attr::CONTENT,
            UploadInput::PrivateKey => key_attribute,
            UploadInput::AlgorithmType => attr::ALGORITHM_TYPE,
        };
        diags.push(problem.to_diagnostic(AttributePath::attr(at)));
    }
    upload.map(Validated::new).unwrap_or_default()
}

/// The leaf of the configured `content`: from what validation parsed, else parsed now (a plan, or
/// a caller that did not validate). `None` when it does not parse.
pub fn configured_leaf<'a>(content: &str, validated: &'a Validated) -> Option<Cow<'a, ParsedCertificate>> {
    match validated.get::<ParsedUpload>() {
        Some(upload) => Some(Cow::Borrowed(upload.chain.leaf())),
        None => pki::parse_certificate_chain(content).ok().map(|chain| Cow::Owned(chain.leaf().clone())),
    }
}

/// The key an upload sends: `private_key` (planned, kept in state) or, write-only, the
/// configuration's `private_key_wo`.
pub fn upload_key(planned_private_key: &Val<String>, config_private_key_wo: &Val<String>) -> Option<String> {
    planned_private_key.known().or(config_private_key_wo.known()).cloned()
}

/// What the client's create look-up compares the API's certificates with ([`same_certificate`]).
pub fn look_up_fingerprint(leaf: &ParsedCertificate) -> CertFingerprint {
    CertFingerprint {
        serial_number: leaf.serial_number.clone(),
        issuer: leaf.issuer_organizations.clone(),
        common_name: leaf.common_name.clone(),
    }
}

/// True when `leaf` is the certificate state records (serial number and issuer): uploading it again
/// would change nothing.
pub fn is_remote_certificate(leaf: &ParsedCertificate, serial_number: &Val<String>, issuer: &Val<Vec<String>>) -> bool {
    let (Some(serial), Some(issuer)) = (serial_number.as_deref(), issuer.known()) else { return false };
    same_certificate(&leaf.serial_number, &leaf.issuer_organizations, serial, issuer)
}

/// True when state recorded a certificate and the API now holds another one (replaced outside
/// Terraform): the recorded PEM no longer describes the object.
pub fn replaced_remotely(serial_number: &Val<String>, issuer: &Val<Vec<String>>, d: &CertificateDetail) -> bool {
    let Some(serial) = serial_number.as_deref() else { return false };
    match issuer.known() {
        Some(issuer) => !same_certificate(serial, issuer, &d.serial_number, &d.issuer),
        None => serial != d.serial_number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Severity;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);

    fn leaf_of(pem: &str) -> ParsedCertificate {
        pki::parse_certificate_chain(pem).unwrap().leaf().clone()
    }

    /// (attribute, summary) of every error.
    fn errors(d: &Diagnostics) -> Vec<(String, String)> {
        d.iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| (x.attribute.as_ref().map(|p| p.to_string()).unwrap_or_default(), x.summary.clone()))
            .collect()
    }

    fn validate(content: Val<String>, key: Val<String>, key_wo: Val<String>) -> (Validated, Diagnostics) {
        let mut diags = Diagnostics::new();
        let config =
            UploadConfig { content: &content, private_key: &key, private_key_wo: &key_wo, algorithm_type: None };
        (validate_upload(config, NOW, &mut diags), diags)
    }

    fn pair(attribute: &str, summary: &str) -> (String, String) {
        (attribute.to_string(), summary.to_string())
    }

    #[test]
    fn validation_reports_each_problem_on_its_attribute_and_hands_on_the_parse() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let other = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let (validated, d) = validate(Val::Known(g.chain_pem.clone()), Val::Null, Val::Known(g.key_pem.clone()));
        assert!(d.is_empty(), "{d:?}");
        let upload = validated.get::<ParsedUpload>().expect("the parsed upload");
        assert_eq!(upload.chain.leaf(), &leaf_of(&g.chain_pem));
        assert!(upload.key.is_some());

        let (validated, d) = validate(Val::Known("garbage".into()), Val::Known("not a key".into()), Val::Null);
        assert!(validated.get::<ParsedUpload>().is_none());
        assert_eq!(
            errors(&d),
            [pair(attr::CONTENT, "Invalid certificate content"), pair(attr::PRIVATE_KEY, "Invalid private key")]
        );
        let (_, d) = validate(Val::Known(g.chain_pem.clone()), Val::Null, Val::Known(other.key_pem.clone()));
        let on_key: Vec<_> = errors(&d).into_iter().filter(|(a, _)| a == attr::PRIVATE_KEY_WO).collect();
        assert_eq!(on_key.len(), 1, "the mismatched write-only key: {d:?}");
        // Content unknown at plan: the key is still read.
        let (validated, d) = validate(Val::Unknown, Val::Null, Val::Known("not a key".into()));
        assert!(validated.get::<ParsedUpload>().is_none());
        assert_eq!(errors(&d), [pair(attr::PRIVATE_KEY_WO, "Invalid private key")]);
        // A certificate given as the key is named for what it is; a broken key is never echoed.
        let (_, d) = validate(Val::Null, Val::Known(g.chain_pem.clone()), Val::Null);
        assert!(d.iter().any(|x| x.detail.contains("\"CERTIFICATE\"")), "{d:?}");
        let body_line = g.key_pem.lines().nth(1).unwrap().to_string();
        let broken = g.key_pem.replace(&body_line, &format!("{}*", &body_line[..20]));
        let (_, d) = validate(Val::Null, Val::Known(broken), Val::Null);
        assert_eq!(errors(&d), [pair(attr::PRIVATE_KEY, "Invalid private key")]);
        assert!(d.iter().all(|x| !x.detail.contains(&body_line[..20])), "the key is not echoed: {d:?}");
    }

    #[test]
    fn the_configured_leaf_comes_from_validation_when_it_parsed() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let (validated, _) = validate(Val::Known(g.chain_pem.clone()), Val::Known(g.key_pem.clone()), Val::Null);
        assert!(matches!(configured_leaf(&g.chain_pem, &validated), Some(Cow::Borrowed(_))));
        let none = Validated::none();
        let parsed_now = configured_leaf(&g.chain_pem, &none).expect("parses");
        assert!(matches!(parsed_now, Cow::Owned(_)));
        assert_eq!(*parsed_now, leaf_of(&g.chain_pem));
        assert!(configured_leaf("garbage", &Validated::none()).is_none());
    }

    #[test]
    fn the_remote_certificate_is_the_one_with_the_recorded_serial_and_issuer() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let leaf = leaf_of(&g.chain_pem);
        let serial = Val::Known(leaf.serial_number.clone());
        let issuer = Val::Known(leaf.issuer_organizations.clone());
        assert!(is_remote_certificate(&leaf, &serial, &issuer));
        assert!(!is_remote_certificate(&leaf, &Val::Null, &issuer), "nothing recorded yet");
        let another = leaf_of(&generate(&CertSpec::leaf(KeyAlg::EcdsaP256)).chain_pem);
        assert!(!is_remote_certificate(&another, &serial, &issuer));

        let same = CertificateDetail {
            serial_number: leaf.serial_number.clone(),
            issuer: leaf.issuer_organizations.clone(),
            ..Default::default()
        };
        assert!(!replaced_remotely(&serial, &issuer, &same));
        let reissued = CertificateDetail { issuer: vec!["Another CA".into()], ..same.clone() };
        assert!(replaced_remotely(&serial, &issuer, &reissued));
        assert!(!replaced_remotely(&Val::Null, &issuer, &reissued), "after an import nothing is recorded");
        assert_eq!(upload_key(&Val::Null, &Val::Known("k".into())).as_deref(), Some("k"));
        assert_eq!(upload_key(&Val::Known("s".into()), &Val::Null).as_deref(), Some("s"));
    }

    #[test]
    fn the_look_up_fingerprint_is_the_one_the_client_would_read() {
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Rsa2048] {
            let g = generate(&CertSpec::leaf(alg));
            let fingerprint = look_up_fingerprint(&leaf_of(&g.chain_pem));
            assert_eq!(Some(&fingerprint), CertFingerprint::of_leaf_pem(&g.chain_pem).as_ref(), "{alg:?}");
            assert!(!fingerprint.issuer.is_empty() && !fingerprint.common_name.is_empty());
        }
    }
}
