//! [`Engine`]: the [`ProviderServer`] for any [`Provider`]. Schemas are compiled once at start;
//! each RPC decodes, applies the generic rules around the resource's own code, and encodes.
//! Logs name the RPC and type only, never values (they hold private keys).

mod apply;
mod data_source;
mod function;
mod plan;
mod provider;
mod state;

use crate::protocol::diagnostics::excerpt;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, RwLock};

use futures::FutureExt;

use crate::protocol::cty::Type;
use crate::protocol::schema::FunctionSignature;
use crate::protocol::*;

use super::compiled::CompiledSchema;
use super::cursor::truncate_at_sets;
use super::traits::{DataSource, Function, Provider, ProviderData, Resource};

pub(crate) struct ResourceEntry {
    pub resource: Arc<dyn Resource>,
    pub schema: CompiledSchema,
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
    /// Built once: schemas are static, so Terraform may cache them (`get_provider_schema_optional`).
    schema_response: GetProviderSchemaResponse,
    /// Set by a successful Configure with wholly known configuration; `None` otherwise.
    provider_data: RwLock<Option<ProviderData>>,
}

pub(crate) const CAPABILITIES: ServerCapabilities =
    ServerCapabilities { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false };

impl Engine {
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let mut problems = Vec::new();
        let provider_schema = CompiledSchema::compile(provider.schema(), "provider", &mut problems);
        let mut resources = HashMap::new();
        for resource in provider.resources() {
            let name = resource.type_name().to_string();
            let schema = CompiledSchema::compile(resource.schema(), &format!("resource {name}"), &mut problems);
            if resources.insert(name.clone(), ResourceEntry { resource, schema }).is_some() {
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
            server_capabilities: CAPABILITIES,
            diagnostics,
        };
        Engine {
            provider,
            provider_schema,
            resources,
            data_sources,
            functions,
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

fn unknown_type(kind: &str, type_name: &str) -> Diagnostic {
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

/// Runs one RPC; a panic inside (a bug) becomes the `on_panic` answer instead of a dropped call.
async fn guarded<T>(rpc: &str, fut: impl Future<Output = T>, on_panic: impl FnOnce(Diagnostic) -> T) -> T {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(v) => v,
        Err(_) => {
            tracing::error!(rpc, "internal error (panic) while serving the call");
            on_panic(Diagnostic::error(
                "Provider internal error",
                format!(
                    "The provider hit an internal error while serving {rpc}. This is a bug in the provider: please report \
                     it with the resource type and the command you ran. Re-running the command is safe."
                ),
            ))
        }
    }
}

fn diags_of(d: Diagnostic) -> Diagnostics {
    d.into()
}

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
        guarded("PrepareProviderConfig", async { self.prepare_config(req) }, |d| PrepareProviderConfigResponse {
            prepared_config: None,
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn configure_provider(&self, req: ConfigureProviderRequest, cancel: Cancel) -> ConfigureProviderResponse {
        guarded("ConfigureProvider", self.configure(req, cancel), |d| ConfigureProviderResponse {
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        req: ValidateResourceTypeConfigRequest,
    ) -> ValidateResourceTypeConfigResponse {
        let diagnostics = guarded(
            "ValidateResourceTypeConfig",
            async { self.validate_resource(&req.type_name, &req.config, req.client_capabilities) },
            diags_of,
        )
        .await;
        ValidateResourceTypeConfigResponse { diagnostics }
    }

    async fn validate_data_source_config(
        &self,
        req: ValidateDataSourceConfigRequest,
    ) -> ValidateDataSourceConfigResponse {
        let diagnostics = guarded(
            "ValidateDataSourceConfig",
            async { self.validate_data_source(&req.type_name, &req.config) },
            diags_of,
        )
        .await;
        ValidateDataSourceConfigResponse { diagnostics }
    }

    async fn upgrade_resource_state(&self, req: UpgradeResourceStateRequest) -> UpgradeResourceStateResponse {
        guarded("UpgradeResourceState", async { self.upgrade(req) }, |d| UpgradeResourceStateResponse {
            upgraded_state: None,
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn read_resource(&self, req: ReadResourceRequest, cancel: Cancel) -> ReadResourceResponse {
        let current = req.current_state.clone();
        let private = req.private.clone();
        guarded("ReadResource", self.read(req, cancel), |d| ReadResourceResponse {
            new_state: Some(current),
            diagnostics: diags_of(d),
            private,
        })
        .await
    }

    async fn plan_resource_change(&self, req: PlanResourceChangeRequest, cancel: Cancel) -> PlanResourceChangeResponse {
        guarded("PlanResourceChange", self.plan(req, cancel), |d| PlanResourceChangeResponse {
            diagnostics: diags_of(d),
            ..Default::default()
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
        cancel: Cancel,
    ) -> ApplyResourceChangeResponse {
        // On a panic nothing is known about the remote object: keep the prior state.
        let prior = req.prior_state.clone();
        let private = req.planned_private.clone();
        guarded("ApplyResourceChange", self.apply(req, cancel), |d| ApplyResourceChangeResponse {
            new_state: Some(prior),
            private,
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
        cancel: Cancel,
    ) -> ImportResourceStateResponse {
        guarded("ImportResourceState", self.import(req, cancel), |d| ImportResourceStateResponse {
            imported_resources: Vec::new(),
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn move_resource_state(&self, req: MoveResourceStateRequest) -> MoveResourceStateResponse {
        self.move_state(req)
    }

    async fn read_data_source(&self, req: ReadDataSourceRequest, cancel: Cancel) -> ReadDataSourceResponse {
        guarded("ReadDataSource", self.read_data(req, cancel), |d| ReadDataSourceResponse {
            state: None,
            diagnostics: diags_of(d),
        })
        .await
    }

    async fn get_functions(&self) -> GetFunctionsResponse {
        GetFunctionsResponse {
            functions: self.schema_response.functions.clone(),
            diagnostics: self.schema_response.diagnostics.clone(),
        }
    }

    async fn call_function(&self, req: CallFunctionRequest) -> CallFunctionResponse {
        guarded("CallFunction", async { self.call(req) }, |d| CallFunctionResponse {
            result: None,
            error: Some(FunctionError { text: d.detail, function_argument: None }),
        })
        .await
    }
}

#[cfg(test)]
mod tests;
