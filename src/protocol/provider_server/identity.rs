//! Resource identity (protocol 5.9, Terraform ≥ 1.12): the identity schemas and their upgrade.

use std::collections::HashMap;

use super::{DynamicValue, RawState};
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::schema::IdentitySchema;

#[derive(Debug, Clone, Default)]
pub struct GetResourceIdentitySchemasResponse {
    pub identity_schemas: HashMap<String, IdentitySchema>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceIdentityRequest {
    pub type_name: String,
    pub version: i64,
    pub raw_identity: RawState,
}

#[derive(Debug, Clone, Default)]
pub struct UpgradeResourceIdentityResponse {
    pub upgraded_identity: Option<DynamicValue>,
    pub diagnostics: Diagnostics,
}
