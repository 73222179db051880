//! The end-to-end harness itself: Terraform runs in an isolated directory, sees the built
//! provider through `dev_overrides`, and gets none of the caller's `HW_*` / `TF_*` variables.

use crate::support::terraform::{ADDRESS, Terraform, provider_binary};

#[test]
fn terraform_runs_with_the_dev_override_cli_configuration() {
    let Some(tf) = Terraform::new() else { return };
    let version = tf.run(&["version", "-json"]);
    version.expect_success();
    let v: serde_json::Value = serde_json::from_str(&version.stdout).expect("version JSON");
    assert!(v["terraform_version"].as_str().is_some_and(|s| !s.is_empty()), "{v}");

    // The generated terraform.tf requires the provider under its source address.
    let providers = tf.run(&["providers", "-no-color"]);
    providers.expect_success().expect_contains(&format!("provider[{ADDRESS}]"));

    // The CLI configuration points dev_overrides at the directory of the binary Cargo built.
    let rc = std::fs::read_to_string(tf.dir().join("../terraform.rc")).expect("CLI config");
    let bin_dir = provider_binary().parent().expect("dir").display().to_string();
    assert!(rc.contains("dev_overrides") && rc.contains(&bin_dir), "{rc}");
}

#[test]
fn the_callers_environment_does_not_leak_into_terraform() {
    // The variable must be in this process's environment before any thread starts, so the check
    // runs in a child test process (setting it here would race with other tests' threads).
    let child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "e2e::harness::terraform_ignores_a_tf_var_of_the_caller", "--ignored", "--nocapture"])
        .env("TF_VAR_leak", "leaked-from-caller")
        .output()
        .expect("run the child test");
    let out = format!("{}{}", String::from_utf8_lossy(&child.stdout), String::from_utf8_lossy(&child.stderr));
    assert!(child.status.success() && out.contains("1 passed"), "{out}");
}

#[test]
#[ignore = "run in a child process by the_callers_environment_does_not_leak_into_terraform"]
fn terraform_ignores_a_tf_var_of_the_caller() {
    assert_eq!(std::env::var("TF_VAR_leak").as_deref(), Ok("leaked-from-caller"), "run me through the outer test");
    let Some(mut tf) = Terraform::new() else { return };
    // A `TF_VAR_*` in the caller's environment would set the variable; the harness clears the
    // child environment, so only what a test sets is seen. No provider is needed for this.
    std::fs::remove_file(tf.dir().join("terraform.tf")).expect("remove terraform.tf");
    tf.write_main("variable \"leak\" {\n  type    = string\n  default = \"isolated\"\n}\n");
    tf.write("out.tf", "output \"leak\" {\n  value = var.leak\n}\n");
    let plan = tf.run(&["plan", "-no-color", "-input=false"]);
    plan.expect_success().expect_contains("\"isolated\"");

    tf.set_env("TF_VAR_leak", "set-by-the-test");
    tf.run(&["plan", "-no-color", "-input=false"]).expect_success().expect_contains("\"set-by-the-test\"");
}

/// Each version of the matrix behaves like the real CLI through the harness: it reports its
/// version on stdout, exits 1 with the error on stderr, honours `-detailed-exitcode` (0 without
/// changes, 2 with), reads `TF_CLI_CONFIG_FILE` (the dev override is in effect) and the
/// environment a test sets (`TF_VAR_*`), and validates a configuration of this provider.
fn behaves_like_the_cli(version: &str) {
    let Some(mut tf) = Terraform::with_version(version) else { return };
    assert_eq!(tf.version(), version, "{}", tf.binary().display());
    let human = tf.run(&["version"]);
    human.expect_success();
    assert!(human.stdout.starts_with(&format!("Terraform v{version}")), "{}", human.dump());

    let unknown = tf.run(&["no-such-command"]);
    unknown.expect_code(1);
    assert!(unknown.stderr.contains("no-such-command") && unknown.stdout.is_empty(), "{}", unknown.dump());

    tf.write("vars.tf", "variable \"greeting\" {\n  type    = string\n  default = \"none\"\n}\n");
    tf.write_main("output \"greeting\" {\n  value = var.greeting\n}\n");
    tf.plan_detailed().expect_code(2).expect_contains("\"none\"");
    tf.apply().expect_success();
    tf.plan_detailed().expect_code(0);
    tf.set_env("TF_VAR_greeting", "from-the-environment");
    tf.plan_detailed().expect_code(2).expect_contains("\"from-the-environment\"");

    // The provider comes from the dev override of the harness's TF_CLI_CONFIG_FILE.
    std::fs::remove_file(tf.dir().join("vars.tf")).expect("remove vars.tf");
    tf.write_main("provider \"apig\" {\n  region = \"cn-north-4\"\n}\n");
    let validate = tf.validate();
    validate.expect_success().expect_contains("Provider development overrides are in effect");
    tf.write_main("resource \"apig_certificate\" \"x\" {\n  no_such_argument = 1\n}\n");
    let invalid = tf.validate();
    invalid.expect_code(1).expect_contains("no_such_argument");
}

#[test]
fn terraform_1_0_3_behaves_like_the_cli() {
    behaves_like_the_cli("1.0.3");
}

#[test]
fn terraform_1_12_2_behaves_like_the_cli() {
    behaves_like_the_cli("1.12.2");
}

#[test]
fn terraform_1_14_9_behaves_like_the_cli() {
    behaves_like_the_cli("1.14.9");
}

#[test]
fn terraform_1_15_5_behaves_like_the_cli() {
    behaves_like_the_cli("1.15.5");
}

/// A version that is not installed is skipped with the command that installs it, and fails the
/// test when `APIG_REQUIRE_TERRAFORM=1` (as in CI). Checked in child test processes, whose
/// environment points at an empty versions folder.
#[test]
fn a_missing_version_skips_locally_and_fails_when_required() {
    let empty = tempfile::tempdir().expect("temp dir");
    let run = |required: bool| {
        let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"));
        child
            .args(["--exact", "e2e::harness::a_missing_version_is_reported", "--ignored", "--nocapture"])
            .env("APIG_TERRAFORM_VERSIONS_DIR", empty.path())
            .env_remove("APIG_TERRAFORM")
            .env_remove("APIG_TERRAFORM_VERSION");
        if required {
            child.env("APIG_REQUIRE_TERRAFORM", "1");
        } else {
            child.env_remove("APIG_REQUIRE_TERRAFORM");
        }
        let out = child.output().expect("run the child test");
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    };
    let (passed, out) = run(false);
    assert!(passed && out.contains("1 passed"), "{out}");
    let expected = format!(
        "SKIPPED: terraform 1.15.5 not installed in {} (run scripts/terraform-versions.sh 1.15.5)",
        empty.path().display()
    );
    assert!(out.contains(&expected), "{out}");

    let (passed, out) = run(true);
    assert!(!passed && out.contains("1 failed"), "{out}");
    assert!(
        out.contains("terraform 1.15.5 not installed") && out.contains("APIG_REQUIRE_TERRAFORM=1 requires"),
        "{out}"
    );
}

#[test]
#[ignore = "run in a child process by a_missing_version_skips_locally_and_fails_when_required"]
fn a_missing_version_is_reported() {
    assert!(Terraform::with_version("1.15.5").is_none());
}
