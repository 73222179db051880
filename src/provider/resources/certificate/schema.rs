//! The `apig_certificate` schema. Attribute names are part of the interface.

use std::time::Duration;

use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, BlockSchema, ResourceSchema, TimeoutDefaults};
use crate::protocol::cty::Type;
use crate::provider::resources::upload::{self, KeyChange};
use crate::provider::service;
use crate::provider::validators::{CertificateName, PemCertificateChain};

/// Attribute names.
pub mod attr {
    pub const ID: &str = "id";
    pub const SERVICE: &str = "service";
    pub const NAME: &str = "name";
    pub use crate::provider::resources::upload::attr::{
        ALGORITHM_TYPE, CONTENT, PRIVATE_KEY, PRIVATE_KEY_WO, PRIVATE_KEY_WO_VERSION,
    };
    pub const TYPE: &str = "type";
    pub const INSTANCE_ID: &str = "instance_id";
    pub const TRUSTED_ROOT_CA: &str = "trusted_root_ca";
    pub const COMMON_NAME: &str = "common_name";
    pub const SANS: &str = "sans";
    pub const NOT_BEFORE: &str = "not_before";
    pub const NOT_AFTER: &str = "not_after";
    pub const SIGNATURE_ALGORITHM: &str = "signature_algorithm";
    pub const SERIAL_NUMBER: &str = "serial_number";
    pub const ISSUER: &str = "issuer";
    pub const CREATED_AT: &str = "created_at";
    pub const UPDATED_AT: &str = "updated_at";
}

/// Computed attributes the API derives from the leaf certificate: they change only with `content`
/// (the model's `from_certificate_mut`, `sans` and `issuer`; the tests check the plans by name).
#[cfg(test)]
pub const FROM_CERTIFICATE: [&str; 7] = [
    attr::COMMON_NAME,
    attr::SANS,
    attr::NOT_BEFORE,
    attr::NOT_AFTER,
    attr::SIGNATURE_ALGORITHM,
    attr::SERIAL_NUMBER,
    attr::ISSUER,
];

pub const TYPE_GLOBAL: &str = "global";
pub const TYPE_INSTANCE: &str = "instance";
/// What the API stores as `instance_id` of a global certificate.
pub const GLOBAL_INSTANCE_ID: &str = "common";
pub const ALGORITHM_TYPES: &[&str] = &["RSA", "ECC", "SM2"];

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

fn computed_string(name: &str, description: &str) -> AttributeSchema {
    AttributeSchema::string(name).computed().use_state_for_unknown().description(description)
}

fn computed_strings(name: &str, description: &str) -> AttributeSchema {
    AttributeSchema::new(name, Type::list(Type::String)).computed().use_state_for_unknown().description(description)
}

pub fn certificate_schema() -> ResourceSchema {
    let [private_key, private_key_wo, private_key_wo_version] = upload::key_attributes(KeyChange::UpdatesInPlace);
    let block = BlockSchema::new(
        "An SSL certificate (with its private key) on dedicated API Gateway or ROMA Connect, which domains of API \
         groups can then be bound to. Changing `name`, `content`, the private key, `trusted_root_ca` or \
         `algorithm_type` updates the certificate in place (bound domains serve the new certificate at once); \
         changing `service`, `type` or `instance_id` replaces it. Import with `terraform import \
         apig_certificate.x <certificate_id>` (or `roma/<certificate_id>`): the API never returns the PEM or the \
         key, so the first apply after an import records them in state without calling the API when the \
         configured certificate is the one already uploaded (same serial number and issuer).",
    )
    .attribute(
        AttributeSchema::string(attr::ID)
            .computed()
            .use_state_for_unknown()
            .description("The certificate ID (32 hexadecimal characters), assigned by the API."),
    )
    .attribute(service::service_attribute())
    .attribute(AttributeSchema::string(attr::NAME).required().validator(CertificateName).description(
        "Name of the certificate: 4 to 50 characters, a letter (or Chinese character) first, then letters, digits, \
         underscores (or Chinese characters). Updated in place.",
    ))
    // content and the keys are read and checked by the resource's validation (upload::validate_upload),
    // which hands the parse to the apply.
    .attribute(AttributeSchema::string(attr::CONTENT).required().description(
        "The certificate in PEM format: the server (leaf) certificate first, then any intermediate certificates, \
         e.g. `file(\"api.crt\")`. It must not be expired, must list its domain names as DNS subject alternative \
         names and must expire before 2038-01-19T03:14:07Z. Updated in place.",
    ))
    .attribute(private_key)
    .attribute(private_key_wo)
    .attribute(private_key_wo_version)
    .attribute(
        AttributeSchema::string(attr::TYPE)
            .optional()
            .computed()
            .default(TYPE_GLOBAL)
            .requires_replace()
            .validator(one_of(&[TYPE_GLOBAL, TYPE_INSTANCE]))
            .description(
                "Scope of the certificate: `global` (usable by every gateway, the default) or `instance` (one \
                 gateway, named by `instance_id`). Changing it replaces the certificate.",
            ),
    )
    .attribute(AttributeSchema::string(attr::INSTANCE_ID).optional().computed().requires_replace().description(
        "The gateway (instance) ID of an `instance` certificate: required when `type = \"instance\"`, not allowed \
         otherwise. For a global certificate the API reports `common`, which is what this attribute then holds. \
         Changing it replaces the certificate.",
    ))
    .attribute(AttributeSchema::string(attr::TRUSTED_ROOT_CA).optional().validator(PemCertificateChain).description(
        "PEM bundle of the CA certificates that client certificates are verified against (mutual TLS). Only \
         for `instance` certificates. Updated in place.",
    ))
    .attribute(
        AttributeSchema::string(attr::ALGORITHM_TYPE)
            .optional()
            .computed()
            .use_state_for_unknown()
            .validator(one_of(ALGORITHM_TYPES))
            .description(
                "Key algorithm of the certificate: `RSA`, `ECC` or `SM2`; it must agree with the private key. When \
                 not set, the API's value is recorded.",
            ),
    )
    .attribute(computed_string(attr::COMMON_NAME, "Subject common name of the server certificate."))
    .attribute(computed_strings(attr::SANS, "DNS subject alternative names of the server certificate."))
    .attribute(computed_string(attr::NOT_BEFORE, "Start of the certificate's validity (RFC 3339, UTC)."))
    .attribute(computed_string(attr::NOT_AFTER, "End of the certificate's validity (RFC 3339, UTC)."))
    .attribute(computed_string(
        attr::SIGNATURE_ALGORITHM,
        "Signature algorithm of the server certificate, e.g. `SHA256-RSA` or `ECDSA-SHA256`.",
    ))
    .attribute(computed_string(attr::SERIAL_NUMBER, "Serial number of the server certificate, in decimal."))
    .attribute(computed_strings(attr::ISSUER, "Organization names of the server certificate's issuer."))
    .attribute(computed_string(attr::CREATED_AT, "When the certificate was created (RFC 3339)."))
    .attribute(
        AttributeSchema::string(attr::UPDATED_AT)
            .computed()
            .description("When the certificate was last changed (RFC 3339)."),
    );
    ResourceSchema::new(block).timeouts(TimeoutDefaults {
        create: Some(DEFAULT_TIMEOUT),
        read: Some(DEFAULT_TIMEOUT),
        update: Some(DEFAULT_TIMEOUT),
        delete: Some(DEFAULT_TIMEOUT),
    })
}
