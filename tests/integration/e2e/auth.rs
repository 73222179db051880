//! The provider's other credential methods, end to end: AK/SK request signing and IAM password
//! authentication against the simulator, plus a wrong secret key failing with a clear error.

use crate::support::certs;
use crate::support::simulator::{PASSWORD, PROJECT_ID, Simulator, USER, USER_DOMAIN};
use crate::support::terraform::Terraform;

const ACCESS_KEY: &str = "E2EACCESSKEY0000";
const SECRET_KEY: &str = "e2e-secret-key-value-0123456789";

fn write_certificate(tf: &Terraform, provider: &str) {
    let c = certs::valid("api.example.com", &["api.example.com"]);
    tf.write("cert.pem", &c.cert_pem);
    tf.write("key.pem", &c.key_pem);
    tf.write_main(&format!(
        "{provider}\nresource \"apig_certificate\" \"x\" {{\n  name = \"api_example_com\"\n  content = file(\"cert.pem\")\n  \
         private_key_wo = file(\"key.pem\")\n  private_key_wo_version = 1\n}}\n"
    ));
}

fn aksk_provider(sim: &Simulator, secret: &str) -> String {
    format!(
        "provider \"apig\" {{\n  region = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  access_key = \"{ACCESS_KEY}\"\n  \
         secret_key = \"{secret}\"\n  endpoints = {{ apig = \"{0}\", roma = \"{0}\" }}\n}}\n",
        sim.base_url()
    )
}

/// Apply, re-plan with no changes, destroy; the simulator holds the certificate in between.
fn lifecycle(tf: &Terraform, sim: &Simulator) {
    tf.apply().expect_success();
    assert_eq!(sim.certificates("apigw").len(), 1, "{}", sim.state());
    tf.plan_detailed().expect_code(0);
    tf.destroy().expect_success();
    assert!(sim.certificates("apigw").is_empty(), "{}", sim.state());
}

#[test]
fn access_key_and_secret_key_sign_every_request() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY]);
    write_certificate(&tf, &aksk_provider(&sim, SECRET_KEY));
    lifecycle(&tf, &sim);
}

#[test]
fn a_wrong_secret_key_fails_with_a_clear_error_and_creates_nothing() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start_with(&["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY]);
    let wrong = "not-the-right-secret-key-000000";
    write_certificate(&tf, &aksk_provider(&sim, wrong));
    let apply = tf.apply();
    apply.expect_failure();
    let out = apply.combined();
    let lower = out.to_lowercase();
    assert!(
        lower.contains("signature") || lower.contains("secret_key") || lower.contains("authenticat"),
        "the error does not say that authentication failed\n{}",
        apply.dump()
    );
    assert!(!out.contains(wrong), "the secret key appears in the output\n{}", apply.dump());
    assert!(sim.certificates("apigw").is_empty(), "{}", sim.state());
}

#[test]
fn iam_password_authentication_gets_a_token_from_the_iam_endpoint() {
    let Some(tf) = Terraform::new() else { return };
    let sim = Simulator::start();
    let provider = format!(
        "provider \"apig\" {{\n  region = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  user_name = \"{USER}\"\n  \
         password = \"{PASSWORD}\"\n  domain_name = \"{USER_DOMAIN}\"\n  \
         endpoints = {{ apig = \"{0}\", roma = \"{0}\", iam = \"{0}\" }}\n}}\n",
        sim.base_url()
    );
    write_certificate(&tf, &provider);
    lifecycle(&tf, &sim);
    let log = sim.requests();
    let asked_iam = log["requests"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r["method"] == "POST" && r["path"] == "/v3/auth/tokens"));
    assert!(asked_iam, "no IAM token request in the simulator's log: {log}");
}
