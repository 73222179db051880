//! What `apig_certificate` and `apig_domain_certificate` share as certificate uploads (the way
//! terraform-provider-tls shares its certificate code): where the key comes from, whether the API
//! already holds the configured certificate, and whether the API's certificate was replaced
//! outside Terraform. Both decide "the same certificate" by [`same_certificate`], and hand the
//! client's create look-up the fingerprint of the certificate they parsed, so a create parses it
//! once and with one parser.

use crate::client::models::CertificateDetail;
use crate::client::{CertFingerprint, same_certificate};
use crate::engine::model::Val;
use crate::provider::pki;

/// The key an upload sends: `private_key` (planned, kept in state) or, write-only, the
/// configuration's `private_key_wo`.
pub fn upload_key(planned_private_key: &Val<String>, config_private_key_wo: &Val<String>) -> Option<String> {
    planned_private_key.known().or(config_private_key_wo.known()).cloned()
}

/// What the client's create look-up compares the API's certificates with ([`same_certificate`]);
/// `None` when `content` does not parse (validation stops such an apply before the create).
pub fn look_up_fingerprint(content: &str) -> Option<CertFingerprint> {
    let chain = pki::parse_certificate_chain(content).ok()?;
    let leaf = chain.leaf();
    Some(CertFingerprint {
        serial_number: leaf.serial_number.clone(),
        issuer: leaf.issuer_organizations.clone(),
        common_name: leaf.common_name.clone(),
    })
}

/// True when the leaf of `content` is the certificate state records (serial number and issuer):
/// uploading `content` again would change nothing.
pub fn is_remote_certificate(content: &str, serial_number: &Val<String>, issuer: &Val<Vec<String>>) -> bool {
    let (Some(serial), Some(issuer)) = (serial_number.as_deref(), issuer.known()) else { return false };
    let Ok(chain) = pki::parse_certificate_chain(content) else { return false };
    let leaf = chain.leaf();
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
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    #[test]
    fn the_remote_certificate_is_the_one_with_the_recorded_serial_and_issuer() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let leaf = pki::parse_certificate_chain(&g.chain_pem).unwrap().leaf().clone();
        let serial = Val::Known(leaf.serial_number.clone());
        let issuer = Val::Known(leaf.issuer_organizations.clone());
        assert!(is_remote_certificate(&g.chain_pem, &serial, &issuer));
        assert!(!is_remote_certificate(&g.chain_pem, &Val::Null, &issuer), "nothing recorded yet");
        assert!(!is_remote_certificate(&generate(&CertSpec::leaf(KeyAlg::EcdsaP256)).chain_pem, &serial, &issuer));
        assert!(!is_remote_certificate("garbage", &serial, &issuer));

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
            let fingerprint = look_up_fingerprint(&g.chain_pem).expect("parses");
            assert_eq!(Some(&fingerprint), CertFingerprint::of_leaf_pem(&g.chain_pem).as_ref(), "{alg:?}");
            assert!(!fingerprint.issuer.is_empty() && !fingerprint.common_name.is_empty());
        }
        assert_eq!(look_up_fingerprint("garbage"), None);
    }
}
