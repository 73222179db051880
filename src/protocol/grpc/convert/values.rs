//! The building blocks every RPC family shares: dynamic values and raw state, client and server
//! capabilities, attribute paths and diagnostics.

use super::pb;
use crate::protocol::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::protocol::path::{AttributePath, PathStep};
use crate::protocol::provider_server as api;

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
pub(super) fn value_in(v: Option<pb::DynamicValue>) -> api::DynamicValue {
    v.map(Into::into).unwrap_or_default()
}

pub(super) fn value_out(v: Option<api::DynamicValue>) -> Option<pb::DynamicValue> {
    v.map(Into::into)
}

/// An identity message without data is the same as none.
pub(super) fn identity_in(v: Option<pb::ResourceIdentityData>) -> Option<api::DynamicValue> {
    v.and_then(|i| i.identity_data).map(Into::into)
}

pub(super) fn identity_out(v: Option<api::DynamicValue>) -> Option<pb::ResourceIdentityData> {
    v.map(|data| pb::ResourceIdentityData { identity_data: Some(data.into()) })
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
            generate_resource_config: v.generate_resource_config,
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
pub(in crate::protocol::grpc) fn error_diagnostic(summary: &str, detail: String) -> Vec<pb::Diagnostic> {
    vec![Diagnostic::error(summary, detail).into()]
}

/// A wire value holding these msgpack bytes (for the family tests).
#[cfg(test)]
pub(super) fn dv(bytes: &[u8]) -> pb::DynamicValue {
    pb::DynamicValue { msgpack: bytes.to_vec(), json: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

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
    fn capabilities_both_directions() {
        let caps = api::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: false,
            move_resource_state: true,
            generate_resource_config: true,
        };
        let out = pb::ServerCapabilities::from(caps);
        assert!(out.plan_destroy && !out.get_provider_schema_optional && out.move_resource_state);
        assert!(out.generate_resource_config);

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
}
