//! Domain-side certificate endpoints and group details (apig-api.md §3.9–§3.14, ROMA §4):
//! `.../instances/{instance_id}/api-groups/{group_id}[/domains/{domain_id}/...]`.

use reqwest::Method;

use super::api_client::{ApiClient, ApiRequest};
use super::call::CallContext;
use super::error::ApiError;
use super::fingerprint::CertFingerprint;
use super::models::{
    CertificateIdsBody, DomainCertificateDetail, DomainCertificateForm, DomainCertificateInfo, GroupDetail, Service,
};

/// A domain of an API group on a gateway instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DomainRef {
    pub instance_id: String,
    pub group_id: String,
    pub domain_id: String,
}

impl DomainRef {
    pub fn new(instance_id: impl Into<String>, group_id: impl Into<String>, domain_id: impl Into<String>) -> Self {
        DomainRef { instance_id: instance_id.into(), group_id: group_id.into(), domain_id: domain_id.into() }
    }

    /// `instances/{i}/api-groups/{g}/domains/{d}` followed by `tail`.
    fn segments<'a>(&'a self, tail: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec![
            "instances",
            self.instance_id.as_str(),
            "api-groups",
            self.group_id.as_str(),
            "domains",
            self.domain_id.as_str(),
        ];
        v.extend_from_slice(tail);
        v
    }
}

impl ApiClient {
    pub(crate) fn add_domain_certificate_request(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
    ) -> Result<ApiRequest, ApiError> {
        ApiRequest::new(Method::POST, service, &domain.segments(&["certificate"]), &[201]).json(form)
    }

    /// `POST .../domains/{d}/certificate` → 201: creates a certificate and binds it to the
    /// domain. After an ambiguous failure the domain is inspected and a certificate the first
    /// attempt created is adopted instead of creating a second one.
    pub async fn add_domain_certificate(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
        call: &CallContext,
    ) -> Result<DomainCertificateInfo, ApiError> {
        let fingerprint = CertFingerprint::of_leaf_pem(&form.cert_content);
        self.add_domain_certificate_identified(service, domain, form, fingerprint.as_ref(), call).await
    }

    /// [`ApiClient::add_domain_certificate`] for a caller that has parsed the certificate
    /// already: `fingerprint` is what the look-up compares the domain's certificates with.
    pub async fn add_domain_certificate_identified(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<DomainCertificateInfo, ApiError> {
        self.add_domain_certificate_adopting(service, domain, form, fingerprint, call).await
    }

    /// `GET .../domains/{d}/certificate/{c}` → 200. 404 when the domain is missing or the
    /// certificate is not bound to it.
    pub async fn get_domain_certificate(
        &self,
        service: Service,
        domain: &DomainRef,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<DomainCertificateDetail, ApiError> {
        let req = ApiRequest::new(Method::GET, service, &domain.segments(&["certificate", certificate_id]), &[200]);
        self.execute_json(&req, call).await
    }

    /// `GET .../domains/{d}/certificate/{c}` for a certificate the provider has just added: a 404
    /// is read again for up to `settle` (see [`ApiClient::get_certificate_settled`]).
    pub async fn get_domain_certificate_settled(
        &self,
        service: Service,
        domain: &DomainRef,
        certificate_id: &str,
        settle: std::time::Duration,
        call: &CallContext,
    ) -> Result<DomainCertificateDetail, ApiError> {
        self.read_settled(settle, call, || self.get_domain_certificate(service, domain, certificate_id, call)).await
    }

    /// `DELETE .../domains/{d}/certificate/{c}` → 204: unbinds the certificate from the domain.
    /// A 404 is success (the binding is gone). Holds the certificate's write lock.
    pub async fn delete_domain_certificate(
        &self,
        service: Service,
        domain: &DomainRef,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let req = ApiRequest::new(Method::DELETE, service, &domain.segments(&["certificate", certificate_id]), &[204]);
        let _write = self.lock_certificate_writes(service, certificate_id, call).await?;
        match self.execute_empty(&req, call).await {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// `POST .../domains/{d}/certificates/attach` → 204 (`certificate_ids` holds exactly one ID).
    /// Re-attaching changes `verified_client_certificate_enabled` and re-sending an attach that had
    /// taken effect is success. Holds the write lock of the certificate it names.
    pub async fn attach_domain_certificates(
        &self,
        service: Service,
        domain: &DomainRef,
        body: &CertificateIdsBody,
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let req =
            ApiRequest::new(Method::POST, service, &domain.segments(&["certificates", "attach"]), &[204]).json(body)?;
        let _write = self.lock_body_certificate(service, body, call).await?;
        self.execute_empty(&req, call).await
    }

    /// `POST .../domains/{d}/certificates/detach` → 204. Detaching a certificate the domain no
    /// longer holds (404 `APIG.3097`, or 400 `APIG.2000`) is success. Holds the write lock.
    pub async fn detach_domain_certificates(
        &self,
        service: Service,
        domain: &DomainRef,
        body: &CertificateIdsBody,
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let req =
            ApiRequest::new(Method::POST, service, &domain.segments(&["certificates", "detach"]), &[204]).json(body)?;
        let _write = self.lock_body_certificate(service, body, call).await?;
        match self.execute_empty(&req, call).await {
            Err(e) if e.is_nothing_to_detach() => Ok(()),
            other => other,
        }
    }

    /// The write lock of the (one) certificate a domain-side attach or detach names.
    async fn lock_body_certificate(
        &self,
        service: Service,
        body: &CertificateIdsBody,
        call: &CallContext,
    ) -> Result<Option<super::write_lock::WriteGuard>, ApiError> {
        match body.certificate_ids.as_slice() {
            [id] => Ok(Some(self.lock_certificate_writes(service, id, call).await?)),
            // The API takes exactly one; anything else is refused before a write happens.
            _ => Ok(None),
        }
    }

    /// `GET .../instances/{i}/api-groups/{g}` → 200: the group with its domains and their
    /// certificates (`url_domains[].ssl_infos`, or `ssl_id`/`ssl_name` where ROMA omits them).
    pub async fn get_group(
        &self,
        service: Service,
        instance_id: &str,
        group_id: &str,
        call: &CallContext,
    ) -> Result<GroupDetail, ApiError> {
        let req = ApiRequest::new(Method::GET, service, &["instances", instance_id, "api-groups", group_id], &[200]);
        self.execute_json(&req, call).await
    }
}
