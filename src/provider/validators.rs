//! Attribute validators for the API's formats (apig-api.md §1.5, §2.1, §2.2): certificate names,
//! domain names, IDs, PEM certificates and private keys. Each reports one diagnostic on the
//! attribute, saying what is wrong with this value and what the rule is. Private keys are never
//! quoted back.

use crate::protocol::diagnostics::excerpt;
use std::sync::LazyLock;

use regex::Regex;

use crate::engine::validators::Validator;
use crate::protocol::cty::Value;
use crate::protocol::{AttributePath, Diagnostics};

use super::pki;

/// The API's certificate name rule: `^([a-zA-Z]|[\u4e00-\u9fa5])([a-zA-Z0-9_]|[\u4e00-\u9fa5]){3,49}$`.
pub struct CertificateName;

const CERTIFICATE_NAME_RULE: &str = "A certificate name is 4 to 50 characters long: a letter (or a Chinese \
    character) first, then letters, digits, underscores or Chinese characters, for example \"api_example_com\".";

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fa5}').contains(&c)
}

impl Validator for CertificateName {
    fn description(&self) -> String {
        "must be 4 to 50 characters: a letter or Chinese character first, then letters, digits, underscores or \
         Chinese characters"
            .into()
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(name) = value.as_str() else { return };
        let mut reasons = Vec::new();
        let length = name.chars().count();
        if !(4..=50).contains(&length) {
            reasons.push(format!("it is {length} characters long"));
        }
        if let Some(first) = name.chars().next().filter(|c| !(c.is_ascii_alphabetic() || is_cjk(*c))) {
            reasons.push(format!("it starts with {first:?}"));
        }
        let allowed = |c: &char| c.is_ascii_alphanumeric() || *c == '_' || is_cjk(*c);
        if let Some((position, bad)) = name.chars().enumerate().skip(1).find(|(_, c)| !allowed(c)) {
            reasons.push(format!("the character {bad:?} at position {} is not allowed", position + 1));
        }
        if !reasons.is_empty() {
            diags.attribute_error(
                path.clone(),
                "Invalid certificate name",
                format!(
                    "{name} is not a valid certificate name: {}. {CERTIFICATE_NAME_RULE}",
                    reasons.join("; "),
                    name = excerpt(name)
                ),
            );
        }
    }
}

/// The API's `url_domain` rule (a name of 2 to 8 labels, or a wildcard `*.` name), at most 255
/// characters.
pub struct DomainName;

static DOMAIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.){1,7}[a-zA-Z]{2,64}\.?$|^[*](\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?){1,6}\.[a-zA-Z]{2,64}\.?$",
    )
    .expect("the domain name pattern is valid")
});

const DOMAIN_NAME_RULE: &str = "Use a domain name such as \"api.example.com\" or a wildcard such as \
    \"*.example.com\": at most 255 characters, 2 to 8 dot-separated labels of letters, digits, hyphens and \
    underscores (each 1 to 63 characters, not starting or ending with a hyphen), the last one 2 to 64 letters.";

const MAX_DOMAIN_LENGTH: usize = 255;

/// True when the API accepts `domain` as a `url_domain`.
pub fn is_valid_domain_name(domain: &str) -> bool {
    domain.len() <= MAX_DOMAIN_LENGTH && DOMAIN_NAME.is_match(domain)
}

impl Validator for DomainName {
    fn description(&self) -> String {
        "must be a domain name such as api.example.com or a wildcard such as *.example.com (at most 255 characters)"
            .into()
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(domain) = value.as_str() else { return };
        if !is_valid_domain_name(domain) {
            diags.attribute_error(
                path.clone(),
                "Invalid domain name",
                format!(
                    "{domain} is not a valid domain name: {}. {DOMAIN_NAME_RULE}",
                    domain_problem(domain),
                    domain = excerpt(domain)
                ),
            );
        }
    }
}

/// Why `domain` fails the rule, in words (called only for names the pattern rejects).
fn domain_problem(domain: &str) -> String {
    let length = domain.chars().count();
    if domain.is_empty() {
        return "it is empty".into();
    }
    if domain.len() > MAX_DOMAIN_LENGTH {
        return format!("it is {length} characters long");
    }
    let allowed = |c: &char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*');
    if let Some((position, bad)) = domain.chars().enumerate().find(|(_, c)| !allowed(c)) {
        let hint = if bad.is_ascii() { "" } else { " (write internationalised names in their xn-- form)" };
        return format!("the character {bad:?} at position {} is not allowed{hint}", position + 1);
    }
    let wildcard = domain.starts_with("*.");
    if domain.matches('*').count() > usize::from(wildcard) {
        return "a wildcard \"*\" is only allowed as the whole first label, as in \"*.example.com\"".into();
    }
    let body = domain.strip_prefix("*.").unwrap_or(domain);
    let body = body.strip_suffix('.').unwrap_or(body);
    let labels: Vec<&str> = body.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return "it has an empty label (a leading dot or two dots in a row)".into();
    }
    let (min, max) = if wildcard { (2, 7) } else { (2, 8) };
    if !(min..=max).contains(&labels.len()) {
        let after = if wildcard { " after \"*.\"" } else { "" };
        let count = labels.len();
        let plural = if count == 1 { "" } else { "s" };
        return format!("it has {count} label{plural}{after}; {min} to {max} are allowed");
    }
    if let Some(last) =
        labels.last().filter(|l| !(2..=64).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return format!("the last label {last} must be 2 to 64 letters", last = excerpt(last));
    }
    for label in &labels {
        if label.len() > 63 {
            return format!("the label {label} is longer than 63 characters", label = excerpt(label));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return format!("the label {label} starts or ends with a hyphen", label = excerpt(label));
        }
    }
    if let Some(label) = labels.iter().find(|l| !wildcard && l.starts_with('_')) {
        return format!(
            "the label {label} starts with an underscore (only a letter or digit may start a label)",
            label = excerpt(label)
        );
    }
    "it does not match the API's domain name rule".into()
}

/// A 32-character lowercase hexadecimal ID (certificates, API groups, domains).
pub struct HexId {
    /// What the ID names, for messages: "certificate ID".
    what: &'static str,
}

impl HexId {
    pub fn new(what: &'static str) -> Self {
        HexId { what }
    }
}

static HEX_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9a-f]{32}$").expect("valid pattern"));
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").expect("valid pattern")
});

/// Why `id` is not 32 lowercase hex digits.
fn hex_id_problem(id: &str) -> String {
    let length = id.chars().count();
    if let Some((position, bad)) =
        id.chars().enumerate().find(|(_, c)| !c.is_ascii_hexdigit() || c.is_ascii_uppercase())
    {
        let what =
            if bad.is_ascii_hexdigit() { "is uppercase (IDs are lowercase)" } else { "is not a hexadecimal digit" };
        return format!("the character {bad:?} at position {} {what}", position + 1);
    }
    format!("it is {length} characters long instead of 32")
}

/// True for a 32-character lowercase hexadecimal ID.
pub fn is_hex_id(id: &str) -> bool {
    HEX_ID.is_match(id)
}

impl Validator for HexId {
    fn description(&self) -> String {
        format!("must be a {} of 32 lowercase hexadecimal characters", self.what)
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(id) = value.as_str() else { return };
        if !HEX_ID.is_match(id) {
            diags.attribute_error(
                path.clone(),
                format!("Invalid {}", self.what),
                format!(
                    "{id} is not a valid {what}: {}. A {what} is 32 lowercase hexadecimal characters, such as \
                     \"a27be832f2e9441c8127fe48e3b5ac67\"; use the ID the API returned (for example a resource's \
                     `id` attribute).",
                    hex_id_problem(id),
                    what = self.what,
                    id = excerpt(id)
                ),
            );
        }
    }
}

/// A gateway (instance) ID: 32 lowercase hex characters, or a lowercase UUID with dashes.
pub struct InstanceId;

impl Validator for InstanceId {
    fn description(&self) -> String {
        "must be an instance ID: 32 lowercase hexadecimal characters, or a UUID with dashes".into()
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(id) = value.as_str() else { return };
        if HEX_ID.is_match(id) || UUID.is_match(id) {
            return;
        }
        let problem = if id.contains('-') {
            "it is not a lowercase UUID of the form 8-4-4-4-12 hexadecimal digits".to_string()
        } else {
            hex_id_problem(id)
        };
        diags.attribute_error(
            path.clone(),
            "Invalid instance ID",
            format!(
                "{id} is not a valid instance ID: {problem}. An instance ID is either 32 lowercase hexadecimal \
                 characters (\"5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0\") or a UUID (\"f0fa1789-3b76-433b-a787-9892951c620e\"); \
                 copy it from the gateway's details in the console.", id = excerpt(id)
            ),
        );
    }
}

/// A PEM certificate chain that parses (content checks against the API's rules are the resource's).
pub struct PemCertificateChain;

impl Validator for PemCertificateChain {
    fn description(&self) -> String {
        "must be one or more PEM certificates, the server certificate first".into()
    }

    fn validate(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if let Err(e) = pki::parse_certificate_chain(text) {
            diags.attribute_error(
                path.clone(),
                "Invalid certificate content",
                format!("The certificate could not be read: {e}. {}", e.advice()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Diagnostic;
    use crate::provider::pki::test_support::{CertSpec, KeyAlg, generate};

    fn run(v: &dyn Validator, value: &str) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::new();
        v.validate(&Value::string(value), &AttributePath::attr("x"), &mut diags);
        diags.0
    }

    /// The one diagnostic's detail, checking it is an error on the given path with `summary`.
    fn rejected(v: &dyn Validator, value: &str, summary: &str) -> String {
        let diags = run(v, value);
        assert_eq!(diags.len(), 1, "{value:?} should be rejected once: {diags:?}");
        assert_eq!(diags[0].summary, summary);
        assert_eq!(diags[0].attribute, Some(AttributePath::attr("x")));
        diags[0].detail.clone()
    }

    #[test]
    fn certificate_name() {
        for ok in ["api_example_com", "abcd", "A123", "证书名称", "a_证书", &format!("a{}", "b".repeat(49))] {
            assert!(run(&CertificateName, ok).is_empty(), "{ok:?}");
        }
        let d = rejected(&CertificateName, "abc", "Invalid certificate name");
        assert!(d.contains("3 characters long") && d.contains("4 to 50"), "{d}");
        let d = rejected(&CertificateName, &format!("a{}", "b".repeat(50)), "Invalid certificate name");
        assert!(d.contains("51 characters long"), "{d}");
        let d = rejected(&CertificateName, "1abc", "Invalid certificate name");
        assert!(d.contains("starts with '1'"), "{d}");
        let d = rejected(&CertificateName, "api-example", "Invalid certificate name");
        assert!(d.contains("'-' at position 4"), "{d}");
        rejected(&CertificateName, "_abcd", "Invalid certificate name");
        rejected(&CertificateName, "abcé", "Invalid certificate name");
    }

    #[test]
    fn domain_name_accepts_what_the_api_accepts() {
        for ok in [
            "api.example.com",
            "API.Example.COM",
            "a.bc",
            "*.example.com",
            "*._svc.example.com",
            "my_host.example.com",
            "x-1.y-2.example.com.",
            "a.b.c.d.e.f.g.com",
            &format!("{}.com", "a".repeat(63)),
        ] {
            assert!(run(&DomainName, ok).is_empty(), "{ok:?}");
        }
    }

    #[test]
    fn domain_name_rejections_say_why() {
        for (bad, why) in [
            ("", "empty"),
            ("localhost", "has 1 label;"),
            ("api.example.c0m", "last label \"c0m\""),
            ("api.example.c", "last label \"c\""),
            ("api..example.com", "empty label"),
            ("-api.example.com", "hyphen"),
            ("api-.example.com", "hyphen"),
            ("_api.example.com", "underscore"),
            ("api._svc.example.com", "\"_svc\" starts with an underscore"),
            ("api.*.example.com", "wildcard"),
            ("**.example.com", "wildcard"),
            ("*.com", "has 1 label after"),
            ("api example.com", "' ' at position 4"),
            ("bücher.example", "xn--"),
            ("a.b.c.d.e.f.g.h.com", "9 labels"),
        ] {
            let d = rejected(&DomainName, bad, "Invalid domain name");
            assert!(d.contains(why), "{bad:?}: {d}");
            assert!(d.contains("*.example.com"), "the rule is explained: {d}");
        }
        let long_label = format!("{}.com", "a".repeat(64));
        assert!(rejected(&DomainName, &long_label, "Invalid domain name").contains("longer than 63"));
        let long = format!("{}com", "abcdefghi.".repeat(26));
        assert!(rejected(&DomainName, &long, "Invalid domain name").contains("263 characters long"));
    }

    #[test]
    fn hex_id() {
        let v = HexId::new("certificate ID");
        assert!(run(&v, "a27be832f2e9441c8127fe48e3b5ac67").is_empty());
        let d = rejected(&v, "a27be832", "Invalid certificate ID");
        assert!(d.contains("8 characters long"), "{d}");
        let d = rejected(&v, "A27be832f2e9441c8127fe48e3b5ac67", "Invalid certificate ID");
        assert!(d.contains("uppercase"), "{d}");
        let d = rejected(&v, "g27be832f2e9441c8127fe48e3b5ac67", "Invalid certificate ID");
        assert!(d.contains("'g' at position 1 is not a hexadecimal digit"), "{d}");
        rejected(&v, "f0fa1789-3b76-433b-a787-9892951c620e", "Invalid certificate ID");
        assert!(v.description().contains("certificate ID"));
    }

    #[test]
    fn instance_id() {
        assert!(run(&InstanceId, "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0").is_empty());
        assert!(run(&InstanceId, "f0fa1789-3b76-433b-a787-9892951c620e").is_empty());
        let d = rejected(&InstanceId, "f0fa1789-3b76-433b-a787-9892951c620", "Invalid instance ID");
        assert!(d.contains("8-4-4-4-12"), "{d}");
        rejected(&InstanceId, "F0FA1789-3B76-433B-A787-9892951C620E", "Invalid instance ID");
        let d = rejected(&InstanceId, "common", "Invalid instance ID");
        assert!(d.contains("'o' at position 2"), "{d}");
    }

    #[test]
    fn pem_certificate_chain() {
        let g = generate(&CertSpec::leaf(KeyAlg::EcdsaP256));
        assert!(run(&PemCertificateChain, &g.chain_pem).is_empty());
        let d = rejected(&PemCertificateChain, "not a certificate", "Invalid certificate content");
        assert!(d.contains("BEGIN CERTIFICATE"), "{d}");
        let d = rejected(&PemCertificateChain, &g.key_pem, "Invalid certificate content");
        assert!(d.contains("\"PRIVATE KEY\""), "{d}");
        assert!(!d.contains(g.key_pem.lines().nth(1).unwrap_or("-")), "the key is not echoed");
    }
}
