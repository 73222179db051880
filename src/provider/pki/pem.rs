//! PEM text → labelled DER blocks. Text outside `-----BEGIN/END-----` lines is ignored, as
//! OpenSSL does (its "Bag Attributes" and "subject=" lines). Errors name the block and what is
//! wrong with it, never its content.

use base64::Engine as _;

use crate::protocol::diagnostics::excerpt;

/// One `-----BEGIN <label>-----` ... `-----END <label>-----` block.
pub struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
    /// RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted OpenSSL keys).
    pub encrypted: bool,
}

impl std::fmt::Debug for PemBlock {
    /// The DER may be a private key: show only its label and size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PemBlock")
            .field("label", &self.label)
            .field("der_len", &self.der.len())
            .field("encrypted", &self.encrypted)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PemError {
    // Labels come from the user's text: quoted as excerpts, never whole.
    #[error("the PEM block {} has no matching END line", excerpt(.label))]
    Unterminated { label: String },
    #[error("the PEM block {} ends with the END line of {}", excerpt(.begin), excerpt(.end))]
    MismatchedEnd { begin: String, end: String },
    #[error("the body of PEM block {} (block {position}) is not valid base64", excerpt(.label))]
    InvalidBase64 { label: String, position: usize },
    #[error("an END line for {} appears without a matching BEGIN line", excerpt(.label))]
    UnexpectedEnd { label: String },
}

/// Splits `text` into its PEM blocks, in order.
pub fn parse(text: &str) -> Result<Vec<PemBlock>, PemError> {
    let mut blocks = Vec::new();
    // (label, base64 body, encrypted) of the block being read.
    let mut open: Option<(String, String, bool)> = None;
    for raw_line in text.lines() {
        let line = raw_line.trim();
        if let Some(label) = marker(line, "-----BEGIN ") {
            if let Some((label, _, _)) = open {
                return Err(PemError::Unterminated { label });
            }
            open = Some((label.to_string(), String::new(), false));
        } else if let Some(end_label) = marker(line, "-----END ") {
            let Some((label, body, encrypted)) = open.take() else {
                return Err(PemError::UnexpectedEnd { label: end_label.to_string() });
            };
            if label != end_label {
                return Err(PemError::MismatchedEnd { begin: label, end: end_label.to_string() });
            }
            let position = blocks.len() + 1;
            let der = base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .map_err(|_| PemError::InvalidBase64 { label: label.clone(), position })?;
            blocks.push(PemBlock { label, der, encrypted });
        } else if let Some((_, body, encrypted)) = open.as_mut() {
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("Proc-Type") && value.contains("ENCRYPTED") {
                    *encrypted = true;
                }
            } else {
                body.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
    match open {
        Some((label, _, _)) => Err(PemError::Unterminated { label }),
        None => Ok(blocks),
    }
}

/// `-----BEGIN X-----` → `X` (for the given prefix).
fn marker<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.strip_prefix(prefix)?.strip_suffix("-----").map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks_and_ignores_surrounding_text() {
        let text = "Bag Attributes\n  friendlyName: x\n-----BEGIN CERTIFICATE-----\r\nAAEC\r\nAw==\r\n-----END CERTIFICATE-----\r\n\
                    subject=CN = x\n-----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n";
        let blocks = parse(text).expect("parses");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der, vec![0, 1, 2, 3]);
        assert_eq!(blocks[1].label, "PRIVATE KEY");
        assert_eq!(blocks[1].der, vec![4, 5]);
        assert!(!blocks[1].encrypted);
    }

    #[test]
    fn no_block_is_an_empty_list() {
        assert!(parse("just some text").expect("parses").is_empty());
        assert!(parse("").expect("parses").is_empty());
    }

    #[test]
    fn legacy_encrypted_header_is_detected() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----";
        let blocks = parse(text).expect("parses");
        assert!(blocks[0].encrypted);
    }

    #[test]
    fn malformed_blocks_are_errors_without_content() {
        assert_eq!(
            parse("-----BEGIN CERTIFICATE-----\nAAAA\n").unwrap_err(),
            PemError::Unterminated { label: "CERTIFICATE".into() }
        );
        assert_eq!(
            parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----").unwrap_err(),
            PemError::MismatchedEnd { begin: "CERTIFICATE".into(), end: "PRIVATE KEY".into() }
        );
        let err = parse("-----BEGIN PRIVATE KEY-----\nsecret!!material\n-----END PRIVATE KEY-----").unwrap_err();
        assert_eq!(err, PemError::InvalidBase64 { label: "PRIVATE KEY".into(), position: 1 });
        assert!(!err.to_string().contains("secret"));
        assert_eq!(
            parse("-----END CERTIFICATE-----").unwrap_err(),
            PemError::UnexpectedEnd { label: "CERTIFICATE".into() }
        );
    }

    #[test]
    fn debug_hides_the_der() {
        let blocks = parse("-----BEGIN PRIVATE KEY-----\nq83v\n-----END PRIVATE KEY-----").expect("parses");
        let shown = format!("{blocks:?}");
        assert!(shown.contains("der_len: 3"), "{shown}");
        assert!(!shown.contains("171"), "{shown}"); // 0xab, the first byte
    }
}
