//! msgpack codec, byte-compatible with go-cty `cty/msgpack` (tfplugin5.md §3.2).

mod decode;
mod encode;
mod reader;
mod writer;

use super::{CodecError, Type, Value};
use crate::protocol::path::AttributePath;

/// Encodes `value` as a value of type `ty` (objects with every attribute, keys sorted; numbers as
/// int / float64 / decimal string as go-cty chooses; dynamic slots wrapped as `[type JSON, value]`).
/// Unknowns are written as plain `d40000`, never with refinements.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    encode::write_value(&mut out, value, ty, &AttributePath::root())?;
    Ok(out)
}

/// Decodes msgpack bytes as a value of type `ty`. Accepts every refinement Terraform sends (and
/// drops it). The bytes must hold exactly one value.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut decoder = decode::Decoder::new(bytes);
    let value = decoder.value(ty, &AttributePath::root())?;
    match decoder.remaining() {
        0 => Ok(value),
        n => Err(CodecError::TrailingBytes(n)),
    }
}

#[cfg(test)]
mod tests;
