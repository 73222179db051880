//! Resource identity (protocol 5.9): GetResourceIdentitySchemas and UpgradeResourceIdentity. The
//! identity values inside read/plan/apply/import travel with those RPCs (`resource`).

use super::pb;
use super::values::{diagnostics_out, identity_out};
use crate::protocol::cty::json::encode_type;
use crate::protocol::provider_server as api;
use crate::protocol::schema::IdentitySchema;

impl From<pb::get_resource_identity_schemas::Request> for () {
    fn from(_: pb::get_resource_identity_schemas::Request) -> Self {}
}

impl From<IdentitySchema> for pb::ResourceIdentitySchema {
    fn from(s: IdentitySchema) -> Self {
        use pb::resource_identity_schema::IdentityAttribute;
        pb::ResourceIdentitySchema {
            version: s.version,
            identity_attributes: s
                .attributes
                .into_iter()
                .map(|a| IdentityAttribute {
                    r#type: encode_type(&a.ty),
                    name: a.name,
                    // Exactly one of the two: Terraform rejects both or neither.
                    required_for_import: a.required_for_import,
                    optional_for_import: !a.required_for_import,
                    description: a.description,
                })
                .collect(),
        }
    }
}

impl From<api::GetResourceIdentitySchemasResponse> for pb::get_resource_identity_schemas::Response {
    fn from(r: api::GetResourceIdentitySchemasResponse) -> Self {
        pb::get_resource_identity_schemas::Response {
            identity_schemas: r.identity_schemas.into_iter().map(|(k, s)| (k, s.into())).collect(),
            diagnostics: diagnostics_out(r.diagnostics),
        }
    }
}

impl From<pb::upgrade_resource_identity::Request> for api::UpgradeResourceIdentityRequest {
    fn from(r: pb::upgrade_resource_identity::Request) -> Self {
        api::UpgradeResourceIdentityRequest {
            type_name: r.type_name,
            version: r.version,
            raw_identity: r.raw_identity.map(Into::into).unwrap_or_default(),
        }
    }
}

impl From<api::UpgradeResourceIdentityResponse> for pb::upgrade_resource_identity::Response {
    fn from(r: api::UpgradeResourceIdentityResponse) -> Self {
        pb::upgrade_resource_identity::Response {
            upgraded_identity: identity_out(r.upgraded_identity),
            diagnostics: diagnostics_out(r.diagnostics),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Type;
    use crate::protocol::schema::IdentityAttribute;

    #[test]
    fn identity_attributes_are_required_or_optional_for_import_never_both() {
        let schema = IdentitySchema {
            version: 0,
            attributes: vec![
                IdentityAttribute {
                    name: "certificate_id".into(),
                    ty: Type::String,
                    required_for_import: true,
                    description: "d".into(),
                },
                IdentityAttribute {
                    name: "service".into(),
                    ty: Type::String,
                    required_for_import: false,
                    description: String::new(),
                },
            ],
        };
        let out = pb::ResourceIdentitySchema::from(schema);
        let [id, service] = &out.identity_attributes[..] else { panic!("two attributes expected") };
        assert!(id.required_for_import && !id.optional_for_import);
        assert!(!service.required_for_import && service.optional_for_import);
        assert_eq!(id.r#type, b"\"string\"".to_vec(), "the type is cty type JSON");
        assert_eq!(id.description, "d");
    }

    #[test]
    fn upgrade_request_and_response() {
        let req = api::UpgradeResourceIdentityRequest::from(pb::upgrade_resource_identity::Request {
            type_name: "apig_certificate".into(),
            version: 0,
            raw_identity: Some(pb::RawState { json: b"{}".to_vec(), flatmap: Default::default() }),
        });
        assert_eq!(
            (req.type_name.as_str(), req.version, req.raw_identity.json.as_slice()),
            ("apig_certificate", 0, &b"{}"[..])
        );
        let out = pb::upgrade_resource_identity::Response::from(api::UpgradeResourceIdentityResponse {
            upgraded_identity: Some(api::DynamicValue::msgpack(vec![0x80])),
            diagnostics: Default::default(),
        });
        assert_eq!(out.upgraded_identity.and_then(|i| i.identity_data).map(|v| v.msgpack), Some(vec![0x80]));
    }
}
