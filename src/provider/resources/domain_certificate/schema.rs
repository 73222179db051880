//! The `apig_domain_certificate` schema. Attribute names are part of the interface.

use std::time::Duration;

use crate::engine::validators::{ExactlyOneOf, RequiredWith, one_of};
use crate::engine::{AttributeSchema, BlockSchema, ResourceSchema, TimeoutDefaults};
use crate::protocol::cty::Type;
use crate::provider::resources::domain_id::{self, CERTIFICATE_ID};
use crate::provider::resources::upload::{self, KeyChange};
use crate::provider::service::service_attribute;
use crate::provider::validators::{CertificateName, PemCertificateChain};

pub mod attr {
    pub const NAME: &str = "name";
    pub use crate::provider::resources::upload::attr::{CONTENT, PRIVATE_KEY, PRIVATE_KEY_WO, PRIVATE_KEY_WO_VERSION};
    pub const TYPE: &str = "type";
    pub const TRUSTED_ROOT_CA: &str = "trusted_root_ca";
    pub const COMMON_NAME: &str = "common_name";
    pub const SANS: &str = "sans";
    pub const NOT_AFTER: &str = "not_after";
    pub const SERIAL_NUMBER: &str = "serial_number";
    pub const ISSUER: &str = "issuer";
}

pub fn schema() -> ResourceSchema {
    let computed = |name: &str, ty: Type, description: &str| {
        AttributeSchema::new(name, ty).computed().use_state_for_unknown().description(description)
    };
    let [private_key, private_key_wo, private_key_wo_version] = upload::key_attributes(KeyChange::Replaces);
    let mut block = BlockSchema::new(
        "Creates a certificate directly on one domain name of an API group and binds it there. The API cannot \
         update such a certificate: every change replaces it. Destroying the resource unbinds the certificate and \
         deletes it. Import ID: `<instance_id>/<group_id>/<domain_id>/<certificate_id>`, prefixed `roma/` for ROMA \
         Connect; after an import the first apply records `content` and the key in state without an API call when \
         the configured certificate has the remote one's serial number and issuer.",
    )
    .attribute(domain_id::id_attribute())
    .attribute(service_attribute());
    for a in domain_id::domain_attributes() {
        block = block.attribute(a);
    }
    block = block
        .attribute(
            AttributeSchema::string(attr::NAME).required().requires_replace().validator(CertificateName).description(
                "Certificate name: 4 to 50 characters, starting with a letter, then letters, digits or \
                     underscores. Changing it replaces the certificate.",
            ),
        )
        // content and the keys are read and checked by the resource's validation
        // (upload::validate_upload), which hands the parse to the apply.
        .attribute(AttributeSchema::string(attr::CONTENT).required().description(
            "The certificate in PEM: the server certificate first, then intermediates. It must cover the domain \
             (common name or SAN), have a SAN, not be expired and expire before 2038-01-19T03:14:07Z. Changing it \
             replaces the certificate.",
        ))
        .attribute(private_key)
        .attribute(private_key_wo)
        .attribute(private_key_wo_version)
        .attribute(
            AttributeSchema::string(attr::TYPE)
                .optional()
                .computed()
                .use_state_for_unknown()
                .requires_replace()
                .validator(one_of(&["global", "instance"]))
                .description(
                    "ROMA Connect only: `global` (the default) or `instance` (the certificate belongs to this \
                     resource's `instance_id`). On APIG it is computed. Changing it replaces the certificate.",
                ),
        )
        .attribute(
            AttributeSchema::string(attr::TRUSTED_ROOT_CA).optional().validator(PemCertificateChain).description(
                "ROMA Connect only: a PEM CA bundle used to verify client certificates. Changing it replaces the \
             certificate.",
            ),
        )
        .attribute(computed(CERTIFICATE_ID, Type::String, "ID of the certificate the API created."))
        .attribute(computed(attr::COMMON_NAME, Type::String, "Common name of the server certificate."))
        .attribute(computed(
            attr::SANS,
            Type::list(Type::String),
            "DNS subject alternative names of the server certificate.",
        ))
        .attribute(computed(attr::NOT_AFTER, Type::String, "Expiry of the server certificate (RFC 3339)."))
        .attribute(computed(attr::SERIAL_NUMBER, Type::String, "Serial number of the server certificate (decimal)."))
        .attribute(computed(
            attr::ISSUER,
            Type::list(Type::String),
            "Organizations of the server certificate's issuer.",
        ));
    let minutes = |m: u64| Some(Duration::from_secs(60 * m));
    ResourceSchema::new(block)
        .timeouts(TimeoutDefaults { create: minutes(5), read: minutes(5), update: minutes(5), delete: minutes(5) })
        .config_validator(ExactlyOneOf::new(&[attr::PRIVATE_KEY, attr::PRIVATE_KEY_WO]))
        .config_validator(RequiredWith::new(&[attr::PRIVATE_KEY_WO, attr::PRIVATE_KEY_WO_VERSION]))
}
