//! The domain side (apig-api.md §3.9–§3.14, §4): certificates of one domain of an API group,
//! group details with `url_domains[].ssl_infos`, and independent-domain create/update/delete.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use regex::Regex;
use serde_json::{Value, json};

use super::bindings::{apply_bind, apply_unbind, check_bind};
use super::certificates::{check_form, read_form, readable};
use super::input;
use super::service_of;
use crate::client::models::{
    CertificateIdsBody, DomainCertificateInfo, GroupDetail, Service, SslInfo, SslInfoType, UrlDomain,
};
use crate::simulator::Sim;
use crate::simulator::errors::{ApiError, ApiResult};
use crate::simulator::request_log::PendingEntry;
use crate::simulator::state::{Domain, DomainAt, Project};

/// `/v2/{project}/{service}/instances/{instance}/api-groups/{group}/domains/{domain}`.
type DomainPath = (String, String, String, String, String);
/// The same followed by `/certificate/{certificate}`.
type DomainCertPath = (String, String, String, String, String, String);

static URL_DOMAIN_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^([a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.){1,7}[a-zA-Z]{2,64}\.?$",
        r"|^[*](\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?){1,6}\.[a-zA-Z]{2,64}\.?$"
    ))
    .expect("static regex")
});

const MAX_DOMAINS_PER_GROUP: usize = 5;

fn ssl_infos(project: &Project, domain: &Domain, service: Service) -> Vec<SslInfo> {
    domain
        .certificates
        .values()
        .filter_map(|id| project.certificates.iter().find(|c| &c.id == id))
        .map(|c| SslInfo {
            ssl_id: c.id.clone(),
            ssl_name: c.name.clone(),
            algorithm_type: c.algorithm_type.clone(),
            cert_type: Some(match service {
                Service::Apig => SslInfoType::Code(if c.is_global() { 2 } else { 1 }),
                Service::Roma => SslInfoType::Name(c.cert_type.clone()),
            }),
            is_has_trusted_root_ca: c.is_has_trusted_root_ca,
        })
        .collect()
}

fn primary_ssl(project: &Project, domain: &Domain) -> (String, String) {
    domain
        .primary_certificate()
        .and_then(|id| project.certificates.iter().find(|c| &c.id == id))
        .map(|c| (c.id.clone(), c.name.clone()))
        .unwrap_or_default()
}

fn url_domain(project: &Project, domain: &Domain, service: Service) -> UrlDomain {
    let infos = ssl_infos(project, domain, service);
    let (ssl_id, ssl_name) = primary_ssl(project, domain);
    let apig = service == Service::Apig;
    UrlDomain {
        id: domain.id.clone(),
        domain: domain.url_domain.clone(),
        cname_status: domain.status,
        ssl_id,
        ssl_name,
        min_ssl_version: domain.min_ssl_version.clone(),
        verified_client_certificate_enabled: domain.verified_client_certificate_enabled,
        // True only when every bound certificate has a trusted root CA.
        is_has_trusted_root_ca: !infos.is_empty() && infos.iter().all(|i| i.is_has_trusted_root_ca),
        ingress_http_port: if apig { domain.ingress_http_port } else { None },
        ingress_https_port: if apig { domain.ingress_https_port } else { None },
        ssl_infos: Some(infos),
    }
}

fn domain_cert_info(project: &Project, at: DomainAt, service: Service) -> DomainCertificateInfo {
    let instance = &project.instances[at.instance];
    let group = &instance.groups[at.group];
    let domain = project.domain(at);
    let (ssl_id, ssl_name) = primary_ssl(project, domain);
    let apig = service == Service::Apig;
    DomainCertificateInfo {
        url_domain: domain.url_domain.clone(),
        id: domain.id.clone(),
        status: domain.status,
        min_ssl_version: domain.min_ssl_version.clone(),
        is_http_redirect_to_https: domain.is_http_redirect_to_https,
        verified_client_certificate_enabled: domain.verified_client_certificate_enabled,
        ingress_http_port: if apig { domain.ingress_http_port } else { None },
        ingress_https_port: if apig { domain.ingress_https_port } else { None },
        ssl_name,
        ssl_id,
        instance_id: apig.then(|| instance.id.clone()),
        api_group_id: apig.then(|| group.id.clone()),
        api_group_name: apig.then(|| group.name.clone()),
        ssl_infos: (!apig).then(|| ssl_infos(project, domain, service)),
    }
}

/// `POST .../domains/{domain_id}/certificate` → 201: create a certificate and bind it to the domain.
pub async fn add_certificate(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id)): Path<DomainPath>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<DomainCertificateInfo>)> {
    let service = service_of(&service)?;
    let obj = input::object(&body)?;
    let mut form = read_form(&obj)?;
    if service == Service::Apig {
        // APIG's CertForm has only name, cert_content and private_key.
        form.cert_type = None;
        form.instance_id = None;
        form.trusted_root_ca = None;
    }
    form.algorithm_type = None;
    form.cert_content_sign = None;
    form.private_key_sign = None;
    let now = sim.now();
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    let cert = check_form(&form, project, None, now)?.into_new(&project_id, now);
    check_bind(project, at, &cert, None)?;
    let (id, algorithm, has_ca) = (cert.id.clone(), cert.algorithm_type.clone(), cert.is_has_trusted_root_ca);
    project.certificates.push(cert);
    apply_bind(project, at, &id, &algorithm, has_ca, None);
    tracing::info!(service = service.as_str(), id = %id, domain = %domain_id, "certificate added to domain");
    Ok((StatusCode::CREATED, Json(domain_cert_info(project, at, service))))
}

/// `GET .../domains/{domain_id}/certificate/{certificate_id}`: the certificate if bound there.
pub async fn show_certificate(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id, certificate_id)): Path<DomainCertPath>,
    pending: Option<Extension<PendingEntry>>,
) -> ApiResult<Json<Value>> {
    let service = service_of(&service)?;
    let world = sim.world();
    let project = world.cloud(service).project(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    let cert = readable(&sim, project, &certificate_id, pending.as_deref())?;
    if !project.domain(at).certificates.values().any(|id| id == &certificate_id) {
        return Err(ApiError::binding_not_found());
    }
    let mut detail = serde_json::to_value(cert.detail()).map_err(|_| ApiError::system_error())?;
    if service == Service::Apig
        && let Value::Object(map) = &mut detail
    {
        // APIG's model of this answer has neither field; ROMA's has both.
        map.remove("algorithm_type");
        map.remove("is_has_trusted_root_ca");
    }
    Ok(Json(detail))
}

/// `DELETE .../domains/{domain_id}/certificate/{certificate_id}` → 204: unbinds, keeps the certificate.
pub async fn remove_certificate(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id, certificate_id)): Path<DomainCertPath>,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    project.certificate(&certificate_id)?;
    if !apply_unbind(project, at, &certificate_id) {
        return Err(ApiError::binding_not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

fn read_certificate_ids(body: &[u8]) -> ApiResult<CertificateIdsBody> {
    let obj = input::object(body)?;
    let ids =
        input::optional_strings(&obj, "certificate_ids")?.ok_or_else(|| ApiError::missing_param("certificate_ids"))?;
    // Exactly one certificate per call is supported.
    if ids.len() != 1 {
        return Err(ApiError::invalid_param("certificate_ids"));
    }
    Ok(CertificateIdsBody {
        certificate_ids: ids,
        verified_client_certificate_enabled: input::optional_bool(&obj, "verified_client_certificate_enabled")?,
    })
}

/// `POST .../domains/{domain_id}/certificates/attach` → 204 (idempotent; updates the flag).
pub async fn attach_certificates(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id)): Path<DomainPath>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    let request = read_certificate_ids(&body)?;
    let verify = request.verified_client_certificate_enabled;
    for id in &request.certificate_ids {
        let cert = project.certificate(id)?.clone();
        check_bind(project, at, &cert, verify)?;
        apply_bind(project, at, &cert.id, &cert.algorithm_type, cert.is_has_trusted_root_ca, verify);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST .../domains/{domain_id}/certificates/detach` → 204; not bound → 404 APIG.3097.
pub async fn detach_certificates(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id)): Path<DomainPath>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    let request = read_certificate_ids(&body)?;
    for id in &request.certificate_ids {
        project.certificate(id)?;
        if !project.domain(at).certificates.values().any(|c| c == id) {
            return Err(ApiError::binding_not_found());
        }
    }
    for id in &request.certificate_ids {
        apply_unbind(project, at, id);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET .../instances/{instance_id}/api-groups/{group_id}`.
pub async fn group_detail(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id)): Path<(String, String, String, String)>,
) -> ApiResult<Json<GroupDetail>> {
    let service = service_of(&service)?;
    let world = sim.world();
    let project = world.cloud(service).project(&project_id)?;
    let instance = project.instance(&instance_id)?;
    let group =
        instance.groups.iter().find(|g| g.id == group_id).ok_or_else(|| ApiError::group_not_found(&group_id))?;
    let sl_domain = format!("{}.{}.{}.simulator.invalid", group.id, service.path_prefix(), project.name);
    Ok(Json(GroupDetail {
        id: group.id.clone(),
        name: group.name.clone(),
        status: 1,
        sl_domain: sl_domain.clone(),
        sl_domains: vec![sl_domain],
        register_time: group.register_time.clone(),
        update_time: group.update_time.clone(),
        on_sell_status: Some(2),
        url_domains: group.domains.iter().map(|d| url_domain(project, d, service)).collect(),
    }))
}

fn domain_answer(domain: &Domain, service: Service) -> Value {
    let mut v = json!({
        "id": domain.id,
        "url_domain": domain.url_domain,
        "status": domain.status,
        "min_ssl_version": domain.min_ssl_version,
        "is_http_redirect_to_https": domain.is_http_redirect_to_https,
        "verified_client_certificate_enabled": domain.verified_client_certificate_enabled,
    });
    if service == Service::Apig
        && let Value::Object(map) = &mut v
    {
        if let Some(p) = domain.ingress_http_port {
            map.insert("ingress_http_port".into(), p.into());
        }
        if let Some(p) = domain.ingress_https_port {
            map.insert("ingress_https_port".into(), p.into());
        }
    }
    v
}

fn read_port(obj: &input::Object, key: &str, service: Service) -> ApiResult<Option<i32>> {
    if service != Service::Apig {
        return Ok(None);
    }
    match input::optional_int(obj, key)? {
        None => Ok(None),
        Some(p) if (-1..=49151).contains(&p) => Ok(i32::try_from(p).ok()),
        Some(_) => Err(ApiError::invalid_param(key)),
    }
}

fn read_min_ssl_version(obj: &input::Object, required: bool) -> ApiResult<Option<String>> {
    let v = if required {
        Some(input::required_string(obj, "min_ssl_version")?)
    } else {
        input::optional_string(obj, "min_ssl_version")?
    };
    match v.as_deref() {
        None | Some("TLSv1.1" | "TLSv1.2") => Ok(v),
        Some(_) => Err(ApiError::invalid_param("min_ssl_version")),
    }
}

/// `POST .../api-groups/{group_id}/domains` → 201: a new independent domain.
pub async fn create_domain(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id)): Path<(String, String, String, String)>,
    body: Bytes,
) -> ApiResult<Response> {
    let service = service_of(&service)?;
    let obj = input::object(&body)?;
    let url = input::required_string(&obj, "url_domain")?;
    if url.len() > 255 || !URL_DOMAIN_RULE.is_match(&url) {
        return Err(ApiError::invalid_param("url_domain"));
    }
    let min_ssl_version = read_min_ssl_version(&obj, false)?.unwrap_or_else(|| "TLSv1.1".to_string());
    let redirect = input::optional_bool(&obj, "is_http_redirect_to_https")?.unwrap_or(false);
    let http_port = read_port(&obj, "ingress_http_port", service)?;
    let https_port = read_port(&obj, "ingress_https_port", service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    project.instance(&instance_id)?;
    let i = project
        .instances
        .iter()
        .position(|i| i.id == instance_id)
        .ok_or_else(|| ApiError::instance_not_found(&instance_id))?;
    let instance = &mut project.instances[i];
    let g =
        instance.groups.iter().position(|g| g.id == group_id).ok_or_else(|| ApiError::group_not_found(&group_id))?;
    // A domain name can belong to one group of a gateway only.
    if instance.groups.iter().flat_map(|g| &g.domains).any(|d| d.url_domain.eq_ignore_ascii_case(&url)) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "APIG.3305", "The URL domain name already exists."));
    }
    let group = &mut instance.groups[g];
    if group.domains.len() >= MAX_DOMAINS_PER_GROUP {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "APIG.3108", "Too many domain names."));
    }
    let domain = Domain {
        id: crate::simulator::clock::new_id(),
        url_domain: url,
        status: 3,
        min_ssl_version,
        is_http_redirect_to_https: redirect,
        verified_client_certificate_enabled: false,
        ingress_http_port: http_port,
        ingress_https_port: https_port,
        certificates: Default::default(),
    };
    let answer = domain_answer(&domain, service);
    group.domains.push(domain);
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `PUT .../domains/{domain_id}` → 201.
pub async fn update_domain(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id)): Path<DomainPath>,
    body: Bytes,
) -> ApiResult<Response> {
    let service = service_of(&service)?;
    let obj = input::object(&body)?;
    let min_ssl_version = read_min_ssl_version(&obj, true)?;
    let redirect = input::optional_bool(&obj, "is_http_redirect_to_https")?;
    let verify = input::optional_bool(&obj, "verified_client_certificate_enabled")?;
    let http_port = read_port(&obj, "ingress_http_port", service)?;
    let https_port = read_port(&obj, "ingress_https_port", service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    if verify == Some(true) {
        let domain = project.domain(at);
        let has_ca = domain
            .certificates
            .values()
            .any(|id| project.certificates.iter().any(|c| &c.id == id && c.is_has_trusted_root_ca));
        if !has_ca {
            return Err(ApiError::invalid_param("verified_client_certificate_enabled"));
        }
    }
    let domain = project.domain_mut(at);
    if let Some(v) = min_ssl_version {
        domain.min_ssl_version = v;
    }
    if let Some(r) = redirect {
        domain.is_http_redirect_to_https = r;
    }
    if let Some(v) = verify {
        domain.verified_client_certificate_enabled = v;
    }
    if http_port.is_some() {
        domain.ingress_http_port = http_port;
    }
    if https_port.is_some() {
        domain.ingress_https_port = https_port;
    }
    Ok((StatusCode::CREATED, Json(domain_answer(domain, service))).into_response())
}

/// `DELETE .../domains/{domain_id}` → 204; its bindings go with it.
pub async fn delete_domain(
    State(sim): State<Sim>,
    Path((project_id, service, instance_id, group_id, domain_id)): Path<DomainPath>,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let at = project.locate_domain(&instance_id, &group_id, &domain_id)?;
    project.instances[at.instance].groups[at.group].domains.remove(at.domain);
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_domain_rule_accepts_names_and_wildcards() {
        for ok in ["api.example.com", "a-b.example.org.", "*.example.com", "x_y.example.com"] {
            assert!(URL_DOMAIN_RULE.is_match(ok), "{ok}");
        }
        for bad in ["example", "-a.example.com", "a..com", "*example.com", "a.b.c.d.e.f.g.h.i.com"] {
            assert!(!URL_DOMAIN_RULE.is_match(bad), "{bad}");
        }
    }
}
