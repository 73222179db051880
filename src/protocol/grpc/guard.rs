//! The one panic guard. [`ProviderService::call`](super::provider) runs every provider RPC inside
//! `catch_unwind`; when the provider panics (a bug), the RPC still gets its normal answer, carrying
//! one error diagnostic instead of a dropped call or a bare INTERNAL status, so Terraform shows a
//! readable error for that resource and keeps talking to the provider.
//!
//! Nothing is known about the remote object after a panic, so ReadResource answers the state it
//! was given and ApplyResourceChange the prior state (with the private data Terraform sent): the
//! object stays in state and re-running the command is safe. Those two copy what they keep from
//! the wire request before handing it on ([`PanicAnswer::keep`]); every other RPC keeps nothing.
//!
//! An RPC that moves work off the async task (`spawn_blocking`) must resume the work's panic on
//! the task (`std::panic::resume_unwind`) for it to reach this guard.

use super::generated::tfplugin5 as pb;
use crate::protocol::diagnostics::Diagnostic;

/// The diagnostic a panic while serving `rpc` becomes.
pub(super) fn internal_error(rpc: &str) -> Diagnostic {
    Diagnostic::error(
        "Provider internal error",
        format!(
            "The provider hit an internal error while serving {rpc}. This is a bug in the provider: please report \
             it with the resource type and the command you ran. Re-running the command is safe."
        ),
    )
}

/// What an RPC answers when the provider panicked while serving request `Req`.
pub(super) trait PanicAnswer<Req>: Sized {
    /// What the answer needs from the request, taken before the request is handed to the provider.
    type Kept: Send;
    fn keep(request: &Req) -> Self::Kept;
    fn answer(kept: Self::Kept, error: Diagnostic) -> Self;
}

/// RPCs whose panic answer is the error diagnostic and nothing else.
macro_rules! diagnostic_only {
    ($($rpc:ident),* $(,)?) => {$(
        impl PanicAnswer<pb::$rpc::Request> for pb::$rpc::Response {
            type Kept = ();
            fn keep(_: &pb::$rpc::Request) {}
            // Some of these responses hold nothing but diagnostics.
            #[allow(clippy::needless_update)]
            fn answer((): (), error: Diagnostic) -> Self {
                pb::$rpc::Response { diagnostics: vec![error.into()], ..Default::default() }
            }
        }
    )*};
}

diagnostic_only!(
    get_metadata,
    get_provider_schema,
    prepare_provider_config,
    configure,
    validate_resource_type_config,
    validate_data_source_config,
    upgrade_resource_state,
    plan_resource_change,
    import_resource_state,
    move_resource_state,
    read_data_source,
    get_functions,
    get_resource_identity_schemas,
    upgrade_resource_identity,
    validate_list_resource_config,
);

/// The state read and its private data, answered back unchanged.
impl PanicAnswer<pb::read_resource::Request> for pb::read_resource::Response {
    type Kept = (pb::DynamicValue, Vec<u8>, Option<pb::ResourceIdentityData>);
    fn keep(request: &pb::read_resource::Request) -> Self::Kept {
        (request.current_state.clone().unwrap_or_default(), request.private.clone(), request.current_identity.clone())
    }
    fn answer((state, private, identity): Self::Kept, error: Diagnostic) -> Self {
        pb::read_resource::Response {
            new_state: Some(state),
            private,
            new_identity: identity,
            diagnostics: vec![error.into()],
            ..Default::default()
        }
    }
}

/// The prior state and the planned private data, answered back unchanged.
impl PanicAnswer<pb::apply_resource_change::Request> for pb::apply_resource_change::Response {
    type Kept = (pb::DynamicValue, Vec<u8>);
    fn keep(request: &pb::apply_resource_change::Request) -> Self::Kept {
        (request.prior_state.clone().unwrap_or_default(), request.planned_private.clone())
    }
    fn answer((prior, private): Self::Kept, error: Diagnostic) -> Self {
        pb::apply_resource_change::Response {
            new_state: Some(prior),
            private,
            diagnostics: vec![error.into()],
            ..Default::default()
        }
    }
}

/// Functions report errors in their own field; Terraform shows its text.
impl PanicAnswer<pb::call_function::Request> for pb::call_function::Response {
    type Kept = ();
    fn keep(_: &pb::call_function::Request) {}
    fn answer((): (), error: Diagnostic) -> Self {
        pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError { text: error.detail, function_argument: None }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dv(bytes: &[u8]) -> pb::DynamicValue {
        pb::DynamicValue { msgpack: bytes.to_vec(), json: Vec::new() }
    }

    fn answer<Req, Resp: PanicAnswer<Req>>(request: &Req) -> Resp {
        Resp::answer(Resp::keep(request), internal_error("SomeRpc"))
    }

    fn only_the_error(diagnostics: &[pb::Diagnostic]) {
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(diagnostics[0].summary, "Provider internal error");
        assert!(diagnostics[0].detail.contains("SomeRpc"), "{}", diagnostics[0].detail);
    }

    #[test]
    fn read_and_apply_keep_the_state_they_were_given() {
        let table = [(Some(dv(&[0x81, 0xa1, b'x'])), dv(&[0x81, 0xa1, b'x'])), (None, pb::DynamicValue::default())];
        for (state, want) in table {
            let read: pb::read_resource::Response = answer(&pb::read_resource::Request {
                current_state: state.clone(),
                private: b"p".to_vec(),
                ..Default::default()
            });
            assert_eq!(read.new_state.as_ref().map(|v| &v.msgpack), Some(&want.msgpack));
            assert_eq!(read.private, b"p".to_vec());
            only_the_error(&read.diagnostics);

            let apply: pb::apply_resource_change::Response = answer(&pb::apply_resource_change::Request {
                prior_state: state,
                planned_state: Some(dv(&[0xc0])),
                planned_private: b"planned".to_vec(),
                ..Default::default()
            });
            assert_eq!(apply.new_state.as_ref().map(|v| &v.msgpack), Some(&want.msgpack), "the prior state");
            assert_eq!(apply.private, b"planned".to_vec());
            only_the_error(&apply.diagnostics);
        }
    }

    #[test]
    fn every_other_rpc_answers_the_error_and_no_value() {
        let plan: pb::plan_resource_change::Response =
            answer(&pb::plan_resource_change::Request { prior_state: Some(dv(&[0x80])), ..Default::default() });
        assert!(plan.planned_state.is_none());
        only_the_error(&plan.diagnostics);
        let upgrade: pb::upgrade_resource_state::Response = answer(&pb::upgrade_resource_state::Request::default());
        assert!(upgrade.upgraded_state.is_none());
        only_the_error(&upgrade.diagnostics);
        let prepared: pb::prepare_provider_config::Response =
            answer(&pb::prepare_provider_config::Request { config: Some(dv(&[0x80])) });
        assert!(prepared.prepared_config.is_none());
        only_the_error(&prepared.diagnostics);
        let import: pb::import_resource_state::Response = answer(&pb::import_resource_state::Request::default());
        assert!(import.imported_resources.is_empty());
        only_the_error(&import.diagnostics);
        let data: pb::read_data_source::Response = answer(&pb::read_data_source::Request::default());
        assert!(data.state.is_none());
        only_the_error(&data.diagnostics);
        let moved: pb::move_resource_state::Response = answer(&pb::move_resource_state::Request::default());
        assert!(moved.target_state.is_none());
        only_the_error(&moved.diagnostics);
        only_the_error(&answer::<_, pb::configure::Response>(&pb::configure::Request::default()).diagnostics);
        only_the_error(&answer::<_, pb::validate_resource_type_config::Response>(&Default::default()).diagnostics);
        only_the_error(&answer::<_, pb::validate_data_source_config::Response>(&Default::default()).diagnostics);
        only_the_error(&answer::<_, pb::get_metadata::Response>(&pb::get_metadata::Request {}).diagnostics);
        only_the_error(
            &answer::<_, pb::get_provider_schema::Response>(&pb::get_provider_schema::Request {}).diagnostics,
        );
        only_the_error(&answer::<_, pb::get_functions::Response>(&pb::get_functions::Request {}).diagnostics);
    }

    #[test]
    fn a_function_reports_the_error_in_its_own_field() {
        let call: pb::call_function::Response =
            answer(&pb::call_function::Request { name: "certificate_info".into(), arguments: vec![dv(&[0xc0])] });
        assert!(call.result.is_none());
        let error = call.error.expect("function error");
        assert!(error.text.contains("SomeRpc"), "{}", error.text);
        assert_eq!(error.function_argument, None);
    }
}
