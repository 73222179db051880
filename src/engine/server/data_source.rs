//! ReadDataSource: validate the (known) configuration, read, return a wholly known object.

use crate::engine::codec::{decode, encode};
use crate::engine::context::operation_context;
use crate::engine::finalize::Finalize;
use crate::engine::timeouts::{Operation, TIMEOUTS_BLOCK, duration_for};
use crate::engine::validate::{errors_only, validate_config};
use crate::protocol::*;

use super::{Engine, wire_paths};

impl Engine {
    pub(super) async fn read_data(&self, req: ReadDataSourceRequest, cancel: Cancel) -> ReadDataSourceResponse {
        tracing::debug!(type_name = %req.type_name, "ReadDataSource");
        let fail = |diagnostics: Diagnostics| ReadDataSourceResponse { state: None, diagnostics };
        let entry = match self.data_source(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d.into()),
        };
        let (decl, ty) = (&entry.schema.decl, &entry.schema.ty);
        let config = match decode(&req.config, ty, "configuration") {
            Ok(v) => v,
            Err(d) => return fail(d.into()),
        };
        // Terraform reads only wholly known configurations: check what was unknown at validation.
        let mut checks = Diagnostics::new();
        validate_config(decl, &config, &mut checks);
        entry.data_source.validate(&config, &mut checks);
        let checks = wire_paths(errors_only(checks), ty);
        if checks.has_errors() {
            return fail(checks);
        }
        let timeout = decl.timeouts.as_ref().and_then(|d| duration_for(d, config.get(TIMEOUTS_BLOCK), Operation::Read));
        let ctx = operation_context(&cancel, Operation::Read.name(), timeout, self.provider_data());
        let (state, diags) = entry.data_source.read(&ctx, config.clone()).await;
        let mut diagnostics = wire_paths(diags, ty);
        if diagnostics.has_errors() {
            return fail(diagnostics);
        }
        let Some(state) = state.filter(|s| !s.is_null()) else {
            diagnostics.push(Diagnostic::error(
                "Data source returned nothing",
                format!(
                    "The {} data source finished without an error but returned no object. This is a bug in the \
                     provider: please report it.",
                    req.type_name
                ),
            ));
            return fail(diagnostics);
        };
        let finalize = Finalize {
            decl,
            ty,
            timeouts_from: Some(&config),
            planned: None,
            unknowns_are_errors: true,
            operation: "reading the data source",
        };
        let state = match finalize.run(state) {
            Ok((state, more)) => {
                diagnostics.extend(more);
                state
            }
            Err(d) => {
                diagnostics.push(d);
                return fail(diagnostics);
            }
        };
        match encode(&state, ty, "data source state") {
            Ok(dv) => ReadDataSourceResponse { state: Some(dv), diagnostics },
            Err(d) => {
                diagnostics.push(d);
                fail(diagnostics)
            }
        }
    }
}
