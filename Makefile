# The two commands of the README, plus a few helpers. Only Python 3.11+ is needed.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint format bench surge messages clean-data venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Embedded default: SQLite, filesystem broker, console e-mail. DATABASE_URL/REDIS_URL switch to the real services.
run: export DEBUG ?= true
# Links in e-mails point where this server listens, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	@mkdir -p .data
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin at /admin/). Ctrl-C stops the web server and the worker."
	exec $(BIN)/honcho -f Procfile start

# pytest-xdist: one process per core (TEST_WORKERS=0 runs the suite in this one process); tests
# that share something outside their process take turns (tests/conftest.py).
TEST_WORKERS ?= auto
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load

lint: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l fr --no-location --ignore=.venv --ignore=staticfiles --ignore=tests
	DEBUG=true $(BIN)/python manage.py compilemessages -l fr --ignore=.venv

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# Deadline night (issue 18): its own PostgreSQL cluster, Redis, gunicorn and Celery on ports
# SURGE_PORT..SURGE_PORT+2; SURGE_FOUNDERS, SURGE_MINUTES, SURGE_RATE, SURGE_FAULTS, SURGE_SEARCH.
surge: $(VENV)/.installed
	$(BIN)/python -m bench.surge

clean-data:
	rm -rf .data
