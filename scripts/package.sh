#!/usr/bin/env bash
# `make package`: the release files of one provider build, in the layout the Terraform Registry
# and `filesystem_mirror` installers expect:
#
#   terraform-provider-apig_X.Y.Z_<os>_<arch>.zip   one file: terraform-provider-apig_vX.Y.Z (0755)
#   terraform-provider-apig_X.Y.Z_manifest.json     the plugin protocol versions it speaks (5.0)
#   terraform-provider-apig_X.Y.Z_SHA256SUMS        sha256sum of the zip and the manifest
#   terraform-provider-apig_X.Y.Z_SHA256SUMS.sig    detached binary GPG signature of SHA256SUMS,
#                                                   when a signing key is configured
#
# Usage: scripts/package.sh [--binary PATH] [--out DIR] [--version X.Y.Z] [--platform OS_ARCH]
#                           [--gpg-key KEY]
#   --binary    the provider executable (default: <target dir>/release/terraform-provider-apig)
#   --out       where to write the files (default: dist/ in the repository)
#   --version   the release version (default: the version in Cargo.toml)
#   --platform  the binary's platform, e.g. linux_amd64 (default: this machine's)
#   --gpg-key   the secret key that signs SHA256SUMS: a fingerprint, or any key ID gpg accepts
#               (default: $GPG_FINGERPRINT; neither set: the files are unsigned)
# Environment:
#   GPG_FINGERPRINT   the signing key when --gpg-key is not given (the Terraform Registry needs
#                     the .sig, made with a key whose public half is registered there)
#   GPG_PASSPHRASE    the key's passphrase, when it has one and gpg-agent has not cached it; given
#                     to gpg on a pipe, never on a command line or in the output
#   GNUPGHOME         the keyring gpg uses (default: ~/.gnupg)
#   SOURCE_DATE_EPOCH a fixed time for the zip entry (reproducible archives)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
name="terraform-provider-apig"

die() {
  echo "package: $*" >&2
  exit 1
}

binary="${CARGO_TARGET_DIR:-$root/target}/release/$name"
out="$root/dist"
version=""
platform=""
gpg_key="${GPG_FINGERPRINT:-}"
# Kept in a shell variable only: exported, it would sit in the environment of gpg-agent, which
# outlives this script.
passphrase="${GPG_PASSPHRASE:-}"
unset GPG_PASSPHRASE
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --version) version="${2:?--version needs X.Y.Z}"; shift 2 ;;
    --platform) platform="${2:?--platform needs OS_ARCH, e.g. linux_amd64}"; shift 2 ;;
    --gpg-key) gpg_key="${2:?--gpg-key needs a key fingerprint or ID}"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

for tool in zip sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' is not on PATH; install it (Debian/Ubuntu: apt-get install $tool)"
done
# A configured key that cannot sign is an error before anything is written: a release must not
# come out unsigned because of a typo or a missing keyring.
if [ -n "$gpg_key" ]; then
  command -v gpg >/dev/null || die "a signing key is configured ('$gpg_key') but 'gpg' is not on PATH; install it (Debian/Ubuntu: apt-get install gpg gpg-agent), or unset GPG_FINGERPRINT and drop --gpg-key for unsigned files"
  gpg --batch --list-secret-keys "$gpg_key" >/dev/null ||
    die "gpg has no secret key '$gpg_key' in ${GNUPGHOME:-$HOME/.gnupg}; import it (gpg --import KEY.asc), point GNUPGHOME at its keyring, or list the keys with gpg --list-secret-keys"
fi
[ -f "$binary" ] && [ -x "$binary" ] || die "$binary is not an executable file; build it first ('make release') or pass --binary PATH"

if [ -z "$version" ]; then
  # The first `version = "..."` of the [package] table.
  version="$(awk '/^\[/{in_package = ($0 == "[package]")} in_package && /^version *=/{gsub(/^version *= *"|".*$/, ""); print; exit}' "$root/Cargo.toml")"
  [ -n "$version" ] || die "no version found in $root/Cargo.toml; pass --version X.Y.Z"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "version '$version' is not X.Y.Z (semantic versioning, without a leading v)"

if [ -z "$platform" ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "unknown operating system '$(uname -s)'; pass --platform OS_ARCH" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "unknown architecture '$(uname -m)'; pass --platform OS_ARCH" ;;
  esac
  platform="${os}_${arch}"
fi
[[ "$platform" =~ ^[a-z0-9]+_[a-z0-9]+$ ]] || die "platform '$platform' is not OS_ARCH, e.g. linux_amd64"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
zip_file="${name}_${version}_${platform}.zip"
manifest="${name}_${version}_manifest.json"
sums="${name}_${version}_SHA256SUMS"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/${name}_v${version}"
chmod 0755 "$stage/${name}_v${version}"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  touch -d "@$SOURCE_DATE_EPOCH" "$stage/${name}_v${version}"
fi

# zip adds to an existing archive, so start from none; -X leaves out extra attributes (uid/gid,
# extended timestamps) that would make equal builds differ.
rm -f "$out/$zip_file" "$out/$manifest" "$out/$sums" "$out/$sums.sig"
(cd "$stage" && zip -q -X "$out/$zip_file" "${name}_v${version}")

cat >"$out/$manifest" <<JSON
{
  "version": 1,
  "metadata": {
    "protocol_versions": ["5.0"]
  }
}
JSON

(cd "$out" && sha256sum "$zip_file" "$manifest" >"$sums")

written=("$zip_file" "$manifest" "$sums")
if [ -n "$gpg_key" ]; then
  # On failure nothing is left in $out: a set without its signature is not a release.
  fail_signing() {
    rm -f "$out/$zip_file" "$out/$manifest" "$out/$sums" "$out/$sums.sig"
    die "$1; the release files were removed from $out"
  }
  sign=(gpg --batch --yes --detach-sign --local-user "$gpg_key" --output "$out/$sums.sig")
  if [ -n "$passphrase" ]; then
    # printf is a builtin: the passphrase reaches gpg's stdin without appearing in any argv.
    printf '%s\n' "$passphrase" | "${sign[@]}" --pinentry-mode loopback --passphrase-fd 0 "$out/$sums" ||
      fail_signing "gpg could not sign $sums with key '$gpg_key' (see its message above); check GPG_PASSPHRASE"
  else
    "${sign[@]}" "$out/$sums" </dev/null ||
      fail_signing "gpg could not sign $sums with key '$gpg_key' (see its message above); if the key has a passphrase, set GPG_PASSPHRASE or unlock it in gpg-agent"
  fi
  # Checked against the public key, as the Registry will; VALIDSIG names the key that signed.
  verified="$(gpg --batch --status-fd 1 --verify "$out/$sums.sig" "$out/$sums" 2>/dev/null || true)"
  signer="$(awk '$2 == "VALIDSIG" {print $3; exit}' <<<"$verified")"
  [ -n "$signer" ] || fail_signing "the signature gpg made does not verify against $sums (gpg --verify $sums.sig $sums says why)"
  written+=("$sums.sig")
fi

echo "package: wrote to $out:"
(cd "$out" && ls -l "${written[@]}" | awk '{print "  " $NF " (" $5 " bytes)"}')
if [ -n "$gpg_key" ]; then
  echo "package: signed $sums with key $signer"
else
  echo "package: unsigned: no signing key configured, so no $sums.sig (the Terraform Registry requires it); set GPG_FINGERPRINT=<key fingerprint> or pass --gpg-key to sign"
fi
