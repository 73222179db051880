//! Every conversion between the generated protobuf types and the public types of
//! `protocol::provider_server` lives here, so the wire shape is decided in one place.
//!
//! Requests go proto → public, responses public → proto. Absent optional values become unset
//! message fields, which Terraform decodes as null of the expected type.

use std::collections::HashMap;

use super::generated::tfplugin5 as pb;
use crate::protocol::cty::json::encode_type;
use crate::protocol::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::protocol::path::{AttributePath, PathStep};
use crate::protocol::provider_server as api;
use crate::protocol::schema::{
    Attribute, Block, FunctionSignature, NestedBlock, NestingMode, Parameter, Schema, StringKind,
};

// ------------------------------------------------------------------------------------------------
// Shared building blocks
// ------------------------------------------------------------------------------------------------

impl From<pb::DynamicValue> for api::DynamicValue {
    fn from(v: pb::DynamicValue) -> Self {
        api::DynamicValue { msgpack: v.msgpack, json: v.json }
    }
}

impl From<api::DynamicValue> for pb::DynamicValue {
    fn from(v: api::DynamicValue) -> Self {
        pb::DynamicValue { msgpack: v.msgpack, json: v.json }
    }
}

/// A request value Terraform left unset is the same as an empty one (null of the expected type).
fn value_in(v: Option<pb::DynamicValue>) -> api::DynamicValue {
    v.map(Into::into).unwrap_or_default()
}

fn value_out(v: Option<api::DynamicValue>) -> Option<pb::DynamicValue> {
    v.map(Into::into)
}

impl From<pb::RawState> for api::RawState {
    fn from(v: pb::RawState) -> Self {
        api::RawState { json: v.json, flatmap: v.flatmap }
    }
}

impl From<Option<pb::ClientCapabilities>> for api::ClientCapabilities {
    fn from(v: Option<pb::ClientCapabilities>) -> Self {
        let v = v.unwrap_or_default();
        api::ClientCapabilities {
            deferral_allowed: v.deferral_allowed,
            write_only_attributes_allowed: v.write_only_attributes_allowed,
        }
    }
}

impl From<api::ServerCapabilities> for pb::ServerCapabilities {
    fn from(v: api::ServerCapabilities) -> Self {
        pb::ServerCapabilities {
            plan_destroy: v.plan_destroy,
            get_provider_schema_optional: v.get_provider_schema_optional,
            move_resource_state: v.move_resource_state,
            generate_resource_config: false,
        }
    }
}

impl From<Severity> for pb::diagnostic::Severity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        }
    }
}

impl From<&PathStep> for pb::attribute_path::Step {
    fn from(step: &PathStep) -> Self {
        use pb::attribute_path::step::Selector;
        let selector = match step {
            PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
            PathStep::ElementKeyString(key) => Selector::ElementKeyString(key.clone()),
            PathStep::ElementKeyInt(index) => Selector::ElementKeyInt(*index),
        };
        pb::attribute_path::Step { selector: Some(selector) }
    }
}

impl From<&AttributePath> for pb::AttributePath {
    fn from(path: &AttributePath) -> Self {
        pb::AttributePath { steps: path.steps().iter().map(Into::into).collect() }
    }
}

impl From<Diagnostic> for pb::Diagnostic {
    fn from(d: Diagnostic) -> Self {
        pb::Diagnostic {
            severity: pb::diagnostic::Severity::from(d.severity) as i32,
            summary: d.summary,
            detail: d.detail,
            // An empty path means "the whole block", exactly like no path.
            attribute: d.attribute.filter(|p| !p.is_empty()).map(|p| (&p).into()),
        }
    }
}

pub(super) fn diagnostics_out(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    // Bounded here, where every answer's diagnostics pass: however much a message quotes, the
    // answer stays far below the gRPC message limit and Terraform shows the diagnostic.
    diags.bounded().0.into_iter().map(Into::into).collect()
}

/// One error diagnostic, for answers the gRPC layer gives on its own.
pub(super) fn error_diagnostic(summary: &str, detail: String) -> Vec<pb::Diagnostic> {
    vec![Diagnostic::error(summary, detail).into()]
}

// ------------------------------------------------------------------------------------------------
// Schemas and functions
// ------------------------------------------------------------------------------------------------

impl From<StringKind> for pb::StringKind {
    fn from(k: StringKind) -> Self {
        match k {
            StringKind::Plain => pb::StringKind::Plain,
            StringKind::Markdown => pb::StringKind::Markdown,
        }
    }
}

impl From<NestingMode> for pb::schema::nested_block::NestingMode {
    fn from(m: NestingMode) -> Self {
        use pb::schema::nested_block::NestingMode as Pb;
        match m {
            NestingMode::Single => Pb::Single,
            NestingMode::List => Pb::List,
            NestingMode::Set => Pb::Set,
            NestingMode::Map => Pb::Map,
            NestingMode::Group => Pb::Group,
        }
    }
}

impl From<Attribute> for pb::schema::Attribute {
    fn from(a: Attribute) -> Self {
        pb::schema::Attribute {
            r#type: encode_type(&a.ty),
            name: a.name,
            description: a.description,
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            description_kind: pb::StringKind::from(a.description_kind) as i32,
            deprecated: a.deprecated,
            write_only: a.write_only,
            deprecation_message: String::new(),
        }
    }
}

impl From<NestedBlock> for pb::schema::NestedBlock {
    fn from(b: NestedBlock) -> Self {
        pb::schema::NestedBlock {
            type_name: b.type_name,
            block: Some(b.block.into()),
            nesting: pb::schema::nested_block::NestingMode::from(b.nesting) as i32,
            min_items: b.min_items,
            max_items: b.max_items,
        }
    }
}

impl From<Block> for pb::schema::Block {
    fn from(b: Block) -> Self {
        pb::schema::Block {
            version: b.version,
            attributes: b.attributes.into_iter().map(Into::into).collect(),
            block_types: b.block_types.into_iter().map(Into::into).collect(),
            description: b.description,
            description_kind: pb::StringKind::from(b.description_kind) as i32,
            deprecated: b.deprecated,
            deprecation_message: String::new(),
        }
    }
}

/// Always sets `block`: a `Schema` without one crashes Terraform (tfplugin5.md §1.3).
impl From<Schema> for pb::Schema {
    fn from(s: Schema) -> Self {
        pb::Schema { version: s.version, block: Some(s.block.into()) }
    }
}

fn schemas_out(schemas: HashMap<String, Schema>) -> HashMap<String, pb::Schema> {
    schemas.into_iter().map(|(name, s)| (name, s.into())).collect()
}

impl From<Parameter> for pb::function::Parameter {
    fn from(p: Parameter) -> Self {
        pb::function::Parameter {
            r#type: encode_type(&p.ty),
            name: p.name,
            allow_null_value: p.allow_null_value,
            allow_unknown_values: p.allow_unknown_values,
            description: p.description,
            description_kind: pb::StringKind::from(p.description_kind) as i32,
        }
    }
}

impl From<FunctionSignature> for pb::Function {
    fn from(f: FunctionSignature) -> Self {
        pb::Function {
            parameters: f.parameters.into_iter().map(Into::into).collect(),
            variadic_parameter: f.variadic_parameter.map(Into::into),
            r#return: Some(pb::function::Return { r#type: encode_type(&f.return_type) }),
            summary: f.summary,
            description: f.description,
            description_kind: pb::StringKind::from(f.description_kind) as i32,
            deprecation_message: f.deprecation_message,
        }
    }
}

fn functions_out(functions: HashMap<String, FunctionSignature>) -> HashMap<String, pb::Function> {
    functions.into_iter().map(|(name, f)| (name, f.into())).collect()
}

impl From<api::FunctionError> for pb::FunctionError {
    fn from(e: api::FunctionError) -> Self {
        pb::FunctionError {
            text: crate::protocol::diagnostics::cap_text(e.text, crate::protocol::diagnostics::MAX_DETAIL_BYTES),
            function_argument: e.function_argument,
        }
    }
}

// Requests without fields: the provider call takes no argument.

impl From<pb::get_metadata::Request> for () {
    fn from(_: pb::get_metadata::Request) -> Self {}
}

impl From<pb::get_provider_schema::Request> for () {
    fn from(_: pb::get_provider_schema::Request) -> Self {}
}

impl From<pb::get_functions::Request> for () {
    fn from(_: pb::get_functions::Request) -> Self {}
}

// ------------------------------------------------------------------------------------------------
// Metadata and schema responses
// ------------------------------------------------------------------------------------------------

impl From<api::GetMetadataResponse> for pb::get_metadata::Response {
    fn from(r: api::GetMetadataResponse) -> Self {
        use pb::get_metadata::{DataSourceMetadata, FunctionMetadata, ResourceMetadata};
        pb::get_metadata::Response {
            server_capabilities: Some(r.server_capabilities.into()),
            diagnostics: diagnostics_out(r.diagnostics),
            data_sources: r.data_sources.into_iter().map(|type_name| DataSourceMetadata { type_name }).collect(),
            resources: r.resources.into_iter().map(|type_name| ResourceMetadata { type_name }).collect(),
            functions: r.functions.into_iter().map(|name| FunctionMetadata { name }).collect(),
            ephemeral_resources: Vec::new(),
            list_resources: Vec::new(),
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
            list_resource_schemas: HashMap::new(),
            action_schemas: HashMap::new(),
        }
    }
}

impl From<api::GetFunctionsResponse> for pb::get_functions::Response {
    fn from(r: api::GetFunctionsResponse) -> Self {
        pb::get_functions::Response {
            functions: functions_out(r.functions),
            diagnostics: diagnostics_out(r.diagnostics),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Validation, configuration and upgrades
// ------------------------------------------------------------------------------------------------

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

impl From<pb::validate_resource_type_config::Request> for api::ValidateResourceTypeConfigRequest {
    fn from(r: pb::validate_resource_type_config::Request) -> Self {
        api::ValidateResourceTypeConfigRequest {
            type_name: r.type_name,
            config: value_in(r.config),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ValidateResourceTypeConfigResponse> for pb::validate_resource_type_config::Response {
    fn from(r: api::ValidateResourceTypeConfigResponse) -> Self {
        pb::validate_resource_type_config::Response { diagnostics: diagnostics_out(r.diagnostics) }
    }
}

impl From<pb::validate_data_source_config::Request> for api::ValidateDataSourceConfigRequest {
    fn from(r: pb::validate_data_source_config::Request) -> Self {
        api::ValidateDataSourceConfigRequest { type_name: r.type_name, config: value_in(r.config) }
    }
}

impl From<api::ValidateDataSourceConfigResponse> for pb::validate_data_source_config::Response {
    fn from(r: api::ValidateDataSourceConfigResponse) -> Self {
        pb::validate_data_source_config::Response { diagnostics: diagnostics_out(r.diagnostics) }
    }
}

impl From<pb::upgrade_resource_state::Request> for api::UpgradeResourceStateRequest {
    fn from(r: pb::upgrade_resource_state::Request) -> Self {
        api::UpgradeResourceStateRequest {
            type_name: r.type_name,
            version: r.version,
            raw_state: r.raw_state.map(Into::into).unwrap_or_default(),
        }
    }
}

impl From<api::UpgradeResourceStateResponse> for pb::upgrade_resource_state::Response {
    fn from(r: api::UpgradeResourceStateResponse) -> Self {
        pb::upgrade_resource_state::Response {
            upgraded_state: value_out(r.upgraded_state),
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

// ------------------------------------------------------------------------------------------------
// Managed resources and data sources
// ------------------------------------------------------------------------------------------------

impl From<pb::read_resource::Request> for api::ReadResourceRequest {
    fn from(r: pb::read_resource::Request) -> Self {
        api::ReadResourceRequest {
            type_name: r.type_name,
            current_state: value_in(r.current_state),
            private: r.private,
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ReadResourceResponse> for pb::read_resource::Response {
    fn from(r: api::ReadResourceResponse) -> Self {
        pb::read_resource::Response {
            new_state: value_out(r.new_state),
            diagnostics: diagnostics_out(r.diagnostics),
            private: r.private,
            deferred: None,
            new_identity: None,
        }
    }
}

impl From<pb::plan_resource_change::Request> for api::PlanResourceChangeRequest {
    fn from(r: pb::plan_resource_change::Request) -> Self {
        api::PlanResourceChangeRequest {
            type_name: r.type_name,
            prior_state: value_in(r.prior_state),
            proposed_new_state: value_in(r.proposed_new_state),
            config: value_in(r.config),
            prior_private: r.prior_private,
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::PlanResourceChangeResponse> for pb::plan_resource_change::Response {
    fn from(r: api::PlanResourceChangeResponse) -> Self {
        pb::plan_resource_change::Response {
            planned_state: value_out(r.planned_state),
            requires_replace: r.requires_replace.iter().map(Into::into).collect(),
            planned_private: r.planned_private,
            diagnostics: diagnostics_out(r.diagnostics),
            // Only the legacy Go SDK may relax Terraform's plan checks.
            legacy_type_system: false,
            deferred: None,
            planned_identity: None,
        }
    }
}

impl From<pb::apply_resource_change::Request> for api::ApplyResourceChangeRequest {
    fn from(r: pb::apply_resource_change::Request) -> Self {
        api::ApplyResourceChangeRequest {
            type_name: r.type_name,
            prior_state: value_in(r.prior_state),
            planned_state: value_in(r.planned_state),
            config: value_in(r.config),
            planned_private: r.planned_private,
            provider_meta: r.provider_meta.map(Into::into),
        }
    }
}

impl From<api::ApplyResourceChangeResponse> for pb::apply_resource_change::Response {
    fn from(r: api::ApplyResourceChangeResponse) -> Self {
        pb::apply_resource_change::Response {
            new_state: value_out(r.new_state),
            private: r.private,
            diagnostics: diagnostics_out(r.diagnostics),
            legacy_type_system: false,
            new_identity: None,
        }
    }
}

impl From<pb::import_resource_state::Request> for api::ImportResourceStateRequest {
    fn from(r: pb::import_resource_state::Request) -> Self {
        api::ImportResourceStateRequest {
            type_name: r.type_name,
            id: r.id,
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ImportedResource> for pb::import_resource_state::ImportedResource {
    fn from(r: api::ImportedResource) -> Self {
        pb::import_resource_state::ImportedResource {
            type_name: r.type_name,
            state: Some(r.state.into()),
            private: r.private,
            identity: None,
        }
    }
}

impl From<api::ImportResourceStateResponse> for pb::import_resource_state::Response {
    fn from(r: api::ImportResourceStateResponse) -> Self {
        pb::import_resource_state::Response {
            imported_resources: r.imported_resources.into_iter().map(Into::into).collect(),
            diagnostics: diagnostics_out(r.diagnostics),
            deferred: None,
        }
    }
}

impl From<pb::move_resource_state::Request> for api::MoveResourceStateRequest {
    fn from(r: pb::move_resource_state::Request) -> Self {
        api::MoveResourceStateRequest {
            source_provider_address: r.source_provider_address,
            source_type_name: r.source_type_name,
            source_schema_version: r.source_schema_version,
            source_state: r.source_state.map(Into::into).unwrap_or_default(),
            target_type_name: r.target_type_name,
            source_private: r.source_private,
        }
    }
}

impl From<api::MoveResourceStateResponse> for pb::move_resource_state::Response {
    fn from(r: api::MoveResourceStateResponse) -> Self {
        pb::move_resource_state::Response {
            target_state: value_out(r.target_state),
            diagnostics: diagnostics_out(r.diagnostics),
            target_private: r.target_private,
            target_identity: None,
        }
    }
}

impl From<pb::read_data_source::Request> for api::ReadDataSourceRequest {
    fn from(r: pb::read_data_source::Request) -> Self {
        api::ReadDataSourceRequest {
            type_name: r.type_name,
            config: value_in(r.config),
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ReadDataSourceResponse> for pb::read_data_source::Response {
    fn from(r: api::ReadDataSourceResponse) -> Self {
        pb::read_data_source::Response {
            state: value_out(r.state),
            diagnostics: diagnostics_out(r.diagnostics),
            deferred: None,
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Functions
// ------------------------------------------------------------------------------------------------

impl From<pb::call_function::Request> for api::CallFunctionRequest {
    fn from(r: pb::call_function::Request) -> Self {
        api::CallFunctionRequest { name: r.name, arguments: r.arguments.into_iter().map(Into::into).collect() }
    }
}

impl From<api::CallFunctionResponse> for pb::call_function::Response {
    fn from(r: api::CallFunctionResponse) -> Self {
        pb::call_function::Response { result: value_out(r.result), error: r.error.map(Into::into) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Type;
    use pb::attribute_path::step::Selector;
    use prost::Message;

    fn dv(bytes: &[u8]) -> pb::DynamicValue {
        pb::DynamicValue { msgpack: bytes.to_vec(), json: Vec::new() }
    }

    fn attribute(name: &str, ty: Type) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: String::new(),
            description_kind: StringKind::Plain,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            write_only: false,
        }
    }

    #[test]
    fn diagnostic_severity_and_fields() {
        let table = [
            (Diagnostic::error("bad", "fix it"), pb::diagnostic::Severity::Error),
            (Diagnostic::warning("careful", "maybe"), pb::diagnostic::Severity::Warning),
        ];
        for (diag, severity) in table {
            let summary = diag.summary.clone();
            let detail = diag.detail.clone();
            let out = pb::Diagnostic::from(diag);
            assert_eq!(out.severity, severity as i32);
            assert_ne!(out.severity, pb::diagnostic::Severity::Invalid as i32);
            assert_eq!((out.summary, out.detail), (summary, detail));
            assert_eq!(out.attribute, None);
        }
    }

    #[test]
    fn attribute_path_steps_map_one_to_one() {
        let table: Vec<(AttributePath, Vec<Selector>)> = vec![
            (AttributePath::attr("name"), vec![Selector::AttributeName("name".into())]),
            (
                AttributePath::attr("domains").push_index(2).push_attr("name"),
                vec![
                    Selector::AttributeName("domains".into()),
                    Selector::ElementKeyInt(2),
                    Selector::AttributeName("name".into()),
                ],
            ),
            (
                AttributePath::attr("endpoints").push_key("apig"),
                vec![Selector::AttributeName("endpoints".into()), Selector::ElementKeyString("apig".into())],
            ),
            // A path into a set arrives already truncated at the set: it is sent as given.
            (AttributePath::attr("tags_set"), vec![Selector::AttributeName("tags_set".into())]),
        ];
        for (path, want) in table {
            let diag = pb::Diagnostic::from(Diagnostic::error("s", "d").with_attribute(path.clone()));
            let got: Vec<Selector> =
                diag.attribute.unwrap_or_default().steps.into_iter().filter_map(|s| s.selector).collect();
            assert_eq!(got, want, "path {path}");
        }
    }

    #[test]
    fn empty_attribute_path_is_sent_as_no_path() {
        let diag = pb::Diagnostic::from(Diagnostic::error("s", "d").with_attribute(AttributePath::root()));
        assert_eq!(diag.attribute, None);
    }

    #[test]
    fn schema_always_carries_a_block_and_nesting_modes_map() {
        let nested = |nesting| NestedBlock {
            type_name: "b".into(),
            block: Block::default(),
            nesting,
            min_items: 0,
            max_items: 0,
        };
        let table = [
            (NestingMode::Single, pb::schema::nested_block::NestingMode::Single),
            (NestingMode::List, pb::schema::nested_block::NestingMode::List),
            (NestingMode::Set, pb::schema::nested_block::NestingMode::Set),
            (NestingMode::Map, pb::schema::nested_block::NestingMode::Map),
            (NestingMode::Group, pb::schema::nested_block::NestingMode::Group),
        ];
        for (mode, want) in table {
            let out = pb::schema::NestedBlock::from(nested(mode));
            assert_eq!(out.nesting, want as i32);
            assert!(out.block.is_some(), "nested block must carry its block");
        }
        assert!(pb::Schema::from(Schema::default()).block.is_some());
    }

    #[test]
    fn schema_fields_are_copied() {
        let mut secret = attribute("private_key", Type::String);
        secret.required = true;
        secret.sensitive = true;
        secret.write_only = true;
        secret.description = "PEM".into();
        secret.description_kind = StringKind::Markdown;
        let mut id = attribute("id", Type::String);
        id.computed = true;
        id.deprecated = true;
        let schema = Schema {
            version: 3,
            block: Block {
                version: 3,
                attributes: vec![secret, id],
                block_types: vec![NestedBlock {
                    type_name: "domain".into(),
                    block: Block { attributes: vec![attribute("name", Type::String)], ..Block::default() },
                    nesting: NestingMode::List,
                    min_items: 1,
                    max_items: 5,
                }],
                description: "A certificate".into(),
                description_kind: StringKind::Markdown,
                deprecated: false,
            },
        };
        let out = pb::Schema::from(schema);
        assert_eq!(out.version, 3);
        let block = out.block.unwrap_or_default();
        assert_eq!(block.version, 3);
        assert_eq!(block.description, "A certificate");
        assert_eq!(block.description_kind, pb::StringKind::Markdown as i32);
        let key = &block.attributes[0];
        assert_eq!(key.name, "private_key");
        assert!(key.required && key.sensitive && key.write_only && !key.optional && !key.computed);
        assert_eq!(key.description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(key.r#type, encode_type(&Type::String));
        let id = &block.attributes[1];
        assert!(id.computed && id.deprecated && !id.required);
        let nested = &block.block_types[0];
        assert_eq!((nested.type_name.as_str(), nested.min_items, nested.max_items), ("domain", 1, 5));
        assert_eq!(nested.block.as_ref().map(|b| b.attributes.len()), Some(1));
    }

    #[test]
    fn attribute_types_use_the_cty_type_json() {
        let types = [
            Type::String,
            Type::Number,
            Type::Bool,
            Type::Dynamic,
            Type::list(Type::String),
            Type::set(Type::object([("a", Type::Number)])),
            Type::map(Type::Bool),
            Type::Tuple(vec![Type::String, Type::Number]),
        ];
        for ty in types {
            let out = pb::schema::Attribute::from(attribute("a", ty.clone()));
            assert_eq!(out.r#type, encode_type(&ty), "{ty:?}");
        }
        let literal = [
            (Type::String, r#""string""#),
            (Type::list(Type::String), r#"["list","string"]"#),
            (
                Type::set(Type::object([("b", Type::Bool), ("a", Type::Number)])),
                r#"["set",["object",{"a":"number","b":"bool"}]]"#,
            ),
        ];
        for (ty, want) in literal {
            let out = pb::schema::Attribute::from(attribute("a", ty));
            assert_eq!(String::from_utf8_lossy(&out.r#type), want);
        }
    }

    #[test]
    fn function_signature_and_error() {
        let param = |name: &str| Parameter {
            name: name.into(),
            ty: Type::String,
            allow_null_value: true,
            allow_unknown_values: false,
            description: "d".into(),
            description_kind: StringKind::Markdown,
        };
        let sig = FunctionSignature {
            parameters: vec![param("pem")],
            variadic_parameter: Some(param("rest")),
            return_type: Type::list(Type::String),
            summary: "Parses".into(),
            description: "Long".into(),
            description_kind: StringKind::Plain,
            deprecation_message: "old".into(),
        };
        let out = pb::Function::from(sig);
        assert_eq!(out.parameters.len(), 1);
        assert_eq!(out.parameters[0].name, "pem");
        assert!(out.parameters[0].allow_null_value && !out.parameters[0].allow_unknown_values);
        assert_eq!(out.parameters[0].description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(out.variadic_parameter.map(|p| p.name), Some("rest".to_string()));
        assert_eq!(out.r#return.map(|r| r.r#type), Some(encode_type(&Type::list(Type::String))));
        assert_eq!((out.summary.as_str(), out.description.as_str()), ("Parses", "Long"));
        assert_eq!(out.deprecation_message, "old");

        let table = [(Some(1), Some(1)), (None, None)];
        for (arg, want) in table {
            let err = pb::FunctionError::from(api::FunctionError { text: "bad".into(), function_argument: arg });
            assert_eq!((err.text.as_str(), err.function_argument), ("bad", want));
        }
        let resp = pb::call_function::Response::from(api::CallFunctionResponse {
            result: None,
            error: Some(api::FunctionError { text: "x".into(), function_argument: Some(0) }),
        });
        assert!(resp.result.is_none());
        // Argument 0 must still be sent (proto3 `optional`), or Terraform blames no argument.
        let bytes = resp.encode_to_vec();
        let back = pb::call_function::Response::decode(bytes.as_slice()).unwrap_or_default();
        assert_eq!(back.error.and_then(|e| e.function_argument), Some(0));
    }

    #[test]
    fn capabilities_both_directions() {
        let caps = api::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: false,
            move_resource_state: true,
        };
        let out = pb::ServerCapabilities::from(caps);
        assert!(out.plan_destroy && !out.get_provider_schema_optional && out.move_resource_state);
        assert!(!out.generate_resource_config);

        let table = [
            (None, api::ClientCapabilities::default()),
            (
                Some(pb::ClientCapabilities { deferral_allowed: false, write_only_attributes_allowed: true }),
                api::ClientCapabilities { deferral_allowed: false, write_only_attributes_allowed: true },
            ),
            (
                Some(pb::ClientCapabilities { deferral_allowed: true, write_only_attributes_allowed: false }),
                api::ClientCapabilities { deferral_allowed: true, write_only_attributes_allowed: false },
            ),
        ];
        for (input, want) in table {
            assert_eq!(api::ClientCapabilities::from(input), want);
        }
    }

    #[test]
    fn provider_schema_response_keeps_every_map_and_no_provider_meta() {
        let resp = api::GetProviderSchemaResponse {
            provider: Schema::default(),
            resource_schemas: [("apig_certificate".to_string(), Schema::default())].into_iter().collect(),
            data_source_schemas: [("apig_certificates".to_string(), Schema::default())].into_iter().collect(),
            functions: [("parse".to_string(), FunctionSignature::default())].into_iter().collect(),
            server_capabilities: api::ServerCapabilities { plan_destroy: true, ..Default::default() },
            diagnostics: Diagnostics::from(Diagnostic::warning("w", "d")),
        };
        let out = pb::get_provider_schema::Response::from(resp);
        assert!(out.provider.and_then(|s| s.block).is_some());
        assert!(out.resource_schemas["apig_certificate"].block.is_some());
        assert!(out.data_source_schemas["apig_certificates"].block.is_some());
        assert!(out.functions.contains_key("parse"));
        assert!(out.provider_meta.is_none());
        assert_eq!(out.server_capabilities.map(|c| c.plan_destroy), Some(true));
        assert_eq!(out.diagnostics.len(), 1);
    }

    #[test]
    fn requests_carry_values_private_and_capabilities() {
        let req = pb::plan_resource_change::Request {
            type_name: "apig_certificate".into(),
            prior_state: Some(dv(&[0xc0])),
            proposed_new_state: Some(dv(&[0x80])),
            config: None,
            prior_private: b"{}".to_vec(),
            provider_meta: None,
            client_capabilities: Some(pb::ClientCapabilities {
                deferral_allowed: false,
                write_only_attributes_allowed: true,
            }),
            prior_identity: None,
        };
        let out = api::PlanResourceChangeRequest::from(req);
        assert_eq!(out.type_name, "apig_certificate");
        assert_eq!(out.prior_state.msgpack, vec![0xc0]);
        assert_eq!(out.proposed_new_state.msgpack, vec![0x80]);
        assert!(out.config.is_empty(), "an unset value is an empty (null) value");
        assert_eq!(out.prior_private, b"{}".to_vec());
        assert_eq!(out.provider_meta, None);
        assert!(out.client_capabilities.write_only_attributes_allowed);

        let upgrade = api::UpgradeResourceStateRequest::from(pb::upgrade_resource_state::Request {
            type_name: "t".into(),
            version: 2,
            raw_state: Some(pb::RawState {
                json: b"{\"id\":\"1\"}".to_vec(),
                flatmap: [("id".to_string(), "1".to_string())].into_iter().collect(),
            }),
        });
        assert_eq!(upgrade.version, 2);
        assert_eq!(upgrade.raw_state.json, b"{\"id\":\"1\"}".to_vec());
        assert_eq!(upgrade.raw_state.flatmap.get("id").map(String::as_str), Some("1"));

        let call = api::CallFunctionRequest::from(pb::call_function::Request {
            name: "parse".into(),
            arguments: vec![dv(&[0xa1, b'x']), dv(&[0xc0])],
        });
        assert_eq!(call.arguments.len(), 2);
        assert_eq!(call.arguments[0].msgpack, vec![0xa1, b'x']);
    }

    #[test]
    fn absent_response_values_stay_unset() {
        let read = pb::read_resource::Response::from(api::ReadResourceResponse::default());
        assert!(read.new_state.is_none());
        let plan = pb::plan_resource_change::Response::from(api::PlanResourceChangeResponse {
            planned_state: Some(api::DynamicValue::msgpack(vec![0x80])),
            requires_replace: vec![AttributePath::attr("name")],
            planned_private: b"p".to_vec(),
            diagnostics: Diagnostics::new(),
        });
        assert_eq!(plan.planned_state.map(|v| v.msgpack), Some(vec![0x80]));
        assert_eq!(plan.requires_replace.len(), 1);
        assert_eq!(plan.planned_private, b"p".to_vec());
        assert!(!plan.legacy_type_system);

        let import = pb::import_resource_state::Response::from(api::ImportResourceStateResponse {
            imported_resources: vec![api::ImportedResource {
                type_name: "apig_certificate".into(),
                state: api::DynamicValue::msgpack(vec![0x81]),
                private: Vec::new(),
            }],
            diagnostics: Diagnostics::new(),
        });
        assert_eq!(import.imported_resources[0].type_name, "apig_certificate");
        assert!(import.imported_resources[0].state.is_some());
    }
}
