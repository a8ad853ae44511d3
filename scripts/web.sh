#!/usr/bin/env bash
# Builds the web app into web/dist: npm ci when the lockfile changed, the API client from the
# OpenAPI schema, then vite. Skips the build when nothing it depends on changed.
# Usage: scripts/web.sh [--check]   (--check also runs the type check)
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(scripts/node.sh):$PATH"
export PATH

lock_sum=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ ! -f web/node_modules/.shoal-installed ] || [ "$(cat web/node_modules/.shoal-installed)" != "$lock_sum" ]; then
  echo "==> npm ci (web)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > web/node_modules/.shoal-installed
fi

.venv/bin/python manage.py spectacular --format openapi-json --file web/openapi.json.new 2>/dev/null
if ! cmp -s web/openapi.json.new web/openapi.json || [ ! -f web/src/api/schema.d.ts ]; then
  mv web/openapi.json.new web/openapi.json
  (cd web && npm run --silent gen:api >/dev/null)
else
  rm -f web/openapi.json.new
fi

if [ "${1:-}" = "--check" ]; then
  echo "==> web type check"
  (cd web && npm run --silent typecheck)
fi

src_sum=$(cd web && find src public index.html vite.config.ts tsconfig*.json package-lock.json -type f 2>/dev/null | sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [ -f web/dist/index.html ] && [ -f web/node_modules/.shoal-built ] && [ "$(cat web/node_modules/.shoal-built)" = "$src_sum" ]; then
  echo "==> web app unchanged, build skipped"
else
  echo "==> building the web app"
  (cd web && npm run --silent build >/dev/null)
  echo "$src_sum" > web/node_modules/.shoal-built
fi
