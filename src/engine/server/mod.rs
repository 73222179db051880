//! [`Engine`]: the [`ProviderServer`] for any [`Provider`]. Schemas are compiled once at start;
//! each RPC decodes, applies the generic rules around the resource's own code, and encodes.
//! Logs name the RPC and type only, never values (they hold private keys).

mod apply;
mod data_source;
mod function;
mod identity;
mod list;
mod plan;
mod provider;
mod state;

use crate::protocol::diagnostics::excerpt;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::protocol::cty::Type;
use crate::protocol::schema::FunctionSignature;
use crate::protocol::*;

use super::compiled::CompiledSchema;
use super::cursor::truncate_at_sets;
use super::identity::schema_problems;
use super::traits::{DataSource, Function, Provider, ProviderData, Resource};

pub(crate) struct ResourceEntry {
    pub resource: Arc<dyn Resource>,
    pub schema: CompiledSchema,
    pub identity: Option<identity::CompiledIdentity>,
}

pub(crate) struct DataSourceEntry {
    pub data_source: Arc<dyn DataSource>,
    pub schema: CompiledSchema,
}

pub(crate) struct FunctionEntry {
    pub function: Arc<dyn Function>,
    pub signature: FunctionSignature,
}

pub struct Engine {
    provider: Arc<dyn Provider>,
    provider_schema: CompiledSchema,
    resources: HashMap<String, ResourceEntry>,
    data_sources: HashMap<String, DataSourceEntry>,
    functions: HashMap<String, FunctionEntry>,
    list_resources: HashMap<String, list::ListEntry>,
    /// Built once: schemas are static, so Terraform may cache them (`get_provider_schema_optional`).
    schema_response: GetProviderSchemaResponse,
    /// Set by a successful Configure with wholly known configuration; `None` otherwise.
    provider_data: RwLock<Option<ProviderData>>,
}

pub(crate) const CAPABILITIES: ServerCapabilities = ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: true,
    move_resource_state: false,
    // Measured on Terraform 1.15.5: generated configuration shows every argument, null ones
    // included, whether the provider or Terraform derives it, and Terraform already leaves
    // computed-only attributes out; provider generation would change nothing.
    generate_resource_config: false,
};

impl Engine {
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let mut problems = Vec::new();
        let provider_schema = CompiledSchema::compile(provider.schema(), "provider", &mut problems);
        let mut resources = HashMap::new();
        for resource in provider.resources() {
            let name = resource.type_name().to_string();
            let schema = CompiledSchema::compile(resource.schema(), &format!("resource {name}"), &mut problems);
            let identity = resource.identity().map(|i| {
                let schema = i.schema();
                problems.extend(schema_problems(&schema).into_iter().map(|p| format!("resource {name}: {p}")));
                identity::CompiledIdentity::new(schema)
            });
            if resources.insert(name.clone(), ResourceEntry { resource, schema, identity }).is_some() {
                problems.push(format!("resource {name}: declared twice"));
            }
        }
        let mut data_sources = HashMap::new();
        for data_source in provider.data_sources() {
            let name = data_source.type_name().to_string();
            let schema = CompiledSchema::compile(data_source.schema(), &format!("data source {name}"), &mut problems);
            if data_sources.insert(name.clone(), DataSourceEntry { data_source, schema }).is_some() {
                problems.push(format!("data source {name}: declared twice"));
            }
        }
        let mut functions = HashMap::new();
        for function in provider.functions() {
            let name = function.name().to_string();
            let signature = function.signature();
            check_function(&name, &signature, &mut problems);
            if functions.insert(name.clone(), FunctionEntry { function, signature }).is_some() {
                problems.push(format!("function {name}: declared twice"));
            }
        }
        let mut list_resources = HashMap::new();
        for list in provider.list_resources() {
            let name = list.type_name().to_string();
            let schema = CompiledSchema::compile(list.schema(), &format!("list resource {name}"), &mut problems);
            // Terraform reports a provider bug for a list type without a managed twin with identity.
            if resources.get(&name).is_none_or(|e| e.identity.is_none()) {
                problems.push(format!("list resource {name}: no managed resource {name} with an identity"));
            }
            if list_resources.insert(name.clone(), list::ListEntry { list, schema }).is_some() {
                problems.push(format!("list resource {name}: declared twice"));
            }
        }
        let mut diagnostics = Diagnostics::new();
        for p in &problems {
            tracing::error!(problem = %p, "invalid schema declaration");
            diagnostics.error(
                "Invalid provider schema",
                format!(
                    "{p}. This is a bug in the provider: please report it; no operation can run until it is fixed."
                ),
            );
        }
        let schema_response = GetProviderSchemaResponse {
            provider: provider_schema.wire.clone(),
            resource_schemas: resources.iter().map(|(k, e)| (k.clone(), e.schema.wire.clone())).collect(),
            data_source_schemas: data_sources.iter().map(|(k, e)| (k.clone(), e.schema.wire.clone())).collect(),
            functions: functions.iter().map(|(k, e)| (k.clone(), e.signature.clone())).collect(),
            list_resource_schemas: list_resources.iter().map(|(k, e)| (k.clone(), e.schema.wire.clone())).collect(),
            server_capabilities: CAPABILITIES,
            diagnostics,
        };
        Engine {
            provider,
            provider_schema,
            resources,
            data_sources,
            functions,
            list_resources,
            schema_response,
            provider_data: RwLock::new(None),
        }
    }

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostic> {
        self.resources.get(type_name).ok_or_else(|| unknown_type("resource", type_name))
    }

    fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry, Diagnostic> {
        self.data_sources.get(type_name).ok_or_else(|| unknown_type("data source", type_name))
    }

    fn provider_data(&self) -> Option<ProviderData> {
        self.provider_data.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_provider_data(&self, data: Option<ProviderData>) {
        *self.provider_data.write().unwrap_or_else(|e| e.into_inner()) = data;
    }
}

pub(super) fn unknown_type(kind: &str, type_name: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!(
            "This provider has no {kind} type {type_name}. Check the name in the configuration, or upgrade the \
             provider if the type was added in a later version.",
            type_name = excerpt(type_name)
        ),
    )
}

fn check_function(name: &str, sig: &FunctionSignature, problems: &mut Vec<String>) {
    let hcl_ident = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !hcl_ident(name) {
        problems.push(format!("function {name:?}: not a valid identifier"));
    }
    let mut seen = std::collections::HashSet::new();
    for p in sig.parameters.iter().chain(sig.variadic_parameter.as_ref()) {
        if !hcl_ident(&p.name) || !seen.insert(p.name.as_str()) {
            problems.push(format!("function {name}: parameter {:?} is invalid or repeated", p.name));
        }
    }
}

/// Paths of diagnostics cut at set elements (unaddressable on the wire) for the type `ty`.
fn wire_paths(mut diags: Diagnostics, ty: &Type) -> Diagnostics {
    for d in &mut diags.0 {
        if let Some(p) = &d.attribute {
            d.attribute = Some(truncate_at_sets(p, ty));
        }
    }
    diags
}

/// A panic while serving an RPC (a bug) is caught by the protocol layer, which answers it with an
/// error diagnostic and keeps the state Terraform sent (`protocol::grpc::guard`).
#[async_trait::async_trait]
impl ProviderServer for Engine {
    async fn get_metadata(&self) -> GetMetadataResponse {
        self.metadata()
    }

    async fn get_provider_schema(&self) -> GetProviderSchemaResponse {
        tracing::debug!("GetProviderSchema");
        self.schema_response.clone()
    }

    async fn prepare_provider_config(&self, req: PrepareProviderConfigRequest) -> PrepareProviderConfigResponse {
        self.prepare_config(req)
    }

    async fn configure_provider(&self, req: ConfigureProviderRequest, cancel: Cancel) -> ConfigureProviderResponse {
        self.configure(req, cancel).await
    }

    async fn validate_resource_type_config(
        &self,
        req: ValidateResourceTypeConfigRequest,
    ) -> ValidateResourceTypeConfigResponse {
        let diagnostics = self.validate_resource(&req.type_name, &req.config, req.client_capabilities);
        ValidateResourceTypeConfigResponse { diagnostics }
    }

    async fn validate_data_source_config(
        &self,
        req: ValidateDataSourceConfigRequest,
    ) -> ValidateDataSourceConfigResponse {
        let diagnostics = self.validate_data_source(&req.type_name, &req.config);
        ValidateDataSourceConfigResponse { diagnostics }
    }

    async fn upgrade_resource_state(&self, req: UpgradeResourceStateRequest) -> UpgradeResourceStateResponse {
        self.upgrade(req)
    }

    async fn read_resource(&self, req: ReadResourceRequest, cancel: Cancel) -> ReadResourceResponse {
        self.read(req, cancel).await
    }

    async fn plan_resource_change(&self, req: PlanResourceChangeRequest, cancel: Cancel) -> PlanResourceChangeResponse {
        self.plan(req, cancel).await
    }

    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
        cancel: Cancel,
    ) -> ApplyResourceChangeResponse {
        self.apply(req, cancel).await
    }

    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
        cancel: Cancel,
    ) -> ImportResourceStateResponse {
        self.import(req, cancel).await
    }

    async fn move_resource_state(&self, req: MoveResourceStateRequest) -> MoveResourceStateResponse {
        self.move_state(req)
    }

    async fn read_data_source(&self, req: ReadDataSourceRequest, cancel: Cancel) -> ReadDataSourceResponse {
        self.read_data(req, cancel).await
    }

    async fn get_functions(&self) -> GetFunctionsResponse {
        GetFunctionsResponse {
            functions: self.schema_response.functions.clone(),
            diagnostics: self.schema_response.diagnostics.clone(),
        }
    }

    async fn call_function(&self, req: CallFunctionRequest) -> CallFunctionResponse {
        self.call(req)
    }

    async fn get_resource_identity_schemas(&self) -> GetResourceIdentitySchemasResponse {
        self.identity_schemas()
    }

    async fn upgrade_resource_identity(&self, req: UpgradeResourceIdentityRequest) -> UpgradeResourceIdentityResponse {
        self.upgrade_identity(req)
    }

    async fn validate_list_resource_config(
        &self,
        req: ValidateListResourceConfigRequest,
    ) -> ValidateListResourceConfigResponse {
        self.validate_list(req)
    }

    async fn list_resource(&self, req: ListResourceRequest, events: ListEvents, cancel: Cancel) {
        self.list(req, events, cancel).await
    }
}

#[cfg(test)]
mod tests;
