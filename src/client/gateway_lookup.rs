//! A gateway ID for calls that need one when the object has none: the certificate list requires
//! `instance_id` (apig-api.md §3.2) even when looking for a global certificate. A list with any
//! gateway's ID holds every global certificate, so the first gateway of the service's instance
//! list (§3.15) serves; it is remembered per service for the client's life.

use super::api_client::ApiClient;
use super::call::CallContext;
use super::error::ApiError;
use super::models::Service;

impl ApiClient {
    /// The ID of one of the project's gateways on `service`, or an error that says what to do
    /// when the project has none.
    pub(crate) async fn any_gateway_id(&self, service: Service, call: &CallContext) -> Result<String, ApiError> {
        if let Some(id) = self.remembered_gateway(service) {
            return Ok(id);
        }
        let instances = self.list_all_instances(service, call).await?;
        let Some(first) = instances.into_iter().map(|i| i.id).find(|id| !id.is_empty()) else {
            return Err(ApiError::InvalidInput {
                message: format!(
                    "the project {} has no {} instance, and finding a global certificate needs one: the certificate \
                     list API requires an instance_id. Create a gateway (or check project_id, region and service), \
                     or look the certificate up in the console by name and import or delete it",
                    self.project_id(),
                    service.as_str()
                ),
            });
        };
        self.remember_gateway(service, &first);
        Ok(first)
    }
}
