//! List resources for `terraform query` (protocol 5.10).

use super::DynamicValue;
use crate::protocol::diagnostics::Diagnostics;

#[derive(Debug, Clone, Default)]
pub struct ValidateListResourceConfigRequest {
    pub type_name: String,
    /// The `config { }` block of the `list` block.
    pub config: DynamicValue,
}

#[derive(Debug, Clone, Default)]
pub struct ValidateListResourceConfigResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct ListResourceRequest {
    pub type_name: String,
    pub config: DynamicValue,
    /// Set by `-generate-config-out`: each event carries the whole resource object.
    pub include_resource_object: bool,
    /// At most this many events (Terraform's default is 100).
    pub limit: i64,
}

/// One listed object, or (without identity) a diagnostic that ends the listing.
#[derive(Debug, Clone, Default)]
pub struct ListResourceEvent {
    pub identity: Option<DynamicValue>,
    pub display_name: String,
    pub resource_object: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}

/// Where a listing sends its events; the gRPC layer streams them to Terraform as they come.
pub type ListEvents = tokio::sync::mpsc::Sender<ListResourceEvent>;
