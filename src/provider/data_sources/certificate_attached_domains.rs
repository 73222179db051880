//! data `apig_certificate_attached_domains`: the domains bound to one certificate
//! (`GET .../certificates/{id}/attached-domains`, apig-api.md §3.8, §7.5), every page, each domain
//! once per gateway (the API repeats a domain once per custom inbound port).

use std::collections::HashSet;

use crate::client::models::AttachedDomain;
use crate::engine::model::{Model, ObjectList, Val};
use crate::engine::{AttributeSchema, BlockSchema, Context, DataSource, ResourceSchema};
use crate::protocol::cty::{Number, Type, Value};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::service;
use crate::provider::validators::HexId;

pub const TYPE_NAME: &str = "apig_certificate_attached_domains";

pub mod attr {
    pub const ID: &str = "id";
    pub const CERTIFICATE_ID: &str = "certificate_id";
    pub const URL_DOMAIN: &str = "url_domain";
    pub const SERVICE: &str = "service";
    pub const DOMAINS: &str = "domains";
}

crate::tf_model! {
    /// One element of `domains` (its type is this model's object type).
    pub struct AttachedDomainModel {
        pub id: String => "id",
        pub url_domain: String => "url_domain",
        pub instance_id: String => "instance_id",
        pub status: Number => "status",
        pub min_ssl_version: String => "min_ssl_version",
        pub verified_client_certificate_enabled: bool => "verified_client_certificate_enabled",
        pub api_group_id: String => "api_group_id",
        pub api_group_name: String => "api_group_name",
    }
}

impl AttachedDomainModel {
    /// One bound domain as the API lists it.
    pub fn from_domain(d: &AttachedDomain) -> AttachedDomainModel {
        AttachedDomainModel {
            id: Val::Known(d.id.clone()),
            url_domain: Val::Known(d.url_domain.clone()),
            instance_id: Val::Known(d.instance_id.clone()),
            status: Val::Known(Number::from(i64::from(d.status))),
            min_ssl_version: Val::Known(d.min_ssl_version.clone()),
            verified_client_certificate_enabled: Val::Known(d.verified_client_certificate_enabled),
            api_group_id: Val::Known(d.api_group_id.clone()),
            api_group_name: Val::Known(d.api_group_name.clone()),
        }
    }
}

crate::tf_model! {
    /// Configuration and result of `apig_certificate_attached_domains` (a test checks it against
    /// the schema).
    pub struct AttachedDomainsModel {
        pub id: String => attr::ID,
        pub certificate_id: String => attr::CERTIFICATE_ID,
        pub url_domain: String => attr::URL_DOMAIN,
        pub service: String => attr::SERVICE,
        pub domains: ObjectList<AttachedDomainModel> => attr::DOMAINS,
    }
}

impl AttachedDomainsModel {
    /// This configuration completed with the domains read from `service`; the ID is the
    /// certificate's.
    pub fn with_domains(self, service: &str, domains: &[AttachedDomain]) -> AttachedDomainsModel {
        AttachedDomainsModel {
            id: self.certificate_id.clone(),
            service: Val::Known(service.to_string()),
            domains: Val::Known(ObjectList(domains.iter().map(AttachedDomainModel::from_domain).collect())),
            ..self
        }
    }
}

/// The description of each attribute of a `domains` element, in the model's order (a test
/// checks the names against the model).
const DOMAIN_DESCRIPTIONS: [(&str, &str); 8] = [
    ("id", "ID of the domain (of the API group's independent domain)."),
    ("url_domain", "The domain name."),
    ("instance_id", "ID of the gateway the domain is on."),
    ("status", "CNAME resolution status: 1 not resolved, 2 resolving, 3 resolved, 4 failed."),
    ("min_ssl_version", "Minimum TLS version of the domain (`TLSv1.1` or `TLSv1.2`)."),
    ("verified_client_certificate_enabled", "Whether client certificates are verified."),
    ("api_group_id", "ID of the API group the domain belongs to."),
    ("api_group_name", "Name of the API group the domain belongs to."),
];

fn domains_description() -> String {
    let fields: Vec<String> =
        DOMAIN_DESCRIPTIONS.iter().map(|(name, d)| format!("`{name}`: {}", d.trim_end_matches('.'))).collect();
    format!("The bound domains, each once per gateway. Attributes of each: {}.", fields.join("; "))
}

/// Drops repeats of a domain on one gateway (one per inbound port), keeping the API's order.
fn dedupe(listing: Vec<AttachedDomain>) -> Vec<AttachedDomain> {
    let mut seen = HashSet::new();
    listing
        .into_iter()
        .filter(|d| seen.insert((d.id.clone(), d.url_domain.to_ascii_lowercase(), d.instance_id.clone())))
        .collect()
}

#[derive(Debug, Default)]
pub struct CertificateAttachedDomainsDataSource;

#[async_trait::async_trait]
impl DataSource for CertificateAttachedDomainsDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(
            BlockSchema::new("The domains bound to one SSL certificate, on every gateway (all pages).")
                .attribute(AttributeSchema::string(attr::ID).computed().description("The certificate ID."))
                .attribute(
                    AttributeSchema::string(attr::CERTIFICATE_ID)
                        .required()
                        .validator(HexId::new("certificate ID"))
                        .description("ID of the certificate (32 hexadecimal characters)."),
                )
                .attribute(
                    AttributeSchema::string(attr::URL_DOMAIN)
                        .optional()
                        .description("Only domains with this name (as the API filters `url_domain`)."),
                )
                .attribute(service::data_source_service_attribute())
                .attribute(
                    AttributeSchema::new(attr::DOMAINS, Type::list(AttachedDomainModel::object_type()))
                        .computed()
                        .description(&domains_description()),
                ),
        )
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Option<Value>, Diagnostics) {
        let model = match AttachedDomainsModel::from_value(&config) {
            Ok(m) => m,
            Err(e) => return (None, Diagnostic::from(e).into()),
        };
        let (configured, service) = match service::configured_service(ctx, &model.service) {
            Ok(found) => found,
            Err(d) => return (None, d.into()),
        };
        let Some(certificate_id) = model.certificate_id.as_deref() else {
            let d = Diagnostic::error("Missing certificate ID", "Set `certificate_id` to the certificate's ID.")
                .with_attribute(AttributePath::attr(attr::CERTIFICATE_ID));
            return (None, d.into());
        };
        let url_domain = model.url_domain.as_deref().filter(|s| !s.is_empty());
        let listing = match configured
            .client
            .list_all_attached_domains(service, certificate_id, url_domain, &call_context(ctx))
            .await
        {
            Ok(l) => l,
            Err(e) => {
                let d = api_error(format!("Cannot list the domains bound to certificate {certificate_id}"), &e)
                    .with_attribute(AttributePath::attr(attr::CERTIFICATE_ID));
                return (None, d.into());
            }
        };
        let domains = dedupe(listing);
        tracing::debug!(certificate_id, service = service.as_str(), domains = domains.len(), "attached domains read");
        let state = model.with_domains(service.as_str(), &domains);
        (Some(state.to_value_over(&config)), Diagnostics::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{Field, check_against};

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        let schema = CertificateAttachedDomainsDataSource.schema();
        assert_eq!(check_against::<AttachedDomainsModel>(&schema.block, &[]), Vec::<String>::new());
        let described: Vec<&str> = DOMAIN_DESCRIPTIONS.iter().map(|(name, _)| *name).collect();
        let fields: Vec<&str> = AttachedDomainModel::fields().iter().map(|f| f.name).collect();
        assert_eq!(described, fields, "every domain attribute is described, in the model's order");
    }

    fn listed(id: &str, name: &str, instance: &str, port: Option<i32>) -> AttachedDomain {
        AttachedDomain {
            url_domain: name.into(),
            id: id.into(),
            instance_id: instance.into(),
            status: 3,
            min_ssl_version: "TLSv1.2".into(),
            api_group_id: "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50".into(),
            api_group_name: "demo_group".into(),
            ingress_https_port: port,
            ..Default::default()
        }
    }

    #[test]
    fn repeats_per_port_collapse_but_other_gateways_stay() {
        let d = dedupe(vec![
            listed("d1", "api.example.com", "gw1", None),
            listed("d1", "api.example.com", "gw1", Some(8443)),
            listed("d9", "api.example.com", "gw2", None),
            listed("d2", "www.example.com", "gw1", None),
        ]);
        let keys: Vec<(&str, &str)> = d.iter().map(|x| (x.id.as_str(), x.instance_id.as_str())).collect();
        assert_eq!(keys, [("d1", "gw1"), ("d9", "gw2"), ("d2", "gw1")]);
    }

    #[test]
    fn each_domain_conforms_to_the_declared_element_type() {
        let list = ObjectList(vec![AttachedDomainModel::from_domain(&listed("d1", "api.example.com", "gw1", None))]);
        let v = list.to_cty().as_elements().unwrap()[0].clone();
        assert!(v.conforms_to(&AttachedDomainModel::object_type()).is_ok());
        assert_eq!(v.get_i64("status"), Some(3));
        assert_eq!(v.get_str("api_group_name"), Some("demo_group"));
        assert_eq!(v.get_bool("verified_client_certificate_enabled"), Some(false));
    }

    #[test]
    fn every_attribute_is_described() {
        let s = CertificateAttachedDomainsDataSource.schema();
        for a in &s.block.attributes {
            assert!(!a.description.is_empty(), "{}", a.name);
        }
        assert!(domains_description().contains("`api_group_name`"));
    }
}
