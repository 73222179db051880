//! Every conversion between the generated protobuf types and the public types of
//! `protocol::provider_server` lives here, so the wire shape is decided in one place; one file per
//! RPC family, each with its table tests (as terraform-plugin-go splits `fromproto`/`toproto`):
//!
//! - [`values`]: dynamic values, raw state, capabilities, attribute paths, diagnostics;
//! - [`schema`]: blocks, attributes and nested blocks;
//! - [`provider`]: GetMetadata, GetProviderSchema, PrepareProviderConfig, ConfigureProvider;
//! - [`resource`]: validate, upgrade, read, plan, apply, import and move of managed resources;
//! - [`data_source`]: ValidateDataSourceConfig, ReadDataSource;
//! - [`function`]: function signatures, GetFunctions, CallFunction;
//! - [`identity`]: identity schemas, UpgradeResourceIdentity (identity values travel in `resource`);
//! - [`list`]: ValidateListResourceConfig, ListResource events.
//!
//! Requests go proto → public, responses public → proto. Absent optional values become unset
//! message fields, which Terraform decodes as null of the expected type.

mod data_source;
mod function;
mod identity;
mod list;
mod provider;
mod resource;
mod schema;
mod values;

use super::generated::tfplugin5 as pb;

pub(super) use values::error_diagnostic;
