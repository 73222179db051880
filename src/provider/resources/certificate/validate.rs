//! Plan-time checks of an `apig_certificate` configuration that span attributes or need the parsed
//! PEM: key presence, scope rules, and the API's upload rules (chain order, expiry, SAN, the 2038
//! limit, key match, algorithm). Values unknown at plan are skipped; the engine runs this again at
//! apply, when everything is known. No diagnostic ever quotes a private key.

use crate::protocol::diagnostics::excerpt;
use time::OffsetDateTime;

use crate::engine::Validated;
use crate::engine::validators::Validator;
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostics};
use crate::provider::resources::upload::{self, UploadConfig};
use crate::provider::validators::InstanceId;

use super::model::CertificateModel;
use super::schema::{GLOBAL_INSTANCE_ID, TYPE_GLOBAL, TYPE_INSTANCE, attr};
use crate::engine::model::Val;

/// Returns the parsed upload (see [`upload::validate_upload`]) for the apply that follows.
pub fn validate_certificate(config: &Value, now: OffsetDateTime, diags: &mut Diagnostics) -> Validated {
    let config = match CertificateModel::read(config) {
        Ok(m) => m,
        Err(e) => {
            diags.push(e.into());
            return Validated::none();
        }
    };
    validate_key_presence(&config, diags);
    validate_scope(&config, diags);
    let upload = UploadConfig {
        content: &config.content,
        private_key: &config.private_key,
        private_key_wo: &config.private_key_wo,
        algorithm_type: Some(&config.algorithm_type),
    };
    upload::validate_upload(upload, now, diags)
}

/// Exactly one of `private_key` / `private_key_wo`; `private_key_wo_version` goes with the latter.
fn validate_key_presence(config: &CertificateModel, diags: &mut Diagnostics) {
    // Set in the configuration: an unknown value counts, it will be set.
    let plain = !config.private_key.is_null();
    let write_only = !config.private_key_wo.is_null();
    let version = !config.private_key_wo_version.is_null();
    match (plain, write_only) {
        (true, true) => {
            diags.attribute_error(
                AttributePath::attr(attr::PRIVATE_KEY_WO),
                "Conflicting private keys",
                "Both private_key and private_key_wo are set. Set only one: private_key_wo (write-only, never \
                 stored in state, with private_key_wo_version) or private_key (kept in state as a sensitive value).",
            );
        }
        (false, false) => {
            diags.attribute_error(
                AttributePath::attr(attr::PRIVATE_KEY),
                "Missing private key",
                "The API needs the certificate's private key. Set private_key_wo = file(\"api.key\") together with \
                 private_key_wo_version = 1 (the key then never reaches state), or private_key.",
            );
        }
        (true, false) | (false, true) => {}
    }
    if write_only && !version {
        diags.attribute_error(
            AttributePath::attr(attr::PRIVATE_KEY_WO_VERSION),
            "Missing private_key_wo_version",
            "private_key_wo is write-only, so Terraform cannot see when it changes. Set private_key_wo_version \
             (for example 1) and change it whenever the key or the certificate is rotated.",
        );
    }
    if version && !write_only {
        diags.attribute_error(
            AttributePath::attr(attr::PRIVATE_KEY_WO_VERSION),
            "private_key_wo_version without private_key_wo",
            "private_key_wo_version only tells when private_key_wo changed. Remove it, or move the key from \
             private_key to private_key_wo.",
        );
    }
}

/// `instance_id` is required iff `type = "instance"`; a trusted root CA needs an instance certificate.
fn validate_scope(config: &CertificateModel, diags: &mut Diagnostics) {
    let cert_type = match &config.cert_type {
        Val::Null => Some(TYPE_GLOBAL),
        Val::Known(t) => Some(t.as_str()),
        Val::Unknown => None,
    };
    let instance_id = &config.instance_id;
    let path = AttributePath::attr(attr::INSTANCE_ID);
    match cert_type {
        Some(TYPE_INSTANCE) => match instance_id {
            Val::Null => diags.attribute_error(
                path,
                "Missing instance ID",
                "An instance certificate belongs to one gateway: set instance_id to the gateway (instance) ID, or \
                 remove type = \"instance\" to create a global certificate.",
            ),
            Val::Known(id) if id == GLOBAL_INSTANCE_ID => diags.attribute_error(
                path,
                "Invalid instance ID",
                "\"common\" is how the API marks global certificates. For an instance certificate set instance_id \
                 to the gateway (instance) ID; for a global certificate remove type = \"instance\".",
            ),
            Val::Known(id) => InstanceId.validate(&Value::string(id), &path, diags),
            Val::Unknown => {}
        },
        Some(TYPE_GLOBAL) => {
            if let Some(id) = instance_id.as_deref().filter(|id| *id != GLOBAL_INSTANCE_ID) {
                diags.attribute_error(
                    path,
                    "instance_id set on a global certificate",
                    format!(
                        "A global certificate is usable by every gateway, so it takes no instance_id ({id} was \
                         given). Remove instance_id, or set type = \"instance\" to create the certificate for that \
                         gateway only.",
                        id = excerpt(id)
                    ),
                );
            }
            if !config.trusted_root_ca.is_null() {
                diags.attribute_error(
                    AttributePath::attr(attr::TRUSTED_ROOT_CA),
                    "Trusted root CA needs an instance certificate",
                    "The API accepts trusted_root_ca (client certificate verification) only for instance \
                     certificates. Set type = \"instance\" and instance_id, or remove trusted_root_ca.",
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::super::test_support::{NOW, config_wo, ecdsa, object, s};
    use super::*;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    fn run(config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        validate_certificate(config, NOW, &mut d);
        d
    }

    /// (attribute, summary) of every error.
    fn errors(d: &Diagnostics) -> Vec<(String, String)> {
        d.iter()
            .filter(|x| x.severity == crate::protocol::Severity::Error)
            .map(|x| (x.attribute.as_ref().map(|p| p.to_string()).unwrap_or_default(), x.summary.clone()))
            .collect()
    }

    fn pair(attribute: &str, summary: &str) -> (String, String) {
        (attribute.to_string(), summary.to_string())
    }

    #[test]
    fn a_valid_write_only_configuration_passes() {
        let g = ecdsa();
        assert!(run(&config_wo(&g)).is_empty());
        // The same with the key in private_key, an explicit type and a matching algorithm.
        let mut c = config_wo(&g);
        c.set(attr::PRIVATE_KEY_WO, Value::Null);
        c.set(attr::PRIVATE_KEY_WO_VERSION, Value::Null);
        c.set(attr::PRIVATE_KEY, s(&g.key_pem));
        c.set(attr::TYPE, s("global"));
        c.set(attr::ALGORITHM_TYPE, s("ECC"));
        assert!(run(&c).is_empty(), "{:?}", run(&c));
    }

    #[test]
    fn exactly_one_private_key_is_required() {
        let g = ecdsa();
        let mut none = config_wo(&g);
        none.set(attr::PRIVATE_KEY_WO, Value::Null);
        none.set(attr::PRIVATE_KEY_WO_VERSION, Value::Null);
        assert_eq!(errors(&run(&none)), vec![pair("private_key", "Missing private key")]);

        let mut both = config_wo(&g);
        both.set(attr::PRIVATE_KEY, s(&g.key_pem));
        assert_eq!(errors(&run(&both)), vec![pair("private_key_wo", "Conflicting private keys")]);

        let mut no_version = config_wo(&g);
        no_version.set(attr::PRIVATE_KEY_WO_VERSION, Value::Null);
        assert_eq!(errors(&run(&no_version)), vec![pair("private_key_wo_version", "Missing private_key_wo_version")]);

        let mut stray_version = config_wo(&g);
        stray_version.set(attr::PRIVATE_KEY_WO, Value::Null);
        stray_version.set(attr::PRIVATE_KEY, s(&g.key_pem));
        assert_eq!(
            errors(&run(&stray_version)),
            vec![pair("private_key_wo_version", "private_key_wo_version without private_key_wo")]
        );
    }

    #[test]
    fn unknown_values_count_as_set_and_are_checked_later() {
        let g = ecdsa();
        let mut c = config_wo(&g);
        c.set(attr::PRIVATE_KEY_WO, Value::Unknown);
        c.set(attr::CONTENT, Value::Unknown);
        c.set(attr::TYPE, Value::Unknown);
        assert!(run(&c).is_empty(), "{:?}", run(&c));
    }

    #[test]
    fn instance_id_is_required_iff_the_type_is_instance() {
        let g = ecdsa();
        let mut c = config_wo(&g);
        c.set(attr::TYPE, s("instance"));
        assert_eq!(errors(&run(&c)), vec![pair("instance_id", "Missing instance ID")]);
        c.set(attr::INSTANCE_ID, s("common"));
        assert_eq!(errors(&run(&c)), vec![pair("instance_id", "Invalid instance ID")]);
        c.set(attr::INSTANCE_ID, s("not-an-id"));
        assert_eq!(errors(&run(&c)), vec![pair("instance_id", "Invalid instance ID")]);
        c.set(attr::INSTANCE_ID, s("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        c.set(attr::TRUSTED_ROOT_CA, s(&g.ca_pem));
        assert!(run(&c).is_empty(), "{:?}", run(&c));

        let mut global = config_wo(&g);
        global.set(attr::INSTANCE_ID, s("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        assert_eq!(errors(&run(&global)), vec![pair("instance_id", "instance_id set on a global certificate")]);
        // What the API reports for a global certificate is accepted.
        global.set(attr::INSTANCE_ID, s("common"));
        assert!(run(&global).is_empty());
        global.set(attr::TRUSTED_ROOT_CA, s(&g.ca_pem));
        assert_eq!(
            errors(&run(&global)),
            vec![pair("trusted_root_ca", "Trusted root CA needs an instance certificate")]
        );
    }

    #[test]
    fn the_apis_upload_rules_are_checked_on_the_right_attribute() {
        let expired = generate(&CertSpec {
            not_before: datetime!(2023-01-01 00:00:00 UTC),
            not_after: datetime!(2025-01-01 00:00:00 UTC),
            ..CertSpec::leaf(KeyAlg::EcdsaP256)
        });
        assert_eq!(errors(&run(&config_wo(&expired))), vec![pair("content", "Certificate has expired")]);

        let no_san = generate(&CertSpec { sans: vec![], ..CertSpec::leaf(KeyAlg::EcdsaP256) });
        assert_eq!(
            errors(&run(&config_wo(&no_san))),
            vec![pair("content", "Certificate has no subject alternative name")]
        );

        let too_late =
            generate(&CertSpec { not_after: datetime!(2038-02-01 00:00:00 UTC), ..CertSpec::leaf(KeyAlg::EcdsaP256) });
        assert_eq!(errors(&run(&config_wo(&too_late))), vec![pair("content", "Certificate expires too late")]);

        let g = ecdsa();
        let mut wrong_order = config_wo(&g);
        wrong_order.set(attr::CONTENT, s(&format!("{}{}", g.ca_pem, g.leaf_pem)));
        let found = errors(&run(&wrong_order));
        assert!(found.contains(&pair("content", "Certificate chain is in the wrong order")), "{found:?}");

        // A mismatched key is reported on the attribute that holds it.
        let other = ecdsa();
        let mut mismatch = config_wo(&g);
        mismatch.set(attr::PRIVATE_KEY_WO, s(&other.key_pem));
        assert_eq!(errors(&run(&mismatch)), vec![pair("private_key_wo", "Private key does not match the certificate")]);
        let mut mismatch_plain = config_wo(&g);
        mismatch_plain.set(attr::PRIVATE_KEY_WO, Value::Null);
        mismatch_plain.set(attr::PRIVATE_KEY_WO_VERSION, Value::Null);
        mismatch_plain.set(attr::PRIVATE_KEY, s(&other.key_pem));
        assert_eq!(
            errors(&run(&mismatch_plain)),
            vec![pair("private_key", "Private key does not match the certificate")]
        );

        let mut wrong_algorithm = config_wo(&g);
        wrong_algorithm.set(attr::ALGORITHM_TYPE, s("RSA"));
        assert_eq!(
            errors(&run(&wrong_algorithm)),
            vec![pair("algorithm_type", "algorithm_type does not match the key")]
        );
    }

    #[test]
    fn unparsable_pem_is_reported_once_on_its_attribute_and_nothing_else_is_judged() {
        let g = ecdsa();
        let mut c = config_wo(&g);
        c.set(attr::CONTENT, s("not a certificate"));
        c.set(attr::PRIVATE_KEY_WO, s("not a key"));
        assert_eq!(
            errors(&run(&c)),
            vec![pair("content", "Invalid certificate content"), pair("private_key_wo", "Invalid private key")]
        );
        // An unreadable key: the certificate alone is judged (no key match to check).
        let mut c = config_wo(&g);
        c.set(attr::PRIVATE_KEY_WO, s("not a key"));
        assert_eq!(errors(&run(&c)), vec![pair("private_key_wo", "Invalid private key")]);
        // With a parse error the apply has nothing to reuse; a readable upload is handed on.
        let mut d = Diagnostics::new();
        let mut c = config_wo(&g);
        c.set(attr::CONTENT, s("not a certificate"));
        assert!(validate_certificate(&c, NOW, &mut d).get::<crate::provider::pki::ParsedUpload>().is_none());
        assert!(
            validate_certificate(&config_wo(&g), NOW, &mut d).get::<crate::provider::pki::ParsedUpload>().is_some()
        );
    }

    #[test]
    fn no_diagnostic_quotes_the_key() {
        let g = ecdsa();
        let other = ecdsa();
        let body: String = other.key_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut c = config_wo(&g);
        c.set(attr::PRIVATE_KEY_WO, s(&other.key_pem));
        c.set(attr::ALGORITHM_TYPE, s("RSA"));
        c.set(attr::PRIVATE_KEY, s(&other.key_pem));
        let d = run(&c);
        assert!(!d.is_empty());
        let shown = format!("{d:?}");
        assert!(!shown.contains(&body[8..40]), "{shown}");
        let _ = object(&[]);
    }
}
