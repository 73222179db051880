//! Reading one attribute of the provider block: the block's value first, then its environment
//! variable. Keeps track of where a value came from, so that an error points at the attribute
//! when the block set it and names the environment variable when the environment did.

use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostic};

use super::env::EnvSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Config,
    Env(&'static str),
}

/// One attribute after looking at the block and then the environment.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting<T> {
    /// Neither the block nor the environment gives a value.
    Absent,
    /// The block's value is known only after apply.
    Unknown,
    Known(T, Origin),
}

impl<T> Setting<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Setting::Absent)
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Setting::Known(v, _) => Some(v),
            _ => None,
        }
    }
}

/// The block's own value of a string attribute, with `""` (and blanks) counting as unset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InBlock {
    Unset,
    Unknown,
    Set(String),
}

pub fn in_block(config: &Value, name: &str) -> InBlock {
    match config.get(name) {
        Some(v) if v.is_unknown() => InBlock::Unknown,
        Some(Value::String(s)) if !s.trim().is_empty() => InBlock::Set(s.clone()),
        _ => InBlock::Unset,
    }
}

/// A string attribute with its environment fallback.
pub fn string(config: &Value, env: &dyn EnvSource, name: &str, var: &'static str) -> Setting<String> {
    match in_block(config, name) {
        InBlock::Set(s) => Setting::Known(s, Origin::Config),
        InBlock::Unknown => Setting::Unknown,
        InBlock::Unset => match env.non_empty(var) {
            Some(s) => Setting::Known(s, Origin::Env(var)),
            None => Setting::Absent,
        },
    }
}

/// An error about a value: on the attribute when the block set it, else naming the variable.
pub fn invalid(origin: Origin, name: &str, summary: &str, problem: &str) -> Diagnostic {
    match origin {
        Origin::Config => {
            Diagnostic::error(summary, format!("`{name}` {problem}")).with_attribute(AttributePath::attr(name))
        }
        Origin::Env(var) => Diagnostic::error(
            summary,
            format!("The environment variable {var} (used because the provider block does not set `{name}`) {problem}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn block_wins_then_environment_then_absent() {
        let cfg = Value::object([("a", Value::string("from-block")), ("b", Value::Null), ("c", Value::string(""))]);
        let e = env(&[("A", "env-a"), ("B", "env-b"), ("C", "env-c")]);
        assert_eq!(string(&cfg, &e, "a", "A"), Setting::Known("from-block".into(), Origin::Config));
        assert_eq!(string(&cfg, &e, "b", "B"), Setting::Known("env-b".into(), Origin::Env("B")));
        assert_eq!(string(&cfg, &e, "c", "C"), Setting::Known("env-c".into(), Origin::Env("C")));
        assert_eq!(string(&cfg, &e, "d", "D"), Setting::Absent);
    }

    #[test]
    fn unknown_in_the_block_stays_unknown_even_with_an_environment_value() {
        let cfg = Value::object([("a", Value::Unknown)]);
        assert_eq!(string(&cfg, &env(&[("A", "x")]), "a", "A"), Setting::Unknown);
    }

    #[test]
    fn errors_point_at_the_attribute_or_name_the_variable() {
        let d = invalid(Origin::Config, "region", "Invalid region", "must be lowercase.");
        assert_eq!(d.attribute, Some(AttributePath::attr("region")));
        let d = invalid(Origin::Env("HW_REGION_NAME"), "region", "Invalid region", "must be lowercase.");
        assert_eq!(d.attribute, None);
        assert!(d.detail.contains("HW_REGION_NAME"), "{}", d.detail);
    }
}
