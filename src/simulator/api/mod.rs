//! Handlers of the certificate API family (apig-api.md §3, §4), shared by `apigw` and `apic`.

pub mod bindings;
pub mod certificates;
pub mod domains;
pub mod input;
pub mod instances;

use super::errors::{ApiError, ApiResult};
use crate::client::models::Service;

/// The `{service}` path segment: `apigw` is dedicated APIG, `apic` is ROMA Connect.
pub fn service_of(segment: &str) -> ApiResult<Service> {
    match segment {
        "apigw" => Ok(Service::Apig),
        "apic" => Ok(Service::Roma),
        _ => Err(ApiError::no_such_api()),
    }
}
