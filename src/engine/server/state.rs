//! ReadResource, ImportResourceState, UpgradeResourceState, MoveResourceState.

use crate::engine::codec::{decode, decode_private, encode, encode_private};
use crate::engine::context::operation_context;
use crate::engine::finalize::Finalize;
use crate::engine::timeouts::{Operation, TIMEOUTS_BLOCK};
use crate::engine::traits::{Private, ReadRequest, ReadResult};
use crate::engine::upgrade::prune_to_type;
use crate::engine::values::{normalize_blocks, null_write_only};
use crate::protocol::cty::{Value, json};
use crate::protocol::*;

use super::identity::IdentityFor;
use super::{Engine, wire_paths};

impl Engine {
    pub(super) async fn read(&self, req: ReadResourceRequest, cancel: Cancel) -> ReadResourceResponse {
        tracing::debug!(type_name = %req.type_name, "ReadResource");
        let unchanged = |diagnostics: Diagnostics| ReadResourceResponse {
            new_state: Some(req.current_state.clone()),
            diagnostics,
            private: req.private.clone(),
            // Terraform's own stored identity, answered back as it came.
            new_identity: req.current_identity.clone(),
        };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return unchanged(d.into()),
        };
        let ty = &entry.schema.ty;
        let current = match decode(&req.current_state, ty, "current state") {
            Ok(v) => v,
            // The error alone: Terraform keeps the stored state when the answer has none.
            Err(d) => {
                return ReadResourceResponse {
                    new_state: None,
                    diagnostics: d.into(),
                    private: req.private.clone(),
                    new_identity: req.current_identity.clone(),
                };
            }
        };
        if current.is_null() {
            return unchanged(Diagnostics::new());
        }
        let private = decode_private(&req.private);
        let timeout = self.timeout(entry, current.get(TIMEOUTS_BLOCK), Operation::Read);
        let ctx = operation_context(&cancel, Operation::Read.name(), timeout, self.provider_data());
        let result = ReadResult::from(
            entry.resource.read(&ctx, ReadRequest { state: current.clone(), private: private.clone() }).await,
        );
        let mut diagnostics = wire_paths(result.diagnostics, ty);
        let new_private = if result.private.is_empty() { private.clone() } else { result.private };
        let private_bytes = encode_private(&new_private, &req.private, &private);
        let state = match result.state {
            // An error without a state says nothing about the object: keep it.
            None if diagnostics.has_errors() => return unchanged(diagnostics),
            None => {
                tracing::debug!(type_name = %req.type_name, "remote object is gone");
                Value::Null
            }
            Some(actual) => {
                let finalize = Finalize {
                    decl: &entry.schema.decl,
                    ty,
                    timeouts_from: Some(&current),
                    planned: None,
                    unknowns_are_errors: true,
                    operation: "refresh",
                };
                match finalize.run(actual) {
                    Ok((state, more)) => {
                        diagnostics.extend(more);
                        state
                    }
                    Err(d) => {
                        diagnostics.push(d);
                        return unchanged(diagnostics);
                    }
                }
            }
        };
        let new_identity = self.identity_of(entry, &ctx, &state, req.current_identity.as_ref(), IdentityFor::Known);
        match encode(&state, ty, "new state") {
            Ok(new_state) => ReadResourceResponse {
                new_state: Some(new_state),
                diagnostics,
                private: if state.is_null() { Vec::new() } else { private_bytes },
                new_identity,
            },
            Err(d) => {
                diagnostics.push(d);
                unchanged(diagnostics)
            }
        }
    }

    pub(super) async fn import(&self, req: ImportResourceStateRequest, cancel: Cancel) -> ImportResourceStateResponse {
        tracing::debug!(type_name = %req.type_name, "ImportResourceState");
        let fail =
            |diagnostics: Diagnostics| ImportResourceStateResponse { imported_resources: Vec::new(), diagnostics };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d.into()),
        };
        let ty = &entry.schema.ty;
        let timeout = self.timeout(entry, None, Operation::Read);
        let ctx = operation_context(&cancel, Operation::Read.name(), timeout, self.provider_data());
        // Terraform ≥ 1.12 imports by identity with an empty ID: the identity names the import ID.
        let id = match &req.identity {
            Some(identity) if req.id.is_empty() => match self.import_id_from_identity(entry, &ctx, identity) {
                Ok(id) => id,
                Err(d) => return fail(wire_paths(d.into(), ty)),
            },
            _ => req.id.clone(),
        };
        let result = entry.resource.import(&ctx, &id).await;
        let mut diagnostics = wire_paths(result.diagnostics, ty);
        if diagnostics.has_errors() {
            return fail(diagnostics);
        }
        let Some(actual) = result.state.filter(|s| !s.is_null()) else {
            diagnostics.push(Diagnostic::error(
                "Nothing to import",
                format!(
                    "The {} import returned no object for the given ID. Check the ID (see the resource's documentation \
                     for its import format) and try again.",
                    req.type_name
                ),
            ));
            return fail(diagnostics);
        };
        // Missing attributes (the timeouts block included) become null so the object conforms.
        let finalize = Finalize {
            decl: &entry.schema.decl,
            ty,
            timeouts_from: None,
            planned: None,
            unknowns_are_errors: false,
            operation: "import",
        };
        let state = match finalize.run(actual) {
            Ok((state, _)) => state,
            Err(d) => {
                diagnostics.push(d);
                return fail(diagnostics);
            }
        };
        match encode(&state, ty, "imported state") {
            Ok(dv) => ImportResourceStateResponse {
                imported_resources: vec![ImportedResource {
                    type_name: req.type_name.clone(),
                    state: dv,
                    private: encode_private(&result.private, &[], &Private::new()),
                    identity: self.identity_of(entry, &ctx, &state, req.identity.as_ref(), IdentityFor::Known),
                }],
                diagnostics,
            },
            Err(d) => {
                diagnostics.push(d);
                fail(diagnostics)
            }
        }
    }

    pub(super) fn upgrade(&self, req: UpgradeResourceStateRequest) -> UpgradeResourceStateResponse {
        tracing::debug!(type_name = %req.type_name, version = req.version, "UpgradeResourceState");
        let fail = |d: Diagnostic| UpgradeResourceStateResponse { upgraded_state: None, diagnostics: d.into() };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d),
        };
        let (decl, ty) = (&entry.schema.decl, &entry.schema.ty);
        if req.raw_state.json.is_empty() {
            if !req.raw_state.flatmap.is_empty() {
                return fail(Diagnostic::error(
                    "State too old to upgrade",
                    format!(
                        "The stored state of this {} was written by Terraform 0.11 or older (flatmap format), which \
                         this provider cannot read. Remove it with `terraform state rm` and import the object again.",
                        req.type_name
                    ),
                ));
            }
            return match encode(&Value::Null, ty, "upgraded state") {
                Ok(dv) => UpgradeResourceStateResponse { upgraded_state: Some(dv), diagnostics: Diagnostics::new() },
                Err(d) => fail(d),
            };
        }
        let invalid = |why: String| {
            Diagnostic::error(
                "Invalid stored state",
                format!(
                    "The stored state of this {} cannot be read ({why}). Remove it with `terraform state rm` and \
                     import the object again.",
                    req.type_name
                ),
            )
        };
        if req.version > decl.version {
            return fail(Diagnostic::error(
                "State written by a newer provider",
                format!(
                    "This {} state has schema version {}, but this provider only knows up to version {}. Use the \
                     provider version that wrote the state, or a newer one.",
                    req.type_name, req.version, decl.version
                ),
            ));
        }
        let mut raw: serde_json::Value = match serde_json::from_slice(&req.raw_state.json) {
            Ok(v) => v,
            Err(e) => return fail(invalid(format!("not JSON: {}", e.classify_name()))),
        };
        if req.version < decl.version {
            raw = match entry.resource.upgrade_state(req.version, raw) {
                Ok(v) => v,
                Err(diags) => {
                    return UpgradeResourceStateResponse { upgraded_state: None, diagnostics: wire_paths(diags, ty) };
                }
            };
        }
        let bytes = match serde_json::to_vec(&prune_to_type(raw, ty)) {
            Ok(b) => b,
            Err(_) => return fail(invalid("cannot re-encode it".into())),
        };
        let mut state = match json::decode_value(&bytes, ty) {
            Ok(v) => v,
            Err(e) => return fail(invalid(e.to_string())),
        };
        null_write_only(&decl.block, &mut state);
        normalize_blocks(&decl.block, &mut state);
        match encode(&state, ty, "upgraded state") {
            Ok(dv) => UpgradeResourceStateResponse { upgraded_state: Some(dv), diagnostics: Diagnostics::new() },
            Err(d) => fail(d),
        }
    }

    pub(super) fn move_state(&self, req: MoveResourceStateRequest) -> MoveResourceStateResponse {
        tracing::debug!(target_type = %req.target_type_name, "MoveResourceState");
        MoveResourceStateResponse {
            target_state: None,
            diagnostics: Diagnostic::error(
                "Moving state across resource types is not supported",
                format!(
                    "This provider cannot move {} state into {}. Remove the `moved` block, then import the object \
                     as {} instead.",
                    req.source_type_name, req.target_type_name, req.target_type_name
                ),
            )
            .into(),
            target_private: Vec::new(),
        }
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    /// The kind of JSON error, without the excerpt serde_json may quote (state may hold secrets).
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}
