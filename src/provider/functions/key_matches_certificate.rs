//! `key_matches_certificate(certificate, private_key)`: whether the key is the private half of
//! the chain's first (leaf) certificate, for preconditions before an upload.

use crate::engine::Function;
use crate::protocol::FunctionError;
use crate::protocol::cty::{Type, Value};
use crate::protocol::schema::{FunctionSignature, Parameter, StringKind};
use crate::provider::pki;

use super::string_argument;

pub struct KeyMatchesCertificate;

fn parameter(name: &str, description: &str) -> Parameter {
    Parameter {
        name: name.into(),
        ty: Type::String,
        allow_null_value: false,
        allow_unknown_values: false,
        description: description.into(),
        description_kind: StringKind::Plain,
    }
}

impl Function for KeyMatchesCertificate {
    fn name(&self) -> &'static str {
        "key_matches_certificate"
    }

    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![
                parameter(
                    "certificate",
                    "A PEM certificate chain; its first certificate is the one the key is compared with.",
                ),
                parameter(
                    "private_key",
                    "An unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC). It never appears in errors.",
                ),
            ],
            variadic_parameter: None,
            return_type: Type::Bool,
            summary: "Tells whether a private key belongs to a certificate".into(),
            description: "Returns true when private_key is the private half of the public key in the first (leaf) \
                          certificate of the chain, false otherwise. Fails when either argument cannot be read."
                .into(),
            description_kind: StringKind::Plain,
            deprecation_message: String::new(),
        }
    }

    fn call(&self, args: &[Value]) -> Result<Value, FunctionError> {
        let certificate = string_argument(args, 0, "certificate")?;
        let private_key = string_argument(args, 1, "private_key")?;
        let chain = pki::parse_certificate_chain(certificate).map_err(|e| FunctionError {
            text: format!("Invalid certificate: {e}. {}", e.advice()),
            function_argument: Some(0),
        })?;
        let key_error = |e: pki::PkiError| FunctionError {
            text: format!("Invalid private key: {e}. {}", e.advice()),
            function_argument: Some(1),
        };
        let key = pki::parse_private_key(private_key).map_err(key_error)?;
        pki::key_matches_certificate(&key, chain.leaf()).map(Value::Bool).map_err(key_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    fn call(certificate: &str, key: &str) -> Result<Value, FunctionError> {
        KeyMatchesCertificate.call(&[Value::string(certificate), Value::string(key)])
    }

    #[test]
    fn true_for_the_pair_false_otherwise() {
        let a = generate(&CertSpec::leaf(KeyAlg::Rsa2048));
        let b = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        assert_eq!(call(&a.chain_pem, &a.key_pem), Ok(Value::Bool(true)));
        assert_eq!(call(&b.chain_pem, &b.key_pem), Ok(Value::Bool(true)));
        assert_eq!(call(&a.chain_pem, &b.key_pem), Ok(Value::Bool(false)));
        assert_eq!(call(&b.chain_pem, &a.key_pem), Ok(Value::Bool(false)));
        // The key of the leaf does not match when the CA comes first.
        assert_eq!(call(&format!("{}{}", b.ca_pem, b.leaf_pem), &b.key_pem), Ok(Value::Bool(false)));
    }

    #[test]
    fn errors_name_the_argument_and_never_show_the_key() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        let err = call("garbage", &g.key_pem).unwrap_err();
        assert_eq!(err.function_argument, Some(0));

        // A key with a corrupted body: the error is on argument 1 and quotes none of it.
        let body_line = g.key_pem.lines().nth(1).expect("body line").to_string();
        let broken = g.key_pem.replace(&body_line, &format!("{}#", &body_line[..30]));
        let err = call(&g.chain_pem, &broken).unwrap_err();
        assert_eq!(err.function_argument, Some(1));
        assert!(err.text.starts_with("Invalid private key"), "{}", err.text);
        assert!(!err.text.contains(&body_line[..12]), "{}", err.text);

        // A key over the size limits is refused on its argument, without the arithmetic.
        let hostile = crate::provider::pki::test_support::pkcs8_dsa_pem(32768, 32768, 32767);
        let err = call(&g.chain_pem, &hostile).unwrap_err();
        assert_eq!(err.function_argument, Some(1));
        assert!(err.text.contains("too large: 32768-bit DSA parameters"), "{}", err.text);

        // A certificate given as the key.
        let err = call(&g.chain_pem, &g.chain_pem).unwrap_err();
        assert_eq!(err.function_argument, Some(1));
        assert!(err.text.contains("no private key"), "{}", err.text);
    }
}
