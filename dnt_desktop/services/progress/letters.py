"""Letters to the referrer: templates with named placeholders, filled for a patient,
and every letter sent kept with the patient (its PDF's very bytes) and audited.

Rendering is ``pdf.letter``'s: this module gathers what the letter says
(``LetterDocument``), records a letter once it is printed or saved, and reads the kept
ones back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import select

from dnt_desktop.models import (
    Clinic,
    LetterTemplate,
    Patient,
    Practitioner,
    SentLetter,
    utcnow,
)
from dnt_desktop.models.enums import PageSize
from dnt_desktop.paths import resources_dir
from dnt_desktop.storage.engine import Database

from .. import audit
from ..aftercare.texts import PLACEHOLDER_PATTERN, fill
from ..changes import Changes
from ..dates import long_date
from ..errors import NotFoundError, ServiceError
from ..field_limits import UNSTORABLE
from ..practitioners import require_admin
from .measures import patient_measures, summary
from .pain_trend import PainTrend, pain_trend
from .referrers import ReferrerView, get_referrer, patient_referrer
from .seals import LETTER_ACTION, letter_hash


@dataclass(frozen=True)
class LetterKind:
    """One of the shipped letters."""

    key: str
    title: str


LETTER_KINDS: tuple[LetterKind, ...] = (
    LetterKind("initial", "Initial assessment"),
    LetterKind("progress", "Progress report"),
    LetterKind("discharge", "Discharge summary"),
)
KINDS = {kind.key: kind for kind in LETTER_KINDS}

PLACEHOLDERS: dict[str, str] = {
    "patient_name": "Given and family name",
    "patient_first_name": "The patient's given name",
    "patient_last_name": "The patient's family name",
    "date_of_birth": "The patient's date of birth",
    "letter_date": "Today's date",
    "referrer_name": "The referring doctor",
    "referrer_practice": "The referrer's practice",
    "first_session_date": "Date of the first session",
    "latest_session_date": "Date of the latest session",
    "session_count": "Number of sessions",
    "conditions": "Conditions treated",
    "pain_first": "Pain before treatment at the first session (0-10)",
    "pain_latest": "Pain before treatment at the latest session (0-10)",
    "pain_change": "Pain before treatment, from the first to the latest session",
    "outcome_scores": "Every outcome measure, its change and its class (one a line)",
    "psfs_change": "The PSFS, its change and its class",
    "nprs_change": "The NPRS, its change and its class",
    "groc": "The latest Global Rating of Change",
    "plan": "The plan, typed when the letter is written",
    "practitioner_name": "The practitioner writing the letter",
    "practitioner_registration": "Their registration number",
    "clinic_name": "The clinic's name",
    "clinic_phone": "The clinic's phone number",
    "clinic_email": "The clinic's e-mail address",
}
BODY_LIMIT = 20_000
PLAN_LIMIT = 3000
PRINTED, SAVED = "printed", "saved"


@cache
def default_template(key: str) -> str:
    """The shipped text of the letter *key*."""
    if key not in KINDS:
        raise NotFoundError(f"There is no letter template '{key}'; use {', '.join(KINDS)}.")
    return (resources_dir() / "letters" / f"{key}.txt").read_text("utf-8")


def letter_template(db: Database, key: str) -> str:
    """The clinic's text of the letter *key* (its edit, else the shipped default)."""
    default = default_template(key)
    with db.reading() as session:
        row = session.get(LetterTemplate, key)
        return row.body if row is not None else default


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders in *body* that letters do not know, in order, once."""
    seen: list[str] = []
    for match in PLACEHOLDER_PATTERN.finditer(body):
        if match.group(1) not in PLACEHOLDERS and match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def save_letter_template(db: Database, actor_id: int, key: str, body: str | None) -> Changes:
    """An administrator's edit of the letter *key* (None or the default: back to it)."""
    default = default_template(key)
    if body is not None:
        body = body.replace("\r\n", "\n")
        if UNSTORABLE.search(body):
            raise ServiceError("The template holds a character that cannot be stored.")
        if len(body) > BODY_LIMIT:
            raise ServiceError(f"The template is longer than {BODY_LIMIT:,} characters.")
        if not body.strip():
            raise ServiceError("The template is empty; write the letter, or restore the default.")
        unknown = unknown_placeholders(body)
        if unknown:
            names = ", ".join("{" + name + "}" for name in unknown)
            raise ServiceError(f"Unknown placeholder(s) {names}: use the ones listed.")
    with db.transaction() as session:
        require_admin(session, actor_id, "change the letter templates")
        row = session.get(LetterTemplate, key)
        if body is None or body == default:
            if row is not None:
                session.delete(row)
            summary_text = f"Letter template '{key}' set back to the default"
        else:
            if row is None:
                row = LetterTemplate(key=key, body=body)
                session.add(row)
            row.body, row.updated_by_id, row.updated_at = body, actor_id, utcnow()
            summary_text = f"Letter template '{key}' changed"
        audit.record(
            session,
            actor_id,
            "letter_template_edit",
            entity_type="letter_template",
            summary=summary_text,
        )
    return Changes(letter_templates=True)


@dataclass(frozen=True)
class ClinicHeading:
    """The clinic's letterhead."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: bytes | None = None
    page_size: PageSize = PageSize.A4


@dataclass(frozen=True)
class LetterDocument:
    """Everything a letter prints: letterhead, recipient, subject, body and pain graph.

    ``body`` is a template whose ``values`` are filled in as typed (escaped, never read
    as markup), or, once edited for this patient, the edited text with no values.
    """

    patient_id: int
    template_key: str
    clinic: ClinicHeading
    letter_date: date
    recipient: tuple[str, ...]
    subject: str
    body: str
    values: dict[str, str]
    trend: PainTrend
    referrer_id: int | None = None
    practitioner_name: str = ""
    patient_name: str = ""
    measure_lines: tuple[str, ...] = field(default=())

    def filled(self) -> str:
        """The letter's text with its placeholders filled (what the user edits)."""
        return fill(self.body, self.values)

    def edited(self, text: str) -> LetterDocument:
        """This letter with the text *text* as typed for this patient."""
        from dataclasses import replace

        text = text.replace("\r\n", "\n")
        if text == self.filled():
            return self
        if UNSTORABLE.search(text):
            raise ServiceError("The letter holds a character that cannot be stored; retype it.")
        if len(text) > BODY_LIMIT:
            raise ServiceError(f"The letter is longer than {BODY_LIMIT:,} characters.")
        return replace(self, body=text, values={})


def _recipient(referrer: ReferrerView | None) -> tuple[str, ...]:
    if referrer is None:
        return ()
    lines = [referrer.name, referrer.practice, *referrer.address.splitlines()]
    return tuple(line.strip() for line in lines if line.strip())


def prepare_letter(
    db: Database,
    actor_id: int,
    patient_id: int,
    template_key: str,
    *,
    plan: str = "",
    referrer_id: int | None = None,
    today: date | None = None,
) -> LetterDocument:
    """The letter *template_key* about *patient_id*, to their referrer (or *referrer_id*)."""
    if template_key not in KINDS:
        raise NotFoundError(
            f"There is no letter template '{template_key}'; use {', '.join(KINDS)}."
        )
    if len(plan) > PLAN_LIMIT or UNSTORABLE.search(plan):
        raise ServiceError(f"The plan takes up to {PLAN_LIMIT:,} characters that can be stored.")
    today = today or date.today()
    with db.reading() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        author = session.get(Practitioner, actor_id)
        clinic = session.scalar(select(Clinic).order_by(Clinic.id).limit(1))
        patient_values = (patient.given_name, patient.family_name, patient.date_of_birth)
        author_values = (author.full_name, author.registration_number) if author else ("", "")
        heading = ClinicHeading(
            *(
                (
                    clinic.name,
                    clinic.address,
                    clinic.phone,
                    clinic.email,
                    clinic.website,
                    clinic.logo,
                    clinic.page_size,
                )
                if clinic is not None
                else ("",)
            )
        )
    referrer = (
        get_referrer(db, referrer_id)
        if referrer_id is not None
        else patient_referrer(db, patient_id)
    )
    given, family, born = patient_values
    trend = pain_trend(db, patient_id)
    scored = [p for p in trend.points if p.pain_before is not None]
    measures = summary(patient_measures(db, patient_id))
    first = trend.points[0].started_at if trend.points else None
    last = trend.points[-1].started_at if trend.points else None
    name = " ".join(f"{given} {family}".split())
    values = {
        "patient_name": name,
        "patient_first_name": given,
        "patient_last_name": family,
        "date_of_birth": long_date(born),
        "letter_date": long_date(today),
        "referrer_name": referrer.name if referrer else "Doctor",
        "referrer_practice": referrer.practice if referrer else "",
        "first_session_date": _day(first),
        "latest_session_date": _day(last),
        "session_count": str(len(trend.points)),
        "conditions": _joined(trend.conditions()).lower() or "their symptoms",
        "pain_first": str(scored[0].pain_before) if scored else "not recorded",
        "pain_latest": str(scored[-1].pain_before) if scored else "not recorded",
        "pain_change": trend.describe(),
        "outcome_scores": "\n".join(measures.lines) or "None recorded yet.",
        "psfs_change": measures.by_code.get("psfs", "not recorded"),
        "nprs_change": measures.by_code.get("nprs", "not recorded"),
        "groc": measures.by_code.get("groc", "not recorded"),
        "plan": plan.strip() or "To continue as agreed with the patient.",
        "practitioner_name": author_values[0],
        "practitioner_registration": author_values[1] or "–",
        "clinic_name": heading.name,
        "clinic_phone": heading.phone,
        "clinic_email": heading.email,
    }
    kind = KINDS[template_key]
    return LetterDocument(
        patient_id=patient_id,
        template_key=template_key,
        clinic=heading,
        letter_date=today,
        recipient=_recipient(referrer),
        subject=f"{kind.title}: {name}, born {long_date(born)}",
        body=letter_template(db, template_key),
        values=values,
        trend=trend,
        referrer_id=referrer.referrer_id if referrer else None,
        practitioner_name=author_values[0],
        patient_name=name,
        measure_lines=tuple(measures.lines),
    )


def _day(moment: datetime | None) -> str:
    from ..dates import local

    return long_date(local(moment).date()) if moment is not None else "–"


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class SentLetterView:
    """A letter kept with the patient, as listed on the chart."""

    letter_id: int
    patient_id: int
    template_key: str
    subject: str
    recipient: str
    kind: str
    sent_at: datetime
    author: str

    @property
    def title(self) -> str:
        """'Progress report'."""
        kind = KINDS.get(self.template_key)
        return kind.title if kind else self.template_key


def record_letter(
    db: Database, actor_id: int | None, document: LetterDocument, pdf: bytes, kind: str
) -> tuple[int, Changes]:
    """Keep the letter as sent (its PDF's bytes) with the patient, with its audit event."""
    if kind not in (PRINTED, SAVED):
        raise ServiceError(f"A letter is printed or saved, not '{kind}'.")
    with db.transaction() as session:
        if session.get(Patient, document.patient_id) is None:
            raise NotFoundError(f"Patient {document.patient_id} does not exist.")
        row = SentLetter(
            patient_id=document.patient_id,
            author_id=actor_id,
            referrer_id=document.referrer_id,
            template_key=document.template_key,
            recipient="\n".join(document.recipient),
            subject=document.subject[:300],
            body=document.filled(),
            kind=kind,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            sent_at=utcnow(),
        )
        session.add(row)
        session.flush()
        to = document.recipient[0] if document.recipient else "no referrer"
        audit.record(
            session,
            actor_id,
            LETTER_ACTION,
            entity_type="letter",
            entity_id=row.id,
            patient_id=document.patient_id,
            summary=f"{KINDS[document.template_key].title} {kind} for {to} "
            f"(PDF {row.pdf_sha256[:12]})",
            record_hash=letter_hash(row),
        )
        return row.id, Changes.letter(row.id, document.patient_id)


def sent_letters(db: Database, patient_id: int) -> list[SentLetterView]:
    """The letters kept with the patient, newest first."""
    with db.reading() as session:
        rows = session.execute(
            select(
                SentLetter.id,
                SentLetter.patient_id,
                SentLetter.template_key,
                SentLetter.subject,
                SentLetter.recipient,
                SentLetter.kind,
                SentLetter.sent_at,
                Practitioner.full_name,
            )
            .outerjoin(Practitioner, Practitioner.id == SentLetter.author_id)
            .where(SentLetter.patient_id == patient_id)
            .order_by(SentLetter.sent_at.desc(), SentLetter.id.desc())
        ).all()
    return [SentLetterView(*row[:-1], row[-1] or "") for row in rows]


def letter_pdf(db: Database, letter_id: int) -> bytes:
    """The PDF of a kept letter, byte for byte as sent."""
    with db.reading() as session:
        data = session.scalar(select(SentLetter.pdf).where(SentLetter.id == letter_id))
    if data is None:
        raise NotFoundError(f"Letter {letter_id} does not exist.")
    return bytes(data)
