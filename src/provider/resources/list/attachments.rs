//! `list "apig_domain_certificate_attachment"`: every certificate bound to a domain of one API
//! group, one object per binding, read from the group's details (one call) the way the resource
//! reads one binding. Bindings made by `apig_domain_certificate` are listed too: the attachment
//! resource can adopt them, and the query shows what the group serves.

use crate::client::DomainRef;
use crate::client::models::{GroupDetail, Service};
use crate::engine::list::{ListRequest, ListResource, ListSink, Listed};
use crate::engine::model::Model;
use crate::engine::validators::one_of;
use crate::engine::{AttributeSchema, BlockSchema, Context, ResourceSchema};
use crate::protocol::cty::Value;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::resources::domain_certificate_attachment::{self, AttachmentModel};
use crate::provider::resources::domain_id::{DomainCertificateId, GROUP_ID, INSTANCE_ID};
use crate::provider::service;
use crate::provider::validators::{HexId, InstanceId};

crate::tf_model! {
    /// The `config { }` block of `list "apig_domain_certificate_attachment"`.
    pub struct AttachmentListConfig {
        pub service: String => service::SERVICE,
        pub instance_id: String => INSTANCE_ID,
        pub group_id: String => GROUP_ID,
    }
}

#[derive(Debug, Default)]
pub struct AttachmentList;

fn schema() -> ResourceSchema {
    ResourceSchema::new(
        BlockSchema::new(
            "Lists the certificates bound to the domains of one API group, one object per binding, for `terraform \
             query` and `-generate-config-out`.",
        )
        .attribute(
            AttributeSchema::string(service::SERVICE)
                .optional()
                .validator(one_of(&["apig", "roma"]))
                .description("Which service to list: `apig` or `roma`. Defaults to the provider's `service`."),
        )
        .attribute(
            AttributeSchema::string(INSTANCE_ID)
                .required()
                .validator(InstanceId)
                .description("ID of the gateway (instance) holding the API group."),
        )
        .attribute(
            AttributeSchema::string(GROUP_ID)
                .required()
                .validator(HexId::new("API group ID"))
                .description("ID of the API group whose domains' bindings are listed."),
        ),
    )
}

/// One binding of the group: the domain, its name, the certificate's ID and name.
struct Binding<'a> {
    domain_id: &'a str,
    domain: &'a str,
    certificate_id: &'a str,
    certificate_name: &'a str,
    verified: bool,
}

/// Every binding in the group's details, in the API's order (ROMA on the public cloud sites
/// omits `ssl_infos`: then the one certificate is in `ssl_id`).
fn bindings(group: &GroupDetail) -> Vec<Binding<'_>> {
    let mut out = Vec::new();
    for d in &group.url_domains {
        let binding = |certificate_id, certificate_name| Binding {
            domain_id: &d.id,
            domain: &d.domain,
            certificate_id,
            certificate_name,
            verified: d.verified_client_certificate_enabled,
        };
        match &d.ssl_infos {
            Some(infos) => out.extend(infos.iter().map(|i| binding(&i.ssl_id, &i.ssl_name))),
            None if !d.ssl_id.is_empty() => out.push(binding(&d.ssl_id, &d.ssl_name)),
            None => {}
        }
    }
    out
}

/// The binding's object, exactly as the resource's read records it.
fn object(b: &Binding<'_>, domain: DomainRef, service: Service, base: &Value) -> Value {
    let id = DomainCertificateId { domain, certificate_id: b.certificate_id.to_string() };
    AttachmentModel::state_over(base, &id, service, b.verified)
}

#[async_trait::async_trait]
impl ListResource for AttachmentList {
    fn type_name(&self) -> &'static str {
        domain_certificate_attachment::TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        schema()
    }

    async fn list(&self, ctx: &Context, req: ListRequest, out: &mut ListSink<'_>) -> Result<(), Diagnostics> {
        let config = AttachmentListConfig::from_value(&req.config).map_err(Diagnostic::from)?;
        let (configured, service) = service::configured_service(ctx, &config.service)?;
        let (instance_id, group_id) =
            (config.instance_id.as_deref().unwrap_or_default(), config.group_id.as_deref().unwrap_or_default());
        let group = configured
            .client
            .get_group(service, instance_id, group_id, &call_context(ctx))
            .await
            .map_err(|e| api_error("Cannot read the API group's domains", &e))?;
        let base = Value::null_object_of(&domain_certificate_attachment::schema().block_type());
        for b in bindings(&group) {
            let name = if b.certificate_name.is_empty() { b.certificate_id } else { b.certificate_name };
            let listed = Listed {
                object: object(&b, DomainRef::new(instance_id, group_id, b.domain_id), service, &base),
                display_name: format!("{}: {name}", b.domain),
            };
            if !out.send(listed).await {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{SslInfo, UrlDomain};
    use crate::engine::model::check_against;

    #[test]
    fn the_config_model_has_exactly_the_schema_attributes() {
        assert_eq!(check_against::<AttachmentListConfig>(&schema().block, &[]), Vec::<String>::new());
    }

    fn domain(id: &str, name: &str, ssl_id: &str, infos: Option<Vec<SslInfo>>) -> UrlDomain {
        UrlDomain {
            id: id.into(),
            domain: name.into(),
            ssl_id: ssl_id.into(),
            ssl_name: "roma_cert".into(),
            ssl_infos: infos,
            ..Default::default()
        }
    }

    #[test]
    fn every_binding_of_every_domain_is_one_object_and_unbound_domains_none() {
        let info = |id: &str, name: &str| SslInfo {
            ssl_id: id.into(),
            ssl_name: name.into(),
            algorithm_type: "RSA".into(),
            cert_type: None,
            is_has_trusted_root_ca: false,
        };
        let group = GroupDetail {
            url_domains: vec![
                domain("d1", "api.example.com", "", Some(vec![info("c1", "rsa"), info("c2", "ecc")])),
                domain("d2", "www.example.com", "", Some(Vec::new())),
                domain("d3", "shop.example.org", "c3", None),
                domain("d4", "idle.example.org", "", None),
            ],
            ..Default::default()
        };
        let found: Vec<(&str, &str, &str)> =
            bindings(&group).iter().map(|b| (b.domain, b.certificate_id, b.certificate_name)).collect();
        assert_eq!(
            found,
            [
                ("api.example.com", "c1", "rsa"),
                ("api.example.com", "c2", "ecc"),
                ("shop.example.org", "c3", "roma_cert")
            ]
        );
    }
}
