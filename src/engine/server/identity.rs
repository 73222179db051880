//! GetResourceIdentitySchemas, UpgradeResourceIdentity, and the identity every read, plan, apply
//! and import answer carries (the rules are in `engine::identity`).

use crate::engine::codec::{decode, encode};
use crate::engine::identity::is_complete;
use crate::engine::traits::Context;
use crate::engine::upgrade::prune_to_type;
use crate::protocol::cty::{Type, Value, json};
use crate::protocol::schema::IdentitySchema;
use crate::protocol::*;

use super::{Engine, ResourceEntry};

/// An identity schema and its object type, compiled once at start.
pub(crate) struct CompiledIdentity {
    pub schema: IdentitySchema,
    pub ty: Type,
}

impl CompiledIdentity {
    pub fn new(schema: IdentitySchema) -> Self {
        let ty = schema.object_type();
        CompiledIdentity { schema, ty }
    }
}

/// Which answer an identity is computed for: only a create's (or replacement's) plan may go
/// without one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdentityFor {
    CreatePlan,
    Known,
}

impl Engine {
    pub(super) fn identity_schemas(&self) -> GetResourceIdentitySchemasResponse {
        tracing::debug!("GetResourceIdentitySchemas");
        GetResourceIdentitySchemasResponse {
            identity_schemas: self
                .resources
                .iter()
                .filter_map(|(name, e)| e.identity.as_ref().map(|i| (name.clone(), i.schema.clone())))
                .collect(),
            diagnostics: self.schema_response.diagnostics.clone(),
        }
    }

    /// The identity to answer for `object` (null: none). Computed from the object; when that
    /// fails or is incomplete, a complete identity Terraform sent (`fallback`) is answered back,
    /// and otherwise none, which Terraform accepts as "not known yet".
    pub(super) fn identity_of(
        &self,
        entry: &ResourceEntry,
        ctx: &Context,
        object: &Value,
        fallback: Option<&DynamicValue>,
        answer: IdentityFor,
    ) -> Option<DynamicValue> {
        let (Some(compiled), Some(capability)) = (&entry.identity, entry.resource.identity()) else {
            return None;
        };
        if object.is_null() {
            return None;
        }
        let computed = match capability.of_object(ctx, object) {
            Ok(identity) => identity,
            Err(d) => {
                tracing::debug!(problem = %d.summary, "identity not computable from the object");
                return self.complete_identity(entry, fallback);
            }
        };
        let value = if is_complete(&computed) {
            computed
        } else if answer == IdentityFor::CreatePlan {
            // Not known until the object exists. Sent as none rather than unknown: Terraform
            // 1.15.5 cannot render a plan holding an unknown identity ("Failed to marshal plan to
            // json: value is not known", seen on every apply).
            return None;
        } else {
            return self.complete_identity(entry, fallback);
        };
        match encode(&value, &compiled.ty, "identity") {
            Ok(dv) => Some(dv),
            Err(d) => {
                tracing::warn!(problem = %d.detail, "identity does not fit its schema");
                self.complete_identity(entry, fallback)
            }
        }
    }

    /// `identity` as Terraform sent it, when it decodes to a complete identity of this resource.
    pub(super) fn complete_identity(
        &self,
        entry: &ResourceEntry,
        identity: Option<&DynamicValue>,
    ) -> Option<DynamicValue> {
        let compiled = entry.identity.as_ref()?;
        let identity = identity.filter(|dv| !dv.is_empty())?;
        let value = decode(identity, &compiled.ty, "identity").ok()?;
        is_complete(&value).then(|| identity.clone())
    }

    /// The import ID an `import { identity = … }` names.
    pub(super) fn import_id_from_identity(
        &self,
        entry: &ResourceEntry,
        ctx: &Context,
        identity: &DynamicValue,
    ) -> Result<String, Diagnostic> {
        let (Some(compiled), Some(capability)) = (&entry.identity, entry.resource.identity()) else {
            return Err(Diagnostic::error(
                "Import by identity not supported",
                format!(
                    "{} has no resource identity. Import it by ID instead: `import {{ to = … id = \"…\" }}`.",
                    entry.resource.type_name()
                ),
            ));
        };
        let value = decode(identity, &compiled.ty, "identity")?;
        if value.is_null() || !value.is_wholly_known() {
            return Err(Diagnostic::error(
                "Invalid import identity",
                "The identity in the import block is null or not known before apply. Give each of its attributes a \
                 value known at plan time.",
            ));
        }
        capability.import_id(ctx, &value)
    }

    pub(super) fn upgrade_identity(&self, req: UpgradeResourceIdentityRequest) -> UpgradeResourceIdentityResponse {
        tracing::debug!(type_name = %req.type_name, version = req.version, "UpgradeResourceIdentity");
        let fail = |diagnostics: Diagnostics| UpgradeResourceIdentityResponse { upgraded_identity: None, diagnostics };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d.into()),
        };
        let (Some(compiled), Some(capability)) = (&entry.identity, entry.resource.identity()) else {
            return fail(
                Diagnostic::error(
                    "Resource has no identity",
                    format!(
                        "The stored state holds an identity for {}, which has none in this provider version. Use the \
                         provider version that wrote the state.",
                        req.type_name
                    ),
                )
                .into(),
            );
        };
        let invalid = |why: &str| {
            Diagnostic::error(
                "Invalid stored identity",
                format!(
                    "The stored identity of this {} cannot be read ({why}). Remove the resource with `terraform state \
                     rm` and import it again.",
                    req.type_name
                ),
            )
        };
        if req.version > compiled.schema.version {
            return fail(
                Diagnostic::error(
                    "Identity written by a newer provider",
                    format!(
                        "This {} identity has version {}, but this provider only knows up to version {}. Use the \
                         provider version that wrote the state, or a newer one.",
                        req.type_name, req.version, compiled.schema.version
                    ),
                )
                .into(),
            );
        }
        let mut raw: serde_json::Value = match serde_json::from_slice(&req.raw_identity.json) {
            Ok(v) => v,
            Err(_) => return fail(invalid("not JSON").into()),
        };
        if req.version < compiled.schema.version {
            raw = match capability.upgrade(&req.type_name, req.version, raw) {
                Ok(v) => v,
                Err(diags) => return fail(diags),
            };
        }
        let Ok(bytes) = serde_json::to_vec(&prune_to_type(raw, &compiled.ty)) else {
            return fail(invalid("cannot re-encode it").into());
        };
        match json::decode_value(&bytes, &compiled.ty) {
            Ok(value) => match encode(&value, &compiled.ty, "upgraded identity") {
                Ok(dv) => {
                    UpgradeResourceIdentityResponse { upgraded_identity: Some(dv), diagnostics: Diagnostics::new() }
                }
                Err(d) => fail(d.into()),
            },
            Err(e) => fail(invalid(&e.to_string()).into()),
        }
    }
}
