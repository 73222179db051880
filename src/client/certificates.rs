//! Certificate endpoints (apig-api.md §3.1–§3.8; ROMA §4 has the same paths under `apic`).

use reqwest::Method;

use super::api_client::{ApiClient, ApiRequest};
use super::call::CallContext;
use super::error::ApiError;
use super::fingerprint::CertFingerprint;
use super::models::{
    AttachedDomain, CertificateDetail, CertificateForm, CertificateSummary, DomainBinding, DomainBindingsBody,
    ListAttachedDomainsResponse, ListCertificatesResponse, Service,
};
use super::pagination;

/// Page size of the `list_all_*` helpers (what the Go provider uses).
pub const PAGE_LIMIT: u32 = 100;

const OK_200: &[u16] = &[200];
const OK_204: &[u16] = &[204];

/// Filters of `GET .../certificates` (§3.2). Unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCertificatesQuery {
    pub instance_id: Option<String>,
    pub name: Option<String>,
    pub common_name: Option<String>,
    pub signature_algorithm: Option<String>,
    /// `instance` | `global`.
    pub cert_type: Option<String>,
    /// `RSA` | `ECC` | `SM2`.
    pub algorithm_type: Option<String>,
    pub offset: Option<u64>,
    pub limit: Option<u32>,
}

impl ListCertificatesQuery {
    pub fn instance_id(mut self, v: impl Into<String>) -> Self {
        self.instance_id = Some(v.into());
        self
    }
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }
    pub fn common_name(mut self, v: impl Into<String>) -> Self {
        self.common_name = Some(v.into());
        self
    }
    pub fn signature_algorithm(mut self, v: impl Into<String>) -> Self {
        self.signature_algorithm = Some(v.into());
        self
    }
    pub fn cert_type(mut self, v: impl Into<String>) -> Self {
        self.cert_type = Some(v.into());
        self
    }
    pub fn algorithm_type(mut self, v: impl Into<String>) -> Self {
        self.algorithm_type = Some(v.into());
        self
    }
    pub fn offset(mut self, v: u64) -> Self {
        self.offset = Some(v);
        self
    }
    pub fn limit(mut self, v: u32) -> Self {
        self.limit = Some(v);
        self
    }
}

/// Filters of `GET .../certificates/{id}/attached-domains` (§3.8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListAttachedDomainsQuery {
    pub url_domain: Option<String>,
    pub offset: Option<u64>,
    pub limit: Option<u32>,
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

impl ApiClient {
    /// Runs `read` until it answers something other than 404 or `settle` has passed (backoff
    /// between reads, never past the call's end); then the last 404 stands.
    pub(crate) async fn read_settled<T, F, Fut>(
        &self,
        settle: std::time::Duration,
        call: &CallContext,
        read: F,
    ) -> Result<T, ApiError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        if settle.is_zero() {
            return read().await;
        }
        let policy = crate::client::RetryPolicy { settle, ..self.config().retry.clone() };
        let last_404 = std::sync::Mutex::new(None);
        let found = super::retry::settle(&policy, call, || async {
            match read().await {
                Err(e) if e.is_not_found() => {
                    *last_404.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    Ok(None)
                }
                other => other.map(Some),
            }
        })
        .await?;
        match (found, last_404.into_inner().unwrap_or_else(|p| p.into_inner())) {
            (Some(v), _) => Ok(v),
            (None, Some(not_found)) => Err(not_found),
            (None, None) => Err(ApiError::InvalidInput { message: "the object was never read".into() }),
        }
    }

    pub(crate) fn create_certificate_request(
        &self,
        service: Service,
        form: &CertificateForm,
    ) -> Result<ApiRequest, ApiError> {
        ApiRequest::new(Method::POST, service, &["certificates"], OK_200).json(form)
    }

    /// `POST .../certificates` → 200. After an ambiguous failure the certificate is looked up
    /// and adopted if the first attempt created it (see `adoption.rs`), never created twice.
    pub async fn create_certificate(
        &self,
        service: Service,
        form: &CertificateForm,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        let fingerprint = CertFingerprint::of_leaf_pem(&form.cert_content);
        self.create_certificate_identified(service, form, fingerprint.as_ref(), call).await
    }

    /// [`ApiClient::create_certificate`] for a caller that has parsed the certificate already:
    /// `fingerprint` is what the look-up compares the API's certificates with (`None`: the
    /// content does not parse, so a create whose outcome is unknown cannot be looked up).
    pub async fn create_certificate_identified(
        &self,
        service: Service,
        form: &CertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        self.create_certificate_adopting(service, form, fingerprint, call).await
    }

    /// `GET .../certificates/{id}` → 200; a missing certificate is a 404 ([`ApiError::is_not_found`]).
    pub async fn get_certificate(
        &self,
        service: Service,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        let req = ApiRequest::new(Method::GET, service, &["certificates", certificate_id], OK_200);
        self.execute_json(&req, call).await
    }

    /// `GET .../certificates/{id}` for a certificate the provider has just written: a 404 is
    /// read again (with backoff) for up to `settle`, since a new object may not be readable at
    /// once. `settle` zero is a plain [`ApiClient::get_certificate`].
    pub async fn get_certificate_settled(
        &self,
        service: Service,
        certificate_id: &str,
        settle: std::time::Duration,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        self.read_settled(settle, call, || self.get_certificate(service, certificate_id, call)).await
    }

    /// `PUT .../certificates/{id}` → 200 (full replacement: send every field, so re-sending after
    /// an ambiguous failure is safe). Holds the certificate's write lock.
    pub async fn update_certificate(
        &self,
        service: Service,
        certificate_id: &str,
        form: &CertificateForm,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        let req = ApiRequest::new(Method::PUT, service, &["certificates", certificate_id], OK_200).json(form)?;
        let _write = self.lock_certificate_writes(service, certificate_id, call).await?;
        self.execute_json(&req, call).await
    }

    /// `DELETE .../certificates/{id}` → 204. A 404 is success: the certificate is gone, whether an
    /// earlier attempt whose answer was lost deleted it or someone else did. Holds the write lock.
    pub async fn delete_certificate(
        &self,
        service: Service,
        certificate_id: &str,
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let req = ApiRequest::new(Method::DELETE, service, &["certificates", certificate_id], OK_204);
        let _write = self.lock_certificate_writes(service, certificate_id, call).await?;
        match self.execute_empty(&req, call).await {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// `GET .../certificates` → 200, one page.
    pub async fn list_certificates(
        &self,
        service: Service,
        query: &ListCertificatesQuery,
        call: &CallContext,
    ) -> Result<ListCertificatesResponse, ApiError> {
        let req = ApiRequest::new(Method::GET, service, &["certificates"], OK_200)
            .query("instance_id", non_empty(&query.instance_id))
            .query("name", non_empty(&query.name))
            .query("common_name", non_empty(&query.common_name))
            .query("signature_algorithm", non_empty(&query.signature_algorithm))
            .query("type", non_empty(&query.cert_type))
            .query("algorithm_type", non_empty(&query.algorithm_type))
            .query("offset", query.offset)
            .query("limit", query.limit);
        self.execute_json(&req, call).await
    }

    /// Every certificate matching `query` (its offset/limit are ignored): pages of
    /// [`PAGE_LIMIT`] until a page comes back shorter than that.
    pub async fn list_all_certificates(
        &self,
        service: Service,
        query: &ListCertificatesQuery,
        call: &CallContext,
    ) -> Result<Vec<CertificateSummary>, ApiError> {
        pagination::collect_pages("the certificate list", PAGE_LIMIT, |offset| {
            let page_query = ListCertificatesQuery { offset: Some(offset), limit: Some(PAGE_LIMIT), ..query.clone() };
            async move { Ok(self.list_certificates(service, &page_query, call).await?.certs) }
        })
        .await
    }

    /// `POST .../certificates/{id}/domains/attach` → 204. Re-attaching is idempotent on the API
    /// (and how `verified_client_certificate_enabled` is changed), so re-sending an attach that had
    /// taken effect is success. Holds the certificate's write lock.
    pub async fn attach_domains(
        &self,
        service: Service,
        certificate_id: &str,
        domains: &[DomainBinding],
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let body = DomainBindingsBody { domains: domains.to_vec() };
        let req =
            ApiRequest::new(Method::POST, service, &["certificates", certificate_id, "domains", "attach"], OK_204)
                .json(&body)?;
        let _write = self.lock_certificate_writes(service, certificate_id, call).await?;
        self.execute_empty(&req, call).await
    }

    /// `POST .../certificates/{id}/domains/detach` → 204. When none of the domains is bound the
    /// API answers 400 `APIG.2000` "no valid domain name": they are detached, which is success
    /// (also when an earlier attempt whose answer was lost did it). Holds the write lock.
    pub async fn detach_domains(
        &self,
        service: Service,
        certificate_id: &str,
        domains: &[DomainBinding],
        call: &CallContext,
    ) -> Result<(), ApiError> {
        let body = DomainBindingsBody { domains: domains.to_vec() };
        let req =
            ApiRequest::new(Method::POST, service, &["certificates", certificate_id, "domains", "detach"], OK_204)
                .json(&body)?;
        let _write = self.lock_certificate_writes(service, certificate_id, call).await?;
        match self.execute_empty(&req, call).await {
            Err(e) if e.is_nothing_to_detach() => Ok(()),
            other => other,
        }
    }

    /// `GET .../certificates/{id}/attached-domains` → 200, one page.
    pub async fn list_attached_domains(
        &self,
        service: Service,
        certificate_id: &str,
        query: &ListAttachedDomainsQuery,
        call: &CallContext,
    ) -> Result<ListAttachedDomainsResponse, ApiError> {
        let req = ApiRequest::new(Method::GET, service, &["certificates", certificate_id, "attached-domains"], OK_200)
            .query("url_domain", non_empty(&query.url_domain))
            .query("offset", query.offset)
            .query("limit", query.limit);
        self.execute_json(&req, call).await
    }

    /// Every domain bound to the certificate (optionally filtered by `url_domain`), paged like
    /// [`ApiClient::list_all_certificates`]. The API may list a domain once per inbound port.
    pub async fn list_all_attached_domains(
        &self,
        service: Service,
        certificate_id: &str,
        url_domain: Option<&str>,
        call: &CallContext,
    ) -> Result<Vec<AttachedDomain>, ApiError> {
        pagination::collect_pages("the attached domains", PAGE_LIMIT, |offset| {
            let q = ListAttachedDomainsQuery {
                url_domain: url_domain.map(str::to_string),
                offset: Some(offset),
                limit: Some(PAGE_LIMIT),
            };
            async move { Ok(self.list_attached_domains(service, certificate_id, &q, call).await?.bound_domains) }
        })
        .await
    }
}
