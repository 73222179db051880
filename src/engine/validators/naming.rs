//! Wording shared by the validators' messages.

use crate::protocol::AttributePath;

/// `"domains[0].name"`, or "the value" for the root.
pub(super) fn quoted(path: &AttributePath) -> String {
    if path.is_empty() { "the value".to_string() } else { format!("\"{path}\"") }
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
pub(super) fn join_quoted(paths: &[&AttributePath]) -> String {
    let names: Vec<String> = paths.iter().map(|p| quoted(p)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "4 to 50", "exactly 3", "at least 2".
pub(super) fn range_phrase(min: usize, max: usize) -> String {
    if min == max {
        format!("exactly {min}")
    } else if max == usize::MAX {
        format!("at least {min}")
    } else if min == 0 {
        format!("at most {max}")
    } else {
        format!("{min} to {max}")
    }
}

pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        let a = AttributePath::attr("a");
        let b = AttributePath::attr("b").push_index(0);
        let c = AttributePath::attr("c");
        assert_eq!(join_quoted(&[&a]), "\"a\"");
        assert_eq!(join_quoted(&[&a, &b]), "\"a\" and \"b[0]\"");
        assert_eq!(join_quoted(&[&a, &b, &c]), "\"a\", \"b[0]\" and \"c\"");
        assert_eq!(quoted(&AttributePath::root()), "the value");
        assert_eq!(range_phrase(4, 50), "4 to 50");
        assert_eq!(range_phrase(1, 1), "exactly 1");
        assert_eq!(range_phrase(2, usize::MAX), "at least 2");
        assert_eq!(range_phrase(0, 9), "at most 9");
        assert_eq!(plural(1, "character"), "1 character");
        assert_eq!(plural(3, "character"), "3 characters");
    }
}
