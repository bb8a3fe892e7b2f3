# Grid portal. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV := DJANGO_SETTINGS_MODULE=portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test test-only test-servers install install-test messages migrate demo static worker bench lint format clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -q -e '.[test,s3]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install the portal

install-test: $(VENV)/.installed-test ## Install the portal with the test extras

messages: $(VENV)/.installed ## Compile the translations (.po -> .mo)
	$(PY) scripts/compile_messages.py

migrate: install messages ## Apply database migrations, then set up roles, workflow and index pages
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py setup_portal

demo: migrate ## Load the demo community (idempotent)
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py update_index -v0

static: install ## Collect static files
	$(DEV) $(PY) manage.py collectstatic --noinput -v0

# Where `make run` serves (gunicorn's --bind, Procfile); the portal's links follow it unless
# PORTAL_BASE_URL is set (portal/settings/base.py: public_base_url).
BIND ?= 127.0.0.1:8000
export BIND

run: demo static ## Install, migrate, load the demo and serve web + worker on BIND (127.0.0.1:8000)
	@echo
	@url=$$($(DEV) $(PY) -c 'import django; django.setup(); from django.conf import settings; print(settings.PORTAL_BASE_URL)'); \
	  echo "  The portal:  $$url/      admin: $$url/admin/"
	@echo
	$(DEV) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

# The suite runs in parallel, one pytest-xdist worker per core; modules marked with an
# `xdist_group` run whole on one worker. The 25 slowest tests are listed after the results.
PYTEST_WORKERS ?= auto
# Tests marked `servers` (gunicorn, nginx) run apart: `make test-servers`.
PYTEST_RUN := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=25 -m "not servers"

test: install-test messages ## Install the test extras and run the whole suite (unit, integration, browser)
	@scripts/ensure_chromium.sh
	@scripts/ensure_java.sh
	$(PYTEST_RUN)

test-only: ## Run the suite again without installing (used by .ci/run)
	$(PYTEST_RUN)

test-servers: ## The tests that start real servers: production behind nginx, two servers on PostgreSQL
	$(VENV)/bin/pytest -n 2 --dist loadgroup -m servers -ra

bench: install-test ## Run the benchmarks in bench/ and print their figures beside the targets
	@if ls bench/bench_*.py >/dev/null 2>&1; then \
	  for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done; \
	else echo "no benchmarks yet"; fi

lint: install-test ## ruff check, ruff format --check, djhtml --check, the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(VENV)/bin/lint-imports

format: install-test ## Format Python and templates
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

clean: ## Remove .venv and var/ (the embedded database, media and index)
	rm -rf $(VENV) var
