# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py

.PHONY: run test setup up lint format migrate messages translations clean bench language-migrations

# `make run HOST=0.0.0.0 PORT=8080` serves elsewhere; links in messages and the printed
# address follow, unless SITE_URL is set (.env or the environment).
HOST ?= 127.0.0.1
PORT ?= 8000

run: setup .env
	@$(MANAGE) preflight
	$(MANAGE) migrate --noinput
	BRIDGE_RUN_URL=http://$(HOST):$(PORT) $(MANAGE) seed_demo
	BRIDGE_RUN_URL=http://$(HOST):$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

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

# Refresh the .po files of every declared language (languages/registry.py; a new language
# gets its catalogue here) after changing UI strings, then translate the new entries.
messages: $(BIN)/.installed
	$(MANAGE) makemessages $$($(PYTHON) -c "from languages.registry import LANGUAGES; print(' '.join('-l ' + l.locale for l in LANGUAGES if l.code != 'en'))") --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=tools

# The content columns (title_<code>, name_<code>, ...) of every declared language: run after
# adding a language to languages/registry.py.
language-migrations: $(BIN)/.installed
	$(MANAGE) makemigrations liaison outreach feedback --name languages

migrate: setup
	$(MANAGE) migrate --noinput

# Only the font weights pages use (languages.registry.FONT_WEIGHTS) are collected.
FONT_WEIGHTS_UNUSED := $(foreach w,100 200 300 500 600 800 900,--ignore "*-$(w)-*" --ignore "$(w).css" --ignore "*-$(w).css" --ignore "$(w)-italic.css")

# The full stack from the Procfile (gunicorn, a Celery worker, Celery beat) against the
# services named in the environment (.env or exported variables).
up: setup .env
	@$(MANAGE) preflight
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0 $(FONT_WEIGHTS_UNUSED)
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
