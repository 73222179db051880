//! The project's gateways (apig-api.md §3.15): APIG's `GET /v2/{project_id}/apigw/instances` and
//! ROMA Connect's `GET /v2/{project_id}/instances` (outside the `apic` prefix). The way to get a
//! gateway ID when only the project is known, e.g. to list global certificates.

use reqwest::Method;

use super::api_client::{ApiClient, ApiRequest};
use super::call::CallContext;
use super::error::ApiError;
use super::models::{InstanceSummary, ListInstancesResponse, Service};
use super::pagination;

/// Page size of [`ApiClient::list_all_instances`]: ROMA's largest (APIG allows 500).
pub const INSTANCE_PAGE_LIMIT: u32 = 100;

fn list_request(service: Service, offset: u64, limit: u32) -> ApiRequest {
    let req = match service {
        Service::Apig => ApiRequest::new(Method::GET, service, &["instances"], &[200]),
        Service::Roma => ApiRequest::without_prefix(Method::GET, service, &["instances"], &[200]),
    };
    req.query("offset", Some(offset)).query("limit", Some(limit))
}

impl ApiClient {
    /// One page of the service's instance list.
    pub async fn list_instances(
        &self,
        service: Service,
        offset: u64,
        limit: u32,
        call: &CallContext,
    ) -> Result<ListInstancesResponse, ApiError> {
        self.execute_json(&list_request(service, offset, limit), call).await
    }

    /// Every instance of the service in the project, paging by [`INSTANCE_PAGE_LIMIT`] until a
    /// short page.
    pub async fn list_all_instances(
        &self,
        service: Service,
        call: &CallContext,
    ) -> Result<Vec<InstanceSummary>, ApiError> {
        pagination::collect_pages("the instance list", INSTANCE_PAGE_LIMIT, |offset| async move {
            Ok(self.list_instances(service, offset, INSTANCE_PAGE_LIMIT, call).await?.instances)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apig_lists_under_its_prefix_and_roma_outside_it() {
        let apig = list_request(Service::Apig, 5, 100);
        assert!(apig.prefixed);
        assert_eq!(apig.segments, ["instances"]);
        assert_eq!(apig.query, [("offset".to_string(), "5".to_string()), ("limit".to_string(), "100".to_string())]);
        let roma = list_request(Service::Roma, 0, 100);
        assert!(!roma.prefixed);
        assert_eq!(roma.segments, ["instances"]);
    }
}
