//! The `timeouts {}` block: its schema, its duration syntax (Go's `time.ParseDuration`, which
//! Terraform users know: "30s", "10m", "1h30m"), and the per-operation durations it yields.

use crate::protocol::diagnostics::excerpt;
use std::time::Duration;

use crate::protocol::cty::Value;
use crate::protocol::schema::NestingMode;
use crate::protocol::{AttributePath, Diagnostics};

use super::schema::{AttributeSchema, BlockSchema, NestedBlockSchema, TimeoutDefaults};
use super::validators::Validator;

pub(crate) const TIMEOUTS_BLOCK: &str = "timeouts";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
    fn default_in(self, d: &TimeoutDefaults) -> Option<Duration> {
        match self {
            Operation::Create => d.create,
            Operation::Read => d.read,
            Operation::Update => d.update,
            Operation::Delete => d.delete,
        }
    }
}

const OPERATIONS: [Operation; 4] = [Operation::Create, Operation::Read, Operation::Update, Operation::Delete];

/// The `timeouts` block (NestingSingle) with one optional string per operation that has a default.
pub(crate) fn timeouts_block(defaults: &TimeoutDefaults) -> NestedBlockSchema {
    let mut block = BlockSchema::new("How long each operation may take before it is abandoned.");
    for op in OPERATIONS {
        if let Some(d) = op.default_in(defaults) {
            block = block.attribute(
                AttributeSchema::string(op.name())
                    .optional()
                    .description(&format!(
                        "How long the {} operation may take, e.g. \"30s\", \"10m\", \"1h30m\" (default {}).",
                        op.name(),
                        format_duration(d)
                    ))
                    .validator(DurationValidator),
            );
        }
    }
    NestedBlockSchema::new(TIMEOUTS_BLOCK, NestingMode::Single, block)
}

/// The duration for `op`: the configured one in the `timeouts` object if set and valid, else the
/// declared default. `None` when the resource declares no such operation.
pub(crate) fn duration_for(defaults: &TimeoutDefaults, timeouts: Option<&Value>, op: Operation) -> Option<Duration> {
    let configured = timeouts.and_then(|t| t.get_str(op.name())).and_then(|s| parse_duration(s).ok());
    configured.or(op.default_in(defaults))
}

/// Parses Go duration syntax: an optional sign, then one or more decimal numbers (fractions
/// allowed) each followed by a unit among ns, us, µs, ms, s, m, h. "0" alone is zero.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err("it is empty".into());
    }
    let mut total_nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err("each part must start with a number".into());
        }
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let nanos_per_unit = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("the number {number} has no unit")),
            other => return Err(format!("unknown unit {other}", other = excerpt(other))),
        };
        let n: f64 = number.parse().map_err(|_| format!("{number} is not a number", number = excerpt(number)))?;
        total_nanos += n * nanos_per_unit;
    }
    if negative && total_nanos > 0.0 {
        return Err("it is negative".into());
    }
    // Go caps durations at about 292 years; anything that large is a mistake here too.
    if !total_nanos.is_finite() || total_nanos > 9.2e18 {
        return Err("it is too large".into());
    }
    Ok(Duration::from_nanos(total_nanos as u64))
}

pub(crate) use crate::scope::format_duration;

/// Attribute validator of the timeouts block values.
pub(crate) struct DurationValidator;

impl Validator for DurationValidator {
    fn description(&self) -> String {
        "must be a positive duration such as \"30s\", \"10m\" or \"1h30m\"".into()
    }
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        match parse_duration(text) {
            Ok(d) if d > Duration::ZERO => {}
            Ok(_) => diags.attribute_error(
                path.clone(),
                "Invalid timeout",
                format!(
                    "The timeout {text} is zero. Give a positive duration such as \"30s\", \"10m\" or \"1h30m\".",
                    text = excerpt(text)
                ),
            ),
            Err(why) => diags.attribute_error(
                path.clone(),
                "Invalid timeout",
                format!(
                    "The timeout {text} is not a duration ({why}). Write a number followed by a unit (ms, s, m, h), \
                     for example \"30s\", \"10m\" or \"1h30m\".",
                    text = excerpt(text)
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_duration_syntax() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m3s"), Ok(Duration::from_secs(123)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "10", "ten minutes", "10x", "1h-5m", "-5m", "m", "1..5s", "1e3s"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn block_has_only_declared_operations() {
        let b = timeouts_block(&TimeoutDefaults {
            create: Some(Duration::from_secs(600)),
            delete: Some(Duration::from_secs(60)),
            ..Default::default()
        });
        let names: Vec<_> = b.block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["create", "delete"]);
        assert!(b.block.attributes.iter().all(|a| a.optional && !a.required && !a.computed));
        assert!(b.block.attributes[0].description.contains("10m"));
    }

    #[test]
    fn configured_duration_wins_over_default() {
        let defaults = TimeoutDefaults { create: Some(Duration::from_secs(600)), ..Default::default() };
        let t = Value::object([("create", Value::string("1m"))]);
        assert_eq!(duration_for(&defaults, Some(&t), Operation::Create), Some(Duration::from_secs(60)));
        let null = Value::object([("create", Value::Null)]);
        assert_eq!(duration_for(&defaults, Some(&null), Operation::Create), Some(Duration::from_secs(600)));
        assert_eq!(duration_for(&defaults, None, Operation::Delete), None);
    }

    #[test]
    fn validator_reports_on_the_path() {
        let mut d = Diagnostics::new();
        let path = AttributePath::attr("timeouts").push_attr("create");
        DurationValidator.validate(&Value::string("soon"), &path, &mut d);
        DurationValidator.validate(&Value::string("0s"), &path, &mut d);
        DurationValidator.validate(&Value::string("5m"), &path, &mut d);
        assert_eq!(d.0.len(), 2);
        assert!(d.iter().all(|x| x.attribute.as_ref() == Some(&path)));
    }
}
