//! What the two domain-side resources share: the `instance/group/domain/certificate` ID (also
//! their import ID, optionally prefixed `apig/` or `roma/`), the ID attributes that place a domain,
//! and reading those back from state.

use crate::client::DomainRef;
use crate::client::models::Service;
use crate::engine::model::{Model, Val};
use crate::engine::{AttributeSchema, Context, ImportResult};
use crate::protocol::Diagnostic;
use crate::protocol::cty::{Type, Value};
use crate::protocol::diagnostics::excerpt;
use crate::provider::Configured;
use crate::provider::service::split_import_id;
use crate::provider::validators::{HexId, InstanceId};

pub const ID: &str = "id";
pub const INSTANCE_ID: &str = "instance_id";
pub const GROUP_ID: &str = "group_id";
pub const DOMAIN_ID: &str = "domain_id";
pub const CERTIFICATE_ID: &str = "certificate_id";

/// One certificate on one domain of an API group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCertificateId {
    pub domain: DomainRef,
    pub certificate_id: String,
}

impl DomainCertificateId {
    /// `instance/group/domain/certificate`.
    pub fn format(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.domain.instance_id, self.domain.group_id, self.domain.domain_id, self.certificate_id
        )
    }

    /// Parses `[apig/|roma/]instance/group/domain/certificate`; the error says what is expected.
    pub fn parse_import(id: &str) -> Result<(Option<Service>, DomainCertificateId), Diagnostic> {
        let (service, rest) = split_import_id(id.trim());
        let parts: Vec<&str> = rest.split('/').collect();
        let invalid = |why: String| {
            Diagnostic::error(
                "Invalid import ID",
                format!(
                    "{id} is not an import ID of this resource: {why}. Use \
                     <instance_id>/<group_id>/<domain_id>/<certificate_id>, for example \
                     5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0/7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50/\
                     d0000000000000000000000000000001/a27be832f2e9441c8127fe48e3b5ac67, optionally prefixed with \
                     roma/ (or apig/) to name the service.",
                    id = excerpt(id)
                ),
            )
        };
        let [instance, group, domain, certificate] = parts.as_slice() else {
            return Err(invalid(format!("it has {} parts separated by '/' instead of 4", parts.len())));
        };
        if !is_instance_id(instance) {
            return Err(invalid(format!("{instance} is not an instance ID", instance = excerpt(instance))));
        }
        for (what, value) in [("group ID", group), ("domain ID", domain), ("certificate ID", certificate)] {
            if !is_hex_id(value) {
                return Err(invalid(format!(
                    "{value} is not a {what} (32 lowercase hexadecimal characters)",
                    value = excerpt(value)
                )));
            }
        }
        let parsed = DomainCertificateId {
            domain: DomainRef::new(*instance, *group, *domain),
            certificate_id: certificate.to_string(),
        };
        Ok((service, parsed))
    }

    /// The IDs recorded in a plan or state.
    fn from_model(ids: &IdModel) -> Result<DomainCertificateId, Diagnostic> {
        Ok(DomainCertificateId {
            domain: ids.domain()?,
            certificate_id: required(&ids.certificate_id, CERTIFICATE_ID)?,
        })
    }

    /// The ID attributes of `self` on `service`, as a model to write over a plan or state.
    pub fn model(&self, service: Service) -> IdModel {
        IdModel {
            id: Val::Known(self.format()),
            service: Val::Known(service.as_str().to_string()),
            instance_id: Val::Known(self.domain.instance_id.clone()),
            group_id: Val::Known(self.domain.group_id.clone()),
            domain_id: Val::Known(self.domain.domain_id.clone()),
            certificate_id: Val::Known(self.certificate_id.clone()),
        }
    }

    /// Writes `id`, the four ID attributes and `service` into `state`.
    pub fn write(&self, state: &mut Value, service: Service) {
        self.model(service).write_to(state);
    }
}

crate::tf_model! {
    /// The attributes both domain resources identify their object by: a part of each one's
    /// model, read and written on its own.
    pub struct IdModel {
        pub id: String => ID,
        pub service: String => crate::provider::service::SERVICE,
        pub instance_id: String => INSTANCE_ID,
        pub group_id: String => GROUP_ID,
        pub domain_id: String => DOMAIN_ID,
        pub certificate_id: String => CERTIFICATE_ID,
    }
}

impl IdModel {
    fn domain(&self) -> Result<DomainRef, Diagnostic> {
        Ok(DomainRef::new(
            required(&self.instance_id, INSTANCE_ID)?,
            required(&self.group_id, GROUP_ID)?,
            required(&self.domain_id, DOMAIN_ID)?,
        ))
    }
}

/// The domain an object (plan or state) names.
pub fn domain_from_state(state: &Value) -> Result<DomainRef, Diagnostic> {
    IdModel::from_value(state)?.domain()
}

fn required(value: &Val<String>, name: &str) -> Result<String, Diagnostic> {
    value.as_deref().filter(|s| !s.is_empty()).map(str::to_string).ok_or_else(|| {
        Diagnostic::error(
            "Incomplete state",
            format!(
                "The state lacks `{name}`. Remove the resource with `terraform state rm` and import it again with \
                 its instance/group/domain/certificate ID."
            ),
        )
    })
}

fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_instance_id(s: &str) -> bool {
    if is_hex_id(s) {
        return true;
    }
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// The computed `id` attribute.
pub fn id_attribute() -> AttributeSchema {
    AttributeSchema::string(ID)
        .computed()
        .use_state_for_unknown()
        .description("`<instance_id>/<group_id>/<domain_id>/<certificate_id>`; also the import ID (prefix `roma/` for ROMA Connect).")
}

/// `instance_id`, `group_id` and `domain_id`: required, checked, and a change replaces the object.
pub fn domain_attributes() -> [AttributeSchema; 3] {
    [
        AttributeSchema::string(INSTANCE_ID).required().requires_replace().validator(InstanceId).description(
            "ID of the gateway (APIG dedicated instance or ROMA Connect instance). Changing it replaces the object.",
        ),
        AttributeSchema::string(GROUP_ID)
            .required()
            .requires_replace()
            .validator(HexId::new("API group ID"))
            .description("ID of the API group that owns the domain. Changing it replaces the object."),
        AttributeSchema::string(DOMAIN_ID)
            .required()
            .requires_replace()
            .validator(HexId::new("domain ID"))
            .description(
                "ID of the independent domain name on the API group (not the name itself). The certificate must \
                 cover this domain (common name or SAN). Changing it replaces the object.",
            ),
    ]
}

/// The configured provider, the service and the parsed ID of a domain-certificate object.
pub fn configured_parts<'a>(
    ctx: &'a Context,
    state: &Value,
) -> Result<(&'a Configured, Service, DomainCertificateId), Diagnostic> {
    let ids = IdModel::from_value(state)?;
    let (configured, service) = crate::provider::service::configured_service(ctx, &ids.service)?;
    Ok((configured, service, DomainCertificateId::from_model(&ids)?))
}

/// The service of an import: the one the ID names, else the provider's default.
pub fn import_service(ctx: &Context, named: Option<Service>) -> Result<Service, Diagnostic> {
    match named {
        Some(s) => Ok(s),
        None => ctx.provider::<Configured>().map(|c| c.service),
    }
}

/// Import of either domain resource: parse `[roma/]instance/group/domain/certificate`, resolve the
/// service, and return a state of type `state_type` holding only the IDs (read fills the rest).
pub fn import_state(ctx: &Context, id: &str, state_type: &Type) -> ImportResult {
    let fail = |d: Diagnostic| ImportResult { diagnostics: d.into(), ..Default::default() };
    let (named, parsed) = match DomainCertificateId::parse_import(id) {
        Ok(p) => p,
        Err(d) => return fail(d),
    };
    let service = match import_service(ctx, named) {
        Ok(s) => s,
        Err(d) => return fail(d),
    };
    let mut state = Value::null_object_of(state_type);
    parsed.write(&mut state, service);
    ImportResult { state: Some(state), ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: &str = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
    const G: &str = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50";
    const D: &str = "d0000000000000000000000000000001";
    const C: &str = "a27be832f2e9441c8127fe48e3b5ac67";

    #[test]
    fn import_ids_parse_with_and_without_a_service() {
        let id = format!("{I}/{G}/{D}/{C}");
        let (service, parsed) = DomainCertificateId::parse_import(&id).expect("valid");
        assert_eq!(service, None);
        assert_eq!(parsed.domain, DomainRef::new(I, G, D));
        assert_eq!(parsed.certificate_id, C);
        assert_eq!(parsed.format(), id);

        let (service, parsed) = DomainCertificateId::parse_import(&format!("roma/{id}")).expect("valid");
        assert_eq!(service, Some(Service::Roma));
        assert_eq!(parsed.format(), id);
        let (service, _) = DomainCertificateId::parse_import(&format!(" apig/{id} ")).expect("valid");
        assert_eq!(service, Some(Service::Apig));

        let uuid = "f0fa1789-3b76-433b-a787-9892951c620e";
        let (_, parsed) = DomainCertificateId::parse_import(&format!("{uuid}/{G}/{D}/{C}")).expect("uuid instance");
        assert_eq!(parsed.domain.instance_id, uuid);
    }

    #[test]
    fn malformed_import_ids_say_what_is_wrong() {
        let cases = [
            (format!("{I}/{G}/{D}"), "3 parts"),
            (format!("{I}/{G}/{D}/{C}/x"), "5 parts"),
            (format!("xx/{G}/{D}/{C}"), "not an instance ID"),
            (format!("{I}/{}/{D}/{C}", G.to_uppercase()), "not a group ID"),
            (format!("{I}/{G}/short/{C}"), "not a domain ID"),
            (format!("{I}/{G}/{D}/"), "not a certificate ID"),
            (format!("other/{I}/{G}/{D}/{C}"), "5 parts"),
        ];
        for (id, why) in cases {
            let err = DomainCertificateId::parse_import(&id).expect_err(&id);
            assert_eq!(err.summary, "Invalid import ID");
            assert!(err.detail.contains(why), "{id}: {}", err.detail);
            assert!(err.detail.contains("<instance_id>/<group_id>/<domain_id>/<certificate_id>"));
        }
    }

    #[test]
    fn state_round_trip_and_missing_ids() {
        let ty = crate::protocol::cty::Type::object([
            (ID, crate::protocol::cty::Type::String),
            (INSTANCE_ID, crate::protocol::cty::Type::String),
            (GROUP_ID, crate::protocol::cty::Type::String),
            (DOMAIN_ID, crate::protocol::cty::Type::String),
            (CERTIFICATE_ID, crate::protocol::cty::Type::String),
            (crate::provider::service::SERVICE, crate::protocol::cty::Type::String),
        ]);
        let mut state = Value::null_object_of(&ty);
        let id = DomainCertificateId { domain: DomainRef::new(I, G, D), certificate_id: C.into() };
        id.write(&mut state, Service::Roma);
        assert_eq!(state.get_str(ID), Some(format!("{I}/{G}/{D}/{C}").as_str()));
        assert_eq!(state.get_str(crate::provider::service::SERVICE), Some("roma"));
        let from_state = |state: &Value| DomainCertificateId::from_model(&IdModel::from_value(state).expect("ids"));
        assert_eq!(from_state(&state).expect("complete"), id);

        state.set(DOMAIN_ID, Value::Null);
        let err = from_state(&state).expect_err("incomplete");
        assert!(err.detail.contains("`domain_id`"), "{}", err.detail);
    }
}
