#!/usr/bin/env bash
# Runs every check and test: lint, the suite on SQLite, the suite on PostgreSQL, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export GOODWILL_FAST_PASSWORD_HASHER=true
export GOODWILL_DATA_DIR="${GOODWILL_TEST_DATA_DIR:-$(mktemp -d -t goodwill-test-XXXXXX)}"
unset GOODWILL_DATABASE_URL
PG_URL="${GOODWILL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

echo "== lint: ruff, mypy, import contracts"
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/mypy goodwill
$BIN/lint-imports

echo "== tests on SQLite"
$BIN/pytest -q -m "not browser and not postgres_only"

echo "== tests on PostgreSQL ($PG_URL)"
# pytest-django creates test_<name> itself, so the probe asks the server's own postgres database.
if $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
url = sys.argv[1].replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}")
    sys.exit(1)
PY
then
  GOODWILL_DATABASE_URL="$PG_URL" $BIN/pytest -q -m "not browser and not sqlite_only"
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: CI must test on PostgreSQL, and none answers at $PG_URL."
  exit 1
else
  echo "SKIPPED: the PostgreSQL pass did not run because no PostgreSQL answers at $PG_URL."
  echo "         Start one (trust auth, user postgres) or set GOODWILL_TEST_POSTGRES_URL."
fi

echo "== browser tests (Playwright + /usr/bin/chromium)"
if [ -x /usr/bin/chromium ]; then
  $BIN/pytest -q -m browser
else
  echo "FAILED: /usr/bin/chromium is missing; install Debian's chromium (apt-get install chromium)."
  exit 1
fi
