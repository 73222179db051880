#!/usr/bin/env bash
# `make package`: the release files of one provider build, in the layout the Terraform Registry
# and `filesystem_mirror` installers expect:
#
#   terraform-provider-apig_X.Y.Z_<os>_<arch>.zip   one file: terraform-provider-apig_vX.Y.Z (0755)
#   terraform-provider-apig_X.Y.Z_manifest.json     the plugin protocol versions it speaks (5.0)
#   terraform-provider-apig_X.Y.Z_SHA256SUMS        sha256sum of the zip and the manifest
#
# Usage: scripts/package.sh [--binary PATH] [--out DIR] [--version X.Y.Z] [--platform OS_ARCH]
#   --binary    the provider executable (default: <target dir>/release/terraform-provider-apig)
#   --out       where to write the files (default: dist/ in the repository)
#   --version   the release version (default: the version in Cargo.toml)
#   --platform  the binary's platform, e.g. linux_amd64 (default: this machine's)
# Set SOURCE_DATE_EPOCH to give the zip entry a fixed time (reproducible archives).
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
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --version) version="${2:?--version needs X.Y.Z}"; shift 2 ;;
    --platform) platform="${2:?--platform needs OS_ARCH, e.g. linux_amd64}"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

for tool in zip sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' is not on PATH; install it (Debian/Ubuntu: apt-get install $tool)"
done
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
rm -f "$out/$zip_file" "$out/$manifest" "$out/$sums"
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

echo "package: wrote to $out:"
(cd "$out" && ls -l "$zip_file" "$manifest" "$sums" | awk '{print "  " $NF " (" $5 " bytes)"}')
