//! Release packaging as users receive it. `scripts/package.sh` packages the provider Cargo built
//! for this run: the zip holds the one executable `terraform-provider-apig_vX.Y.Z`, SHA256SUMS
//! covers the zip and the manifest, the manifest says protocol 5.0. Terraform then installs that
//! zip the way users do, from a `filesystem_mirror` (no `dev_overrides`, no network: the CLI
//! configuration has no `direct` installer), writes a dependency lock file pinning its `h1:`
//! hash, and plans against the simulator with it. A zip changed afterwards is refused by the
//! next `init` because of that lock file.
//!
//! Signing: with a key configured (`GPG_FINGERPRINT` or `--gpg-key`) the script writes
//! `SHA256SUMS.sig`, a binary detached signature that `gpg --verify` accepts from that key and
//! rejects once SHA256SUMS changes; a passphrase comes from `GPG_PASSPHRASE` and never shows;
//! without a key there is no `.sig` and the script says unsigned; a key that cannot sign fails
//! and leaves nothing. The signing tests run in a throwaway GNUPGHOME and need neither Terraform
//! nor the developer's keyring; without `gpg` they skip like the Terraform tests (failing under
//! `APIG_REQUIRE_TERRAFORM=1`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// `scripts/package.sh`, without the developer's signing configuration (a `GPG_FINGERPRINT` of
/// their own would sign, or prompt for a passphrase, in every test).
fn package_command() -> Command {
    let mut cmd = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package.sh"));
    cmd.env_remove("GPG_FINGERPRINT").env_remove("GPG_PASSPHRASE").env_remove("GNUPGHOME");
    cmd
}

/// How one run of `scripts/package.sh` ended.
struct Packaged {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Packaged {
    fn dump(&self) -> String {
        format!("--- stdout ---\n{}\n--- stderr ---\n{}", self.stdout, self.stderr)
    }
    fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `cmd --binary <binary> --out <out>` with no standard input (gpg must never wait on one).
fn run_package(mut cmd: Command, binary: &Path, out: &Path) -> Packaged {
    let output = cmd
        .arg("--binary")
        .arg(binary)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .expect("run scripts/package.sh");
    Packaged {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `scripts/package.sh --binary <binary> --out <out>`, which must succeed.
fn package(binary: &Path, out: &Path) -> Packaged {
    let packaged = run_package(package_command(), binary, out);
    assert!(packaged.success, "scripts/package.sh failed\n{}", packaged.dump());
    packaged
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

fn sig_name() -> String {
    format!("{}.sig", sums_name())
}

fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths)
            .any(|dir| dir.join(tool).metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
    })
}

/// A throwaway GnuPG home with its own keys and agent; the agent is stopped when it drops.
struct GnupgHome {
    dir: tempfile::TempDir,
}

impl GnupgHome {
    /// `None` after a loud `SKIPPED` line when gpg is missing, as the Terraform tests do; a panic
    /// under `APIG_REQUIRE_TERRAFORM=1` (CI), where the signing tests must run.
    fn new() -> Option<GnupgHome> {
        if let Some(tool) = ["gpg", "gpg-agent", "gpgconf"].into_iter().find(|tool| !on_path(tool)) {
            let reason = format!("{tool} not on PATH (Debian/Ubuntu: apt-get install gpg gpg-agent)");
            if std::env::var("APIG_REQUIRE_TERRAFORM").as_deref() == Ok("1") {
                panic!("{reason}, and APIG_REQUIRE_TERRAFORM=1 requires the end-to-end tests to run");
            }
            eprintln!();
            eprintln!("==================================================================");
            eprintln!("SKIPPED: {reason} (signing test did not run)");
            eprintln!("==================================================================");
            return None;
        }
        // Where /run/user/<uid> is missing, gpg-agent puts its sockets in the home, and a socket
        // path has at most 107 bytes: /tmp, not a TMPDIR that may be long (macOS's is).
        let dir = tempfile::Builder::new().prefix("apig-gpg-").tempdir_in("/tmp").expect("temp GNUPGHOME");
        Some(GnupgHome { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn gpg(&self, args: &[&str]) -> std::process::Output {
        Command::new("gpg")
            .env("GNUPGHOME", self.path())
            .arg("--batch")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run gpg")
    }

    /// A new ed25519 signing key (no passphrase when `passphrase` is empty); its fingerprint.
    fn generate_key(&self, email: &str, passphrase: &str) -> String {
        let uid = format!("apig test <{email}>");
        let made = self.gpg(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-gen-key",
            &uid,
            "ed25519",
            "sign",
            "never",
        ]);
        assert!(made.status.success(), "gpg could not generate a key: {}", String::from_utf8_lossy(&made.stderr));
        let listed = self.gpg(&["--with-colons", "--list-secret-keys", &format!("<{email}>")]);
        String::from_utf8_lossy(&listed.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("fpr:").map(|rest| rest.trim_matches(':').to_string()))
            .unwrap_or_else(|| panic!("no fingerprint listed for {email}: {}", String::from_utf8_lossy(&listed.stderr)))
    }

    /// `gpg --verify SIG FILE`: whether it succeeded, and its status lines (`VALIDSIG <fpr> ...`).
    fn verify(&self, sig: &Path, file: &Path) -> (bool, String) {
        let (sig, file) = (sig.display().to_string(), file.display().to_string());
        let out = self.gpg(&["--status-fd", "1", "--verify", &sig, &file]);
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// `scripts/package.sh` with this keyring.
    fn package_command(&self) -> Command {
        let mut cmd = package_command();
        cmd.env("GNUPGHOME", self.path());
        cmd
    }
}

impl Drop for GnupgHome {
    fn drop(&mut self) {
        // Before the directory goes: an agent left running would hold sockets in a deleted home.
        let _ = Command::new("gpgconf").env("GNUPGHOME", self.path()).args(["--kill", "all"]).status();
    }
}

fn temp_out() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("apig-dist-").tempdir().expect("temp dir")
}

/// `dir`'s file names, none when it does not exist.
fn file_names_in(dir: &Path) -> Vec<String> {
    if dir.exists() { sorted_file_names(dir) } else { Vec::new() }
}

#[test]
fn package_signs_sha256sums_with_the_configured_key_and_verify_rejects_a_changed_file() {
    let Some(gpg) = GnupgHome::new() else { return };
    // Made first, so gpg's default key: the script must sign with the configured key, not it.
    let default_key = gpg.generate_key("default@example.invalid", "");
    let release_key = gpg.generate_key("release@example.invalid", "");
    let binary = provider_binary();
    let out = temp_out();
    let dist = out.path().join("dist");

    let mut cmd = gpg.package_command();
    cmd.env("GPG_FINGERPRINT", &release_key);
    let signed = run_package(cmd, &binary, &dist);
    assert!(signed.success, "packaging with GPG_FINGERPRINT failed\n{}", signed.dump());
    let mut expected = vec![zip_name(), manifest_name(), sums_name(), sig_name()];
    expected.sort();
    assert_eq!(sorted_file_names(&dist), expected);
    assert!(
        signed.stdout.contains(&format!("signed {} with key {release_key}", sums_name())),
        "the script does not say which key signed\n{}",
        signed.dump()
    );

    // A binary signature (an OpenPGP packet, tag bit set), not ASCII armour: what the Registry takes.
    let sig = dist.join(sig_name());
    let sums = dist.join(sums_name());
    let sig_bytes = std::fs::read(&sig).expect("read the signature");
    assert!(sig_bytes.first().is_some_and(|b| b & 0x80 != 0), "not a binary OpenPGP signature: {sig_bytes:?}");
    let (ok, status) = gpg.verify(&sig, &sums);
    assert!(ok, "gpg --verify rejects the signature\n{status}");
    assert!(status.contains(&format!("[GNUPG:] VALIDSIG {release_key} ")), "not signed by {release_key}\n{status}");

    // --gpg-key wins over GPG_FINGERPRINT.
    let mut cmd = gpg.package_command();
    cmd.env("GPG_FINGERPRINT", &release_key).args(["--gpg-key", &default_key]);
    let flagged = run_package(cmd, &binary, &dist);
    assert!(flagged.success, "packaging with --gpg-key failed\n{}", flagged.dump());
    let (ok, status) = gpg.verify(&sig, &sums);
    assert!(ok && status.contains(&format!("[GNUPG:] VALIDSIG {default_key} ")), "not signed by --gpg-key\n{status}");

    // One more line in SHA256SUMS (a swapped zip would need one): the signature no longer holds.
    let mut tampered = std::fs::read(&sums).expect("read SHA256SUMS");
    tampered.extend_from_slice(format!("{}  {NAME}_{VERSION}_evil_amd64.zip\n", "0".repeat(64)).as_bytes());
    std::fs::write(&sums, tampered).expect("tamper SHA256SUMS");
    let (ok, status) = gpg.verify(&sig, &sums);
    assert!(!ok, "gpg --verify accepts a changed SHA256SUMS\n{status}");
    assert!(status.contains("[GNUPG:] BADSIG"), "{status}");

    // A key the keyring does not have: an error that says what to do, and nothing written.
    let missing_out = out.path().join("missing-key");
    let mut cmd = gpg.package_command();
    cmd.env("GPG_FINGERPRINT", "nobody@example.invalid");
    let refused = run_package(cmd, &binary, &missing_out);
    assert!(!refused.success, "an unknown signing key did not fail\n{}", refused.dump());
    assert!(
        refused.stderr.contains("no secret key 'nobody@example.invalid'") && refused.stderr.contains("gpg --import"),
        "{}",
        refused.dump()
    );
    assert_eq!(file_names_in(&missing_out), Vec::<String>::new());
}

#[test]
fn package_signs_with_gpg_passphrase_and_never_shows_it() {
    let Some(gpg) = GnupgHome::new() else { return };
    const PASSPHRASE: &str = "apig-test-passphrase-5f2c91";
    const WRONG: &str = "not-the-passphrase-a83d07";
    let key = gpg.generate_key("protected@example.invalid", PASSPHRASE);
    let binary = provider_binary();
    let out = temp_out();
    let dist = out.path().join("dist");

    // First the wrong one (gpg-agent caches the right one once it has signed): it fails, names
    // GPG_PASSPHRASE, and leaves no unsigned release behind.
    let mut cmd = gpg.package_command();
    cmd.env("GPG_FINGERPRINT", &key).env("GPG_PASSPHRASE", WRONG);
    let refused = run_package(cmd, &binary, &dist);
    assert!(!refused.success, "a wrong passphrase did not fail\n{}", refused.dump());
    assert!(refused.stderr.contains("check GPG_PASSPHRASE"), "{}", refused.dump());
    assert!(!refused.combined().contains(WRONG), "the passphrase is in the output\n{}", refused.dump());
    assert_eq!(file_names_in(&dist), Vec::<String>::new(), "files left after signing failed");

    let mut cmd = gpg.package_command();
    cmd.env("GPG_FINGERPRINT", &key).env("GPG_PASSPHRASE", PASSPHRASE);
    let signed = run_package(cmd, &binary, &dist);
    assert!(signed.success, "packaging with GPG_PASSPHRASE failed\n{}", signed.dump());
    assert!(!signed.combined().contains(PASSPHRASE), "the passphrase is in the output\n{}", signed.dump());
    let (ok, status) = gpg.verify(&dist.join(sig_name()), &dist.join(sums_name()));
    assert!(ok && status.contains(&format!("[GNUPG:] VALIDSIG {key} ")), "{status}");
}

#[test]
fn package_without_a_signing_key_writes_no_signature_and_says_it_is_unsigned() {
    let out = temp_out();
    let dist = out.path().join("dist");
    // A signature of an earlier signed run would not match the new SHA256SUMS.
    std::fs::create_dir_all(&dist).expect("create dist");
    std::fs::write(dist.join(sig_name()), b"stale").expect("write a stale signature");

    let unsigned = package(&provider_binary(), &dist);
    let mut expected = vec![zip_name(), manifest_name(), sums_name()];
    expected.sort();
    assert_eq!(sorted_file_names(&dist), expected);
    let line = unsigned.stdout.lines().find(|l| l.contains("unsigned")).unwrap_or_else(|| {
        panic!("the script does not say the files are unsigned\n{}", unsigned.dump());
    });
    assert!(line.contains("GPG_FINGERPRINT") && line.contains("--gpg-key"), "does not say how to sign: {line}");
}

#[test]
fn package_with_a_signing_key_but_no_gpg_fails_and_writes_nothing() {
    // PATH as it is, less gpg: every other tool the script uses is still found.
    let bin = tempfile::Builder::new().prefix("apig-nogpg-").tempdir().expect("temp dir");
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let link = bin.path().join(&name);
            if name != "gpg" && name != "gpg2" && !link.exists() {
                let _ = std::os::unix::fs::symlink(entry.path(), link);
            }
        }
    }
    let out = temp_out();
    let dist = out.path().join("dist");
    let mut cmd = package_command();
    cmd.env("PATH", bin.path()).env("GPG_FINGERPRINT", "release@example.invalid");
    let refused = run_package(cmd, &provider_binary(), &dist);
    assert!(!refused.success, "a signing key without gpg did not fail\n{}", refused.dump());
    assert!(
        refused.stderr.contains("'gpg' is not on PATH")
            && refused.stderr.contains("apt-get install gpg")
            && refused.stderr.contains("unset GPG_FINGERPRINT"),
        "{}",
        refused.dump()
    );
    assert_eq!(file_names_in(&dist), Vec::<String>::new());
}
