//! End-to-end: the `apig` provider block through the real Terraform CLI and the simulator
//! (schema, validate, plan, each credential method reaching the API, plan-time errors on the
//! right attribute with no API request, logging without secrets).
//!
//! Terraform prunes a provider that nothing uses (it is then neither validated nor configured),
//! so every configuration here that exercises the block also declares an `apig_certificate`.

use crate::support::certs;
use crate::support::simulator::{self, Simulator};
use crate::support::terraform::{ADDRESS, LOGGER, Terraform, certificate_resource, provider_block, provider_block_at};
use serde_json::Value as Json;

/// Distinctive fake secrets: if any shows up in Terraform's output or logs, a secret leaked.
const TOKEN: &str = "tok-E2E-SENTINEL-7f3a9c0e";
const SECRET_KEY: &str = "sk-E2E-SENTINEL-51d2b8aa";
const ACCESS_KEY: &str = "AKE2ETEST0000000";

/// A working directory with one `apig_certificate` and the given provider block.
fn with_certificate(tf: &Terraform, provider: &str) {
    let cert = certs::valid("api.example.com", &["api.example.com"]);
    tf.write_main(&format!("{provider}\n{}", certificate_resource(tf, "api", &cert.cert_pem, &cert.key_pem)));
}

#[test]
fn providers_schema_shows_the_whole_provider_block() {
    let Some(tf) = Terraform::new() else { return };
    tf.write_main(&provider_block(&format!("  auth_token = {TOKEN:?}\n")));
    let schema = tf.providers_schema();
    let block = &schema["provider_schemas"][ADDRESS]["provider"]["block"];
    let attributes = block["attributes"].as_object().unwrap_or_else(|| panic!("no provider attributes: {schema:#}"));

    // name, type, sensitive
    let expected: [(&str, Json, bool); 16] = [
        ("region", "string".into(), false),
        ("project_id", "string".into(), false),
        ("service", "string".into(), false),
        ("auth_token", "string".into(), true),
        ("access_key", "string".into(), false),
        ("secret_key", "string".into(), true),
        ("security_token", "string".into(), true),
        ("user_name", "string".into(), false),
        ("password", "string".into(), true),
        ("domain_name", "string".into(), false),
        ("auth_url", "string".into(), false),
        ("cloud", "string".into(), false),
        ("endpoints", serde_json::json!(["map", "string"]), false),
        ("insecure", "bool".into(), false),
        ("allow_insecure_http", "bool".into(), false),
        ("max_retries", "number".into(), false),
    ];
    let mut names: Vec<&String> = attributes.keys().collect();
    names.sort();
    let mut expected_names: Vec<&str> = expected.iter().map(|(n, _, _)| *n).collect();
    expected_names.sort();
    assert_eq!(names, expected_names, "provider attributes");

    for (name, ty, sensitive) in expected {
        let a = &attributes[name];
        assert_eq!(a["type"], ty, "{name}: type");
        assert_eq!(a["optional"], Json::Bool(true), "{name}: optional");
        assert!(a.get("required").is_none_or(|r| r == false), "{name}: must not be required");
        assert!(a.get("computed").is_none_or(|c| c == false), "{name}: must not be computed");
        assert_eq!(a.get("sensitive").and_then(Json::as_bool).unwrap_or(false), sensitive, "{name}: sensitive");
        let description = a["description"].as_str().unwrap_or_default();
        assert!(!description.trim().is_empty(), "{name}: description is empty");
        // These two deliberately have no environment variable.
        if name != "endpoints" && name != "allow_insecure_http" {
            assert!(description.contains("HW_"), "{name}: description must name its HW_* variable: {description}");
        }
    }
    assert!(!block["description"].as_str().unwrap_or_default().is_empty(), "the block has a description");
}

#[test]
fn validate_checks_the_block_but_needs_no_credentials() {
    let Some(tf) = Terraform::new() else { return };
    // Credentials left to the environment at plan time: `terraform validate` in CI must pass.
    with_certificate(&tf, &provider_block(""));
    tf.validate().expect_success().expect_contains("The configuration is valid");
    // ... while a mistake inside the block is caught by validate already.
    with_certificate(&tf, &provider_block(&format!("  auth_token = {TOKEN:?}\n  access_key = {ACCESS_KEY:?}\n")));
    tf.validate().expect_code(1).expect_contains("Conflicting credentials");
}

#[test]
fn validate_accepts_credentials_from_variables_without_values() {
    // In `terraform validate` variables are unknown: unknown credentials are never an error.
    let Some(tf) = Terraform::new() else { return };
    let provider = provider_block("  auth_token = var.token\n  access_key = var.access_key\n");
    with_certificate(
        &tf,
        &format!(
            "variable \"token\" {{\n  type = string\n}}\nvariable \"access_key\" {{\n  type = string\n}}\n{provider}"
        ),
    );
    tf.validate().expect_success();
}

#[test]
fn plan_succeeds_with_a_valid_provider_block() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--token", TOKEN]);
    with_certificate(&tf, &provider_block_at(&sim.base_url(), &format!("  auth_token = {TOKEN:?}\n")));
    let out = tf.plan_detailed();
    out.expect_code(2).expect_contains("apig_certificate.api will be created");
    assert!(!out.combined().contains(TOKEN), "the token leaked into plan output\n{}", out.dump());
}

#[test]
fn access_keys_from_the_environment_sign_real_requests() {
    let Some(mut tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY]);
    tf.set_env("HW_ACCESS_KEY", ACCESS_KEY).set_env("HW_SECRET_KEY", SECRET_KEY);
    tf.set_env("HW_PROJECT_ID", simulator::PROJECT_ID);
    // No region, no project and no credentials in the block: the environment supplies them, and
    // with both service endpoints overridden no region is needed.
    let base = sim.base_url();
    with_certificate(&tf, &format!("provider \"apig\" {{\n  endpoints = {{ apig = {base:?}, roma = {base:?} }}\n}}\n"));
    let out = tf.apply();
    out.expect_success();
    assert!(!out.combined().contains(SECRET_KEY), "the secret key leaked\n{}", out.dump());
    assert_eq!(sim.certificates("apigw").len(), 1, "the signed create reached the simulator");
    tf.destroy().expect_success();
    assert!(sim.certificates("apigw").is_empty());
}

#[test]
fn user_name_and_password_get_an_iam_token() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--user", &format!("e2e-user:{SECRET_KEY}:e2e-domain")]);
    let base = sim.base_url();
    let provider = format!(
        "provider \"apig\" {{\n  project_id  = {:?}\n  user_name   = \"e2e-user\"\n  password    = {SECRET_KEY:?}\n  \
         domain_name = \"e2e-domain\"\n  endpoints   = {{ apig = {base:?}, roma = {base:?}, iam = {base:?} }}\n}}\n",
        simulator::PROJECT_ID
    );
    with_certificate(&tf, &provider);
    let out = tf.apply();
    out.expect_success();
    assert!(!out.combined().contains(SECRET_KEY), "the password leaked\n{}", out.dump());
    assert_eq!(sim.certificates("apigw").len(), 1);
    let paths: Vec<String> = sim.requests()["requests"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["path"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    assert!(paths.iter().any(|p| p == "/v3/auth/tokens"), "no IAM token request: {paths:?}");
}

#[test]
fn plan_rejects_conflicting_credentials_on_the_attribute_without_calling_the_api() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--token", TOKEN]);
    let creds = format!("  auth_token = {TOKEN:?}\n  access_key = {ACCESS_KEY:?}\n  secret_key = {SECRET_KEY:?}\n");
    with_certificate(&tf, &provider_block_at(&sim.base_url(), &creds));
    let out = tf.plan();
    out.expect_code(1).expect_contains("Conflicting credentials");
    // Terraform points at the offending attribute: the diagnostic's source line is the
    // `access_key` line of the provider block.
    let text = out.combined();
    let diagnostic = text
        .split("Error: Conflicting credentials")
        .nth(1)
        .unwrap_or_else(|| panic!("no conflict diagnostic\n{}", out.dump()));
    assert!(diagnostic.contains("in provider \"apig\""), "diagnostic is not tied to the block\n{}", out.dump());
    let source_line =
        diagnostic.lines().find(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.contains(": "));
    assert!(
        source_line.is_some_and(|l| l.contains("access_key")),
        "the diagnostic must point at `access_key`, got {source_line:?}\n{}",
        out.dump()
    );
    assert!(diagnostic.contains("Remove `access_key`"), "the detail must say what to remove\n{}", out.dump());
    for secret in [TOKEN, SECRET_KEY] {
        assert!(!text.contains(secret), "a secret leaked into the error output\n{}", out.dump());
    }
    assert_eq!(sim.request_count(), 0, "an invalid provider block must not reach the API");
}

#[test]
fn plan_refuses_a_plain_http_endpoint_beyond_loopback_on_its_key_unless_allowed() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--token", TOKEN]);
    // A documentation address (TEST-NET-1): nothing is ever sent there.
    let provider = format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{pid}\"\n  auth_token = {TOKEN:?}\n  \
         endpoints  = {{ apig = \"{base}\", roma = \"http://192.0.2.10:8080\" }}\n}}\n",
        base = sim.base_url(),
        pid = simulator::PROJECT_ID
    );
    with_certificate(&tf, &provider);
    let out = tf.plan();
    out.expect_code(1).expect_contains("Endpoint would send credentials in clear");
    let text = out.combined();
    assert!(text.contains("allow_insecure_http = true"), "says how to opt in\n{}", out.dump());
    assert!(text.contains("endpoints[\"roma\"]"), "names the key\n{}", out.dump());
    assert!(!text.contains(TOKEN), "no secret in the output\n{}", out.dump());
    assert_eq!(sim.request_count(), 0, "refused before any API call");

    // Opting in is explicit and then plans (nothing reaches the non-loopback address at plan).
    with_certificate(&tf, &provider.replace("  auth_token", "  allow_insecure_http = true\n  auth_token"));
    tf.plan().expect_success();
}

#[test]
fn plan_rejects_missing_credentials_with_a_helpful_message() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start();
    with_certificate(&tf, &provider_block_at(&sim.base_url(), ""));
    tf.plan()
        .expect_code(1)
        .expect_contains("Missing credentials")
        .expect_contains("HW_AUTH_TOKEN")
        .expect_contains("`access_key` + `secret_key`")
        .expect_contains("in provider \"apig\"");
    assert_eq!(sim.request_count(), 0, "an incomplete provider block must not reach the API");
}

#[test]
fn trace_log_is_relevelled_graceful_and_free_of_secrets() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--token", TOKEN]);
    with_certificate(&tf, &provider_block_at(&sim.base_url(), &format!("  auth_token = {TOKEN:?}\n")));
    // An apply, so that the log covers configuration, planning and real API calls.
    let out = tf.run_with_env(&["apply", "-no-color", "-input=false", "-auto-approve"], &[("TF_LOG", "trace")]);
    out.expect_success();
    assert_eq!(sim.certificates("apigw").len(), 1);
    let log = out.combined();
    let provider_lines: Vec<&str> = log.lines().filter(|l| l.contains(LOGGER)).collect();
    assert!(!provider_lines.is_empty(), "no log line from the provider\n{}", out.dump());
    // Terraform parsed the provider's JSON lines (none passes through raw) and kept their own
    // level: the provider logs its configuration at INFO, a level an unparsed line never gets.
    assert!(
        !provider_lines.iter().any(|l| l.contains("{\"@level\"") || l.contains("\"@message\"")),
        "raw JSON log lines reached Terraform's log unparsed:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        provider_lines.iter().any(|l| l.contains("[INFO]") && l.contains("provider configured")),
        "the provider's INFO line was not re-levelled:\n{}",
        provider_lines.join("\n")
    );
    assert!(!log.contains("plugin failed to exit gracefully"), "the provider did not exit on Shutdown");
    assert!(!log.contains(TOKEN), "the token appears in the trace output");
}
