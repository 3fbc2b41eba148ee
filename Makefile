# deskstretch: `make run` sets everything up and starts a routine; `make test` sets everything up
# and runs the whole suite (lint, types, unit, CLI and real-terminal tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV ?= $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/$(TOOLS)/bin/uv)
export UV_PYTHON_DOWNLOADS := never
# Compile .pyc at install time: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
export UV_COMPILE_BYTECODE := 1

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

# Programs the real-terminal and voice tests drive, and the PostgreSQL server the store tests
# start (Debian keeps initdb off PATH, Homebrew's postgresql@16 is keg-only: look there too).
# Installed with the system's package manager where missing (apt on Debian/Ubuntu, Homebrew on
# macOS).
SYSTEM_TOOLS := tmux espeak-ng
POSTGRES_INITDB := /usr/lib/postgresql/*/bin/initdb /opt/homebrew/opt/postgresql@*/bin/initdb \
                   /usr/local/opt/postgresql@*/bin/initdb
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	apt_packages="$$missing"; brew_packages="$$missing"; \
	postgres=""; command -v initdb >/dev/null 2>&1 && postgres=yes; \
	for initdb in $(POSTGRES_INITDB); do [ -x "$$initdb" ] && postgres=yes; done; \
	if [ -z "$$postgres" ]; then \
	  missing="$$missing postgresql"; apt_packages="$$apt_packages postgresql"; \
	  brew_packages="$$brew_packages postgresql@16"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    sudo_cmd=""; [ "$$(id -u)" -eq 0 ] || sudo_cmd="sudo"; \
	    $$sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq $$apt_packages >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install $$brew_packages; \
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
	$(BIN)/python bench/store.py
	$(BIN)/python bench/progress.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
