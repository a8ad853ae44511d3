#!/usr/bin/env bash
# `make fuzz`: the deep profile of the schema fuzzing and the property tests (issue 9).
# SHOAL_FUZZ_EXAMPLES (default 60) sets the examples per operation and actor.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
export SHOAL_FUZZ=deep SHOAL_VAR_DIR="${SHOAL_VAR_DIR:-$(mktemp -d)}"
export SHOAL_FUZZ_EXAMPLES="${SHOAL_FUZZ_EXAMPLES:-60}"
.venv/bin/python -m pytest -n "${SHOAL_TEST_WORKERS:-2}" -q -p no:randomly \
  shoal/gates/tests/test_schema_fuzz.py shoal/gates/tests/test_schema_stateful.py \
  shoal/gates/tests/test_properties.py "$@"
