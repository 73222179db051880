use std::collections::HashMap;

use super::*;
use crate::client::{Credentials, Secret};
use crate::provider::config::provider_schema;

const PID: &str = "0123456789abcdef0123456789abcdef";

/// A provider block as Terraform sends it: every attribute present, null unless set.
fn block(set: &[(&str, Value)]) -> Value {
    let mut v = Value::null_object_of(&provider_schema().block_type());
    for (k, val) in set {
        v.set(k, val.clone());
    }
    v
}
fn s(v: &str) -> Value {
    Value::string(v)
}
fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
fn endpoints(pairs: &[(&str, Value)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}
/// The smallest valid block.
fn minimal(extra: &[(&str, Value)]) -> Value {
    let mut v = block(&[(attr::REGION, s("cn-north-4")), (attr::PROJECT_ID, s(PID)), (attr::AUTH_TOKEN, s("tok"))]);
    for (k, val) in extra {
        v.set(k, val.clone());
    }
    v
}
fn ok(cfg: &Value, e: &HashMap<String, String>) -> ProviderConfig {
    let (parsed, d) = resolve(cfg, e, Stage::Configure);
    assert!(d.is_empty(), "unexpected diagnostics: {d:?}");
    parsed.expect("a fully known valid block parses")
}
fn errors(cfg: &Value, e: &HashMap<String, String>) -> Vec<Diagnostic> {
    let (parsed, d) = resolve(cfg, e, Stage::Configure);
    assert!(parsed.is_none(), "an invalid block must not parse");
    assert!(d.has_errors(), "expected errors");
    d.0
}
fn one_error(cfg: &Value, e: &HashMap<String, String>) -> Diagnostic {
    let mut errs = errors(cfg, e);
    assert_eq!(errs.len(), 1, "{errs:?}");
    errs.remove(0)
}

#[test]
fn minimal_block_gets_the_defaults() {
    let c = ok(&minimal(&[]), &env(&[]));
    assert_eq!(c.client.region.as_deref(), Some("cn-north-4"));
    assert_eq!(c.client.project_id, PID);
    assert_eq!(c.service, Service::Apig);
    assert_eq!(c.client.credentials, Credentials::Token(Secret::new("tok")));
    assert_eq!(c.client.cloud(), DEFAULT_CLOUD);
    assert_eq!(c.client.endpoints, EndpointOverrides::default());
    assert_eq!(c.client.auth_url, None);
    assert!(!c.client.insecure);
    assert_eq!(c.client.retry.max_retries, 5);
}

#[test]
fn everything_from_the_environment() {
    let e = env(&[
        (vars::REGION, "ap-southeast-1"),
        (vars::PROJECT_ID, PID),
        (vars::SERVICE, "roma"),
        (vars::USER_NAME, "alice"),
        (vars::PASSWORD, "pw"),
        (vars::DOMAIN_NAME, "acme"),
        (vars::AUTH_URL, "https://iam.example.test/v3/"),
        (vars::CLOUD, "example.cloud"),
        (vars::INSECURE, "TRUE"),
        (vars::MAX_RETRIES, "2"),
    ]);
    let c = ok(&block(&[]), &e);
    assert_eq!(c.client.region.as_deref(), Some("ap-southeast-1"));
    assert_eq!(c.service, Service::Roma);
    assert_eq!(c.client.credentials.method(), AuthMethod::Password);
    assert_eq!(c.client.auth_url.as_deref(), Some("https://iam.example.test/v3"));
    assert_eq!(c.client.cloud(), "example.cloud");
    assert!(c.client.insecure);
    assert_eq!(c.client.retry.max_retries, 2);
    assert_eq!(c.client.service_base_url(Service::Roma).unwrap(), "https://roma.ap-southeast-1.example.cloud");
}

#[test]
fn the_block_wins_over_the_environment() {
    let e = env(&[
        (vars::REGION, "ap-southeast-1"),
        (vars::PROJECT_ID, "ffffffffffffffffffffffffffffffff"),
        (vars::SERVICE, "roma"),
        (vars::AUTH_TOKEN, "envtok"),
        (vars::CLOUD, "example.cloud"),
        (vars::INSECURE, "true"),
        (vars::MAX_RETRIES, "9"),
    ]);
    let cfg = minimal(&[
        (attr::SERVICE, s("apig")),
        (attr::CLOUD, s("myhuaweicloud.com")),
        (attr::INSECURE, Value::Bool(false)),
        (attr::MAX_RETRIES, Value::number(0)),
    ]);
    let c = ok(&cfg, &e);
    assert_eq!(c.client.region.as_deref(), Some("cn-north-4"));
    assert_eq!(c.client.project_id, PID);
    assert_eq!(c.service, Service::Apig);
    assert_eq!(c.client.credentials, Credentials::Token(Secret::new("tok")));
    assert_eq!(c.client.cloud(), "myhuaweicloud.com");
    assert!(!c.client.insecure);
    assert_eq!(c.client.retry.max_retries, 0);
}

#[test]
fn mixed_block_and_environment() {
    let overrides = endpoints(&[("apig", s("http://127.0.0.1:8080/")), ("roma", s("http://127.0.0.1:8080"))]);
    let cfg = block(&[(attr::ACCESS_KEY, s("AK")), (attr::ENDPOINTS, overrides)]);
    let e = env(&[(vars::SECRET_KEY, "SK"), (vars::PROJECT_ID, PID), (vars::MAX_RETRIES, "3")]);
    let c = ok(&cfg, &e);
    assert_eq!(c.client.region, None, "region may be left out when every endpoint is overridden");
    assert_eq!(c.client.endpoints.apig.as_deref(), Some("http://127.0.0.1:8080"));
    assert_eq!(c.client.retry.max_retries, 3);
    assert!(matches!(c.client.credentials, Credentials::AkSk { ref access_key, .. } if access_key == "AK"));
}

#[test]
fn eu_regions_default_to_the_eu_cloud() {
    let c = ok(&minimal(&[(attr::REGION, s("eu-west-101"))]), &env(&[]));
    assert_eq!(c.client.cloud(), "myhuaweicloud.eu");
    assert_eq!(c.client.service_base_url(Service::Apig).unwrap(), "https://apig.eu-west-101.myhuaweicloud.eu");
}

#[test]
fn conflicting_credentials_are_reported_on_the_second_method() {
    let d = one_error(&minimal(&[(attr::ACCESS_KEY, s("AK")), (attr::SECRET_KEY, s("SK"))]), &env(&[]));
    assert_eq!(d.summary, "Conflicting credentials");
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::ACCESS_KEY)));
}

#[test]
fn missing_credentials_are_reported_at_the_block() {
    let cfg = block(&[(attr::REGION, s("cn-north-4")), (attr::PROJECT_ID, s(PID))]);
    let d = one_error(&cfg, &env(&[]));
    assert_eq!(d.summary, "Missing credentials");
    assert_eq!(d.attribute, None);
}

#[test]
fn region_is_required_unless_every_endpoint_is_overridden() {
    let d = one_error(&minimal(&[(attr::REGION, Value::Null)]), &env(&[]));
    assert_eq!(d.summary, "Missing region");
    assert!(d.detail.contains("HW_REGION_NAME"), "{}", d.detail);
    assert!(d.detail.contains("`endpoints.apig`, `endpoints.roma`"), "{}", d.detail);

    // Resources may pick either service, so overriding one is not enough.
    let cfg = minimal(&[(attr::REGION, Value::Null), (attr::ENDPOINTS, endpoints(&[("apig", s("https://x:1"))]))]);
    let d = one_error(&cfg, &env(&[]));
    assert!(d.detail.contains("missing: `endpoints.roma`."), "{}", d.detail);

    let both = endpoints(&[("apig", s("https://x:1")), ("roma", s("https://x:2"))]);
    let c = ok(&minimal(&[(attr::REGION, Value::Null), (attr::ENDPOINTS, both)]), &env(&[]));
    assert_eq!(c.client.region, None);
    assert_eq!(c.client.service_base_url(Service::Roma).unwrap(), "https://x:2");

    // The environment's region counts.
    let c = ok(&minimal(&[(attr::REGION, Value::Null)]), &env(&[(vars::REGION, "cn-east-3")]));
    assert_eq!(c.client.region.as_deref(), Some("cn-east-3"));
}

#[test]
fn password_authentication_without_region_also_needs_an_iam_endpoint() {
    let creds = [(attr::USER_NAME, s("u")), (attr::PASSWORD, s("p")), (attr::DOMAIN_NAME, s("d"))];
    let mut cfg = block(&creds);
    cfg.set(attr::PROJECT_ID, s(PID));
    let services = [("apig", s("http://127.0.0.1:8080")), ("roma", s("http://127.0.0.1:8080"))];
    cfg.set(attr::ENDPOINTS, endpoints(&services));
    let d = one_error(&cfg, &env(&[]));
    assert!(d.detail.contains("missing: `endpoints.iam` (or `auth_url`)."), "{}", d.detail);

    let mut with_iam = services.to_vec();
    with_iam.push(("iam", s("http://127.0.0.1:8080")));
    cfg.set(attr::ENDPOINTS, endpoints(&with_iam));
    assert_eq!(ok(&cfg, &env(&[])).client.auth_url().unwrap(), "http://127.0.0.1:8080/v3");

    cfg.set(attr::ENDPOINTS, endpoints(&services));
    let c = ok(&cfg, &env(&[(vars::AUTH_URL, "http://127.0.0.1:9/v3")]));
    assert_eq!(c.client.auth_url().unwrap(), "http://127.0.0.1:9/v3");
}

#[test]
fn project_id_is_required_and_must_be_path_safe() {
    let d = one_error(&minimal(&[(attr::PROJECT_ID, Value::Null)]), &env(&[]));
    assert_eq!(d.summary, "Missing project ID");
    assert!(d.detail.contains("HW_PROJECT_ID"));

    let d = one_error(&minimal(&[(attr::PROJECT_ID, s("abc/../def"))]), &env(&[]));
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::PROJECT_ID)));

    let d = one_error(&minimal(&[(attr::PROJECT_ID, Value::Null)]), &env(&[(vars::PROJECT_ID, "a b")]));
    assert_eq!(d.attribute, None);
    assert!(d.detail.contains("HW_PROJECT_ID"), "{}", d.detail);
}

#[test]
fn region_must_look_like_a_region() {
    let d = one_error(&minimal(&[(attr::REGION, s("CN North 4"))]), &env(&[]));
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::REGION)));
    let d = one_error(&minimal(&[(attr::REGION, Value::Null)]), &env(&[(vars::REGION, "cn.north")]));
    assert!(d.attribute.is_none() && d.detail.contains("HW_REGION_NAME"), "{d:?}");
}

#[test]
fn service_is_apig_or_roma() {
    let d = one_error(&minimal(&[(attr::SERVICE, s("apigw"))]), &env(&[]));
    assert_eq!(d.summary, "Invalid service");
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::SERVICE)));
    let d = one_error(&minimal(&[]), &env(&[(vars::SERVICE, "ROMA ")]));
    assert!(d.attribute.is_none() && d.detail.contains("HW_APIG_SERVICE"), "{d:?}");
    assert_eq!(ok(&minimal(&[]), &env(&[(vars::SERVICE, "roma")])).service, Service::Roma);
}

#[test]
fn endpoint_keys_are_restricted() {
    let cfg = minimal(&[(attr::ENDPOINTS, endpoints(&[("apgi", s("http://127.0.0.1:8080"))]))]);
    let d = one_error(&cfg, &env(&[]));
    assert_eq!(d.summary, "Unsupported endpoint");
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::ENDPOINTS).push_key("apgi")));
    assert!(d.detail.contains("\"apig\", \"roma\", \"iam\""), "{}", d.detail);
}

#[test]
fn endpoint_values_must_be_http_base_urls() {
    for bad in ["127.0.0.1:8080", "ftp://host", "http://", "https://h/x?y=1", "https://h/#f", "not a url"] {
        let cfg = minimal(&[(attr::ENDPOINTS, endpoints(&[("apig", s(bad))]))]);
        let d = one_error(&cfg, &env(&[]));
        assert_eq!(d.summary, "Invalid endpoint", "{bad}");
        assert_eq!(d.attribute, Some(AttributePath::attr(attr::ENDPOINTS).push_key("apig")), "{bad}");
    }
    let cfg = minimal(&[(attr::ENDPOINTS, endpoints(&[("iam", s("https://admin:hunter2@iam.test"))]))]);
    let d = one_error(&cfg, &env(&[]));
    assert!(!d.detail.contains("hunter2"), "{}", d.detail);
    let good = minimal(&[(
        attr::ENDPOINTS,
        endpoints(&[("apig", s("https://gw.internal:8443/prefix/")), ("roma", Value::Null)]),
    )]);
    let c = ok(&good, &env(&[]));
    assert_eq!(c.client.endpoints.apig.as_deref(), Some("https://gw.internal:8443/prefix"));
    assert_eq!(c.client.endpoints.roma, None);
}

#[test]
fn auth_url_must_be_an_http_url() {
    let d = one_error(&minimal(&[(attr::AUTH_URL, s("iam.example.com"))]), &env(&[]));
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::AUTH_URL)));
    let d = one_error(&minimal(&[]), &env(&[(vars::AUTH_URL, "ftp://iam")]));
    assert!(d.attribute.is_none() && d.detail.contains("HW_AUTH_URL"), "{d:?}");
}

#[test]
fn max_retries_is_a_whole_number_at_least_zero() {
    for bad in [Value::number(-1), Value::Number(crate::protocol::cty::Number::parse("1.5").unwrap())] {
        let d = one_error(&minimal(&[(attr::MAX_RETRIES, bad)]), &env(&[]));
        assert_eq!(d.attribute, Some(AttributePath::attr(attr::MAX_RETRIES)));
    }
    let d = one_error(&minimal(&[]), &env(&[(vars::MAX_RETRIES, "-2")]));
    assert!(d.attribute.is_none() && d.detail.contains("HW_MAX_RETRIES"), "{d:?}");
    assert_eq!(ok(&minimal(&[(attr::MAX_RETRIES, Value::number(0))]), &env(&[])).client.retry.max_retries, 0);
}

#[test]
fn insecure_from_the_environment_must_be_a_boolean() {
    let d = one_error(&minimal(&[]), &env(&[(vars::INSECURE, "yes please")]));
    assert!(d.detail.contains("HW_INSECURE"), "{}", d.detail);
    assert!(ok(&minimal(&[]), &env(&[(vars::INSECURE, "1")])).client.insecure);
}

#[test]
fn cloud_must_be_a_domain_name() {
    let d = one_error(&minimal(&[(attr::CLOUD, s("https://myhuaweicloud.com"))]), &env(&[]));
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::CLOUD)));
}

#[test]
fn several_problems_are_reported_together() {
    let cfg = block(&[(attr::SERVICE, s("x")), (attr::MAX_RETRIES, Value::number(-1))]);
    let summaries: Vec<String> = errors(&cfg, &env(&[])).into_iter().map(|d| d.summary).collect();
    for s in ["Invalid service", "Missing credentials", "Missing project ID", "Invalid max_retries"] {
        assert!(summaries.iter().any(|x| x == s), "{s} missing from {summaries:?}");
    }
}

#[test]
fn unknown_values_are_never_errors_and_never_parse() {
    // Every attribute unknown: nothing can be judged yet.
    let all_unknown =
        Value::object(provider_schema().block.attributes.iter().map(|a| (a.name.clone(), Value::Unknown)));
    let (parsed, d) = resolve(&all_unknown, &env(&[]), Stage::Configure);
    assert!(d.is_empty(), "{d:?}");
    assert!(parsed.is_none());

    // An unknown region, endpoints map or endpoint value defers the region rule.
    for cfg in [
        minimal(&[(attr::REGION, Value::Unknown)]),
        minimal(&[(attr::REGION, Value::Null), (attr::ENDPOINTS, Value::Unknown)]),
        minimal(&[(attr::REGION, Value::Null), (attr::ENDPOINTS, endpoints(&[("apig", Value::Unknown)]))]),
        minimal(&[(attr::PROJECT_ID, Value::Unknown)]),
        minimal(&[
            (attr::MAX_RETRIES, Value::Unknown),
            (attr::INSECURE, Value::Unknown),
            (attr::CLOUD, Value::Unknown),
        ]),
        minimal(&[(attr::AUTH_TOKEN, Value::Unknown)]),
    ] {
        let (parsed, d) = resolve(&cfg, &env(&[]), Stage::Configure);
        assert!(d.is_empty(), "{d:?}");
        assert!(parsed.is_none(), "a block with unknowns must not parse");
    }

    // Known problems are still reported next to unknowns.
    let cfg = minimal(&[(attr::REGION, Value::Unknown), (attr::SERVICE, s("nope"))]);
    assert_eq!(one_error(&cfg, &env(&[])).summary, "Invalid service");
}

#[test]
fn validate_judges_the_block_but_leaves_missing_values_to_configure() {
    // Nothing at all: `terraform validate` must pass without credentials; plan must not.
    let empty = block(&[]);
    let (_, d) = resolve(&empty, &env(&[]), Stage::Validate);
    assert!(d.is_empty(), "{d:?}");
    let (_, d) = resolve(&empty, &env(&[]), Stage::Configure);
    let summaries: Vec<&str> = d.iter().map(|x| x.summary.as_str()).collect();
    assert_eq!(summaries, ["Missing credentials", "Missing region", "Missing project ID"]);

    // Conflicts and malformed values are reported at validate, on their attributes.
    let bad = minimal(&[
        (attr::ACCESS_KEY, s("AK")),
        (attr::SERVICE, s("x")),
        (attr::ENDPOINTS, endpoints(&[("apgi", s("http://h"))])),
        (attr::MAX_RETRIES, Value::number(-1)),
        (attr::REGION, Value::Null),
        (attr::PROJECT_ID, Value::Null),
    ]);
    let (_, d) = resolve(&bad, &env(&[]), Stage::Validate);
    let paths: Vec<Option<AttributePath>> = d.iter().map(|x| x.attribute.clone()).collect();
    assert_eq!(
        paths,
        [
            Some(AttributePath::attr(attr::SERVICE)),
            Some(AttributePath::attr(attr::ENDPOINTS).push_key("apgi")),
            Some(AttributePath::attr(attr::ACCESS_KEY)),
            Some(AttributePath::attr(attr::MAX_RETRIES)),
        ],
        "{d:?}"
    );
}

#[test]
fn plain_http_beyond_loopback_is_refused_on_its_endpoint_key_unless_allowed() {
    let overrides = endpoints(&[
        ("apig", s("http://127.0.0.1:8080")),
        ("roma", s("http://gw.internal:8080")),
        ("iam", s("https://iam")),
    ]);
    for stage in [Stage::Validate, Stage::Configure] {
        let block = minimal(&[(attr::ENDPOINTS, overrides.clone()), (attr::AUTH_TOKEN, s("sekrit-XYZZY"))]);
        let (parsed, d) = resolve(&block, &env(&[]), stage);
        assert!(parsed.is_none(), "{stage:?}");
        let errs: Vec<&Diagnostic> = d.iter().collect();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].summary, "Endpoint would send credentials in clear");
        assert_eq!(errs[0].attribute, Some(AttributePath::attr(attr::ENDPOINTS).push_key("roma".to_string())));
        assert!(errs[0].detail.contains("allow_insecure_http = true"), "{}", errs[0].detail);
        assert!(!errs[0].detail.contains("XYZZY"), "no credential in the message: {}", errs[0].detail);
    }
    let allowed = minimal(&[(attr::ENDPOINTS, overrides), (attr::ALLOW_INSECURE_HTTP, Value::Bool(true))]);
    let c = ok(&allowed, &env(&[]));
    assert!(c.client.allow_insecure_http);
    assert!(c.client.validate().is_ok());

    let d = one_error(&minimal(&[(attr::AUTH_URL, s("http://iam.example.com/v3"))]), &env(&[]));
    assert_eq!(d.attribute, Some(AttributePath::attr(attr::AUTH_URL)));
    let d = one_error(&minimal(&[]), &env(&[(vars::AUTH_URL, "http://iam.example.com/v3")]));
    assert!(d.attribute.is_none() && d.summary.contains("auth_url"), "{d:?}");
}
