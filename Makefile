# Quick start: `make demo` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-corpus lint typecheck unit golden clean

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

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q --ignore=tests/corpus

# Inputs others wrote (../shared/data beside the checkout); CI runs it after `make test`.
test-corpus: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q tests/corpus

test: lint typecheck unit

golden: $(VENV)/.installed-test
	$(BIN)/python tests/regenerate_golden.py
	$(BIN)/python -m vpcpath.audit.docs > docs/checks.md

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
