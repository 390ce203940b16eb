# Filet — the README's quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: install lock translations run db test lint test-fast test-sqlite test-postgres system-deps compile-translations bench-search bench-search-pg bench-match bench-evaluation bench-load screenshots clean

PIP := $(BIN)/pip install --quiet --disable-pip-version-check
DEV_LOCK := requirements/dev.lock

# Every package from the hashed lock (setuptools, the build backend, included), then the
# project itself, editable, with nothing more.
$(STAMP): $(DEV_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r $(DEV_LOCK)
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(STAMP)

## Regenerate the hashed locks from pyproject.toml (Python 3.11, Linux x86_64), keeping the
## locked versions that still fit; `make lock LOCK_FLAGS=--upgrade` takes the newest instead.
## uv comes from a throw-away virtualenv, not from the project's dependencies.
UV_VERSION := 0.13.9
LOCK_FLAGS ?=
lock:
	set -e; tool=$$(mktemp -d); trap 'rm -rf "$$tool"' EXIT; \
	$(PYTHON) -m venv "$$tool"; "$$tool"/bin/pip install --quiet uv==$(UV_VERSION); \
	compile() { "$$tool"/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
		$(LOCK_FLAGS) "$$@"; }; \
	compile pyproject.toml --extra dev requirements/build.in -o $(DEV_LOCK); \
	compile pyproject.toml requirements/build.in -c $(DEV_LOCK) -o requirements/main.lock; \
	compile pyproject.toml --extra load -c $(DEV_LOCK) -o requirements/load.lock

## Compile the catalogues (.po -> .mo); never rewrites a .po file.
compile-translations: $(STAMP)
	$(BIN)/pybabel compile --domain messages --directory translations --statistics

install: $(STAMP) compile-translations

## Create or migrate the database, load the seed directory, build the search index if missing.
db: install
	$(FLASK) db upgrade
	$(FLASK) db seed
	$(FLASK) search reindex --if-missing

## Serve the French UI on http://$(HOST):$(PORT).
# The development server speaks plain HTTP: session cookies cannot be `Secure` there.
run: db
	SESSION_COOKIE_SECURE=0 PUBLIC_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	# The whole package ([tool.mypy] in pyproject.toml: strict on the matching library and
	# every package already clean).
	$(BIN)/mypy
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --check

system-deps:
	bash scripts/system-deps.sh

# Parallel runs (pytest-xdist): one worker per core, each with its own temporary folders,
# servers on free ports and, on PostgreSQL, its own database (tests/conftest.py). Tests are
# dealt out one by one, but a module marked `xdist_group` (a module-scoped gunicorn instance,
# backup or crawl) runs whole on one worker, so its fixture is set up once (`loadgroup`).
PARALLEL := -n auto --dist loadgroup

## The inner loop: unit and functional tests on SQLite, no browser, no lint; stops at the
## first failure (-x) to give the answer sooner. `make test` runs everything.
test-fast: install
	env -u DATABASE_URL -u SEARCH_BACKEND $(BIN)/pytest $(PARALLEL) -x tests/unit tests/functional

test-sqlite: install
	env -u DATABASE_URL -u SEARCH_BACKEND $(BIN)/pytest $(PARALLEL)

# The search suite (relevance set, search API contract, confidential-address checks, the
# Chromium search journey) that also runs on PostgreSQL with the Whoosh backend.
SEARCH_SUITE := tests/unit/search tests/functional/test_index.py \
	tests/functional/test_loading.py tests/functional/test_relevance.py \
	tests/functional/test_pg_rank.py tests/functional/test_search_api.py \
	tests/functional/test_search_pages.py tests/functional/test_safety.py \
	tests/browser/test_search_journey.py

## On PostgreSQL: the whole suite with the PostgreSQL search backend (the default there; the
## instances some tests start on SQLite default to Whoosh), then the search suite again with
## the Whoosh backend (each on its own throw-away server).
test-postgres: install
	env -u SEARCH_BACKEND bash scripts/with-postgres.sh $(BIN)/pytest $(PARALLEL)
	SEARCH_BACKEND=whoosh bash scripts/with-postgres.sh $(BIN)/pytest $(PARALLEL) $(SEARCH_SUITE)

## The whole suite: lint, then SQLite, then a throw-away PostgreSQL server.
test: system-deps lint test-sqlite test-postgres

## Search benchmark: generated fictional directories of 1,000 / 10,000 / 50,000 services.
bench-search: install
	$(BIN)/python bench/search_bench.py

## The same with the PostgreSQL backend beside Whoosh and FTS5, on a throw-away PostgreSQL.
bench-search-pg: install
	bash scripts/with-postgres.sh $(BIN)/python bench/search_bench.py --backend postgres --sizes 10000,50000

## Matching benchmark: fictional pools of 100 / 1,000 / 5,000 / 10,000 experts, 200 cases.
bench-match: install
	$(BIN)/python bench/match_bench.py

## Evaluation benchmark: import and report over 1,000 / 10,000 / 50,000 fictional questionnaires.
bench-evaluation: install
	$(BIN)/python bench/evaluation_bench.py

## Load test: locust, 50 users, against gunicorn (3 workers) on a throw-away PostgreSQL.
bench-load: install
	$(PIP) --require-hashes -r requirements/load.lock
	bash scripts/with-postgres.sh $(BIN)/python bench/load.py
	bash scripts/with-postgres.sh $(BIN)/python bench/load.py --drill

## Screenshots of the pages at 1280 and 390 px under docs/screenshots/ (a throw-away instance).
screenshots: install
	PYTHONPATH=. $(BIN)/python scripts/screenshots.py $(SCREENS)

## The .po files are the only source of the translations: extract the interface strings
## (French) into translations/messages.pot (not committed), bring the catalogues up to date,
## compile them. English: translate in translations/en/LC_MESSAGES/messages.po every new entry
## (an empty msgstr fails tests/unit/test_translations.py). French is the source language: its
## catalogue keeps every msgstr empty and exists for the French plural rule (0 and 1 take the
## singular), which the compiled catalogue applies to each plural message (msgid, msgid_plural).
## Running it twice changes nothing (pybabel's default line width, no dates, no locations).
POT := translations/messages.pot
BABEL_KEYWORDS := --keywords _l --keywords lazy_gettext --keywords lazy_ngettext:1,2
PO_UPDATE := $(BIN)/pybabel update --input-file $(POT) --output-dir translations \
	--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

translations: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg $(BABEL_KEYWORDS) --no-location \
		--sort-output --output-file $(POT) .
	$(PO_UPDATE) --locale en
	$(PO_UPDATE) --locale fr
	$(MAKE) compile-translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
