//! Release packaging as users receive it. `scripts/package.sh` packages the provider Cargo built
//! for this run: the zip holds the one executable `terraform-provider-apig_vX.Y.Z`, SHA256SUMS
//! covers the zip and the manifest, the manifest says protocol 5.0. Terraform then installs that
//! zip the way users do, from a `filesystem_mirror` (no `dev_overrides`, no network: the CLI
//! configuration has no `direct` installer), writes a dependency lock file pinning its `h1:`
//! hash, and plans against the simulator with it. A zip changed afterwards is refused by the
//! next `init` because of that lock file.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::simulator::{INSTANCE_ID, PROJECT_ID, Simulator, TOKEN};
use crate::support::terraform::{ADDRESS, Output, SOURCE, Terraform, provider_binary};

const NAME: &str = "terraform-provider-apig";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Terraform's name for this machine's platform, e.g. `linux_amd64`.
fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

fn zip_name() -> String {
    format!("{NAME}_{VERSION}_{}.zip", platform())
}
fn manifest_name() -> String {
    format!("{NAME}_{VERSION}_manifest.json")
}
fn sums_name() -> String {
    format!("{NAME}_{VERSION}_SHA256SUMS")
}
fn executable_name() -> String {
    format!("{NAME}_v{VERSION}")
}

/// Runs a tool to completion; panics with its output when it cannot start or fails.
fn run_tool(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (is it installed? .ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "`{program} {}` failed ({})\n--- stdout ---\n{}\n--- stderr ---\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `scripts/package.sh --binary <binary> --out <out>`.
fn package(binary: &Path, out: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package.sh");
    run_tool(
        &script.display().to_string(),
        &["--binary", &binary.display().to_string(), "--out", &out.display().to_string()],
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Terraform's `h1:` package hash (Go's dirhash Hash1) of a package holding one file.
fn h1_hash(file_name: &str, content: &[u8]) -> String {
    let summary = format!("{}  {file_name}\n", sha256_hex(content));
    format!("h1:{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(summary.as_bytes())))
}

fn sorted_file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `h1:` hashes the lock file records for our provider.
fn locked_hashes(lock: &str) -> Vec<String> {
    let start = lock.find(&format!("provider {ADDRESS:?}")).expect("the lock file names the provider");
    let block = &lock[start..];
    let block = &block[..block.find("\n}").map_or(block.len(), |end| end + 2)];
    regex::Regex::new(r#""(h1:[A-Za-z0-9+/=]+)""#)
        .expect("pattern")
        .captures_iter(block)
        .map(|c| c[1].to_string())
        .collect()
}

fn init(tf: &Terraform) -> Output {
    tf.run(&["init", "-no-color", "-input=false"])
}

#[test]
fn package_installs_from_a_filesystem_mirror_and_the_lock_file_pins_it() {
    let Some(mut tf) = Terraform::new() else { return };
    let binary = provider_binary();
    let binary_bytes = std::fs::read(&binary).expect("read the provider binary");

    // The three release files, and nothing else.
    let dist = tf.root().join("dist");
    package(&binary, &dist);
    let mut expected = vec![zip_name(), manifest_name(), sums_name()];
    expected.sort();
    assert_eq!(sorted_file_names(&dist), expected);

    // The zip holds exactly the executable, byte for byte.
    let zip = dist.join(zip_name());
    let zip_path = zip.display().to_string();
    let entries = String::from_utf8(run_tool("unzip", &["-Z1", &zip_path])).expect("entry names");
    assert_eq!(entries.lines().collect::<Vec<_>>(), vec![executable_name().as_str()]);
    let listing = String::from_utf8(run_tool("unzip", &["-Z", &zip_path])).expect("zip listing");
    let entry_line = listing.lines().find(|l| l.ends_with(&executable_name())).expect("listed entry");
    assert!(entry_line.starts_with("-rwxr-xr-x"), "the executable's mode in the zip is not 0755: {entry_line}");
    let unpacked = run_tool("unzip", &["-p", &zip_path, &executable_name()]);
    assert!(unpacked == binary_bytes, "the zipped executable differs from {}", binary.display());

    // SHA256SUMS: sha256sum format, covering the zip and the manifest.
    let sums = std::fs::read_to_string(dist.join(sums_name())).expect("read SHA256SUMS");
    let mut listed: Vec<(String, String)> = sums
        .lines()
        .map(|line| {
            let (hash, file) = line.split_once("  ").unwrap_or_else(|| panic!("not `<sha256>  <file>`: {line:?}"));
            (file.to_string(), hash.to_string())
        })
        .collect();
    listed.sort();
    let mut wanted: Vec<(String, String)> = [zip_name(), manifest_name()]
        .into_iter()
        .map(|file| {
            let hash = sha256_hex(&std::fs::read(dist.join(&file)).expect("read packaged file"));
            (file, hash)
        })
        .collect();
    wanted.sort();
    assert_eq!(listed, wanted);

    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join(manifest_name())).expect("read manifest"))
            .expect("JSON");
    assert_eq!(manifest, json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}}));

    // A mirror in the packed layout, and a CLI configuration that installs only from it.
    let mirror = tf.root().join("mirror");
    let mirrored = mirror.join(ADDRESS).join(zip_name());
    std::fs::create_dir_all(mirrored.parent().expect("parent")).expect("create mirror");
    std::fs::copy(&zip, &mirrored).expect("copy zip into the mirror");
    tf.set_cli_config(&format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [{ADDRESS:?}]\n  }}\n}}\n",
        mirror.display().to_string()
    ));

    let sim = Simulator::start();
    tf.write(
        "terraform.tf",
        &format!(
            "terraform {{\n  required_providers {{\n    apig = {{\n      source  = {SOURCE:?}\n      version = {VERSION:?}\n    }}\n  }}\n}}\n"
        ),
    );
    tf.write_main(&format!(
        "provider \"apig\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{PROJECT_ID}\"\n  auth_token = \"{TOKEN}\"\n  \
         endpoints  = {{ apig = \"{url}\" }}\n}}\n\n\
         data \"apig_certificates\" \"all\" {{\n  instance_id = \"{INSTANCE_ID}\"\n}}\n\n\
         output \"count\" {{\n  value = length(data.apig_certificates.all.certificates)\n}}\n",
        url = sim.base_url()
    ));

    let installed = init(&tf);
    installed.expect_success().expect_contains(&format!("Installed {SOURCE} v{VERSION}"));
    assert!(
        !installed.combined().contains("development overrides"),
        "dev_overrides were in effect\n{}",
        installed.dump()
    );

    // The lock file pins that version and the hash of exactly our executable.
    let lock_path = tf.dir().join(".terraform.lock.hcl");
    let lock = std::fs::read_to_string(&lock_path).expect("init writes .terraform.lock.hcl");
    assert!(lock.contains(&format!("version     = {VERSION:?}")), "{lock}");
    assert!(lock.contains(&format!("constraints = {VERSION:?}")), "{lock}");
    assert_eq!(locked_hashes(&lock), vec![h1_hash(&executable_name(), &binary_bytes)], "{lock}");

    // Terraform unpacked it as an executable and runs it: the plan reads from the simulator.
    let unpacked =
        tf.root().join("data/providers").join(ADDRESS).join(VERSION).join(platform()).join(executable_name());
    assert!(std::fs::read(&unpacked).is_ok_and(|b| b == binary_bytes), "{} is not our executable", unpacked.display());
    let planned = tf.plan();
    planned.expect_success().expect_contains("count = 0");
    assert!(sim.request_count() > 0, "the plan made no API request");

    // A zip changed after the lock file was written: a fresh init refuses it, naming the lock file.
    let tampered_binary = tf.root().join(NAME);
    let mut tampered_bytes = binary_bytes.clone();
    tampered_bytes.extend_from_slice(b"\0tampered");
    std::fs::write(&tampered_binary, &tampered_bytes).expect("write tampered binary");
    std::fs::set_permissions(&tampered_binary, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let tampered_dist = tf.root().join("tampered");
    package(&tampered_binary, &tampered_dist);
    std::fs::copy(tampered_dist.join(zip_name()), &mirrored).expect("replace the mirrored zip");
    let root = tf.root().to_path_buf();
    let fresh_data = |name: &str| -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("create data dir");
        dir
    };
    let data = fresh_data("data-tampered");
    tf.set_env("TF_DATA_DIR", &data.display().to_string());
    let refused = init(&tf);
    refused
        .expect_failure()
        .expect_contains("doesn't match any of the checksums previously recorded in the dependency lock file");
    assert_eq!(std::fs::read_to_string(&lock_path).expect("lock file"), lock, "a refused init changed the lock file");

    // The same init without the lock file accepts the changed zip: the lock file is what refused it.
    std::fs::remove_file(&lock_path).expect("remove lock file");
    let data = fresh_data("data-unlocked");
    tf.set_env("TF_DATA_DIR", &data.display().to_string());
    init(&tf).expect_success();
    let relocked = std::fs::read_to_string(&lock_path).expect("lock file written again");
    assert_eq!(locked_hashes(&relocked), vec![h1_hash(&executable_name(), &tampered_bytes)], "{relocked}");
}
