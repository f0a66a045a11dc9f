# Two commands matter: `make run` and `make test`. Both build everything they need first:
# a virtual environment in .venv, the project's dependencies, the database and its data.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Local defaults: debug on, SQLite under var/, Celery tasks run eagerly. The environment
# (or a .env file) overrides any of them, e.g. DATABASE_URL and CELERY_BROKER_URL.
export DEBUG ?= true

.PHONY: run test setup install migrate seed demo-account lint format check bench loadtest clean messages

run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite on as many workers as tests/conftest.py allows (pytest-xdist, one test file per
# worker), then the fault tests alone: they stop and start the servers the others need.
# (pytest's exit code 5 means "no test selected": PYTEST_ARGS named no fault test.)
test: install
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not faults" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m faults $(PYTEST_ARGS) || test $$? -eq 5

setup: install migrate seed demo-account

install: $(INSTALLED) node_modules/.package-lock.json

# axe-core for the browser tests' accessibility checks (package.json). Without npm, those
# checks are reported as skipped with the reason.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the accessibility checks (tests/browser) will be skipped"; \
	fi

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@touch $@

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input

seed: install
	$(BIN)/python manage.py seed_report

demo-account: install
	$(BIN)/python manage.py create_demo_monitor

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Benchmarks on synthetic data (bench/run.py): drops and recreates the tracker_bench database,
# loads BENCH_CASES synthetic cases, measures, writes bench/results.json and prints a table.
# BENCH_ARGS passes more options, e.g. BENCH_ARGS="--budget 30" (bench/run.py --help).
BENCH_CASES ?= 20000
BENCH_ARGS ?=

bench: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench $(BIN)/python bench/run.py --cases $(BENCH_CASES) $(BENCH_ARGS)

# Load test (loadtest/run.py): drops and recreates <name>_loadtest beside the database named in
# DATABASE_URL (which must be PostgreSQL; that database itself is not touched), migrates it, loads
# the report's cases and LOADTEST_CASES synthetic ones, then runs LOADTEST_SECONDS of mixed reads
# and monitor writes against gunicorn (2 workers); writes loadtest/results.json.
LOADTEST_SECONDS ?= 120
LOADTEST_CASES ?= 500

loadtest: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make loadtest needs DATABASE_URL=postgres://user@host:port/name (PostgreSQL)"; exit 1;; esac
	$(BIN)/python loadtest/run.py --fresh --cases $(LOADTEST_CASES) --seconds $(LOADTEST_SECONDS)

# The Khmer catalogue: collect the interface's strings into locale/km/LC_MESSAGES/django.po
# (needs GNU gettext), then compile django.mo. tests/i18n/test_catalogue.py fails until every
# string is translated and the .mo is current.
messages: install
	$(BIN)/python manage.py makemessages -l km --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=loadtest --ignore=node_modules
	$(BIN)/python manage.py compilemessages -l km --ignore=.venv

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
