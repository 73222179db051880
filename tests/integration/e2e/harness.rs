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
