//! A string that must never be shown: tokens, secret keys, passwords.

use std::fmt;

/// Holds a secret; `Debug` and `Display` print a fixed placeholder, so a secret cannot reach a log
/// line or an error message by accident. Read it with [`Secret::expose`] where it is really sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let s = Secret::new("tok-1234-very-secret");
        assert!(!format!("{s:?}").contains("1234"));
        assert!(!format!("{s}").contains("1234"));
        assert!(!format!("{:#?}", Some(s.clone())).contains("1234"));
        assert_eq!(s.expose(), "tok-1234-very-secret");
    }
}
