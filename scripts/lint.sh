#!/usr/bin/env bash
# `make lint`: ruff, bandit (fails on high-severity findings), pip-audit (fails on a known
# vulnerability in the pinned requirements). See docs/operator.md, "Security".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev >/dev/null

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> bandit (high severity fails; medium ones are reviewed in docs/decisions.md)"
.venv/bin/bandit -q -r shoal -x '*/tests/*,*/migrations/*' -lll

echo "==> pip-audit (pinned requirements)"
log="$(mktemp)"
# --no-deps: the .txt files pin every package already; pip is not needed to resolve them.
.venv/bin/pip-audit --disable-pip --no-deps -r requirements/base.txt -r requirements/dev.txt \
  --progress-spinner off >"$log" 2>&1 || { cat "$log"; exit 1; }
grep -v "^WARNING:pip_audit" "$log" | head -1
skipped=$(grep -c "could not be audited" "$log" || true)
if [ "$skipped" -gt 0 ]; then
  echo "!! pip-audit could not look up $skipped of the pinned packages (no vulnerability data from the package index here)" >&2
  [ "${SHOAL_AUDIT_STRICT:-}" = "1" ] && exit 1
fi
rm -f "$log"
