#!/usr/bin/env bash
# Installs what dnt-desktop needs on Debian/Ubuntu: the system libraries Qt loads, a
# Python 3.11+ virtual environment in .venv, and the package (with EXTRAS if given).
# Sourced by start.sh and test.sh; safe to run again (it skips what is already there).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
EXTRAS=${EXTRAS:-}

SYSTEM_PACKAGES=(
  ca-certificates
  # Qt's run-time libraries (offscreen and X11/xcb platforms, fonts, printing)
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libcups2 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libx11-xcb1 libxrender1 libxi6 libsm6 libice6 fonts-dejavu-core
  # pdftoppm, used by the tests to render aftercare sheets
  poppler-utils
)
# With the test extra: a PostgreSQL server, on which tests/postgres runs the app in a
# throwaway cluster of its own (the system's cluster is not used), and the locale sources
# for a database in en_US.UTF-8 (localedef).
TEST_SYSTEM_PACKAGES=(postgresql locales)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || dpkg-query -W -f='${Status}' "${pkg}t64" 2>/dev/null | grep -q "install ok installed" \
      || echo "$pkg"
  done
}

install_system_packages() {
  command -v apt-get >/dev/null || { echo "setup: apt-get not found; install Qt's libraries by hand" >&2; return 0; }
  local missing
  local wanted=("${SYSTEM_PACKAGES[@]}")
  case ",$EXTRAS," in *,test,*) wanted+=("${TEST_SYSTEM_PACKAGES[@]}") ;; esac
  missing=$(missing_packages "${wanted[@]}")
  if [ -n "$missing" ]; then
    echo "setup: installing system packages: $(echo $missing)"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

ensure_python() {
  PYTHON=$(find_python) || {
    echo "setup: installing Python 3.11+"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3 python3-venv python3-pip >/dev/null \
      || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3.11 python3.11-venv >/dev/null
    PYTHON=$(find_python) || { echo "setup: Python 3.11 or newer is required" >&2; exit 1; }
  }
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    local version
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "python${version}-venv" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
  fi
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  local spec="$ROOT"
  [ -n "$EXTRAS" ] && spec="$ROOT[$EXTRAS]"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip setuptools wheel 2>&1 | grep -v '^WARNING: Location' || true
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec" 2>&1 | grep -v '^WARNING: Location' || true
  "$VENV/bin/python" -c 'import dnt_desktop, PySide6, sqlalchemy, reportlab' \
    || { echo "setup: the Python packages did not install" >&2; exit 1; }
}

install_system_packages
ensure_python
ensure_venv
