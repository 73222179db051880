//! Between Terraform values and [`DomainSpec`]s: reading `domain` blocks, building the state.

use std::collections::BTreeSet;

use crate::client::models::Service;
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic};

use super::bindings::DomainSpec;
use super::schema::attr;

/// The `domain` blocks of a wholly known configuration (or state). A null flag is `false`.
pub fn domain_specs(v: &Value) -> Result<Vec<DomainSpec>, Diagnostic> {
    let unknown = || {
        Diagnostic::error(
            "Domain blocks not known",
            "The `domain` blocks still hold values that are known only after apply, so the bindings cannot be \
             computed. This is a bug in the provider: please report it.",
        )
        .with_attribute(AttributePath::attr(attr::DOMAIN))
    };
    let Some(blocks) = v.get(attr::DOMAIN) else { return Ok(Vec::new()) };
    if blocks.is_null() {
        return Ok(Vec::new());
    }
    let elements = blocks.as_elements().ok_or_else(unknown)?;
    elements
        .iter()
        .map(|block| {
            let name = block.get_str(attr::NAME).ok_or_else(unknown)?;
            let instance_ids = match block.get(attr::INSTANCE_IDS) {
                None | Some(Value::Null) => None,
                Some(ids) => Some(
                    ids.as_elements()
                        .ok_or_else(unknown)?
                        .iter()
                        .map(|id| id.as_str().map(str::to_string).ok_or_else(unknown))
                        .collect::<Result<BTreeSet<_>, _>>()?,
                ),
            };
            let verified = match block.get(attr::VERIFIED) {
                None | Some(Value::Null) => false,
                Some(flag) => flag.as_bool().ok_or_else(unknown)?,
            };
            Ok(DomainSpec { name: name.to_string(), instance_ids, verified_client_certificate_enabled: verified })
        })
        .collect()
}

fn domain_block(spec: &DomainSpec) -> Value {
    Value::object([
        (attr::NAME, Value::string(&spec.name)),
        (
            attr::INSTANCE_IDS,
            match &spec.instance_ids {
                Some(ids) => Value::Set(ids.iter().map(Value::string).collect()),
                None => Value::Null,
            },
        ),
        (attr::VERIFIED, Value::Bool(spec.verified_client_certificate_enabled)),
    ])
}

/// The resource's state for `specs` bound to `certificate_id` on `service`.
pub fn state_value(certificate_id: &str, service: Service, specs: &[DomainSpec]) -> Value {
    Value::object([
        (attr::ID, Value::string(certificate_id)),
        (attr::CERTIFICATE_ID, Value::string(certificate_id)),
        (attr::SERVICE, Value::string(service.as_str())),
        (attr::DOMAIN, Value::Set(specs.iter().map(domain_block).collect())),
    ])
}

/// The certificate ID an existing object's state names.
pub fn certificate_id_of(state: &Value) -> Result<&str, Diagnostic> {
    state.get_str(attr::CERTIFICATE_ID).or_else(|| state.get_str(attr::ID)).ok_or_else(|| {
        Diagnostic::error(
            "Certificate ID missing from state",
            "The state holds no certificate ID. Remove the resource with `terraform state rm` and import it again \
             by its certificate ID.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW1: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";

    fn block(name: Value, ids: Value, flag: Value) -> Value {
        Value::object([(attr::NAME, name), (attr::INSTANCE_IDS, ids), (attr::VERIFIED, flag)])
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
        assert_eq!(certificate_id_of(&state).ok(), Some("a27be832f2e9441c8127fe48e3b5ac67"));
    }

    #[test]
    fn unknowns_are_reported_not_guessed() {
        let config = Value::object([(attr::DOMAIN, Value::Set(vec![block(Value::Unknown, Value::Null, Value::Null)]))]);
        let d = domain_specs(&config).expect_err("unknown name");
        assert_eq!(d.attribute, Some(AttributePath::attr(attr::DOMAIN)));
        assert!(domain_specs(&Value::object([(attr::DOMAIN, Value::Null)])).expect("null").is_empty());
        assert!(certificate_id_of(&Value::object([(attr::ID, Value::Null)])).is_err());
    }
}
