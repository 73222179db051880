//! PlanResourceChange: generic rules, then the resource's `modify_plan`, then requires-replace,
//! then (in debug builds) the same validity checks Terraform runs.

use crate::engine::checks::plan_problems;
use crate::engine::codec::{decode, decode_private, encode, encode_private};
use crate::engine::context::operation_context;
use crate::engine::plan::{existing_paths, plan_generic, requires_replace};
use crate::engine::timeouts::TIMEOUTS_BLOCK;
use crate::engine::traits::PlanContext;
use crate::engine::values::{conform, normalize_blocks, null_write_only};
use crate::protocol::cty::Value;
use crate::protocol::*;

use super::identity::IdentityFor;
use super::{Engine, wire_paths};

impl Engine {
    pub(super) async fn plan(&self, req: PlanResourceChangeRequest, cancel: Cancel) -> PlanResourceChangeResponse {
        tracing::debug!(type_name = %req.type_name, "PlanResourceChange");
        let fail = |d: Diagnostic| PlanResourceChangeResponse { diagnostics: d.into(), ..Default::default() };
        let entry = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d),
        };
        let (decl, ty) = (&entry.schema.decl, &entry.schema.ty);
        let decoded = decode(&req.prior_state, ty, "prior state").and_then(|prior| {
            let proposed = decode(&req.proposed_new_state, ty, "proposed new state")?;
            let config = decode(&req.config, ty, "configuration")?;
            Ok((prior, proposed, config))
        });
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(d) => return fail(d),
        };

        if proposed.is_null() {
            // Destroy: plan the absence, keep private state as it was.
            return match encode(&Value::Null, ty, "planned state") {
                Ok(planned) => PlanResourceChangeResponse {
                    planned_state: Some(planned),
                    planned_private: req.prior_private,
                    planned_identity: req.prior_identity,
                    ..Default::default()
                },
                Err(d) => fail(d),
            };
        }

        let prior_object = (!prior.is_null()).then_some(prior.clone());
        let planned = plan_generic(&decl.block, prior_object.as_ref(), &proposed, &config);
        let private = decode_private(&req.prior_private);
        let mut plan = PlanContext {
            prior: prior_object.clone(),
            config: config.clone(),
            planned,
            requires_replace: Vec::new(),
            private: private.clone(),
            diagnostics: Diagnostics::new(),
        };
        let ctx = operation_context(&cancel, "plan", None, self.provider_data());
        entry.resource.modify_plan(&ctx, &mut plan).await;
        let mut diagnostics = wire_paths(std::mem::take(&mut plan.diagnostics), ty);
        if diagnostics.has_errors() {
            return PlanResourceChangeResponse { diagnostics, ..Default::default() };
        }

        // Whatever the resource did, the rules hold: full shape, write-only null, blocks not null,
        // timeouts exactly as configured.
        let mut planned = match conform(plan.planned, ty) {
            Ok(v) => v,
            Err(d) => return fail(d),
        };
        null_write_only(&decl.block, &mut planned);
        normalize_blocks(&decl.block, &mut planned);
        if decl.timeouts.is_some() {
            planned.set(TIMEOUTS_BLOCK, config.get(TIMEOUTS_BLOCK).cloned().unwrap_or(Value::Null));
        }

        let requires_replace = match &prior_object {
            None => Vec::new(),
            Some(prior) => {
                let mut paths = requires_replace(&decl.block, prior, &planned);
                paths.extend(plan.requires_replace);
                existing_paths(paths, prior, &planned)
            }
        };

        let problems = plan_problems(&decl.block, ty, &prior, &config, &planned);
        if !problems.is_empty() {
            for p in &problems {
                tracing::warn!(type_name = %req.type_name, problem = %p, "plan breaks a Terraform rule");
            }
            if cfg!(debug_assertions) {
                diagnostics.push(Diagnostic::error(
                    "Provider produced invalid plan",
                    format!(
                        "The plan for {} breaks Terraform's rules: {}. This is a bug in the provider: please report it.",
                        req.type_name,
                        problems.join("; ")
                    ),
                ));
                return PlanResourceChangeResponse { diagnostics, ..Default::default() };
            }
        }

        // A replacement plans a new object: its identity may be unknown like a create's.
        let answer = if prior_object.is_none() || !requires_replace.is_empty() {
            IdentityFor::CreatePlan
        } else {
            IdentityFor::Known
        };
        let planned_identity = self.identity_of(entry, &ctx, &planned, req.prior_identity.as_ref(), answer);
        match encode(&planned, ty, "planned state") {
            Ok(planned_state) => PlanResourceChangeResponse {
                planned_identity,
                planned_state: Some(planned_state),
                requires_replace,
                planned_private: encode_private(&plan.private, &req.prior_private, &private),
                diagnostics,
            },
            Err(d) => fail(d),
        }
    }
}
