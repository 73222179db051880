//! `apig_certificate_domains`: binds domain names to one certificate (apig-api.md §2.3, §3.6–§3.8,
//! §4). Create = one attach; read = list attached domains and keep only those this resource bound
//! (private state); update = detach what went away, then attach what is new or changed; delete =
//! detach what it bound. Import by `[roma/]<certificate_id>` adopts every bound domain.

mod bindings;
mod model;
mod plan;
mod schema;

use crate::client::models::{AttachedDomain, Service};
use crate::client::{ApiError, CallContext};
use crate::engine::{
    Applied, ApplyFailure, ApplyOutcome, Context, CreateRequest, DeleteRequest, Found, ImportResult, PlanContext,
    Private, ReadOutcome, ReadRequest, Resource, ResourceSchema, UpdateRequest,
};
use crate::protocol::cty::Value;
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::validators::is_hex_id;
use crate::provider::{Configured, service};

use bindings::{Binding, DomainSpec, Remote};
pub use model::CertificateDomainsModel;
use model::state_value;
pub use schema::{attr, certificate_domains_schema};

pub const TYPE_NAME: &str = "apig_certificate_domains";

#[derive(Debug, Default)]
pub struct CertificateDomainsResource;

/// What this resource bound: the private record, or (without one) the state's blocks.
fn owned_bindings(private: &Private, state: &CertificateDomainsModel) -> Vec<Binding> {
    bindings::bindings_from_private(private)
        .unwrap_or_else(|| state.domain_specs().unwrap_or_default().iter().map(DomainSpec::binding).collect())
}

async fn list_remote(
    configured: &Configured,
    service: Service,
    certificate_id: &str,
    call: &CallContext,
) -> Result<Vec<AttachedDomain>, ApiError> {
    configured.client.list_all_attached_domains(service, certificate_id, None, call).await
}

/// After a failed write: what of `candidates` the API now lists, as a partial state with the
/// error, so Terraform keeps track of whatever did get bound.
async fn after_failure(
    configured: &Configured,
    service: Service,
    certificate_id: &str,
    candidates: &[Binding],
    call: &CallContext,
    error: Diagnostic,
) -> ApplyFailure {
    let observed = match list_remote(configured, service, certificate_id, call).await {
        Ok(listing) => bindings::observe(candidates, &Remote::from_listing(&listing), &[]),
        Err(e) => {
            tracing::warn!(certificate_id, error = %e, "cannot list the bindings after a failed write");
            Vec::new()
        }
    };
    if observed.is_empty() {
        return error.into();
    }
    let (owned, specs): (Vec<Binding>, Vec<DomainSpec>) = observed.into_iter().unzip();
    ApplyFailure::partial(error, state_value(certificate_id, service, &specs), bindings::bindings_to_private(&owned))
}

#[async_trait::async_trait]
impl Resource for CertificateDomainsResource {
    fn identity(&self) -> Option<&dyn crate::engine::identity::ResourceIdentity> {
        use crate::provider::resources::identity::*;
        Some(&ByCertificate(CertificateIdIn::CertificateId))
    }

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        certificate_domains_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) -> crate::engine::Validated {
        plan::validate_domains(config, diags);
        crate::engine::Validated::none()
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut PlanContext) {
        service::plan_service(ctx, plan);
        plan::plan_domains(plan);
    }

    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome {
        let config = CertificateDomainsModel::read(&req.config)?;
        let (configured, service) = service::configured_service(ctx, &config.service)?;
        let certificate_id = config.certificate_id()?;
        let desired = config.domain_specs()?;
        let call = call_context(ctx);
        let owned: Vec<Binding> = desired.iter().map(DomainSpec::binding).collect();
        if let Err(e) =
            configured.client.attach_domains(service, certificate_id, &bindings::attach_all(&desired), &call).await
        {
            let error = attach_error(&e, certificate_id);
            return Err(after_failure(configured, service, certificate_id, &owned, &call, error).await);
        }
        tracing::info!(certificate_id, service = service.as_str(), domains = desired.len(), "domains bound");
        Ok(Applied::new(state_value(certificate_id, service, &desired), bindings::bindings_to_private(&owned)))
    }

    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome {
        let state = CertificateDomainsModel::read(&req.state)?;
        let (configured, service) = service::configured_service(ctx, &state.service)?;
        let certificate_id = state.certificate_id()?;
        let listing = match list_remote(configured, service, certificate_id, &call_context(ctx)).await {
            Ok(l) => l,
            Err(e) if e.is_not_found() => {
                tracing::info!(certificate_id, "certificate is gone; so are its bindings");
                return Ok(None);
            }
            Err(e) => return Err(api_error("Cannot list the domains bound to the certificate", &e).into()),
        };
        let prior = state.domain_specs().unwrap_or_default();
        let owned = owned_bindings(&req.private, &state);
        let observed = bindings::observe(&owned, &Remote::from_listing(&listing), &prior);
        if observed.is_empty() {
            tracing::info!(certificate_id, "none of the domains this resource bound is bound any more");
            return Ok(None);
        }
        let (owned, specs): (Vec<Binding>, Vec<DomainSpec>) = observed.into_iter().unzip();
        Ok(Some(Found {
            state: state_value(certificate_id, service, &specs),
            private: bindings::bindings_to_private(&owned),
        }))
    }

    async fn update(&self, ctx: &Context, req: UpdateRequest) -> ApplyOutcome {
        let prior = CertificateDomainsModel::read(&req.prior)?;
        let (configured, service) = service::configured_service(ctx, &prior.service)?;
        let certificate_id = prior.certificate_id()?;
        let desired = CertificateDomainsModel::read(&req.config)?.domain_specs()?;
        let owned = owned_bindings(&req.private, &prior);
        let wanted: Vec<Binding> = desired.iter().map(DomainSpec::binding).collect();
        // On a failure, whatever of the old and new bindings the API lists stays tracked.
        let candidates: Vec<Binding> = owned.iter().chain(&wanted).cloned().collect();
        let call = call_context(ctx);
        let listing = list_remote(configured, service, certificate_id, &call)
            .await
            .map_err(|e| api_error("Cannot list the domains bound to the certificate", &e))?;
        let changes = bindings::changes(&owned, &desired, &Remote::from_listing(&listing));
        if !changes.detach.is_empty()
            && let Err(e) = configured.client.detach_domains(service, certificate_id, &changes.detach, &call).await
        {
            let error = api_error("Cannot unbind domains from the certificate", &e);
            return Err(after_failure(configured, service, certificate_id, &candidates, &call, error).await);
        }
        if !changes.attach.is_empty()
            && let Err(e) = configured.client.attach_domains(service, certificate_id, &changes.attach, &call).await
        {
            let error = attach_error(&e, certificate_id);
            return Err(after_failure(configured, service, certificate_id, &candidates, &call, error).await);
        }
        tracing::info!(
            certificate_id,
            service = service.as_str(),
            detached = changes.detach.len(),
            attached = changes.attach.len(),
            "bindings updated"
        );
        Ok(Applied::new(state_value(certificate_id, service, &desired), bindings::bindings_to_private(&wanted)))
    }

    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics> {
        let prior = CertificateDomainsModel::read(&req.prior)?;
        let (configured, service) = service::configured_service(ctx, &prior.service)?;
        let certificate_id = prior.certificate_id()?;
        let owned = owned_bindings(&req.private, &prior);
        let call = call_context(ctx);
        let listing = match list_remote(configured, service, certificate_id, &call).await {
            Ok(l) => l,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(api_error("Cannot list the domains bound to the certificate", &e).into()),
        };
        let detach = bindings::detach_owned(&owned, &Remote::from_listing(&listing));
        if detach.is_empty() {
            return Ok(());
        }
        // Detaching what is already gone is success (the client says so).
        configured
            .client
            .detach_domains(service, certificate_id, &detach, &call)
            .await
            .map_err(|e| api_error("Cannot unbind domains from the certificate", &e))?;
        tracing::info!(certificate_id, service = service.as_str(), domains = detach.len(), "domains unbound");
        Ok(())
    }

    async fn import(&self, ctx: &Context, id: &str) -> ImportResult {
        let fail = |d: Diagnostic| ImportResult { diagnostics: d.into(), ..Default::default() };
        let (named_service, certificate_id) = service::split_import_id(id);
        if !is_hex_id(certificate_id) {
            return fail(Diagnostic::error(
                "Invalid import ID",
                format!(
                    "{id} is not a certificate ID. Import with the ID of the certificate whose domains to adopt: \
                     `<certificate_id>` (32 lowercase hexadecimal characters) or `roma/<certificate_id>` for ROMA \
                     Connect.",
                    id = excerpt(id)
                ),
            ));
        }
        let configured = match ctx.provider::<Configured>() {
            Ok(c) => c,
            Err(d) => return fail(d),
        };
        let service = named_service.unwrap_or(configured.service);
        let listing = match list_remote(configured, service, certificate_id, &call_context(ctx)).await {
            Ok(l) => l,
            Err(e) => return fail(api_error("Cannot list the domains bound to the certificate", &e)),
        };
        let adopted = bindings::adopt_all(&Remote::from_listing(&listing));
        if adopted.is_empty() {
            return fail(Diagnostic::error(
                "Nothing to import",
                format!(
                    "No domain is bound to certificate {certificate_id} on {}. Create the resource instead of \
                     importing it.",
                    service.as_str()
                ),
            ));
        }
        let (owned, specs): (Vec<Binding>, Vec<DomainSpec>) = adopted.into_iter().unzip();
        ImportResult {
            state: Some(state_value(certificate_id, service, &specs)),
            private: bindings::bindings_to_private(&owned),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// An attach failure, with what to check for the documented binding errors.
fn attach_error(e: &ApiError, certificate_id: &str) -> Diagnostic {
    let advice = match e.error_code() {
        Some("APIG.2103") => Some("The certificate's common name and SANs must cover every domain name."),
        Some("APIG.2051" | "APIG.3715") => Some(
            "A domain already holds another certificate of this algorithm type; unbind that one first (or manage \
             the domain with one certificate only).",
        ),
        Some("APIG.3020") => Some("A domain name is not an independent domain of any API group on those gateways."),
        _ => None,
    };
    let base = api_error(format!("Cannot bind domains to certificate {certificate_id}"), e);
    match advice {
        Some(a) => Diagnostic { detail: format!("{} {a}", base.detail), ..base },
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ServiceError;

    fn service_error(status: u16, code: &str) -> ApiError {
        ServiceError {
            status,
            error_code: code.into(),
            error_msg: "m".into(),
            request_id: None,
            method: "POST".into(),
            path: "/v2/p/apigw/certificates/c/domains/detach".into(),
            retry_after: None,
        }
        .into()
    }

    #[test]
    fn attach_errors_say_what_to_check() {
        let d = attach_error(&service_error(400, "APIG.2103"), "a27be832f2e9441c8127fe48e3b5ac67");
        assert!(d.summary.contains("a27be832f2e9441c8127fe48e3b5ac67"));
        assert!(d.detail.contains("APIG.2103") && d.detail.contains("SANs"), "{}", d.detail);
    }

    #[tokio::test]
    async fn import_ids_that_are_not_certificate_ids_are_refused_before_any_call() {
        // No provider data: reaching for the API would fail with "Provider not configured".
        let ctx = Context { scope: Default::default(), provider_data: None };
        for id in ["", "roma/", "apig/abc", "A27BE832F2E9441C8127FE48E3B5AC67", "x/a27be832f2e9441c8127fe48e3b5ac67"] {
            let r = CertificateDomainsResource.import(&ctx, id).await;
            assert!(r.state.is_none());
            let summaries: Vec<&str> = r.diagnostics.iter().map(|d| d.summary.as_str()).collect();
            assert_eq!(summaries, ["Invalid import ID"], "{id:?}");
        }
        for id in ["a27be832f2e9441c8127fe48e3b5ac67", "roma/a27be832f2e9441c8127fe48e3b5ac67"] {
            let r = CertificateDomainsResource.import(&ctx, id).await;
            let summaries: Vec<&str> = r.diagnostics.iter().map(|d| d.summary.as_str()).collect();
            assert_eq!(summaries, ["Provider not configured"], "{id:?} is a valid ID");
        }
    }

    #[test]
    fn without_a_private_record_the_state_blocks_are_what_it_owns() {
        let specs = [DomainSpec {
            name: "api.example.com".into(),
            instance_ids: None,
            verified_client_certificate_enabled: false,
        }];
        let state = CertificateDomainsModel::of_specs("a27be832f2e9441c8127fe48e3b5ac67", Service::Apig, &specs);
        assert_eq!(owned_bindings(&Private::new(), &state), [specs[0].binding()]);
        let recorded = [Binding { domain: "www.example.com".into(), instance_ids: None }];
        assert_eq!(owned_bindings(&bindings::bindings_to_private(&recorded), &state), recorded);
    }
}
