//! DynamicValue and private-state conversion with diagnostics instead of panics. Terraform sends
//! msgpack; JSON is accepted as a fallback and an empty DynamicValue is the null value.

use crate::protocol::cty::{Type, Value, json, msgpack};
use crate::protocol::{Diagnostic, DynamicValue};

use super::traits::Private;

/// Decodes what Terraform sent as a value of `ty`. `what` names it for the message ("config").
pub(crate) fn decode(dv: &DynamicValue, ty: &Type, what: &str) -> Result<Value, Diagnostic> {
    let decoded = if !dv.msgpack.is_empty() {
        msgpack::decode(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        json::decode_value(&dv.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|e| {
        Diagnostic::error(
            "Invalid value from Terraform",
            format!(
                "The provider could not decode the {what} Terraform sent ({e}). This usually means Terraform and the \
                 provider disagree on the schema: run `terraform init -upgrade` and try again; report it if it persists."
            ),
        )
    })
}

/// Encodes a value of `ty` as msgpack, the encoding Terraform always accepts.
pub(crate) fn encode(value: &Value, ty: &Type, what: &str) -> Result<DynamicValue, Diagnostic> {
    msgpack::encode(value, ty).map(DynamicValue::msgpack).map_err(|e| {
        Diagnostic::error(
            "Provider produced a value it cannot encode",
            format!(
                "The provider could not encode the {what} ({e}). This is a bug in the provider: please report it \
                 with the resource type and the operation you ran."
            ),
        )
    })
}

/// Private state as a JSON object; empty bytes are the empty object. Bytes that are not a JSON
/// object (written by something else) are treated as empty rather than blocking every operation.
pub(crate) fn decode_private(bytes: &[u8]) -> Private {
    if bytes.is_empty() {
        return Private::new();
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => {
            tracing::warn!("ignoring private state that is not a JSON object");
            Private::new()
        }
    }
}

/// The private bytes to store: the incoming bytes when the result equals what came in (so they
/// pass through untouched), else the JSON of the result (empty object → empty bytes).
pub(crate) fn encode_private(result: &Private, incoming_bytes: &[u8], incoming: &Private) -> Vec<u8> {
    if result == incoming {
        return incoming_bytes.to_vec();
    }
    if result.is_empty() {
        return Vec::new();
    }
    serde_json::to_vec(result).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_round_trip_and_passthrough() {
        assert!(decode_private(b"").is_empty());
        assert!(decode_private(b"not json").is_empty());
        assert!(decode_private(b"[1]").is_empty());
        let raw = br#"{ "b": 1, "a": "x" }"#;
        let p = decode_private(raw);
        assert_eq!(p.len(), 2);
        assert_eq!(encode_private(&p, raw, &p), raw.to_vec(), "unchanged private passes through byte for byte");
        let mut q = p.clone();
        q.insert("c".into(), serde_json::Value::Bool(true));
        let out = encode_private(&q, raw, &p);
        assert_eq!(decode_private(&out), q);
        assert!(encode_private(&Private::new(), raw, &p).is_empty());
    }

    #[test]
    fn empty_dynamic_value_is_null() {
        assert_eq!(decode(&DynamicValue::default(), &Type::String, "config"), Ok(Value::Null));
    }
}
