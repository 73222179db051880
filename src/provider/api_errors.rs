//! API errors as diagnostics: the summary names what failed, the detail carries the service's
//! error (code, message, request ID, call; never a body that could hold a key) and what to do.

use crate::client::{ApiError, CallContext};
use crate::engine::Context;
use crate::protocol::Diagnostic;

pub fn api_error(summary: impl Into<String>, e: &ApiError) -> Diagnostic {
    Diagnostic::error(summary, format!("{e}. {}", e.hint()))
}

/// The client's view of an operation's context: Stop cancels it, `timeouts {}` bounds it.
pub fn call_context(ctx: &Context) -> CallContext {
    CallContext::new(ctx.cancel.clone(), ctx.deadline)
}
