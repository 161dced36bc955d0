#!/usr/bin/env bash
# `make test`: every stage of the suite, each timed. Fails on the first failing stage.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest -q -p no:cacheprovider"
PG_URL_DEFAULT="postgresql+psycopg://root@127.0.0.1:5432/test"
UNIT="tests/corpus tests/diff tests/search tests/harmonization tests/exports tests/test_units.py tests/test_config.py tests/test_layers.py tests/corpus_content"
INTEGRATION="tests/registry tests/services tests/api tests/cli tests/web tests/security"
status=0

stage() {
  local name="$1"; shift
  local t0=$(date +%s)
  echo "=== stage: $name"
  "$@"
  local rc=$?
  echo "=== stage: $name took $(( $(date +%s) - t0 ))s (exit $rc)"
  if [ $rc -ne 0 ]; then status=$rc; fi
  return 0
}

existing() { for p in "$@"; do [ -e "$p" ] && printf '%s ' "$p"; done; }

stage lint .venv/bin/ruff check app bench tests
stage unit $PYTEST $(existing $UNIT)
# every docstring example in the package runs (the migrations are Alembic scripts, not importable modules)
stage doctest $PYTEST --doctest-modules app --ignore=app/registry/migrations
stage integration-sqlite $PYTEST -n 2 $(existing $INTEGRATION)
# real servers (gunicorn) on SQLite; the multi-node tests need PostgreSQL and run in serving-postgres
stage serving-sqlite $PYTEST -n 2 tests/serving

pg_url="${TEST_DATABASE_URL:-}"
if [ -z "$pg_url" ] && [ "${CI:-}" = "true" ]; then pg_url="$PG_URL_DEFAULT"; fi
if [ -n "$pg_url" ]; then
  if .venv/bin/python - "$pg_url" <<'PY'
import sys
from sqlalchemy import create_engine, text
try:
    with create_engine(sys.argv[1]).connect() as c:
        c.execute(text("select 1"))
except Exception as exc:
    print(f"PostgreSQL at {sys.argv[1]} is unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
  then
    stage integration-postgres env TEST_DATABASE_URL="$pg_url" $PYTEST -n 2 $(existing $INTEGRATION)
    stage search-postgres env TEST_DATABASE_URL="$pg_url" TEST_SEARCH_BACKEND=postgres $PYTEST -n 2 tests/search tests/services/search
    # real servers: gunicorn, two nodes on one PostgreSQL behind nginx, one crash round
    stage serving-postgres env TEST_DATABASE_URL="$pg_url" $PYTEST -n 2 tests/serving
  else
    echo "=== stage: integration-postgres FAILED: server unreachable"; status=1
  fi
else
  echo "=== stage: integration-postgres skipped (set TEST_DATABASE_URL or CI=true to run it)"
fi

stage fuzz $PYTEST tests/fuzz

if bash tests/browser/ensure_chromium.sh; then
  stage browser $PYTEST tests/browser
else
  if [ "${CI:-}" = "true" ]; then echo "=== stage: browser FAILED: chromium could not be installed"; status=1
  else echo "=== stage: browser skipped: chromium could not be installed (needs apt-get as root)"; fi
fi
exit $status
