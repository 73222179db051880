# The two quickstart commands: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: build release demo test fmt lint

build:
	$(CARGO) build --locked --bins

release:
	$(CARGO) build --locked --release --bins

# Runs the provider end to end against the bundled simulator.
demo: release
	./scripts/demo.sh

# The whole suite: unit, integration, protocol and end-to-end tests (the latter drive `terraform`).
test:
	$(CARGO) test --locked --all-targets $(TEST_ARGS)

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --all-targets --locked -- -D warnings
