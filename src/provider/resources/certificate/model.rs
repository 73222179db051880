//! The typed model of `apig_certificate`: one field per schema attribute (a test checks them
//! against the schema), read from and written to Terraform's values in one place.

use crate::engine::model::{Model, ModelError, Val};
use crate::protocol::cty::{Number, Value};
use crate::provider::service;

use super::schema::attr;

crate::tf_model! {
    /// Configuration, plan or state of one certificate.
    pub struct CertificateModel {
        pub id: String => attr::ID,
        pub service: String => service::SERVICE,
        pub name: String => attr::NAME,
        pub content: String => attr::CONTENT,
        pub private_key: String => attr::PRIVATE_KEY,
        pub private_key_wo: String => attr::PRIVATE_KEY_WO,
        pub private_key_wo_version: Number => attr::PRIVATE_KEY_WO_VERSION,
        pub cert_type: String => attr::TYPE,
        pub instance_id: String => attr::INSTANCE_ID,
        pub trusted_root_ca: String => attr::TRUSTED_ROOT_CA,
        pub algorithm_type: String => attr::ALGORITHM_TYPE,
        pub common_name: String => attr::COMMON_NAME,
        pub sans: Vec<String> => attr::SANS,
        pub not_before: String => attr::NOT_BEFORE,
        pub not_after: String => attr::NOT_AFTER,
        pub signature_algorithm: String => attr::SIGNATURE_ALGORITHM,
        pub serial_number: String => attr::SERIAL_NUMBER,
        pub issuer: Vec<String> => attr::ISSUER,
        pub created_at: String => attr::CREATED_AT,
        pub updated_at: String => attr::UPDATED_AT,
    }
}

impl CertificateModel {
    pub fn read(v: &Value) -> Result<CertificateModel, ModelError> {
        CertificateModel::from_value(v)
    }

    /// The computed attributes the API derives from the leaf certificate (they change only with
    /// `content`), for planning them unknown together.
    pub fn from_certificate_mut(&mut self) -> [&mut Val<String>; 5] {
        [
            &mut self.common_name,
            &mut self.not_before,
            &mut self.not_after,
            &mut self.signature_algorithm,
            &mut self.serial_number,
        ]
    }

    /// Every attribute left unknown becomes null (what the API did not report after an apply).
    pub fn settle_unknowns(&mut self) {
        self.id.unknown_to_null();
        self.service.unknown_to_null();
        self.name.unknown_to_null();
        self.content.unknown_to_null();
        self.private_key.unknown_to_null();
        self.private_key_wo.unknown_to_null();
        self.private_key_wo_version.unknown_to_null();
        self.cert_type.unknown_to_null();
        self.instance_id.unknown_to_null();
        self.trusted_root_ca.unknown_to_null();
        self.algorithm_type.unknown_to_null();
        self.sans.unknown_to_null();
        self.issuer.unknown_to_null();
        self.created_at.unknown_to_null();
        self.updated_at.unknown_to_null();
        for v in self.from_certificate_mut() {
            v.unknown_to_null();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        let schema = super::super::schema::certificate_schema();
        assert_eq!(check_against::<CertificateModel>(&schema.block, &[]), Vec::<String>::new());
    }
}
