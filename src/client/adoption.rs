//! Creates that are never doubled. A create whose outcome is unknown (5xx, connection lost after
//! sending, attempt timeout) may have landed; before re-sending it we look for the object it
//! would have created (same name, same certificate serial number and common name) and adopt it.
//! Only if it is not there is the create sent again. If the lookup itself fails, the create is not
//! re-sent (that could create a duplicate): [`ApiError::Unconfirmed`] says so.
//!
//! Listing certificates needs `instance_id` (documented as mandatory), so the lookup of a global
//! certificate, which has none, is tried without it; a service that refuses that list yields
//! `Unconfirmed`.

use super::api_client::ApiClient;
use super::call::CallContext;
use super::certificates::ListCertificatesQuery;
use super::domains::DomainRef;
use super::error::ApiError;
use super::fingerprint::CertFingerprint;
use super::models::{CertificateDetail, CertificateForm, DomainCertificateForm, DomainCertificateInfo, Service};
use super::retry::{self, Attempt, FailureKind, classify};

/// What a lookup after an ambiguous failure found.
enum Lookup<T> {
    Found(T),
    Absent,
    /// The lookup could not tell; re-sending would risk a duplicate.
    Unknown(ApiError),
}

impl ApiClient {
    pub(crate) async fn create_certificate_adopting(
        &self,
        service: Service,
        form: &CertificateForm,
        call: &CallContext,
    ) -> Result<CertificateDetail, ApiError> {
        let req = self.create_certificate_request(service, form)?;
        let req = &req;
        let fingerprint = CertFingerprint::of_leaf_pem(&form.cert_content);
        let fingerprint = fingerprint.as_ref();
        retry::run(&self.config().retry, call, |_| async move {
            let error = match self.send_once(req, call).await {
                Ok(body) => return Attempt::Done(self.decode(req, &body)),
                Err(e) => e,
            };
            match classify(&error) {
                FailureKind::Permanent => Attempt::Done(Err(error)),
                FailureKind::Rejected => Attempt::Retry(error),
                FailureKind::Ambiguous => match self.find_created_certificate(service, form, fingerprint, call).await {
                    Lookup::Found(cert) => {
                        tracing::info!(id = %cert.id, name = %cert.name, error = %error,
                            "a create certificate call failed ambiguously but had created the certificate; adopting it");
                        Attempt::Done(Ok(cert))
                    }
                    Lookup::Absent => Attempt::Retry(error),
                    Lookup::Unknown(lookup_error) => Attempt::Done(Err(ApiError::Unconfirmed {
                        what: format!("creating certificate {:?}", form.name),
                        cause: Box::new(error),
                        lookup: Box::new(lookup_error),
                    })),
                },
            }
        })
        .await
    }

    async fn find_created_certificate(
        &self,
        service: Service,
        form: &CertificateForm,
        fingerprint: Option<&CertFingerprint>,
        call: &CallContext,
    ) -> Lookup<CertificateDetail> {
        let Some(fp) = fingerprint else {
            return Lookup::Unknown(ApiError::InvalidInput {
                message: "the certificate content does not parse, so it cannot be compared with existing certificates"
                    .to_string(),
            });
        };
        let mut query = ListCertificatesQuery::default().name(form.name.clone());
        if let Some(instance_id) = form.instance_id.as_deref().filter(|s| !s.is_empty()) {
            query = query.instance_id(instance_id);
        }
        let listed = match self.list_all_certificates(service, &query, call).await {
            Ok(l) => l,
            Err(e) => return Lookup::Unknown(e),
        };
        let wanted_type = form.cert_type.as_deref().filter(|t| !t.is_empty());
        let candidates = listed.into_iter().filter(|s| {
            s.name == form.name
                && wanted_type.is_none_or(|t| s.cert_type.is_empty() || s.cert_type == t)
                && fp.may_match_summary(s)
        });
        for candidate in candidates {
            match self.get_certificate(service, &candidate.id, call).await {
                Ok(detail) if fp.matches_detail(&detail) => return Lookup::Found(detail),
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Lookup::Unknown(e),
            }
        }
        Lookup::Absent
    }

    pub(crate) async fn add_domain_certificate_adopting(
        &self,
        service: Service,
        domain: &DomainRef,
        form: &DomainCertificateForm,
        call: &CallContext,
    ) -> Result<DomainCertificateInfo, ApiError> {
        let req = self.add_domain_certificate_request(service, domain, form)?;
        let req = &req;
        let fingerprint = CertFingerprint::of_leaf_pem(&form.cert_content);
        let fingerprint = fingerprint.as_ref();
        retry::run(&self.config().retry, call, |_| async move {
            let error = match self.send_once(req, call).await {
                Ok(body) => return Attempt::Done(self.decode(req, &body)),
                Err(e) => e,
            };
            match classify(&error) {
                FailureKind::Permanent => Attempt::Done(Err(error)),
                FailureKind::Rejected => Attempt::Retry(error),
                FailureKind::Ambiguous => {
                    match self.find_domain_certificate(service, domain, form, fingerprint, call).await {
                        Lookup::Found(info) => {
                            tracing::info!(ssl_id = %info.ssl_id, domain_id = %info.id, error = %error,
                                "an add-certificate-to-domain call failed ambiguously but had landed; adopting it");
                            Attempt::Done(Ok(info))
                        }
                        Lookup::Absent => Attempt::Retry(error),
                        Lookup::Unknown(lookup_error) => Attempt::Done(Err(ApiError::Unconfirmed {
                            what: format!("adding certificate {:?} to domain {}", form.name, domain.domain_id),
                            cause: Box::new(error),
                            lookup: Box::new(lookup_error),
                        })),
                    }
                }
            }
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
    ) -> Lookup<DomainCertificateInfo> {
        let Some(fp) = fingerprint else {
            return Lookup::Unknown(ApiError::InvalidInput {
                message:
                    "the certificate content does not parse, so it cannot be compared with the domain's certificates"
                        .to_string(),
            });
        };
        let group = match self.get_group(service, &domain.instance_id, &domain.group_id, call).await {
            Ok(g) => g,
            Err(e) => return Lookup::Unknown(e),
        };
        let Some(url_domain) = group.url_domains.iter().find(|d| d.id == domain.domain_id) else {
            return Lookup::Absent;
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
                    return Lookup::Found(DomainCertificateInfo {
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
                    });
                }
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Lookup::Unknown(e),
            }
        }
        Lookup::Absent
    }
}
