//! Data sources: read-only lookups, one per file.

pub mod certificate;
pub mod certificate_attached_domains;
pub mod certificates;

use std::sync::Arc;

use crate::engine::DataSource;

pub use certificate::CertificateDataSource;
pub use certificate_attached_domains::CertificateAttachedDomainsDataSource;
pub use certificates::CertificatesDataSource;

/// Every data source of the provider.
pub fn all() -> Vec<Arc<dyn DataSource>> {
    vec![
        Arc::new(CertificateDataSource),
        Arc::new(CertificatesDataSource),
        Arc::new(CertificateAttachedDomainsDataSource),
    ]
}
