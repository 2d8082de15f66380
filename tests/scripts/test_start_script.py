"""scripts/start.sh: offline and without pip once installed; pip again only when needed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE_INDEX = "http://127.0.0.1:9/simple/"
"""Port 9 (discard) on this machine: every connection is refused at once."""
PIP_WORDS = ("pip", "Collecting", "Requirement", "Installing", "WARNING", "setup:")


def offline_environment(tmp_path: Path) -> dict[str, str]:
    """The caller's environment with an unreachable package index and no proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy")
        and not key.startswith("PIP_")
        and key not in ("EXTRAS", "DNT_NO_LAUNCHER")
    }
    env["PIP_INDEX_URL"] = UNREACHABLE_INDEX
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.mark.skipif(not (ROOT / ".venv").is_dir(), reason="no .venv in this checkout")
def test_the_start_command_starts_the_installed_app_offline_without_pip(tmp_path: Path) -> None:
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "start.sh"), "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        env=offline_environment(tmp_path),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert run.stdout.startswith("dnt-desktop "), output
    assert not [word for word in PIP_WORDS if word in output], output
    assert not (tmp_path / "data").exists(), "an unchanged install rewrote the launcher"


# --- when pip runs: a copy of the scripts in a folder with a stand-in .venv --------------

FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for .venv/bin/python: logs pip and launcher calls, imports nothing.
case "$1 $2" in
  "-m pip") echo "pip $*" >>"$(dirname "$0")/../calls.log"; [ -z "${FAIL_PIP:-}" ] ;;
  "-m dnt_desktop.launcher") echo "launcher" >>"$(dirname "$0")/../calls.log" ;;
  *) exit 0 ;;
esac
"""
FAKE_APP = '#!/usr/bin/env bash\necho "app $*"\n'
FAKE_DPKG_QUERY = """#!/usr/bin/env bash
# Every system package is installed.
for pkg in "${@:3}"; do echo "$pkg ii "; done
"""
FAKE_SYSTEM_PYTHON = (
    "#!/usr/bin/env bash\n# A Python 3.13 with venv: answers yes at once.\nexit 0\n"
)


def _executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """Scripts, pyproject.toml and setup.py of this repository, and a stand-in .venv."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("setup-env.sh", "start.sh"):
        shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy(ROOT / name, root / name)
    _executable(root / ".venv" / "bin" / "python", FAKE_PYTHON)
    _executable(root / ".venv" / "bin" / "dnt-desktop", FAKE_APP)
    _executable(tmp_path / "bin" / "dpkg-query", FAKE_DPKG_QUERY)
    _executable(tmp_path / "bin" / "python3.13", FAKE_SYSTEM_PYTHON)
    return root


def start(root: Path, *, extras: str | None = None, **env: str) -> tuple[str, list[str]]:
    """Run start.sh (or setup-env.sh with *extras*, as test.sh does); output and pip calls."""
    log = root / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    environment = offline_environment(root.parent)
    environment["PATH"] = f"{root.parent / 'bin'}{os.pathsep}{environment['PATH']}"
    environment.update(env)
    if extras is None:
        command = ["bash", str(root / "scripts" / "start.sh"), "--demo"]
    else:
        environment["EXTRAS"] = extras
        command = ["bash", str(root / "scripts" / "setup-env.sh")]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=60, env=environment, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return run.stdout + run.stderr, calls


def pip_installs(calls: list[str]) -> list[str]:
    return [call for call in calls if call.startswith("pip") and " -e " in call]


def test_pip_runs_once_and_again_only_when_the_dependencies_change(checkout: Path) -> None:
    output, calls = start(checkout)
    assert pip_installs(calls) == [
        f"pip -m pip --disable-pip-version-check --retries 1 install -q -e {checkout}"
    ]
    assert "launcher" in calls
    assert output.endswith("app --demo\n")

    output, calls = start(checkout)
    assert calls == [] and output == "app --demo\n"

    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n# "rl-accel" pinned\n', encoding="utf-8")
    _, calls = start(checkout)
    assert len(pip_installs(calls)) == 1
    _, calls = start(checkout)
    assert calls == []


def test_the_test_extra_installs_once_and_start_reuses_it(checkout: Path) -> None:
    start(checkout)
    _, calls = start(checkout, extras="test")
    assert pip_installs(calls) and pip_installs(calls)[0].endswith(f"-e {checkout}[test]")
    assert start(checkout, extras="test")[1] == []
    assert start(checkout)[1] == [], "start.sh needs no extra: the test install serves it"


def test_a_failed_update_starts_the_installed_app_with_a_warning(checkout: Path) -> None:
    start(checkout)
    (checkout / "setup.py").write_text("# changed\n", encoding="utf-8")
    output, calls = start(checkout, FAIL_PIP="1")
    assert any(call.startswith("pip") for call in calls)
    assert "pip could not update the packages" in output
    assert "app --demo\n" in output
    # Not stamped as current: the next start tries again.
    assert pip_installs(start(checkout)[1])


@pytest.mark.skipif(not (ROOT / ".venv").is_dir(), reason="no .venv in this checkout")
def test_offline_the_start_command_opens_the_signed_in_window_without_pip(
    tmp_path: Path,
) -> None:
    """Not only ``--version``: the start command starts the app to its main window (the
    benchmark's start probe signs in and reports READY) with the package index unreachable,
    and nothing of pip is printed."""
    from dnt_desktop import demo
    from dnt_desktop.demo import DEMO_PASSWORD
    from dnt_desktop.storage.location import sqlite_url
    from dnt_desktop.storage.open import open_database

    db_path = tmp_path / "clinic.sqlite3"
    db = open_database(sqlite_url(db_path))
    try:
        demo.generate(db, patients=3, seed=2)
    finally:
        db.dispose()
    probes = ROOT / "benchmarks" / "probes"
    env = offline_environment(tmp_path)
    env["PYTHONPATH"] = str(probes / "start_command")
    env["DNT_START_PROBE"] = f"sarah.okafor {DEMO_PASSWORD}"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "start.sh"), "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=probes,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "READY" in run.stdout, output[-3000:]  # the main window was shown, signed in
    printed = [line for line in output.splitlines() if not line.startswith(PROBE_LINES)]
    assert not [w for w in PIP_WORDS if any(w in line for line in printed)], printed


PROBE_LINES = ("READY", "PEAK_RSS_KB", "DIALOG_MS", "FIRST_DIALOG", "DIALOGS_CLOSED", "This plugin")
