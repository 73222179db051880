//! Creates that are never doubled nor orphaned. A create whose outcome is unknown (5xx, connection
//! lost after sending, attempt timeout) may have landed; before re-sending it we look for the object
//! it would have created (same name, same leaf certificate) and adopt it. A new object may not be
//! listed at once (read lag), so the look-up is repeated for the policy's `settle` time before the
//! create counts as not done and is sent again. If the look-up itself fails, the create is not
//! re-sent (that could create a duplicate): [`ApiError::Unconfirmed`] says so.
//!
//! When Terraform's Stop interrupts a create whose request went out, the object is looked up once
//! more, within a few seconds that Stop does not cut short, and returned if it is there, so that
//! Terraform records it in state instead of leaving it behind in the project.
//!
//! Listing certificates needs a gateway ID (documented as mandatory, apig-api.md §3.2), also for
//! global certificates, which have none: any of the project's gateways serves, since a list with
//! `instance_id` holds that gateway's certificates and every global one (see `instances.rs`).

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::DeserializeOwned;

use super::api_client::{ApiClient, ApiRequest};
use super::call::CallContext;
use super::certificates::ListCertificatesQuery;
use super::domains::DomainRef;
use super::error::ApiError;
use super::fingerprint::CertFingerprint;
use super::models::{CertificateDetail, CertificateForm, DomainCertificateForm, DomainCertificateInfo, Service};
use super::retry::{self, Attempt, FailureKind, classify};

/// How long the look-up after a Stop may take: long enough for one list and one read, short
/// enough that Terraform exits promptly.
pub const STOP_LOOKUP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

impl ApiClient {
    pub(crate) async fn create_certificate_adopting(
        &self,
        service: Service,
        form: &CertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        let req = self.create_certificate_request(service, form)?;
        let what = format!("creating certificate {:?}", form.name);
        self.create_without_doubling(&req, &what, call, |scope| async move {
            self.find_created_certificate(service, form, fingerprint, &scope).await
        })
        .await
    }

    /// Sends a create, and whenever its outcome is unknown looks for what it may have made
    /// (`find`, repeated for the settle time) before sending it again; after a Stop that came once
    /// the request was out, `find` runs once more within [`STOP_LOOKUP_GRACE`].
    async fn create_without_doubling<T, F, Fut>(
        &self,
        req: &ApiRequest,
        what: &str,
        call: &CallContext,
        find: F,
    ) -> Result<T, ApiError>
    where
        T: DeserializeOwned,
        // The scope is passed by value (a cheap clone) so the look-up's future may own it.
        F: Fn(CallContext) -> Fut,
        Fut: Future<Output = Result<Option<T>, ApiError>>,
    {
        let sent = AtomicBool::new(false);
        let (sent, find) = (&sent, &find);
        let result = retry::run(&self.config().retry, call, |_| async move {
            sent.store(true, Ordering::SeqCst);
            let error = match self.send_once(req, call).await {
                Ok(body) => return Attempt::Done(self.decode(req, &body)),
                Err(e) => e,
            };
            match classify(&error) {
                FailureKind::Permanent => Attempt::Done(Err(error)),
                FailureKind::Rejected => Attempt::Retry(error),
                FailureKind::Ambiguous => match retry::settle(&self.config().retry, call, || find(call.clone())).await {
                    Ok(Some(found)) => {
                        tracing::info!(%what, error = %error, "the create failed ambiguously but had landed; adopting it");
                        Attempt::Done(Ok(found))
                    }
                    Ok(None) => Attempt::Retry(error),
                    Err(lookup) => Attempt::Done(Err(unconfirmed(what, error, lookup))),
                },
            }
        })
        .await;
        match result {
            Err(ApiError::Cancelled) if sent.load(Ordering::SeqCst) => {
                match find(call.grace_after_stop(STOP_LOOKUP_GRACE)).await {
                    Ok(Some(found)) => {
                        tracing::info!(%what, "stopped while creating, but the API had made it; returning it for the state");
                        Ok(found)
                    }
                    Ok(None) => Err(ApiError::Cancelled),
                    Err(lookup) => Err(unconfirmed(what, ApiError::Cancelled, lookup)),
                }
            }
            other => other,
        }
    }

    /// The certificate an earlier attempt of this create made, if the API lists it.
    async fn find_created_certificate(
        &self,
        service: Service,
        form: &CertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<Option<CertificateDetail>, ApiError> {
        let fp = fingerprint.ok_or_else(|| ApiError::InvalidInput {
            message: "the certificate content does not parse, so it cannot be compared with existing certificates"
                .to_string(),
        })?;
        let instance_id = match form.instance_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => id.to_string(),
            None => self.any_gateway_id(service, call).await?,
        };
        let query = ListCertificatesQuery::default().name(form.name.clone()).instance_id(instance_id);
        let listed = self.list_all_certificates(service, &query, call).await?;
        let wanted_type = form.cert_type.as_deref().filter(|t| !t.is_empty()).unwrap_or("global");
        let candidates = listed.into_iter().filter(|s| {
            s.name == form.name && (s.cert_type.is_empty() || s.cert_type == wanted_type) && fp.may_match_summary(s)
        });
        for candidate in candidates {
            match self.get_certificate(service, &candidate.id, call).await {
                Ok(detail) if fp.matches_detail(&detail) => return Ok(Some(detail)),
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    pub(crate) async fn add_domain_certificate_adopting(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<DomainCertificateInfo, ApiError> {
        let req = self.add_domain_certificate_request(service, domain, form)?;
        let what = format!("adding certificate {:?} to domain {}", form.name, domain.domain_id);
        self.create_without_doubling(&req, &what, call, |scope| async move {
            self.find_domain_certificate(service, domain, form, fingerprint, &scope).await
        })
        .await
    }

    async fn find_domain_certificate(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<Option<DomainCertificateInfo>, ApiError> {
        let fp = fingerprint.ok_or_else(|| ApiError::InvalidInput {
            message: "the certificate content does not parse, so it cannot be compared with the domain's certificates"
                .to_string(),
        })?;
        let group = self.get_group(service, &domain.instance_id, &domain.group_id, call).await?;
        let Some(url_domain) = group.url_domains.iter().find(|d| d.id == domain.domain_id) else {
            return Ok(None);
        };
        // Certificates on the domain with the name we sent (ssl_infos where given, else ssl_id).
        let mut ids: Vec<&str> = url_domain
            .ssl_infos
            .iter()
            .flatten()
            .filter(|i| i.ssl_name == form.name)
            .map(|i| i.ssl_id.as_str())
            .collect();
        if url_domain.ssl_name == form.name && !url_domain.ssl_id.is_empty() {
            ids.push(&url_domain.ssl_id);
        }
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            match self.get_domain_certificate(service, domain, id, call).await {
                Ok(detail) if fp.matches_detail(&detail) => {
                    return Ok(Some(DomainCertificateInfo {
                        url_domain: url_domain.domain.clone(),
                        id: url_domain.id.clone(),
                        status: url_domain.cname_status,
                        min_ssl_version: url_domain.min_ssl_version.clone(),
                        is_http_redirect_to_https: false,
                        verified_client_certificate_enabled: url_domain.verified_client_certificate_enabled,
                        ingress_http_port: url_domain.ingress_http_port,
                        ingress_https_port: url_domain.ingress_https_port,
                        ssl_name: detail.name.clone(),
                        ssl_id: detail.id.clone(),
                        instance_id: Some(domain.instance_id.clone()),
                        api_group_id: Some(group.id.clone()),
                        api_group_name: Some(group.name.clone()),
                        ssl_infos: url_domain.ssl_infos.clone(),
                    }));
                }
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

fn unconfirmed(what: &str, cause: ApiError, lookup: ApiError) -> ApiError {
    ApiError::Unconfirmed { what: what.to_string(), cause: Box::new(cause), lookup: Box::new(lookup) }
}
