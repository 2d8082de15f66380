#!/usr/bin/env bash
# Installs everything (system libraries, .venv with the test extra) and runs the whole
# test suite headless: lint, then every pytest suite. Extra arguments go to pytest.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXTRAS="test" source "$ROOT/scripts/setup-env.sh"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check .
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
