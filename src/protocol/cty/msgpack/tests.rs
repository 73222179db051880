use super::*;
use crate::protocol::cty::Number;

fn h(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.replace(' ', "")).unwrap_or_else(|e| panic!("bad test hex {hex_text}: {e}"))
}

fn num(s: &str) -> Value {
    Number::parse(s).map(Value::Number).unwrap_or_else(|| panic!("bad test number {s}"))
}

fn dynamic(ty: Type, v: Value) -> Value {
    Value::Dynamic(ty, Box::new(v))
}

fn enc(v: &Value, ty: &Type) -> String {
    encode(v, ty).map(hex::encode).unwrap_or_else(|e| format!("ERR {e}"))
}

fn dec(hex_text: &str, ty: &Type) -> Result<Value, CodecError> {
    decode(&h(hex_text), ty)
}

fn dec_err(hex_text: &str, ty: &Type) -> String {
    match dec(hex_text, ty) {
        Ok(v) => panic!("{hex_text} should not decode as {ty}, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

/// Output values of a plan made by Terraform 1.11.4 (`terraform plan -out`, then the msgpack of
/// each `OutputChange` read from the plan file): real go-cty bytes for a dynamic slot.
#[test]
fn terraform_captured_values_decode_and_re_encode_byte_for_byte() {
    let number_wrapper = "92 c408 226e756d62657222";
    let cases: Vec<(String, Value)> = vec![
        (format!("{number_wrapper} a3302e31"), dynamic(Type::Number, num("0.1"))),
        (format!("{number_wrapper} cb3ff8000000000000"), dynamic(Type::Number, num("1.5"))),
        (format!("{number_wrapper} cbc002000000000000"), dynamic(Type::Number, num("-2.25"))),
        // 2^63, 1e20 and u64::MAX are integers outside i64: decimal strings, never float64/uint64.
        (format!("{number_wrapper} b3 39323233333732303336383534373735383038"), dynamic(Type::Number, num("9223372036854775808"))),
        (format!("{number_wrapper} b3 39323233333732303336383534373735383039"), dynamic(Type::Number, num("9223372036854775809"))),
        (format!("{number_wrapper} b4 2d39323233333732303336383534373735383039"), dynamic(Type::Number, num("-9223372036854775809"))),
        (format!("{number_wrapper} b5 313030303030303030303030303030303030303030"), dynamic(Type::Number, num("1e20"))),
        (format!("{number_wrapper} b4 3138343436373434303733373039353531363135"), dynamic(Type::Number, num("18446744073709551615"))),
        (
            format!("{number_wrapper} d920 302e303030303030303030303030303030303030303030303030303030303031"),
            dynamic(Type::Number, num("1e-30")),
        ),
        (format!("{number_wrapper} da012d 31{}", "30".repeat(300)), dynamic(Type::Number, num("1e300"))),
        (format!("{number_wrapper} da0191 31{}", "30".repeat(400)), dynamic(Type::Number, num("1e400"))),
        // 1/3 computed by Terraform at 512-bit precision.
        (
            format!("{number_wrapper} d99d 302e{}35", "33".repeat(154)),
            dynamic(Type::Number, num(&format!("0.{}5", "3".repeat(154)))),
        ),
        (
            "92 c408 22737472696e6722 ad 68656c6c6f203c263e20e280a8".into(),
            dynamic(Type::String, Value::string("hello <&> \u{2028}")),
        ),
        (
            "92 c410 5b22736574222c22737472696e67225d 92 a161 a162".into(),
            dynamic(Type::set(Type::String), Value::Set(vec![Value::string("a"), Value::string("b")])),
        ),
        (
            "92 c410 5b226d6170222c226e756d626572225d 82 a178 02 a179 01".into(),
            dynamic(
                Type::map(Type::Number),
                Value::Map([("x".into(), Value::number(2)), ("y".into(), Value::number(1))].into_iter().collect()),
            ),
        ),
        (
            concat!(
                "92 c480 5b226f626a656374222c7b22616c706861223a226e756d626572222c226d6964223a22626f6f6c222c226e6573746564",
                "223a5b226f626a656374222c7b2261223a5b227475706c65222c5b226e756d626572222c22737472696e67225d5d2c2262223a22",
                "64796e616d6963227d5d2c227a657461223a22737472696e67227d5d",
                "84 a5616c706861 01 a36d6964 c3 a66e6573746564 82 a161 92 01 a178 a162 c0 a47a657461 a17a"
            )
            .into(),
            dynamic(
                Type::object([
                    ("alpha", Type::Number),
                    ("mid", Type::Bool),
                    ("nested", Type::object([("a", Type::Tuple(vec![Type::Number, Type::String])), ("b", Type::Dynamic)])),
                    ("zeta", Type::String),
                ]),
                Value::object([
                    ("alpha", Value::number(1)),
                    ("mid", Value::Bool(true)),
                    ("nested", Value::object([("a", Value::Tuple(vec![Value::number(1), Value::string("x")])), ("b", Value::Null)])),
                    ("zeta", Value::string("z")),
                ]),
            ),
        ),
    ];
    let ints: Vec<i64> = vec![-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, i64::MIN];
    let positive: Vec<i64> = vec![0, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, i64::MAX];
    let tuple_of_ten = format!("92 c465 5b227475706c65222c5b{}5d5d", ["226e756d62657222"; 10].join("2c"));
    let int_cases = [
        (
            format!(
                "{tuple_of_ten} 9a ff e0 d0df d080 d1ff7f d18000 d2ffff7fff d280000000 d3ffffffff7fffffff d38000000000000000"
            ),
            ints,
        ),
        (
            format!(
                "{tuple_of_ten} 9a 00 7f cc80 ccff cd0100 cdffff ce00010000 ceffffffff cf0000000100000000 cf7fffffffffffffff"
            ),
            positive,
        ),
    ];
    let mut all = cases;
    for (hex_text, ns) in int_cases {
        let ty = Type::Tuple(vec![Type::Number; ns.len()]);
        all.push((hex_text, dynamic(ty, Value::Tuple(ns.into_iter().map(Value::number).collect()))));
    }
    for (hex_text, expected) in all {
        let decoded = dec(&hex_text, &Type::Dynamic);
        assert_eq!(decoded.as_ref(), Ok(&expected), "decoding {hex_text}");
        assert_eq!(enc(&expected, &Type::Dynamic), hex_text.replace(' ', ""), "encoding {expected:?}");
    }
}

/// Unknowns as Terraform 1.11.4 sends them: refined ones (not null, string prefix, number bound)
/// decode as plain unknowns, and are sent back as the plain `d40000`.
#[test]
fn refined_unknowns_from_terraform_decode_as_plain_unknowns() {
    let cases = [
        ("92 c408 22737472696e6722 c7030c8101c2", Type::String),
        ("92 c408 22737472696e6722 c7090c8201c202a47072652d", Type::String),
        ("92 c408 226e756d62657222 c7070c8201c2039200c3", Type::Number),
        ("92 c406 22626f6f6c22 c7030c8101c2", Type::Bool),
    ];
    for (hex_text, ty) in cases {
        let expected = dynamic(ty.clone(), Value::Unknown);
        assert_eq!(dec(hex_text, &Type::Dynamic), Ok(expected.clone()), "{hex_text}");
        let plain = format!(
            "92c4{:02x}{}d40000",
            crate::protocol::cty::json::encode_type(&ty).len(),
            hex::encode(crate::protocol::cty::json::encode_type(&ty))
        );
        assert_eq!(enc(&expected, &Type::Dynamic), plain);
    }
    let obj = Type::object([("a", Type::String), ("b", Type::Number)]);
    assert_eq!(
        dec("82 a161 c7030c8101c2 a162 01", &obj),
        Ok(Value::object([("a", Value::Unknown), ("b", Value::number(1))]))
    );
    assert_eq!(dec("c7030c8101c2", &Type::String), Ok(Value::Unknown));
    assert_eq!(
        dec("92 a178 c7030c8101c2", &Type::set(Type::String)),
        Ok(Value::Set(vec![Value::string("x"), Value::Unknown]))
    );
}

#[test]
fn primitive_encodings() {
    let cases: Vec<(Value, Type, &str)> = vec![
        (Value::Null, Type::String, "c0"),
        (Value::Null, Type::object([("a", Type::String)]), "c0"),
        (Value::Unknown, Type::Number, "d40000"),
        (Value::Bool(true), Type::Bool, "c3"),
        (Value::Bool(false), Type::Bool, "c2"),
        (Value::string("hello"), Type::String, "a568656c6c6f"),
        (Value::string(""), Type::String, "a0"),
        (num("0.1"), Type::Number, "a3302e31"),
        (num("1.5"), Type::Number, "cb3ff8000000000000"),
        (num("1.50"), Type::Number, "cb3ff8000000000000"),
        (num("3.0"), Type::Number, "03"),
        (num("1e3"), Type::Number, "cd03e8"),
        (num("-0"), Type::Number, "00"),
        (num("-5"), Type::Number, "fb"),
        (Value::Number(Number::PosInfinity), Type::Number, "cb7ff0000000000000"),
        (Value::Number(Number::NegInfinity), Type::Number, "cbfff0000000000000"),
        (
            num("123456789012345678901234567890.5"),
            Type::Number,
            "d9203132333435363738393031323334353637383930313233343536373839302e35",
        ),
    ];
    for (v, ty, expected) in cases {
        assert_eq!(enc(&v, &ty), expected, "{v:?} as {ty}");
        assert_eq!(dec(expected, &ty), Ok(v), "{expected}");
    }
}

#[test]
fn numbers_decode_from_every_msgpack_number_form_and_numeric_strings() {
    let cases = [
        ("05", "5"),
        ("ff", "-1"),
        ("cc80", "128"),
        ("cd0100", "256"),
        ("ce00010000", "65536"),
        ("cfffffffffffffffff", "18446744073709551615"),
        ("d0df", "-33"),
        ("d1ff7f", "-129"),
        ("d280000000", "-2147483648"),
        ("d38000000000000000", "-9223372036854775808"),
        ("ca3fc00000", "1.5"),
        ("ca3dcccccd", "0.100000001490116119384765625"),
        ("cb3fb999999999999a", "0.1000000000000000055511151231257827021181583404541015625"),
        ("a3 316533", "1000"),
        ("a4 2d302e35", "-0.5"),
        ("c403 302e31", "0.1"),
        ("a4 2b496e66", "+Inf"),
    ];
    for (hex_text, shown) in cases {
        let v = dec(hex_text, &Type::Number);
        assert_eq!(
            v.as_ref().ok().and_then(Value::as_number).map(Number::to_string).as_deref(),
            Some(shown),
            "{hex_text}"
        );
    }
    // A float64 that is not a short decimal goes back out as the very same float64.
    assert_eq!(
        dec("cb3fb999999999999a", &Type::Number).map(|v| enc(&v, &Type::Number)),
        Ok("cb3fb999999999999a".into())
    );
    // A float32 comes back as the float64 of the same value.
    assert_eq!(dec("ca3fc00000", &Type::Number).map(|v| enc(&v, &Type::Number)), Ok("cb3ff8000000000000".into()));
    assert!(dec_err("cb7ff8000000000000", &Type::Number).contains("a number is required"));
    assert!(dec_err("a3 616263", &Type::Number).contains("a number is required"));
    assert!(dec_err("c3", &Type::Number).contains("a number is required"));
}

#[test]
fn collections_and_structural_types() {
    let list = Type::list(Type::String);
    assert_eq!(
        enc(&Value::List(vec![Value::string("a"), Value::Null, Value::Unknown]), &list),
        "92a161c0d40000".replace("92", "93")
    );
    assert_eq!(enc(&Value::List(vec![]), &list), "90");
    assert_eq!(dec("dc0001a161", &list), Ok(Value::List(vec![Value::string("a")])));

    // Sets: duplicates dropped on decode and on encode; unknown elements are never merged.
    let set = Type::set(Type::Number);
    assert_eq!(dec("94 01 02 01 cb3ff0000000000000", &set), Ok(Value::Set(vec![Value::number(1), Value::number(2)])));
    assert_eq!(dec("92 d40000 d40000", &set).map(|v| v.as_elements().map(<[Value]>::len)), Ok(Some(2)));
    assert_eq!(enc(&Value::Set(vec![Value::number(1), Value::number(1)]), &set), "9101");

    // Maps and objects: keys written sorted; objects carry every attribute.
    let map = Type::map(Type::Bool);
    let m = Value::Map([("b".into(), Value::Bool(true)), ("a".into(), Value::Bool(false))].into_iter().collect());
    assert_eq!(enc(&m, &map), "82a161c2a162c3");
    assert_eq!(dec("82a162c3a161c2", &map), Ok(m));

    let obj = Type::object([("zone", Type::String), ("id", Type::Number), ("tags", Type::map(Type::String))]);
    let v = Value::object([("zone", Value::string("z")), ("id", Value::number(7))]);
    assert_eq!(enc(&v, &obj), "83a2696407a474616773c0a47a6f6e65a17a");
    assert_eq!(
        dec("83 a47a6f6e65 a17a a474616773 c0 a26964 07", &obj),
        Ok(Value::object([("id", Value::number(7)), ("tags", Value::Null), ("zone", Value::string("z"))]))
    );
    // Nested objects: keys sorted at every level.
    let nested = Type::object([("outer", Type::object([("b", Type::Bool), ("a", Type::Bool)]))]);
    let nv = Value::object([("outer", Value::object([("b", Value::Bool(true)), ("a", Value::Bool(false))]))]);
    assert_eq!(enc(&nv, &nested), "81a56f7574657282a161c2a162c3");
    assert_eq!(dec("81a56f7574657282a162c3a161c2", &nested), Ok(nv));

    let tuple = Type::Tuple(vec![Type::String, Type::Number]);
    let tv = Value::Tuple(vec![Value::string("a"), Value::number(1)]);
    assert_eq!(enc(&tv, &tuple), "92a16101");
    assert_eq!(dec("92a16101", &tuple), Ok(tv));
}

#[test]
fn dynamic_slots() {
    let d = Type::Dynamic;
    assert_eq!(enc(&dynamic(Type::String, Value::string("hello")), &d), "92c40822737472696e6722a568656c6c6f");
    assert_eq!(enc(&Value::string("hello"), &d), "92c40822737472696e6722a568656c6c6f");
    assert_eq!(enc(&Value::Null, &d), "c0");
    assert_eq!(enc(&Value::Unknown, &d), "d40000");
    assert_eq!(enc(&dynamic(Type::Number, Value::Unknown), &d), "92c408226e756d62657222d40000");
    assert_eq!(enc(&dynamic(Type::Number, Value::Null), &d), "92c408226e756d62657222c0");
    assert_eq!(dec("c0", &d), Ok(Value::Null));
    assert_eq!(dec("d40000", &d), Ok(Value::Unknown));
    assert_eq!(dec("92c408226e756d62657222d40000", &d), Ok(dynamic(Type::Number, Value::Unknown)));
    assert_eq!(dec("92a8226e756d6265722201", &d), Ok(dynamic(Type::Number, Value::number(1))), "type JSON as str");
    // A wrapper naming "dynamic" holds another dynamic slot.
    assert_eq!(dec("92c4092264796e616d696322c0", &d), Ok(Value::Null));

    // list(dynamic) wraps every element.
    let list = Type::list(Type::Dynamic);
    let lv = Value::List(vec![Value::string("a"), Value::number(1), Value::Null, Value::Unknown]);
    let expected = "94 92c40822737472696e6722a161 92c408226e756d6265722201 c0 d40000".replace(' ', "");
    assert_eq!(enc(&lv, &list), expected);
    assert_eq!(
        dec(&expected, &list),
        Ok(Value::List(vec![
            dynamic(Type::String, Value::string("a")),
            dynamic(Type::Number, Value::number(1)),
            Value::Null,
            Value::Unknown
        ]))
    );
    // An object inside a dynamic: attributes sorted inside the wrapper too.
    let obj_ty = Type::object([("b", Type::Dynamic), ("a", Type::list(Type::Bool))]);
    let ov = dynamic(obj_ty, Value::object([("b", Value::string("x")), ("a", Value::List(vec![Value::Bool(true)]))]));
    let bytes = encode(&ov, &d);
    assert_eq!(
        bytes.as_ref().map(|b| decode(b, &d)),
        Ok(Ok(Value::Dynamic(
            Type::object([("b", Type::Dynamic), ("a", Type::list(Type::Bool))]),
            Box::new(Value::object([
                ("a", Value::List(vec![Value::Bool(true)])),
                ("b", dynamic(Type::String, Value::string("x")))
            ]))
        )))
    );

    assert!(enc(&Value::List(vec![]), &d).starts_with("ERR"), "a bare list has no type to send");
    assert!(dec_err("93c408226e756d6265722201c0", &d).contains("exactly two elements"));
    assert!(dec_err("9201 01", &d).contains("type must be bytes"));
    assert!(dec_err("92c40322783201", &d).contains("invalid"));
    assert!(dec_err("a161", &d).contains("a dynamic value is required"));
}

#[test]
fn encoding_rejects_values_that_do_not_fit_the_type() {
    let obj = Type::object([("a", Type::String)]);
    assert_eq!(enc(&Value::object([("b", Value::Null)]), &obj), "ERR unsupported attribute \"b\"");
    assert_eq!(enc(&Value::object([("a", Value::number(1))]), &obj), "ERR a: a string is required, got a number");
    assert_eq!(enc(&Value::List(vec![]), &Type::set(Type::String)), "ERR a set of string is required, got a list");
    assert!(enc(&Value::Tuple(vec![]), &Type::Tuple(vec![Type::Bool])).starts_with("ERR"));
    assert_eq!(
        enc(&Value::List(vec![Value::Null, Value::Bool(true)]), &Type::list(Type::String)),
        "ERR [1]: a string is required, got a bool"
    );
}

#[test]
fn malformed_input_is_an_error() {
    let obj = Type::object([("a", Type::String), ("b", Type::Number)]);
    let cases: Vec<(&str, Type, &str)> = vec![
        ("", Type::String, "unexpected end of input"),
        ("a5 68656c6c", Type::String, "unexpected end of input"),
        ("92 01", Type::list(Type::Number), "unexpected end of input"),
        ("a161 00", Type::String, "1 trailing bytes"),
        ("c0 c0", Type::Dynamic, "1 trailing bytes"),
        ("01", Type::String, "a string is required, got an integer"),
        ("a178", Type::Bool, "a bool is required"),
        ("a178", Type::list(Type::String), "a list is required"),
        ("90", Type::map(Type::String), "a map is required"),
        ("a2 c328", Type::String, "not valid UTF-8"),
        ("c1", Type::String, "invalid msgpack code"),
        ("82 a161 a178 a163 01", obj.clone(), "unsupported attribute \"c\""),
        ("81 a161 a178", obj.clone(), "missing attribute \"b\""),
        ("80", obj.clone(), "missing attribute \"a\""),
        ("82 a161 a178 a161 a179", obj.clone(), "duplicate attribute \"a\""),
        ("82 01 a178 a162 01", obj.clone(), "all keys must be strings"),
        ("82 a161 01 a162 01", obj.clone(), "a: a string is required"),
        ("91 a161", Type::Tuple(vec![Type::String, Type::String]), "a tuple of length 2 is required (1 given)"),
        ("d50000ff", Type::String, "unsupported extension type 0x00 with len 2"),
        ("c7020501ff", Type::String, "unsupported extension type 0x05 with len 2"),
        ("c7020c0101", Type::String, "not a map"),
    ];
    for (hex_text, ty, message) in cases {
        let err = dec_err(hex_text, &ty);
        assert!(err.contains(message), "{hex_text}: {err:?} should mention {message:?}");
    }
    // Oversized refinement payload.
    let big = format!("c80401 0c 81{}", "00".repeat(1024));
    assert!(dec_err(&big, &Type::String).contains("oversize"));
    // A one-byte or empty extension of any type is a plain unknown.
    assert_eq!(dec("d4 05 ff", &Type::String), Ok(Value::Unknown));
    assert_eq!(dec("c7 00 09", &Type::String), Ok(Value::Unknown));
}

#[test]
fn every_truncation_of_a_valid_encoding_is_an_error() {
    let ty = Type::object([
        ("list", Type::list(Type::Number)),
        ("dyn", Type::Dynamic),
        ("map", Type::map(Type::Bool)),
        ("s", Type::String),
    ]);
    let v = Value::object([
        ("list", Value::List(vec![num("0.1"), num("1.5"), num("300"), num("-70000")])),
        ("dyn", dynamic(Type::Tuple(vec![Type::String]), Value::Tuple(vec![Value::string("x")]))),
        ("map", Value::Map([("k".into(), Value::Bool(true))].into_iter().collect())),
        ("s", Value::string("long string ".repeat(4))),
    ]);
    let bytes = encode(&v, &ty).unwrap_or_default();
    assert_eq!(decode(&bytes, &ty).as_ref(), Ok(&v));
    for cut in 0..bytes.len() {
        assert!(decode(&bytes[..cut], &ty).is_err(), "prefix of {cut} bytes decoded");
    }
}

#[test]
fn nesting_is_bounded() {
    // 10 000 dynamic wrappers each naming "dynamic": an error, not a stack overflow.
    let wrapper = "92c4092264796e616d696322";
    let hostile = format!("{}c0", wrapper.repeat(10_000));
    assert!(dec_err(&hostile, &Type::Dynamic).contains("nested deeper"));
    // Ordinary depth is fine.
    let fine = format!("{}c0", wrapper.repeat(50));
    assert_eq!(dec(&fine, &Type::Dynamic), Ok(Value::Null));
}

#[test]
fn huge_declared_lengths_do_not_allocate_or_panic() {
    assert_eq!(dec("ddffffffff", &Type::list(Type::String)), Err(CodecError::Truncated));
    assert_eq!(dec("dfffffffff", &Type::map(Type::String)), Err(CodecError::Truncated));
    assert_eq!(dec("dbffffffff", &Type::String), Err(CodecError::Truncated));
    assert_eq!(dec("c9ffffffff0c", &Type::String), Err(CodecError::Truncated));
}

/// Small deterministic generator (xorshift64*), so the fuzz loop needs no extra crate and every
/// run checks the same inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random bytes and mutated valid encodings never panic, and whatever does decode re-encodes and
/// decodes to the same value.
#[test]
fn random_and_mutated_input_never_panics_and_decoded_values_round_trip() {
    let types = [
        Type::String,
        Type::Number,
        Type::Dynamic,
        Type::list(Type::Dynamic),
        Type::set(Type::Number),
        Type::map(Type::String),
        Type::Tuple(vec![Type::Bool, Type::Number]),
        Type::object([("a", Type::String), ("b", Type::list(Type::Number)), ("c", Type::Dynamic)]),
    ];
    let seeds: Vec<Vec<u8>> = vec![
        h("83 a161 a178 a162 92 01 cb3ff8000000000000 a163 92c408226e756d62657222a3302e31"),
        h("94 92c40822737472696e6722a161 92c408226e756d6265722201 c0 d40000"),
        h("92 c3 c7030c8101c2"),
        h("82 a178 a179 a17a a3313233"),
        h("93 01 02 a3312e35"),
    ];
    let interesting =
        [0x00, 0x7f, 0x80, 0x90, 0x92, 0xa1, 0xc0, 0xc1, 0xc3, 0xc4, 0xc7, 0xcb, 0xd4, 0xd9, 0xdc, 0xdd, 0xdf, 0xff];
    let mut rng = Rng(0x5eed_cafe_f00d_beef);
    let mut decoded_ok = 0;
    for round in 0..20_000 {
        let input: Vec<u8> = if round % 2 == 0 {
            let len = rng.below(24);
            (0..len)
                .map(|_| if rng.below(3) == 0 { interesting[rng.below(interesting.len())] } else { rng.next() as u8 })
                .collect()
        } else {
            let mut bytes = seeds[rng.below(seeds.len())].clone();
            for _ in 0..=rng.below(3) {
                match rng.below(3) {
                    0 if !bytes.is_empty() => {
                        let i = rng.below(bytes.len());
                        bytes[i] = if rng.below(2) == 0 {
                            interesting[rng.below(interesting.len())]
                        } else {
                            rng.next() as u8
                        };
                    }
                    1 if !bytes.is_empty() => {
                        bytes.remove(rng.below(bytes.len()));
                    }
                    _ => bytes.insert(rng.below(bytes.len() + 1), rng.next() as u8),
                }
            }
            bytes
        };
        let ty = &types[rng.below(types.len())];
        if let Ok(value) = decode(&input, ty) {
            decoded_ok += 1;
            let again = encode(&value, ty).and_then(|bytes| decode(&bytes, ty));
            assert_eq!(again.as_ref(), Ok(&value), "round trip of {} as {ty}", hex::encode(&input));
        }
    }
    assert!(decoded_ok > 100, "the generator should produce some valid inputs ({decoded_ok})");
}
