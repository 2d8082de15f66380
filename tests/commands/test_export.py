"""`dnt-desktop export PATIENT_ID -o FILE.zip`: the complete record, audited like the GUI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop import cli, demo
from dnt_desktop.models import AuditEvent
from dnt_desktop.services.export_manifest import MANIFEST_NAME, manifest_problems
from dnt_desktop.storage.engine import Database


def test_export_writes_the_zip_and_audits_it(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.generate(db, patients=3, seed=5)
    out = tmp_path / "patient-2.zip"
    code = cli.main(
        ["export", "2", "--db", str(db_path), "-o", str(out), "--reason", "Court order 17/2026"]
    )
    assert code == 0, capsys.readouterr().err
    assert "Complete record of patient 2 written to" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = files.pop(MANIFEST_NAME).decode()
    assert manifest_problems(files, manifest) == []
    assert {"record.pdf", "record.json", "README.txt", "csv/needling_point.csv"} <= set(files)
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (event.action, event.actor_id, event.patient_id) == ("export", None, 2)
    assert "(command line)" in event.summary and "Reason: Court order 17/2026" in event.summary


def test_an_unknown_patient_or_a_bad_output_is_one_clear_line(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "99", "--db", str(db_path), "-o", str(tmp_path / "a.zip")]) == 1
    assert capsys.readouterr().err.strip() == "dnt-desktop: error: Patient 99 does not exist."
    assert cli.main(["export", "1", "--db", str(db_path), "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.zip"))
