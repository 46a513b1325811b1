# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py

.PHONY: run test setup up lint format migrate messages translations clean bench

run: setup .env
	@$(MANAGE) preflight
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(BIN)/ruff check .
	$(PYTHON) -m pytest

setup: $(BIN)/.installed node_modules/.installed translations

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.env:
	cp .env.example .env

# Compiled catalogues (.mo) are build output, made from locale/*/LC_MESSAGES/django.po.
# django-admin without settings: compiling needs no database, secret key or environment.
translations: $(BIN)/.installed
	@env -u DJANGO_SETTINGS_MODULE $(BIN)/django-admin compilemessages --ignore=.venv --ignore=node_modules --ignore=var --verbosity 0

# Refresh the .po files after changing UI strings (then translate the new entries).
messages: $(BIN)/.installed
	$(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench

migrate: setup
	$(MANAGE) migrate --noinput

# The full stack from the Procfile (gunicorn, a Celery worker, Celery beat) against the
# services named in the environment (.env or exported variables).
up: setup .env
	@$(MANAGE) preflight
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/honcho start

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks print figures; they need PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL).
# The dashboard benchmark needs a seeded database first: see bench/bench_dashboard.py.
bench: setup
	$(PYTHON) bench/bench_notices.py
	$(PYTHON) bench/bench_dashboard.py --database-url "$${BENCH_DATABASE_URL:?set BENCH_DATABASE_URL to a database seeded with seed_demo --contacts N}" --label bench --export

clean:
	rm -rf $(VENV) node_modules var
