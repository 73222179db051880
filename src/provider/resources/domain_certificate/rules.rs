//! The rules of `apig_domain_certificate` on its model: plan-time upload checks, what only ROMA
//! takes, when a change replaces the object or only records values, the create body, and what an
//! answer puts into state.

use time::OffsetDateTime;

use crate::client::models::{CertificateDetail, DomainCertificateForm, DomainCertificateInfo, Service};
use crate::engine::Validated;
use crate::engine::model::Val;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::resources::upload::{self, UploadConfig};

use super::model::DomainCertificateModel;
use super::schema::attr;

/// The upload checks (see [`upload::validate_upload`]); returns the parse for the apply.
pub fn validate_upload(config: &DomainCertificateModel, now: OffsetDateTime, diags: &mut Diagnostics) -> Validated {
    let upload = UploadConfig {
        content: &config.content,
        private_key: &config.private_key,
        private_key_wo: &config.private_key_wo,
        algorithm_type: None,
    };
    upload::validate_upload(upload, now, diags)
}

/// `type` and `trusted_root_ca` exist only on ROMA Connect.
pub fn check_roma_only(planned: &DomainCertificateModel, config: &DomainCertificateModel, diags: &mut Diagnostics) {
    if planned.service.as_deref() != Some(Service::Apig.as_str()) {
        return;
    }
    for (name, set) in
        [(attr::TYPE, !config.cert_type.is_null()), (attr::TRUSTED_ROOT_CA, !config.trusted_root_ca.is_null())]
    {
        if set {
            diags.attribute_error(
                AttributePath::attr(name),
                "Argument not supported on APIG",
                format!(
                    "`{name}` is only supported by ROMA Connect; the APIG API creates domain certificates from a \
                     name, a certificate and a key only. Remove `{name}`, or set service = \"roma\"."
                ),
            );
        }
    }
}

/// An update that only records values in state: state lacks the PEM (import, or the remote
/// certificate changed) and the configured certificate is the remote one.
/// `validated`: what the apply's validation parsed (none at plan: the PEM is parsed when needed).
pub fn is_record_only(prior: &DomainCertificateModel, planned: &DomainCertificateModel, validated: &Validated) -> bool {
    prior.content.is_null()
        && planned
            .content
            .as_deref()
            .and_then(|content| upload::configured_leaf(content, validated))
            .is_some_and(|leaf| upload::is_remote_certificate(&leaf, &prior.serial_number, &prior.issuer))
}

/// The inputs the API never returns that changed. A change of one replaces the object, except when
/// state merely lacks them and the configured certificate is the remote one.
pub fn replacing_changes(prior: &DomainCertificateModel, planned: &DomainCertificateModel) -> Vec<AttributePath> {
    let changed = [
        (attr::CONTENT, prior.content != planned.content),
        (attr::PRIVATE_KEY, prior.private_key != planned.private_key),
        (attr::PRIVATE_KEY_WO_VERSION, prior.private_key_wo_version != planned.private_key_wo_version),
        (attr::TRUSTED_ROOT_CA, prior.trusted_root_ca != planned.trusted_root_ca),
    ];
    if is_record_only(prior, planned, &Validated::none()) {
        return Vec::new();
    }
    changed.into_iter().filter(|(_, c)| *c).map(|(name, _)| AttributePath::attr(name)).collect()
}

/// The create body; the key comes from `private_key` or, write-only, from the configuration.
pub fn form(
    planned: &DomainCertificateModel,
    config: &DomainCertificateModel,
    service: Service,
) -> Result<DomainCertificateForm, Diagnostic> {
    let missing = |name: &str| {
        Diagnostic::error(
            "Missing value",
            format!("`{name}` has no known value at apply time; set it to a known value."),
        )
        .with_attribute(AttributePath::attr(name))
    };
    let name = planned.name.known().cloned().ok_or_else(|| missing(attr::NAME))?;
    let cert_content = planned.content.known().cloned().ok_or_else(|| missing(attr::CONTENT))?;
    let private_key =
        upload::upload_key(&planned.private_key, &config.private_key_wo).ok_or_else(|| missing(attr::PRIVATE_KEY))?;
    let (cert_type, instance_id, trusted_root_ca) = match service {
        Service::Apig => (None, None, None),
        Service::Roma => {
            let cert_type = config.cert_type.known().cloned();
            let instance_id =
                if cert_type.as_deref() == Some("instance") { planned.instance_id.known().cloned() } else { None };
            (cert_type, instance_id, planned.trusted_root_ca.known().cloned())
        }
    };
    Ok(DomainCertificateForm { name, cert_content, private_key, cert_type, instance_id, trusted_root_ca })
}

/// The new certificate's ID in the add answer: the `ssl_infos` entry with the name we gave (ROMA
/// lists every certificate of the domain), else `ssl_id`.
pub fn created_certificate_id(info: &DomainCertificateInfo, name: &str) -> Option<String> {
    let from_infos = info.ssl_infos.as_ref().and_then(|infos| infos.iter().find(|i| i.ssl_name == name));
    from_infos.map(|i| i.ssl_id.clone()).or_else(|| (!info.ssl_id.is_empty()).then(|| info.ssl_id.clone()))
}

impl DomainCertificateModel {
    /// Writes what the API says about the certificate. When the remote certificate is no longer
    /// the one state describes, the content is dropped so the configuration decides.
    pub fn apply_detail(&mut self, d: &CertificateDetail) {
        if upload::replaced_remotely(&self.serial_number, &self.issuer, d) {
            tracing::info!(certificate_id = %d.id, "the certificate on the domain changed outside Terraform");
            self.content = Val::Null;
        }
        self.name = Val::Known(d.name.clone());
        if !d.cert_type.is_empty() {
            self.cert_type = Val::Known(d.cert_type.clone());
        }
        self.common_name = Val::Known(d.common_name.clone());
        self.sans = Val::Known(d.san.clone());
        self.not_after = Val::Known(d.not_after.clone());
        self.serial_number = Val::Known(d.serial_number.clone());
        self.issuer = Val::Known(d.issuer.clone());
    }

    /// What a failed read-back leaves unknown becomes null, so the partial state can be saved.
    pub fn settle_certificate_fields(&mut self) {
        self.cert_type.unknown_to_null();
        self.common_name.unknown_to_null();
        self.sans.unknown_to_null();
        self.not_after.unknown_to_null();
        self.serial_number.unknown_to_null();
        self.issuer.unknown_to_null();
    }
}
