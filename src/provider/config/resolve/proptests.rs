//! Property test of provider-configuration resolution: arbitrary provider blocks (every attribute
//! null, unknown or an arbitrary value of its type, with values that look like the real thing
//! mixed in) and arbitrary `HW_*` environments, at both stages. No panic; a block that parses has
//! no error; a block that does not parse at Configure says why; every diagnostic is complete and
//! quotes no more than an excerpt.

use std::collections::HashMap;

use proptest::collection::vec;
use proptest::prelude::*;

use super::*;
use crate::proptest_support::config;
use crate::protocol::cty::Type;
use crate::protocol::cty::proptests::arb_value;
use crate::provider::config::provider_schema;

const VARS: [&str; 14] = [
    vars::REGION,
    vars::PROJECT_ID,
    vars::SERVICE,
    vars::AUTH_TOKEN,
    vars::ACCESS_KEY,
    vars::SECRET_KEY,
    vars::SECURITY_TOKEN,
    vars::USER_NAME,
    vars::PASSWORD,
    vars::DOMAIN_NAME,
    vars::AUTH_URL,
    vars::CLOUD,
    vars::INSECURE,
    vars::MAX_RETRIES,
];

/// Plausible and hostile texts: real-looking values, near misses, and long or odd strings.
fn setting_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "cn-north-4",
            "0123456789abcdef0123456789abcdef",
            "apig",
            "roma",
            "true",
            "false",
            "3",
            "-1",
            "99999999999999999999",
            "https://iam.example.com/v3",
            "http://user:pw@10.0.0.1:8080",
            "http://127.0.0.1:8080",
            "myhuaweicloud.com",
            "",
            " ",
        ])
        .prop_map(str::to_string),
        "\\PC{0,24}",
        (0usize..3).prop_map(|n| "x".repeat(10_000 * n)),
    ]
}

/// A provider block: an arbitrary value of its type with some attributes set to [`setting_text`].
fn block() -> impl Strategy<Value = Value> {
    let ty = provider_schema().block_type();
    let string_attributes: Vec<String> = match &ty {
        Type::Object(attrs) => attrs.iter().filter(|(_, t)| **t == Type::String).map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    };
    let texts = vec(prop::option::of(setting_text()), string_attributes.len());
    (arb_value(&ty), texts).prop_map(move |(mut value, texts)| {
        for (name, text) in string_attributes.iter().zip(texts) {
            if let Some(text) = text {
                value.set(name, Value::string(text));
            }
        }
        value
    })
}

fn environment() -> impl Strategy<Value = HashMap<String, String>> {
    vec((prop::sample::select(VARS.to_vec()), setting_text()), 0..6)
        .prop_map(|pairs| pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn resolution_takes_any_block_and_environment(block in block(), env in environment()) {
        for stage in [Stage::Validate, Stage::Configure] {
            let (parsed, diagnostics) = resolve(&block, &env, stage);
            if parsed.is_some() {
                prop_assert!(!diagnostics.has_errors(), "{:?}", diagnostics);
            }
            if stage == Stage::Configure && parsed.is_none() && block.is_wholly_known() {
                prop_assert!(diagnostics.has_errors(), "no parse and no reason: {:?}", block);
            }
            for d in diagnostics.iter() {
                prop_assert!(!d.summary.is_empty() && !d.detail.is_empty(), "{:?}", d);
                prop_assert!(d.detail.len() < 2048, "{} bytes: {}", d.detail.len(), d.detail);
            }
        }
    }
}
