//! The provider-level RPCs: GetMetadata, GetProviderSchema, PrepareProviderConfig (ValidateProviderConfig)
//! and ConfigureProvider.

use std::collections::HashMap;

use super::function::functions_out;
use super::pb;
use super::schema::schemas_out;
use super::values::{diagnostics_out, value_in, value_out};
use crate::protocol::provider_server as api;

// Requests without fields: the provider call takes no argument.

impl From<pb::get_metadata::Request> for () {
    fn from(_: pb::get_metadata::Request) -> Self {}
}

impl From<pb::get_provider_schema::Request> for () {
    fn from(_: pb::get_provider_schema::Request) -> Self {}
}

impl From<api::GetMetadataResponse> for pb::get_metadata::Response {
    fn from(r: api::GetMetadataResponse) -> Self {
        use pb::get_metadata::{DataSourceMetadata, FunctionMetadata, ListResourceMetadata, ResourceMetadata};
        pb::get_metadata::Response {
            server_capabilities: Some(r.server_capabilities.into()),
            diagnostics: diagnostics_out(r.diagnostics),
            data_sources: r.data_sources.into_iter().map(|type_name| DataSourceMetadata { type_name }).collect(),
            resources: r.resources.into_iter().map(|type_name| ResourceMetadata { type_name }).collect(),
            functions: r.functions.into_iter().map(|name| FunctionMetadata { name }).collect(),
            ephemeral_resources: Vec::new(),
            list_resources: r.list_resources.into_iter().map(|type_name| ListResourceMetadata { type_name }).collect(),
            actions: Vec::new(),
        }
    }
}

impl From<api::GetProviderSchemaResponse> for pb::get_provider_schema::Response {
    fn from(r: api::GetProviderSchemaResponse) -> Self {
        pb::get_provider_schema::Response {
            provider: Some(r.provider.into()),
            resource_schemas: schemas_out(r.resource_schemas),
            data_source_schemas: schemas_out(r.data_source_schemas),
            diagnostics: diagnostics_out(r.diagnostics),
            // Left unset: the provider has no provider_meta schema.
            provider_meta: None,
            server_capabilities: Some(r.server_capabilities.into()),
            functions: functions_out(r.functions),
            ephemeral_resource_schemas: HashMap::new(),
            list_resource_schemas: schemas_out(r.list_resource_schemas),
            action_schemas: HashMap::new(),
        }
    }
}

impl From<pb::prepare_provider_config::Request> for api::PrepareProviderConfigRequest {
    fn from(r: pb::prepare_provider_config::Request) -> Self {
        api::PrepareProviderConfigRequest { config: value_in(r.config) }
    }
}

impl From<api::PrepareProviderConfigResponse> for pb::prepare_provider_config::Response {
    fn from(r: api::PrepareProviderConfigResponse) -> Self {
        pb::prepare_provider_config::Response {
            prepared_config: value_out(r.prepared_config),
            diagnostics: diagnostics_out(r.diagnostics),
        }
    }
}

impl From<pb::configure::Request> for api::ConfigureProviderRequest {
    fn from(r: pb::configure::Request) -> Self {
        api::ConfigureProviderRequest {
            terraform_version: r.terraform_version,
            config: value_in(r.config),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ConfigureProviderResponse> for pb::configure::Response {
    fn from(r: api::ConfigureProviderResponse) -> Self {
        pb::configure::Response { diagnostics: diagnostics_out(r.diagnostics) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::diagnostics::{Diagnostic, Diagnostics};
    use crate::protocol::schema::{FunctionSignature, Schema};

    #[test]
    fn provider_schema_response_keeps_every_map_and_no_provider_meta() {
        let resp = api::GetProviderSchemaResponse {
            provider: Schema::default(),
            resource_schemas: [("apig_certificate".to_string(), Schema::default())].into_iter().collect(),
            data_source_schemas: [("apig_certificates".to_string(), Schema::default())].into_iter().collect(),
            functions: [("parse".to_string(), FunctionSignature::default())].into_iter().collect(),
            list_resource_schemas: [("apig_certificate".to_string(), Schema::default())].into_iter().collect(),
            server_capabilities: api::ServerCapabilities { plan_destroy: true, ..Default::default() },
            diagnostics: Diagnostics::from(Diagnostic::warning("w", "d")),
        };
        let out = pb::get_provider_schema::Response::from(resp);
        assert!(out.provider.and_then(|s| s.block).is_some());
        assert!(out.resource_schemas["apig_certificate"].block.is_some());
        assert!(out.data_source_schemas["apig_certificates"].block.is_some());
        assert!(out.functions.contains_key("parse"));
        assert!(out.list_resource_schemas["apig_certificate"].block.is_some());
        assert!(out.provider_meta.is_none());
        assert_eq!(out.server_capabilities.map(|c| c.plan_destroy), Some(true));
        assert_eq!(out.diagnostics.len(), 1);
    }
}
