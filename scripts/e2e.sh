#!/usr/bin/env bash
# Browser tests: Playwright for Python driving Debian's Chromium against a real Shoal server
# started by e2e/conftest.py on a fresh database. Screenshots land in e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "!! chromium is not installed (scripts/system-packages.sh installs it)" >&2
  exit 1
fi
exec .venv/bin/python -m pytest -q -p no:cacheprovider e2e "$@"
