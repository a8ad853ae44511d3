#!/usr/bin/env bash
# `make bench`: realistic customer data in a separate PostgreSQL database (generated once per scale,
# kept for reruns), then p50/p95 server times and the claim race. BENCH_SCALE=10k (default) | 100k | 1m
# | <number>. BENCH_REGENERATE=1 rebuilds the data. Results: bench/results/<date>.json and .md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
scale="${BENCH_SCALE:-10k}"
case "$scale" in
  10k) n=10000 ;;
  100k) n=100000 ;;
  1m) n=1000000 ;;
  *[!0-9]*) echo "BENCH_SCALE must be 10k, 100k, 1m or a number" >&2; exit 2 ;;
  *) n="$scale" ;;
esac
base="${SHOAL_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
db="shoal_bench_${scale}"

$PY - "$base" "$db" "${BENCH_REGENERATE:-0}" <<'PYCODE'
import sys, psycopg
base, db, regenerate = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
try:
    conn = psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5)
except Exception as exc:
    sys.exit(f"!! the benchmark needs PostgreSQL at {base} (set SHOAL_BENCH_PG_URL): {exc}")
exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone()
if exists and regenerate:
    conn.execute(f'DROP DATABASE "{db}"')
    exists = None
if not exists:
    conn.execute(f'CREATE DATABASE "{db}"')
    print(f"==> created database {db}")
PYCODE

export DATABASE_URL="$base/$db"
export SHOAL_VAR_DIR="${SHOAL_VAR_DIR:-$(mktemp -d)}"
echo "==> migrate $db"
$PY manage.py migrate -v0
echo "==> generate $n customers (once per database)"
$PY bench/generate.py "$n"
echo "==> measure"
$PY bench/run.py --scale "$scale"

# CUS-13: 100,000 customers imported from a GBK CSV in ≤ 60 s, memory flat (its own database,
# recreated each run, so the list benchmarks above keep their data). BENCH_IMPORT_ROWS to change.
import_db="shoal_bench_import"
$PY - "$base" "$import_db" <<'PYCODE'
import sys, psycopg
base, db = sys.argv[1], sys.argv[2]
conn = psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5)
conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
conn.execute(f'CREATE DATABASE "{db}"')
PYCODE
echo "==> import benchmark in $import_db"
DATABASE_URL="$base/$import_db" $PY manage.py migrate -v0
DATABASE_URL="$base/$import_db" $PY bench/import_bench.py --rows "${BENCH_IMPORT_ROWS:-100000}" --format "${BENCH_IMPORT_FORMAT:-csv}"
