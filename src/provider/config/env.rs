//! Where the provider block's environment fallbacks come from. The process environment in
//! production; a fixed map in tests, so that tests never touch (or race on) the real environment.

use std::collections::HashMap;

/// The environment variable behind each attribute (apig-api.md §8.5, the names the official
/// Huawei Cloud provider uses; `HW_APIG_SERVICE` is this project's own).
pub mod vars {
    pub const REGION: &str = "HW_REGION_NAME";
    pub const PROJECT_ID: &str = "HW_PROJECT_ID";
    pub const SERVICE: &str = "HW_APIG_SERVICE";
    pub const AUTH_TOKEN: &str = "HW_AUTH_TOKEN";
    pub const ACCESS_KEY: &str = "HW_ACCESS_KEY";
    pub const SECRET_KEY: &str = "HW_SECRET_KEY";
    pub const SECURITY_TOKEN: &str = "HW_SECURITY_TOKEN";
    pub const USER_NAME: &str = "HW_USER_NAME";
    pub const PASSWORD: &str = "HW_USER_PASSWORD";
    pub const DOMAIN_NAME: &str = "HW_DOMAIN_NAME";
    pub const AUTH_URL: &str = "HW_AUTH_URL";
    pub const CLOUD: &str = "HW_CLOUD";
    pub const INSECURE: &str = "HW_INSECURE";
    pub const MAX_RETRIES: &str = "HW_MAX_RETRIES";
}

/// A source of environment variables.
pub trait EnvSource: Send + Sync {
    fn var(&self, name: &str) -> Option<String>;

    /// The variable's value, with an empty (or all-blank) value counting as unset, as the
    /// official provider does.
    fn non_empty(&self, name: &str) -> Option<String> {
        self.var(name).filter(|v| !v.trim().is_empty())
    }
}

/// The real process environment.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl EnvSource for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_count_as_unset() {
        let env: HashMap<String, String> =
            [("A", ""), ("B", "  "), ("C", "x")].into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(env.non_empty("A"), None);
        assert_eq!(env.non_empty("B"), None);
        assert_eq!(env.non_empty("C").as_deref(), Some("x"));
        assert_eq!(env.non_empty("D"), None);
    }
}
