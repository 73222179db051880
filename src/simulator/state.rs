//! The simulated clouds. APIG (`apigw`) and ROMA Connect (`apic`) are kept as two independent
//! clouds seeded from the same fixtures, so a test of one never sees the other's objects.
//! Secrets live in [`CertificateSecret`], which has no `Serialize`: `/_sim/state` cannot leak them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::certificate_check::ParsedCertificate;
use super::clock::{rfc3339_micros, rfc3339_seconds};
use super::errors::{ApiError, ApiResult};
use super::fixtures::Fixtures;
use crate::client::models::{CertificateDetail, CertificateSummary, Service};

/// `instance_id` the API shows for global certificates.
pub const GLOBAL_INSTANCE_ID: &str = "common";

#[derive(Debug, Clone, Serialize)]
pub struct World {
    pub apigw: Cloud,
    pub apic: Cloud,
}

impl World {
    /// Both clouds as the fixtures describe them, created at `now`.
    pub fn from_fixtures(fixtures: &Fixtures, now: time::OffsetDateTime) -> World {
        let created = timestamp(now);
        let created_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        World {
            apigw: Cloud::from_fixtures(fixtures, &created, created_ms),
            apic: Cloud::from_fixtures(fixtures, &created, created_ms),
        }
    }

    pub fn cloud(&self, service: Service) -> &Cloud {
        match service {
            Service::Apig => &self.apigw,
            Service::Roma => &self.apic,
        }
    }

    pub fn cloud_mut(&mut self, service: Service) -> &mut Cloud {
        match service {
            Service::Apig => &mut self.apigw,
            Service::Roma => &mut self.apic,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Cloud {
    pub projects: Vec<Project>,
}

impl Cloud {
    fn from_fixtures(fixtures: &Fixtures, created: &str, created_ms: i64) -> Cloud {
        let projects = fixtures
            .projects
            .iter()
            .map(|p| Project {
                id: p.id.clone(),
                name: p.name.clone(),
                instances: p
                    .instances
                    .iter()
                    .map(|i| Instance {
                        id: i.id.clone(),
                        name: instance_name(&i.id, &i.name),
                        create_time_ms: created_ms,
                        groups: i
                            .groups
                            .iter()
                            .map(|g| Group {
                                id: g.id.clone(),
                                name: g.name.clone(),
                                register_time: created.to_string(),
                                update_time: created.to_string(),
                                domains: g
                                    .domains
                                    .iter()
                                    .map(|d| Domain {
                                        id: d.id.clone(),
                                        url_domain: d.url_domain.clone(),
                                        status: d.status.unwrap_or(3),
                                        min_ssl_version: d
                                            .min_ssl_version
                                            .clone()
                                            .unwrap_or_else(|| "TLSv1.1".to_string()),
                                        is_http_redirect_to_https: false,
                                        verified_client_certificate_enabled: false,
                                        ingress_http_port: d.ingress_http_port,
                                        ingress_https_port: d.ingress_https_port,
                                        certificates: BTreeMap::new(),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
                certificates: Vec::new(),
            })
            .collect();
        Cloud { projects }
    }

    pub fn project(&self, id: &str) -> ApiResult<&Project> {
        self.projects.iter().find(|p| p.id == id).ok_or_else(ApiError::forbidden)
    }

    pub fn project_mut(&mut self, id: &str) -> ApiResult<&mut Project> {
        self.projects.iter_mut().find(|p| p.id == id).ok_or_else(ApiError::forbidden)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub instances: Vec<Instance>,
    pub certificates: Vec<Certificate>,
}

/// Indexes of a domain inside a project: instance, group, domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainAt {
    pub instance: usize,
    pub group: usize,
    pub domain: usize,
}

impl Project {
    pub fn instance(&self, id: &str) -> ApiResult<&Instance> {
        self.instances.iter().find(|i| i.id == id).ok_or_else(|| ApiError::instance_not_found(id))
    }

    pub fn certificate(&self, id: &str) -> ApiResult<&Certificate> {
        self.certificates.iter().find(|c| c.id == id).ok_or_else(|| ApiError::certificate_not_found(id))
    }

    pub fn certificate_mut(&mut self, id: &str) -> ApiResult<&mut Certificate> {
        self.certificates.iter_mut().find(|c| c.id == id).ok_or_else(|| ApiError::certificate_not_found(id))
    }

    /// Resolves instance → group → domain with the documented 404s (APIG.3030, 3001, 3020).
    pub fn locate_domain(&self, instance_id: &str, group_id: &str, domain_id: &str) -> ApiResult<DomainAt> {
        let i = self.instances.iter().position(|i| i.id == instance_id);
        let i = i.ok_or_else(|| ApiError::instance_not_found(instance_id))?;
        let g = self.instances[i].groups.iter().position(|g| g.id == group_id);
        let g = g.ok_or_else(|| ApiError::group_not_found(group_id))?;
        let d = self.instances[i].groups[g].domains.iter().position(|d| d.id == domain_id);
        let d = d.ok_or_else(ApiError::domain_not_found)?;
        Ok(DomainAt { instance: i, group: g, domain: d })
    }

    pub fn domain(&self, at: DomainAt) -> &Domain {
        &self.instances[at.instance].groups[at.group].domains[at.domain]
    }

    pub fn domain_mut(&mut self, at: DomainAt) -> &mut Domain {
        &mut self.instances[at.instance].groups[at.group].domains[at.domain]
    }

    /// Every domain, in fixture order, with its location.
    pub fn all_domains(&self) -> impl Iterator<Item = (DomainAt, &Domain)> {
        self.instances.iter().enumerate().flat_map(|(i, inst)| {
            inst.groups.iter().enumerate().flat_map(move |(g, group)| {
                group
                    .domains
                    .iter()
                    .enumerate()
                    .map(move |(d, dom)| (DomainAt { instance: i, group: g, domain: d }, dom))
            })
        })
    }

    /// Domains that carry the certificate `cert_id`.
    pub fn bound_domains(&self, cert_id: &str) -> Vec<DomainAt> {
        self.all_domains().filter(|(_, d)| d.certificates.values().any(|c| c == cert_id)).map(|(at, _)| at).collect()
    }
}

/// The fixture's name for a gateway, or `gateway-` and the first 8 characters of its ID.
fn instance_name(id: &str, name: &str) -> String {
    if name.is_empty() { format!("gateway-{}", id.chars().take(8).collect::<String>()) } else { name.to_string() }
}

#[derive(Debug, Clone, Serialize)]
pub struct Instance {
    pub id: String,
    pub name: String,
    /// Unix milliseconds, as APIG's instance list shows it.
    pub create_time_ms: i64,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub register_time: String,
    pub update_time: String,
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    pub id: String,
    pub url_domain: String,
    pub status: i32,
    pub min_ssl_version: String,
    pub is_http_redirect_to_https: bool,
    pub verified_client_certificate_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_http_port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_https_port: Option<i32>,
    /// One certificate per algorithm type: `algorithm_type` → certificate ID.
    pub certificates: BTreeMap<String, String>,
}

impl Domain {
    /// The certificate shown as `ssl_id`/`ssl_name`: the RSA one when bound, else any.
    pub fn primary_certificate(&self) -> Option<&String> {
        self.certificates.get("RSA").or_else(|| self.certificates.values().next())
    }
}

/// What was uploaded and is never given back.
#[derive(Clone, Default)]
pub struct CertificateSecret {
    pub cert_content: String,
    pub private_key: String,
    pub trusted_root_ca: Option<String>,
}

impl std::fmt::Debug for CertificateSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CertificateSecret { <redacted> }")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub id: String,
    pub name: String,
    /// `instance` or `global`.
    #[serde(rename = "type")]
    pub cert_type: String,
    /// The gateway for instance certificates, [`GLOBAL_INSTANCE_ID`] for global ones.
    pub instance_id: String,
    pub project_id: String,
    pub algorithm_type: String,
    pub is_has_trusted_root_ca: bool,
    pub parsed: ParsedCertificate,
    pub create_time: String,
    pub update_time: String,
    #[serde(skip)]
    pub secret: CertificateSecret,
    /// When it was created on the monotonic clock, for the read lag (`/_sim/behaviour`).
    #[serde(skip)]
    pub born: std::time::Instant,
}

impl Certificate {
    pub fn is_global(&self) -> bool {
        self.cert_type == "global"
    }

    /// Whether a domain on gateway `instance_id` may carry this certificate.
    pub fn usable_on(&self, instance_id: &str) -> bool {
        self.is_global() || self.instance_id == instance_id
    }

    pub fn detail(&self) -> CertificateDetail {
        let p = &self.parsed;
        CertificateDetail {
            id: self.id.clone(),
            name: self.name.clone(),
            cert_type: self.cert_type.clone(),
            instance_id: self.instance_id.clone(),
            project_id: self.project_id.clone(),
            common_name: p.common_name.clone(),
            san: p.san.clone(),
            not_before: rfc3339_seconds(p.not_before),
            not_after: rfc3339_seconds(p.not_after),
            signature_algorithm: p.signature_algorithm.clone(),
            create_time: self.create_time.clone(),
            update_time: self.update_time.clone(),
            is_has_trusted_root_ca: self.is_has_trusted_root_ca,
            algorithm_type: self.algorithm_type.clone(),
            version: p.version,
            organization: p.organization.clone(),
            organizational_unit: p.organizational_unit.clone(),
            locality: p.locality.clone(),
            state: p.state.clone(),
            country: p.country.clone(),
            serial_number: p.serial_number.clone(),
            issuer: p.issuer.clone(),
        }
    }

    pub fn summary(&self) -> CertificateSummary {
        CertificateSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            cert_type: self.cert_type.clone(),
            instance_id: self.instance_id.clone(),
            project_id: self.project_id.clone(),
            common_name: self.parsed.common_name.clone(),
            san: self.parsed.san.clone(),
            not_after: rfc3339_seconds(self.parsed.not_after),
            signature_algorithm: self.parsed.signature_algorithm.clone(),
            create_time: self.create_time.clone(),
            update_time: self.update_time.clone(),
            is_has_trusted_root_ca: self.is_has_trusted_root_ca,
            algorithm_type: self.algorithm_type.clone(),
        }
    }
}

/// `create_time`-style timestamp for "now".
pub fn timestamp(now: time::OffsetDateTime) -> String {
    rfc3339_micros(now)
}
