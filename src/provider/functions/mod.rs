//! Provider-defined functions: pure and local, callable without provider configuration
//! (`provider::apig::certificate_info(...)`). One file per function.

mod certificate_info;
mod key_matches_certificate;

use std::sync::Arc;

use crate::engine::Function;
use crate::protocol::FunctionError;
use crate::protocol::cty::Value;

pub use certificate_info::CertificateInfo;
pub use key_matches_certificate::KeyMatchesCertificate;

/// Every function the provider offers.
pub fn all() -> Vec<Arc<dyn Function>> {
    vec![Arc::new(CertificateInfo), Arc::new(KeyMatchesCertificate)]
}

/// The string argument at `index`, or an error on that argument.
fn string_argument<'a>(args: &'a [Value], index: usize, name: &str) -> Result<&'a str, FunctionError> {
    args.get(index).and_then(Value::as_str).ok_or_else(|| FunctionError {
        text: format!("The {name} argument must be a string of PEM text."),
        function_argument: i64::try_from(index).ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_identifiers() {
        let names: Vec<&str> = all().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["certificate_info", "key_matches_certificate"]);
        for f in all() {
            for p in f.signature().parameters {
                assert!(!p.allow_null_value && !p.allow_unknown_values, "{}", p.name);
                assert!(!p.description.is_empty(), "{}", p.name);
            }
            assert!(!f.signature().summary.is_empty());
        }
    }

    #[test]
    fn a_missing_argument_is_an_error_on_it() {
        let err = string_argument(&[Value::string("x")], 1, "private_key").unwrap_err();
        assert_eq!(err.function_argument, Some(1));
    }
}
