#!/usr/bin/env bash
# `make test`: installs what tests need, then lint, the suite on SQLite and on PostgreSQL, the web
# app's type check and build, and the browser tests. Ends with pytest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

scripts/setup.sh dev
scripts/system-packages.sh || {
  echo "!! could not install the browser test packages" >&2
  [ "${CI:-}" = "true" ] && exit 1
}

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> web app: type check and build"
scripts/web.sh --check
$PY manage.py collectstatic --no-input -v0

PG_URL="${SHOAL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/shoal}"
pg_ok=0
$PY - "$PG_URL" <<'PYCODE' && pg_ok=1 || true
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=5).close()
except Exception as exc:
    print(f"!! PostgreSQL is unreachable at {url}: {exc}", file=sys.stderr)
    sys.exit(1)
PYCODE

workers="-n ${SHOAL_TEST_WORKERS:-2}"

echo "==> pytest on SQLite"
SHOAL_VAR_DIR="$(mktemp -d)" DATABASE_URL= $PY -m pytest $workers -q shoal

if [ "$pg_ok" = 1 ]; then
  echo "==> pytest on PostgreSQL"
  SHOAL_VAR_DIR="$(mktemp -d)" DATABASE_URL="$PG_URL" $PY -m pytest $workers -q shoal
else
  echo "!! skipped the PostgreSQL run: start PostgreSQL on 127.0.0.1:5432 (user postgres) or set SHOAL_TEST_PG_URL" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi

echo "==> browser tests (e2e/)"
scripts/e2e.sh
