//! The cty type system as Terraform uses it on the wire: types, values with null and unknown,
//! arbitrary-precision numbers, and the msgpack / JSON codecs that reproduce go-cty byte for byte.

mod number;
mod types;
mod value;

pub mod json;
pub mod msgpack;

#[cfg(test)]
pub(crate) mod proptests;

pub use number::Number;
pub use types::Type;
pub use value::{ConformanceError, Lookup, Value};

/// Why bytes or JSON could not be turned into a value of the expected type. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// `path` is the HCL-like rendering of where in the value the problem is (empty at the root).
    #[error("{}", if path.is_empty() { message.clone() } else { format!("{path}: {message}") })]
    Invalid { path: String, message: String },
    #[error("unexpected end of input")]
    Truncated,
    #[error("{0} trailing bytes after the value")]
    TrailingBytes(usize),
    #[error("invalid type description: {0}")]
    InvalidType(String),
}

impl CodecError {
    /// An [`CodecError::Invalid`] at `path`.
    pub fn at(path: &crate::protocol::path::AttributePath, message: impl Into<String>) -> CodecError {
        CodecError::Invalid { path: path.to_string(), message: message.into() }
    }
}
