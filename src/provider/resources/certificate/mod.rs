//! `apig_certificate`: an SSL certificate on APIG or ROMA Connect (apig-api.md §3.1–§3.5, §4).
//! Create = POST, read = GET, update = one PUT with every field (or no call at all when the plan
//! only records values the API already holds), delete = DELETE. Import by `[roma/]<id>`.

mod model;
mod plan;
mod schema;
mod state;
mod validate;

#[cfg(test)]
mod test_support;

use crate::protocol::diagnostics::excerpt;
use time::OffsetDateTime;

use crate::client::ApiError;
use crate::client::models::{AttachedDomain, Service};
use crate::engine::model::{Model, Val};
use crate::engine::{
    Applied, ApplyFailure, ApplyOutcome, Context, CreateRequest, DeleteRequest, Found, ImportResult, PlanContext,
    ReadOutcome, ReadRequest, Resource, ResourceSchema, UpdateRequest, Validated,
};
use crate::protocol::cty::Value;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::resources::upload;
use crate::provider::{Configured, read_after_write, service};

pub use model::CertificateModel;
pub use plan::{UpdateAction, update_action};
pub use schema::{GLOBAL_INSTANCE_ID, attr, certificate_schema};
pub use state::{non_empty, refresh, strings};

pub const TYPE_NAME: &str = "apig_certificate";

#[derive(Debug, Default)]
pub struct CertificateResource;

/// The planned (or prior) and configured models of an apply.
fn read_models(planned: &Value, config: &Value) -> Result<(CertificateModel, CertificateModel), Diagnostic> {
    Ok((CertificateModel::read(planned)?, CertificateModel::read(config)?))
}

fn certificate_id(m: &CertificateModel) -> Result<&str, Diagnostic> {
    m.id.as_deref().ok_or_else(|| {
        Diagnostic::error(
            "Certificate ID missing from state",
            "The state holds no certificate ID. Remove the resource with `terraform state rm` and import it again.",
        )
    })
}

/// 32 lowercase hexadecimal characters, the API's certificate ID format.
fn is_certificate_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[async_trait::async_trait]
impl Resource for CertificateResource {
    fn identity(&self) -> Option<&dyn crate::engine::identity::ResourceIdentity> {
        use crate::provider::resources::identity::*;
        Some(&ByCertificate(CertificateIdIn::Id))
    }

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        certificate_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) -> Validated {
        validate::validate_certificate(config, OffsetDateTime::now_utc(), diags)
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut PlanContext) {
        service::plan_service(ctx, plan);
        plan::plan_certificate(plan);
    }

    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome {
        let (planned, config) = read_models(&req.planned, &req.config)?;
        let (configured, service) = service::configured_service(ctx, &planned.service)?;
        let form = state::certificate_form(&planned, &config)?;
        let fingerprint =
            upload::configured_leaf(&form.cert_content, &req.validated).map(|l| upload::look_up_fingerprint(&l));
        let detail = configured
            .client
            .create_certificate_identified(service, &form, fingerprint.as_ref(), &call_context(ctx))
            .await
            .map_err(|e| api_error("Cannot create the certificate", &e))?;
        tracing::info!(id = %detail.id, service = service.as_str(), "certificate created");
        let mut new = planned;
        new.service = Val::Known(service.as_str().to_string());
        new.apply_detail(&detail);
        new.settle_unknowns();
        let mut private = state::private_from(&detail);
        read_after_write::mark_written(&mut private);
        Ok(Applied::new(new.to_value_over(&req.planned), private))
    }

    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome {
        let current = CertificateModel::read(&req.state).map_err(Diagnostic::from)?;
        let (configured, service) = service::configured_service(ctx, &current.service)?;
        let id = certificate_id(&current)?;
        let settle = read_after_write::settle_left(&req.private, configured.client.config().retry.settle);
        match configured.client.get_certificate_settled(service, id, settle, &call_context(ctx)).await {
            Ok(detail) => {
                let mut new = state::refresh(&current, &detail);
                new.service = Val::Known(service.as_str().to_string());
                Ok(Some(Found { state: new.to_value_over(&req.state), private: state::private_from(&detail) }))
            }
            Err(e) if e.is_not_found() => {
                tracing::info!(id, service = service.as_str(), "certificate no longer exists; removing it from state");
                Ok(None)
            }
            Err(e) => Err(api_error("Cannot read the certificate", &e).into()),
        }
    }

    async fn update(&self, ctx: &Context, req: UpdateRequest) -> ApplyOutcome {
        let (planned, config) = read_models(&req.planned, &req.config)?;
        let prior = CertificateModel::read(&req.prior)?;
        if update_action(&prior, &planned, &req.private, &req.validated) == UpdateAction::RecordOnly {
            tracing::info!("the API already holds the configured certificate; recording it in state without a call");
            return Ok(Applied::new(req.planned, req.private));
        }
        let (configured, service) = service::configured_service(ctx, &prior.service)?;
        let id = certificate_id(&prior)?.to_string();
        let form = state::certificate_form(&planned, &config)?;
        match configured.client.update_certificate(service, &id, &form, &call_context(ctx)).await {
            Ok(detail) => {
                tracing::info!(id = %id, service = service.as_str(), "certificate updated");
                let mut new = planned;
                new.apply_detail(&detail);
                new.settle_unknowns();
                Ok(Applied::new(new.to_value_over(&req.planned), state::private_from(&detail)))
            }
            // Nothing changed remotely: the object stays as it was.
            Err(e) => {
                Err(ApplyFailure::partial(api_error("Cannot update the certificate", &e), req.prior, req.private))
            }
        }
    }

    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics> {
        let prior = CertificateModel::read(&req.prior).map_err(Diagnostic::from)?;
        let (configured, service) = service::configured_service(ctx, &prior.service)?;
        let id = certificate_id(&prior)?;
        let call = call_context(ctx);
        match configured.client.delete_certificate(service, id, &call).await {
            Ok(()) => {
                tracing::info!(id, service = service.as_str(), "certificate deleted");
                Ok(())
            }
            Err(e) => Err(delete_refused(configured, service, id, &e, &call).await.into()),
        }
    }

    async fn import(&self, ctx: &Context, id: &str) -> ImportResult {
        let (named, certificate) = service::split_import_id(id.trim());
        if !is_certificate_id(certificate) {
            return ImportResult {
                diagnostics: Diagnostic::error(
                    "Invalid import ID",
                    format!(
                        "{id} is not a certificate import ID. Use the certificate ID (32 lowercase hexadecimal \
                         characters, e.g. a27be832f2e9441c8127fe48e3b5ac67) for the provider's service, or \
                         roma/<certificate_id> (apig/<certificate_id>) to name the service.",
                        id = excerpt(id)
                    ),
                )
                .into(),
                ..Default::default()
            };
        }
        let service = match named {
            Some(s) => s,
            None => match ctx.provider::<Configured>() {
                Ok(c) => c.service,
                Err(d) => return ImportResult { diagnostics: d.into(), ..Default::default() },
            },
        };
        let imported = CertificateModel {
            id: Val::Known(certificate.to_string()),
            service: Val::Known(service.as_str().to_string()),
            ..Default::default()
        };
        let state = imported.to_value_over(&Value::null_object_of(&self.schema().block_type()));
        ImportResult { state: Some(state), ..Default::default() }
    }
}

/// The diagnostic for a refused delete: when domains still hold the certificate, it names them and
/// says how to free it; otherwise it is the API's error.
async fn delete_refused(
    configured: &Configured,
    service: Service,
    id: &str,
    error: &ApiError,
    call: &crate::client::CallContext,
) -> Diagnostic {
    if matches!(error.status(), Some(400 | 409)) {
        match configured.client.list_all_attached_domains(service, id, None, call).await {
            Ok(domains) if !domains.is_empty() => return still_bound(id, &domains),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot list the domains bound to the certificate"),
        }
    }
    api_error("Cannot delete the certificate", error)
}

pub(crate) fn still_bound(id: &str, domains: &[AttachedDomain]) -> Diagnostic {
    let mut lines: Vec<String> = domains
        .iter()
        .map(|d| {
            let group = if d.api_group_name.is_empty() { d.api_group_id.as_str() } else { d.api_group_name.as_str() };
            format!("{} (API group {group}, instance {})", d.url_domain, d.instance_id)
        })
        .collect();
    lines.sort();
    lines.dedup();
    Diagnostic::error(
        "Certificate is still bound to domains",
        format!(
            "The certificate {id} cannot be deleted while domains use it. Bound domains: {}. Unbind them first: \
             remove the certificate from the apig_certificate_domains or apig_domain_certificate_attachment \
             resources that bind it (or unbind it in the console), apply, then delete the certificate again.",
            lines.join("; ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::client::{ClientConfig, Credentials};
    use crate::provider::config::ProviderConfig;

    fn ctx(service: Option<Service>) -> Context {
        let provider_data = service.map(|service| {
            let client =
                ClientConfig::new("cn-north-4", "0123456789abcdef0123456789abcdef", Credentials::Token("t".into()))
                    .with_max_retries(0);
            let config = ProviderConfig { service, client };
            Arc::new(Configured::new(config).expect("client")) as crate::engine::ProviderData
        });
        Context { scope: Default::default(), provider_data }
    }

    const ID: &str = "a27be832f2e9441c8127fe48e3b5ac67";

    #[tokio::test]
    async fn import_takes_an_id_optionally_prefixed_by_the_service() {
        let r = CertificateResource;
        let imported = r.import(&ctx(None), &format!("roma/{ID}")).await;
        let st = imported.state.expect("state");
        assert_eq!((st.get_str(attr::ID), st.get_str(service::SERVICE)), (Some(ID), Some("roma")));
        assert!(st.get(attr::CONTENT).is_some_and(Value::is_null));

        let st = r.import(&ctx(Some(Service::Roma)), ID).await.state.expect("state");
        assert_eq!(st.get_str(service::SERVICE), Some("roma"), "the provider's default service");
        let st = r.import(&ctx(Some(Service::Roma)), &format!("apig/{ID}")).await.state.expect("state");
        assert_eq!(st.get_str(service::SERVICE), Some("apig"));

        for bad in ["", "abc", "ROMA/a27be832f2e9441c8127fe48e3b5ac67", "A27BE832F2E9441C8127FE48E3B5AC67", "x/y"] {
            let result = r.import(&ctx(Some(Service::Apig)), bad).await;
            assert!(result.state.is_none(), "{bad:?}");
            let summaries: Vec<&str> = result.diagnostics.iter().map(|d| d.summary.as_str()).collect();
            assert_eq!(summaries, ["Invalid import ID"], "{bad:?}");
        }
    }

    #[test]
    fn a_refused_delete_names_the_domains_that_hold_the_certificate() {
        let domain = |name: &str, instance: &str| AttachedDomain {
            url_domain: name.into(),
            id: "d0000000000000000000000000000001".into(),
            api_group_id: "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50".into(),
            api_group_name: "demo_group".into(),
            instance_id: instance.into(),
            ..Default::default()
        };
        let i = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0";
        // The API lists a domain once per inbound port: each is named once.
        let d = still_bound(
            ID,
            &[domain("www.example.com", i), domain("api.example.com", i), domain("www.example.com", i)],
        );
        assert_eq!(d.summary, "Certificate is still bound to domains");
        assert!(d.detail.contains(&format!(
            "api.example.com (API group demo_group, instance {i}); www.example.com (API group demo_group, instance {i})."
        )), "{}", d.detail);
        assert_eq!(d.detail.matches("www.example.com").count(), 1, "{}", d.detail);
        assert!(d.detail.contains("apig_certificate_domains"), "{}", d.detail);
    }

    #[test]
    fn every_attribute_is_described_and_the_keys_are_protected() {
        let schema = certificate_schema();
        for a in &schema.block.attributes {
            assert!(!a.description.is_empty(), "{} has no description", a.name);
        }
        let get = |n: &str| schema.block.attributes.iter().find(|a| a.name == n).expect(n).clone();
        assert!(get(attr::PRIVATE_KEY).sensitive);
        let wo = get(attr::PRIVATE_KEY_WO);
        assert!(wo.sensitive && wo.write_only && wo.optional && !wo.computed);
        for n in [attr::SERVICE, attr::TYPE, attr::INSTANCE_ID] {
            assert!(get(n).plan_modifiers.contains(&crate::engine::PlanModifier::RequiresReplace), "{n}");
        }
        assert!(schema.timeouts.is_some_and(|t| t.create.is_some() && t.delete.is_some()));
    }
}
