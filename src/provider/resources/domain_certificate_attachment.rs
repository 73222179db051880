//! `apig_domain_certificate_attachment`: binds one existing certificate to one domain of an API
//! group (apig-api.md §3.12–§3.14, §4, §7.4). Create attaches, update re-attaches with the new
//! `verified_client_certificate_enabled`, delete detaches; read looks the binding up in the group's
//! details (`url_domains[].ssl_infos`, or `ssl_id` where ROMA omits `ssl_infos`).

use std::time::Duration;

use crate::client::models::{CertificateIdsBody, GroupDetail, Service};
use crate::engine::model::{Model, Val};
use crate::engine::{
    Applied, ApplyFailure, ApplyOutcome, AttributeSchema, BlockSchema, Context, CreateRequest, DeleteRequest, Found,
    ImportResult, PlanContext, Private, ReadOutcome, ReadRequest, Resource, ResourceSchema, TimeoutDefaults,
    UpdateRequest,
};
use crate::protocol::cty::Value;
use crate::protocol::{Diagnostic, Diagnostics};
use crate::provider::api_errors::{api_error, call_context};
use crate::provider::service::{self, service_attribute};
use crate::provider::validators::HexId;

use super::domain_id::{self, CERTIFICATE_ID, DomainCertificateId};

pub const TYPE_NAME: &str = "apig_domain_certificate_attachment";
pub const VERIFIED: &str = "verified_client_certificate_enabled";

#[derive(Debug, Default)]
pub struct DomainCertificateAttachmentResource;

crate::tf_model! {
    /// Configuration, plan or state of one binding (a test checks it against the schema).
    pub struct AttachmentModel {
        pub id: String => domain_id::ID,
        pub service: String => service::SERVICE,
        pub instance_id: String => domain_id::INSTANCE_ID,
        pub group_id: String => domain_id::GROUP_ID,
        pub domain_id: String => domain_id::DOMAIN_ID,
        pub certificate_id: String => CERTIFICATE_ID,
        pub verified_client_certificate_enabled: bool => VERIFIED,
    }
}

impl AttachmentModel {
    fn read(v: &Value) -> Result<AttachmentModel, Diagnostic> {
        Ok(AttachmentModel::from_value(v)?)
    }

    /// `v` (a plan or state of this resource) with the binding's IDs, service and client
    /// verification flag.
    pub fn state_over(v: &Value, id: &DomainCertificateId, service: Service, verified: bool) -> Value {
        let flag = AttachmentModel { verified_client_certificate_enabled: Val::Known(verified), ..Default::default() };
        let mut state = v.clone();
        crate::engine::model::write_field(&mut state, VERIFIED, &flag.verified_client_certificate_enabled);
        id.write(&mut state, service);
        state
    }
}

pub fn schema() -> ResourceSchema {
    let mut block = BlockSchema::new(
        "Binds one existing certificate (for example an `apig_certificate`) to one domain name of an API group. \
         The certificate must cover the domain (common name or SAN). Import ID: \
         `<instance_id>/<group_id>/<domain_id>/<certificate_id>`, prefixed `roma/` for ROMA Connect.",
    )
    .attribute(domain_id::id_attribute())
    .attribute(service_attribute());
    for a in domain_id::domain_attributes() {
        block = block.attribute(a);
    }
    block = block
        .attribute(
            AttributeSchema::string(CERTIFICATE_ID)
                .required()
                .requires_replace()
                .validator(HexId::new("certificate ID"))
                .description(
                    "ID of the certificate to bind (32 hexadecimal characters), for example \
                     `apig_certificate.api.id`. Changing it replaces the binding.",
                ),
        )
        .attribute(AttributeSchema::bool(VERIFIED).optional().computed().default(false).description(
            "Whether clients must present a certificate the bound certificate's trusted root CA verifies (mutual \
             TLS). Only meaningful for a certificate with a trusted root CA. Unset means false. Changed in place \
             by re-attaching the certificate.",
        ));
    let minutes = |m: u64| Some(Duration::from_secs(60 * m));
    ResourceSchema::new(block).timeouts(TimeoutDefaults {
        create: minutes(5),
        read: minutes(5),
        update: minutes(5),
        delete: minutes(5),
    })
}

/// Where the group's details say the certificate is bound, with the domain's client verification
/// flag; `None` when the domain or the binding is absent.
pub fn find_binding(group: &GroupDetail, domain_id: &str, certificate_id: &str) -> Option<bool> {
    let domain = group.url_domains.iter().find(|d| d.id == domain_id)?;
    let bound = match &domain.ssl_infos {
        Some(infos) => infos.iter().any(|i| i.ssl_id == certificate_id),
        // ROMA on the public cloud sites omits ssl_infos: one certificate per domain, in ssl_id.
        None => domain.ssl_id == certificate_id,
    };
    bound.then_some(domain.verified_client_certificate_enabled)
}

/// The attach/detach body: one certificate, and always an explicit flag (null means false).
pub fn attach_body(certificate_id: &str, verified: Option<bool>) -> CertificateIdsBody {
    CertificateIdsBody {
        certificate_ids: vec![certificate_id.to_string()],
        verified_client_certificate_enabled: Some(verified.unwrap_or(false)),
    }
}

#[async_trait::async_trait]
impl Resource for DomainCertificateAttachmentResource {
    fn identity(&self) -> Option<&dyn crate::engine::identity::ResourceIdentity> {
        use crate::provider::resources::identity::*;
        Some(&ByDomainCertificate)
    }

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> ResourceSchema {
        schema()
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut PlanContext) {
        service::plan_service(ctx, plan);
        if plan.prior.is_none() {
            return;
        }
        // The ID is made of attributes that replace the object, so it never changes in place.
        let ids = plan.prior.as_ref().map(AttachmentModel::read).transpose();
        match ids {
            Ok(Some(prior)) => {
                let kept = AttachmentModel { id: prior.id, ..Default::default() };
                let mut planned = match AttachmentModel::read(&plan.planned) {
                    Ok(m) => m,
                    Err(d) => return plan.diagnostics.push(d),
                };
                planned.id = kept.id;
                plan.planned = planned.to_value_over(&plan.planned);
            }
            Ok(None) => {}
            Err(d) => plan.diagnostics.push(d),
        }
    }

    async fn create(&self, ctx: &Context, req: CreateRequest) -> ApplyOutcome {
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.planned)?;
        let verified = AttachmentModel::read(&req.planned)?.verified_client_certificate_enabled.into_known();
        let body = attach_body(&id.certificate_id, verified);
        configured
            .client
            .attach_domain_certificates(service, &id.domain, &body, &call_context(ctx))
            .await
            .map_err(|e| api_error("Cannot bind the certificate to the domain", &e))?;
        tracing::info!(id = %id.format(), service = service.as_str(), "certificate attached to domain");
        let state = AttachmentModel::state_over(&req.planned, &id, service, verified.unwrap_or(false));
        Ok(Applied::new(state, Private::new()))
    }

    async fn read(&self, ctx: &Context, req: ReadRequest) -> ReadOutcome {
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.state)?;
        let group = match configured
            .client
            .get_group(service, &id.domain.instance_id, &id.domain.group_id, &call_context(ctx))
            .await
        {
            Ok(g) => g,
            Err(e) if e.is_not_found() => {
                tracing::info!(id = %id.format(), "API group or instance no longer exists; removing the binding from state");
                return Ok(None);
            }
            Err(e) => return Err(api_error("Cannot read the API group's domains", &e).into()),
        };
        match find_binding(&group, &id.domain.domain_id, &id.certificate_id) {
            Some(verified) => Ok(Some(Found {
                state: AttachmentModel::state_over(&req.state, &id, service, verified),
                private: Private::new(),
            })),
            None => {
                tracing::info!(id = %id.format(), "the certificate is no longer bound to the domain; removing it from state");
                Ok(None)
            }
        }
    }

    async fn update(&self, ctx: &Context, req: UpdateRequest) -> ApplyOutcome {
        // Whatever fails, the binding stays as it was.
        let keep_prior = |d: Diagnostic| ApplyFailure::partial(d, req.prior.clone(), Private::new());
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.prior).map_err(keep_prior)?;
        let planned = AttachmentModel::read(&req.planned).map_err(keep_prior)?;
        let verified = planned.verified_client_certificate_enabled.into_known().unwrap_or(false);
        let body = attach_body(&id.certificate_id, Some(verified));
        configured
            .client
            .attach_domain_certificates(service, &id.domain, &body, &call_context(ctx))
            .await
            .map_err(|e| keep_prior(api_error("Cannot change the domain's client certificate verification", &e)))?;
        tracing::info!(id = %id.format(), verified, "client verification flag changed by re-attaching");
        Ok(Applied::new(AttachmentModel::state_over(&req.planned, &id, service, verified), Private::new()))
    }

    async fn delete(&self, ctx: &Context, req: DeleteRequest) -> Result<(), Diagnostics> {
        let (configured, service, id) = domain_id::configured_parts(ctx, &req.prior)?;
        let verified = AttachmentModel::read(&req.prior)?.verified_client_certificate_enabled.into_known();
        let body = attach_body(&id.certificate_id, verified);
        // A binding already gone is success: the client says so (`is_nothing_to_detach`).
        configured
            .client
            .detach_domain_certificates(service, &id.domain, &body, &call_context(ctx))
            .await
            .map_err(|e| api_error("Cannot unbind the certificate from the domain", &e))?;
        tracing::info!(id = %id.format(), "certificate detached from domain");
        Ok(())
    }

    async fn import(&self, ctx: &Context, id: &str) -> ImportResult {
        domain_id::import_state(ctx, id, &schema().block_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::check_against;

    #[test]
    fn the_model_has_exactly_the_schema_attributes() {
        assert_eq!(check_against::<AttachmentModel>(&schema().block, &[]), Vec::<String>::new());
    }
    use crate::client::models::{SslInfo, SslInfoType, UrlDomain};
    use crate::client::{ApiError, ServiceError};

    const D1: &str = "d0000000000000000000000000000001";
    const D2: &str = "d0000000000000000000000000000002";
    const C: &str = "a27be832f2e9441c8127fe48e3b5ac67";

    fn info(id: &str, t: SslInfoType) -> SslInfo {
        SslInfo {
            ssl_id: id.into(),
            ssl_name: "n".into(),
            algorithm_type: "RSA".into(),
            cert_type: Some(t),
            is_has_trusted_root_ca: false,
        }
    }

    fn group(domains: Vec<UrlDomain>) -> GroupDetail {
        GroupDetail { id: "g".into(), name: "demo_group".into(), url_domains: domains, ..Default::default() }
    }

    #[test]
    fn a_binding_is_found_in_ssl_infos_with_the_domains_flag() {
        let d1 = UrlDomain {
            id: D1.into(),
            domain: "api.example.com".into(),
            verified_client_certificate_enabled: true,
            ssl_infos: Some(vec![info("other", SslInfoType::Code(1)), info(C, SslInfoType::Code(2))]),
            ..Default::default()
        };
        let d2 = UrlDomain {
            id: D2.into(),
            domain: "www.example.com".into(),
            ssl_infos: Some(vec![]),
            ..Default::default()
        };
        let g = group(vec![d1, d2]);
        assert_eq!(find_binding(&g, D1, C), Some(true));
        // Bound elsewhere in the group, not on this domain.
        assert_eq!(find_binding(&g, D2, C), None);
        // Unknown domain.
        assert_eq!(find_binding(&g, "d0000000000000000000000000000009", C), None);
        // ssl_infos present but without the certificate, even if ssl_id names it.
        let stale = UrlDomain { id: D1.into(), ssl_id: C.into(), ssl_infos: Some(vec![]), ..Default::default() };
        assert_eq!(find_binding(&group(vec![stale]), D1, C), None);
    }

    #[test]
    fn without_ssl_infos_roma_domains_are_read_from_ssl_id() {
        let bound = UrlDomain { id: D1.into(), ssl_id: C.into(), ssl_infos: None, ..Default::default() };
        assert_eq!(find_binding(&group(vec![bound]), D1, C), Some(false));
        let other = UrlDomain { id: D1.into(), ssl_id: "x".into(), ssl_infos: None, ..Default::default() };
        assert_eq!(find_binding(&group(vec![other]), D1, C), None);
        let roma_typed = UrlDomain {
            id: D1.into(),
            ssl_infos: Some(vec![info(C, SslInfoType::Name("global".into()))]),
            ..Default::default()
        };
        assert_eq!(find_binding(&group(vec![roma_typed]), D1, C), Some(false));
    }

    #[test]
    fn the_flag_is_always_sent_and_null_means_false() {
        for (flag, sent) in [(None, false), (Some(false), false), (Some(true), true)] {
            let body = attach_body(C, flag);
            assert_eq!(body.certificate_ids, vec![C.to_string()]);
            assert_eq!(body.verified_client_certificate_enabled, Some(sent));
            let json = serde_json::to_value(&body).expect("json");
            assert_eq!(json["verified_client_certificate_enabled"], serde_json::json!(sent));
        }
    }

    fn service_error(status: u16, code: &str) -> ApiError {
        ApiError::Service(Box::new(ServiceError {
            status,
            error_code: code.into(),
            error_msg: "m".into(),
            request_id: None,
            method: "POST".into(),
            path: "/detach".into(),
            retry_after: None,
        }))
    }

    #[test]
    fn detach_of_an_unbound_certificate_counts_as_done() {
        assert!(ApiError::is_nothing_to_detach(&service_error(404, "APIG.3097")));
        assert!(ApiError::is_nothing_to_detach(&service_error(404, "APIG.3020")));
        assert!(ApiError::is_nothing_to_detach(&service_error(400, "APIG.2000")));
        assert!(!ApiError::is_nothing_to_detach(&service_error(400, "APIG.2012")));
        assert!(!ApiError::is_nothing_to_detach(&service_error(500, "APIG.9999")));
    }

    #[test]
    fn the_flag_defaults_to_false_and_ids_replace() {
        let s = schema();
        let find = |n: &str| s.block.attributes.iter().find(|a| a.name == n).expect(n).clone();
        let flag = find(VERIFIED);
        assert!(flag.optional && flag.computed);
        assert_eq!(flag.default, Some(Value::Bool(false)));
        assert!(flag.plan_modifiers.is_empty(), "the flag is updated in place");
        for n in ["service", "instance_id", "group_id", "domain_id", CERTIFICATE_ID] {
            assert!(find(n).plan_modifiers.contains(&crate::engine::PlanModifier::RequiresReplace), "{n}");
        }
        assert!(s.block.attributes.iter().all(|a| !a.description.is_empty()));
        assert!(s.timeouts.is_some());
    }
}
