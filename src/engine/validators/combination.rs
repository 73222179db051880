//! Config validators for combinations of attributes. The configuration may hold unknowns: an
//! unknown value "may be set" and never causes an error; the engine validates again at apply,
//! when everything is known. An empty list, set or map counts as not set, because that is how
//! Terraform sends a nested block that is absent.

use super::ConfigValidator;
use super::naming::{join_quoted, quoted};
use crate::protocol::cty::{Lookup, Value};
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Set,
    MaybeSet,
    Absent,
}

fn presence(config: &Value, path: &AttributePath) -> Presence {
    match config.lookup(path) {
        Lookup::Unknown => Presence::MaybeSet,
        Lookup::Absent => Presence::Absent,
        Lookup::Found(v) if v.is_null() => Presence::Absent,
        Lookup::Found(v) => match v.unwrap_dynamic() {
            Value::List(items) | Value::Set(items) if items.is_empty() => Presence::Absent,
            Value::Map(m) if m.is_empty() => Presence::Absent,
            _ => Presence::Set,
        },
    }
}

fn paths_of(names: &[&str]) -> Vec<AttributePath> {
    names.iter().map(|n| AttributePath::attr(*n)).collect()
}

const COMBINATION: &str = "Invalid attribute combination";
const MISSING: &str = "Missing required attribute";

/// The paths currently set, and whether any might be set once known.
fn survey<'a>(config: &Value, paths: &'a [AttributePath]) -> (Vec<&'a AttributePath>, bool) {
    let mut set = Vec::new();
    let mut maybe = false;
    for path in paths {
        match presence(config, path) {
            Presence::Set => set.push(path),
            Presence::MaybeSet => maybe = true,
            Presence::Absent => {}
        }
    }
    (set, maybe)
}

fn too_many(all: &[AttributePath], set: &[&AttributePath], summary: &str) -> Diagnostic {
    let all_refs: Vec<&AttributePath> = all.iter().collect();
    let both = if set.len() == 2 { "both" } else { "all" };
    let detail = format!(
        "Only one of {} can be set, but {} are {both} set. Remove all but one of them.",
        join_quoted(&all_refs),
        join_quoted(set)
    );
    let at = set.get(1).map(|p| (*p).clone()).unwrap_or_default();
    Diagnostic::error(summary, detail).with_attribute(at)
}

/// Exactly one of the attributes must be set.
pub struct ExactlyOneOf {
    paths: Vec<AttributePath>,
    summary: String,
}

impl ExactlyOneOf {
    /// Top-level attribute names.
    pub fn new(names: &[&str]) -> Self {
        Self::from_paths(paths_of(names))
    }
    pub fn from_paths(paths: Vec<AttributePath>) -> Self {
        ExactlyOneOf { paths, summary: COMBINATION.into() }
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl ConfigValidator for ExactlyOneOf {
    fn description(&self) -> String {
        let refs: Vec<&AttributePath> = self.paths.iter().collect();
        format!("exactly one of {} must be set", join_quoted(&refs))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (set, maybe) = survey(config, &self.paths);
        if set.len() > 1 {
            diags.push(too_many(&self.paths, &set, &self.summary));
        } else if set.is_empty() && !maybe {
            let refs: Vec<&AttributePath> = self.paths.iter().collect();
            diags.error(
                &self.summary,
                format!("Exactly one of {} must be set, but none of them is. Set one of them.", join_quoted(&refs)),
            );
        }
    }
}

/// At most one of the attributes may be set.
pub struct AtMostOneOf {
    paths: Vec<AttributePath>,
    summary: String,
}

impl AtMostOneOf {
    pub fn new(names: &[&str]) -> Self {
        Self::from_paths(paths_of(names))
    }
    pub fn from_paths(paths: Vec<AttributePath>) -> Self {
        AtMostOneOf { paths, summary: COMBINATION.into() }
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl ConfigValidator for AtMostOneOf {
    fn description(&self) -> String {
        let refs: Vec<&AttributePath> = self.paths.iter().collect();
        format!("at most one of {} may be set", join_quoted(&refs))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (set, _) = survey(config, &self.paths);
        if set.len() > 1 {
            diags.push(too_many(&self.paths, &set, &self.summary));
        }
    }
}

/// When `path` is set, none of `others` may be (the others may be set together).
pub struct ConflictsWith {
    path: AttributePath,
    others: Vec<AttributePath>,
    summary: String,
}

impl ConflictsWith {
    pub fn new(name: &str, others: &[&str]) -> Self {
        Self::from_paths(AttributePath::attr(name), paths_of(others))
    }
    pub fn from_paths(path: AttributePath, others: Vec<AttributePath>) -> Self {
        ConflictsWith { path, others, summary: "Conflicting attributes".into() }
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl ConfigValidator for ConflictsWith {
    fn description(&self) -> String {
        let refs: Vec<&AttributePath> = self.others.iter().collect();
        format!("{} cannot be set together with {}", quoted(&self.path), join_quoted(&refs))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if presence(config, &self.path) != Presence::Set {
            return;
        }
        let (set, _) = survey(config, &self.others);
        if set.is_empty() {
            return;
        }
        diags.attribute_error(
            self.path.clone(),
            &self.summary,
            format!(
                "{} cannot be set together with {}. Remove {} or {}.",
                quoted(&self.path),
                join_quoted(&set),
                quoted(&self.path),
                join_quoted(&set)
            ),
        );
    }
}

/// The attributes go together: once one of them is set, all of them must be.
pub struct RequiredWith {
    paths: Vec<AttributePath>,
    summary: String,
}

impl RequiredWith {
    pub fn new(names: &[&str]) -> Self {
        Self::from_paths(paths_of(names))
    }
    pub fn from_paths(paths: Vec<AttributePath>) -> Self {
        RequiredWith { paths, summary: MISSING.into() }
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

impl ConfigValidator for RequiredWith {
    fn description(&self) -> String {
        let refs: Vec<&AttributePath> = self.paths.iter().collect();
        format!("{} must be set together", join_quoted(&refs))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (set, _) = survey(config, &self.paths);
        if set.is_empty() {
            return;
        }
        let all: Vec<&AttributePath> = self.paths.iter().collect();
        for path in &self.paths {
            if presence(config, path) != Presence::Absent {
                continue;
            }
            diags.attribute_error(
                path.clone(),
                &self.summary,
                format!(
                    "{} must be set when {} is set: {} are used together. Set {}, or remove {}.",
                    quoted(path),
                    join_quoted(&set),
                    join_quoted(&all),
                    quoted(path),
                    join_quoted(&set)
                ),
            );
        }
    }
}

/// When the attribute at `condition` equals `value`, the `required` attributes must be set; with
/// [`RequiredIf::forbidden_otherwise`], they must also be left out when it does not. The check
/// sees the configuration, so an attribute left null compares as null, not as its default (see
/// [`RequiredIf::null_means`]).
pub struct RequiredIf {
    condition: AttributePath,
    value: Value,
    required: Vec<AttributePath>,
    forbidden_otherwise: bool,
    null_means: Option<Value>,
    summary: Option<String>,
}

impl RequiredIf {
    pub fn new(condition: &str, value: impl Into<Value>, required: &[&str]) -> Self {
        Self::from_paths(AttributePath::attr(condition), value.into(), paths_of(required))
    }
    pub fn from_paths(condition: AttributePath, value: Value, required: Vec<AttributePath>) -> Self {
        RequiredIf { condition, value, required, forbidden_otherwise: false, null_means: None, summary: None }
    }
    /// The required attributes are only allowed when the condition holds ("iff").
    pub fn forbidden_otherwise(mut self) -> Self {
        self.forbidden_otherwise = true;
        self
    }
    /// The value a null condition attribute stands for (its default).
    pub fn null_means(mut self, value: impl Into<Value>) -> Self {
        self.null_means = Some(value.into());
        self
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    fn condition_text(&self, value: &Value) -> String {
        match value.unwrap_dynamic() {
            Value::Null => "not set".into(),
            Value::String(s) => excerpt(s),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => "a different value".into(),
        }
    }
}

impl ConfigValidator for RequiredIf {
    fn description(&self) -> String {
        let refs: Vec<&AttributePath> = self.required.iter().collect();
        let only = if self.forbidden_otherwise { ", and only then" } else { "" };
        format!(
            "{} required when {} is {}{only}",
            join_quoted(&refs),
            quoted(&self.condition),
            self.condition_text(&self.value)
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let current = match config.lookup(&self.condition) {
            Lookup::Unknown => return,
            Lookup::Found(v) if !v.is_null() => v.unwrap_dynamic().clone(),
            Lookup::Found(_) | Lookup::Absent => self.null_means.clone().unwrap_or(Value::Null),
        };
        let holds = current == *self.value.unwrap_dynamic();
        let wanted = self.condition_text(&self.value);
        for path in &self.required {
            match (holds, presence(config, path)) {
                (true, Presence::Absent) => diags.attribute_error(
                    path.clone(),
                    self.summary.as_deref().unwrap_or(MISSING),
                    format!(
                        "{} is required when {} is {wanted}. Set {}.",
                        quoted(path),
                        quoted(&self.condition),
                        quoted(path)
                    ),
                ),
                (false, Presence::Set) if self.forbidden_otherwise => diags.attribute_error(
                    path.clone(),
                    self.summary.as_deref().unwrap_or(COMBINATION),
                    format!(
                        "{} can only be set when {} is {wanted}, but it is {}. Remove {}, or set {} to {wanted}.",
                        quoted(path),
                        quoted(&self.condition),
                        self.condition_text(&current),
                        quoted(path),
                        quoted(&self.condition)
                    ),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
