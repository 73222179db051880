//! Provider functions: signatures (GetFunctions, also in GetProviderSchema) and CallFunction.

use std::collections::HashMap;

use super::pb;
use super::values::{diagnostics_out, value_out};
use crate::protocol::cty::json::encode_type;
use crate::protocol::provider_server as api;
use crate::protocol::schema::{FunctionSignature, Parameter};

impl From<Parameter> for pb::function::Parameter {
    fn from(p: Parameter) -> Self {
        pb::function::Parameter {
            r#type: encode_type(&p.ty),
            name: p.name,
            allow_null_value: p.allow_null_value,
            allow_unknown_values: p.allow_unknown_values,
            description: p.description,
            description_kind: pb::StringKind::from(p.description_kind) as i32,
        }
    }
}

impl From<FunctionSignature> for pb::Function {
    fn from(f: FunctionSignature) -> Self {
        pb::Function {
            parameters: f.parameters.into_iter().map(Into::into).collect(),
            variadic_parameter: f.variadic_parameter.map(Into::into),
            r#return: Some(pb::function::Return { r#type: encode_type(&f.return_type) }),
            summary: f.summary,
            description: f.description,
            description_kind: pb::StringKind::from(f.description_kind) as i32,
            deprecation_message: f.deprecation_message,
        }
    }
}

pub(super) fn functions_out(functions: HashMap<String, FunctionSignature>) -> HashMap<String, pb::Function> {
    functions.into_iter().map(|(name, f)| (name, f.into())).collect()
}

impl From<api::FunctionError> for pb::FunctionError {
    fn from(e: api::FunctionError) -> Self {
        pb::FunctionError {
            text: crate::protocol::diagnostics::cap_text(e.text, crate::protocol::diagnostics::MAX_DETAIL_BYTES),
            function_argument: e.function_argument,
        }
    }
}

impl From<pb::get_functions::Request> for () {
    fn from(_: pb::get_functions::Request) -> Self {}
}

impl From<api::GetFunctionsResponse> for pb::get_functions::Response {
    fn from(r: api::GetFunctionsResponse) -> Self {
        pb::get_functions::Response {
            functions: functions_out(r.functions),
            diagnostics: diagnostics_out(r.diagnostics),
        }
    }
}

impl From<pb::call_function::Request> for api::CallFunctionRequest {
    fn from(r: pb::call_function::Request) -> Self {
        api::CallFunctionRequest { name: r.name, arguments: r.arguments.into_iter().map(Into::into).collect() }
    }
}

impl From<api::CallFunctionResponse> for pb::call_function::Response {
    fn from(r: api::CallFunctionResponse) -> Self {
        pb::call_function::Response { result: value_out(r.result), error: r.error.map(Into::into) }
    }
}

#[cfg(test)]
mod tests {
    use super::super::values::dv;
    use super::*;
    use crate::protocol::cty::Type;
    use crate::protocol::schema::StringKind;
    use prost::Message;

    #[test]
    fn function_signature_and_error() {
        let param = |name: &str| Parameter {
            name: name.into(),
            ty: Type::String,
            allow_null_value: true,
            allow_unknown_values: false,
            description: "d".into(),
            description_kind: StringKind::Markdown,
        };
        let sig = FunctionSignature {
            parameters: vec![param("pem")],
            variadic_parameter: Some(param("rest")),
            return_type: Type::list(Type::String),
            summary: "Parses".into(),
            description: "Long".into(),
            description_kind: StringKind::Plain,
            deprecation_message: "old".into(),
        };
        let out = pb::Function::from(sig);
        assert_eq!(out.parameters.len(), 1);
        assert_eq!(out.parameters[0].name, "pem");
        assert!(out.parameters[0].allow_null_value && !out.parameters[0].allow_unknown_values);
        assert_eq!(out.parameters[0].description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(out.variadic_parameter.map(|p| p.name), Some("rest".to_string()));
        assert_eq!(out.r#return.map(|r| r.r#type), Some(encode_type(&Type::list(Type::String))));
        assert_eq!((out.summary.as_str(), out.description.as_str()), ("Parses", "Long"));
        assert_eq!(out.deprecation_message, "old");

        let table = [(Some(1), Some(1)), (None, None)];
        for (arg, want) in table {
            let err = pb::FunctionError::from(api::FunctionError { text: "bad".into(), function_argument: arg });
            assert_eq!((err.text.as_str(), err.function_argument), ("bad", want));
        }
        let resp = pb::call_function::Response::from(api::CallFunctionResponse {
            result: None,
            error: Some(api::FunctionError { text: "x".into(), function_argument: Some(0) }),
        });
        assert!(resp.result.is_none());
        // Argument 0 must still be sent (proto3 `optional`), or Terraform blames no argument.
        let bytes = resp.encode_to_vec();
        let back = pb::call_function::Response::decode(bytes.as_slice()).unwrap_or_default();
        assert_eq!(back.error.and_then(|e| e.function_argument), Some(0));
    }

    #[test]
    fn call_function_requests_carry_every_argument() {
        let call = api::CallFunctionRequest::from(pb::call_function::Request {
            name: "parse".into(),
            arguments: vec![dv(&[0xa1, b'x']), dv(&[0xc0])],
        });
        assert_eq!(call.arguments.len(), 2);
        assert_eq!(call.arguments[0].msgpack, vec![0xa1, b'x']);
    }
}
