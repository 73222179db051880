//! Domain ↔ certificate bindings seen from the certificate (apig-api.md §2.3, §3.6–§3.8) and the
//! binding rules every bind path shares: the certificate must cover the domain (APIG.2103), a
//! domain holds one certificate per algorithm type (APIG.2051), re-binding is idempotent and sets
//! `verified_client_certificate_enabled`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde_json::Value;

use super::input::{self, Query};
use super::service_of;
use crate::client::models::{AttachedDomain, ListAttachedDomainsResponse};
use crate::simulator::Sim;
use crate::simulator::errors::{ApiError, ApiResult};
use crate::simulator::state::{Certificate, DomainAt, Project};

pub fn domain_mismatch() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "APIG.2103", "The certificate common name does not match the domain name.")
}

pub fn already_bound_other() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "APIG.2051", "A domain name cannot be bound with different certificates.")
}

/// Checks that `cert` may be bound to the domain at `at` with the requested verification flag.
pub fn check_bind(project: &Project, at: DomainAt, cert: &Certificate, verify: Option<bool>) -> ApiResult<()> {
    let instance_id = &project.instances[at.instance].id;
    if !cert.usable_on(instance_id) {
        return Err(ApiError::certificate_not_found(&cert.id));
    }
    let domain = project.domain(at);
    if !cert.parsed.covers(&domain.url_domain) {
        return Err(domain_mismatch());
    }
    if let Some(other) = domain.certificates.get(&cert.algorithm_type)
        && other != &cert.id
    {
        return Err(already_bound_other());
    }
    // Client verification needs a trusted root CA on the certificate.
    if verify == Some(true) && !cert.is_has_trusted_root_ca {
        return Err(ApiError::invalid_param("verified_client_certificate_enabled"));
    }
    Ok(())
}

/// Binds (or re-binds) after [`check_bind`] passed. Without a flag, verification follows the CA.
pub fn apply_bind(
    project: &mut Project,
    at: DomainAt,
    cert_id: &str,
    algorithm_type: &str,
    has_ca: bool,
    verify: Option<bool>,
) {
    let domain = project.domain_mut(at);
    domain.certificates.insert(algorithm_type.to_string(), cert_id.to_string());
    domain.verified_client_certificate_enabled = verify.unwrap_or(has_ca);
}

/// Removes `cert_id` from the domain; returns whether it was bound there.
pub fn apply_unbind(project: &mut Project, at: DomainAt, cert_id: &str) -> bool {
    let domain = project.domain_mut(at);
    let before = domain.certificates.len();
    domain.certificates.retain(|_, id| id != cert_id);
    let removed = domain.certificates.len() != before;
    if domain.certificates.is_empty() {
        domain.verified_client_certificate_enabled = false;
    }
    removed
}

/// One entry of `{"domains": [...]}`.
struct DomainEntry {
    domain: String,
    instance_ids: Option<Vec<String>>,
    verify: Option<bool>,
}

fn read_entries(body: &[u8]) -> ApiResult<Vec<DomainEntry>> {
    let obj = input::object(body)?;
    let items = match obj.get("domains") {
        None | Some(Value::Null) => return Err(ApiError::missing_param("domains")),
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(_) => return Err(ApiError::invalid_param("domains")),
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(entry) = item else {
                return Err(ApiError::invalid_param("domains"));
            };
            Ok(DomainEntry {
                domain: input::required_string(entry, "domain")?,
                instance_ids: input::optional_strings(entry, "instance_ids")?,
                verify: input::optional_bool(entry, "verified_client_certificate_enabled")?,
            })
        })
        .collect()
}

/// Domains named `entry.domain` on the gateways the entry targets: the listed `instance_ids`, or
/// every gateway the certificate can be used on.
fn targets(project: &Project, cert: &Certificate, entry: &DomainEntry) -> ApiResult<Vec<DomainAt>> {
    if let Some(ids) = &entry.instance_ids {
        for id in ids {
            project.instance(id)?;
        }
    }
    let wanted = entry.domain.trim_end_matches('.').to_ascii_lowercase();
    Ok(project
        .all_domains()
        .filter(|(at, d)| {
            let instance_id = &project.instances[at.instance].id;
            let in_scope = match &entry.instance_ids {
                Some(ids) if !ids.is_empty() => ids.contains(instance_id),
                _ => cert.usable_on(instance_id),
            };
            in_scope && d.url_domain.trim_end_matches('.').eq_ignore_ascii_case(&wanted)
        })
        .map(|(at, _)| at)
        .collect())
}

/// `POST .../certificates/{id}/domains/attach` → 204. All entries are checked before any is applied.
pub async fn attach(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let cert = project.certificate(&certificate_id)?.clone();
    let entries = read_entries(&body)?;
    let mut plan = Vec::new();
    for entry in &entries {
        let found = targets(project, &cert, entry)?;
        if found.is_empty() {
            return Err(ApiError::domain_not_found());
        }
        for at in found {
            check_bind(project, at, &cert, entry.verify)?;
            plan.push((at, entry.verify));
        }
    }
    for (at, verify) in plan {
        apply_bind(project, at, &cert.id, &cert.algorithm_type, cert.is_has_trusted_root_ca, verify);
    }
    tracing::info!(service = service.as_str(), id = %cert.id, "certificate attached to domains");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST .../certificates/{id}/domains/detach` → 204; nothing bound → 400 APIG.2000 "no valid domain name".
pub async fn detach(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let cert = project.certificate(&certificate_id)?.clone();
    let entries = read_entries(&body)?;
    let mut bound = Vec::new();
    for entry in &entries {
        for at in targets(project, &cert, entry)? {
            if project.domain(at).certificates.values().any(|id| id == &cert.id) && !bound.contains(&at) {
                bound.push(at);
            }
        }
    }
    if bound.is_empty() {
        return Err(ApiError::parameter_error("no valid domain name"));
    }
    for at in bound {
        apply_unbind(project, at, &cert.id);
    }
    tracing::info!(service = service.as_str(), id = %cert.id, "certificate detached from domains");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET .../certificates/{id}/attached-domains`. Like the live service, `ssl_id`, `ssl_name`,
/// `is_http_redirect_to_https` and the ingress ports come back empty here (apig-api.md §3.8).
pub async fn attached_domains(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ListAttachedDomainsResponse>> {
    let service = service_of(&service)?;
    let query = Query::parse(raw.as_deref());
    let page = query.page()?;
    let world = sim.world();
    let project = world.cloud(service).project(&project_id)?;
    project.certificate(&certificate_id)?;
    let filter = query.get("url_domain");
    let all: Vec<AttachedDomain> = project
        .bound_domains(&certificate_id)
        .into_iter()
        .filter(|at| filter.is_none_or(|f| project.domain(*at).url_domain.eq_ignore_ascii_case(f)))
        .map(|at| {
            let instance = &project.instances[at.instance];
            let group = &instance.groups[at.group];
            let domain = project.domain(at);
            AttachedDomain {
                url_domain: domain.url_domain.clone(),
                id: domain.id.clone(),
                status: domain.status,
                min_ssl_version: domain.min_ssl_version.clone(),
                is_http_redirect_to_https: false,
                verified_client_certificate_enabled: domain.verified_client_certificate_enabled,
                ingress_http_port: None,
                ingress_https_port: None,
                ssl_id: String::new(),
                ssl_name: String::new(),
                api_group_id: group.id.clone(),
                api_group_name: group.name.clone(),
                instance_id: instance.id.clone(),
            }
        })
        .collect();
    let (bound_domains, total) = page.apply(all);
    Ok(Json(ListAttachedDomainsResponse {
        size: i64::try_from(bound_domains.len()).unwrap_or(0),
        total,
        bound_domains,
    }))
}
