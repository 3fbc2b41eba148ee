# deskstretch: `make run` sets everything up and starts the browser app (`make run-terminal`
# plays a routine in the terminal instead); `make test` sets everything up
# and runs the whole suite (lint, types, unit, CLI, real-browser and real-terminal tests);
# `make check` is the quick edit loop (see CONTRIBUTING.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV ?= $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/$(TOOLS)/bin/uv)
export UV_PYTHON_DOWNLOADS := never
# Compile .pyc at install time: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
export UV_COMPILE_BYTECODE := 1

.PHONY: run run-terminal test check setup check-python system-deps node-deps lint typecheck unit bench bench-web bench-reminders bench-vision bench-install clean

run: setup
	$(BIN)/deskstretch app

run-terminal: setup
	$(BIN)/deskstretch start $(ROUTINE)

test: system-deps setup node-deps lint typecheck unit

# The edit loop, under a minute: lint, types, and the unit tests without the slow layer (the
# real browser, terminal, D-Bus, PostgreSQL and killed-process tests marked e2e). `make test`
# stays the whole suite. Tests run on every core (pytest-xdist).
check: setup node-deps lint typecheck
	$(BIN)/pytest -q -n auto -m "not e2e" --ignore=tests/e2e
	node --test tests/js/

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "deskstretch needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))." \
	         "Install it, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }

$(CURDIR)/$(TOOLS)/bin/uv: | check-python
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

setup: $(BIN)/.synced

$(BIN)/.synced: pyproject.toml uv.lock src/deskstretch/__init__.py | check-python $(UV)
	$(UV) sync --frozen --extra dev --extra all --python $(PYTHON)
	@touch $@

# Programs the real-terminal and voice tests drive, and the PostgreSQL server the store tests
# start (Debian keeps initdb off PATH, Homebrew's postgresql@16 is keg-only: look there too).
# The reminder tests talk to a private D-Bus session (dbus-daemon, dbus-send), read X11 idle
# time from an Xvfb screen (xvfb, libxss1), and check the autostart files with the parsers the
# desktops use (GLib's through python3-gi, systemd-analyze).
# The browser tests drive Debian's chromium (/usr/bin/chromium; Playwright's own browser is never
# downloaded) and need Node/npm for axe-core (see node-deps).
# Installed with the system's package manager where missing (apt on Debian/Ubuntu, Homebrew on
# macOS); scripts/apt-install.sh waits while another program holds apt's lock (a fresh Ubuntu's
# automatic updates), saying so, instead of failing.
SYSTEM_TOOLS := tmux espeak-ng
POSTGRES_INITDB := /usr/lib/postgresql/*/bin/initdb /opt/homebrew/opt/postgresql@*/bin/initdb \
                   /usr/local/opt/postgresql@*/bin/initdb
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	apt_packages="$$missing"; brew_packages="$$missing"; \
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  missing="$$missing node"; apt_packages="$$apt_packages nodejs npm"; brew_packages="$$brew_packages node"; \
	fi; \
	if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
	  missing="$$missing chromium"; apt_packages="$$apt_packages chromium"; \
	fi; \
	if ! command -v dbus-daemon >/dev/null 2>&1 || ! command -v dbus-send >/dev/null 2>&1; then \
	  missing="$$missing dbus"; apt_packages="$$apt_packages dbus"; brew_packages="$$brew_packages dbus"; \
	fi; \
	if command -v apt-get >/dev/null 2>&1 && \
	   { ! command -v Xvfb >/dev/null 2>&1 || ! ldconfig -p | grep -q libXss.so.1; }; then \
	  missing="$$missing xvfb"; apt_packages="$$apt_packages xvfb libxss1"; \
	fi; \
	if command -v apt-get >/dev/null 2>&1 && \
	   ! /usr/bin/python3 -c 'from gi.repository import Gio' >/dev/null 2>&1; then \
	  missing="$$missing python3-gi"; apt_packages="$$apt_packages python3-gi gir1.2-glib-2.0"; \
	fi; \
	if command -v apt-get >/dev/null 2>&1 && ! command -v systemd-analyze >/dev/null 2>&1; then \
	  missing="$$missing systemd"; apt_packages="$$apt_packages systemd"; \
	fi; \
	postgres=""; command -v initdb >/dev/null 2>&1 && postgres=yes; \
	for initdb in $(POSTGRES_INITDB); do [ -x "$$initdb" ] && postgres=yes; done; \
	if [ -z "$$postgres" ]; then \
	  missing="$$missing postgresql"; apt_packages="$$apt_packages postgresql"; \
	  brew_packages="$$brew_packages postgresql@16"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    scripts/apt-install.sh $$apt_packages; \
	  elif command -v brew >/dev/null 2>&1; then brew install $$brew_packages; \
	  else echo "please install:$$missing"; exit 1; fi; \
	fi

# axe-core for the accessibility tests, ESLint for `make lint` and Lighthouse for bench-web, exactly
# as package-lock.json pins them. Neither downloads a browser; npm ci runs again only when the lock file changes.
node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund
	@touch $@

# ESLint as package-lock.json pins it (eslint.config.js says which files and rules; --no: never
# fetched on the fly).
lint: setup node-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	npx --no -- eslint

typecheck: setup
	$(BIN)/mypy

# node:test runs the browser player's state machine (tests/js) without a browser.
unit: setup node-deps
	$(BIN)/pytest
	node --test tests/js/

bench: setup
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/timing.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/progress.py

# The web app: server time per page, JavaScript shipped, idle memory; then Lighthouse scores.
bench-web: setup node-deps
	$(BIN)/python bench/web.py
	$(BIN)/python bench/lighthouse.py

# Photo assessment latency (cold, warm, overhead over bare inference) and, where present, the live
# camera pipeline (frames per second, latency, jitter): figures only, see docs/performance.md.
bench-vision: setup
	$(BIN)/python bench/vision_photo.py
	$(BIN)/python bench/vision_live.py

# The base install's size and time against the previous release's, and with every extra.
bench-install: setup
	$(BIN)/python bench/install_size.py

# The reminder service's footprint beside Safe Eyes and Workrave (Debian's packages), each in its
# own Xvfb display and D-Bus session; 10 minutes (`make bench-reminders MINUTES=2` for a trial).
BENCH_REMINDER_PACKAGES := xvfb dbus safeeyes workrave xprintidle
MINUTES ?= 10
bench-reminders: setup
	@if command -v apt-get >/dev/null 2>&1 && ! { command -v safeeyes && command -v workrave; } >/dev/null 2>&1; then \
	  scripts/apt-install.sh $(BENCH_REMINDER_PACKAGES); \
	fi
	$(BIN)/python bench/reminders.py --minutes $(MINUTES)

clean:
	rm -rf $(VENV) $(TOOLS) node_modules .pytest_cache .mypy_cache .ruff_cache
