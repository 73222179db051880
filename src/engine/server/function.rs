//! CallFunction: decode each argument with its parameter's type (variadic arguments with the
//! variadic parameter's), call, encode with the return type. Errors are `FunctionError`s that
//! keep the index of the argument at fault.

use crate::engine::codec::{decode, encode};
use crate::protocol::diagnostics::excerpt;
use crate::protocol::*;

use super::Engine;

impl Engine {
    pub(super) fn call(&self, req: CallFunctionRequest) -> CallFunctionResponse {
        tracing::debug!(function = %req.name, "CallFunction");
        let fail = |text: String, argument: Option<usize>| CallFunctionResponse {
            result: None,
            error: Some(FunctionError { text, function_argument: argument.and_then(|i| i64::try_from(i).ok()) }),
        };
        let Some(entry) = self.functions.get(&req.name) else {
            return fail(
                format!("This provider has no function {}. Check the function name.", excerpt(&req.name)),
                None,
            );
        };
        let sig = &entry.signature;
        let mut args = Vec::with_capacity(req.arguments.len());
        for (i, raw) in req.arguments.iter().enumerate() {
            let Some(param) = sig.parameters.get(i).or(sig.variadic_parameter.as_ref()) else {
                return fail(
                    format!(
                        "{} takes {} argument(s), but {} were given.",
                        req.name,
                        sig.parameters.len(),
                        req.arguments.len()
                    ),
                    Some(i),
                );
            };
            match decode(raw, &param.ty, "argument") {
                Ok(v) => args.push(v),
                Err(d) => return fail(format!("Invalid value for \"{}\": {}", param.name, d.detail), Some(i)),
            }
        }
        if args.len() < sig.parameters.len() {
            return fail(
                format!("{} needs {} argument(s), but {} were given.", req.name, sig.parameters.len(), args.len()),
                None,
            );
        }
        match entry.function.call(&args) {
            Ok(value) => match encode(&value, &sig.return_type, "function result") {
                Ok(dv) => CallFunctionResponse { result: Some(dv), error: None },
                Err(d) => fail(d.detail, None),
            },
            Err(e) => CallFunctionResponse { result: None, error: Some(e) },
        }
    }
}
