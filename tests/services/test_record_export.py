"""The complete record export: every row of the patient, a valid JSON, a sound manifest,
a readable PDF, and a declaration that fails when a patient-linked table is not exported."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from dnt_desktop import demo
from dnt_desktop.models import AuditEvent, Base, TreatmentSession
from dnt_desktop.models.enums import Severity
from dnt_desktop.pdf.letter import render_letter
from dnt_desktop.pdf.patient_record import export_complete_record
from dnt_desktop.services.attachments import add_attachment
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.export_manifest import MANIFEST_NAME, manifest_problems
from dnt_desktop.services.export_tables import (
    EXPORTED_TABLES,
    NOT_EXPORTED,
    ids_statement,
)
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.progress.letters import (
    SAVED,
    prepare_letter,
    record_letter,
    sent_letters,
)
from dnt_desktop.services.progress.measures import patient_measures, retract_measure
from dnt_desktop.services.progress.referrers import patient_referrer
from dnt_desktop.services.record_export import ExportError, schema_path
from dnt_desktop.services.safety.late_events import LateEventForm, record_late_event
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import SCHEMA_TABLES
from tests.sample_files import pdf_bytes, png_bytes


def open_export(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _busiest_patient(db: Database) -> int:
    with db.reading() as s:
        return int(
            s.execute(
                select(TreatmentSession.patient_id, func.count())
                .group_by(TreatmentSession.patient_id)
                .order_by(func.count().desc(), TreatmentSession.patient_id)
                .limit(1)
            ).one()[0]
        )


def test_a_demo_patients_export_holds_every_row_and_validates(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    demo.generate(db, patients=8, seed=3)
    patient_id = _busiest_patient(db)
    letter, photo = pdf_bytes(), png_bytes()
    add_attachment(db, 1, patient_id, "referral.pdf", letter, kind="referral")
    add_attachment(db, 1, patient_id, "photo.png", photo)
    # an event reported after signing, and a measure entered in error (issue 17)
    with db.reading() as s:
        signed_id = s.scalars(
            select(TreatmentSession.id)
            .where(
                TreatmentSession.patient_id == patient_id, TreatmentSession.signed_at.is_not(None)
            )
            .order_by(TreatmentSession.id)
            .limit(1)
        ).one()
    record_late_event(
        db,
        1,
        signed_id,
        LateEventForm(
            "bruising",
            Severity.MILD,
            20,
            action_taken="Advice only.",
            notes="Phoned in: bruise on the calf.",
        ),
    )
    measures = patient_measures(db, patient_id)
    assert len(measures) >= 2, "the demo patient has outcome measures"
    retract_measure(db, 1, measures[0].measure_id, "Answers of another patient typed here.")
    to_referrer = prepare_letter(db, 1, patient_id, "progress", plan="Two more sessions.")
    record_letter(db, 1, to_referrer, render_letter(to_referrer), SAVED)
    out = tmp_path / "record.zip"
    result = export_complete_record(db, 1, patient_id, "Patient's request (GDPR art. 15)", out)
    files = open_export(out)

    # the manifest: every other file listed with a matching SHA-256
    manifest = files.pop(MANIFEST_NAME).decode()
    assert manifest_problems(files, manifest) == []
    assert result.sessions >= 2 and result.files == 2

    # the JSON: valid against the shipped schema, and every row of every table
    document = json.loads(files["record.json"])
    schema = json.loads(schema_path().read_text("utf-8"))
    jsonschema.validate(document, schema)
    assert files["schema/patient-record.schema.json"] == schema_path().read_bytes()
    with db.reading() as s:
        for spec in EXPORTED_TABLES:
            key = "id" if "id" in spec.table.c else spec.column  # patient_referrer: no id
            if key == "id":
                ids = sorted(s.scalars(ids_statement(spec.name, patient_id)))
            else:
                column = spec.table.c[key]
                ids = sorted(s.scalars(select(column).where(column == patient_id)))
            if spec.name == "audit_event":  # all but the export's own event, written after
                assert ids.pop() == result.audit_event_id
            assert [row[key] for row in document["tables"][spec.name]] == ids, spec.name
            core = ("patient", "consent", "treatment_session", "needling_point", "attachment")
            assert ids or spec.name not in core, f"the demo patient has no {spec.name}"
            rows = list(
                csv.DictReader(io.StringIO(files[f"csv/{spec.name}.csv"].decode("utf-8-sig")))
            )
            assert [int(r[key]) for r in rows] == ids, spec.name
    assert document["tables"]["patient"][0]["id"] == patient_id
    assert "data" not in document["tables"]["attachment"][0]

    # who every referrer_id is (the patient's referrer, each letter's addressee)
    named = {r["referrer_id"] for r in document["tables"]["patient_referrer"]}
    named |= {r["referrer_id"] for r in document["tables"]["sent_letter"] if r["referrer_id"]}
    assert named and {r["id"] for r in document["referrers"]} == named
    known = patient_referrer(db, patient_id)
    assert known is not None
    assert any(r["name"] == known.name for r in document["referrers"])

    # each letter sent, exactly as sent
    for letter_row in document["tables"]["sent_letter"]:
        sent = files[f"letters/{letter_row['id']}.pdf"]
        assert hashlib.sha256(sent).hexdigest() == letter_row["pdf_sha256"]

    # attachments byte for byte; signed sessions verifiable
    assert [files[f["path"]] for f in document["files"]] == [letter, photo]
    signed = [r for r in document["tables"]["treatment_session"] if r["status"] == "signed"]
    assert signed and len(document["signatures"]) == len(signed)
    for signature in document["signatures"]:
        assert signature["verified"] and signature["audit_event_id"]
        assert signature["recomputed_content_hash"] == signature["content_hash"]

    # the PDF: every session's date and time
    text = pdf_text(files["record.pdf"])
    from datetime import datetime

    for row in document["tables"]["treatment_session"]:
        started = datetime.fromisoformat(row["started_at"].replace("Z", "+00:00"))
        assert f"Session of {format_datetime(started)}" in text

    # ... the events reported after signing, the outcome measures (scored as the app
    # scores them, the one entered in error marked), the referrer and the letters sent
    flat = " ".join(text.split())
    assert "Event reported after signing" in flat and "Phoned in: bruise on the calf." in flat
    assert f"Outcome measures ({len(measures)})" in flat
    for measure in measures:
        assert measure.score_text in flat
    assert "ENTERED IN ERROR" in flat and "Answers of another patient typed here." in flat
    assert flat.count("ENTERED IN ERROR (") == 1
    referrer = patient_referrer(db, patient_id)
    assert referrer is not None and referrer.name in flat
    letters = sent_letters(db, patient_id)
    assert letters and f"Letters sent ({len(letters)})" in flat
    for sent in letters:
        assert f"letters/{sent.letter_id}.pdf" in flat
        assert sent.title in flat

    # audited: who, when, which patient, why; the database still checks clean
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (event.action, event.actor_id, event.patient_id) == ("export", 1, patient_id)
    assert "Reason: Patient's request (GDPR art. 15)" in event.summary
    assert event.record_hash == result.manifest_sha256
    assert check_database(sqlite_url(db_path)).ok


def test_a_name_with_markup_and_other_scripts_prints_exactly(
    db: Database, practitioner_id: int, tmp_path: Path
) -> None:
    family, given = "<b>Ørsted-Nguyễn</b>", "Анна 美咲"
    pid = register_patient(db, practitioner_id, PatientForm(family, given, date(1990, 2, 3)))
    out = tmp_path / "x.zip"
    export_complete_record(db, practitioner_id, pid, "Transfer to another clinic", out)
    files = open_export(out)
    text = pdf_text(files["record.pdf"])
    assert f"{family}, {given}" in text
    document = json.loads(files["record.json"])
    assert document["tables"]["patient"][0]["family_name"] == family
    assert document["tables"]["patient"][0]["given_name"] == given


def test_an_export_without_a_reason_or_a_folder_is_refused_and_leaves_nothing(
    db: Database, patient_id: int, practitioner_id: int, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        export_complete_record(db, practitioner_id, patient_id, "  ", tmp_path / "a.zip")
    with pytest.raises(ExportError, match="Cannot write in"):
        export_complete_record(db, practitioner_id, patient_id, "why", tmp_path / "no" / "a.zip")
    assert not list(tmp_path.glob("*.zip*")) and not list(tmp_path.glob(".a.zip*"))
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "export")) == 0


def _links_to_patient(name: str, seen: frozenset[str] = frozenset()) -> bool:
    """True when *name* has a patient_id column or a foreign key to a patient-linked table."""
    table = Base.metadata.tables[name]
    if name == "patient" or "patient_id" in table.c:
        return True
    for key in table.foreign_keys:
        target = key.column.table.name
        if target not in seen and target != name and _links_to_patient(target, seen | {name}):
            return True
    return False


def test_every_table_that_links_to_a_patient_is_exported() -> None:
    """A table added to the schema that holds patient data needs its line in
    export_tables.EXPORTED_TABLES (or a reason in NOT_EXPORTED)."""
    exported = {spec.name for spec in EXPORTED_TABLES}
    linked = {
        name for name in SCHEMA_TABLES if name in Base.metadata.tables and _links_to_patient(name)
    }
    missing = linked - exported - set(NOT_EXPORTED)
    assert not missing, f"patient-linked tables not exported: {sorted(missing)}"
    assert set(SCHEMA_TABLES) - {"alembic_version"} <= set(Base.metadata.tables)
    for spec in EXPORTED_TABLES:  # parents are declared before their children
        assert spec.parent is None or spec.parent in {
            s.name for s in EXPORTED_TABLES[: EXPORTED_TABLES.index(spec)]
        }


def test_practitioner_tables_do_not_count_as_patient_links() -> None:
    assert not _links_to_patient("practitioner")
    assert not _links_to_patient("clinic")
    assert _links_to_patient("needling_point") and _links_to_patient("screening_answer")
