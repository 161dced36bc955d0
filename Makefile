# Two commands on a fresh machine: `make run` and `make test` (README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST := $(BIN)/pytest -q -p no:cacheprovider
PG_URL ?= postgresql+psycopg://root@127.0.0.1:5432/test

UNIT_TESTS        := tests/corpus tests/diff tests/search tests/harmonization tests/exports tests/test_units.py tests/test_config.py tests/test_layers.py tests/corpus_content
INTEGRATION_TESTS := tests/registry tests/services tests/api tests/cli tests/web tests/security
SERVING_TESTS     := tests/serving

.PHONY: install run test test-unit test-integration test-postgres test-serving test-browser browser-deps bench soak lint clean help

help:
	@echo "make run    - set up and serve the registry on http://127.0.0.1:5000 (SQLite, bundled corpus)"
	@echo "make test   - set up and run the whole suite (unit, integration on SQLite [+PostgreSQL], browser)"
	@echo "make bench  - benchmarks and the full lawtexts import sweep (results in docs/benchmarks.md)"

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pybabel -q compile -d app/web/translations
	touch $(STAMP)

run: install
	$(BIN)/registry serve --host 127.0.0.1 --port 5000

# The whole suite, stage by stage, each stage's time printed. The PostgreSQL pass runs when
# TEST_DATABASE_URL is set or CI=true (then an unreachable server fails the run).
test: install
	@bash tests/run_stages.sh

test-unit: install
	$(PYTEST) $(UNIT_TESTS)
	$(PYTEST) --doctest-modules app --ignore=app/registry/migrations

test-integration: install
	$(PYTEST) $(INTEGRATION_TESTS)

test-postgres: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_URL)} $(PYTEST) $(INTEGRATION_TESTS)

browser-deps:
	@bash tests/browser/ensure_chromium.sh

# gunicorn, health and readiness, the index follower; with PostgreSQL also two nodes behind nginx and crashes
test-serving: install
	$(PYTEST) -n 2 $(SERVING_TESTS)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_URL)} $(PYTEST) -n 2 $(SERVING_TESTS)

test-browser: install browser-deps
	$(PYTEST) tests/browser

bench: install
	$(BIN)/python bench/import_sweep.py
	$(BIN)/python bench/import_bulk.py
	$(BIN)/python bench/diff.py
	$(BIN)/python bench/harmonization.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/hostile_search.py

# Long versions of the fuzz stage and the XSS sweep (docs/reliability.md "Bad input, XSS, hostile search,
# API fuzzing"): every generated malformed corpus file through registry load, every XSS payload in
# Chromium, schemathesis at 300 examples per operation, then the hostile-search benchmark.
soak: install browser-deps
	FUZZ_EXAMPLES=5000 CORPUS_DEFECTS=100000 SCHEMATHESIS_EXAMPLES=300 $(PYTEST) tests/fuzz
	XSS_PAYLOADS=100000 $(PYTEST) tests/browser/test_xss.py
	$(BIN)/python bench/hostile_search.py --requests 1000
	$(BIN)/python bench/crash.py --rounds 50
	$(BIN)/python bench/crash.py --rounds 50 --database-url $${TEST_DATABASE_URL:-$(PG_URL)}

lint: install
	$(BIN)/ruff check app bench tests
	$(BIN)/ruff format --check app bench tests

clean:
	rm -rf $(VENV) instance search_index/_* search_index/*.toc search_index/*.seg search_index/*.pos
