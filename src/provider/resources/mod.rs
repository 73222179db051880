//! Managed resources: each declares its schema and maps create/read/update/delete to API calls;
//! the engine applies the generic Terraform rules.

pub mod certificate;
pub mod certificate_domains;
pub mod domain_certificate;
pub mod domain_certificate_attachment;
mod domain_id;
mod identity;
pub mod list;
mod upload;
#[cfg(test)]
mod upload_parsed_once;

pub use certificate::CertificateResource;
pub use certificate_domains::CertificateDomainsResource;
pub use domain_certificate::DomainCertificateResource;
pub use domain_certificate_attachment::DomainCertificateAttachmentResource;

use std::sync::Arc;

use crate::engine::Resource;

/// Every managed resource of the provider.
pub fn all() -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(CertificateResource),
        Arc::new(CertificateDomainsResource),
        Arc::new(DomainCertificateResource),
        Arc::new(DomainCertificateAttachmentResource),
    ]
}
