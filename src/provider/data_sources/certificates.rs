//! data "apig_certificates": the certificates usable by one gateway (its own and the global ones),
//! filtered as the API's list call offers (GET `.../certificates`, every page).

use crate::client::ListCertificatesQuery;
use crate::client::models::CertificateSummary;
use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, BlockSchema, Context, DataSource, ResourceSchema};
use crate::protocol::cty::{Type, Value};
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::resources::certificate::{non_empty, strings};
use crate::provider::service;
use crate::provider::validators::InstanceId;

pub const TYPE_NAME: &str = "apig_certificates";

const INSTANCE_ID: &str = "instance_id";
const CERTIFICATES: &str = "certificates";
/// The filters: attribute name and the list call's query parameter.
const FILTERS: [(&str, &str); 5] = [
    ("name", "name"),
    ("common_name", "common_name"),
    ("signature_algorithm", "signature_algorithm"),
    ("type", "type"),
    ("algorithm_type", "algorithm_type"),
];

#[derive(Debug, Default)]
pub struct CertificatesDataSource;

fn certificate_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("type", Type::String),
        ("instance_id", Type::String),
        ("common_name", Type::String),
        ("sans", Type::list(Type::String)),
        ("not_after", Type::String),
        ("signature_algorithm", Type::String),
        ("algorithm_type", Type::String),
        ("is_has_trusted_root_ca", Type::Bool),
        ("created_at", Type::String),
        ("updated_at", Type::String),
    ])
}

pub fn certificates_data_source_schema() -> ResourceSchema {
    let filter = |name: &str, description: &str| AttributeSchema::string(name).optional().description(description);
    let block = BlockSchema::new(
        "Lists the SSL certificates usable by one gateway of APIG or ROMA Connect: its instance certificates and \
         the global ones, optionally filtered (exact matches).",
    )
    .attribute(AttributeSchema::string(INSTANCE_ID).required().validator(InstanceId).description(
        "Gateway (instance) ID whose certificates are listed (the API requires it); global certificates are \
         included.",
    ))
    .attribute(service::data_source_service_attribute())
    .attribute(filter("name", "Only the certificate with this name."))
    .attribute(filter("common_name", "Only certificates with this subject common name."))
    .attribute(filter("signature_algorithm", "Only certificates with this signature algorithm, e.g. `SHA256-RSA`."))
    .attribute(
        filter("type", "Only `global` or only `instance` certificates.").validator(one_of(&["global", "instance"])),
    )
    .attribute(
        filter("algorithm_type", "Only certificates with this key algorithm: `RSA`, `ECC` or `SM2`.")
            .validator(one_of(&["RSA", "ECC", "SM2"])),
    )
    .attribute(AttributeSchema::new(CERTIFICATES, Type::list(certificate_type())).computed().description(
        "The certificates, in the API's order. Each has `id`, `name`, `type`, `instance_id` (`common` for a \
         global certificate), `common_name`, `sans`, `not_after`, `signature_algorithm`, `algorithm_type`, \
         `is_has_trusted_root_ca`, `created_at` and `updated_at`.",
    ));
    ResourceSchema::new(block)
}

pub fn certificate_object(c: &CertificateSummary) -> Value {
    Value::object([
        ("id", Value::string(c.id.as_str())),
        ("name", Value::string(c.name.as_str())),
        ("type", non_empty(&c.cert_type)),
        ("instance_id", non_empty(&c.instance_id)),
        ("common_name", non_empty(&c.common_name)),
        ("sans", strings(&c.san)),
        ("not_after", non_empty(&c.not_after)),
        ("signature_algorithm", non_empty(&c.signature_algorithm)),
        ("algorithm_type", non_empty(&c.algorithm_type)),
        ("is_has_trusted_root_ca", Value::Bool(c.is_has_trusted_root_ca)),
        ("created_at", non_empty(&c.create_time)),
        ("updated_at", non_empty(&c.update_time)),
    ])
}

/// The list call's filters from the configuration.
pub fn list_query(config: &Value) -> ListCertificatesQuery {
    let mut q = ListCertificatesQuery::default().instance_id(config.get_str(INSTANCE_ID).unwrap_or_default());
    for (attribute, parameter) in FILTERS {
        if let Some(v) = config.get_str(attribute) {
            q = match parameter {
                "name" => q.name(v),
                "common_name" => q.common_name(v),
                "signature_algorithm" => q.signature_algorithm(v),
                "type" => q.cert_type(v),
                _ => q.algorithm_type(v),
            };
        }
    }
    q
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
        let (configured, service) = match service::configured_service(ctx, &config) {
            Ok(found) => found,
            Err(d) => return fail(d),
        };
        let listed =
            match configured.client.list_all_certificates(service, &list_query(&config), &call_context(ctx)).await {
                Ok(l) => l,
                Err(e) => return fail(api_error("Cannot list certificates", &e)),
            };
        let mut st = config;
        st.set(service::SERVICE, Value::string(service.as_str()));
        st.set(CERTIFICATES, Value::List(listed.iter().map(certificate_object).collect()));
        (Some(st), Diagnostics::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_go_to_the_list_call_and_unset_ones_are_left_out() {
        let mut c = Value::null_object_of(&certificates_data_source_schema().block_type());
        c.set(INSTANCE_ID, Value::string("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"));
        let q = list_query(&c);
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
        let q = list_query(&c);
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
        let v = certificate_object(&c);
        let Type::Object(declared) = certificate_type() else { panic!("object type") };
        let names: Vec<&String> = v.as_map().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(names, declared.keys().collect::<Vec<_>>());
        assert_eq!(v.get_str("instance_id"), Some("common"));
        assert_eq!(v.get("sans"), Some(&strings(&c.san)));
        assert_eq!(v.get("not_after"), Some(&Value::Null));
    }
}
