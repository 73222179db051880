//! Attribute paths as tfplugin5 carries them (`AttributePath.Step`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// Attribute of an object or block.
    Attribute(String),
    /// Map key or NestingMap block label.
    ElementKeyString(String),
    /// List/tuple index or NestingList block index.
    ElementKeyInt(i64),
}

/// A path from the root of a configuration object to one attribute. Set elements cannot be
/// addressed on the wire: such paths stop at the set itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    pub fn root() -> Self {
        AttributePath(Vec::new())
    }
    /// A path with a single attribute step: `AttributePath::attr("name")`.
    pub fn attr(name: impl Into<String>) -> Self {
        AttributePath(vec![PathStep::Attribute(name.into())])
    }
    pub fn push_attr(mut self, name: impl Into<String>) -> Self {
        self.0.push(PathStep::Attribute(name.into()));
        self
    }
    pub fn push_key(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathStep::ElementKeyString(key.into()));
        self
    }
    pub fn push_index(mut self, i: i64) -> Self {
        self.0.push(PathStep::ElementKeyInt(i));
        self
    }
    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttributePath {
    /// HCL-like rendering for logs and messages: `domain[0].name`, `endpoints["apig"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attribute(a) => write!(f, ".{a}")?,
                // Map keys come from the configuration: quoted as an excerpt, never whole.
                PathStep::ElementKeyString(k) => write!(f, "[{}]", super::diagnostics::excerpt(k))?,
                PathStep::ElementKeyInt(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
