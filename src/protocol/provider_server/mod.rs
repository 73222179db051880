//! The public face of tfplugin5: hand-written request/response types and the [`ProviderServer`]
//! trait the engine implements. The gRPC service in `grpc/` converts the generated protobuf types
//! to and from these (in `grpc/convert/`) and never lets them escape this layer.

use std::collections::HashMap;

use super::diagnostics::Diagnostics;
use super::path::AttributePath;
use super::schema::{FunctionSignature, Schema};

mod identity;
mod list;
pub use identity::*;
pub use list::*;

/// `tfplugin5.DynamicValue`: msgpack (always used in answers) or JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamicValue {
    pub msgpack: Vec<u8>,
    pub json: Vec<u8>,
}

impl DynamicValue {
    pub fn msgpack(bytes: Vec<u8>) -> Self {
        DynamicValue { msgpack: bytes, json: Vec::new() }
    }
    pub fn is_empty(&self) -> bool {
        self.msgpack.is_empty() && self.json.is_empty()
    }
}

/// `tfplugin5.RawState`: prior state as the state file stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawState {
    pub json: Vec<u8>,
    pub flatmap: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerCapabilities {
    pub plan_destroy: bool,
    pub get_provider_schema_optional: bool,
    pub move_resource_state: bool,
    /// Terraform ≥ 1.14 asks `GenerateResourceConfig` instead of deriving configuration itself.
    pub generate_resource_config: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    pub deferral_allowed: bool,
    pub write_only_attributes_allowed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct GetMetadataResponse {
    pub server_capabilities: ServerCapabilities,
    pub diagnostics: Diagnostics,
    pub resources: Vec<String>,
    pub data_sources: Vec<String>,
    pub functions: Vec<String>,
    pub list_resources: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct GetProviderSchemaResponse {
    pub provider: Schema,
    pub resource_schemas: HashMap<String, Schema>,
    pub data_source_schemas: HashMap<String, Schema>,
    pub functions: HashMap<String, FunctionSignature>,
    /// The schema of each list resource's `config` block.
    pub list_resource_schemas: HashMap<String, Schema>,
    pub server_capabilities: ServerCapabilities,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct PrepareProviderConfigRequest {
    pub config: DynamicValue,
}
#[derive(Debug, Clone, Default)]
pub struct PrepareProviderConfigResponse {
    pub prepared_config: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct ConfigureProviderRequest {
    pub terraform_version: String,
    pub config: DynamicValue,
    pub client_capabilities: ClientCapabilities,
}
#[derive(Debug, Clone, Default)]
pub struct ConfigureProviderResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct ValidateResourceTypeConfigRequest {
    pub type_name: String,
    pub config: DynamicValue,
    pub client_capabilities: ClientCapabilities,
}
#[derive(Debug, Clone, Default)]
pub struct ValidateResourceTypeConfigResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct ValidateDataSourceConfigRequest {
    pub type_name: String,
    pub config: DynamicValue,
}
#[derive(Debug, Clone, Default)]
pub struct ValidateDataSourceConfigResponse {
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceStateRequest {
    pub type_name: String,
    pub version: i64,
    pub raw_state: RawState,
}
#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceStateResponse {
    pub upgraded_state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct ReadResourceRequest {
    pub type_name: String,
    pub current_state: DynamicValue,
    pub private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
    pub client_capabilities: ClientCapabilities,
    /// Sent by Terraform ≥ 1.12 once the state holds one.
    pub current_identity: Option<DynamicValue>,
}
#[derive(Debug, Clone, Default)]
pub struct ReadResourceResponse {
    /// `None` or a null value: the object is gone.
    pub new_state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
    pub private: Vec<u8>,
    pub new_identity: Option<DynamicValue>,
}

#[derive(Debug, Clone, Default)]
pub struct PlanResourceChangeRequest {
    pub type_name: String,
    pub prior_state: DynamicValue,
    pub proposed_new_state: DynamicValue,
    pub config: DynamicValue,
    pub prior_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
    pub client_capabilities: ClientCapabilities,
    pub prior_identity: Option<DynamicValue>,
}
#[derive(Debug, Clone, Default)]
pub struct PlanResourceChangeResponse {
    pub planned_state: Option<DynamicValue>,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
    pub planned_identity: Option<DynamicValue>,
}

#[derive(Debug, Clone, Default)]
pub struct ApplyResourceChangeRequest {
    pub type_name: String,
    pub prior_state: DynamicValue,
    pub planned_state: DynamicValue,
    pub config: DynamicValue,
    pub planned_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
    pub planned_identity: Option<DynamicValue>,
}
#[derive(Debug, Clone, Default)]
pub struct ApplyResourceChangeResponse {
    pub new_state: Option<DynamicValue>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
    pub new_identity: Option<DynamicValue>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportResourceStateRequest {
    pub type_name: String,
    /// Empty when Terraform ≥ 1.12 imports by `identity` instead.
    pub id: String,
    pub client_capabilities: ClientCapabilities,
    pub identity: Option<DynamicValue>,
}
#[derive(Debug, Clone, Default)]
pub struct ImportedResource {
    pub type_name: String,
    pub state: DynamicValue,
    pub private: Vec<u8>,
    pub identity: Option<DynamicValue>,
}
#[derive(Debug, Clone, Default)]
pub struct ImportResourceStateResponse {
    pub imported_resources: Vec<ImportedResource>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct MoveResourceStateRequest {
    pub source_provider_address: String,
    pub source_type_name: String,
    pub source_schema_version: i64,
    pub source_state: RawState,
    pub target_type_name: String,
    pub source_private: Vec<u8>,
}
#[derive(Debug, Clone, Default)]
pub struct MoveResourceStateResponse {
    pub target_state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
    pub target_private: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct ReadDataSourceRequest {
    pub type_name: String,
    pub config: DynamicValue,
    pub provider_meta: Option<DynamicValue>,
    pub client_capabilities: ClientCapabilities,
}
#[derive(Debug, Clone, Default)]
pub struct ReadDataSourceResponse {
    pub state: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct GetFunctionsResponse {
    pub functions: HashMap<String, FunctionSignature>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct CallFunctionRequest {
    pub name: String,
    pub arguments: Vec<DynamicValue>,
}
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    /// Zero-based index of the argument at fault.
    pub function_argument: Option<i64>,
}
#[derive(Debug, Clone, Default)]
pub struct CallFunctionResponse {
    pub result: Option<DynamicValue>,
    pub error: Option<FunctionError>,
}

/// What a tfplugin5 provider does, in protocol terms. RPCs the provider has nothing for (actions,
/// ephemeral resources, configuration generation) are answered by the gRPC layer itself.
///
/// Every method gets a [`tokio_util::sync::CancellationToken`] that fires when Terraform calls
/// `Stop` (or the connection goes away), so in-flight work can end promptly.
///
/// Implementations need not catch panics: the gRPC layer answers a panicking call with an error
/// diagnostic and, for ReadResource and ApplyResourceChange, the state Terraform sent.
#[async_trait::async_trait]
pub trait ProviderServer: Send + Sync + 'static {
    async fn get_metadata(&self) -> GetMetadataResponse;
    async fn get_provider_schema(&self) -> GetProviderSchemaResponse;
    async fn prepare_provider_config(&self, req: PrepareProviderConfigRequest) -> PrepareProviderConfigResponse;
    async fn configure_provider(&self, req: ConfigureProviderRequest, cancel: Cancel) -> ConfigureProviderResponse;
    async fn validate_resource_type_config(
        &self,
        req: ValidateResourceTypeConfigRequest,
    ) -> ValidateResourceTypeConfigResponse;
    async fn validate_data_source_config(
        &self,
        req: ValidateDataSourceConfigRequest,
    ) -> ValidateDataSourceConfigResponse;
    async fn upgrade_resource_state(&self, req: UpgradeResourceStateRequest) -> UpgradeResourceStateResponse;
    async fn read_resource(&self, req: ReadResourceRequest, cancel: Cancel) -> ReadResourceResponse;
    async fn plan_resource_change(&self, req: PlanResourceChangeRequest, cancel: Cancel) -> PlanResourceChangeResponse;
    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
        cancel: Cancel,
    ) -> ApplyResourceChangeResponse;
    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
        cancel: Cancel,
    ) -> ImportResourceStateResponse;
    async fn move_resource_state(&self, req: MoveResourceStateRequest) -> MoveResourceStateResponse;
    async fn read_data_source(&self, req: ReadDataSourceRequest, cancel: Cancel) -> ReadDataSourceResponse;
    async fn get_functions(&self) -> GetFunctionsResponse;
    async fn call_function(&self, req: CallFunctionRequest) -> CallFunctionResponse;

    // Protocol 5.9: resource identity (Terraform ≥ 1.12).
    async fn get_resource_identity_schemas(&self) -> GetResourceIdentitySchemasResponse;
    async fn upgrade_resource_identity(&self, req: UpgradeResourceIdentityRequest) -> UpgradeResourceIdentityResponse;

    // Protocol 5.10/5.11: list resources and configuration generation (Terraform ≥ 1.14).
    async fn validate_list_resource_config(
        &self,
        req: ValidateListResourceConfigRequest,
    ) -> ValidateListResourceConfigResponse;
    /// Streams the listing into `events` and returns when it is done, `limit` is reached, `cancel`
    /// fires or the receiver is gone (Terraform stopped reading).
    async fn list_resource(&self, req: ListResourceRequest, events: ListEvents, cancel: Cancel);
}

/// Cancellation handed to every long-running RPC: fired by `Stop` or when the server shuts down.
pub type Cancel = tokio_util::sync::CancellationToken;
