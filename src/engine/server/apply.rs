//! ApplyResourceChange: delete, or validate the (now known) configuration and create/update, then
//! shape the result so Terraform accepts it.

use crate::engine::checks::apply_problems;
use crate::engine::codec::{decode, decode_private, encode, encode_private};
use crate::engine::context::operation_context;
use crate::engine::finalize::Finalize;
use crate::engine::plan::without_timeouts;
use crate::engine::timeouts::{Operation, TIMEOUTS_BLOCK, duration_for};
use crate::engine::traits::{ApplyResult, CreateRequest, DeleteRequest, UpdateRequest};
use crate::engine::validate::{errors_only, validate_config};
use crate::engine::values::unknowns_to_null;
use crate::protocol::cty::Value;
use crate::protocol::*;

use crate::engine::traits::Context;

use super::identity::IdentityFor;
use super::{Engine, ResourceEntry, wire_paths};

impl Engine {
    pub(super) async fn apply(&self, req: ApplyResourceChangeRequest, cancel: Cancel) -> ApplyResourceChangeResponse {
        tracing::debug!(type_name = %req.type_name, "ApplyResourceChange");
        let keep_prior = |diagnostics: Diagnostics| ApplyResourceChangeResponse {
            new_state: Some(req.prior_state.clone()),
            private: req.planned_private.clone(),
            diagnostics,
            // The object stays as it was, and so does the identity planned for it (when complete).
            new_identity: self
                .resource(&req.type_name)
                .ok()
                .and_then(|entry| self.complete_identity(entry, req.planned_identity.as_ref())),
        };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return keep_prior(d.into()),
        };
        let ty = &entry.schema.ty;
        let decoded = decode(&req.prior_state, ty, "prior state").and_then(|prior| {
            let planned = decode(&req.planned_state, ty, "planned state")?;
            let config = decode(&req.config, ty, "configuration")?;
            Ok((prior, planned, config))
        });
        let (prior, planned, config) = match decoded {
            Ok(v) => v,
            // The error alone: an empty new state makes Terraform keep what it has, and the bytes
            // that did not decode are not worth echoing back.
            Err(d) => {
                return ApplyResourceChangeResponse {
                    new_state: None,
                    private: req.planned_private.clone(),
                    diagnostics: d.into(),
                    new_identity: None,
                };
            }
        };
        let private = decode_private(&req.planned_private);

        if planned.is_null() {
            if prior.is_null() {
                return self.respond(entry, None, Value::Null, Vec::new(), Diagnostics::new());
            }
            let timeout = self.timeout(entry, prior.get(TIMEOUTS_BLOCK), Operation::Delete);
            let ctx = operation_context(&cancel, Operation::Delete.name(), timeout, self.provider_data());
            let diags = entry
                .resource
                .delete(&ctx, DeleteRequest { prior: prior.clone(), private })
                .await
                .err()
                .unwrap_or_default();
            let diags = wire_paths(diags, ty);
            if diags.has_errors() {
                return keep_prior(diags);
            }
            return self.respond(entry, None, Value::Null, Vec::new(), diags);
        }

        // Values unknown at plan time are validated now, before any API call.
        let mut checks = Diagnostics::new();
        validate_config(&entry.schema.decl, &config, &mut checks);
        let validated = entry.resource.validate(&config, &mut checks);
        let checks = wire_paths(errors_only(checks), ty);
        if checks.has_errors() {
            return keep_prior(checks);
        }

        let creating = prior.is_null();
        if !creating && without_timeouts(&prior) == without_timeouts(&planned) {
            // Only the timeouts block changed: nothing to do remotely.
            let mut state = planned;
            unknowns_to_null(&mut state);
            let ctx = operation_context(&cancel, Operation::Update.name(), None, self.provider_data());
            let planned_private = req.planned_private.clone();
            return self.respond(entry, Some((&ctx, &req)), state, planned_private, Diagnostics::new());
        }

        let operation = if creating { Operation::Create } else { Operation::Update };
        let timeout = self.timeout(entry, planned.get(TIMEOUTS_BLOCK), operation);
        let ctx = operation_context(&cancel, operation.name(), timeout, self.provider_data());
        let result = if creating {
            let request = CreateRequest { config, planned: planned.clone(), private: private.clone(), validated };
            ApplyResult::from(entry.resource.create(&ctx, request).await)
        } else {
            let request = UpdateRequest {
                config,
                planned: planned.clone(),
                prior: prior.clone(),
                private: private.clone(),
                validated,
            };
            ApplyResult::from(entry.resource.update(&ctx, request).await)
        };
        let mut diagnostics = wire_paths(result.diagnostics, ty);
        let failed = diagnostics.has_errors();
        let new_private = if result.private.is_empty() { private.clone() } else { result.private };
        let private_bytes = encode_private(&new_private, &req.planned_private, &private);
        let Some(actual) = result.state else {
            if !failed {
                diagnostics.push(Diagnostic::error(
                    "Provider returned no state",
                    format!(
                        "The {} {} finished without an error but returned no state. This is a bug in the provider: \
                         please report it. Run `terraform plan` to see what Terraform now expects.",
                        req.type_name,
                        operation.name()
                    ),
                ));
            }
            // Nothing is known of a new object; an existing one stays as it was.
            return self.respond(entry, Some((&ctx, &req)), prior, private_bytes, diagnostics);
        };

        let finalize = Finalize {
            decl: &entry.schema.decl,
            ty,
            timeouts_from: Some(&planned),
            planned: (!failed).then_some(&planned),
            unknowns_are_errors: !failed,
            operation: "apply",
        };
        match finalize.run(actual) {
            Ok((state, more)) => {
                diagnostics.extend(more);
                if !failed && state.is_null() {
                    diagnostics.push(Diagnostic::error(
                        "Provider returned a null object",
                        format!(
                            "The {} {} returned a null object. This is a bug in the provider: please report it.",
                            req.type_name,
                            operation.name()
                        ),
                    ));
                    return self.respond(entry, Some((&ctx, &req)), prior, private_bytes, diagnostics);
                }
                if cfg!(debug_assertions) && !failed {
                    for problem in apply_problems(&planned, &state) {
                        tracing::warn!(type_name = %req.type_name, %problem, "apply result breaks a Terraform rule");
                    }
                }
                self.respond(entry, Some((&ctx, &req)), state, private_bytes, diagnostics)
            }
            Err(d) => {
                diagnostics.push(d);
                // The resource's value cannot be used; the plan (unknowns nulled) keeps the most.
                let mut fallback = if failed { prior } else { planned };
                unknowns_to_null(&mut fallback);
                self.respond(entry, Some((&ctx, &req)), fallback, private_bytes, diagnostics)
            }
        }
    }

    pub(super) fn timeout(
        &self,
        entry: &ResourceEntry,
        timeouts: Option<&Value>,
        op: Operation,
    ) -> Option<std::time::Duration> {
        entry.schema.decl.timeouts.as_ref().and_then(|defaults| duration_for(defaults, timeouts, op))
    }

    /// The answer holding `state`, with the identity computed from it (`from`: the operation's
    /// context and request; `None` where the state is null and there is no identity).
    fn respond(
        &self,
        entry: &ResourceEntry,
        from: Option<(&Context, &ApplyResourceChangeRequest)>,
        state: Value,
        private: Vec<u8>,
        mut diagnostics: Diagnostics,
    ) -> ApplyResourceChangeResponse {
        let new_identity = from.and_then(|(ctx, req)| {
            self.identity_of(entry, ctx, &state, req.planned_identity.as_ref(), IdentityFor::Known)
        });
        match encode(&state, &entry.schema.ty, "new state") {
            Ok(new_state) => {
                ApplyResourceChangeResponse { new_state: Some(new_state), private, diagnostics, new_identity }
            }
            Err(d) => {
                diagnostics.push(d);
                ApplyResourceChangeResponse { new_state: None, private, diagnostics, new_identity: None }
            }
        }
    }
}
