#!/usr/bin/env bash
# `make demo`: the provider's main job end to end against the bundled simulator.
# Starts apig-simulator on a free port, points Terraform at the fresh build (the dev profile by
# default: quick to build on a cold machine; DEMO_PROFILE=release for the optimised one) through a
# temporary TF_CLI_CONFIG_FILE (dev_overrides), then init → apply → re-plan (must show no
# changes) → destroy on examples/quickstart. Cleans up whatever fails; the exit status says
# whether it all worked.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
profile="${DEMO_PROFILE:-debug}"
bin_dir="${CARGO_TARGET_DIR:-$root/target}/$profile"
provider="$bin_dir/terraform-provider-apig"
simulator="$bin_dir/apig-simulator"
for b in "$provider" "$simulator"; do
  [ -x "$b" ] || { echo "demo: $b is missing; run 'make build' (or 'make release' with DEMO_PROFILE=release) first" >&2; exit 1; }
done
command -v terraform >/dev/null || { echo "demo: terraform is not on PATH" >&2; exit 1; }
command -v openssl >/dev/null || { echo "demo: openssl is needed to make the demo certificate" >&2; exit 1; }

work="$(mktemp -d)"
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "starting apig-simulator"
"$simulator" --listen 127.0.0.1:0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/sim.out" 2>/dev/null && break
  sleep 0.05
done
endpoint="$(sed -n 's/^listening on //p' "$work/sim.out" | head -n1)"
[ -n "$endpoint" ] || { echo "demo: the simulator did not start" >&2; cat "$work/sim.err" >&2; exit 1; }
echo "simulator at $endpoint"

step "making a demo certificate for api.example.com and www.example.com (90 days, ECDSA P-256)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
  -subj "/CN=api.example.com/O=Demo Org" \
  -addext "subjectAltName=DNS:api.example.com,DNS:www.example.com" \
  -keyout "$work/demo.key" -out "$work/demo.crt" 2>/dev/null

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "hwapig/apig" = "$bin_dir"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_DATA_DIR="$work/.terraform"
cp -r "$root/examples/quickstart/." "$work/config/" 2>/dev/null || { mkdir -p "$work/config" && cp -r "$root/examples/quickstart/." "$work/config/"; }
cd "$work/config"
export TF_VAR_apig_endpoint="$endpoint" TF_VAR_auth_token="sim-token"
export TF_VAR_certificate_file="$work/demo.crt" TF_VAR_private_key_file="$work/demo.key"

step "terraform apply"
terraform apply -auto-approve -input=false -no-color

step "terraform plan (must show no changes)"
set +e
terraform plan -detailed-exitcode -input=false -no-color
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "demo: the re-plan was not empty (exit $rc)" >&2
  exit 1
fi

step "outputs"
terraform output -no-color

step "terraform destroy"
terraform destroy -auto-approve -input=false -no-color

step "simulator state after destroy"
curl -fsS "$endpoint/_sim/state" | head -c 2000; echo
echo
echo "demo: OK"
