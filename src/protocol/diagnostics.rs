//! Diagnostics: every error a user can meet is one of these, with a summary, a detail saying what
//! to do, and the attribute path where one exists.

use super::path::AttributePath;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, summary: summary.into(), detail: detail.into(), attribute: None }
    }
    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, summary: summary.into(), detail: detail.into(), attribute: None }
    }
    pub fn with_attribute(mut self, path: AttributePath) -> Self {
        self.attribute = Some(path);
        self
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.0.push(Diagnostic::error(summary, detail));
    }
    pub fn attribute_error(&mut self, path: AttributePath, summary: impl Into<String>, detail: impl Into<String>) {
        self.0.push(Diagnostic::error(summary, detail).with_attribute(path));
    }
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.0.push(Diagnostic::warning(summary, detail));
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// The most characters of a user's value that a message quotes (after escaping).
pub const EXCERPT_CHARS: usize = 64;

/// A user's value as a message quotes it: in double quotes, control and invisible formatting
/// characters escaped (`\n`, `\u{202e}`), at most [`EXCERPT_CHARS`] characters of it, and when it
/// is cut, an ellipsis and its total length: `"aaaa…" (10485760 characters)`. The one way any
/// message shows a configured value; never use it for a sensitive one (a private key), which no
/// message quotes at all.
pub fn excerpt(value: &str) -> String {
    let mut out = String::with_capacity(EXCERPT_CHARS + 32);
    out.push('"');
    let mut shown = 0;
    let mut cut = false;
    for c in value.chars() {
        let escaped = escape(c);
        let width = escaped.chars().count();
        if shown + width > EXCERPT_CHARS {
            cut = true;
            break;
        }
        out.push_str(&escaped);
        shown += width;
    }
    if cut {
        out.push('…');
        out.push('"');
        out.push_str(&format!(" ({} characters)", value.chars().count()));
    } else {
        out.push('"');
    }
    out
}

fn escape(c: char) -> String {
    // Bidirectional overrides and zero-width characters could make a message read differently
    // from what it says; `escape_debug` leaves some of them as they are.
    let invisible =
        matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}');
    if invisible { c.escape_unicode().to_string() } else { c.escape_debug().to_string() }
}

/// The most diagnostics one answer carries; the rest are summed up in one more.
pub const MAX_DIAGNOSTICS: usize = 100;
/// The longest summary and detail sent, in bytes. Real messages are far shorter; these only keep
/// a message that quotes too much (a bug) from outgrowing the gRPC answer, which Terraform would
/// then report as a transport error instead of the diagnostic.
pub const MAX_SUMMARY_BYTES: usize = 256;
pub const MAX_DETAIL_BYTES: usize = 8 * 1024;
/// The longest map key an attribute path carries; a path through a longer key stops at the map.
pub const MAX_PATH_KEY_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes (at a character boundary, with a note when cut).
pub fn cap_text(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let note = format!("… (cut: {} bytes in all)", text.len());
    let mut end = max.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{note}", &text[..end])
}

impl Diagnostic {
    /// Within the sizes above: summary and detail capped, a path through an over-long key cut
    /// before that key.
    pub fn bounded(mut self) -> Diagnostic {
        self.summary = cap_text(self.summary, MAX_SUMMARY_BYTES);
        self.detail = cap_text(self.detail, MAX_DETAIL_BYTES);
        if let Some(path) = &self.attribute {
            let long_key = path.steps().iter().position(|step| match step {
                super::path::PathStep::ElementKeyString(key) => key.len() > MAX_PATH_KEY_BYTES,
                _ => false,
            });
            if let Some(at) = long_key {
                self.attribute = Some(AttributePath(path.steps()[..at].to_vec()));
            }
        }
        self
    }
}

impl Diagnostics {
    /// What is sent: at most [`MAX_DIAGNOSTICS`], each [`Diagnostic::bounded`]; when some are left
    /// out, the last one says how many (an error if any error was left out, so none is lost).
    pub fn bounded(self) -> Diagnostics {
        let mut all = self.0;
        if all.len() > MAX_DIAGNOSTICS {
            let rest = all.split_off(MAX_DIAGNOSTICS - 1);
            let errors = rest.iter().filter(|d| d.severity == Severity::Error).count();
            let summary = format!("{} more problems not shown", rest.len());
            let detail = format!(
                "The configuration has {} more problems ({errors} of them errors) like the ones above. Fix those and \
                 run the command again to see the rest.",
                rest.len()
            );
            all.push(if errors > 0 {
                Diagnostic::error(summary, detail)
            } else {
                Diagnostic::warning(summary, detail)
            });
        }
        Diagnostics(all.into_iter().map(Diagnostic::bounded).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole_and_escaped() {
        assert_eq!(excerpt("api.example.com"), "\"api.example.com\"");
        assert_eq!(excerpt(""), "\"\"");
        assert_eq!(excerpt("a\"b\\c\nd\te\u{1b}"), "\"a\\\"b\\\\c\\nd\\te\\u{1b}\"");
        assert_eq!(excerpt("evil\u{202e}txt"), "\"evil\\u{202e}txt\"");
        assert_eq!(excerpt("证书"), "\"证书\"");
        let exactly = "x".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exactly), format!("\"{exactly}\""));
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let ten_mb = "a".repeat(10 * 1024 * 1024);
        let shown = excerpt(&ten_mb);
        assert_eq!(shown, format!("\"{}…\" (10485760 characters)", "a".repeat(EXCERPT_CHARS)));
        // Escapes count towards the limit: a value of newlines stays as short.
        let newlines = excerpt(&"\n".repeat(1000));
        assert!(newlines.len() < EXCERPT_CHARS + 40, "{newlines}");
        assert!(newlines.ends_with("…\" (1000 characters)"), "{newlines}");
        // Never cuts inside a multi-byte character.
        assert!(excerpt(&"证".repeat(100)).starts_with(&format!("\"{}…\"", "证".repeat(EXCERPT_CHARS))));
    }

    #[test]
    fn sent_diagnostics_are_bounded() {
        let huge = "d".repeat(10 * 1024 * 1024);
        let path = AttributePath::attr("tags").push_key("k".repeat(MAX_PATH_KEY_BYTES + 1)).push_attr("x");
        let d = Diagnostic::error(huge.clone(), huge.clone()).with_attribute(path).bounded();
        assert!(d.summary.len() <= MAX_SUMMARY_BYTES && d.detail.len() <= MAX_DETAIL_BYTES);
        assert!(d.detail.ends_with("… (cut: 10485760 bytes in all)"), "{}", &d.detail[d.detail.len() - 40..]);
        assert_eq!(d.attribute, Some(AttributePath::attr("tags")), "the path stops at the map");
        assert_eq!(cap_text("é".repeat(100), 42).len(), 41, "cut at a character boundary");

        let mut many = Diagnostics::new();
        for i in 0..1000 {
            many.push(Diagnostic::warning("w", i.to_string()));
        }
        many.error("the last one", "an error");
        let sent = many.bounded();
        assert_eq!(sent.0.len(), MAX_DIAGNOSTICS);
        let last = sent.0.last().expect("summary");
        assert_eq!(last.summary, "902 more problems not shown");
        assert_eq!(last.severity, Severity::Error, "an error left out still fails the run");
    }
}
