//! The typed model of `apig_domain_certificate`: one field per schema attribute (a test checks
//! them against the schema).

use crate::engine::model::Model;
use crate::protocol::cty::{Number, Value};
use crate::provider::resources::domain_id;
use crate::provider::service;

use super::schema::attr;

crate::tf_model! {
    /// Configuration, plan or state of one certificate created on a domain.
    pub struct DomainCertificateModel {
        pub id: String => domain_id::ID,
        pub service: String => service::SERVICE,
        pub instance_id: String => domain_id::INSTANCE_ID,
        pub group_id: String => domain_id::GROUP_ID,
        pub domain_id: String => domain_id::DOMAIN_ID,
        pub name: String => attr::NAME,
        pub content: String => attr::CONTENT,
        pub private_key: String => attr::PRIVATE_KEY,
        pub private_key_wo: String => attr::PRIVATE_KEY_WO,
        pub private_key_wo_version: Number => attr::PRIVATE_KEY_WO_VERSION,
        pub cert_type: String => attr::TYPE,
        pub trusted_root_ca: String => attr::TRUSTED_ROOT_CA,
        pub certificate_id: String => domain_id::CERTIFICATE_ID,
        pub common_name: String => attr::COMMON_NAME,
        pub sans: Vec<String> => attr::SANS,
        pub not_after: String => attr::NOT_AFTER,
        pub serial_number: String => attr::SERIAL_NUMBER,
        pub issuer: Vec<String> => attr::ISSUER,
    }
}

impl DomainCertificateModel {
    pub fn read(v: &Value) -> Result<DomainCertificateModel, crate::engine::model::ModelError> {
        DomainCertificateModel::from_value(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        let schema = super::super::schema::schema();
        assert_eq!(check_against::<DomainCertificateModel>(&schema.block, &[]), Vec::<String>::new());
    }
}
