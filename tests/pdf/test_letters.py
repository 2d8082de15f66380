"""Letters to the referrer: what the PDF says, user text printed as typed, kept as sent."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, SentLetter
from dnt_desktop.pdf.letter import render_letter
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.errors import PermissionDeniedError, ServiceError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.progress.letters import (
    SAVED,
    default_template,
    letter_pdf,
    letter_template,
    prepare_letter,
    record_letter,
    save_letter_template,
    sent_letters,
)
from dnt_desktop.services.progress.measures import Answer, record_measure
from dnt_desktop.services.progress.pain_trend import pain_trend
from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    save_referrer,
    set_patient_referrer,
)
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

NASTY = "<b>Dr & Co</b> <img src='x.png'/>"


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _course(db: Database, practitioner_id: int, patient_id: int) -> list[int]:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)
    ids = []
    for week, (before, after) in enumerate(((7, 4), (6, 3), (4, 2), (3, 1))):
        draft = SessionDraft(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            started_at=start + timedelta(days=7 * week),
            pain_before=before,
            pain_after=after,
        )
        ids.append(save_session(db, practitioner_id, draft).session_id)
    return ids


@pytest.fixture
def course(db: Database, practitioner_id: int, patient_id: int) -> list[int]:
    ids = _course(db, practitioner_id, patient_id)
    referrer, _ = save_referrer(
        db, practitioner_id, ReferrerForm("Dr Ana Ruiz", "Mill Road Surgery", "3 Mill Road")
    )
    set_patient_referrer(db, practitioner_id, patient_id, referrer)
    first = date.today() - timedelta(days=40)
    for when, scores in ((first, (2, 3, 4)), (date.today(), (5, 6, 6))):
        answers = [Answer(f"Activity {n}", v) for n, v in enumerate(scores, start=1)]
        answers += [Answer("", None)] * 2
        record_measure(db, practitioner_id, patient_id, "psfs", when, answers)
    return ids


def test_the_graph_data_is_the_sessions_of_the_database(
    db: Database, practitioner_id: int, patient_id: int, course: list[int]
) -> None:
    trend = pain_trend(db, patient_id)
    assert [p.session_id for p in trend.points] == course
    assert [(p.pain_before, p.pain_after) for p in trend.points] == [(7, 4), (6, 3), (4, 2), (3, 1)]
    assert trend.change == -4
    assert "4 points less" in trend.describe()


def test_a_progress_letter_says_who_to_whom_how_many_and_the_psfs_change(
    db: Database, practitioner_id: int, patient_id: int, course: list[int]
) -> None:
    document = prepare_letter(db, practitioner_id, patient_id, "progress", plan="Two more")
    text = _text(render_letter(document))
    assert "Jane Doe" in text
    assert "Dr Ana Ruiz" in text and "Mill Road Surgery" in text
    assert "seen 4 times" in text
    assert "PSFS: 3 on" in text and "5.7 on" in text
    assert "(+2.7, clinically important improvement)" in text
    assert "Pain over the course of care" in text
    assert "Two more" in text and "PH-1" in text


def test_user_text_in_placeholders_prints_as_typed(
    db: Database, practitioner_id: int, patient_id: int, course: list[int]
) -> None:
    document = prepare_letter(db, practitioner_id, patient_id, "progress", plan=NASTY)
    assert NASTY in _text(render_letter(document))
    edited = document.edited(document.filled() + "\n\nP.S. " + NASTY)
    assert edited.values == {}
    assert _text(render_letter(edited)).count(NASTY) == 2


def test_a_sent_letter_is_kept_listed_byte_identical_and_audited(
    db: Database, db_path: Path, practitioner_id: int, patient_id: int, course: list[int]
) -> None:
    document = prepare_letter(db, practitioner_id, patient_id, "discharge")
    data = render_letter(document)
    letter_id, changes = record_letter(db, practitioner_id, document, data, SAVED)
    assert changes.concerns(patient_id) and letter_id in changes.letters
    (listed,) = sent_letters(db, patient_id)
    assert listed.letter_id == letter_id and listed.title == "Discharge summary"
    assert letter_pdf(db, letter_id) == data
    with db.reading() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter_send")).one()
        assert event.entity_id == letter_id and event.patient_id == patient_id
        assert session.get(SentLetter, letter_id).body == document.filled()
    db.dispose()
    assert check_database(sqlite_url(db_path)).ok
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE sent_letter SET body = 'x'")
        conn.execute("DROP TRIGGER sent_letter_no_update")
        conn.execute("UPDATE sent_letter SET pdf = X'00'")
        conn.commit()
    finally:
        conn.close()
    problems = check_database(sqlite_url(db_path)).problems
    assert problems == [f"sent letter {letter_id}: its PDF is not the one that was sent"]


def test_templates_are_edited_by_administrators_only(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    from dnt_desktop.models import Practitioner
    from dnt_desktop.models.enums import Role

    with pytest.raises(PermissionDeniedError):
        save_letter_template(db, practitioner_id, "progress", "Dear {referrer_name}")
    with db.transaction() as session:
        session.get(Practitioner, practitioner_id).role = Role.ADMIN
    with pytest.raises(ServiceError, match=r"\{refferer\}"):
        save_letter_template(db, practitioner_id, "progress", "Dear {refferer}")
    save_letter_template(db, practitioner_id, "progress", "Hello {referrer_name}, **bold**")
    assert letter_template(db, "progress") == "Hello {referrer_name}, **bold**"
    save_letter_template(db, practitioner_id, "progress", None)
    assert letter_template(db, "progress") == default_template("progress")


def test_the_letter_command_writes_and_keeps_the_letter(
    db: Database,
    db_path: Path,
    practitioner_id: int,
    patient_id: int,
    course: list[int],
    tmp_path: Path,
) -> None:
    db.dispose()
    out = tmp_path / "letter.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dnt_desktop",
            "letter",
            str(patient_id),
            "--template",
            "progress",
            "--db",
            str(db_path),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Dr Ana Ruiz" in result.stdout
    assert "Jane Doe" in _text(out.read_bytes())
    (listed,) = sent_letters(db, patient_id)
    assert letter_pdf(db, listed.letter_id) == out.read_bytes()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "dnt_desktop",
            "letter",
            "999",
            "--template",
            "progress",
            "--db",
            str(db_path),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and "Patient 999 does not exist" in bad.stderr
    assert "Traceback" not in bad.stderr
