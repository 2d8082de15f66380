"""The patient's record as the law sees it, on PostgreSQL: attachments, export, consent,
retention and disposal."""

from __future__ import annotations

from sqlalchemy.engine import URL

from dnt_desktop.services.attachments import add_attachment, attachment_data, attachments
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.engine import Database
from tests.sample_files import pdf_bytes, png_bytes


def test_attachments_are_kept_byte_identical_and_checked(
    db: Database, pg_url: URL, pract_id: int, patient: int, raw_sql
) -> None:
    pdf, png = pdf_bytes(), png_bytes()
    add_attachment(db, pract_id, patient, "letter.pdf", pdf, kind="referral")
    add_attachment(db, pract_id, patient, "photo.png", png)
    listed = attachments(db, patient)
    assert [attachment_data(db, pract_id, a.id)[1] for a in listed] == [png, pdf]
    assert check_database(pg_url).ok
    raw_sql.execute(
        "UPDATE attachment SET data = %s WHERE id = %s", (b"%PDF-changed", listed[1].id)
    )
    assert check_database(pg_url).problems == [
        f"attachment {listed[1].id} was changed: its content no longer matches its SHA-256"
    ]


def test_the_complete_export_reads_the_same_on_postgresql(
    db: Database, pg_url: URL, pract_id: int, patient: int, tmp_path
) -> None:
    import json
    import zipfile

    import jsonschema

    from dnt_desktop.pdf.patient_record import export_complete_record
    from dnt_desktop.services import records
    from dnt_desktop.services.record_export import schema_path
    from dnt_desktop.services.sessions import save_session

    from .conftest import PASSWORD, draft_for

    session_id = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    add_attachment(db, pract_id, patient, "letter.pdf", pdf_bytes())
    out = tmp_path / "r.zip"
    export_complete_record(db, pract_id, patient, "Patient's request", out)
    with zipfile.ZipFile(out) as archive:
        document = json.loads(archive.read("record.json"))
    jsonschema.validate(document, json.loads(schema_path().read_text("utf-8")))
    (signature,) = document["signatures"]
    assert signature["session_id"] == session_id and signature["verified"]
    assert len(document["tables"]["needling_point"]) == 2
    assert check_database(pg_url).ok


def test_a_consent_signed_on_screen_on_postgresql(
    db: Database, pg_url: URL, pract_id: int, patient: int
) -> None:
    from dnt_desktop.services.clinical import clinical_state
    from dnt_desktop.services.signed_consent import record_signed_consent

    assert clinical_state(db, patient).signed_consent is False
    consent_id, _ = record_signed_consent(
        db, pract_id, patient, text_version="DN-consent-v1", signed_form_pdf=pdf_bytes()
    )
    assert clinical_state(db, patient).signed_consent is True
    assert [a.consent_id for a in attachments(db, patient)] == [consent_id]
    assert check_database(pg_url).ok


def test_a_disposal_on_postgresql_keeps_check_passing(
    db: Database, pg_url: URL, admin_id: int, pract_id: int, patient: int, raw_sql
) -> None:
    from datetime import timedelta

    from dnt_desktop.services import records
    from dnt_desktop.services.disposal import REMOVED, dispose_of, patient_retention
    from dnt_desktop.services.patients import get_patient
    from dnt_desktop.services.sessions import save_session

    from .conftest import PASSWORD, draft_for

    session_id = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    records.amend_session(db, pract_id, session_id, "Private remark")
    add_attachment(db, pract_id, patient, "letter.pdf", pdf_bytes())
    today = patient_retention(db, patient).ends_on + timedelta(days=1)
    dispose_of(db, admin_id, patient, "Retention over", today)
    assert get_patient(db, patient).family_name == REMOVED
    report = check_database(pg_url)
    assert report.ok, report.problems
    import psycopg
    import pytest

    with pytest.raises(psycopg.Error, match="signed sessions cannot be changed"):
        raw_sql.execute("UPDATE treatment_session SET notes = 'x' WHERE id = %s", (session_id,))
    with pytest.raises(psycopg.Error, match="append-only"):
        raw_sql.execute("UPDATE amendment SET text = 'x'")


def test_an_erasure_on_postgresql_keeps_check_passing_and_a_deletion_without_one_is_caught(
    db: Database, pg_url: URL, admin_id: int, pract_id: int, patient: int, raw_sql
) -> None:
    """Erasing opens the guards of the erased patient only, inside its transaction; a signed
    session deleted behind the guards without a tombstone is still reported."""
    from datetime import timedelta

    import psycopg
    import pytest

    from dnt_desktop.services import records
    from dnt_desktop.services.disposal import DisposalKind, dispose_of, patient_retention
    from dnt_desktop.services.progress.referrers import ReferrerForm, save_referrer
    from dnt_desktop.services.sessions import save_session
    from tests.services.test_disposal_erase import full_record

    from .conftest import PASSWORD, draft_for

    kept = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, kept, PASSWORD)
    referrer_id, _ = save_referrer(db, pract_id, ReferrerForm("Dr Lee", "Quay Practice"))
    erased = full_record(db, pract_id, "Okonkwo", referrer_id)
    other = full_record(db, pract_id, "Byrne", referrer_id)
    today = patient_retention(db, erased.patient_id).ends_on + timedelta(days=1)
    dispose_of(db, admin_id, erased.patient_id, "Retention over", today, DisposalKind.ERASE)
    report = check_database(pg_url)
    assert report.ok, report.problems

    # the pass opens DELETE of its own patient's rows only, never UPDATE
    with pytest.raises(psycopg.Error, match="append-only"):
        raw_sql.execute("DELETE FROM outcome_measure WHERE patient_id = %s", (other.patient_id,))
    with pytest.raises(psycopg.Error, match="append-only"), raw_sql.transaction():
        raw_sql.execute("INSERT INTO erasure_pass (patient_id) VALUES (%s)", (other.patient_id,))
        raw_sql.execute("UPDATE sent_letter SET recipient = 'x'")
    with pytest.raises(psycopg.Error, match="signed sessions cannot be changed"):
        raw_sql.execute("DELETE FROM needling_point WHERE session_id = %s", (kept,))

    with raw_sql.transaction():  # a superuser switches every guard off and deletes
        raw_sql.execute("SET LOCAL session_replication_role = replica")
        for table in ("session_condition", "session_adjunct", "needling_point", "side_effect"):
            raw_sql.execute(f"DELETE FROM {table} WHERE session_id = %s", (kept,))
        raw_sql.execute("DELETE FROM treatment_session WHERE id = %s", (kept,))
    problems = check_database(pg_url).problems
    assert len(problems) == 1 and problems[0].startswith(
        f"signed session {kept} is missing (audit event"
    ), problems
