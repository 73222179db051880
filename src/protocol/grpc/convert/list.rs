//! List resources (protocol 5.10): ValidateListResourceConfig and the ListResource stream's events.

use super::pb;
use super::values::{diagnostics_out, identity_out, value_in, value_out};
use crate::protocol::provider_server as api;

impl From<pb::validate_list_resource_config::Request> for api::ValidateListResourceConfigRequest {
    fn from(r: pb::validate_list_resource_config::Request) -> Self {
        // `include_resource_object` and `limit` are expressions of the list block, checked by
        // Terraform itself; the provider validates the config block.
        api::ValidateListResourceConfigRequest { type_name: r.type_name, config: value_in(r.config) }
    }
}

impl From<api::ValidateListResourceConfigResponse> for pb::validate_list_resource_config::Response {
    fn from(r: api::ValidateListResourceConfigResponse) -> Self {
        pb::validate_list_resource_config::Response { diagnostics: diagnostics_out(r.diagnostics) }
    }
}

impl From<pb::list_resource::Request> for api::ListResourceRequest {
    fn from(r: pb::list_resource::Request) -> Self {
        api::ListResourceRequest {
            type_name: r.type_name,
            config: value_in(r.config),
            include_resource_object: r.include_resource_object,
            limit: r.limit,
        }
    }
}

impl From<api::ListResourceEvent> for pb::list_resource::Event {
    fn from(e: api::ListResourceEvent) -> Self {
        pb::list_resource::Event {
            identity: identity_out(e.identity),
            display_name: e.display_name,
            resource_object: value_out(e.resource_object),
            diagnostic: diagnostics_out(e.diagnostics),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::values::dv;
    use super::*;
    use crate::protocol::diagnostics::{Diagnostic, Diagnostics};

    #[test]
    fn list_request_keeps_limit_and_object_flag() {
        let req = api::ListResourceRequest::from(pb::list_resource::Request {
            type_name: "apig_certificate".into(),
            config: Some(dv(&[0x80])),
            include_resource_object: true,
            limit: 7,
        });
        assert_eq!(req.type_name, "apig_certificate");
        assert_eq!(req.config.msgpack, vec![0x80]);
        assert!(req.include_resource_object);
        assert_eq!(req.limit, 7);
    }

    #[test]
    fn events_without_an_object_leave_it_unset() {
        let event = pb::list_resource::Event::from(api::ListResourceEvent {
            identity: Some(api::DynamicValue::msgpack(vec![0x81])),
            display_name: "api (api.example.com)".into(),
            resource_object: None,
            diagnostics: Diagnostics::new(),
        });
        assert!(event.resource_object.is_none());
        assert_eq!(event.display_name, "api (api.example.com)");
        assert!(event.identity.and_then(|i| i.identity_data).is_some());

        let failed = pb::list_resource::Event::from(api::ListResourceEvent {
            diagnostics: Diagnostic::error("s", "d").into(),
            ..Default::default()
        });
        assert!(failed.identity.is_none());
        assert_eq!(failed.diagnostic.len(), 1);
    }
}
