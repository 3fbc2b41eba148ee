# deskstretch: `make run` sets everything up and starts a routine; `make test` sets everything up
# and runs the whole suite (lint, types, unit, CLI and real-terminal tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV ?= $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/$(TOOLS)/bin/uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup check-python system-deps lint typecheck unit bench clean

run: setup
	$(BIN)/deskstretch start $(ROUTINE)

test: system-deps setup lint typecheck unit

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "deskstretch needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))." \
	         "Install it, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }

$(CURDIR)/$(TOOLS)/bin/uv: | check-python
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

setup: $(BIN)/.synced

$(BIN)/.synced: pyproject.toml uv.lock | check-python $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	@touch $@

# Programs the real-terminal and voice tests drive. Installed with the system's package manager
# where missing (apt on Debian/Ubuntu, Homebrew on macOS).
SYSTEM_TOOLS := tmux espeak-ng
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    sudo_cmd=""; [ "$$(id -u)" -eq 0 ] || sudo_cmd="sudo"; \
	    $$sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install $$missing; \
	  else echo "please install:$$missing"; exit 1; fi; \
	fi

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/timing.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
