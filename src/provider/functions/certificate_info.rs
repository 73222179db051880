//! `certificate_info(pem)`: what the API would read from a certificate chain, available in
//! `locals`, preconditions and `check` blocks without any API call.

use crate::engine::Function;
use crate::protocol::FunctionError;
use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::{FunctionSignature, Parameter, StringKind};
use crate::provider::pki::{self, rfc3339_seconds};

use super::string_argument;

pub struct CertificateInfo;

impl CertificateInfo {
    fn return_type() -> Type {
        Type::object([
            ("common_name", Type::String),
            ("sans", Type::list(Type::String)),
            ("not_before", Type::String),
            ("not_after", Type::String),
            ("serial_number", Type::String),
            ("issuer", Type::list(Type::String)),
            ("signature_algorithm", Type::String),
            ("public_key_algorithm", Type::String),
            ("is_ca", Type::Bool),
            ("chain_length", Type::Number),
        ])
    }
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.as_str())).collect())
}

impl Function for CertificateInfo {
    fn name(&self) -> &'static str {
        "certificate_info"
    }

    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![Parameter {
                name: "pem".into(),
                ty: Type::String,
                allow_null_value: false,
                allow_unknown_values: false,
                description: "A PEM certificate chain: the server (leaf) certificate first, then any intermediates, \
                              for example file(\"api.crt\")."
                    .into(),
                description_kind: StringKind::Plain,
            }],
            variadic_parameter: None,
            return_type: Self::return_type(),
            summary: "Reads a PEM certificate chain".into(),
            description: "Returns what the API derives from the chain's first (leaf) certificate: common_name, sans \
                          (DNS names), not_before and not_after (RFC 3339, UTC), serial_number (decimal), issuer \
                          (the issuer's organization names), signature_algorithm and public_key_algorithm (Go x509 \
                          names such as SHA256-RSA and ECDSA), is_ca, and chain_length, the number of certificates \
                          in the text."
                .into(),
            description_kind: StringKind::Plain,
            deprecation_message: String::new(),
        }
    }

    fn call(&self, args: &[Value]) -> Result<Value, FunctionError> {
        let text = string_argument(args, 0, "pem")?;
        let chain = pki::parse_certificate_chain(text).map_err(|e| FunctionError {
            text: format!("Invalid certificate: {e}. {}", e.advice()),
            function_argument: Some(0),
        })?;
        let leaf = chain.leaf();
        let chain_length = i64::try_from(chain.len()).unwrap_or(i64::MAX);
        Ok(Value::object([
            ("common_name", Value::string(leaf.common_name.as_str())),
            ("sans", strings(&leaf.dns_sans)),
            ("not_before", Value::string(rfc3339_seconds(leaf.not_before))),
            ("not_after", Value::string(rfc3339_seconds(leaf.not_after))),
            ("serial_number", Value::string(leaf.serial_number.as_str())),
            ("issuer", strings(&leaf.issuer_organizations)),
            ("signature_algorithm", Value::string(leaf.signature_algorithm.as_str())),
            ("public_key_algorithm", Value::string(leaf.public_key_algorithm.as_str())),
            ("is_ca", Value::Bool(leaf.is_ca)),
            ("chain_length", Value::from(chain_length)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    #[test]
    fn reports_the_leaf_and_the_chain_length() {
        let g = generate(&CertSpec {
            sans: vec!["api.example.com".into(), "www.example.com".into()],
            serial: Some(vec![0x01, 0x00]),
            not_before: datetime!(2024-02-03 04:05:06 UTC),
            not_after: datetime!(2031-08-16 06:36:13 UTC),
            ..CertSpec::leaf(KeyAlg::Rsa2048)
        });
        let info = CertificateInfo.call(&[Value::string(g.chain_pem.as_str())]).expect("parses");
        let expected = Value::object([
            ("common_name", Value::string("api.example.com")),
            ("sans", Value::List(vec![Value::string("api.example.com"), Value::string("www.example.com")])),
            ("not_before", Value::string("2024-02-03T04:05:06Z")),
            ("not_after", Value::string("2031-08-16T06:36:13Z")),
            ("serial_number", Value::string("256")),
            ("issuer", Value::List(vec![Value::string("Test CA Org")])),
            ("signature_algorithm", Value::string("ECDSA-SHA256")),
            ("public_key_algorithm", Value::string("RSA")),
            ("is_ca", Value::Bool(false)),
            ("chain_length", Value::from(2i64)),
        ]);
        assert_eq!(info, expected);

        let ca_only = CertificateInfo.call(&[Value::string(g.ca_pem.as_str())]).expect("parses");
        assert_eq!(ca_only.get("is_ca"), Some(&Value::Bool(true)));
        assert_eq!(ca_only.get("chain_length"), Some(&Value::from(1i64)));
        assert_eq!(ca_only.get("sans"), Some(&Value::List(vec![])));
    }

    #[test]
    fn the_result_has_exactly_the_declared_attributes_and_is_deterministic() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP384));
        let arg = [Value::string(g.chain_pem.as_str())];
        let first = CertificateInfo.call(&arg).expect("parses");
        assert_eq!(first, CertificateInfo.call(&arg).expect("parses"));
        let Type::Object(declared) = CertificateInfo.signature().return_type else { panic!("object") };
        let returned: Vec<&String> = first.as_map().expect("object").keys().collect();
        assert_eq!(returned, declared.keys().collect::<Vec<_>>());
    }

    #[test]
    fn invalid_pem_is_an_error_on_the_argument() {
        let err = CertificateInfo.call(&[Value::string("not a certificate")]).unwrap_err();
        assert_eq!(err.function_argument, Some(0));
        assert!(err.text.starts_with("Invalid certificate: no \"-----BEGIN CERTIFICATE-----\""), "{}", err.text);
        let err = CertificateInfo.call(&[]).unwrap_err();
        assert_eq!(err.function_argument, Some(0));
    }
}
