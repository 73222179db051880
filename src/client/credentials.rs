//! How requests are authenticated (apig-api.md §8), as one type from the provider block to the
//! request headers: the provider's configuration resolves a [`Credentials`], the client signs or
//! sends it. Every secret sits in a [`Secret`], so no `Debug` of a configuration can show one.

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

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests are authenticated. `Debug` shows the access key and the user name (they identify
/// the credentials) and redacts the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A project-scoped IAM token sent as `X-Auth-Token`.
    Token(Secret),
    /// AK/SK signed with `SDK-HMAC-SHA256`; `security_token` (`X-Security-Token`) for temporary
    /// (STS) credentials.
    AkSk { access_key: String, secret_key: Secret, security_token: Option<Secret> },
    /// IAM user name + password: a token is fetched from the configuration's `auth_url` and renewed
    /// before it expires.
    Password { user_name: String, password: Secret, domain_name: String },
}

/// Which of the three [`Credentials`] a configuration uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Token,
    AkSk,
    Password,
}

impl Credentials {
    pub fn method(&self) -> AuthMethod {
        match self {
            Credentials::Token(_) => AuthMethod::Token,
            Credentials::AkSk { .. } => AuthMethod::AkSk,
            Credentials::Password { .. } => AuthMethod::Password,
        }
    }

    /// As sent: keys and tokens without surrounding blanks (a `file()` newline would break the
    /// header), no empty security token. A password is kept as written.
    pub(crate) fn normalized(self) -> Credentials {
        match self {
            Credentials::Token(t) => Credentials::Token(Secret::new(t.expose().trim())),
            Credentials::AkSk { access_key, secret_key, security_token } => Credentials::AkSk {
                access_key: access_key.trim().to_string(),
                secret_key,
                security_token: security_token.filter(|t| !t.expose().is_empty()),
            },
            password @ Credentials::Password { .. } => password,
        }
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

    #[test]
    fn debug_redacts_secrets_and_keeps_the_identifiers() {
        let aksk = Credentials::AkSk {
            access_key: "AKVISIBLE".into(),
            secret_key: "SK-SECRET".into(),
            security_token: Some("STS-SECRET".into()),
        };
        let shown = format!("{aksk:#?}");
        assert!(!shown.contains("SECRET") && shown.contains("AKVISIBLE") && shown.contains("redacted"), "{shown}");
        let pw =
            Credentials::Password { user_name: "alice".into(), password: "PW-SECRET".into(), domain_name: "d".into() };
        let shown = format!("{pw:?}");
        assert!(!shown.contains("SECRET") && shown.contains("alice"), "{shown}");
    }

    #[test]
    fn normalized_trims_keys_and_tokens_but_not_passwords() {
        assert_eq!(Credentials::Token(" t\n".into()).normalized(), Credentials::Token("t".into()));
        let aksk =
            Credentials::AkSk { access_key: " AK ".into(), secret_key: "SK".into(), security_token: Some("".into()) };
        assert_eq!(
            aksk.normalized(),
            Credentials::AkSk { access_key: "AK".into(), secret_key: "SK".into(), security_token: None }
        );
        let pw = Credentials::Password { user_name: "u".into(), password: " p ".into(), domain_name: "d".into() };
        assert_eq!(pw.clone().normalized(), pw);
        assert_eq!(pw.method(), AuthMethod::Password);
    }
}
