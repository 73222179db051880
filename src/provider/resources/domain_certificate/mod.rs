//! `apig_domain_certificate`: creates a certificate directly on a domain of an API group (seed
//! "Adding a Certificate to a Domain Name"; apig-api.md §3.9–§3.11, §4). The API has no update:
//! every change replaces the object. Destroy unbinds the certificate, then deletes the certificate
//! object the create made, so nothing is left behind.
//!
//! Import: the API never returns the PEM, the key or the CA, so an imported object has them null
//! in state. The first plan after an import does not replace the object when the configured
//! certificate is the one the API holds (same serial number and issuer): it plans an in-place
//! update that only records the configured values in state, and that apply makes no API call.
//! A different certificate replaces the object as any other change does. The same rule applies when
//! a refresh finds that the certificate on the domain changed (its serial or issuer differ): the
//! content is then dropped from state and the configured certificate decides.

mod model;
mod rules;
mod schema;
#[cfg(test)]
mod tests;

use time::OffsetDateTime;

use crate::client::models::Service;
use crate::engine::model::Model;
use crate::engine::{
    Applied, ApplyFailure, ApplyOutcome, Context, CreateRequest, DeleteRequest, Found, ImportResult, PlanContext,
    Private, ReadOutcome, ReadRequest, Resource, ResourceSchema, UpdateRequest, Validated,
};
use crate::protocol::cty::Value;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::read_after_write;
use crate::provider::service;

use super::domain_id::{self, DomainCertificateId};
use super::upload;

pub use model::DomainCertificateModel;
pub use schema::attr;

pub const TYPE_NAME: &str = "apig_domain_certificate";

#[derive(Debug, Default)]
pub struct DomainCertificateResource;

impl DomainCertificateModel {
    /// The identity of the object: its four IDs, the composite `id`, and the service.
    fn set_identity(&mut self, id: &DomainCertificateId, service: Service) {
        let ids = id.model(service);
        (self.id, self.service, self.instance_id) = (ids.id, ids.service, ids.instance_id);
        (self.group_id, self.domain_id, self.certificate_id) = (ids.group_id, ids.domain_id, ids.certificate_id);
    }
}

#[async_trait::async_trait]
impl Resource for DomainCertificateResource {
    fn identity(&self) -> Option<&dyn crate::engine::identity::ResourceIdentity> {
        use crate::provider::resources::identity::*;
        Some(&ByDomainCertificate)
    }

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) -> Validated {
        match DomainCertificateModel::read(config) {
            Ok(config) => rules::validate_upload(&config, OffsetDateTime::now_utc(), diags),
            Err(e) => {
                diags.push(e.into());
                Validated::none()
            }
        }
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut PlanContext) {
        service::plan_service(ctx, plan);
        let models = DomainCertificateModel::read(&plan.planned).and_then(|planned| {
            let config = DomainCertificateModel::read(&plan.config)?;
            let prior = plan.prior.as_ref().map(DomainCertificateModel::read).transpose()?;
            Ok((planned, config, prior))
        });
        let (planned, config, prior) = match models {
            Ok(m) => m,
            Err(e) => return plan.diagnostics.push(e.into()),
        };
        rules::check_roma_only(&planned, &config, &mut plan.diagnostics);
        if let Some(prior) = prior {
            plan.requires_replace.extend(rules::replacing_changes(&prior, &planned));
        }
    }

    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome {
        let planned = DomainCertificateModel::read(&req.planned)?;
        let (configured, service) = service::configured_service(ctx, &planned.service)?;
        let domain = domain_id::domain_from_state(&req.planned)?;
        let config = DomainCertificateModel::read(&req.config)?;
        let body = rules::form(&planned, &config, service)?;
        let fingerprint =
            upload::configured_leaf(&body.cert_content, &req.validated).map(|l| upload::look_up_fingerprint(&l));
        let call = call_context(ctx);
        let info = configured
            .client
            .add_domain_certificate_identified(service, &domain, &body, fingerprint.as_ref(), &call)
            .await
            .map_err(|e| api_error("Cannot add the certificate to the domain", &e))?;
        let Some(certificate_id) = rules::created_certificate_id(&info, &body.name) else {
            return Err(Diagnostic::error(
                "The API did not say which certificate it created",
                format!(
                    "The answer to adding the certificate to domain {} carried no ssl_id. Look the certificate up in \
                     the console and import it with its instance/group/domain/certificate ID.",
                    domain.domain_id
                ),
            )
            .into());
        };
        let id = DomainCertificateId { domain, certificate_id };
        tracing::info!(id = %id.format(), service = service.as_str(), "certificate added to domain");
        let mut state = planned;
        state.set_identity(&id, service);
        let mut private = Private::new();
        read_after_write::mark_written(&mut private);
        // Just created: it may answer 404 for a moment.
        let settle = configured.client.config().retry.settle;
        match configured
            .client
            .get_domain_certificate_settled(service, &id.domain, &id.certificate_id, settle, &call)
            .await
        {
            Ok(detail) => {
                state.apply_detail(&detail);
                Ok(Applied::new(state.to_value_over(&req.planned), private))
            }
            Err(e) => {
                // The certificate exists: keep it in state (tainted) so it is not lost.
                state.settle_certificate_fields();
                let error = api_error("Cannot read the certificate just added to the domain", &e);
                Err(ApplyFailure::partial(error, state.to_value_over(&req.planned), private))
            }
        }
    }

    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome {
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.state)?;
        let mut state = DomainCertificateModel::read(&req.state).map_err(Diagnostic::from)?;
        let settle = read_after_write::settle_left(&req.private, configured.client.config().retry.settle);
        match configured
            .client
            .get_domain_certificate_settled(service, &id.domain, &id.certificate_id, settle, &call_context(ctx))
            .await
        {
            Ok(detail) => {
                state.set_identity(&id, service);
                state.apply_detail(&detail);
                Ok(Some(Found { state: state.to_value_over(&req.state), private: Private::new() }))
            }
            Err(e) if e.is_not_found() => {
                tracing::info!(id = %id.format(), "the domain no longer holds the certificate; removing it from state");
                Ok(None)
            }
            Err(e) => Err(api_error("Cannot read the domain's certificate", &e).into()),
        }
    }

    async fn update(&self, _ctx: &Context, req: UpdateRequest) -> ApplyOutcome {
        // Every other change replaces the object (see rules::replacing_changes), so an update only
        // records in state the inputs the API never returns.
        let prior = DomainCertificateModel::read(&req.prior)?;
        let planned = DomainCertificateModel::read(&req.planned)?;
        if !rules::is_record_only(&prior, &planned, &req.validated) {
            let error = Diagnostic::error(
                "Domain certificates cannot be updated",
                "The API cannot change a certificate created on a domain, and this plan asked for an in-place \
                 update. This is a bug in the provider: please report it. Meanwhile, `terraform apply -replace` \
                 the resource.",
            );
            return Err(ApplyFailure::partial(error, req.prior, req.private));
        }
        tracing::info!("the domain already holds the configured certificate; recording it in state without a call");
        Ok(Applied::new(req.planned, req.private))
    }

    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics> {
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.prior)?;
        let call = call_context(ctx);
        // Both calls count a 404 as done (the client says so).
        configured
            .client
            .delete_domain_certificate(service, &id.domain, &id.certificate_id, &call)
            .await
            .map_err(|e| api_error("Cannot remove the certificate from the domain", &e))?;
        tracing::info!(id = %id.format(), "certificate unbound from the domain");
        match configured.client.delete_certificate(service, &id.certificate_id, &call).await {
            Ok(()) => {
                tracing::info!(certificate_id = %id.certificate_id, "certificate deleted");
                Ok(())
            }
            Err(e) => Err(Diagnostic::error(
                "Cannot delete the certificate",
                format!(
                    "The certificate {} was removed from domain {}, but deleting the certificate itself failed: {e}. \
                     If other domains still use it (bound outside this resource), unbind them and run destroy \
                     again; otherwise {}",
                    id.certificate_id,
                    id.domain.domain_id,
                    e.hint()
                ),
            )
            .into()),
        }
    }

    async fn import(&self, ctx: &Context, id: &str) -> ImportResult {
        domain_id::import_state(ctx, id, &schema::schema().block_type())
    }
}
