//! The API's upload rules for a certificate (apig-api.md §2.1, §5), checked locally so that a bad
//! certificate or key is reported at plan, on the attribute at fault, before any API call.

use crate::protocol::diagnostics::excerpt;
use time::OffsetDateTime;
use time::macros::{datetime, format_description};

use crate::protocol::{AttributePath, Diagnostic, Severity};

use super::certificate::{CertificateChain, ParsedCertificate, parse_certificate_chain};
use super::private_key::{ParsedPrivateKey, key_matches_certificate, parse_private_key};
use super::public_key::KeyKind;

/// Certificates must expire before this instant (APIG.3148: the API stores a 32-bit time).
pub const API_EXPIRY_LIMIT: OffsetDateTime = datetime!(2038-01-19 03:14:07 UTC);

/// Which input a [`Problem`] is about; the resource maps it to its attribute path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadInput {
    Content,
    PrivateKey,
    AlgorithmType,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub input: UploadInput,
    pub severity: Severity,
    pub summary: String,
    /// What is wrong in this case and what to do about it.
    pub detail: String,
}

impl Problem {
    fn error(input: UploadInput, summary: &str, detail: String) -> Self {
        Problem { input, severity: Severity::Error, summary: summary.to_string(), detail }
    }
    fn warning(input: UploadInput, summary: &str, detail: String) -> Self {
        Problem { input, severity: Severity::Warning, summary: summary.to_string(), detail }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// The diagnostic for this problem, on the attribute that holds the faulty input.
    pub fn to_diagnostic(&self, path: AttributePath) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            attribute: Some(path),
        }
    }
}

/// RFC 3339 in UTC with whole seconds (`2031-08-16T06:36:13Z`), the API's format for validity times.
pub fn rfc3339_seconds(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// A certificate upload parsed once: the chain and, when given and readable, the private key.
/// Validation reads it ([`read_upload`]) and the apply that follows uses it, so nothing is parsed
/// twice.
#[derive(Debug, Clone)]
pub struct ParsedUpload {
    pub chain: CertificateChain,
    /// `None` when no key was given or it does not parse (a problem says why).
    pub key: Option<ParsedPrivateKey>,
}

/// Checks a certificate upload as the API would: `content` (leaf first, then intermediates), the
/// optional `private_key` and `algorithm_type` (`RSA` | `ECC` | `SM2`; other values are left to
/// the attribute's own validator). `now` decides expiry. Returns every problem found, parse errors
/// included; errors and warnings are told apart by [`Problem::severity`].
pub fn check_upload(
    content: &str,
    private_key: Option<&str>,
    algorithm_type: Option<&str>,
    now: OffsetDateTime,
) -> Vec<Problem> {
    read_upload(Some(content), private_key, algorithm_type, now).1
}

/// [`check_upload`] that also returns what it parsed: the upload, when `content` is given and
/// parses. `content` is `None` while it is not known (at plan); the key is still read and checked.
pub fn read_upload(
    content: Option<&str>,
    private_key: Option<&str>,
    algorithm_type: Option<&str>,
    now: OffsetDateTime,
) -> (Option<ParsedUpload>, Vec<Problem>) {
    let mut problems = Vec::new();
    let chain = content.and_then(|content| match parse_certificate_chain(content) {
        Ok(chain) => {
            check_chain(&chain, now, &mut problems);
            Some(chain)
        }
        Err(e) => {
            problems.push(Problem::error(
                UploadInput::Content,
                "Invalid certificate content",
                format!("The certificate could not be read: {e}. {}", e.advice()),
            ));
            None
        }
    });
    let key = private_key.and_then(|text| match parse_private_key(text) {
        Ok(key) => Some(key),
        Err(e) => {
            problems.push(Problem::error(
                UploadInput::PrivateKey,
                "Invalid private key",
                format!("The private key could not be read: {e}. {}", e.advice()),
            ));
            None
        }
    });
    // Without a known certificate the algorithm is judged by the key alone.
    check_key_and_algorithm(chain.as_ref(), key.as_ref(), algorithm_type, &mut problems);
    (chain.map(|chain| ParsedUpload { chain, key }), problems)
}

/// The key matches the leaf, and `algorithm_type` agrees with the key (or, without one, the leaf).
fn check_key_and_algorithm(
    chain: Option<&CertificateChain>,
    key: Option<&ParsedPrivateKey>,
    algorithm_type: Option<&str>,
    problems: &mut Vec<Problem>,
) {
    if let (Some(chain), Some(key)) = (chain, key) {
        check_key_matches(chain, key, problems);
    }
    if let Some(algorithm_type) = algorithm_type {
        check_algorithm_type(algorithm_type, key, chain.map(CertificateChain::leaf), problems);
    }
}

fn check_chain(chain: &CertificateChain, now: OffsetDateTime, problems: &mut Vec<Problem>) {
    let leaf = chain.leaf();
    if !check_order(chain, problems) && leaf.is_ca {
        // The "leaf" is really a CA: its dates and names say nothing about the server certificate.
        return;
    }
    if now > leaf.not_after {
        problems.push(Problem::error(
            UploadInput::Content,
            "Certificate has expired",
            format!(
                "The server certificate {} expired at {}. The API rejects expired certificates; renew it \
                 and use the renewed certificate.",
                leaf.describe(),
                rfc3339_seconds(leaf.not_after)
            ),
        ));
    } else if now < leaf.not_before {
        problems.push(Problem::warning(
            UploadInput::Content,
            "Certificate is not valid yet",
            format!(
                "The server certificate {} becomes valid at {}; clients will reject it until then.",
                leaf.describe(),
                rfc3339_seconds(leaf.not_before)
            ),
        ));
    }
    if leaf.not_after >= API_EXPIRY_LIMIT {
        problems.push(Problem::error(
            UploadInput::Content,
            "Certificate expires too late",
            format!(
                "The server certificate {} expires at {}, but the API only accepts certificates that expire \
                 before {}. Reissue it with a shorter validity period.",
                leaf.describe(),
                rfc3339_seconds(leaf.not_after),
                rfc3339_seconds(API_EXPIRY_LIMIT)
            ),
        ));
    }
    if leaf.dns_sans.is_empty() {
        problems.push(Problem::error(
            UploadInput::Content,
            "Certificate has no subject alternative name",
            format!(
                "The server certificate {} lists no DNS name in its subjectAltName extension, which the API \
                 requires (a common name alone is not enough). Reissue it with the domain names as DNS SANs, \
                 for example `openssl req ... -addext \"subjectAltName=DNS:api.example.com\"`.",
                leaf.describe()
            ),
        ));
    }
    for (index, intermediate) in chain.iter().enumerate().skip(1) {
        if now > intermediate.not_after {
            problems.push(Problem::warning(
                UploadInput::Content,
                "Intermediate certificate has expired",
                format!(
                    "Certificate {} of the chain, {}, expired at {}; clients that need it will reject the \
                     chain. Replace it with the current intermediate from your certificate authority.",
                    index + 1,
                    intermediate.describe(),
                    rfc3339_seconds(intermediate.not_after)
                ),
            ));
        }
    }
}

/// Leaf first, then each certificate followed by the one that issued it. False when out of order.
fn check_order(chain: &CertificateChain, problems: &mut Vec<Problem>) -> bool {
    let certificates: Vec<&ParsedCertificate> = chain.iter().collect();
    let leaf = chain.leaf();
    let how_to = "Put the server (leaf) certificate first, then the intermediate certificate that issued it, \
                  then the one that issued that, and so on; leave out certificates that do not belong to the chain.";
    let first_non_ca = certificates.iter().enumerate().skip(1).find(|(_, c)| !c.is_ca);
    if let (true, Some((index, non_ca))) = (leaf.is_ca, first_non_ca) {
        problems.push(Problem::error(
            UploadInput::Content,
            "Certificate chain is in the wrong order",
            format!(
                "The first certificate, {}, is a CA certificate, while certificate {}, {}, is not: the server \
                     certificate must come first. {how_to}",
                leaf.describe(),
                index + 1,
                non_ca.describe()
            ),
        ));
        return false;
    }
    for (index, pair) in certificates.windows(2).enumerate() {
        let [child, parent] = pair else { continue };
        if !parent.issued(child) {
            problems.push(Problem::error(
                UploadInput::Content,
                "Certificate chain is in the wrong order",
                format!(
                    "Certificate {} of the chain, {}, was issued by \"{}\", but the certificate after it is {}. \
                     {how_to}",
                    index + 1,
                    child.describe(),
                    child.issuer_text,
                    parent.describe()
                ),
            ));
            return false;
        }
    }
    true
}

fn check_key_matches(chain: &CertificateChain, key: &ParsedPrivateKey, problems: &mut Vec<Problem>) {
    let leaf = chain.leaf();
    // A key whose public half cannot be derived here is left to the API to judge.
    let Ok(false) = key_matches_certificate(key, leaf) else { return };
    let elsewhere = chain
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, c)| key_matches_certificate(key, c) == Ok(true))
        .map(|(index, c)| {
            format!(
                " It is the key of certificate {} of the chain, {}: put that certificate first if it is the \
                 server certificate.",
                index + 1,
                c.describe()
            )
        })
        .unwrap_or_default();
    let leaf_kind = leaf.public_key.as_ref().map(|k| k.kind().describe()).unwrap_or_else(|| "unknown".into());
    problems.push(Problem::error(
        UploadInput::PrivateKey,
        "Private key does not match the certificate",
        format!(
            "The private key ({}) is not the key of the server certificate {} ({} key).{elsewhere} Use the \
             private key that was generated together with this certificate's signing request.",
            key.kind.describe(),
            leaf.describe(),
            leaf_kind
        ),
    ));
}

fn check_algorithm_type(
    algorithm_type: &str,
    key: Option<&ParsedPrivateKey>,
    leaf: Option<&ParsedCertificate>,
    problems: &mut Vec<Problem>,
) {
    if !matches!(algorithm_type, "RSA" | "ECC" | "SM2") {
        return;
    }
    let (kind, source): (KeyKind, &str) = match (key, leaf.and_then(|l| l.public_key.as_ref())) {
        (Some(key), _) => (key.kind.clone(), "private key"),
        (None, Some(public)) => (public.kind(), "certificate"),
        (None, None) => return,
    };
    let Some(expected) = kind.algorithm_type() else { return };
    if expected != algorithm_type {
        problems.push(Problem::error(
            UploadInput::AlgorithmType,
            "algorithm_type does not match the key",
            format!(
                "algorithm_type is {}, but the {source} is an {} key. Set algorithm_type = \
                 \"{expected}\" (RSA keys use \"RSA\", ECDSA keys \"ECC\", SM2 keys \"SM2\").",
                excerpt(algorithm_type),
                kind.describe()
            ),
        ));
    }
}

#[cfg(test)]
mod tests;
