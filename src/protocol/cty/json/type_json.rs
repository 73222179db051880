//! The compact type JSON of go-cty `Type.MarshalJSON` (tfplugin5.md §3.1).

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::go_string::write_go_json_string;
use crate::protocol::cty::{CodecError, Type};

/// Compact type JSON exactly as go-cty writes it: `"string"`, `["list","string"]`,
/// `["object",{"a":"bool","b":"number"}]` (attribute names sorted), `["tuple",["string"]]`.
pub fn encode_type(ty: &Type) -> Vec<u8> {
    let mut out = Vec::new();
    write_type(&mut out, ty);
    out
}

pub(crate) fn write_type(out: &mut Vec<u8>, ty: &Type) {
    match ty {
        Type::String => out.extend_from_slice(br#""string""#),
        Type::Number => out.extend_from_slice(br#""number""#),
        Type::Bool => out.extend_from_slice(br#""bool""#),
        Type::Dynamic => out.extend_from_slice(br#""dynamic""#),
        Type::List(t) | Type::Set(t) | Type::Map(t) => {
            let kind: &[u8] = match ty {
                Type::List(_) => br#"["list","#,
                Type::Set(_) => br#"["set","#,
                _ => br#"["map","#,
            };
            out.extend_from_slice(kind);
            write_type(out, t);
            out.push(b']');
        }
        Type::Object(attrs) => {
            out.extend_from_slice(br#"["object",{"#);
            // BTreeMap iterates in byte order of the names, as Go's encoding/json sorts map keys.
            for (i, (name, t)) in attrs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_go_json_string(out, name);
                out.push(b':');
                write_type(out, t);
            }
            out.extend_from_slice(b"}]");
        }
        Type::Tuple(elems) => {
            out.extend_from_slice(br#"["tuple",["#);
            for (i, t) in elems.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_type(out, t);
            }
            out.extend_from_slice(b"]]");
        }
    }
}

/// Parses a type JSON. Any JSON whitespace is accepted, and so is the optional-attributes list
/// that go-cty appends to object type constraints (`["object",{...},["a"]]`); it only matters
/// for type constraints, so it is checked for shape and then ignored.
pub fn decode_type(bytes: &[u8]) -> Result<Type, CodecError> {
    // serde_json's recursion limit (128) bounds the nesting, so hostile input cannot exhaust the stack.
    let json: Json =
        serde_json::from_slice(bytes).map_err(|e| CodecError::InvalidType(format!("not valid JSON: {e}")))?;
    type_from_json(&json)
}

/// Converts an already-parsed type JSON (as found in a dynamic value's `"type"` member).
pub(crate) fn type_from_json(json: &Json) -> Result<Type, CodecError> {
    let invalid = |msg: String| CodecError::InvalidType(msg);
    match json {
        Json::String(name) => match name.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(invalid(format!("invalid primitive type name {other:?}"))),
        },
        Json::Array(items) => {
            let Some(Json::String(kind)) = items.first() else {
                return Err(invalid("a complex type must start with its kind name".into()));
            };
            let expect_len = |allowed: &[usize]| {
                if allowed.contains(&items.len()) {
                    Ok(())
                } else {
                    Err(invalid(format!("unexpected number of elements in a {kind} type description")))
                }
            };
            let second = items.get(1);
            match (kind.as_str(), second) {
                ("list", Some(t)) => expect_len(&[2]).and_then(|()| Ok(Type::list(type_from_json(t)?))),
                ("set", Some(t)) => expect_len(&[2]).and_then(|()| Ok(Type::set(type_from_json(t)?))),
                ("map", Some(t)) => expect_len(&[2]).and_then(|()| Ok(Type::map(type_from_json(t)?))),
                ("object", Some(Json::Object(attrs))) => {
                    expect_len(&[2, 3])?;
                    if let Some(optional) = items.get(2) {
                        let names_ok = matches!(optional, Json::Array(names) if names.iter().all(Json::is_string));
                        if !names_ok {
                            return Err(invalid(
                                "optional attributes of an object type must be a list of names".into(),
                            ));
                        }
                    }
                    let attrs = attrs.iter().map(|(name, t)| Ok((name.clone(), type_from_json(t)?))).collect::<Result<
                        BTreeMap<_, _>,
                        CodecError,
                    >>(
                    )?;
                    Ok(Type::Object(attrs))
                }
                ("tuple", Some(Json::Array(elems))) => {
                    expect_len(&[2])?;
                    Ok(Type::Tuple(elems.iter().map(type_from_json).collect::<Result<_, _>>()?))
                }
                ("list" | "set" | "map" | "object" | "tuple", _) => {
                    Err(invalid(format!("invalid {kind} type description")))
                }
                (other, _) => Err(invalid(format!("invalid complex type kind name {other:?}"))),
            }
        }
        _ => Err(invalid("a type description must be a string or an array".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(ty: &Type) -> String {
        String::from_utf8(encode_type(ty)).unwrap_or_default()
    }

    #[test]
    fn encodes_compact_go_cty_type_json() {
        let cases = [
            (Type::String, r#""string""#),
            (Type::Number, r#""number""#),
            (Type::Bool, r#""bool""#),
            (Type::Dynamic, r#""dynamic""#),
            (Type::list(Type::String), r#"["list","string"]"#),
            (Type::set(Type::Number), r#"["set","number"]"#),
            (Type::map(Type::list(Type::Bool)), r#"["map",["list","bool"]]"#),
            (
                Type::object([("zeta", Type::String), ("alpha", Type::Number), ("Beta", Type::Bool)]),
                r#"["object",{"Beta":"bool","alpha":"number","zeta":"string"}]"#,
            ),
            (Type::object(Vec::<(String, Type)>::new()), r#"["object",{}]"#),
            (Type::Tuple(vec![Type::String, Type::Dynamic]), r#"["tuple",["string","dynamic"]]"#),
            (Type::Tuple(vec![]), r#"["tuple",[]]"#),
            (Type::object([("a<b", Type::String)]), r#"["object",{"a\u003cb":"string"}]"#),
        ];
        for (ty, json) in cases {
            assert_eq!(enc(&ty), json);
            assert_eq!(decode_type(json.as_bytes()), Ok(ty), "{json}");
        }
    }

    #[test]
    fn decodes_whitespace_and_optional_attribute_markers() {
        let pretty =
            b"[\n  \"object\" ,\n  {\n    \"foo\": [ \"list\", \"string\" ],\n    \"bar\" : \"number\"\n  }\n]\n";
        let expected = Type::object([("foo", Type::list(Type::String)), ("bar", Type::Number)]);
        assert_eq!(decode_type(pretty), Ok(expected.clone()));
        assert_eq!(decode_type(br#"["object",{"foo":["list","string"],"bar":"number"},["bar"]]"#), Ok(expected));
        assert_eq!(
            decode_type(br#"["object",{"a":"string"},["optattr","a"]]"#),
            Ok(Type::object([("a", Type::String)]))
        );
    }

    #[test]
    fn malformed_type_json_is_an_error() {
        for bad in [
            &b""[..],
            b"\"strin\"",
            b"42",
            b"null",
            b"{}",
            b"[]",
            b"[42]",
            b"[\"list\"]",
            b"[\"list\",\"string\",\"string\"]",
            b"[\"object\",[\"string\"]]",
            b"[\"object\",{\"a\":\"string\"},\"a\"]",
            b"[\"object\",{\"a\":\"string\"},[1]]",
            b"[\"object\",{\"a\":\"nope\"}]",
            b"[\"tuple\",\"string\"]",
            b"[\"frob\",\"string\"]",
            b"\"string\" \"number\"",
            b"[\"list\",\"string\"",
            b"\xff\xfe",
        ] {
            assert!(
                matches!(decode_type(bad), Err(CodecError::InvalidType(_))),
                "{:?} should be rejected",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn deeply_nested_type_json_errors_instead_of_overflowing() {
        let depth = 100_000;
        let json = format!("{}\"string\"{}", "[\"list\",".repeat(depth), "]".repeat(depth));
        assert!(decode_type(json.as_bytes()).is_err());
    }
}
