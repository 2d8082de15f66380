"""Files kept with a patient's record: checked by content, byte-identical, audited, checked."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import file_types
from dnt_desktop.services.attachments import add_attachment, attachment_data, attachments
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from tests.sample_files import ELF_PROGRAM, pdf_bytes, png_bytes


def test_a_pdf_and_a_png_are_read_back_byte_identical(
    db: Database, db_path: Path, pract_id: int, patient: int
) -> None:
    pdf, png = pdf_bytes("Referral from Dr Adeyemi"), png_bytes()
    changes = add_attachment(db, pract_id, patient, "C:\\scans\\referral.pdf", pdf, kind="referral")
    add_attachment(db, pract_id, patient, "photo.png", png, description="wound, day 2")
    assert changes.concerns(patient) and patient in changes.files
    listed = attachments(db, patient)
    assert [(a.filename, a.mime, a.size) for a in listed] == [
        ("photo.png", "image/png", len(png)),
        ("referral.pdf", "application/pdf", len(pdf)),
    ]
    for info, data in ((listed[0], png), (listed[1], pdf)):
        shown, stored = attachment_data(db, pract_id, info.id)
        assert stored == data
        assert shown.sha256 == hashlib.sha256(data).hexdigest()
    with db.reading() as s:
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "attachment").order_by(AuditEvent.id)
        ).all()
    assert [e.action for e in events] == ["attach", "attach", "view", "view"]
    assert events[0].record_hash == hashlib.sha256(pdf).hexdigest()
    assert all(e.patient_id == patient for e in events)
    assert check_database(sqlite_url(db_path)).ok


def test_a_program_renamed_pdf_is_refused(db: Database, pract_id: int, patient: int) -> None:
    with pytest.raises(ValidationError, match="not a PDF, JPEG or PNG"):
        add_attachment(db, pract_id, patient, "referral.pdf", ELF_PROGRAM)
    assert attachments(db, patient) == []


def test_a_file_over_the_limit_is_refused_with_a_clear_message(
    db: Database, pract_id: int, patient: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = pdf_bytes()
    monkeypatch.setattr(file_types.refusal, "__defaults__", (len(data) - 1,))
    with pytest.raises(ValidationError, match=r"files up to .* can be attached\. Scan it again"):
        add_attachment(db, pract_id, patient, "scan.pdf", data)
    assert attachments(db, patient) == []


def test_the_real_limit_is_twenty_megabytes(db: Database, pract_id: int, patient: int) -> None:
    data = pdf_bytes() + b"%" * (file_types.MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(ValidationError, match=r"files up to 20\.0 MB"):
        add_attachment(db, pract_id, patient, "huge.pdf", data)


def test_a_changed_attachment_byte_is_caught_by_check(
    db: Database, db_path: Path, pract_id: int, patient: int
) -> None:
    add_attachment(db, pract_id, patient, "photo.png", png_bytes())
    (attachment_id,) = [a.id for a in attachments(db, patient)]
    conn = sqlite3.connect(db_path)
    with conn:
        data = bytearray(conn.execute("SELECT data FROM attachment").fetchone()[0])
        data[-5] ^= 0x01
        conn.execute("UPDATE attachment SET data = ?", (bytes(data),))
    report = check_database(sqlite_url(db_path))
    assert report.problems == [
        f"attachment {attachment_id} was changed: its content no longer matches its SHA-256"
    ]
    with pytest.raises(ValidationError, match="changed after it was added"):
        attachment_data(db, pract_id, attachment_id)
    with conn:  # the hash rewritten beside it: the audit trail still knows the file
        conn.execute("UPDATE attachment SET sha256 = ?", (hashlib.sha256(data).hexdigest(),))
    conn.close()
    assert check_database(sqlite_url(db_path)).problems == [
        f"attachment {attachment_id} is not the file the audit trail records (its SHA-256 "
        "was changed, or it was added outside dnt-desktop)"
    ]
