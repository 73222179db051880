//! String attribute validators: length, pattern, allowed values.

use crate::protocol::diagnostics::excerpt;
use regex::Regex;

use super::Validator;
use super::naming::{plural, quoted, range_phrase};
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostics};

/// The string must be `min` to `max` characters long (Unicode characters, not bytes).
pub fn string_length(min: usize, max: usize) -> StringLength {
    StringLength { min, max, summary: "Invalid attribute value length".into() }
}

pub struct StringLength {
    min: usize,
    max: usize,
    summary: String,
}

impl StringLength {
    /// Replaces the default summary, e.g. "Invalid certificate name".
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl Validator for StringLength {
    fn description(&self) -> String {
        format!("must be {} characters long", range_phrase(self.min, self.max))
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        let length = s.chars().count();
        if (self.min..=self.max).contains(&length) {
            return;
        }
        let allowed = range_phrase(self.min, self.max);
        diags.attribute_error(
            path.clone(),
            &self.summary,
            format!(
                "{} must be {allowed} characters long, but the configured value has {}. Use a value of {allowed} characters.",
                capitalized(&quoted(path)),
                plural(length, "character"),
            ),
        );
    }
}

/// The string must match `pattern`; `description` says in words what that means for the user
/// ("letters, digits and underscores, starting with a letter"). An invalid pattern is a provider
/// bug: it is reported as an error diagnostic on every validation rather than a panic.
pub fn regex(pattern: &str, description: &str) -> RegexMatch {
    RegexMatch {
        pattern: pattern.to_string(),
        compiled: Regex::new(pattern).map_err(|e| e.to_string()),
        description: description.to_string(),
        summary: "Invalid attribute value".into(),
    }
}

pub struct RegexMatch {
    pattern: String,
    compiled: Result<Regex, String>,
    description: String,
    summary: String,
}

impl RegexMatch {
    /// Like [`regex`], but reports an invalid pattern to the caller.
    pub fn try_new(pattern: &str, description: &str) -> Result<RegexMatch, regex::Error> {
        Regex::new(pattern)?;
        Ok(regex(pattern, description))
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl Validator for RegexMatch {
    fn description(&self) -> String {
        format!("must be {} (pattern `{}`)", self.description, self.pattern)
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        match &self.compiled {
            Ok(re) if re.is_match(s) => {}
            Ok(_) => diags.attribute_error(
                path.clone(),
                &self.summary,
                format!(
                    "{} must be {}, and the configured value is not (it must match the pattern {}). Change the value to that format.",
                    capitalized(&quoted(path)),
                    self.description,
                    self.pattern,
                ),
            ),
            Err(e) => diags.attribute_error(
                path.clone(),
                "Invalid validator in the provider",
                format!(
                    "The provider's pattern for {} does not compile ({e}). This is a bug in the provider; please report it.",
                    quoted(path)
                ),
            ),
        }
    }
}

/// The value (a string, number or bool, compared as text) must be one of `allowed`.
pub fn one_of(allowed: &[&str]) -> OneOf {
    OneOf { allowed: allowed.iter().map(|s| s.to_string()).collect(), summary: "Invalid attribute value".into() }
}

pub struct OneOf {
    allowed: Vec<String>,
    summary: String,
}

impl OneOf {
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    fn allowed_list(&self) -> String {
        self.allowed.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", ")
    }
}

impl Validator for OneOf {
    fn description(&self) -> String {
        format!("must be one of {}", self.allowed_list())
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let text = match value.unwrap_dynamic() {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return,
        };
        if self.allowed.contains(&text) {
            return;
        }
        // Enumerated choices are never secrets, and naming the wrong one spots typos fastest.
        diags.attribute_error(
            path.clone(),
            &self.summary,
            format!(
                "{} must be one of {}, but it is {text}. Use one of the allowed values.",
                capitalized(&quoted(path)),
                self.allowed_list(),
                text = excerpt(&text)
            ),
        );
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Diagnostic;
    use crate::protocol::cty::Number;

    fn run(v: &dyn Validator, value: Value) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::new();
        v.validate(&value, &AttributePath::attr("name"), &mut diags);
        diags.0
    }

    #[test]
    fn string_length_counts_characters_and_says_what_to_use() {
        let v = string_length(4, 50).summary("Invalid certificate name");
        assert!(run(&v, Value::string("abcd")).is_empty());
        assert!(run(&v, Value::string("x".repeat(50))).is_empty());
        assert!(run(&v, Value::string("证书名字")).is_empty(), "4 characters, 12 bytes");
        let diags = run(&v, Value::string("abc"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].summary, "Invalid certificate name");
        assert_eq!(diags[0].attribute, Some(AttributePath::attr("name")));
        assert_eq!(
            diags[0].detail,
            "\"name\" must be 4 to 50 characters long, but the configured value has 3 characters. Use a value of 4 to 50 characters."
        );
        assert_eq!(run(&v, Value::string("x".repeat(51))).len(), 1);
        assert_eq!(
            run(&string_length(1, 1), Value::string("")).first().map(|d| d.detail.contains("exactly 1")),
            Some(true)
        );
        assert_eq!(v.description(), "must be 4 to 50 characters long");
    }

    #[test]
    fn regex_reports_the_rule_without_quoting_the_value() {
        let v = regex("^[a-z][a-z0-9_]*$", "lowercase letters, digits and underscores, starting with a letter");
        assert!(run(&v, Value::string("web_1")).is_empty());
        let diags = run(&v, Value::string("1-secret-Value"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].summary, "Invalid attribute value");
        assert!(diags[0].detail.contains("must be lowercase letters, digits and underscores, starting with a letter"));
        assert!(diags[0].detail.contains("^[a-z][a-z0-9_]*$"));
        assert!(!diags[0].detail.contains("secret"), "the value is never echoed");
    }

    #[test]
    fn invalid_pattern_is_a_diagnostic_not_a_panic() {
        assert!(RegexMatch::try_new("(", "anything").is_err());
        let diags = run(&regex("(", "anything"), Value::string("x"));
        assert_eq!(diags.len(), 1);
        assert!(diags[0].detail.contains("bug in the provider"));
    }

    #[test]
    fn one_of_compares_strings_numbers_and_bools() {
        let v = one_of(&["global", "instance"]);
        assert!(run(&v, Value::string("instance")).is_empty());
        let diags = run(&v, Value::string("Instance"));
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].detail,
            "\"name\" must be one of \"global\", \"instance\", but it is \"Instance\". Use one of the allowed values."
        );
        let numbers = one_of(&["1", "2.5"]);
        assert!(run(&numbers, Number::parse("2.50").map(Value::Number).unwrap_or(Value::Null)).is_empty());
        assert_eq!(run(&numbers, Value::number(3)).len(), 1);
        assert!(run(&one_of(&["true"]), Value::Bool(true)).is_empty());
        assert!(run(&v, Value::List(vec![])).is_empty(), "not a primitive: nothing to check");
    }
}
