#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements when they changed since the last install.
# Usage: scripts/setup.sh base|dev
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-base}"
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi

install() {  # install requirements/$1.txt unless the same file was installed before
  local file="requirements/$1.txt" stamp=".venv/.installed-$1"
  local sum
  sum=$(sha256sum "$file" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> installing $file"
    # (this machine's pip config names extra local indexes; their "is ignored" notes are noise)
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$file" \
      2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    echo "$sum" > "$stamp"
  fi
}

install base
if [ "$kind" = "dev" ]; then
  install dev
fi
