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

# The release zip, SHA256SUMS and manifest of this platform's build, in dist/.
package: release
	./scripts/package.sh --out dist

# The whole suite: unit, integration, protocol and end-to-end tests (the latter drive `terraform`),
# and the xtask's tests, among them the check that the committed docs/ are up to date.
test:
	$(CARGO) test --workspace --locked --all-targets $(TEST_ARGS)

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
