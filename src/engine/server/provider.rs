//! Metadata, provider configuration, and configuration validation of resources and data sources.

use crate::engine::codec::decode;
use crate::engine::context::operation_context;
use crate::engine::cursor::PathCursor;
use crate::engine::validate::{errors_only, validate_config};
use crate::engine::values::write_only_violations;
use crate::protocol::*;

use super::{CAPABILITIES, Engine, wire_paths};

impl Engine {
    pub(super) fn metadata(&self) -> GetMetadataResponse {
        let mut resources: Vec<String> = self.resources.keys().cloned().collect();
        let mut data_sources: Vec<String> = self.data_sources.keys().cloned().collect();
        let mut functions: Vec<String> = self.functions.keys().cloned().collect();
        let mut list_resources: Vec<String> = self.list_resources.keys().cloned().collect();
        list_resources.sort();
        resources.sort();
        data_sources.sort();
        functions.sort();
        GetMetadataResponse {
            server_capabilities: CAPABILITIES,
            diagnostics: self.schema_response.diagnostics.clone(),
            resources,
            data_sources,
            functions,
            list_resources,
        }
    }

    pub(super) fn prepare_config(&self, req: PrepareProviderConfigRequest) -> PrepareProviderConfigResponse {
        tracing::debug!(provider = self.provider.type_name(), "PrepareProviderConfig");
        let schema = &self.provider_schema;
        let config = match decode(&req.config, &schema.ty, "provider configuration") {
            Ok(v) => v,
            Err(d) => return PrepareProviderConfigResponse { prepared_config: None, diagnostics: d.into() },
        };
        let mut diags = Diagnostics::new();
        validate_config(&schema.decl, &config, &mut diags);
        self.provider.validate(&config, &mut diags);
        let prepared_config = (!diags.has_errors()).then_some(req.config);
        PrepareProviderConfigResponse { prepared_config, diagnostics: wire_paths(diags, &schema.ty) }
    }

    pub(super) async fn configure(&self, req: ConfigureProviderRequest, cancel: Cancel) -> ConfigureProviderResponse {
        tracing::debug!(provider = self.provider.type_name(), "ConfigureProvider");
        let schema = &self.provider_schema;
        let config = match decode(&req.config, &schema.ty, "provider configuration") {
            Ok(v) => v,
            Err(d) => return ConfigureProviderResponse { diagnostics: d.into() },
        };
        if !config.is_wholly_known() {
            // Values known only after apply: resources get no provider data and say so if they
            // need the API (see `Context::provider`).
            tracing::debug!("provider configuration is not wholly known; staying unconfigured");
            self.set_provider_data(None);
            return ConfigureProviderResponse::default();
        }
        let mut diags = Diagnostics::new();
        validate_config(&schema.decl, &config, &mut diags);
        self.provider.validate(&config, &mut diags);
        let diags = errors_only(diags);
        if diags.has_errors() {
            self.set_provider_data(None);
            return ConfigureProviderResponse { diagnostics: wire_paths(diags, &schema.ty) };
        }
        let ctx = operation_context(&cancel, "configure", None, None);
        match self.provider.configure(&ctx, &req.terraform_version, config).await {
            Ok(data) => {
                self.set_provider_data(Some(data));
                ConfigureProviderResponse::default()
            }
            Err(diags) => {
                self.set_provider_data(None);
                ConfigureProviderResponse { diagnostics: wire_paths(diags, &schema.ty) }
            }
        }
    }

    pub(super) fn validate_resource(
        &self,
        type_name: &str,
        config: &DynamicValue,
        client: ClientCapabilities,
    ) -> Diagnostics {
        tracing::debug!(type_name, "ValidateResourceTypeConfig");
        let entry = match self.resource(type_name) {
            Ok(e) => e,
            Err(d) => return d.into(),
        };
        let config = match decode(config, &entry.schema.ty, "configuration") {
            Ok(v) => v,
            Err(d) => return d.into(),
        };
        let mut diags = Diagnostics::new();
        if !client.write_only_attributes_allowed {
            // Terraform before 1.11 does not know write-only attributes and would store the value.
            let mut set = Vec::new();
            write_only_violations(&entry.schema.decl.block, &config, &PathCursor::root(), &mut set);
            for path in set {
                diags.attribute_error(
                    path,
                    "Write-only attribute not supported",
                    "This attribute is write-only, which needs Terraform 1.11 or later. Upgrade Terraform, or use the \
                     attribute's non-write-only alternative.",
                );
            }
        }
        validate_config(&entry.schema.decl, &config, &mut diags);
        // What validation made is for an apply; a plan-time check has no use for it.
        let _ = entry.resource.validate(&config, &mut diags);
        wire_paths(diags, &entry.schema.ty)
    }

    pub(super) fn validate_data_source(&self, type_name: &str, config: &DynamicValue) -> Diagnostics {
        tracing::debug!(type_name, "ValidateDataSourceConfig");
        let entry = match self.data_source(type_name) {
            Ok(e) => e,
            Err(d) => return d.into(),
        };
        let config = match decode(config, &entry.schema.ty, "configuration") {
            Ok(v) => v,
            Err(d) => return d.into(),
        };
        let mut diags = Diagnostics::new();
        validate_config(&entry.schema.decl, &config, &mut diags);
        entry.data_source.validate(&config, &mut diags);
        wire_paths(diags, &entry.schema.ty)
    }
}
