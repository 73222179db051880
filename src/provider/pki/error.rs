//! What can be wrong with a PEM certificate or private key, in words a user can act on. No variant
//! carries key material: messages are built from labels, positions and static reasons only.

use super::pem::PemError;
use crate::protocol::diagnostics::excerpt;

/// The most PEM labels a message lists.
const MAX_LABELS_SHOWN: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PkiError {
    #[error("the text is not valid PEM: {0}")]
    Pem(#[from] PemError),
    #[error("no \"-----BEGIN CERTIFICATE-----\" block found{}", found_note(.found))]
    NoCertificate { found: Vec<String> },
    #[error("certificate {position} of the chain is not a valid X.509 certificate ({reason})")]
    InvalidCertificate { position: usize, reason: String },
    #[error("no private key block (\"-----BEGIN PRIVATE KEY-----\") found{}", found_note(.found))]
    NoPrivateKey { found: Vec<String> },
    #[error("the text holds {count} private keys; exactly one is expected")]
    MultiplePrivateKeys { count: usize },
    #[error("the private key is encrypted")]
    EncryptedPrivateKey,
    #[error("the {} format is not supported", excerpt(.label))]
    UnsupportedKeyFormat { label: String },
    #[error("the {format} private key is malformed ({reason})")]
    InvalidPrivateKey { format: &'static str, reason: &'static str },
    #[error("the public half of this {kind} private key cannot be derived, so it cannot be compared")]
    PublicKeyUnavailable { kind: String },
    #[error("the private key is too large: {what}; the API accepts at most {limit}")]
    KeyTooLarge { what: String, limit: String },
    #[error("the text is {bytes} bytes long, more than the {limit} bytes accepted")]
    InputTooLarge { bytes: usize, limit: usize },
    #[error("the chain holds {count} certificates, more than the {limit} accepted")]
    TooManyCertificates { count: usize, limit: usize },
}

impl PkiError {
    /// What the user should do about it (the "detail" half of a diagnostic).
    pub fn advice(&self) -> &'static str {
        match self {
            PkiError::Pem(_) | PkiError::NoCertificate { .. } | PkiError::InvalidCertificate { .. } => {
                "Provide the certificate in PEM format: the server (leaf) certificate first, then any \
                 intermediate certificates, each between \"-----BEGIN CERTIFICATE-----\" and \
                 \"-----END CERTIFICATE-----\" lines (for example file(\"api.crt\"))."
            }
            PkiError::NoPrivateKey { .. } | PkiError::MultiplePrivateKeys { .. } => {
                "Provide exactly one unencrypted private key in PEM format (PKCS#8 \"PRIVATE KEY\", \
                 PKCS#1 \"RSA PRIVATE KEY\" or SEC1 \"EC PRIVATE KEY\"), for example file(\"api.key\")."
            }
            PkiError::EncryptedPrivateKey => {
                "The API needs the key unencrypted. Decrypt it first, for example with \
                 `openssl pkey -in encrypted.key -out api.key`, and keep the result out of version control."
            }
            PkiError::UnsupportedKeyFormat { .. } | PkiError::InvalidPrivateKey { .. } => {
                "Convert the key to PKCS#8 PEM, for example with `openssl pkey -in old.key -out api.key`."
            }
            PkiError::KeyTooLarge { .. } => {
                "Use an RSA key of 2048 to 4096 bits or an ECDSA P-256 or P-384 key (for example \
                 `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out api.key`) and issue the \
                 certificate for it."
            }
            PkiError::InputTooLarge { .. } => {
                "A PEM certificate chain or private key is a few kilobytes: check that the argument holds the \
                 intended file (for example file(\"api.crt\") or file(\"api.key\")) and nothing else."
            }
            PkiError::TooManyCertificates { .. } => {
                "Give the server (leaf) certificate and the intermediate certificates that lead to its root, in \
                 that order; leave out certificates that do not belong to the chain."
            }
            PkiError::PublicKeyUnavailable { .. } => {
                "Include the public key in the private key file (OpenSSL writes it by default), or \
                 check the pairing with `openssl x509 -noout -pubkey` and `openssl pkey -pubout`."
            }
        }
    }
}

fn found_note(found: &[String]) -> String {
    if found.is_empty() {
        String::new()
    } else {
        let labels: Vec<String> = found.iter().take(MAX_LABELS_SHOWN).map(|l| excerpt(l)).collect();
        let more = match found.len().saturating_sub(MAX_LABELS_SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        format!(" (the text holds: {}{more})", labels.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_was_found() {
        let e = PkiError::NoCertificate { found: vec!["PRIVATE KEY".into()] };
        assert_eq!(e.to_string(), "no \"-----BEGIN CERTIFICATE-----\" block found (the text holds: \"PRIVATE KEY\")");
        assert_eq!(
            PkiError::NoCertificate { found: vec![] }.to_string(),
            "no \"-----BEGIN CERTIFICATE-----\" block found"
        );
        assert!(PkiError::EncryptedPrivateKey.advice().contains("openssl pkey"));
        // Labels are the user's text: a few, each an excerpt.
        let many = PkiError::NoPrivateKey { found: vec!["X".repeat(10_000); 1000] }.to_string();
        assert!(many.len() < 600, "{many}");
        assert!(many.ends_with("(10000 characters) and 995 more)"), "{many}");
    }
}
