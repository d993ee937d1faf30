# Parchemin — the two commands are `make run` and `make test`.
SHELL := /bin/bash
# The first Python >= 3.11 that actually runs (pyenv shims may exist for absent versions).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address make run serves is the one the settings print on the certificates and in the
# e-mails (SITE_URL defaults to http://$(HOST):$(PORT) on the embedded default).
RUN_ENV := HOST=$(HOST) PORT=$(PORT)
# Tests run on PostgreSQL: the machine's server unless DATABASE_URL says otherwise.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/parchemin)
PYTEST_ARGS ?=

.PHONY: install run serve worker beat test test-fast lint format migrations-check bench clean system-deps communes

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required (python3.11, python3.12…)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# System packages the PDFs and the browser tests need (Debian; root or sudo).
system-deps:
	@bash .ci/system-deps

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_referential cqpm/referentials/manager-secteur-activites.json
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py signing_certificate
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker and beat beside the web server"; \
	  $(RUN_ENV) $(VENV)/bin/celery -A parchemin worker -Q celery,pdf --loglevel=INFO --concurrency=2 & \
	  $(RUN_ENV) $(VENV)/bin/celery -A parchemin beat --loglevel=INFO --schedule var/celerybeat-schedule & \
	  trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	  $(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT); \
	else \
	  $(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT); \
	fi

worker: install
	$(VENV)/bin/celery -A parchemin worker -Q celery,pdf --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A parchemin beat --loglevel=INFO --schedule var/celerybeat-schedule

test: install
	@test -x /usr/bin/chromium || bash .ci/system-deps
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest --create-db -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The full official commune list (INSEE codes, for the birth-place picker): the npm package
# @etalab/decoupage-administratif, fetched with npm pack into var/, then loaded (with the
# countries of candidates/data/countries.json). make run loads only the shipped sample.
COMMUNES_PACKAGE ?= @etalab/decoupage-administratif
communes: install
	@command -v npm >/dev/null || { echo "npm is required (apt-get install -y npm)"; exit 1; }
	mkdir -p var/communes
	cd var/communes && rm -rf package *.tgz && npm pack --silent $(COMMUNES_PACKAGE) >/dev/null && tar xzf *.tgz
	$(PY) manage.py load_communes var/communes/package/data/communes.json

# Benchmark on PostgreSQL behind gunicorn (bench/run.py): database parchemin_bench (filled by
# seed_scale once; BENCH_CENTRES/BENCH_DOSSIERS for a smaller volume), writes bench/RESULTS.md.
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
	@test -x /usr/sbin/nginx || apt-get install -y nginx-light || { apt-get update && apt-get install -y nginx-light; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
