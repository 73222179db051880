//! The managed-resource RPCs: validate, upgrade, read, plan, apply, import and move.

use super::pb;
use super::values::{diagnostics_out, identity_in, identity_out, value_in, value_out};
use crate::protocol::provider_server as api;

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

impl From<pb::read_resource::Request> for api::ReadResourceRequest {
    fn from(r: pb::read_resource::Request) -> Self {
        api::ReadResourceRequest {
            type_name: r.type_name,
            current_state: value_in(r.current_state),
            private: r.private,
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.into(),
            current_identity: identity_in(r.current_identity),
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
            new_identity: identity_out(r.new_identity),
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
            prior_identity: identity_in(r.prior_identity),
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
            planned_identity: identity_out(r.planned_identity),
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
            planned_identity: identity_in(r.planned_identity),
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
            new_identity: identity_out(r.new_identity),
        }
    }
}

impl From<pb::import_resource_state::Request> for api::ImportResourceStateRequest {
    fn from(r: pb::import_resource_state::Request) -> Self {
        api::ImportResourceStateRequest {
            type_name: r.type_name,
            id: r.id,
            client_capabilities: r.client_capabilities.into(),
            identity: identity_in(r.identity),
        }
    }
}

impl From<api::ImportedResource> for pb::import_resource_state::ImportedResource {
    fn from(r: api::ImportedResource) -> Self {
        pb::import_resource_state::ImportedResource {
            type_name: r.type_name,
            state: Some(r.state.into()),
            private: r.private,
            identity: identity_out(r.identity),
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

#[cfg(test)]
mod tests {
    use super::super::values::dv;
    use super::*;
    use crate::protocol::diagnostics::Diagnostics;
    use crate::protocol::path::AttributePath;

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
            planned_identity: None,
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
                identity: Some(api::DynamicValue::msgpack(vec![0x80])),
            }],
            diagnostics: Diagnostics::new(),
        });
        assert_eq!(import.imported_resources[0].type_name, "apig_certificate");
        assert!(import.imported_resources[0].state.is_some());
        let identity = import.imported_resources[0].identity.as_ref().and_then(|i| i.identity_data.as_ref());
        assert_eq!(identity.map(|v| v.msgpack.clone()), Some(vec![0x80]));
        assert!(plan.planned_identity.is_none(), "no identity is sent as an unset message");
    }

    #[test]
    fn identities_travel_in_every_request_and_response() {
        let id = |b: u8| Some(pb::ResourceIdentityData { identity_data: Some(dv(&[b])) });
        let read = api::ReadResourceRequest::from(pb::read_resource::Request {
            current_identity: id(1),
            ..Default::default()
        });
        assert_eq!(read.current_identity.map(|v| v.msgpack), Some(vec![1]));
        let plan = api::PlanResourceChangeRequest::from(pb::plan_resource_change::Request {
            prior_identity: id(2),
            ..Default::default()
        });
        assert_eq!(plan.prior_identity.map(|v| v.msgpack), Some(vec![2]));
        let apply = api::ApplyResourceChangeRequest::from(pb::apply_resource_change::Request {
            planned_identity: id(3),
            ..Default::default()
        });
        assert_eq!(apply.planned_identity.map(|v| v.msgpack), Some(vec![3]));
        let import = api::ImportResourceStateRequest::from(pb::import_resource_state::Request {
            identity: id(4),
            ..Default::default()
        });
        assert_eq!(import.identity.map(|v| v.msgpack), Some(vec![4]));
        // A message without data is no identity (Terraform < 1.12, or a state without one).
        let empty = api::ReadResourceRequest::from(pb::read_resource::Request {
            current_identity: Some(pb::ResourceIdentityData { identity_data: None }),
            ..Default::default()
        });
        assert!(empty.current_identity.is_none());

        let out = |v: u8| Some(api::DynamicValue::msgpack(vec![v]));
        let read =
            pb::read_resource::Response::from(api::ReadResourceResponse { new_identity: out(5), ..Default::default() });
        assert_eq!(read.new_identity.and_then(|i| i.identity_data).map(|v| v.msgpack), Some(vec![5]));
        let apply = pb::apply_resource_change::Response::from(api::ApplyResourceChangeResponse {
            new_identity: out(6),
            ..Default::default()
        });
        assert_eq!(apply.new_identity.and_then(|i| i.identity_data).map(|v| v.msgpack), Some(vec![6]));
        let plan = pb::plan_resource_change::Response::from(api::PlanResourceChangeResponse {
            planned_identity: out(7),
            ..Default::default()
        });
        assert_eq!(plan.planned_identity.and_then(|i| i.identity_data).map(|v| v.msgpack), Some(vec![7]));
    }
}
