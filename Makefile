# Quick start: `make demo` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-corpus lint typecheck unit system-packages golden clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml (or, for the test extras, this file) changes.
$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	touch $@ $(VENV)/.installed-base

demo: $(VENV)/.installed-base
	$(BIN)/vpcpath demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test system-packages
	$(BIN)/python -m pytest -q --ignore=tests/corpus

# Debian packages the tests run: chromium (the HTML report's browser test) and shellcheck (the
# generated AWS CLI script). Installed here when missing and this runs as root with apt;
# otherwise one line says how to install them.
SYSTEM_PACKAGES := chromium shellcheck
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing Debian's$$missing for the tests (apt-get, about a minute)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make test needs$$missing (browser and script tests): sudo apt-get install$$missing (Debian), then make test again" >&2; \
	    exit 1; \
	  fi; }

# Inputs others wrote (../shared/data beside the checkout); CI runs it after `make test`.
test-corpus: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q tests/corpus

test: lint typecheck unit

golden: $(VENV)/.installed-test
	$(BIN)/python tests/regenerate_golden.py
	$(BIN)/python -m vpcpath.audit.docs > docs/checks.md

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
