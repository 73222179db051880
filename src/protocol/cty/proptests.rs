//! Property tests of the value codecs and the type-JSON parser: arbitrary types and values round
//! trip, and arbitrary or damaged bytes are an error or a value, never a panic. Inputs are small
//! (bounded sizes and depths), so each case is cheap; depth limits are tested at 100 000 levels.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

use super::{Number, Type, Value, json, msgpack};
use crate::proptest_support::config;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 0..12).prop_map(String::from_iter),
        vec(prop::sample::select(vec!['a', 'b', '"', '\\', '\n', '\u{0}', 'é', '证', '😀']), 0..8)
            .prop_map(String::from_iter),
    ]
}

fn attribute_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "name", "id", "x_y", "日本", ""]).prop_map(str::to_string)
}

pub(crate) fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool), Just(Type::Dynamic)];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(|t| Type::Set(Box::new(t))),
            inner.clone().prop_map(|t| Type::Map(Box::new(t))),
            btree_map(attribute_name(), inner.clone(), 0..4).prop_map(Type::Object),
            vec(inner, 0..4).prop_map(Type::Tuple),
        ]
    })
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (any::<i64>(), -40i32..40).prop_filter_map("decimal", |(m, e)| Number::parse(&format!("{m}e{e}"))),
    ]
}

/// A value of type `ty` (null and unknown included at every level).
pub(crate) fn arb_value(ty: &Type) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty {
        Type::String => text().prop_map(Value::String).boxed(),
        Type::Number => number().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Dynamic => prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::list(Type::Bool))]
            .prop_flat_map(|t| arb_value(&t).prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v))))
            .boxed(),
        Type::List(t) => vec(arb_value(t), 0..3).prop_map(Value::List).boxed(),
        Type::Set(t) => vec(arb_value(t), 0..3).prop_map(Value::Set).boxed(),
        Type::Map(t) => btree_map(text(), arb_value(t), 0..3).prop_map(Value::Map).boxed(),
        Type::Object(attrs) => {
            let fields: Vec<BoxedStrategy<(String, Value)>> =
                attrs.iter().map(|(k, t)| (Just(k.clone()), arb_value(t)).boxed()).collect();
            fields.prop_map(|f| Value::Object(f.into_iter().collect())).boxed()
        }
        Type::Tuple(types) => {
            let items: Vec<BoxedStrategy<Value>> = types.iter().map(arb_value).collect();
            items.prop_map(Value::Tuple).boxed()
        }
    };
    prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 8 => known].boxed()
}

fn typed_value() -> impl Strategy<Value = (Type, Value)> {
    arb_type().prop_flat_map(|ty| arb_value(&ty).prop_map(move |v| (ty.clone(), v)))
}

/// Bytes that are mostly msgpack heads: random bytes rarely decode to anything.
fn msgpack_like() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(vec![
            0xc0, 0xc2, 0xc3, 0x90, 0x91, 0x92, 0x80, 0x81, 0xa1, 0xa0, 0xd4, 0xc7, 0xcb, 0xdc, 0xde
        ]),
    ];
    vec(byte, 0..48)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn type_json_round_trips(ty in arb_type()) {
        prop_assert_eq!(json::decode_type(&json::encode_type(&ty)), Ok(ty));
    }

    #[test]
    fn type_json_parser_takes_any_input(bytes in vec(any::<u8>(), 0..64), text in "[\\[\\]{}\",: a-z]{0,64}") {
        let _ = json::decode_type(&bytes);
        if let Ok(ty) = json::decode_type(text.as_bytes()) {
            prop_assert_eq!(json::decode_type(&json::encode_type(&ty)), Ok(ty));
        }
    }

    #[test]
    fn msgpack_round_trips((ty, value) in typed_value()) {
        if let Ok(bytes) = msgpack::encode(&value, &ty) {
            let decoded = msgpack::decode(&bytes, &ty);
            prop_assert!(decoded.is_ok(), "{:?} does not decode: {:?}", bytes, decoded);
            let decoded = decoded.unwrap_or(Value::Null);
            prop_assert_eq!(msgpack::encode(&decoded, &ty), Ok(bytes), "re-encoding {:?}", decoded);
        }
    }

    #[test]
    fn msgpack_decoder_takes_any_bytes(ty in arb_type(), bytes in msgpack_like()) {
        if let Ok(value) = msgpack::decode(&bytes, &ty) {
            let again = msgpack::encode(&value, &ty);
            prop_assert!(again.is_ok(), "decoded {:?} does not encode: {:?}", value, again);
            let again = again.unwrap_or_default();
            prop_assert_eq!(msgpack::decode(&again, &ty), Ok(value));
        }
    }

    #[test]
    fn damaged_msgpack_is_an_error_or_a_value((ty, value) in typed_value(), at in any::<prop::sample::Index>(), flip in 1u8..=255, cut in any::<prop::sample::Index>()) {
        if let Ok(bytes) = msgpack::encode(&value, &ty) {
            let mut flipped = bytes.clone();
            let i = at.index(flipped.len());
            flipped[i] ^= flip;
            let _ = msgpack::decode(&flipped, &ty);
            let _ = msgpack::decode(&flipped, &Type::Dynamic);
            let _ = msgpack::decode(&bytes[..cut.index(bytes.len())], &ty);
        }
    }

    #[test]
    fn json_round_trips((ty, value) in typed_value()) {
        if let Ok(bytes) = json::encode_value(&value, &ty) {
            let decoded = json::decode_value(&bytes, &ty);
            prop_assert!(decoded.is_ok(), "{} does not decode: {:?}", String::from_utf8_lossy(&bytes), decoded);
            let decoded = decoded.unwrap_or(Value::Null);
            prop_assert_eq!(json::encode_value(&decoded, &ty), Ok(bytes));
        }
    }

    #[test]
    fn json_decoder_takes_any_input(ty in arb_type(), text in "[\\[\\]{}\",:0-9.e\\- a-z]{0,64}", bytes in vec(any::<u8>(), 0..64)) {
        let _ = json::decode_value(&bytes, &ty);
        let _ = json::decode_value(text.as_bytes(), &ty);
        let _ = json::decode_value(text.as_bytes(), &Type::Dynamic);
    }
}

const LEVELS: usize = 100_000;

#[test]
fn msgpack_nesting_of_100k_levels_is_refused() {
    // Dynamic values wrapping dynamic values, and plain arrays inside a dynamic list type.
    let mut wrappers = [0x92u8, 0xc4, 0x09].iter().copied().chain(*b"\"dynamic\"").collect::<Vec<u8>>().repeat(LEVELS);
    wrappers.push(0xc0);
    assert!(msgpack::decode(&wrappers, &Type::Dynamic).is_err());
    let mut deep = Vec::new();
    for _ in 0..LEVELS {
        deep.extend_from_slice(&[0x92, 0xc4, 0x12]);
        deep.extend_from_slice(b"[\"list\",\"dynamic\"]");
        deep.push(0x91);
    }
    deep.push(0xc0);
    assert!(msgpack::decode(&deep, &Type::Dynamic).is_err());
}

#[test]
fn json_nesting_of_100k_levels_is_refused() {
    let arrays = format!("{}1{}", "[".repeat(LEVELS), "]".repeat(LEVELS));
    assert!(json::decode_value(arrays.as_bytes(), &Type::Dynamic).is_err());
    assert!(json::decode_value(arrays.as_bytes(), &Type::list(Type::Number)).is_err());
    let objects = format!("{}1{}", "{\"a\":".repeat(LEVELS), "}".repeat(LEVELS));
    assert!(json::decode_value(objects.as_bytes(), &Type::Dynamic).is_err());
    let typed = format!("{{\"value\":null,\"type\":{}\"string\"{}}}", "[\"list\",".repeat(LEVELS), "]".repeat(LEVELS));
    assert!(json::decode_value(typed.as_bytes(), &Type::Dynamic).is_err());
    let type_json = format!("{}\"string\"{}", "[\"map\",".repeat(LEVELS), "]".repeat(LEVELS));
    assert!(json::decode_type(type_json.as_bytes()).is_err());
}
