//! The provider block's rules, once: `validate` runs them at plan (where values may be unknown and
//! only known values are judged), `configure` runs them again when everything is known and takes
//! the parsed [`ProviderConfig`]. Defaults that are URL rules (the cloud of a region, the
//! endpoints, `auth_url`) are left unset here: the client derives them ([`ClientConfig`]).

use crate::client::models::Service;
use crate::client::{ClientConfig, EndpointOverrides, is_plain_http_beyond_loopback, normalize_base_url};
use crate::protocol::cty::Value;
use crate::protocol::diagnostics::excerpt;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use crate::client::AuthMethod;

use super::credentials::{self, Outcome};
use super::env::{EnvSource, vars};
use super::schema::{DEFAULT_CLOUD, DEFAULT_MAX_RETRIES, ENDPOINT_KEYS, attr};
use super::setting::{self, Origin, Setting};
use super::{ProviderConfig, Stage};

/// Checks the provider block (with its environment fallbacks) and, when every value is known and
/// valid, returns the parsed configuration. Errors carry the attribute path when the block set
/// the offending value, and name the environment variable when the environment did. `stage`
/// decides whether missing values are reported (see [`Stage`]).
pub fn resolve(config: &Value, env: &dyn EnvSource, stage: Stage) -> (Option<ProviderConfig>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let service = service(config, env, &mut diags);
    let endpoints = endpoints(config, &mut diags);
    let credentials = credentials::resolve(config, env, stage, &mut diags);
    let region = region(config, env, &mut diags);
    if stage == Stage::Configure {
        require_region(&region, endpoints.as_ref(), credentials.method(), config, env, &mut diags);
    }
    let project_id = project_id(config, env, stage, &mut diags);
    let cloud = cloud(config, env, &mut diags);
    let auth_url = auth_url(config, env, &mut diags);
    let insecure = insecure(config, env, &mut diags);
    let allow_insecure_http = allow_insecure_http(config);
    if allow_insecure_http == Some(false) {
        refuse_plain_http(config, endpoints.as_ref(), auth_url.as_ref().and_then(Option::as_deref), &mut diags);
    }
    let max_retries = max_retries(config, env, &mut diags);

    if diags.has_errors() {
        return (None, diags);
    }
    let parsed = match (
        service,
        endpoints,
        credentials,
        region,
        project_id,
        cloud,
        auth_url,
        insecure,
        allow_insecure_http,
        max_retries,
    ) {
        (
            Some(service),
            Some(endpoints),
            Outcome::Resolved(credentials),
            region @ (Setting::Known(..) | Setting::Absent),
            Some(project_id),
            Some(cloud),
            Some(auth_url),
            Some(insecure),
            Some(allow_insecure_http),
            Some(max_retries),
        ) => {
            let mut client = ClientConfig::without_region(project_id, credentials).with_max_retries(max_retries);
            client.region = region.known().cloned();
            client.cloud = cloud;
            client.endpoints = endpoints;
            client.auth_url = auth_url;
            client.insecure = insecure;
            client.allow_insecure_http = allow_insecure_http;
            Some(ProviderConfig { service, client })
        }
        _ => None,
    };
    (parsed, diags)
}

/// `None` when unknown or invalid (an invalid value has been reported).
fn service(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Option<Service> {
    match setting::string(config, env, attr::SERVICE, vars::SERVICE) {
        Setting::Absent => Some(Service::default()),
        Setting::Unknown => None,
        Setting::Known(s, origin) => {
            let parsed = Service::parse(s.trim());
            if parsed.is_none() {
                diags.push(setting::invalid(
                    origin,
                    attr::SERVICE,
                    "Invalid service",
                    &format!(
                        "must be \"apig\" (dedicated API Gateway) or \"roma\" (ROMA Connect), got {s}.",
                        s = excerpt(&s)
                    ),
                ));
            }
            parsed
        }
    }
}

/// `None` when the map or one of its values is unknown, or a key or value is invalid.
fn endpoints(config: &Value, diags: &mut Diagnostics) -> Option<EndpointOverrides> {
    let map = match config.get(attr::ENDPOINTS) {
        None | Some(Value::Null) => return Some(EndpointOverrides::default()),
        Some(v) if v.is_unknown() => return None,
        Some(v) => v.as_map()?,
    };
    let mut endpoints = EndpointOverrides::default();
    let mut complete = true;
    for (key, value) in map {
        let path = AttributePath::attr(attr::ENDPOINTS).push_key(key.clone());
        let slot = match key.as_str() {
            "apig" => &mut endpoints.apig,
            "roma" => &mut endpoints.roma,
            "iam" => &mut endpoints.iam,
            _ => {
                diags.push(
                    Diagnostic::error(
                        "Unsupported endpoint",
                        format!(
                            "`endpoints` has no key {key}. Use only {}, each with a base URL such as \
                             \"http://127.0.0.1:8080\".",
                            ENDPOINT_KEYS.map(|k| format!("\"{k}\"")).join(", "),
                            key = excerpt(key)
                        ),
                    )
                    .with_attribute(path),
                );
                complete = false;
                continue;
            }
        };
        match value {
            Value::Null => {}
            v if v.is_unknown() => complete = false,
            Value::String(url) => match base_url(url) {
                Ok(url) => *slot = Some(url),
                Err(problem) => {
                    diags.push(
                        Diagnostic::error(
                            "Invalid endpoint",
                            format!("`endpoints[\"{key}\"]` {problem} Example: \"http://127.0.0.1:8080\"."),
                        )
                        .with_attribute(path),
                    );
                    complete = false;
                }
            },
            _ => complete = false,
        }
    }
    complete.then_some(endpoints)
}

/// Checks an http(s) base URL and returns it without trailing `/`; the error text completes a
/// sentence that starts with the attribute's name.
fn base_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    // A URL with user info may hold a password: never repeat it.
    let shown = if trimmed.contains('@') { "(not shown: it contains user info)".to_string() } else { excerpt(trimmed) };
    let url = url::Url::parse(trimmed)
        .map_err(|e| format!("must be an absolute http:// or https:// URL; {shown} is not ({e})."))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("must use http:// or https://; {shown} uses {}://.", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("must name a host; {shown} does not."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("must not contain user info (credentials belong in their own attributes); got {shown}."));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("must be a base URL without query or fragment; got {shown}."));
    }
    // Stored as the client will use it.
    normalize_base_url(trimmed).ok_or_else(|| format!("must be an absolute http:// or https:// URL; {shown} is not."))
}

fn region(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Setting<String> {
    match setting::string(config, env, attr::REGION, vars::REGION) {
        Setting::Known(r, origin) => {
            let ok = r.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && r.starts_with(|c: char| c.is_ascii_lowercase());
            if ok {
                Setting::Known(r, origin)
            } else {
                diags.push(setting::invalid(
                    origin,
                    attr::REGION,
                    "Invalid region",
                    &format!(
                        "must be a region name of lowercase letters, digits and hyphens such as \"cn-north-4\", \
                         got {r}.",
                        r = excerpt(&r)
                    ),
                ));
                Setting::Unknown
            }
        }
        other => other,
    }
}

/// `region` builds the default endpoints. Any resource may pick either service, so the client
/// needs both service endpoints (and IAM's, for password authentication): `region` may be left
/// out only when `endpoints` overrides all of them.
fn require_region(
    region: &Setting<String>,
    endpoints: Option<&EndpointOverrides>,
    method: Option<AuthMethod>,
    config: &Value,
    env: &dyn EnvSource,
    diags: &mut Diagnostics,
) {
    if !region.is_absent() {
        return;
    }
    // Unknown inputs: decided when they are known.
    let Some(endpoints) = endpoints else { return };
    let mut missing: Vec<&str> = Vec::new();
    if endpoints.apig.is_none() {
        missing.push("`endpoints.apig`");
    }
    if endpoints.roma.is_none() {
        missing.push("`endpoints.roma`");
    }
    if method == Some(AuthMethod::Password)
        && endpoints.iam.is_none()
        && setting::string(config, env, attr::AUTH_URL, vars::AUTH_URL).is_absent()
    {
        missing.push("`endpoints.iam` (or `auth_url`)");
    }
    if !missing.is_empty() {
        diags.push(Diagnostic::error(
            "Missing region",
            format!(
                "Set `region` in the provider block or the {} environment variable (for example \"cn-north-4\"): \
                 the default endpoints are built from it. Without a region, every endpoint must be overridden; \
                 missing: {}.",
                vars::REGION,
                missing.join(", ")
            ),
        ));
    }
}

fn project_id(config: &Value, env: &dyn EnvSource, stage: Stage, diags: &mut Diagnostics) -> Option<String> {
    match setting::string(config, env, attr::PROJECT_ID, vars::PROJECT_ID) {
        Setting::Absent if stage == Stage::Validate => None,
        Setting::Absent => {
            diags.push(Diagnostic::error(
                "Missing project ID",
                format!(
                    "Set `project_id` in the provider block or the {} environment variable: the ID of the project \
                     that owns the certificates (32 hexadecimal characters, shown in the console under My \
                     Credentials > Projects).",
                    vars::PROJECT_ID
                ),
            ));
            None
        }
        Setting::Unknown => None,
        Setting::Known(id, origin) => {
            // It becomes a path segment of every request.
            let ok = id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                diags.push(setting::invalid(
                    origin,
                    attr::PROJECT_ID,
                    "Invalid project ID",
                    &format!(
                        "must be a project ID such as \"0123456789abcdef0123456789abcdef\" (letters, digits, `-` and \
                         `_`, at most 64 characters), got {id}.",
                        id = excerpt(&id)
                    ),
                ));
                return None;
            }
            Some(id)
        }
    }
}

/// `Some(None)` when not set (the client picks the cloud of the region); `None` when unknown or
/// invalid.
fn cloud(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Option<Option<String>> {
    match setting::string(config, env, attr::CLOUD, vars::CLOUD) {
        Setting::Absent => Some(None),
        Setting::Unknown => None,
        Setting::Known(c, origin) => {
            let c = c.trim().trim_end_matches('.').to_string();
            let ok = c.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
            if !ok {
                diags.push(setting::invalid(
                    origin,
                    attr::CLOUD,
                    "Invalid cloud",
                    &format!("must be a domain name such as \"{DEFAULT_CLOUD}\", got {c}.", c = excerpt(&c)),
                ));
                return None;
            }
            Some(Some(c))
        }
    }
}

/// `Some(None)` when not set; `None` when unknown or invalid.
fn auth_url(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Option<Option<String>> {
    match setting::string(config, env, attr::AUTH_URL, vars::AUTH_URL) {
        Setting::Absent => Some(None),
        Setting::Unknown => None,
        Setting::Known(url, origin) => match base_url(&url) {
            Ok(url) => Some(Some(url)),
            Err(problem) => {
                diags.push(setting::invalid(origin, attr::AUTH_URL, "Invalid auth_url", &problem));
                None
            }
        },
    }
}

fn insecure(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Option<bool> {
    match config.get(attr::INSECURE) {
        Some(Value::Bool(b)) => return Some(*b),
        Some(v) if v.is_unknown() => return None,
        _ => {}
    }
    let Some(raw) = env.non_empty(vars::INSECURE) else { return Some(false) };
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            diags.push(setting::invalid(
                Origin::Env(vars::INSECURE),
                attr::INSECURE,
                "Invalid insecure",
                &format!("must be \"true\" or \"false\", got {raw}.", raw = excerpt(&raw)),
            ));
            None
        }
    }
}

/// `None` while unknown.
fn allow_insecure_http(config: &Value) -> Option<bool> {
    match config.get(attr::ALLOW_INSECURE_HTTP) {
        Some(Value::Bool(b)) => Some(*b),
        Some(v) if v.is_unknown() => None,
        _ => Some(false),
    }
}

/// Credentials travel with every request: over plain HTTP only to this machine, unless allowed.
fn refuse_plain_http(
    config: &Value,
    endpoints: Option<&EndpointOverrides>,
    auth_url: Option<&str>,
    diags: &mut Diagnostics,
) {
    let what = "Every request carries the token, the AK/SK signature or (to IAM) the password, and plain HTTP \
                sends them in clear to every network on the way.";
    let fix = format!(
        "Use an https:// URL. If this endpoint really is reached only over a trusted network, set \
         `{} = true` in the provider block.",
        attr::ALLOW_INSECURE_HTTP
    );
    if let Some(endpoints) = endpoints {
        for (key, url) in [("apig", &endpoints.apig), ("roma", &endpoints.roma), ("iam", &endpoints.iam)] {
            if let Some(url) = url.as_deref().filter(|u| is_plain_http_beyond_loopback(u)) {
                diags.push(
                    Diagnostic::error(
                        "Endpoint would send credentials in clear",
                        format!("`endpoints[\"{key}\"]` is {url:?}, plain http:// to a host that is not this machine's loopback address. {what} {fix}"),
                    )
                    .with_attribute(AttributePath::attr(attr::ENDPOINTS).push_key(key.to_string())),
                );
            }
        }
    }
    if let Some(url) = auth_url.filter(|u| is_plain_http_beyond_loopback(u)) {
        let mut d = Diagnostic::error(
            "auth_url would send the password in clear",
            format!("`auth_url` is {url:?}, plain http:// to a host that is not a loopback address. {what} {fix}"),
        );
        if config.get(attr::AUTH_URL).is_some_and(|v| !v.is_null()) {
            d = d.with_attribute(AttributePath::attr(attr::AUTH_URL));
        }
        diags.push(d);
    }
}

fn max_retries(config: &Value, env: &dyn EnvSource, diags: &mut Diagnostics) -> Option<u32> {
    let problem = "must be a whole number from 0 to 4294967295 (how many times a failed request is retried).";
    match config.get(attr::MAX_RETRIES) {
        Some(v) if v.is_unknown() => None,
        Some(Value::Number(n)) => {
            let parsed = n.to_i64().and_then(|i| u32::try_from(i).ok());
            if parsed.is_none() {
                diags.push(
                    Diagnostic::error("Invalid max_retries", format!("`max_retries` {problem} Got {n}."))
                        .with_attribute(AttributePath::attr(attr::MAX_RETRIES)),
                );
            }
            parsed
        }
        _ => {
            let Some(raw) = env.non_empty(vars::MAX_RETRIES) else { return Some(DEFAULT_MAX_RETRIES) };
            let parsed = raw.trim().parse::<u32>().ok();
            if parsed.is_none() {
                diags.push(setting::invalid(
                    Origin::Env(vars::MAX_RETRIES),
                    attr::MAX_RETRIES,
                    "Invalid max_retries",
                    &format!("{problem} Got {raw}.", raw = excerpt(&raw)),
                ));
            }
            parsed
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
