#!/usr/bin/env bash
# Installs what dnt-desktop needs on Debian/Ubuntu: the system libraries Qt loads, a
# Python 3.11+ virtual environment in .venv, and the package (with EXTRAS if given).
# Sourced by start.sh and test.sh; safe to run again. Once installed it is quick and
# offline: pip runs only when the dependencies changed (pyproject.toml, setup.py or the
# extras asked for, compared with the stamp .venv/dnt-install.stamp), and the system
# packages are checked with one dpkg-query. pip's output goes to .venv/pip-install.log.
# After installing it adds the desktop launcher (dnt_desktop/launcher.py) on Linux, unless
# DNT_NO_LAUNCHER is set (build machines, shared accounts).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
EXTRAS=${EXTRAS:-}
STAMP="$VENV/dnt-install.stamp"
PIP_LOG="$VENV/pip-install.log"

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
  # One dpkg-query for every package and its t64 rename (Debian 13, Ubuntu 24.04).
  local pkg line
  local -A installed=()
  while read -r line; do
    case "$line" in *" ii"*) installed["${line%% *}"]=1 ;; esac
  done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" "${@/%/t64}" 2>/dev/null || true)
  for pkg in "$@"; do
    [ -n "${installed[$pkg]:-}" ] || [ -n "${installed[${pkg}t64]:-}" ] || echo "$pkg"
  done
}

install_system_packages() {
  command -v dpkg-query >/dev/null && command -v apt-get >/dev/null \
    || { echo "setup: apt-get not found; install Qt's libraries by hand" >&2; return 0; }
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

# The extras asked for, sorted and without repeats ("postgres,test").
wanted_extras() {
  tr ',' '\n' <<<"$EXTRAS" | sed 's/[[:space:]]//g; /^$/d' | sort -u | paste -sd, -
}

# What decides the installed packages: the two files pip reads.
dependencies_hash() {
  cat "$ROOT/pyproject.toml" "$ROOT/setup.py" | sha256sum | cut -d' ' -f1
}

# True when .venv holds an install of these dependencies with every extra asked for.
install_is_current() {
  [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/dnt-desktop" ] && [ -f "$STAMP" ] || return 1
  local hash extras extra
  hash=$(sed -n 's/^dependencies=//p' "$STAMP")
  extras=$(sed -n 's/^extras=//p' "$STAMP")
  [ "$hash" = "$(dependencies_hash)" ] || return 1
  for extra in $(tr ',' ' ' <<<"$(wanted_extras)"); do
    case ",$extras," in *",$extra,"*) ;; *) return 1 ;; esac
  done
}

pip_quietly() {
  "$VENV/bin/python" -m pip --disable-pip-version-check --retries 1 "$@" >>"$PIP_LOG" 2>&1
}

install_packages() {
  ensure_python
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  local extras spec="$ROOT"
  extras=$(wanted_extras)
  [ -n "$extras" ] && spec="$ROOT[$extras]"
  echo "setup: installing the Python packages into .venv (first run, or the dependencies changed)..."
  rm -f "$STAMP"
  : >"$PIP_LOG"
  if ! pip_quietly install -q --upgrade pip setuptools wheel \
     || ! pip_quietly install -q -e "$spec"; then
    if "$VENV/bin/python" -c 'import dnt_desktop, PySide6, sqlalchemy, reportlab' 2>/dev/null; then
      echo "setup: warning: pip could not update the packages (no network?); starting with the installed ones. Details: $PIP_LOG" >&2
      return 0
    fi
    tail -n 20 "$PIP_LOG" >&2
    echo "setup: the Python packages did not install (see $PIP_LOG)" >&2
    exit 1
  fi
  "$VENV/bin/python" -c 'import dnt_desktop, PySide6, sqlalchemy, reportlab' \
    || { echo "setup: the Python packages did not install (see $PIP_LOG)" >&2; exit 1; }
  printf 'dependencies=%s\nextras=%s\n' "$(dependencies_hash)" "$extras" >"$STAMP"
  install_launcher
}

# The desktop launcher (menu entry with the app's icon) for this checkout, on Linux.
install_launcher() {
  [ "$(uname -s)" = Linux ] || return 0
  [ -z "${DNT_NO_LAUNCHER:-}" ] || return 0
  "$VENV/bin/python" -m dnt_desktop.launcher \
    || echo "setup: warning: the desktop launcher could not be installed" >&2
}

install_system_packages
install_is_current || install_packages
