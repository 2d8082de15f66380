"""Consent the patient signs: on screen (the signed form kept as a PDF with the drawn
signature) or on paper (the scan attached to the consent afterwards).

Either way the signed copy is an attachment of the consent (``attachment.consent_id``),
hashed, audited and covered by ``check`` like every attachment; until an active consent
has one, the chart keeps the "No signed consent on file" alert (``rules.patient_alerts``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dnt_desktop.models import Attachment, Consent
from dnt_desktop.models.enums import ConsentMethod
from dnt_desktop.storage.engine import Database

from .attachments import add_to_session
from .changes import Changes
from .clinical import add_consent
from .drafts import ConsentForm
from .errors import NotFoundError, ValidationError
from .rules import Problem, consent_date_problems

SIGNED_ON_SCREEN_NOTE = "Signed on screen"
SIGNED_COPY_KINDS = ("signature", "consent_form")


def record_signed_consent(
    db: Database,
    actor_id: int,
    patient_id: int,
    *,
    text_version: str,
    signed_form_pdf: bytes,
    signed_on: date | None = None,
) -> tuple[int, Changes]:
    """Record a written consent signed on screen, with its signed form, in one transaction.

    *signed_form_pdf* is the consent form with the patient's signature in its box
    (``pdf.consent_form.build_consent_form``). Returns the consent's id and the changes.
    """
    signed_on = signed_on or date.today()
    problems = consent_date_problems(signed_on, date.today())
    if not text_version.strip():
        problems.append(Problem("text_version", "The consent text has no version."))
    if problems:
        raise ValidationError(problems)
    form = ConsentForm(signed_on, ConsentMethod.WRITTEN, text_version, SIGNED_ON_SCREEN_NOTE)
    with db.transaction() as session:
        consent = add_consent(session, actor_id, patient_id, form)
        add_to_session(
            session,
            actor_id,
            patient_id,
            f"consent-{signed_on.isoformat()}-signed.pdf",
            signed_form_pdf,
            kind="signature",
            description=f"Consent {text_version} signed on screen",
            consent_id=consent.id,
        )
        consent_id = consent.id
    return consent_id, Changes.consent(consent_id, patient_id) | Changes.patient_files(patient_id)


def attach_signed_scan(
    db: Database, actor_id: int, consent_id: int, filename: str, data: bytes
) -> Changes:
    """Attach the scan (or photo) of a consent form signed on paper to the consent."""
    with db.transaction() as session:
        consent = session.get(Consent, consent_id)
        if consent is None:
            raise NotFoundError(f"Consent {consent_id} does not exist.")
        add_to_session(
            session,
            actor_id,
            consent.patient_id,
            filename,
            data,
            kind="consent_form",
            description=f"Signed consent form of {consent.consented_on.isoformat()}",
            consent_id=consent_id,
        )
        patient_id = consent.patient_id
    return Changes.consent(consent_id, patient_id) | Changes.patient_files(patient_id)


def signed_copies(db: Database, consent_ids: list[int]) -> dict[int, list[int]]:
    """Consent id -> ids of its signed copies (attachments), for the consents given."""
    found: dict[int, list[int]] = {}
    if not consent_ids:
        return found
    with db.reading() as session:
        for attachment_id, consent_id in session.execute(
            select(Attachment.id, Attachment.consent_id)
            .where(Attachment.consent_id.in_(consent_ids))
            .order_by(Attachment.id)
        ):
            found.setdefault(consent_id, []).append(attachment_id)
    return found
