//! Resource identity (Terraform ≥ 1.12), shared by the four resources: the certificate resources
//! are named by `certificate_id`, the domain resources by `instance_id`, `group_id`, `domain_id`
//! and `certificate_id`; every identity also holds `service` and `project_id`, optional for
//! import (they default to the provider's). An identity imports through the resource's import ID,
//! so `import { identity = … }` and `import { id = … }` import exactly the same.

use crate::engine::Context;
use crate::engine::identity::{ResourceIdentity, string_attribute};
use crate::engine::model::{Model, Val};
use crate::protocol::Diagnostic;
use crate::protocol::cty::Value;
use crate::protocol::diagnostics::excerpt;
use crate::protocol::schema::{IdentityAttribute, IdentitySchema};
use crate::provider::Configured;
use crate::provider::service::SERVICE;

use super::domain_id::{CERTIFICATE_ID, DOMAIN_ID, GROUP_ID, ID, INSTANCE_ID, IdModel};

pub const PROJECT_ID: &str = "project_id";

crate::tf_model! {
    /// The identity of `apig_certificate` and `apig_certificate_domains`.
    pub struct CertificateIdentity {
        pub certificate_id: String => CERTIFICATE_ID,
        pub service: String => SERVICE,
        pub project_id: String => PROJECT_ID,
    }
}

crate::tf_model! {
    /// The identity of `apig_domain_certificate` and `apig_domain_certificate_attachment`.
    pub struct DomainCertificateIdentity {
        pub instance_id: String => INSTANCE_ID,
        pub group_id: String => GROUP_ID,
        pub domain_id: String => DOMAIN_ID,
        pub certificate_id: String => CERTIFICATE_ID,
        pub service: String => SERVICE,
        pub project_id: String => PROJECT_ID,
    }
}

crate::tf_model! {
    /// Where `apig_certificate` keeps its certificate's ID and service.
    struct CertificateState {
        id: String => ID,
        service: String => SERVICE,
    }
}

/// Which attribute of the resource's object holds the certificate's ID.
#[derive(Debug, Clone, Copy)]
pub enum CertificateIdIn {
    /// `id` (`apig_certificate`).
    Id,
    /// `certificate_id` (`apig_certificate_domains`).
    CertificateId,
}

/// The identity of the resources named by one certificate.
pub struct ByCertificate(pub CertificateIdIn);

/// The identity of the resources named by a certificate on a domain.
pub struct ByDomainCertificate;

fn common_attributes() -> [IdentityAttribute; 2] {
    [
        string_attribute(
            SERVICE,
            false,
            "The service holding the object: `apig` or `roma`. Optional for import: the provider's `service` by \
             default.",
        ),
        string_attribute(
            PROJECT_ID,
            false,
            "The project holding the object. Optional for import: the provider's `project_id` by default; another \
             project needs a provider configured for it.",
        ),
    ]
}

/// The provider's project: what every identity it computes names.
fn provider_project(ctx: &Context) -> Result<String, Diagnostic> {
    Ok(ctx.provider::<Configured>()?.config.client.project_id.clone())
}

/// The import ID's service prefix (`roma/`, `apig/`; empty for the provider's), after checking
/// that the identity names the provider's project.
fn import_prefix(ctx: &Context, service: &Val<String>, project_id: &Val<String>) -> Result<String, Diagnostic> {
    if let Some(project) = project_id.as_deref() {
        let configured = provider_project(ctx)?;
        if project != configured {
            return Err(Diagnostic::error(
                "Identity names another project",
                format!(
                    "The import identity names project {project}, but this provider is configured for project \
                     {configured}. Import it with a provider configured for that project (`provider = apig.<alias>` \
                     in the import block), or leave `project_id` out of the identity.",
                    project = excerpt(project)
                ),
            ));
        }
    }
    Ok(service.as_deref().map(|s| format!("{s}/")).unwrap_or_default())
}

impl ResourceIdentity for ByCertificate {
    fn schema(&self) -> IdentitySchema {
        let mut attributes =
            vec![string_attribute(CERTIFICATE_ID, true, "The certificate's ID (32 hexadecimal characters).")];
        attributes.extend(common_attributes());
        IdentitySchema { version: 0, attributes }
    }

    fn of_object(&self, ctx: &Context, object: &Value) -> Result<Value, Diagnostic> {
        let (certificate_id, service) = match self.0 {
            CertificateIdIn::Id => {
                let s = CertificateState::from_value(object)?;
                (s.id, s.service)
            }
            CertificateIdIn::CertificateId => {
                let s = CertificateIdentity::from_value(object)?;
                (s.certificate_id, s.service)
            }
        };
        let identity = CertificateIdentity { certificate_id, service, project_id: Val::Known(provider_project(ctx)?) };
        Ok(identity.to_value_over(&Value::null_object_of(&CertificateIdentity::object_type())))
    }

    fn import_id(&self, ctx: &Context, identity: &Value) -> Result<String, Diagnostic> {
        let identity = CertificateIdentity::from_value(identity)?;
        let prefix = import_prefix(ctx, &identity.service, &identity.project_id)?;
        Ok(format!("{prefix}{}", identity.certificate_id.as_deref().unwrap_or_default()))
    }
}

impl ResourceIdentity for ByDomainCertificate {
    fn schema(&self) -> IdentitySchema {
        let mut attributes = vec![
            string_attribute(INSTANCE_ID, true, "The gateway (instance) ID."),
            string_attribute(GROUP_ID, true, "The API group's ID."),
            string_attribute(DOMAIN_ID, true, "The domain's ID in the group."),
            string_attribute(CERTIFICATE_ID, true, "The certificate's ID."),
        ];
        attributes.extend(common_attributes());
        IdentitySchema { version: 0, attributes }
    }

    fn of_object(&self, ctx: &Context, object: &Value) -> Result<Value, Diagnostic> {
        let ids = IdModel::from_value(object)?;
        let identity = DomainCertificateIdentity {
            instance_id: ids.instance_id,
            group_id: ids.group_id,
            domain_id: ids.domain_id,
            certificate_id: ids.certificate_id,
            service: ids.service,
            project_id: Val::Known(provider_project(ctx)?),
        };
        Ok(identity.to_value_over(&Value::null_object_of(&DomainCertificateIdentity::object_type())))
    }

    fn import_id(&self, ctx: &Context, identity: &Value) -> Result<String, Diagnostic> {
        let i = DomainCertificateIdentity::from_value(identity)?;
        let prefix = import_prefix(ctx, &i.service, &i.project_id)?;
        let part = |v: &Val<String>| v.as_deref().unwrap_or_default().to_string();
        Ok(format!(
            "{prefix}{}/{}/{}/{}",
            part(&i.instance_id),
            part(&i.group_id),
            part(&i.domain_id),
            part(&i.certificate_id)
        ))
    }
}

#[cfg(test)]
mod tests;
