//! List resources for `terraform query` (Terraform ≥ 1.14): what a project already holds, for
//! adoption. Each lists one managed resource type, which has an identity; the engine shapes the
//! objects, computes identities and honours `limit`. `apig_certificate_domains` has none: its
//! object is "the domains this configuration bound", which nothing outside Terraform can name;
//! `apig_certificate` lists the certificates, and its import adopts every bound domain.

mod attachments;
mod certificates;

use std::sync::Arc;

use crate::engine::list::ListResource;

pub use attachments::AttachmentList;
pub use certificates::CertificateList;

/// Every list resource of the provider.
pub fn all() -> Vec<Arc<dyn ListResource>> {
    vec![Arc::new(CertificateList), Arc::new(AttachmentList)]
}
