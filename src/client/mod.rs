//! The API client for APIG (`apigw`) and ROMA Connect (`apic`): endpoints, auth, signing, retries,
//! error mapping, pagination. `models` is shared with the simulator.
//!
//! Entry point: [`ApiClient::new`] with a [`ClientConfig`]; every call takes a [`CallContext`]
//! (cancellation + deadline) and returns [`ApiError`] on failure.

mod adoption;
mod api_client;
mod auth;
mod call;
mod certificates;
mod config;
mod credentials;
mod domains;
mod error;
mod fingerprint;
mod gateway_lookup;
mod instances;
pub mod models;
mod pagination;
pub mod retry;
pub mod signer;
mod transport;
mod write_lock;

pub use adoption::STOP_LOOKUP_GRACE;
pub use api_client::{ApiClient, USER_AGENT};
pub use auth::HEADER_SUBJECT_TOKEN;
pub use call::CallContext;
pub use certificates::{ListAttachedDomainsQuery, ListCertificatesQuery, PAGE_LIMIT};
pub use config::{ClientConfig, DEFAULT_CLOUD, EndpointOverrides, is_plain_http_beyond_loopback, normalize_base_url};
pub use credentials::{AuthMethod, Credentials, Secret};
pub use domains::DomainRef;
pub use error::{ApiError, ServiceError};
pub use fingerprint::{CertFingerprint, same_certificate};
pub use instances::INSTANCE_PAGE_LIMIT;
pub use pagination::Pages;
pub use retry::RetryPolicy;
pub use transport::HEADER_REQUEST_ID;
