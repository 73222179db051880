//! Certificate CRUD (apig-api.md §3.1–§3.5): create 200, list, show, update (full replacement) 200,
//! delete 204 (refused while bound).

use std::sync::LazyLock;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use regex::Regex;
use time::OffsetDateTime;

use super::input::{self, Object, Query};
use super::service_of;
use crate::client::models::{CertificateDetail, CertificateForm, ListCertificatesResponse};
use crate::simulator::Sim;
use crate::simulator::certificate_check::{self, ParsedCertificate};
use crate::simulator::clock::new_id;
use crate::simulator::errors::{ApiError, ApiResult};
use crate::simulator::request_log::PendingEntry;
use crate::simulator::state::{Certificate, CertificateSecret, GLOBAL_INSTANCE_ID, Project, timestamp};

/// The name rule from the API-Explorer definition.
static NAME_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-zA-Z]|[\x{4e00}-\x{9fa5}])([a-zA-Z0-9_]|[\x{4e00}-\x{9fa5}]){3,49}$").expect("static regex")
});

pub fn valid_name(name: &str) -> bool {
    NAME_RULE.is_match(name)
}

/// Reads a `CertificateForm` body (create, update, and ROMA's add-to-domain).
pub fn read_form(obj: &Object) -> ApiResult<CertificateForm> {
    Ok(CertificateForm {
        name: input::required_string(obj, "name")?,
        cert_content: input::required_string(obj, "cert_content")?,
        private_key: input::required_string(obj, "private_key")?,
        cert_type: input::optional_string(obj, "type")?,
        instance_id: input::optional_string(obj, "instance_id")?,
        trusted_root_ca: input::optional_string(obj, "trusted_root_ca")?,
        algorithm_type: input::optional_string(obj, "algorithm_type")?,
        cert_content_sign: input::optional_string(obj, "cert_content_sign")?,
        private_key_sign: input::optional_string(obj, "private_key_sign")?,
    })
}

/// A form that passed every check, ready to store.
pub struct CheckedCertificate {
    pub name: String,
    pub cert_type: String,
    pub instance_id: String,
    pub algorithm_type: String,
    pub parsed: ParsedCertificate,
    pub secret: CertificateSecret,
}

/// The service's checks for a create (`current` = None) or an update of `current`.
pub fn check_form(
    form: &CertificateForm,
    project: &Project,
    current: Option<&Certificate>,
    now: OffsetDateTime,
) -> ApiResult<CheckedCertificate> {
    if !valid_name(&form.name) {
        return Err(ApiError::invalid_param("name"));
    }
    let cert_type = match (form.cert_type.as_deref(), current) {
        (Some(t @ ("instance" | "global")), None) => t.to_string(),
        (Some("instance" | "global"), Some(cur)) if form.cert_type.as_deref() == Some(cur.cert_type.as_str()) => {
            cur.cert_type.clone()
        }
        // The scope of a certificate cannot change.
        (Some(_), _) => return Err(ApiError::invalid_param("type")),
        (None, Some(cur)) => cur.cert_type.clone(),
        (None, None) => "global".to_string(),
    };
    let instance_id = if cert_type == "instance" {
        let id = match (form.instance_id.as_deref(), current) {
            (Some(id), Some(cur)) if id != cur.instance_id => return Err(ApiError::invalid_param("instance_id")),
            (Some(id), _) => id.to_string(),
            (None, Some(cur)) => cur.instance_id.clone(),
            (None, None) => return Err(ApiError::invalid_param("instance_id")),
        };
        project.instance(&id)?;
        id
    } else {
        GLOBAL_INSTANCE_ID.to_string()
    };
    let requested_algorithm = match form.algorithm_type.as_deref() {
        None => None,
        Some(a @ ("RSA" | "ECC")) => Some(a),
        // SM2 needs national-cryptography keys the simulator cannot check.
        Some(_) => return Err(ApiError::invalid_param("algorithm_type")),
    };
    if let Some(ca) = form.trusted_root_ca.as_deref() {
        // Trusted root CAs are for instance certificates only.
        if cert_type != "instance" {
            return Err(ApiError::invalid_param("trusted_root_ca"));
        }
        certificate_check::check_ca_bundle(ca)?;
    }
    let parsed = certificate_check::check_pair(&form.cert_content, &form.private_key, now)?;
    let algorithm_type = parsed.key_family.algorithm_type();
    if requested_algorithm.is_some_and(|a| a != algorithm_type) {
        return Err(ApiError::invalid_param("algorithm_type"));
    }
    Ok(CheckedCertificate {
        name: form.name.clone(),
        cert_type,
        instance_id,
        algorithm_type: algorithm_type.to_string(),
        parsed,
        secret: CertificateSecret {
            cert_content: form.cert_content.clone(),
            private_key: form.private_key.clone(),
            trusted_root_ca: form.trusted_root_ca.clone(),
        },
    })
}

impl CheckedCertificate {
    pub fn into_new(self, project_id: &str, now: OffsetDateTime) -> Certificate {
        let stamp = timestamp(now);
        Certificate {
            id: new_id(),
            name: self.name,
            cert_type: self.cert_type,
            instance_id: self.instance_id,
            project_id: project_id.to_string(),
            algorithm_type: self.algorithm_type,
            is_has_trusted_root_ca: self.secret.trusted_root_ca.is_some(),
            parsed: self.parsed,
            create_time: stamp.clone(),
            update_time: stamp,
            secret: self.secret,
            born: std::time::Instant::now(),
        }
    }
}

pub async fn create(
    State(sim): State<Sim>,
    Path((project_id, service)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<CertificateDetail>> {
    let service = service_of(&service)?;
    let form = read_form(&input::object(&body)?)?;
    let now = sim.now();
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let checked = check_form(&form, project, None, now)?;
    let cert = checked.into_new(&project_id, now);
    let detail = cert.detail();
    project.certificates.push(cert);
    tracing::info!(service = service.as_str(), id = %detail.id, name = %detail.name, "certificate created");
    Ok(Json(detail))
}

/// The certificate as reads see it: a missing one, or one still hidden by the read lag, is 404
/// APIG.3021 (the hiding is noted in the request log).
pub fn readable<'p>(
    sim: &Sim,
    project: &'p Project,
    certificate_id: &str,
    pending: Option<&PendingEntry>,
) -> ApiResult<&'p Certificate> {
    let cert = project.certificate(certificate_id)?;
    if sim.behaviour().hides(cert.born, Instant::now()) {
        if let Some(p) = pending {
            p.note_fault("read lag", &["read_lag"]);
        }
        return Err(ApiError::certificate_not_found(certificate_id));
    }
    Ok(cert)
}

pub async fn show(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
    pending: Option<Extension<PendingEntry>>,
) -> ApiResult<Json<CertificateDetail>> {
    let service = service_of(&service)?;
    let world = sim.world();
    let project = world.cloud(service).project(&project_id)?;
    Ok(Json(readable(&sim, project, &certificate_id, pending.as_deref())?.detail()))
}

pub async fn list(
    State(sim): State<Sim>,
    Path((project_id, service)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    pending: Option<Extension<PendingEntry>>,
) -> ApiResult<Json<ListCertificatesResponse>> {
    let service = service_of(&service)?;
    let query = Query::parse(raw.as_deref());
    let page = query.page()?;
    let instance_id = query.get("instance_id").ok_or_else(|| ApiError::missing_param("instance_id"))?;
    let cert_type = query.get("type");
    if cert_type.is_some_and(|t| t != "instance" && t != "global") {
        return Err(ApiError::invalid_param("type"));
    }
    let algorithm_type = query.get("algorithm_type");
    if algorithm_type.is_some_and(|a| !matches!(a, "RSA" | "ECC" | "SM2")) {
        return Err(ApiError::invalid_param("algorithm_type"));
    }
    let world = sim.world();
    let project = world.cloud(service).project(&project_id)?;
    project.instance(instance_id)?;
    let matches = |c: &&Certificate| {
        c.usable_on(instance_id)
            && query.get("name").is_none_or(|n| c.name == n)
            && query.get("common_name").is_none_or(|n| c.parsed.common_name == n)
            && query.get("signature_algorithm").is_none_or(|s| c.parsed.signature_algorithm == s)
            && cert_type.is_none_or(|t| c.cert_type == t)
            && algorithm_type.is_none_or(|a| c.algorithm_type == a)
    };
    let behaviour = *sim.behaviour();
    let now = Instant::now();
    let matching: Vec<&Certificate> = project.certificates.iter().filter(matches).collect();
    let hidden = matching.iter().filter(|c| behaviour.hides(c.born, now)).count();
    if hidden > 0
        && let Some(p) = &pending
    {
        p.note_fault(format!("read lag ({hidden} hidden)"), &["read_lag"]);
    }
    let all: Vec<_> =
        matching.into_iter().filter(|c| !behaviour.hides(c.born, now)).map(Certificate::summary).collect();
    let (certs, total) = page.apply(all);
    Ok(Json(ListCertificatesResponse { size: i64::try_from(certs.len()).unwrap_or(0), total, certs }))
}

pub async fn update(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<CertificateDetail>> {
    let service = service_of(&service)?;
    let now = sim.now();
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    let current = project.certificate(&certificate_id)?.clone();
    let form = read_form(&input::object(&body)?)?;
    let checked = check_form(&form, project, Some(&current), now)?;

    // The new content takes effect on every bound domain, so it must still fit each of them.
    let bound = project.bound_domains(&certificate_id);
    for at in &bound {
        let domain = project.domain(*at);
        if !checked.parsed.covers(&domain.url_domain) {
            return Err(super::bindings::domain_mismatch());
        }
        if let Some(other) = domain.certificates.get(&checked.algorithm_type)
            && other != &certificate_id
        {
            return Err(super::bindings::already_bound_other());
        }
    }
    let had_ca = current.is_has_trusted_root_ca;
    let has_ca = checked.secret.trusted_root_ca.is_some();
    for at in &bound {
        let domain = project.domain_mut(*at);
        domain.certificates.retain(|_, id| id != &certificate_id);
        domain.certificates.insert(checked.algorithm_type.clone(), certificate_id.clone());
        // Adding or removing the CA resets client verification on the bound domains.
        if had_ca != has_ca {
            domain.verified_client_certificate_enabled = false;
        }
    }
    let cert = project.certificate_mut(&certificate_id)?;
    cert.name = checked.name;
    cert.algorithm_type = checked.algorithm_type;
    cert.is_has_trusted_root_ca = has_ca;
    cert.parsed = checked.parsed;
    cert.secret = checked.secret;
    cert.update_time = timestamp(now);
    tracing::info!(service = service.as_str(), id = %cert.id, "certificate updated");
    Ok(Json(cert.detail()))
}

pub async fn delete(
    State(sim): State<Sim>,
    Path((project_id, service, certificate_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let service = service_of(&service)?;
    let mut world = sim.world();
    let project = world.cloud_mut(service).project_mut(&project_id)?;
    project.certificate(&certificate_id)?;
    let bound = project.bound_domains(&certificate_id);
    if !bound.is_empty() {
        let mut names: Vec<String> = bound.iter().map(|at| project.domain(*at).url_domain.clone()).collect();
        names.sort();
        names.dedup();
        return Err(ApiError::parameter_error(format!(
            "The certificate has been bound to domain names: {}",
            names.join(",")
        )));
    }
    project.certificates.retain(|c| c.id != certificate_id);
    tracing::info!(service = service.as_str(), id = %certificate_id, "certificate deleted");
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rule_matches_the_documented_regex() {
        assert!(valid_name("cert_demo"));
        assert!(valid_name("abcd"));
        assert!(valid_name("证书名称"));
        assert!(!valid_name("abc"));
        assert!(!valid_name("1cert"));
        assert!(!valid_name("_cert"));
        assert!(!valid_name("cert-demo"));
        assert!(!valid_name(&"a".repeat(51)));
        assert!(valid_name(&"a".repeat(50)));
    }
}
