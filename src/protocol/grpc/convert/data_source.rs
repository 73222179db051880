//! The data-source RPCs: ValidateDataSourceConfig and ReadDataSource.

use super::pb;
use super::values::{diagnostics_out, value_in, value_out};
use crate::protocol::provider_server as api;

impl From<pb::validate_data_source_config::Request> for api::ValidateDataSourceConfigRequest {
    fn from(r: pb::validate_data_source_config::Request) -> Self {
        api::ValidateDataSourceConfigRequest { type_name: r.type_name, config: value_in(r.config) }
    }
}

impl From<api::ValidateDataSourceConfigResponse> for pb::validate_data_source_config::Response {
    fn from(r: api::ValidateDataSourceConfigResponse) -> Self {
        pb::validate_data_source_config::Response { diagnostics: diagnostics_out(r.diagnostics) }
    }
}

impl From<pb::read_data_source::Request> for api::ReadDataSourceRequest {
    fn from(r: pb::read_data_source::Request) -> Self {
        api::ReadDataSourceRequest {
            type_name: r.type_name,
            config: value_in(r.config),
            provider_meta: r.provider_meta.map(Into::into),
            client_capabilities: r.client_capabilities.into(),
        }
    }
}

impl From<api::ReadDataSourceResponse> for pb::read_data_source::Response {
    fn from(r: api::ReadDataSourceResponse) -> Self {
        pb::read_data_source::Response {
            state: value_out(r.state),
            diagnostics: diagnostics_out(r.diagnostics),
            deferred: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::values::dv;
    use super::*;
    use crate::protocol::diagnostics::{Diagnostic, Diagnostics};

    #[test]
    fn requests_carry_type_config_and_capabilities() {
        let table = [(Some(dv(&[0x81])), vec![0x81]), (None, Vec::new())];
        for (config, want) in table {
            let read = api::ReadDataSourceRequest::from(pb::read_data_source::Request {
                type_name: "apig_certificates".into(),
                config: config.clone(),
                provider_meta: None,
                client_capabilities: Some(pb::ClientCapabilities {
                    deferral_allowed: true,
                    write_only_attributes_allowed: false,
                }),
            });
            assert_eq!(read.type_name, "apig_certificates");
            assert_eq!(read.config.msgpack, want);
            assert_eq!(read.provider_meta, None);
            assert!(read.client_capabilities.deferral_allowed);

            let validate = api::ValidateDataSourceConfigRequest::from(pb::validate_data_source_config::Request {
                type_name: "apig_certificate".into(),
                config,
            });
            assert_eq!((validate.type_name.as_str(), validate.config.msgpack), ("apig_certificate", want));
        }
    }

    #[test]
    fn responses_keep_an_absent_state_unset() {
        let table = [(None, None), (Some(api::DynamicValue::msgpack(vec![0x80])), Some(vec![0x80]))];
        for (state, want) in table {
            let out = pb::read_data_source::Response::from(api::ReadDataSourceResponse {
                state,
                diagnostics: Diagnostics::from(Diagnostic::warning("w", "d")),
            });
            assert_eq!(out.state.map(|v| v.msgpack), want);
            assert_eq!(out.diagnostics.len(), 1);
            assert!(out.deferred.is_none());
        }
        let validated = pb::validate_data_source_config::Response::from(api::ValidateDataSourceConfigResponse {
            diagnostics: Diagnostics::from(Diagnostic::error("e", "d")),
        });
        assert_eq!(validated.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
    }
}
