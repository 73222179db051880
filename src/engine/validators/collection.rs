//! Collection attribute validators: no repeated elements, number of elements.

use super::Validator;
use super::naming::{plural, quoted, range_phrase};
use crate::protocol::cty::Value;
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{AttributePath, Diagnostics};

/// A list must not hold the same element twice (a set never does). Elements that are not yet
/// known are skipped; they are checked again at apply.
pub fn no_duplicates() -> NoDuplicates {
    NoDuplicates { summary: "Duplicate value".into() }
}

pub struct NoDuplicates {
    summary: String,
}

impl NoDuplicates {
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl Validator for NoDuplicates {
    fn description(&self) -> String {
        "must not contain the same value twice".into()
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(items) = value.unwrap_dynamic().as_elements() else { return };
        for (i, item) in items.iter().enumerate() {
            if !item.is_wholly_known() {
                continue;
            }
            let Some(first) = items[..i].iter().position(|earlier| earlier.is_wholly_known() && earlier == item) else {
                continue;
            };
            let here = path.clone().push_index(i as i64);
            let there = path.clone().push_index(first as i64);
            // Strings (domain names, IDs) are quoted so the repeat is easy to find.
            let what = match item.as_str() {
                Some(s) => excerpt(s),
                None => "the same value".to_string(),
            };
            diags.attribute_error(
                here.clone(),
                &self.summary,
                format!(
                    "{} repeats {what} already given at {}. Each element of {} must be unique: remove the duplicate.",
                    quoted(&here),
                    quoted(&there),
                    quoted(path)
                ),
            );
        }
    }
}

/// A list, set, map or tuple must hold `min` to `max` elements (`usize::MAX` for no upper bound).
pub fn size_between(min: usize, max: usize) -> SizeBetween {
    SizeBetween { min, max, summary: "Invalid number of elements".into() }
}

pub struct SizeBetween {
    min: usize,
    max: usize,
    summary: String,
}

impl SizeBetween {
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl Validator for SizeBetween {
    fn description(&self) -> String {
        format!("must contain {} elements", range_phrase(self.min, self.max))
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let count = match value.unwrap_dynamic() {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.len(),
            Value::Map(m) => m.len(),
            _ => return,
        };
        if (self.min..=self.max).contains(&count) {
            return;
        }
        let allowed = range_phrase(self.min, self.max);
        let unit = if self.max == 1 { "element" } else { "elements" };
        diags.attribute_error(
            path.clone(),
            &self.summary,
            format!(
                "{} must contain {allowed} {unit}, but it contains {}. Change the configuration to give {allowed} {unit}.",
                quoted(path),
                plural(count, "element"),
            ),
        );
    }
}

/// Applies an element validator to every element of a list, set or map attribute. List elements
/// are reported at their index and map elements at their key; set elements cannot be addressed on
/// the wire, so their problems are reported on the set attribute itself.
pub struct EachElement<V>(pub V);

impl<V: Validator> Validator for EachElement<V> {
    fn description(&self) -> String {
        format!("each element {}", self.0.description())
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        match value.unwrap_dynamic() {
            Value::List(items) | Value::Tuple(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_known_and_not_null() {
                        self.0.validate(item, &path.clone().push_index(i64::try_from(i).unwrap_or(i64::MAX)), diags);
                    }
                }
            }
            Value::Set(items) => {
                for item in items.iter().filter(|v| v.is_known_and_not_null()) {
                    self.0.validate(item, path, diags);
                }
            }
            Value::Map(entries) => {
                for (key, item) in entries.iter().filter(|(_, v)| v.is_known_and_not_null()) {
                    self.0.validate(item, &path.clone().push_key(key.clone()), diags);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Diagnostic;

    fn run(v: &dyn Validator, value: Value) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::new();
        v.validate(&value, &AttributePath::attr("domains"), &mut diags);
        diags.0
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::string(*s)).collect())
    }

    #[test]
    fn no_duplicates_points_at_each_repeat() {
        let v = no_duplicates();
        assert!(run(&v, strings(&["a.example.com", "b.example.com"])).is_empty());
        let diags = run(&v, strings(&["a.example.com", "b.example.com", "a.example.com", "a.example.com"]));
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].attribute, Some(AttributePath::attr("domains").push_index(2)));
        assert_eq!(diags[1].attribute, Some(AttributePath::attr("domains").push_index(3)));
        assert_eq!(diags[0].summary, "Duplicate value");
        assert_eq!(
            diags[0].detail,
            "\"domains[2]\" repeats \"a.example.com\" already given at \"domains[0]\". Each element of \"domains\" must be unique: remove the duplicate."
        );
    }

    #[test]
    fn no_duplicates_skips_unknown_elements() {
        let v = no_duplicates();
        assert!(run(&v, Value::List(vec![Value::Unknown, Value::Unknown, Value::string("a")])).is_empty());
        let nested = Value::List(vec![Value::List(vec![Value::Unknown]), Value::List(vec![Value::Unknown])]);
        assert!(run(&v, nested).is_empty());
        assert_eq!(run(&v, Value::List(vec![Value::number(1), Value::Unknown, Value::number(1)])).len(), 1);
    }

    #[test]
    fn size_between_counts_lists_sets_and_maps() {
        let exactly_one = size_between(1, 1).summary("Invalid certificate_ids");
        assert!(run(&exactly_one, strings(&["id"])).is_empty());
        let diags = run(&exactly_one, strings(&["id1", "id2"]));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].summary, "Invalid certificate_ids");
        assert_eq!(
            diags[0].detail,
            "\"domains\" must contain exactly 1 element, but it contains 2 elements. Change the configuration to give exactly 1 element."
        );
        assert_eq!(run(&exactly_one, Value::Set(vec![])).len(), 1);
        assert_eq!(
            run(
                &size_between(0, 1),
                Value::Map([("a".into(), Value::Null), ("b".into(), Value::Null)].into_iter().collect())
            )
            .len(),
            1
        );
        assert!(run(&size_between(2, usize::MAX), strings(&["a", "b", "c"])).is_empty());
        assert_eq!(size_between(2, usize::MAX).description(), "must contain at least 2 elements");
    }
}

#[cfg(test)]
mod each_element_tests {
    use super::*;
    use crate::protocol::PathStep;
    use crate::protocol::cty::Value;

    /// Rejects the string "bad".
    struct NotBad;
    impl Validator for NotBad {
        fn description(&self) -> String {
            "is not \"bad\"".into()
        }
        fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
            if value.as_str() == Some("bad") {
                diags.attribute_error(path.clone(), "Bad element", "Use anything but \"bad\".");
            }
        }
    }

    fn run(value: Value) -> Vec<AttributePath> {
        let mut d = Diagnostics::new();
        EachElement(NotBad).validate(&value, &AttributePath::attr("ids"), &mut d);
        d.iter().filter_map(|x| x.attribute.clone()).collect()
    }

    #[test]
    fn lists_report_indexes_maps_keys_and_sets_the_set() {
        let s = |v: &str| Value::string(v);
        assert_eq!(run(Value::List(vec![s("ok"), s("bad")])), [AttributePath::attr("ids").push_index(1)]);
        assert_eq!(run(Value::Set(vec![s("bad"), s("ok")])), [AttributePath::attr("ids")]);
        let map = Value::Map([("k".to_string(), s("bad")), ("j".to_string(), s("ok"))].into_iter().collect());
        assert_eq!(run(map)[0].steps().last(), Some(&PathStep::ElementKeyString("k".into())));
        assert!(run(Value::List(vec![Value::Unknown, Value::Null, s("ok")])).is_empty());
        assert!(EachElement(NotBad).description().starts_with("each element"));
    }
}
