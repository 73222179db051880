//! data `apig_certificate_attached_domains`: the domains bound to one certificate
//! (`GET .../certificates/{id}/attached-domains`, apig-api.md §3.8, §7.5), every page, each domain
//! once per gateway (the API repeats a domain once per custom inbound port).

use std::collections::BTreeMap;
use std::collections::HashSet;

use crate::client::models::AttachedDomain;
use crate::engine::{AttributeSchema, BlockSchema, Context, DataSource, ResourceSchema};
use crate::protocol::cty::{Type, Value};
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

/// Attributes of one `domains` element, with their types and descriptions.
const DOMAIN_FIELDS: [(&str, DomainField, &str); 8] = [
    ("id", DomainField::String, "ID of the domain (of the API group's independent domain)."),
    ("url_domain", DomainField::String, "The domain name."),
    ("instance_id", DomainField::String, "ID of the gateway the domain is on."),
    ("status", DomainField::Number, "CNAME resolution status: 1 not resolved, 2 resolving, 3 resolved, 4 failed."),
    ("min_ssl_version", DomainField::String, "Minimum TLS version of the domain (`TLSv1.1` or `TLSv1.2`)."),
    ("verified_client_certificate_enabled", DomainField::Bool, "Whether client certificates are verified."),
    ("api_group_id", DomainField::String, "ID of the API group the domain belongs to."),
    ("api_group_name", DomainField::String, "Name of the API group the domain belongs to."),
];

#[derive(Clone, Copy)]
enum DomainField {
    String,
    Number,
    Bool,
}

fn domain_type() -> Type {
    Type::object(DOMAIN_FIELDS.iter().map(|(name, kind, _)| {
        let t = match kind {
            DomainField::String => Type::String,
            DomainField::Number => Type::Number,
            DomainField::Bool => Type::Bool,
        };
        (*name, t)
    }))
}

fn domains_description() -> String {
    let fields: Vec<String> =
        DOMAIN_FIELDS.iter().map(|(name, _, d)| format!("`{name}`: {}", d.trim_end_matches('.'))).collect();
    format!("The bound domains, each once per gateway. Attributes of each: {}.", fields.join("; "))
}

fn domain_value(d: &AttachedDomain) -> Value {
    Value::object([
        ("id", Value::string(&d.id)),
        ("url_domain", Value::string(&d.url_domain)),
        ("instance_id", Value::string(&d.instance_id)),
        ("status", Value::from(i64::from(d.status))),
        ("min_ssl_version", Value::string(&d.min_ssl_version)),
        ("verified_client_certificate_enabled", Value::Bool(d.verified_client_certificate_enabled)),
        ("api_group_id", Value::string(&d.api_group_id)),
        ("api_group_name", Value::string(&d.api_group_name)),
    ])
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
                    AttributeSchema::new(attr::DOMAINS, Type::list(domain_type()))
                        .computed()
                        .description(&domains_description()),
                ),
        )
    }

    async fn read(&self, ctx: &Context, config: Value) -> (Option<Value>, Diagnostics) {
        let (configured, service) = match service::configured_service(ctx, &config) {
            Ok(found) => found,
            Err(d) => return (None, d.into()),
        };
        let Some(certificate_id) = config.get_str(attr::CERTIFICATE_ID) else {
            let d = Diagnostic::error("Missing certificate ID", "Set `certificate_id` to the certificate's ID.")
                .with_attribute(AttributePath::attr(attr::CERTIFICATE_ID));
            return (None, d.into());
        };
        let url_domain = config.get_str(attr::URL_DOMAIN).filter(|s| !s.is_empty());
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
        let mut state: BTreeMap<String, Value> = BTreeMap::new();
        state.insert(attr::ID.into(), Value::string(certificate_id));
        state.insert(attr::CERTIFICATE_ID.into(), Value::string(certificate_id));
        state.insert(attr::URL_DOMAIN.into(), config.get(attr::URL_DOMAIN).cloned().unwrap_or(Value::Null));
        state.insert(attr::SERVICE.into(), Value::string(service.as_str()));
        state.insert(attr::DOMAINS.into(), Value::List(domains.iter().map(domain_value).collect()));
        (Some(Value::Object(state)), Diagnostics::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let v = domain_value(&listed("d1", "api.example.com", "gw1", None));
        assert!(v.conforms_to(&domain_type()).is_ok());
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
