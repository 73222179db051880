//! Per-call context: the operation's [`OperationScope`] (Terraform's Stop and the `timeouts {}`
//! deadline), the same type the engine hands to resources, so the client reports a timeout as a
//! timeout and a Stop as an interruption whichever layer notices first.

pub use crate::scope::OperationScope as CallContext;

use super::error::ApiError;
use crate::scope::Interrupted;

impl From<Interrupted> for ApiError {
    fn from(why: Interrupted) -> ApiError {
        match why {
            Interrupted::Stopped => ApiError::Cancelled,
            Interrupted::TimedOut(deadline) => ApiError::DeadlineExceeded { deadline, last_error: None },
        }
    }
}
