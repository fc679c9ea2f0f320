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

.PHONY: demo test provision js-runners install install-dev llama lint-imports sandbox-image bench-models clean

# The system parts (scripts/provision.sh): installed once where there is root or passwordless
# sudo, else named with the command that adds them. A second run takes about a second.
PROVISION := scripts/provision.sh

# VS Code end to end: code-server 4.139.1 in headless Chromium. The tools install once into
# ~/.cache/microagent/e2e (4 minutes the first time here: code-server compiles native modules).
.PHONY: e2e-vscode e2e-vscode-tools

# The main job on the embedded model: fix examples/calc in the sandbox (Docker when an engine
# runs, which it sets up given root; else bubblewrap or a plain process). Shows progress, the
# diff and the review; writes nothing (add --apply to a `microagent fix` of your own).
demo: $(VENV)/.installed
	-@$(PROVISION) docker
	-@$(MAKE) --no-print-directory sandbox-image
	$(BIN)/microagent fix -w examples/calc

# Every test runs: the system parts are provisioned first. Without root, a test whose part is
# missing skips with one line saying how to add it (MICROAGENT_SYSTEM_REQUIRED=1 fails it).
# (The docker tests build the sandbox image when it is missing.)
test: $(VENV)/.installed-dev provision js-runners
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -ra --durations=25

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
llama: $(LLAMA_WHEEL)

provision:
	@$(PROVISION)

# vitest and jest for the TypeScript runner's tests, once, into ~/.cache/microagent/js-runners
# (npm; without it those tests skip, saying so).
js-runners:
	-@scripts/js-runners.sh

# The sandbox image, built once (about 1.5 minutes) when a Docker engine answers.
sandbox-image: $(VENV)/.installed
	@if $(BIN)/microagent sandbox status >/dev/null 2>&1; then $(BIN)/microagent sandbox build; fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel

$(LLAMA_WHEEL): | $(VENV)/bin/python
	@$(PROVISION) compiler
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
	@$(PROVISION) vscode-e2e

# Also rewrites the README's screenshots (editor-clients/vscode/images) and
# bench/results/vscode-e2e.json.
e2e-vscode: $(VENV)/.installed-dev e2e-vscode-tools
	MICROAGENT_SYSTEM_REQUIRED=1 MICROAGENT_E2E_RECORD=1 $(BIN)/pytest -ra -s tests/editors/test_vscode_e2e.py tests/editors/test_vscode_ts_e2e.py

bench-models: $(VENV)/.installed
	$(BIN)/python bench/models.py

clean:
	rm -rf $(VENV) .pytest_cache
