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
