//! Property tests of the proto-to-protocol conversions: arbitrary bytes, and valid requests with
//! bytes flipped or cut, decoded as each request message Terraform sends; whatever prost accepts
//! converts without a panic. And whatever diagnostics an answer carries, what goes on the wire
//! stays within the diagnostic bounds.

use proptest::collection::vec;
use proptest::prelude::*;
use prost::Message;

use super::generated::tfplugin5 as pb;
use crate::proptest_support::config;
use crate::protocol::diagnostics::{MAX_DETAIL_BYTES, MAX_DIAGNOSTICS, MAX_SUMMARY_BYTES};
use crate::protocol::provider_server as api;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

/// Decodes `bytes` as `M` and converts it to the protocol type `A`; errors are fine, panics not.
fn decode_and_convert<M: Message + Default, A: From<M>>(bytes: &[u8]) {
    if let Ok(message) = M::decode(bytes) {
        let _converted: A = message.into();
    }
}

fn every_request(bytes: &[u8]) {
    decode_and_convert::<pb::prepare_provider_config::Request, api::PrepareProviderConfigRequest>(bytes);
    decode_and_convert::<pb::validate_resource_type_config::Request, api::ValidateResourceTypeConfigRequest>(bytes);
    decode_and_convert::<pb::validate_data_source_config::Request, api::ValidateDataSourceConfigRequest>(bytes);
    decode_and_convert::<pb::upgrade_resource_state::Request, api::UpgradeResourceStateRequest>(bytes);
    decode_and_convert::<pb::configure::Request, api::ConfigureProviderRequest>(bytes);
    decode_and_convert::<pb::read_resource::Request, api::ReadResourceRequest>(bytes);
    decode_and_convert::<pb::plan_resource_change::Request, api::PlanResourceChangeRequest>(bytes);
    decode_and_convert::<pb::apply_resource_change::Request, api::ApplyResourceChangeRequest>(bytes);
    decode_and_convert::<pb::import_resource_state::Request, api::ImportResourceStateRequest>(bytes);
    decode_and_convert::<pb::move_resource_state::Request, api::MoveResourceStateRequest>(bytes);
    decode_and_convert::<pb::read_data_source::Request, api::ReadDataSourceRequest>(bytes);
    decode_and_convert::<pb::call_function::Request, api::CallFunctionRequest>(bytes);
}

/// A request with every kind of field set, as a starting point for damage.
fn sample_request(text: &str, blob: &[u8]) -> Vec<u8> {
    let value = Some(pb::DynamicValue { msgpack: blob.to_vec(), json: text.as_bytes().to_vec() });
    pb::plan_resource_change::Request {
        type_name: text.to_string(),
        prior_state: value.clone(),
        proposed_new_state: value.clone(),
        config: value.clone(),
        prior_private: blob.to_vec(),
        provider_meta: value,
        client_capabilities: Some(pb::ClientCapabilities {
            deferral_allowed: true,
            write_only_attributes_allowed: true,
        }),
        ..Default::default()
    }
    .encode_to_vec()
}

fn diagnostic() -> impl Strategy<Value = Diagnostic> {
    let size = prop_oneof![0usize..8, Just(MAX_DETAIL_BYTES + 1), Just(100_000)];
    (size.clone(), size, any::<bool>(), 0usize..3, any::<char>()).prop_map(|(s, d, error, keys, c)| {
        let summary = c.to_string().repeat(s);
        let detail = c.to_string().repeat(d);
        let mut path = AttributePath::attr("a");
        for _ in 0..keys {
            path = path.push_key(c.to_string().repeat(d));
        }
        let diagnostic = if error { Diagnostic::error(summary, detail) } else { Diagnostic::warning(summary, detail) };
        diagnostic.with_attribute(path)
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_as_requests(bytes in vec(any::<u8>(), 0..256)) {
        every_request(&bytes);
    }

    #[test]
    fn damaged_requests(text in "\\PC{0,16}", blob in vec(any::<u8>(), 0..32), at in any::<prop::sample::Index>(), flip in 1u8..=255, cut in any::<prop::sample::Index>()) {
        let bytes = sample_request(&text, &blob);
        every_request(&bytes);
        every_request(&bytes[..cut.index(bytes.len())]);
        let mut flipped = bytes;
        let i = at.index(flipped.len());
        flipped[i] ^= flip;
        every_request(&flipped);
    }

    #[test]
    fn diagnostics_on_the_wire_are_bounded(diagnostics in vec(diagnostic(), 0..(MAX_DIAGNOSTICS + 20))) {
        let errors_in = diagnostics.iter().any(|d| d.severity == crate::protocol::Severity::Error);
        let answer = pb::validate_resource_type_config::Response::from(api::ValidateResourceTypeConfigResponse {
            diagnostics: Diagnostics(diagnostics),
        });
        prop_assert!(answer.diagnostics.len() <= MAX_DIAGNOSTICS);
        let errors_out = answer.diagnostics.iter().any(|d| d.severity == pb::diagnostic::Severity::Error as i32);
        prop_assert_eq!(errors_in, errors_out, "an error is never dropped");
        for d in &answer.diagnostics {
            prop_assert!(d.summary.len() <= MAX_SUMMARY_BYTES && d.detail.len() <= MAX_DETAIL_BYTES);
        }
        prop_assert!(answer.encoded_len() < 2 * 1024 * 1024, "{} bytes", answer.encoded_len());
    }
}
