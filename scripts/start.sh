#!/usr/bin/env bash
# Installs everything dnt-desktop needs (system libraries, .venv, the package) and starts it.
# Usage: scripts/start.sh [--demo] [other dnt-desktop options]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXTRAS="" source "$ROOT/scripts/setup-env.sh"
exec "$ROOT/.venv/bin/dnt-desktop" "$@"
