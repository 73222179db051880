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

    /// As sent: keys, tokens and names without surrounding blanks (a `file()` newline would break
    /// a header), no empty security token. A password might mean its blanks, so it is kept as
    /// written. The provider's configuration and [`super::ApiClient::new`] both apply it.
    pub fn normalized(self) -> Credentials {
        let trim = |s: String| s.trim().to_string();
        let trim_secret = |s: Secret| Secret::new(s.expose().trim());
        match self {
            Credentials::Token(t) => Credentials::Token(trim_secret(t)),
            Credentials::AkSk { access_key, secret_key, security_token } => Credentials::AkSk {
                access_key: trim(access_key),
                secret_key: trim_secret(secret_key),
                security_token: security_token.map(trim_secret).filter(|t| !t.expose().is_empty()),
            },
            Credentials::Password { user_name, password, domain_name } => {
                Credentials::Password { user_name: trim(user_name), password, domain_name: trim(domain_name) }
            }
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
        let pw = Credentials::Password { user_name: " u".into(), password: " p ".into(), domain_name: "d\n".into() };
        assert_eq!(
            pw.normalized(),
            Credentials::Password { user_name: "u".into(), password: " p ".into(), domain_name: "d".into() }
        );
        assert_eq!(Credentials::Token("t".into()).method(), AuthMethod::Token);
    }
}
