//! data "apig_certificate": one certificate, looked up by `id` (GET `.../certificates/{id}`) or by
//! `name` within a gateway's certificates (GET `.../certificates?instance_id=&name=`, all pages),
//! with every detail the API reports.

use crate::client::ListCertificatesQuery;
use crate::client::models::CertificateDetail;
use crate::engine::model::{Model, Val};
use crate::engine::validators::ExactlyOneOf;
use crate::engine::{AttributeSchema, BlockSchema, Context, DataSource, ResourceSchema};
use crate::protocol::cty::{Number, Type, Value};
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::service;
use crate::provider::validators::{CertificateName, HexId, InstanceId};

pub const TYPE_NAME: &str = "apig_certificate";

const ID: &str = "id";
const NAME: &str = "name";
const INSTANCE_ID: &str = "instance_id";

#[derive(Debug, Default)]
pub struct CertificateDataSource;

crate::tf_model! {
    /// Configuration and result of `apig_certificate` (a test checks it against the schema).
    pub struct CertificateDataModel {
        pub id: String => ID,
        pub name: String => NAME,
        pub instance_id: String => INSTANCE_ID,
        pub service: String => service::SERVICE,
        pub cert_type: String => "type",
        pub common_name: String => "common_name",
        pub sans: Vec<String> => "sans",
        pub not_before: String => "not_before",
        pub not_after: String => "not_after",
        pub signature_algorithm: String => "signature_algorithm",
        pub serial_number: String => "serial_number",
        pub issuer: Vec<String> => "issuer",
        pub algorithm_type: String => "algorithm_type",
        pub is_has_trusted_root_ca: bool => "is_has_trusted_root_ca",
        pub version: Number => "version",
        pub organization: Vec<String> => "organization",
        pub organizational_unit: Vec<String> => "organizational_unit",
        pub locality: Vec<String> => "locality",
        pub state: Vec<String> => "state",
        pub country: Vec<String> => "country",
        pub created_at: String => "created_at",
        pub updated_at: String => "updated_at",
    }
}

impl CertificateDataModel {
    /// This configuration completed with the certificate's details: a configured `instance_id`
    /// stays, and what the API left empty is null.
    pub fn with_detail(self, service: &str, d: &CertificateDetail) -> CertificateDataModel {
        let instance_id = if self.instance_id.is_null() { Val::non_empty(&d.instance_id) } else { self.instance_id };
        CertificateDataModel {
            id: Val::Known(d.id.clone()),
            name: Val::Known(d.name.clone()),
            instance_id,
            service: Val::Known(service.to_string()),
            cert_type: Val::non_empty(&d.cert_type),
            common_name: Val::non_empty(&d.common_name),
            sans: Val::Known(d.san.clone()),
            not_before: Val::non_empty(&d.not_before),
            not_after: Val::non_empty(&d.not_after),
            signature_algorithm: Val::non_empty(&d.signature_algorithm),
            serial_number: Val::non_empty(&d.serial_number),
            issuer: Val::Known(d.issuer.clone()),
            algorithm_type: Val::non_empty(&d.algorithm_type),
            is_has_trusted_root_ca: Val::Known(d.is_has_trusted_root_ca),
            version: if d.version == 0 { Val::Null } else { Val::Known(Number::from(i64::from(d.version))) },
            organization: Val::Known(d.organization.clone()),
            organizational_unit: Val::Known(d.organizational_unit.clone()),
            locality: Val::Known(d.locality.clone()),
            state: Val::Known(d.state.clone()),
            country: Val::Known(d.country.clone()),
            created_at: Val::non_empty(&d.create_time),
            updated_at: Val::non_empty(&d.update_time),
        }
    }
}

fn computed(name: &str, ty: Type, description: &str) -> AttributeSchema {
    AttributeSchema::new(name, ty).computed().description(description)
}

pub fn certificate_data_source_schema() -> ResourceSchema {
    let text = || Type::String;
    let texts = || Type::list(Type::String);
    let block = BlockSchema::new(
        "Reads one SSL certificate of APIG or ROMA Connect, by `id`, or by `name` among the certificates usable \
         by the gateway `instance_id`. The certificate's PEM and key are never returned by the API.",
    )
    .attribute(
        AttributeSchema::string(ID)
            .optional()
            .computed()
            .validator(HexId::new("certificate ID"))
            .description("ID of the certificate to read. Exactly one of `id` and `name` is required."),
    )
    .attribute(AttributeSchema::string(NAME).optional().computed().validator(CertificateName).description(
        "Name of the certificate to read, among those usable by `instance_id` (its own and the global ones). \
         Exactly one of `id` and `name` is required; the name must match exactly one certificate.",
    ))
    .attribute(AttributeSchema::string(INSTANCE_ID).optional().computed().validator(InstanceId).description(
        "Gateway (instance) ID to search for `name` in; required with `name` (the API lists certificates per \
         gateway). When reading by `id` without it: the certificate's instance ID, `common` for a global one.",
    ))
    .attribute(service::data_source_service_attribute())
    .attribute(computed("type", text(), "Scope of the certificate: `global` or `instance`."))
    .attribute(computed("common_name", text(), "Subject common name of the server certificate."))
    .attribute(computed("sans", texts(), "DNS subject alternative names of the server certificate."))
    .attribute(computed("not_before", text(), "Start of the certificate's validity (RFC 3339, UTC)."))
    .attribute(computed("not_after", text(), "End of the certificate's validity (RFC 3339, UTC)."))
    .attribute(computed("signature_algorithm", text(), "Signature algorithm, e.g. `SHA256-RSA`."))
    .attribute(computed("serial_number", text(), "Serial number of the server certificate, in decimal."))
    .attribute(computed("issuer", texts(), "Organization names of the certificate's issuer."))
    .attribute(computed("algorithm_type", text(), "Key algorithm: `RSA`, `ECC` or `SM2`."))
    .attribute(computed("is_has_trusted_root_ca", Type::Bool, "Whether a trusted root CA is configured."))
    .attribute(computed("version", Type::Number, "X.509 version of the certificate (3)."))
    .attribute(computed("organization", texts(), "Subject organization(s)."))
    .attribute(computed("organizational_unit", texts(), "Subject organizational unit(s)."))
    .attribute(computed("locality", texts(), "Subject locality (city)."))
    .attribute(computed("state", texts(), "Subject state or province."))
    .attribute(computed("country", texts(), "Subject country code(s)."))
    .attribute(computed("created_at", text(), "When the certificate was created (RFC 3339)."))
    .attribute(computed("updated_at", text(), "When the certificate was last changed (RFC 3339)."));
    ResourceSchema::new(block).config_validator(ExactlyOneOf::new(&[ID, NAME]).summary("Invalid certificate lookup"))
}

#[async_trait::async_trait]
impl DataSource for CertificateDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        certificate_data_source_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let m = match CertificateDataModel::from_value(config) {
            Ok(m) => m,
            Err(e) => {
                diags.push(e.into());
                return;
            }
        };
        // With both id and name set, the exactly-one rule already says what to fix.
        if !m.name.is_null() && m.id.is_null() && m.instance_id.is_null() {
            diags.attribute_error(
                AttributePath::attr(INSTANCE_ID),
                "Missing instance ID",
                "The API lists certificates per gateway, so a lookup by name needs instance_id (the gateway whose \
                 certificates, including the global ones, are searched). Set instance_id, or look the certificate \
                 up by id instead.",
            );
        }
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Option<Value>, Diagnostics) {
        let fail = |d: Diagnostic| (None, Diagnostics::from(d));
        let model = match CertificateDataModel::from_value(&config) {
            Ok(m) => m,
            Err(e) => return fail(e.into()),
        };
        let (configured, service) = match service::configured_service(ctx, &model.service) {
            Ok(found) => found,
            Err(d) => return fail(d),
        };
        let call = call_context(ctx);
        let id = match (model.id.as_deref(), model.name.as_deref()) {
            (Some(id), _) => id.to_string(),
            (None, Some(name)) => {
                let instance_id = model.instance_id.as_deref().unwrap_or_default();
                let query = ListCertificatesQuery::default().instance_id(instance_id).name(name);
                let listed = match configured.client.list_all_certificates(service, &query, &call).await {
                    Ok(l) => l,
                    Err(e) => return fail(api_error("Cannot list certificates", &e)),
                };
                let matching: Vec<_> = listed.into_iter().filter(|c| c.name == name).collect();
                match matching.as_slice() {
                    [one] => one.id.clone(),
                    [] => {
                        return fail(
                            Diagnostic::error(
                                "Certificate not found",
                                format!(
                                    "No certificate named {name} is usable by instance {instance_id} on {}. Check \
                                     the name (it is case-sensitive), instance_id and service.",
                                    service.as_str(),
                                    name = excerpt(name)
                                ),
                            )
                            .with_attribute(AttributePath::attr(NAME)),
                        );
                    }
                    several => {
                        let ids: Vec<&str> = several.iter().map(|c| c.id.as_str()).collect();
                        return fail(
                            Diagnostic::error(
                                "Certificate name is ambiguous",
                                format!(
                                    "{} certificates are named {name} ({}). Look the certificate up by id instead.",
                                    ids.len(),
                                    ids.join(", "),
                                    name = excerpt(name)
                                ),
                            )
                            .with_attribute(AttributePath::attr(NAME)),
                        );
                    }
                }
            }
            (None, None) => {
                return fail(Diagnostic::error(
                    "Invalid certificate lookup",
                    "Set id or name to say which certificate to read.",
                ));
            }
        };
        match configured.client.get_certificate(service, &id, &call).await {
            Ok(detail) => {
                (Some(model.with_detail(service.as_str(), &detail).to_value_over(&config)), Diagnostics::new())
            }
            Err(e) if e.is_not_found() => fail(
                Diagnostic::error(
                    "Certificate not found",
                    format!("No certificate has the ID {id} on {}. Check the ID and service.", service.as_str()),
                )
                .with_attribute(AttributePath::attr(ID)),
            ),
            Err(e) => fail(api_error("Cannot read the certificate", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;
    use crate::provider::resources::certificate::strings;

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        let schema = certificate_data_source_schema();
        assert_eq!(check_against::<CertificateDataModel>(&schema.block, &[]), Vec::<String>::new());
    }

    /// `config` completed with the certificate's details, as `read` does it.
    fn certificate_state(config: &Value, service: &str, d: &CertificateDetail) -> Value {
        CertificateDataModel::from_value(config).unwrap().with_detail(service, d).to_value_over(config)
    }

    fn config(set: &[(&str, Value)]) -> Value {
        let mut v = Value::null_object_of(&certificate_data_source_schema().block_type());
        for (k, val) in set {
            v.set(k, val.clone());
        }
        v
    }

    fn check(c: &Value) -> Vec<String> {
        let mut d = Diagnostics::new();
        for v in &certificate_data_source_schema().config_validators {
            v.validate(c, &mut d);
        }
        CertificateDataSource.validate(c, &mut d);
        d.iter().map(|x| x.summary.clone()).collect()
    }

    #[test]
    fn lookup_is_by_id_or_by_name_within_an_instance() {
        let id = Value::string("a27be832f2e9441c8127fe48e3b5ac67");
        let instance = Value::string("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0");
        assert!(check(&config(&[(ID, id.clone())])).is_empty());
        assert!(check(&config(&[(NAME, Value::string("cert_x")), (INSTANCE_ID, instance)])).is_empty());
        assert_eq!(check(&config(&[(NAME, Value::string("cert_x"))])), ["Missing instance ID"]);
        assert_eq!(check(&config(&[])), ["Invalid certificate lookup"]);
        assert_eq!(check(&config(&[(ID, id), (NAME, Value::string("cert_x"))])), ["Invalid certificate lookup"]);
        // An ID known only after apply may be the one.
        assert!(check(&config(&[(ID, Value::Unknown)])).is_empty());
    }

    #[test]
    fn the_state_carries_every_detail_and_keeps_the_configured_instance() {
        let d = CertificateDetail {
            id: "a27be832f2e9441c8127fe48e3b5ac67".into(),
            name: "cert_x".into(),
            cert_type: "global".into(),
            instance_id: "common".into(),
            san: vec!["api.example.com".into()],
            version: 3,
            organization: vec!["Acme".into()],
            is_has_trusted_root_ca: true,
            update_time: "2025-06-01T10:00:00Z".into(),
            ..Default::default()
        };
        let st = certificate_state(&config(&[(ID, Value::string(d.id.as_str()))]), "roma", &d);
        assert_eq!(st.get_str("service"), Some("roma"));
        assert_eq!(st.get_str(NAME), Some("cert_x"));
        assert_eq!(st.get_str(INSTANCE_ID), Some("common"));
        assert_eq!(st.get("sans"), Some(&strings(&d.san)));
        assert_eq!(st.get_i64("version"), Some(3));
        assert_eq!(st.get_bool("is_has_trusted_root_ca"), Some(true));
        assert_eq!(st.get("common_name"), Some(&Value::Null), "empty answers are null");
        assert_eq!(st.get_str("updated_at"), Some("2025-06-01T10:00:00Z"));

        let by_name = config(&[
            (NAME, Value::string("cert_x")),
            (INSTANCE_ID, Value::string("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0")),
        ]);
        let st = certificate_state(&by_name, "apig", &d);
        assert_eq!(st.get_str(INSTANCE_ID), Some("5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"), "configured values stay");
        assert_eq!(st.get_str(ID), Some("a27be832f2e9441c8127fe48e3b5ac67"));
        for a in &certificate_data_source_schema().block.attributes {
            assert!(!a.description.is_empty(), "{}", a.name);
        }
    }
}
