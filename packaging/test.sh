#!/usr/bin/env bash
# The whole test suite and the project's checks. Run through `bash packaging/setup.sh test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "== ruff"; ruff check src tests; ruff format --check src tests
echo "== mypy (strict)"; mypy
echo "== import contracts"; lint-imports
echo "== pytest"; pytest "$@"
