# The two quickstart commands: `make demo` and `make test`; `make package` builds the release files.
CARGO ?= cargo

.PHONY: build release demo package test fmt lint docs docs-check

build:
	$(CARGO) build --locked --bins

release:
	$(CARGO) build --locked --release --bins

# Runs the provider end to end against the bundled simulator. It builds the dev profile: a cold
# first run needs a working provider, not fat LTO's last half millisecond of start-up (that is
# for `make package` and `cargo xtask bench`), and `make test` reuses the same build.
demo: build
	./scripts/demo.sh

# The release zip, SHA256SUMS and manifest of this platform's build, in dist/, and
# SHA256SUMS.sig when GPG_FINGERPRINT names a signing key (`make package GPG_FINGERPRINT=...`;
# GPG_PASSPHRASE and GNUPGHOME as in `scripts/package.sh --help`); without one it says unsigned.
package: release
	./scripts/package.sh --out dist

# The newest Terraform of the version matrix (scripts/terraform-versions.sh installs it into
# .cache/terraform/): `make test` runs the end-to-end suite on it as well.
TERRAFORM_LATEST ?= 1.15.5

# The whole suite: unit, integration, protocol and end-to-end tests (the latter drive `terraform`,
# and the compatibility journey runs on every version of the matrix), and the xtask's tests, among
# them the check that the committed docs/ are up to date. Then the end-to-end suite once more, on
# Terraform $(TERRAFORM_LATEST) (APIG_TERRAFORM_VERSION; the same build, no test code twice): skipped
# with the reason when that version is not installed, an error when APIG_REQUIRE_TERRAFORM=1.
test:
	$(CARGO) test --workspace --locked --all-targets $(TEST_ARGS)
	@if ./scripts/terraform-versions.sh --check $(TERRAFORM_LATEST) >/dev/null 2>&1; then \
	  echo "== the end-to-end suite on Terraform $(TERRAFORM_LATEST)"; \
	  APIG_TERRAFORM_VERSION=$(TERRAFORM_LATEST) $(CARGO) test --workspace --locked --test integration -- \
	    e2e:: --skip e2e::compatibility --skip behaves_like_the_cli; \
	elif [ "$${APIG_REQUIRE_TERRAFORM:-}" = 1 ]; then \
	  echo "terraform $(TERRAFORM_LATEST) is not installed, and APIG_REQUIRE_TERRAFORM=1 requires the end-to-end suite on it (run scripts/terraform-versions.sh)" >&2; \
	  exit 1; \
	else \
	  echo "SKIPPED: the end-to-end suite on Terraform $(TERRAFORM_LATEST): not installed (run scripts/terraform-versions.sh)"; \
	fi

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Regenerates the Registry documentation in docs/ from the provider schema and examples/.
docs:
	$(CARGO) xtask docs

# Fails, listing the files, when docs/ is not what `make docs` would write.
docs-check:
	$(CARGO) xtask docs --check
