# Filet — the README's quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: install translations run db test lint test-fast test-sqlite test-postgres system-deps extract-messages bench-search bench-search-pg bench-match bench-evaluation bench-load screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --domain messages --directory translations --statistics

install: $(STAMP) translations

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
	# Strict on the pure matching library; the modules it reaches through `directory/__init__`
	# are read for their types only: they are not held to strict typing yet.
	$(BIN)/mypy --strict --follow-imports=silent directory/matching
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
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[load]'
	bash scripts/with-postgres.sh $(BIN)/python bench/load.py
	bash scripts/with-postgres.sh $(BIN)/python bench/load.py --drill

## Screenshots of the pages at 1280 and 390 px under docs/screenshots/ (a throw-away instance).
screenshots: install
	PYTHONPATH=. $(BIN)/python scripts/screenshots.py $(SCREENS)

extract-messages: install
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --no-location --sort-output \
		--output-file translations/messages.pot .
	# English only: French is the source language, its catalogue holds the plural rule alone.
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations \
		--locale en --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
