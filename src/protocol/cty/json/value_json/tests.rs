use super::*;

fn num(s: &str) -> Value {
    Number::parse(s).map(Value::Number).unwrap_or(Value::Unknown)
}

fn decode(json: &str, ty: &Type) -> Result<Value, CodecError> {
    decode_value(json.as_bytes(), ty)
}

fn encode(v: &Value, ty: &Type) -> String {
    encode_value(v, ty).map(|b| String::from_utf8(b).unwrap_or_default()).unwrap_or_else(|e| format!("ERR {e}"))
}

fn error_text(r: Result<Value, CodecError>) -> String {
    r.err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn numbers_are_exact_and_may_be_strings() {
    assert_eq!(decode("0.1", &Type::Number), Ok(num("0.1")));
    assert_eq!(
        decode("123456789012345678901234567890.123456789", &Type::Number),
        Ok(num("123456789012345678901234567890.123456789"))
    );
    assert_eq!(decode("1e3", &Type::Number), Ok(Value::number(1000)));
    assert_eq!(decode("\"1e3\"", &Type::Number), Ok(Value::number(1000)));
    assert_eq!(decode("\"-2.50\"", &Type::Number), Ok(num("-2.5")));
    assert!(decode("\"twelve\"", &Type::Number).is_err());
    assert!(decode("true", &Type::Number).is_err());
}

#[test]
fn primitives_convert_leniently_like_go_cty() {
    assert_eq!(decode("\"true\"", &Type::Bool), Ok(Value::Bool(true)));
    assert_eq!(decode("\"0\"", &Type::Bool), Ok(Value::Bool(false)));
    assert_eq!(
        error_text(decode("\"TRUE\"", &Type::Bool)),
        "a bool is required; to convert from string, use lowercase \"true\""
    );
    assert!(decode("\"yes\"", &Type::Bool).is_err());
    assert!(decode("1", &Type::Bool).is_err());
    // A number becomes a string with its text as written.
    assert_eq!(decode("12.50", &Type::String), Ok(Value::string("12.50")));
    assert_eq!(decode("false", &Type::String), Ok(Value::string("false")));
    assert!(decode("[]", &Type::String).is_err());
    assert_eq!(decode("null", &Type::String), Ok(Value::Null));
}

#[test]
fn objects_fill_missing_attributes_with_null_and_reject_unknown_ones() {
    let ty = Type::object([("name", Type::String), ("size", Type::Number), ("tags", Type::map(Type::String))]);
    assert_eq!(
        decode(r#"{"name":"cert","tags":{"b":"2","a":"1"}}"#, &ty),
        Ok(Value::object([
            ("name", Value::string("cert")),
            ("size", Value::Null),
            (
                "tags",
                Value::Map([("a".into(), Value::string("1")), ("b".into(), Value::string("2"))].into_iter().collect())
            ),
        ]))
    );
    assert_eq!(error_text(decode(r#"{"name":"x","legacy":1}"#, &ty)), "unsupported attribute \"legacy\"");
    assert_eq!(error_text(decode(r#"{"tags":{"a":[]}}"#, &ty)), "tags[\"a\"]: a string is required");
    assert!(decode("[]", &ty).is_err());
}

#[test]
fn collections_and_tuples() {
    let list = Type::list(Type::Number);
    assert_eq!(
        decode("[1, \"2\", null]", &list),
        Ok(Value::List(vec![Value::number(1), Value::number(2), Value::Null]))
    );
    assert_eq!(error_text(decode("[1, \"x\"]", &list)), "[1]: a number is required");
    assert_eq!(
        decode("[\"a\",\"b\",\"a\"]", &Type::set(Type::String)),
        Ok(Value::Set(vec![Value::string("a"), Value::string("b")]))
    );
    let tuple = Type::Tuple(vec![Type::String, Type::Bool]);
    assert_eq!(decode("[\"a\", true]", &tuple), Ok(Value::Tuple(vec![Value::string("a"), Value::Bool(true)])));
    assert_eq!(error_text(decode("[\"a\"]", &tuple)), "not enough tuple elements (need 2)");
    assert_eq!(error_text(decode("[\"a\", true, 1]", &tuple)), "too many tuple elements (need 2)");
    assert!(decode("{}", &list).is_err());
}

#[test]
fn dynamic_values_carry_their_type_in_either_key_order() {
    let expected = Value::Dynamic(Type::list(Type::String), Box::new(Value::List(vec![Value::string("x")])));
    assert_eq!(decode(r#"{"value":["x"],"type":["list","string"]}"#, &Type::Dynamic), Ok(expected.clone()));
    assert_eq!(decode(r#"{ "type" : ["list","string"], "value": ["x"] }"#, &Type::Dynamic), Ok(expected));
    assert_eq!(decode("null", &Type::Dynamic), Ok(Value::Null));
    assert_eq!(
        decode(r#"{"value":null,"type":"number"}"#, &Type::Dynamic),
        Ok(Value::Dynamic(Type::Number, Box::new(Value::Null)))
    );
    assert_eq!(error_text(decode(r#"{"value":1}"#, &Type::Dynamic)), "missing type in dynamically-typed value");
    assert_eq!(error_text(decode(r#"{"type":"number"}"#, &Type::Dynamic)), "missing value in dynamically-typed value");
    assert!(decode(r#"{"type":"number","value":1,"x":2}"#, &Type::Dynamic).is_err());
    assert!(decode(r#"{"type":"numbr","value":1}"#, &Type::Dynamic).is_err());
    assert!(decode("\"bare\"", &Type::Dynamic).is_err());
}

#[test]
fn malformed_json_is_an_error() {
    for bad in ["", "{", "[1,]", "{\"a\":1} x", "nul", "\u{0}"] {
        assert!(decode(bad, &Type::object([("a", Type::Number)])).is_err(), "{bad:?}");
    }
    // Nesting beyond serde_json's limit of 128 is an error, not a stack overflow.
    let deep = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
    let mut deep_ty = Type::Number;
    for _ in 0..1000 {
        deep_ty = Type::list(deep_ty);
    }
    assert!(decode(&deep, &deep_ty).is_err());
}

#[test]
fn encodes_like_go_cty() {
    let ty = Type::object([
        ("z", Type::Number),
        ("a", Type::String),
        ("m", Type::map(Type::Bool)),
        ("d", Type::Dynamic),
        ("s", Type::set(Type::Number)),
    ]);
    let v = Value::object([
        ("z", num("1e3")),
        ("a", Value::string("<tag> & \"q\"")),
        ("m", Value::Map([("y".into(), Value::Bool(true)), ("x".into(), Value::Bool(false))].into_iter().collect())),
        ("d", Value::Dynamic(Type::list(Type::Number), Box::new(Value::List(vec![num("0.10")])))),
    ]);
    assert_eq!(
        encode(&v, &ty),
        r#"{"a":"\u003ctag\u003e \u0026 \"q\"","d":{"value":[0.1],"type":["list","number"]},"m":{"x":false,"y":true},"s":null,"z":1000}"#
    );
    assert_eq!(encode(&Value::string("hi"), &Type::Dynamic), r#"{"value":"hi","type":"string"}"#);
    assert_eq!(encode(&Value::Null, &Type::Dynamic), "null");
    assert_eq!(encode(&Value::Tuple(vec![Value::Bool(true)]), &Type::Tuple(vec![Type::Bool])), "[true]");
}

#[test]
fn encoding_rejects_unknowns_infinities_and_mismatches() {
    let ty = Type::object([("a", Type::String)]);
    assert_eq!(encode(&Value::object([("a", Value::Unknown)]), &ty), "ERR a: value is not known");
    assert_eq!(encode(&Value::Number(Number::PosInfinity), &Type::Number), "ERR cannot serialize infinity as JSON");
    assert_eq!(encode(&Value::object([("b", Value::Null)]), &ty), "ERR unsupported attribute \"b\"");
    assert_eq!(encode(&Value::number(1), &Type::String), "ERR a string is required, got a number");
    assert!(encode(&Value::List(vec![]), &Type::Dynamic).starts_with("ERR"));
    assert!(encode(&Value::List(vec![]), &Type::set(Type::String)).starts_with("ERR"));
}

#[test]
fn round_trips() {
    let ty = Type::object([
        ("n", Type::list(Type::Number)),
        ("t", Type::Tuple(vec![Type::String, Type::Dynamic])),
        ("o", Type::object([("deep", Type::map(Type::set(Type::String)))])),
    ]);
    let v = Value::object([
        ("n", Value::List(vec![num("0.1"), num("-12345678901234567890123.5"), Value::Null])),
        ("t", Value::Tuple(vec![Value::string("é\n"), Value::Dynamic(Type::Bool, Box::new(Value::Bool(true)))])),
        (
            "o",
            Value::object([(
                "deep",
                Value::Map(
                    [("k".into(), Value::Set(vec![Value::string("a"), Value::string("b")]))].into_iter().collect(),
                ),
            )]),
        ),
    ]);
    let bytes = encode_value(&v, &ty);
    assert_eq!(bytes.as_ref().map(|b| decode_value(b, &ty)), Ok(Ok(v)));
}
