//! Validators: the traits the engine calls, and a library of generic ones. Attribute validators
//! see only known, non-null values (the engine calls them at plan for what is known and again at
//! apply for what was unknown); config validators see the whole configuration object, which may
//! hold unknowns, and treat an unknown as "may be set": they never fail because of one.
//!
//! Every diagnostic carries a summary, a detail telling the user what to change, and the
//! attribute path. Generic validators never quote the configured value back (it may be secret);
//! Terraform already shows the offending configuration line.

mod collection;
mod combination;
mod naming;
mod string;

pub use collection::{EachElement, NoDuplicates, SizeBetween, no_duplicates, size_between};
pub use combination::{AtMostOneOf, ConflictsWith, ExactlyOneOf, RequiredIf, RequiredWith};
pub use string::{OneOf, RegexMatch, StringLength, one_of, regex, string_length};

use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostics};

pub trait Validator: Send + Sync {
    /// One line for documentation: "must be 4 to 50 characters ...".
    fn description(&self) -> String;
    /// `value` is known and non-null; report problems on `path`.
    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics);
}

pub trait ConfigValidator: Send + Sync {
    fn description(&self) -> String;
    /// `config` is the whole configuration object; it may contain unknowns.
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
}
