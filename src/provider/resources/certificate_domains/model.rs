//! The typed model of `apig_certificate_domains` and its `domain` blocks (a test checks them
//! against the schema), and between the model and [`DomainSpec`]s.

use std::collections::BTreeSet;

use crate::client::models::Service;
use crate::engine::model::{Model, ObjectSet, Val};
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic};
use crate::provider::service;

use super::bindings::DomainSpec;
use super::schema::attr;

crate::tf_model! {
    /// Configuration, plan or state of the bindings of one certificate.
    pub struct CertificateDomainsModel {
        pub id: String => attr::ID,
        pub certificate_id: String => attr::CERTIFICATE_ID,
        pub service: String => service::SERVICE,
        pub domain: ObjectSet<DomainBlockModel> => attr::DOMAIN,
    }
}

crate::tf_model! {
    /// One `domain` block. In a configuration or plan each block is read on its own, so one
    /// holding values known only after apply leaves the others usable.
    pub struct DomainBlockModel {
        pub name: String => attr::NAME,
        pub instance_ids: BTreeSet<String> => attr::INSTANCE_IDS,
        pub verified_client_certificate_enabled: bool => attr::VERIFIED,
    }
}

impl CertificateDomainsModel {
    pub fn read(v: &Value) -> Result<CertificateDomainsModel, Diagnostic> {
        Ok(CertificateDomainsModel::from_value(v)?)
    }

    /// The state for `specs` bound to `certificate_id` on `service`.
    pub fn of_specs(certificate_id: &str, service: Service, specs: &[DomainSpec]) -> CertificateDomainsModel {
        CertificateDomainsModel {
            id: Val::Known(certificate_id.to_string()),
            certificate_id: Val::Known(certificate_id.to_string()),
            service: Val::Known(service.as_str().to_string()),
            domain: Val::Known(ObjectSet::from(specs.iter().map(DomainBlockModel::of_spec).collect::<Vec<_>>())),
        }
    }

    /// The `domain` blocks of a wholly known configuration (or state). A null flag is `false`.
    pub fn domain_specs(&self) -> Result<Vec<DomainSpec>, Diagnostic> {
        let unknown = || {
            Diagnostic::error(
                "Domain blocks not known",
                "The `domain` blocks still hold values that are known only after apply, so the bindings cannot be \
                 computed. This is a bug in the provider: please report it.",
            )
            .with_attribute(AttributePath::attr(attr::DOMAIN))
        };
        let blocks = match &self.domain {
            Val::Null => return Ok(Vec::new()),
            Val::Unknown => return Err(unknown()),
            Val::Known(blocks) => blocks,
        };
        blocks
            .iter()
            .map(|block| {
                let instance_ids = match &block.instance_ids {
                    Val::Null => None,
                    Val::Unknown => return Err(unknown()),
                    Val::Known(ids) => Some(ids.clone()),
                };
                let verified = match block.verified_client_certificate_enabled {
                    Val::Null => false,
                    Val::Unknown => return Err(unknown()),
                    Val::Known(flag) => flag,
                };
                Ok(DomainSpec {
                    name: block.name.known().cloned().ok_or_else(unknown)?,
                    instance_ids,
                    verified_client_certificate_enabled: verified,
                })
            })
            .collect()
    }

    /// The certificate ID an existing object's state names.
    pub fn certificate_id(&self) -> Result<&str, Diagnostic> {
        self.certificate_id.as_deref().or(self.id.as_deref()).ok_or_else(|| {
            Diagnostic::error(
                "Certificate ID missing from state",
                "The state holds no certificate ID. Remove the resource with `terraform state rm` and import it \
                 again by its certificate ID.",
            )
        })
    }
}

impl DomainBlockModel {
    fn of_spec(spec: &DomainSpec) -> DomainBlockModel {
        DomainBlockModel {
            name: Val::Known(spec.name.clone()),
            instance_ids: spec.instance_ids.clone().into(),
            verified_client_certificate_enabled: Val::Known(spec.verified_client_certificate_enabled),
        }
    }
}

/// The resource's state for `specs` bound to `certificate_id` on `service`.
pub fn state_value(certificate_id: &str, service: Service, specs: &[DomainSpec]) -> Value {
    CertificateDomainsModel::of_specs(certificate_id, service, specs).to_value_over(&Value::Object(Default::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;

    const GW1: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";

    fn block(name: Value, ids: Value, flag: Value) -> Value {
        Value::object([(attr::NAME, name), (attr::INSTANCE_IDS, ids), (attr::VERIFIED, flag)])
    }

    fn domain_specs(v: &Value) -> Result<Vec<DomainSpec>, Diagnostic> {
        CertificateDomainsModel::read(v)?.domain_specs()
    }

    fn certificate_id_of(v: &Value) -> Result<String, Diagnostic> {
        CertificateDomainsModel::read(v)?.certificate_id().map(str::to_string)
    }

    #[test]
    fn the_model_has_exactly_the_schema_attributes_and_blocks() {
        let schema = super::super::schema::certificate_domains_schema();
        assert_eq!(check_against::<CertificateDomainsModel>(&schema.block, &[]), Vec::<String>::new());
    }

    #[test]
    fn blocks_become_specs_with_null_flag_as_false() {
        let config = Value::object([(
            attr::DOMAIN,
            Value::Set(vec![
                block(Value::string("api.example.com"), Value::Set(vec![Value::string(GW1)]), Value::Null),
                block(Value::string("www.example.com"), Value::Null, Value::Bool(true)),
            ]),
        )]);
        let specs = domain_specs(&config).expect("known");
        assert_eq!(
            specs,
            [
                DomainSpec {
                    name: "api.example.com".into(),
                    instance_ids: Some([GW1.to_string()].into()),
                    verified_client_certificate_enabled: false
                },
                DomainSpec {
                    name: "www.example.com".into(),
                    instance_ids: None,
                    verified_client_certificate_enabled: true
                },
            ]
        );
        // The state built from them reads back the same.
        let state = state_value("a27be832f2e9441c8127fe48e3b5ac67", Service::Roma, &specs);
        assert_eq!(domain_specs(&state).expect("known"), specs);
        assert_eq!(state.get_str(attr::SERVICE), Some("roma"));
        assert_eq!(certificate_id_of(&state).ok().as_deref(), Some("a27be832f2e9441c8127fe48e3b5ac67"));
    }

    #[test]
    fn unknowns_are_reported_not_guessed() {
        let config = Value::object([(attr::DOMAIN, Value::Set(vec![block(Value::Unknown, Value::Null, Value::Null)]))]);
        let d = domain_specs(&config).expect_err("unknown name");
        assert_eq!(d.attribute, Some(AttributePath::attr(attr::DOMAIN)));
        assert!(domain_specs(&Value::object([(attr::DOMAIN, Value::Null)])).expect("null").is_empty());
        assert!(certificate_id_of(&Value::object([(attr::ID, Value::Null)])).is_err());
    }

    #[test]
    fn the_state_holds_exactly_the_four_attributes_with_every_block_field() {
        let spec = DomainSpec {
            name: "api.example.com".into(),
            instance_ids: None,
            verified_client_certificate_enabled: false,
        };
        let state = state_value("a27be832f2e9441c8127fe48e3b5ac67", Service::Apig, &[spec]);
        let expected = Value::object([
            (attr::ID, Value::string("a27be832f2e9441c8127fe48e3b5ac67")),
            (attr::CERTIFICATE_ID, Value::string("a27be832f2e9441c8127fe48e3b5ac67")),
            (attr::SERVICE, Value::string("apig")),
            (attr::DOMAIN, Value::Set(vec![block(Value::string("api.example.com"), Value::Null, Value::Bool(false))])),
        ]);
        assert_eq!(state, expected);
    }
}
