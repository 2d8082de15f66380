"""The real `dnt-desktop` entry point, run as a subprocess."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("dnt-desktop")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "dnt_desktop"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )


def test_demo_check_and_backup_round_trip(tmp_path: Path) -> None:
    db, copy = tmp_path / "x.db", tmp_path / "y.db"
    result = run("demo", "--patients", "40", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "40 patients" in result.stdout
    checked = run("check", "--db", str(db))
    assert checked.returncode == 0 and "signed sessions verified. Head: " in checked.stdout
    result = run("backup", "--db", str(db), str(copy))
    assert result.returncode == 0, result.stderr
    assert f"(also in {copy.name}.head)" in result.stdout
    result = run("check", "--db", str(copy))
    assert result.returncode == 0 and result.stdout.startswith("OK"), result.stdout
    result = run("check", "--db", str(db), "--head", str(copy))  # the backup as a kept head
    assert result.returncode == 0, result.stdout


def test_check_of_a_non_database_is_one_clear_line_and_leaves_it_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Notes\n\nNot a database.\n")
    before = hashlib.sha256(readme.read_bytes()).hexdigest()
    result = run("check", "--db", str(readme))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a dnt-desktop database" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert hashlib.sha256(readme.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_check_reports_tampering(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    assert run("demo", "--patients", "5", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER IF EXISTS needling_point_signed_no_update")
        conn.execute(
            "UPDATE needling_point SET depth_mm = depth_mm + 1 WHERE session_id = "
            "(SELECT id FROM treatment_session WHERE status = 'signed' LIMIT 1) "
            "AND depth_class = 'deep' AND depth_mm + 1 <= needle_length_mm"
        )
    conn.close()
    result = run("check", "--db", str(db))
    assert result.returncode == 1
    assert "changed after signing" in result.stdout


def test_errors_are_one_line_with_non_zero_exit(tmp_path: Path) -> None:
    result = run("backup", "--db", str(tmp_path / "missing.db"), str(tmp_path / "b.db"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no database" in result.stderr
    result = run("demo", "--patients", "0", "--db", str(tmp_path / "d.db"))
    assert result.returncode == 1 and "at least 1" in result.stderr
