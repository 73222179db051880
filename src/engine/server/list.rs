//! ValidateListResourceConfig and ListResource.

use crate::engine::codec::{decode, encode};
use crate::engine::compiled::CompiledSchema;
use crate::engine::context::operation_context;
use crate::engine::finalize::Finalize;
use crate::engine::list::{ListRequest, ListResource, ListSink, Listed, SinkInner};
use crate::engine::traits::Context;
use crate::engine::validate::validate_config;
use crate::protocol::cty::Value;
use crate::protocol::*;

use super::identity::IdentityFor;
use super::{Engine, ResourceEntry, wire_paths};

pub(crate) struct ListEntry {
    pub list: std::sync::Arc<dyn ListResource>,
    pub schema: CompiledSchema,
}

impl Engine {
    fn list_entry(&self, type_name: &str) -> Result<(&ListEntry, &ResourceEntry), Diagnostic> {
        let list = self.list_resources.get(type_name).ok_or_else(|| super::unknown_type("list resource", type_name))?;
        Ok((list, self.resource(type_name)?))
    }

    /// The list block's config, decoded and validated: `Err` holds the errors.
    fn list_config(&self, list: &ListEntry, config: &DynamicValue) -> Result<(Value, Diagnostics), Diagnostics> {
        let config = decode(config, &list.schema.ty, "list configuration")?;
        let mut diags = Diagnostics::new();
        validate_config(&list.schema.decl, &config, &mut diags);
        list.list.validate(&config, &mut diags);
        let diags = wire_paths(diags, &list.schema.ty);
        if diags.has_errors() { Err(diags) } else { Ok((config, diags)) }
    }

    pub(super) fn validate_list(&self, req: ValidateListResourceConfigRequest) -> ValidateListResourceConfigResponse {
        tracing::debug!(type_name = %req.type_name, "ValidateListResourceConfig");
        let diagnostics = match self.list_entry(&req.type_name) {
            Err(d) => d.into(),
            Ok((list, _)) => match self.list_config(list, &req.config) {
                Ok((_, warnings)) => warnings,
                Err(errors) => errors,
            },
        };
        ValidateListResourceConfigResponse { diagnostics }
    }

    pub(super) async fn list(&self, req: ListResourceRequest, events: ListEvents, cancel: Cancel) {
        tracing::debug!(type_name = %req.type_name, limit = req.limit, "ListResource");
        let failed = |diagnostics: Diagnostics| ListResourceEvent { diagnostics, ..Default::default() };
        let (list, entry) = match self.list_entry(&req.type_name) {
            Ok(e) => e,
            Err(d) => {
                let _ = events.send(failed(d.into())).await;
                return;
            }
        };
        let config = match self.list_config(list, &req.config) {
            Ok((config, _)) => config,
            Err(errors) => {
                let _ = events.send(failed(errors)).await;
                return;
            }
        };
        let ctx = operation_context(&cancel, "list", None, self.provider_data());
        let mut sink = EngineSink {
            engine: self,
            entry,
            ctx: &ctx,
            events: &events,
            // Terraform always sends its limit (100 by default); none at all means no limit.
            remaining: if req.limit > 0 { req.limit } else { i64::MAX },
            include_resource_object: req.include_resource_object,
        };
        let request = ListRequest { config, include_resource_object: req.include_resource_object };
        let outcome = list.list.list(&ctx, request, &mut ListSink { inner: &mut sink }).await;
        if let Err(diagnostics) = outcome {
            // Nobody to tell when Terraform already stopped reading.
            let _ = events.send(failed(wire_paths(diagnostics, &list.schema.ty))).await;
        }
    }
}

struct EngineSink<'a> {
    engine: &'a Engine,
    entry: &'a ResourceEntry,
    ctx: &'a Context,
    events: &'a ListEvents,
    remaining: i64,
    include_resource_object: bool,
}

#[async_trait::async_trait]
impl SinkInner for EngineSink<'_> {
    async fn send(&mut self, listed: Listed) -> bool {
        if self.remaining <= 0 || self.events.is_closed() || self.ctx.scope.is_stopped() {
            return false;
        }
        let event = self.event(listed);
        let stop = event.diagnostics.has_errors();
        if self.events.send(event).await.is_err() || stop {
            return false;
        }
        self.remaining -= 1;
        self.remaining > 0
    }
}

impl EngineSink<'_> {
    fn event(&self, listed: Listed) -> ListResourceEvent {
        let schema = &self.entry.schema;
        let bug = |what: String| ListResourceEvent {
            diagnostics: Diagnostic::error(
                "Provider listed an invalid object",
                format!("{what}. This is a bug in the provider: please report it with the list block's type."),
            )
            .into(),
            ..Default::default()
        };
        // Shaped exactly as a refresh would store it, so an import of it plans no change.
        let finalize = Finalize {
            decl: &schema.decl,
            ty: &schema.ty,
            timeouts_from: None,
            planned: None,
            unknowns_are_errors: false,
            operation: "list",
        };
        let object = match finalize.run(listed.object) {
            Ok((object, _)) => object,
            Err(d) => return bug(d.detail),
        };
        let Some(identity) = self.engine.identity_of(self.entry, self.ctx, &object, None, IdentityFor::Known) else {
            return bug(format!("{} has no complete identity", listed.display_name));
        };
        let resource_object = if self.include_resource_object {
            match encode(&object, &schema.ty, "listed object") {
                Ok(dv) => Some(dv),
                Err(d) => return bug(d.detail),
            }
        } else {
            None
        };
        ListResourceEvent {
            identity: Some(identity),
            display_name: listed.display_name,
            resource_object,
            diagnostics: Diagnostics::new(),
        }
    }
}
