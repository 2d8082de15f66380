"""`dnt-desktop aftercare` run as a real subprocess on a demo database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dnt_desktop.services.aftercare import load_sheet
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

from .conftest import pdf_text, squash


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("dnt-desktop")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "dnt_desktop"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )


def test_cli_writes_the_sheet_of_a_demo_session(tmp_path: Path) -> None:
    result = run("demo", "--patients", "50", "--db", "d.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run("aftercare", "1", "--db", "d.db", "-o", "s.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "s.pdf" in result.stdout
    db = open_database(sqlite_url(tmp_path / "d.db"), create=False)
    try:
        sheet = load_sheet(db, 1)
    finally:
        db.dispose()
    text = squash(pdf_text((tmp_path / "s.pdf").read_bytes()))
    assert sheet.patient_name in text
    assert sheet.points
    for item in sheet.points:
        assert item.muscle in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db", "s.pdf"]  # no temp file left

    missing = run("aftercare", "999999", "--db", "d.db", "-o", "x.pdf", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "dnt-desktop: error: Session 999999 does not exist."
    ]
    assert not (tmp_path / "x.pdf").exists()

    nowhere = run("aftercare", "1", "--db", "d.db", "-o", "no/such/dir/x.pdf", cwd=tmp_path)
    assert nowhere.returncode == 1
    assert len(nowhere.stderr.strip().splitlines()) == 1 and "cannot write" in nowhere.stderr

    bengali = run(
        "aftercare", "1", "--db", "d.db", "-o", "bn.pdf", "--language", "bn", cwd=tmp_path
    )
    assert bengali.returncode == 0, bengali.stderr
    assert "(Bengali) written to bn.pdf" in bengali.stdout
    assert bengali.stderr.startswith("Warning: The Bengali texts have not been reviewed")
    assert "আজ আমরা কী" in pdf_text((tmp_path / "bn.pdf").read_bytes())
    assert "Warning" not in result.stderr  # English: nothing to warn about

    unknown = run("aftercare", "1", "--db", "d.db", "-o", "x.pdf", "--language", "xx", cwd=tmp_path)
    assert unknown.returncode == 1 and not (tmp_path / "x.pdf").exists()
    assert "no aftercare texts in 'xx'; use en (English), bn (Bengali), hi (Hindi)" in (
        unknown.stderr
    )


def test_cli_does_not_create_a_missing_database(tmp_path: Path) -> None:
    result = run("aftercare", "1", "--db", "none.db", "-o", "x.pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "no database" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_sheet_dated_9999_in_a_time_zone_ahead_of_utc(
    tmp_path: Path, db_path: Path, make_session, monkeypatch
) -> None:
    from sqlalchemy import text

    from .conftest import point

    session_id = make_session([point("gluteus_medius")])
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.transaction() as session:  # stored before the rules refused such dates
            session.execute(
                text("UPDATE treatment_session SET started_at = '9999-12-31 23:59:00.000000'")
            )
    finally:
        db.dispose()
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    result = run("aftercare", str(session_id), "--db", str(db_path), "-o", "s.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "31 December 9999" in squash(pdf_text((tmp_path / "s.pdf").read_bytes()))
