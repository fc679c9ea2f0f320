# Two commands for users: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# llama-cpp-python's default native build crashes on CPUs that report features the
# VM lacks (AMX). Build it with explicit flags, once, into a wheel directory keyed by
# version and flags, so pip's own wheel cache can never hand back a broken build.
LLAMA_VERSION := 0.3.36
LLAMA_FLAGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON$(if $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo y), -DGGML_AVX512=ON)
LLAMA_KEY := $(shell echo "$(LLAMA_VERSION) $(LLAMA_FLAGS)" | sha256sum | cut -c1-12)
WHEEL_DIR := $(HOME)/.cache/microagent/wheels/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_KEY)
LLAMA_WHEEL := $(WHEEL_DIR)/.built
PIP_LOCAL := --find-links $(WHEEL_DIR) --only-binary llama-cpp-python

.PHONY: demo test install install-dev llama lint-imports sandbox-image bench-models clean

# VS Code end to end: code-server 4.139.1 in headless Chromium. The tools install once into
# ~/.cache/microagent/e2e (4 minutes the first time here: code-server compiles native modules).
E2E_VSCODE_INSTALL := editor-clients/vscode/e2e/install.sh
.PHONY: e2e-vscode e2e-vscode-tools

# The main job on the embedded model: fix examples/calc in the sandbox (Docker when an engine
# runs, else bubblewrap or a plain process). Shows progress, the diff and the review; writes
# nothing (add --apply to a `microagent fix` of your own to write the edits).
demo: $(VENV)/.installed
	-@docker info >/dev/null 2>&1 && $(BIN)/microagent sandbox build
	$(BIN)/microagent fix -w examples/calc

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -ra

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
llama: $(LLAMA_WHEEL)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel

$(LLAMA_WHEEL): | $(VENV)/bin/python
	@echo "Building llama-cpp-python $(LLAMA_VERSION) with $(LLAMA_FLAGS) (about 4 minutes, once)"
	mkdir -p $(WHEEL_DIR)
	CMAKE_ARGS="$(LLAMA_FLAGS)" $(BIN)/pip wheel --no-cache-dir --no-deps \
		llama-cpp-python==$(LLAMA_VERSION) -w $(WHEEL_DIR)
	touch $@

$(VENV)/.installed: pyproject.toml $(LLAMA_WHEEL) | $(VENV)/bin/python
	$(BIN)/pip install $(PIP_LOCAL) -e '.[local]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install $(PIP_LOCAL) -e '.[local,dev]'
	touch $@

e2e-vscode-tools:
	nice -n 19 $(E2E_VSCODE_INSTALL)

# Also rewrites the README's screenshots (editor-clients/vscode/images) and
# bench/results/vscode-e2e.json.
e2e-vscode: $(VENV)/.installed-dev e2e-vscode-tools
	MICROAGENT_E2E_REQUIRED=1 MICROAGENT_E2E_RECORD=1 $(BIN)/pytest -ra -s tests/editors/test_vscode_e2e.py

bench-models: $(VENV)/.installed
	$(BIN)/python bench/models.py

clean:
	rm -rf $(VENV) .pytest_cache
