//! The examples and modules as users get them. Every directory under `examples/` and `modules/`
//! that holds `.tf` or `.tfquery.hcl` files (found by walking the trees, so a new example is
//! checked without touching this file) is formatted (`terraform fmt -check`) and valid
//! (`terraform validate` against the built provider, without warnings). `make demo`'s example is
//! given every input it requires by `scripts/demo.sh`. The https-domain example, which calls
//! `modules/https-domain`, is applied against the simulator: outputs right, re-plan empty, key
//! never in state, destroy leaves no certificate. The module's own input checks stop mistakes at
//! plan, before any API call. The list-resource examples find what the simulator holds.
//!
//! Some examples need a newer Terraform than the oldest one tested: `import-by-identity.tf`
//! (`import { identity = … }`) needs 1.12, which 1.11.4 rejects ("Unsupported argument"), so
//! older versions validate the directory without it; `.tfquery.hcl` files need 1.14, whose
//! `terraform validate -query` checks them against the list resources' schemas (1.11.4 ignores
//! them, in `fmt` too).
//!
//! Directories are checked in copies of the trees, so relative module sources resolve as in the
//! repository and no `.terraform` or state file is ever written into it.
//!
//! Terraform 1.11.4 with `dev_overrides` still asks the registry for the overridden provider
//! during `terraform init` (and fails offline: "Skip terraform init when using provider
//! development overrides"), so configurations that call modules are prepared with
//! `terraform get`, the module-installing part of init, which is all `validate` needs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::certs::{self, TestCert};
use crate::support::simulator::{GROUP_ID, INSTANCE_ID, PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{Output, SOURCE, Terraform};

/// The trees whose configurations are checked, relative to the repository.
const TREES: [&str; 2] = ["examples", "modules"];

/// Directories the walk must find: a broken walk must not pass by checking nothing.
const KNOWN: [&str; 5] = [
    "examples/quickstart",
    "examples/https-domain",
    "examples/resources/apig_certificate",
    "examples/list-resources/apig_certificate",
    "modules/https-domain",
];

/// The example of `import { identity = … }`: left out of its directory's validation on
/// Terraform older than [`IDENTITY_SINCE`].
const IMPORT_BY_IDENTITY: &str = "import-by-identity.tf";

/// `import { identity = … }`: Terraform 1.12.
const IDENTITY_SINCE: (u64, u64) = (1, 12);

/// `list` blocks in `.tfquery.hcl` files and `terraform query`: Terraform 1.14.
const QUERY_SINCE: (u64, u64) = (1, 14);

/// Where the trees are copied inside a harness's temporary root.
const COPY: &str = "repo";

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Left out of copies and walks: Terraform's own files a developer may have left behind.
fn is_local_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with(".tfstate")
        || name.ends_with(".tfstate.backup")
        || name.ends_with(".tfplan")
}

fn is_tf_file(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "tf")
}

fn is_query_file(path: &Path) -> bool {
    path.is_file() && path.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".tfquery.hcl"))
}

/// Every directory under [`TREES`] that directly holds a `.tf` or `.tfquery.hcl` file, relative to
/// the repository, sorted.
fn configuration_dirs() -> Vec<PathBuf> {
    fn walk(root: &Path, relative: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(root.join(relative)) else { return };
        let mut has_tf = false;
        for entry in entries {
            let entry = entry.expect("read directory entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_local_leftover(&name) {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(root, &relative.join(&name), found);
            } else if is_tf_file(&path) || is_query_file(&path) {
                has_tf = true;
            }
        }
        if has_tf {
            found.push(relative.to_path_buf());
        }
    }
    let root = repository();
    let mut found = Vec::new();
    for tree in TREES {
        walk(&root, Path::new(tree), &mut found);
    }
    found.sort();
    let missing: Vec<&str> = KNOWN.iter().copied().filter(|k| !found.iter().any(|d| d == Path::new(k))).collect();
    assert!(missing.is_empty(), "the walk of {TREES:?} missed {missing:?}; it found {found:?}");
    found
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("read directory entry");
        let name = entry.file_name();
        if is_local_leftover(&name.to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// Copies [`TREES`] into `<tf root>/repo` and returns that copy's root.
fn copy_trees(tf: &Terraform) -> PathBuf {
    let copy = tf.root().join(COPY);
    for tree in TREES {
        copy_dir(&repository().join(tree), &copy.join(tree));
    }
    copy
}

/// The text of a directory's `.tf` files (not of its subdirectories).
fn tf_text(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| is_tf_file(p))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).expect("read .tf file")).collect::<Vec<_>>().join("\n")
}

fn calls_modules(text: &str) -> bool {
    Regex::new(r#"(?m)^\s*module\s+"[^"]+"\s*\{"#).expect("pattern").is_match(text)
}

/// Runs `terraform get` in `dir` when its configuration calls modules (see the module docs).
fn install_modules(tf: &Terraform, dir: &Path) -> Option<Output> {
    if !calls_modules(&tf_text(dir)) {
        return None;
    }
    Some(tf.run_in(dir, &["get", "-no-color"], &[]))
}

#[test]
fn every_example_and_module_is_formatted() {
    let dirs = configuration_dirs();
    let Some(tf) = Terraform::new() else { return };
    let copy = copy_trees(&tf);
    let mut failures = Vec::new();
    for dir in &dirs {
        let out = tf.run_in(&copy.join(dir), &["fmt", "-check", "-recursive", "-diff", "-no-color"], &[]);
        if !out.success() {
            failures.push(format!(
                "{}: `terraform fmt` would change it (run `terraform fmt -recursive`)\n{}",
                dir.display(),
                out.dump()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_example_and_module_is_valid() {
    let dirs = configuration_dirs();
    let Some(probe) = Terraform::new() else { return };
    let (identity, query) =
        (probe.at_least(IDENTITY_SINCE.0, IDENTITY_SINCE.1), probe.at_least(QUERY_SINCE.0, QUERY_SINCE.1));
    let mut failures = Vec::new();
    let mut left_out = Vec::new();
    for dir in &dirs {
        // One harness each: its data dir holds that directory's installed modules.
        let Some(tf) = Terraform::new() else { return };
        let copy = copy_trees(&tf).join(dir);
        if !identity && copy.join(IMPORT_BY_IDENTITY).exists() {
            std::fs::remove_file(copy.join(IMPORT_BY_IDENTITY)).expect("remove the identity example");
            left_out.push(dir.join(IMPORT_BY_IDENTITY));
        }
        // A snippet written for the docs (a bare resource block) leaves the source implied,
        // which Terraform would take for `hashicorp/apig`; name ours, as a user's root module does.
        if !tf_text(&copy).contains("required_providers") {
            std::fs::write(
                copy.join("zz_test_required_providers.tf"),
                format!("terraform {{\n  required_providers {{\n    apig = {{ source = {SOURCE:?} }}\n  }}\n}}\n"),
            )
            .expect("write required_providers");
        }
        if let Some(out) = install_modules(&tf, &copy).filter(|out| !out.success()) {
            failures.push(format!("{}: `terraform get` failed\n{}", dir.display(), out.dump()));
            continue;
        }
        let mut args = vec!["validate", "-json", "-no-color"];
        if query {
            args.push("-query");
        }
        let out = tf.run_in(&copy, &args, &[]);
        let report: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
        // Any diagnostic but the one dev_overrides always adds makes the directory unclean.
        let others: Vec<&Value> = report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["summary"] != "Provider development overrides are in effect")
            .collect();
        let clean = report["valid"] == true && others.is_empty();
        if !out.success() || !clean {
            failures.push(format!("{}: `terraform validate` is not clean\n{}", dir.display(), out.dump()));
        }
    }
    if !left_out.is_empty() {
        eprintln!(
            "NOTE: validated without {} (import by identity needs Terraform {}.{}; run with APIG_TERRAFORM_VERSION=1.15.5 to check them)",
            left_out.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            IDENTITY_SINCE.0,
            IDENTITY_SINCE.1
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `validate -query` really checks the list blocks: a config argument the list resource lacks
/// fails it, so the clean result above is not vacuous.
#[test]
fn validate_checks_the_list_blocks_of_a_query_file() {
    let Some(tf) = Terraform::new() else { return };
    if !tf.at_least(QUERY_SINCE.0, QUERY_SINCE.1) {
        eprintln!("NOTE: terraform {} has no `terraform query`; nothing to check", tf.version());
        return;
    }
    tf.write(
        "broken.tfquery.hcl",
        &format!(
            "list \"apig_certificate\" \"x\" {{\n  provider = apig\n  config {{\n    instance_id = \"{INSTANCE_ID}\"\n    \
             colour      = \"blue\"\n  }}\n}}\n"
        ),
    );
    let out = tf.run(&["validate", "-query", "-no-color"]);
    out.expect_failure().expect_contains("An argument named \"colour\" is not expected here");
}

/// `make demo` (scripts/demo.sh) applies one example with `TF_VAR_*` inputs: that example is one
/// of the checked directories, the demo sets every variable it requires, and nothing it does
/// not declare. (The demo itself is not run here: `make demo` is.)
#[test]
fn the_demo_gives_its_example_every_input_it_requires() {
    let script = std::fs::read_to_string(repository().join("scripts/demo.sh")).expect("read scripts/demo.sh");
    let example = Regex::new(r#"\$root/(examples/[A-Za-z0-9_-]+)"#)
        .expect("pattern")
        .captures(&script)
        .map(|c| c[1].to_string())
        .expect("scripts/demo.sh copies an example from $root/examples/");
    assert!(
        configuration_dirs().iter().any(|d| d == Path::new(&example)),
        "the demo's {example} is not a checked configuration directory"
    );
    let given: BTreeSet<String> = Regex::new(r"TF_VAR_([A-Za-z0-9_]+)=")
        .expect("pattern")
        .captures_iter(&script)
        .map(|c| c[1].to_string())
        .collect();
    assert!(!given.is_empty(), "scripts/demo.sh sets no TF_VAR_ inputs");

    let Some(tf) = Terraform::new() else { return };
    let copy = copy_trees(&tf).join(&example);
    let declared: BTreeSet<String> = Regex::new(r#"(?m)^\s*variable\s+"([^"]+)""#)
        .expect("pattern")
        .captures_iter(&tf_text(&copy))
        .map(|c| c[1].to_string())
        .collect();
    let undeclared: Vec<&String> = given.difference(&declared).collect();
    assert!(undeclared.is_empty(), "scripts/demo.sh sets {undeclared:?}, which {example} does not declare");

    // Terraform itself says which inputs are required: with none given, plan names them all
    // before it configures the provider.
    let out = tf.run_in(&copy, &["plan", "-input=false", "-no-color"], &[]);
    out.expect_failure();
    let required: BTreeSet<String> = Regex::new(r#"The root module input variable "([^"]+)" is not set"#)
        .expect("pattern")
        .captures_iter(&out.combined().split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|c| c[1].to_string())
        .collect();
    assert!(!required.is_empty(), "plan without inputs did not name the required variables\n{}", out.dump());
    let missing: Vec<&String> = required.difference(&given).collect();
    assert!(missing.is_empty(), "scripts/demo.sh does not set the required {missing:?} of {example}");
}

fn provider_block(sim: &Simulator) -> String {
    format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{url}\", roma = \"{url}\" }}\n  max_retries = 0\n}}\n",
        url = sim.base_url()
    )
}

/// `(url_domain, instance_id)` of every domain of the simulator's APIG that holds `certificate_id`, sorted.
fn bound(sim: &Simulator, certificate_id: &str) -> Vec<(String, String)> {
    let state = sim.state();
    let mut out = Vec::new();
    for project in state["apigw"]["projects"].as_array().into_iter().flatten() {
        for instance in project["instances"].as_array().into_iter().flatten() {
            for group in instance["groups"].as_array().into_iter().flatten() {
                for domain in group["domains"].as_array().into_iter().flatten() {
                    if domain["certificates"].as_object().is_some_and(|m| m.values().any(|v| v == certificate_id)) {
                        out.push((
                            domain["url_domain"].as_str().unwrap_or_default().to_string(),
                            instance["id"].as_str().unwrap_or_default().to_string(),
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// A distinctive line of a key's base64 body.
fn key_marker(key_pem: &str) -> String {
    let body: Vec<&str> = key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 40).collect();
    body[body.len() / 2].to_string()
}

/// A certificate for both domains of the example, expiring at a known second.
fn example_certificate(days: i64) -> (TestCert, String) {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).expect("whole second");
    let not_after = now + time::Duration::days(days);
    let cert = certs::builder("api.example.com")
        .sans(&["api.example.com", "www.example.com"])
        .validity(now - time::Duration::days(1), not_after)
        .build();
    (cert, not_after.format(&Rfc3339).expect("RFC 3339"))
}

#[test]
fn https_domain_example_applies_against_the_simulator() {
    let sim = Simulator::start();
    let Some(mut tf) = Terraform::new() else { return };
    let example = copy_trees(&tf).join("examples/https-domain");
    let (cert, not_after) = example_certificate(200);
    let cert_file = tf.root().join("api.crt");
    let key_file = tf.root().join("api.key");
    std::fs::write(&cert_file, &cert.cert_pem).expect("write certificate");
    std::fs::write(&key_file, &cert.key_pem).expect("write key");
    tf.set_env("TF_VAR_apig_endpoint", &sim.base_url())
        .set_env("TF_VAR_auth_token", TOKEN)
        .set_env("TF_VAR_certificate_file", &cert_file.display().to_string())
        .set_env("TF_VAR_private_key_file", &key_file.display().to_string());
    let run = |args: &[&str]| tf.run_in(&example, args, &[]);

    install_modules(&tf, &example).expect("the example calls the module").expect_success();
    let applied = run(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    applied.expect_success().expect_contains("2 added, 0 changed, 0 destroyed");

    // One global certificate, bound to api.example.com on the named gateway and to
    // www.example.com on every gateway (the fixture has one).
    let certificates = sim.certificates("apigw");
    assert_eq!(certificates.len(), 1, "{certificates:?}");
    let id = certificates[0]["id"].as_str().expect("certificate id").to_string();
    assert_eq!(certificates[0]["name"], "api_example_com");
    assert_eq!(certificates[0]["type"], "global");
    let expected_bindings = vec![
        ("api.example.com".to_string(), INSTANCE_ID.to_string()),
        ("www.example.com".to_string(), INSTANCE_ID.to_string()),
    ];
    assert_eq!(bound(&sim, &id), expected_bindings);

    let out = run(&["output", "-json", "-no-color"]);
    out.expect_success();
    let outputs: Value = serde_json::from_str(&out.stdout).expect("output -json");
    assert_eq!(outputs["certificate_id"]["value"], id.as_str());
    assert_eq!(outputs["not_after"]["value"], not_after.as_str());
    assert_eq!(outputs["domains"]["value"], json!(["api.example.com", "www.example.com"]));

    // Nothing to change, and the write-only key is in neither the state nor a plan.
    let replan = run(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    replan.expect_code(0);
    let state = std::fs::read_to_string(example.join("terraform.tfstate")).expect("state file");
    let marker = key_marker(&cert.key_pem);
    assert!(!state.contains(&marker), "the private key is in the state");
    assert!(
        !replan.combined().contains(&marker) && !applied.combined().contains(&marker),
        "the private key was printed"
    );

    run(&["destroy", "-no-color", "-input=false", "-auto-approve"]).expect_success();
    assert_eq!(sim.certificates("apigw"), Vec::<Value>::new());
    assert_eq!(bound(&sim, &id), Vec::<(String, String)>::new());
}

/// A root module calling the module once per mistake, each with a valid certificate and key.
fn module_call(label: &str, certificate_pem: &str, domains: &str, extra: &str) -> String {
    format!(
        "module {label:?} {{\n  source          = \"./modules/https-domain\"\n  name            = \"{label}_cert\"\n  \
         certificate_pem = {certificate_pem}\n  private_key     = file(\"api.key\")\n  domains         = {domains}\n{extra}}}\n"
    )
}

#[test]
fn https_domain_module_stops_mistakes_at_plan_and_warns_before_expiry() {
    let sim = Simulator::start();
    let Some(tf) = Terraform::new() else { return };
    copy_dir(&repository().join("modules/https-domain"), &tf.dir().join("modules/https-domain"));
    tf.write("provider.tf", &provider_block(&sim));
    let (cert, _) = example_certificate(200);
    tf.write("api.crt", &cert.cert_pem);
    tf.write("api.key", &cert.key_pem);

    let pem = "file(\"api.crt\")";
    let one_domain = "{ \"api.example.com\" = {} }";
    let plan_fails_with = |calls: &[String], messages: &[&str]| {
        tf.write_main(&calls.concat());
        tf.run(&["get", "-no-color"]).expect_success();
        let out = tf.plan();
        out.expect_failure();
        for message in messages {
            out.expect_contains(message);
        }
        assert!(!out.combined().contains(&key_marker(&cert.key_pem)), "the private key was printed\n{}", out.dump());
        out
    };

    // Mistakes in one input each, all reported by one plan.
    plan_fails_with(
        &[
            module_call("file_name", "\"api.crt\"", one_domain, ""),
            module_call("no_domains", pem, "{}", ""),
            module_call("bad_domain", pem, "{ \"api..example.com\" = {} }", ""),
            module_call("bad_gateway", pem, "{ \"api.example.com\" = { instance_ids = [\"gw-1\"] } }", ""),
            module_call("zero_version", pem, one_domain, "  private_key_version = 0\n"),
        ],
        &[
            "certificate_pem must hold the PEM text itself",
            "domains must name at least one domain",
            "Every key of domains must be a domain name",
            "Every instance_ids entry must be a gateway ID",
            "private_key_version must be a whole number of at least 1",
        ],
    );
    // Inputs that contradict each other (Terraform checks these after the single-input rules).
    plan_fails_with(
        &[
            module_call(
                "verified_without_ca",
                pem,
                "{ \"api.example.com\" = { verified_client_certificate_enabled = true } }",
                "",
            ),
            module_call("ca_without_gateway", pem, one_domain, "  trusted_root_ca = file(\"api.crt\")\n"),
        ],
        &[
            "verified_client_certificate_enabled = true needs a certificate with a trusted root CA",
            "trusted_root_ca is accepted only for instance certificates",
        ],
    );
    // A PEM that does not parse is reported once, by the provider on the certificate's content;
    // the expiry check stays quiet rather than adding an error of its own.
    let broken = plan_fails_with(
        &[module_call(
            "broken_pem",
            "\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"",
            one_domain,
            "",
        )],
        &["Invalid certificate", "apig_certificate.this"],
    );
    assert!(!broken.combined().contains("certificate_expiry"), "the expiry check failed too\n{}", broken.dump());
    assert_eq!(sim.request_count(), 0, "a mistake must be caught before any API call");

    // A certificate expiring within the warning period plans, with a warning that says when.
    let (soon, soon_not_after) = example_certificate(10);
    tf.write("api.crt", &soon.cert_pem);
    tf.write("api.key", &soon.key_pem);
    tf.write_main(&module_call("soon", pem, one_domain, ""));
    tf.run(&["get", "-no-color"]).expect_success();
    let out = tf.plan_detailed();
    out.expect_code(2).expect_contains("Check block assertion failed");
    out.expect_contains(&format!("The certificate soon_cert expires at {soon_not_after}, within 30 days"));
}

/// What `terraform query -json` found, per list block: the display names of its results.
fn query_results(out: &Output) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.stdout.lines() {
        let Ok(event) = serde_json::from_str::<Value>(line) else { continue };
        match event["type"].as_str() {
            Some("list_start") => {
                found.entry(event["list_start"]["address"].as_str().unwrap_or_default().to_string()).or_default();
            }
            Some("list_resource_found") => {
                let result = &event["list_resource_found"];
                found
                    .entry(result["address"].as_str().unwrap_or_default().to_string())
                    .or_default()
                    .push(result["display_name"].as_str().unwrap_or_default().to_string());
            }
            _ => {}
        }
    }
    for names in found.values_mut() {
        names.sort();
    }
    found
}

/// The `list` blocks of `examples/list-resources/` (Terraform ≥ 1.14), run with `terraform query`
/// against the simulator holding a certificate bound to two domains of the fixture's group: every
/// block finds what it promises.
#[test]
fn list_resource_examples_find_what_the_simulator_holds() {
    let Some(seed) = Terraform::new() else { return };
    if !seed.at_least(QUERY_SINCE.0, QUERY_SINCE.1) {
        eprintln!("NOTE: terraform {} has no `terraform query`; the list-resource examples need 1.14", seed.version());
        return;
    }
    let sim = Simulator::start();
    let (cert, not_after) = example_certificate(200);
    seed.write("provider.tf", &provider_block(&sim));
    seed.write("api.crt", &cert.cert_pem);
    seed.write("api.key", &cert.key_pem);
    seed.write_main(&format!(
        "resource \"apig_certificate\" \"api\" {{\n  name        = \"api_example_com\"\n  content     = file(\"api.crt\")\n  \
         private_key = file(\"api.key\")\n}}\n\n\
         resource \"apig_certificate_domains\" \"api\" {{\n  certificate_id = apig_certificate.api.id\n  \
         domain {{\n    name         = \"api.example.com\"\n    instance_ids = [\"{INSTANCE_ID}\"]\n  }}\n  \
         domain {{\n    name         = \"www.example.com\"\n    instance_ids = [\"{INSTANCE_ID}\"]\n  }}\n}}\n"
    ));
    seed.apply().expect_success();

    // A fresh configuration with no state: only the provider block and the examples' list blocks.
    let Some(tf) = Terraform::new() else { return };
    tf.write("provider.tf", &provider_block(&sim));
    let examples = repository().join("examples/list-resources");
    let mut types: Vec<String> = std::fs::read_dir(&examples)
        .expect("read examples/list-resources")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        ["apig_certificate", "apig_domain_certificate_attachment"],
        "a new list resource needs its case here"
    );
    for t in &types {
        let text = std::fs::read_to_string(examples.join(t).join("list-resource.tfquery.hcl")).expect("read example");
        assert!(text.contains(INSTANCE_ID), "{t}: the example names the fixture's gateway");
        tf.write(&format!("{t}.tfquery.hcl"), &text);
    }
    let out = tf.run(&["query", "-json", "-no-color"]);
    out.expect_success();
    let found = query_results(&out);

    let certificate = format!("api_example_com (api.example.com, expires {not_after})");
    let bindings = ["api.example.com: api_example_com", "www.example.com: api_example_com"];
    let mut lists = 0;
    for (address, names) in &found {
        let expected: Vec<&str> = if address.starts_with("list.apig_certificate.") {
            vec![certificate.as_str()]
        } else if address.starts_with("list.apig_domain_certificate_attachment.") {
            bindings.to_vec()
        } else {
            panic!("unexpected list block {address}\n{}", out.dump());
        };
        assert_eq!(names, &expected, "{address}\n{}", out.dump());
        lists += 1;
    }
    assert_eq!(lists, 3, "the examples' list blocks: {found:?}");
    assert!(out.stdout.contains(GROUP_ID), "the bindings' identities name the group\n{}", out.dump());
}
