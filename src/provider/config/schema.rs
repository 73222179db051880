//! The `provider "apig" {}` block's schema. Attribute names are part of the interface. Every
//! attribute is optional in the schema because each can also come from its `HW_*` environment
//! variable; what is really required is checked by `resolve` once the environment is known.
//! Defaults are applied there too (not in the schema), so that an environment variable can
//! override a default while a value in the block still wins over both.

use crate::engine::{AttributeSchema, BlockSchema, ResourceSchema};
use crate::protocol::cty::Type;

use super::env::vars;

/// Attribute names of the provider block.
pub mod attr {
    pub const REGION: &str = "region";
    pub const PROJECT_ID: &str = "project_id";
    pub const SERVICE: &str = "service";
    pub const AUTH_TOKEN: &str = "auth_token";
    pub const ACCESS_KEY: &str = "access_key";
    pub const SECRET_KEY: &str = "secret_key";
    pub const SECURITY_TOKEN: &str = "security_token";
    pub const USER_NAME: &str = "user_name";
    pub const PASSWORD: &str = "password";
    pub const DOMAIN_NAME: &str = "domain_name";
    pub const AUTH_URL: &str = "auth_url";
    pub const CLOUD: &str = "cloud";
    pub const ENDPOINTS: &str = "endpoints";
    pub const INSECURE: &str = "insecure";
    pub const ALLOW_INSECURE_HTTP: &str = "allow_insecure_http";
    pub const MAX_RETRIES: &str = "max_retries";
}

pub use crate::client::DEFAULT_CLOUD;
pub const DEFAULT_MAX_RETRIES: u32 = 5;
/// Keys accepted in `endpoints`.
pub const ENDPOINT_KEYS: [&str; 3] = ["apig", "roma", "iam"];

fn optional_string(name: &str, description: &str) -> AttributeSchema {
    AttributeSchema::string(name).optional().description(description)
}

pub fn provider_schema() -> ResourceSchema {
    let block = BlockSchema::new(
        "Manages SSL certificates and their domain bindings on Huawei Cloud API Gateway (dedicated APIG) and \
         ROMA Connect. Configure exactly one credential method: `auth_token`; `access_key` + `secret_key` \
         (+ `security_token`); or `user_name` + `password` + `domain_name`. Every argument can also be set \
         through the `HW_*` environment variable named in its description; a value in this block wins over \
         the environment.",
    )
    .attribute(optional_string(
        attr::REGION,
        &format!(
            "Region of the service, e.g. `cn-north-4`. Builds the default endpoints `https://apig.<region>.<cloud>`, \
             `https://roma.<region>.<cloud>` and `https://iam.<region>.<cloud>`. Environment variable: `{}`. \
             Required unless `endpoints` overrides both `apig` and `roma` (any resource may choose either \
             service) and, for `user_name`/`password` authentication, `auth_url` or `endpoints.iam` is set.",
            vars::REGION
        ),
    ))
    .attribute(optional_string(
        attr::PROJECT_ID,
        &format!(
            "ID of the project (in `region`) that owns the certificates; it goes into every request path \
             `/v2/<project_id>/...`. Environment variable: `{}`. Required.",
            vars::PROJECT_ID
        ),
    ))
    .attribute(optional_string(
        attr::SERVICE,
        &format!(
            "Default service of every resource: `apig` (dedicated API Gateway, paths `/v2/<project_id>/apigw/...`) or \
             `roma` (ROMA Connect, paths `/v2/<project_id>/apic/...`). Defaults to `apig`. Environment variable: \
             `{}` (specific to this provider).",
            vars::SERVICE
        ),
    ))
    .attribute(
        optional_string(
            attr::AUTH_TOKEN,
            &format!(
                "A project-scoped IAM token, sent as `X-Auth-Token`. One credential method on its own. Environment \
                 variable: `{}`.",
                vars::AUTH_TOKEN
            ),
        )
        .sensitive(),
    )
    .attribute(optional_string(
        attr::ACCESS_KEY,
        &format!(
            "Access key ID for AK/SK request signing (SDK-HMAC-SHA256); used together with `secret_key`. \
             Environment variable: `{}`.",
            vars::ACCESS_KEY
        ),
    ))
    .attribute(
        optional_string(
            attr::SECRET_KEY,
            &format!(
                "Secret access key for AK/SK request signing; used together with `access_key`. Environment \
                 variable: `{}`.",
                vars::SECRET_KEY
            ),
        )
        .sensitive(),
    )
    .attribute(
        optional_string(
            attr::SECURITY_TOKEN,
            &format!(
                "Security token of temporary AK/SK credentials (sent as `X-Security-Token`); only valid with \
                 `access_key` and `secret_key`. Environment variable: `{}`.",
                vars::SECURITY_TOKEN
            ),
        )
        .sensitive(),
    )
    .attribute(optional_string(
        attr::USER_NAME,
        &format!(
            "IAM user name for password authentication (an IAM token is requested from `auth_url`); used together \
             with `password` and `domain_name`. Environment variable: `{}`.",
            vars::USER_NAME
        ),
    ))
    .attribute(
        optional_string(
            attr::PASSWORD,
            &format!(
                "Password of `user_name`; used together with `user_name` and `domain_name`. Environment variable: \
                 `{}`.",
                vars::PASSWORD
            ),
        )
        .sensitive(),
    )
    .attribute(optional_string(
        attr::DOMAIN_NAME,
        &format!(
            "Account (domain) name that `user_name` belongs to; used together with `user_name` and `password`. \
             Environment variable: `{}`.",
            vars::DOMAIN_NAME
        ),
    ))
    .attribute(optional_string(
        attr::AUTH_URL,
        &format!(
            "IAM identity endpoint used to obtain a token from `user_name`/`password`, e.g. \
             `https://iam.cn-north-4.myhuaweicloud.com/v3`. Defaults to `<endpoints.iam>/v3` when that is set, else \
             `https://iam.<region>.<cloud>/v3`. Environment variable: `{}`.",
            vars::AUTH_URL
        ),
    ))
    .attribute(optional_string(
        attr::CLOUD,
        &format!(
            "Domain suffix of the default endpoints. Defaults to `{DEFAULT_CLOUD}` (`myhuaweicloud.eu` for the \
             `eu-west-1xx` regions). Environment variable: `{}`.",
            vars::CLOUD
        ),
    ))
    .attribute(AttributeSchema::new(attr::ENDPOINTS, Type::map(Type::String)).optional().description(
        "Base URLs that replace the default endpoints, keyed by `apig`, `roma` or `iam`, e.g. \
             `{ apig = \"http://127.0.0.1:8080\" }`; request paths such as `/v2/<project_id>/apigw/...` are \
             appended to them. Meant for a simulator or a private endpoint. No environment variable.",
    ))
    .attribute(AttributeSchema::bool(attr::INSECURE).optional().description(&format!(
        "Skip TLS certificate verification of the API endpoints (only for testing). Defaults to `false`. \
         Environment variable: `{}` (`true`/`false`).",
        vars::INSECURE
    )))
    .attribute(AttributeSchema::bool(attr::ALLOW_INSECURE_HTTP).optional().description(
        "Allow `http://` endpoints (`endpoints`, `auth_url`) on hosts other than loopback addresses. Every \
         request carries the token, the signature or (for IAM) the password, which plain HTTP sends in clear, so \
         such an endpoint is refused at plan time unless this is `true`. `http://127.0.0.1`, `http://[::1]` \
         and `http://localhost` (a local simulator) are always allowed. Defaults to `false`. No environment \
         variable, on purpose: the choice stays visible in the configuration.",
    ))
    .attribute(AttributeSchema::number(attr::MAX_RETRIES).optional().description(&format!(
        "How many times a request that failed with 429, a 5xx status or a network error is retried (with \
         backoff that honours `Retry-After`). A whole number, at least 0; defaults to {DEFAULT_MAX_RETRIES}. \
         Environment variable: `{}`.",
        vars::MAX_RETRIES
    )));
    ResourceSchema::new(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_is_optional_and_documented_with_its_environment_variable() {
        let schema = provider_schema();
        let env_of = [
            (attr::REGION, Some(vars::REGION)),
            (attr::PROJECT_ID, Some(vars::PROJECT_ID)),
            (attr::SERVICE, Some(vars::SERVICE)),
            (attr::AUTH_TOKEN, Some(vars::AUTH_TOKEN)),
            (attr::ACCESS_KEY, Some(vars::ACCESS_KEY)),
            (attr::SECRET_KEY, Some(vars::SECRET_KEY)),
            (attr::SECURITY_TOKEN, Some(vars::SECURITY_TOKEN)),
            (attr::USER_NAME, Some(vars::USER_NAME)),
            (attr::PASSWORD, Some(vars::PASSWORD)),
            (attr::DOMAIN_NAME, Some(vars::DOMAIN_NAME)),
            (attr::AUTH_URL, Some(vars::AUTH_URL)),
            (attr::CLOUD, Some(vars::CLOUD)),
            (attr::ENDPOINTS, None),
            (attr::INSECURE, Some(vars::INSECURE)),
            // Deliberately none: the opt-in stays visible in the configuration.
            (attr::ALLOW_INSECURE_HTTP, None),
            (attr::MAX_RETRIES, Some(vars::MAX_RETRIES)),
        ];
        assert_eq!(schema.block.attributes.len(), env_of.len());
        for (name, var) in env_of {
            let a = schema.block.attributes.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("{name}"));
            assert!(a.optional && !a.required && !a.computed, "{name} must be optional only");
            if let Some(var) = var {
                assert!(a.description.contains(var), "{name}'s description must name {var}");
            }
        }
    }

    #[test]
    fn secrets_are_sensitive_and_identifiers_are_not() {
        let schema = provider_schema();
        let sensitive: Vec<&str> =
            schema.block.attributes.iter().filter(|a| a.sensitive).map(|a| a.name.as_str()).collect();
        assert_eq!(sensitive, [attr::AUTH_TOKEN, attr::SECRET_KEY, attr::SECURITY_TOKEN, attr::PASSWORD]);
    }

    #[test]
    fn types_match_the_interface() {
        let schema = provider_schema();
        let ty = |n: &str| schema.block.attributes.iter().find(|a| a.name == n).map(|a| a.ty.clone());
        assert_eq!(ty(attr::ENDPOINTS), Some(Type::map(Type::String)));
        assert_eq!(ty(attr::INSECURE), Some(Type::Bool));
        assert_eq!(ty(attr::MAX_RETRIES), Some(Type::Number));
        assert_eq!(ty(attr::REGION), Some(Type::String));
    }
}
