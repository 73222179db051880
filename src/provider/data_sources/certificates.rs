//! data "apig_certificates": the certificates usable by one gateway (its own and the global ones),
//! filtered as the API's list call offers (GET `.../certificates`, every page).

use crate::client::ListCertificatesQuery;
use crate::client::models::CertificateSummary;
use crate::engine::model::{Model, ObjectList, Val};
use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, BlockSchema, Context, DataSource, ResourceSchema};
use crate::protocol::cty::{Type, Value};
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::service;
use crate::provider::validators::InstanceId;

pub const TYPE_NAME: &str = "apig_certificates";

const INSTANCE_ID: &str = "instance_id";
const CERTIFICATES: &str = "certificates";

crate::tf_model! {
    /// One element of `certificates` (its type is this model's object type).
    pub struct CertificateItemModel {
        pub id: String => "id",
        pub name: String => "name",
        pub cert_type: String => "type",
        pub instance_id: String => "instance_id",
        pub common_name: String => "common_name",
        pub sans: Vec<String> => "sans",
        pub not_after: String => "not_after",
        pub signature_algorithm: String => "signature_algorithm",
        pub algorithm_type: String => "algorithm_type",
        pub is_has_trusted_root_ca: bool => "is_has_trusted_root_ca",
        pub created_at: String => "created_at",
        pub updated_at: String => "updated_at",
    }
}

impl CertificateItemModel {
    /// One listed certificate; what the API left empty is null.
    pub fn from_summary(c: &CertificateSummary) -> CertificateItemModel {
        CertificateItemModel {
            id: Val::Known(c.id.clone()),
            name: Val::Known(c.name.clone()),
            cert_type: Val::non_empty(&c.cert_type),
            instance_id: Val::non_empty(&c.instance_id),
            common_name: Val::non_empty(&c.common_name),
            sans: Val::Known(c.san.clone()),
            not_after: Val::non_empty(&c.not_after),
            signature_algorithm: Val::non_empty(&c.signature_algorithm),
            algorithm_type: Val::non_empty(&c.algorithm_type),
            is_has_trusted_root_ca: Val::Known(c.is_has_trusted_root_ca),
            created_at: Val::non_empty(&c.create_time),
            updated_at: Val::non_empty(&c.update_time),
        }
    }
}

crate::tf_model! {
    /// Configuration and result of `apig_certificates` (a test checks it against the schema).
    pub struct CertificatesModel {
        pub instance_id: String => INSTANCE_ID,
        pub service: String => service::SERVICE,
        pub name: String => "name",
        pub common_name: String => "common_name",
        pub signature_algorithm: String => "signature_algorithm",
        pub cert_type: String => "type",
        pub algorithm_type: String => "algorithm_type",
        pub certificates: ObjectList<CertificateItemModel> => CERTIFICATES,
    }
}

impl CertificatesModel {
    /// The list call's filters from the configuration; unset ones are left out.
    pub fn list_query(&self) -> ListCertificatesQuery {
        let filter = |v: &Val<String>| v.known().cloned();
        ListCertificatesQuery {
            instance_id: Some(self.instance_id.known().cloned().unwrap_or_default()),
            name: filter(&self.name),
            common_name: filter(&self.common_name),
            signature_algorithm: filter(&self.signature_algorithm),
            cert_type: filter(&self.cert_type),
            algorithm_type: filter(&self.algorithm_type),
            ..Default::default()
        }
    }
}

#[derive(Debug, Default)]
pub struct CertificatesDataSource;

/// The list call's filters (§3.2), shared with `list "apig_certificate"`.
pub fn list_filter_attributes() -> [AttributeSchema; 5] {
    let filter = |name: &str, description: &str| AttributeSchema::string(name).optional().description(description);
    [
        filter("name", "Only the certificate with this name."),
        filter("common_name", "Only certificates with this subject common name."),
        filter("signature_algorithm", "Only certificates with this signature algorithm, e.g. `SHA256-RSA`."),
        filter("type", "Only `global` or only `instance` certificates.").validator(one_of(&["global", "instance"])),
        filter("algorithm_type", "Only certificates with this key algorithm: `RSA`, `ECC` or `SM2`.")
            .validator(one_of(&["RSA", "ECC", "SM2"])),
    ]
}

pub fn certificates_data_source_schema() -> ResourceSchema {
    let mut block = BlockSchema::new(
        "Lists the SSL certificates usable by one gateway of APIG or ROMA Connect: its instance certificates and \
         the global ones, optionally filtered (exact matches).",
    )
    .attribute(AttributeSchema::string(INSTANCE_ID).required().validator(InstanceId).description(
        "Gateway (instance) ID whose certificates are listed (the API requires it); global certificates are \
         included.",
    ))
    .attribute(service::data_source_service_attribute());
    for filter in list_filter_attributes() {
        block = block.attribute(filter);
    }
    block = block.attribute(
        AttributeSchema::new(CERTIFICATES, Type::list(CertificateItemModel::object_type())).computed().description(
            "The certificates, in the API's order. Each has `id`, `name`, `type`, `instance_id` (`common` for a \
         global certificate), `common_name`, `sans`, `not_after`, `signature_algorithm`, `algorithm_type`, \
         `is_has_trusted_root_ca`, `created_at` and `updated_at`.",
        ),
    );
    ResourceSchema::new(block)
}

#[async_trait::async_trait]
impl DataSource for CertificatesDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        certificates_data_source_schema()
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Option<Value>, Diagnostics) {
        let fail = |d: Diagnostic| (None, Diagnostics::from(d));
        let mut model = match CertificatesModel::from_value(&config) {
            Ok(m) => m,
            Err(e) => return fail(e.into()),
        };
        let (configured, service) = match service::configured_service(ctx, &model.service) {
            Ok(found) => found,
            Err(d) => return fail(d),
        };
        let listed =
            match configured.client.list_all_certificates(service, &model.list_query(), &call_context(ctx)).await {
                Ok(l) => l,
                Err(e) => return fail(api_error("Cannot list certificates", &e)),
            };
        model.service = Val::Known(service.as_str().to_string());
        model.certificates = Val::Known(ObjectList(listed.iter().map(CertificateItemModel::from_summary).collect()));
        (Some(model.to_value_over(&config)), Diagnostics::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{Field, check_against};
    use crate::provider::resources::certificate::strings;

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        let schema = certificates_data_source_schema();
        assert_eq!(check_against::<CertificatesModel>(&schema.block, &[]), Vec::<String>::new());
    }

    #[test]
    fn filters_go_to_the_list_call_and_unset_ones_are_left_out() {
        let mut c = Value::null_object_of(&certificates_data_source_schema().block_type());
        c.set(INSTANCE_ID, Value::string("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        let q = CertificatesModel::from_value(&c).unwrap().list_query();
        assert_eq!(q.instance_id.as_deref(), Some("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        assert_eq!((q.name, q.cert_type, q.algorithm_type), (None, None, None));
        for (attribute, value) in [
            ("name", "cert_x"),
            ("common_name", "api.example.com"),
            ("signature_algorithm", "SHA256-RSA"),
            ("type", "global"),
            ("algorithm_type", "RSA"),
        ] {
            c.set(attribute, Value::string(value));
        }
        let q = CertificatesModel::from_value(&c).unwrap().list_query();
        assert_eq!(q.name.as_deref(), Some("cert_x"));
        assert_eq!(q.common_name.as_deref(), Some("api.example.com"));
        assert_eq!(q.signature_algorithm.as_deref(), Some("SHA256-RSA"));
        assert_eq!(q.cert_type.as_deref(), Some("global"));
        assert_eq!(q.algorithm_type.as_deref(), Some("RSA"));
    }

    #[test]
    fn each_certificate_has_the_declared_shape() {
        let c = CertificateSummary {
            id: "a27be832f2e9441c8127fe48e3b5ac67".into(),
            name: "cert_x".into(),
            cert_type: "global".into(),
            instance_id: "common".into(),
            san: vec!["api.example.com".into(), "www.example.com".into()],
            ..Default::default()
        };
        let list = ObjectList(vec![CertificateItemModel::from_summary(&c)]).to_cty();
        let v = list.as_elements().unwrap()[0].clone();
        let Type::Object(declared) = CertificateItemModel::object_type() else { panic!("object type") };
        let names: Vec<&String> = v.as_map().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(names, declared.keys().collect::<Vec<_>>());
        assert_eq!(v.get_str("instance_id"), Some("common"));
        assert_eq!(v.get("sans"), Some(&strings(&c.san)));
        assert_eq!(v.get("not_after"), Some(&Value::Null));
    }
}
