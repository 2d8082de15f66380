"""A non-editable wheel carries its resources and migrations and runs from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_resources_and_migrations_and_works(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("dnt_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "dnt_desktop/resources/catalogues/muscles.json",
        "dnt_desktop/resources/body_chart/front.json",
        "dnt_desktop/resources/demo/names.json",
        "dnt_desktop/storage/migrations/env.py",
        "dnt_desktop/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert required in names, required
    assert not any(name.startswith("tests/") for name in names)

    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    env = dict(os.environ, PYTHONPATH=str(target))
    db = tmp_path / "w.db"
    probe = (
        "import dnt_desktop.paths as p, sys; "
        f"assert str(p.resources_dir()).startswith({str(target)!r}), p.resources_dir(); "
        "from dnt_desktop.cli import main; "
        f"sys.exit(main(['demo', '--patients', '3', '--db', {str(db)!r}]) "
        f"or main(['check', '--db', {str(db)!r}]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK: integrity check passed" in run.stdout
