"""Everything one aftercare sheet prints, gathered from the database as plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from dnt_desktop.models import AftercareTemplate, Clinic, TreatmentSession, catalogue
from dnt_desktop.models.enums import DepthClass, PageSize, ThermalAdvice
from dnt_desktop.storage.engine import Database

from .. import rules
from ..clinic_details import CLINIC_ID
from ..dates import local
from ..drafts import PointDraft
from ..errors import NotFoundError
from ..field_limits import clip, clip_block
from ..session_shape import POINT, draft_of
from .languages import ENGLISH, TextSet, set_in
from .texts import default_text, specs_for
from .wording import sheet_appointment, sheet_contact, sheet_date

DEFAULT_EMERGENCY_INSTRUCTION = (
    "Call the emergency number (112 / 999 / 911) or go to the nearest emergency department."
)


@dataclass(frozen=True)
class ClinicDetails:
    """The clinic's letterhead and document settings."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    emergency_instruction: str = DEFAULT_EMERGENCY_INSTRUCTION
    logo: bytes | None = None
    logo_mime: str | None = None
    page_size: PageSize = PageSize.A4
    avoid_alcohol_hours: int = 24


@dataclass(frozen=True)
class SheetPoint:
    """A needled point as the sheet shows it: its number, its muscle's name and the point
    as charted (every field the session declares for a point)."""

    number: int
    muscle: str
    charted: PointDraft


@dataclass(frozen=True)
class SheetSideEffect:
    """A side effect recorded in the session: its label and the key of its advice."""

    code: str
    label: str


@dataclass(frozen=True)
class AftercareSheet:
    """Everything one aftercare sheet prints, as plain data."""

    session_id: int
    patient_id: int
    clinic: ClinicDetails
    practitioner_name: str
    practitioner_registration: str
    patient_given_name: str
    patient_family_name: str
    patient_date_of_birth: date | None
    started_at: datetime
    conditions: tuple[str, ...] = ()
    points: tuple[SheetPoint, ...] = ()
    side_effects: tuple[SheetSideEffect, ...] = ()
    adjuncts: tuple[str, ...] = ()
    thermal_advice: ThermalAdvice = ThermalAdvice.GENERAL
    stretches: str = ""
    next_appointment: datetime | None = None
    lung_risk: bool = False
    lung_limit_muscles: tuple[str, ...] = ()
    """Muscles (English names) where a point went beyond the patient's lung-risk depth
    limit: named in the red breathing-warning box (issue 16)."""
    templates: Mapping[str, str] = field(default_factory=dict)
    text_set: TextSet = ENGLISH
    """The language the sheet is printed in, and its review status."""

    @property
    def any_deep(self) -> bool:
        """True when at least one point was needled deep (the stronger soreness text)."""
        return any(p.charted.depth_class == DepthClass.DEEP for p in self.points)

    @property
    def patient_name(self) -> str:
        """Given and family name, as the patient reads it."""
        return " ".join(n for n in (self.patient_given_name, self.patient_family_name) if n)

    def text(self, key: str) -> str:
        """The block's text for this sheet: the clinic's version or the default."""
        body = self.templates.get(key)
        return body if body is not None else default_text(key, self.text_set.defaults)


def placeholder_values(sheet: AftercareSheet) -> dict[str, str]:
    """The value of every placeholder for *sheet*."""
    clinic = sheet.clinic
    contact = sheet_contact(sheet.text, clinic.phone, clinic.email)
    return {
        "patient_first_name": sheet.patient_given_name,
        "patient_last_name": sheet.patient_family_name,
        "patient_name": sheet.patient_name,
        "date_of_birth": sheet_date(sheet.text, sheet.patient_date_of_birth)
        if sheet.patient_date_of_birth
        else "",
        "session_date": sheet_date(sheet.text, local(sheet.started_at).date()),
        "practitioner_name": sheet.practitioner_name,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_website": clinic.website,
        "clinic_address": ", ".join(line.strip() for line in clinic.address.splitlines() if line),
        "clinic_contact": contact or clinic.website,
        "avoid_alcohol_hours": str(clinic.avoid_alcohol_hours),
        "emergency_instruction": sheet.text("emergency_default")
        if clinic.emergency_instruction.strip() == DEFAULT_EMERGENCY_INSTRUCTION
        else clinic.emergency_instruction,
        "next_appointment": sheet_appointment(sheet.text, sheet.next_appointment)
        if sheet.next_appointment
        else "",
    }


_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def default_file_name(sheet: AftercareSheet) -> str:
    """'Aftercare - Doe, Jane - 2026-11-20.pdf', safe on Windows, macOS and Linux."""
    name = ", ".join(n for n in (sheet.patient_family_name, sheet.patient_given_name) if n)
    stem = f"Aftercare - {name} - {local(sheet.started_at).date().isoformat()}"
    stem = _UNSAFE_FILE_CHARS.sub("_", stem)
    stem = " ".join(stem.split())[:150].rstrip(". ")
    return f"{stem}.pdf"


def _label(kind: str, code: str, text: str) -> str:
    if code == "other" and text.strip():
        return text.strip()
    try:
        return catalogue.label_of(kind, code)
    except KeyError:
        return text.strip() or code


def _muscle_name(code: str) -> str:
    try:
        return catalogue.muscle(code).name
    except KeyError:
        return code


def clinic_details(clinic: Clinic | None) -> ClinicDetails:
    """The sheet's view of the clinic row (neutral defaults before setup)."""
    if clinic is None:
        return ClinicDetails(name="")
    return ClinicDetails(
        name=clip(clinic.name, "clinic", "name"),
        address=clip(clinic.address or "", "clinic", "address"),
        phone=clip(clinic.phone or "", "clinic", "phone"),
        email=clip(clinic.email or "", "clinic", "email"),
        website=clip(clinic.website or "", "clinic", "website"),
        emergency_instruction=clip(
            clinic.emergency_instruction or DEFAULT_EMERGENCY_INSTRUCTION,
            "clinic",
            "emergency_instruction",
        ),
        logo=clinic.logo,
        logo_mime=clinic.logo_mime,
        page_size=clinic.page_size or PageSize.A4,
        avoid_alcohol_hours=clinic.avoid_alcohol_hours
        if clinic.avoid_alcohol_hours is not None
        else 24,
    )


def load_sheet(db: Database, session_id: int, language: str | None = None) -> AftercareSheet:
    """Gather everything the sheet of *session_id* prints (a handful of queries), in
    *language* (a text set's code), by default the patient's handout language.

    Text longer than its field's limit (stored before the limits existed) is cut with '…',
    so that no sheet grows beyond what the limits allow. Raises NotFoundError for an
    unknown session or language.
    """
    with db.reading() as session:
        row = session.scalars(
            select(TreatmentSession)
            .where(TreatmentSession.id == session_id)
            .options(
                joinedload(TreatmentSession.patient),
                joinedload(TreatmentSession.practitioner),
                selectinload(TreatmentSession.conditions),
                selectinload(TreatmentSession.adjuncts),
                selectinload(TreatmentSession.points),
                selectinload(TreatmentSession.side_effects),
            )
        ).first()
        if row is None:
            raise NotFoundError(f"Session {session_id} does not exist.")
        clinic = clinic_details(session.get(Clinic, CLINIC_ID))
        patient, practitioner = row.patient, row.practitioner
        text_set = set_in(session, language or patient.handout_language or "en")
        stored = stored_texts(session, text_set.code)
        return AftercareSheet(
            session_id=row.id,
            patient_id=row.patient_id,
            clinic=clinic,
            practitioner_name=clip(practitioner.full_name, "practitioner", "full_name"),
            practitioner_registration=clip(
                practitioner.registration_number or "", "practitioner", "registration_number"
            ),
            patient_given_name=clip(patient.given_name, "patient", "given_name"),
            patient_family_name=clip(patient.family_name, "patient", "family_name"),
            patient_date_of_birth=patient.date_of_birth,
            started_at=row.started_at,
            conditions=tuple(
                _label("condition", c.code, clip(c.other_text, "condition", "other_text"))
                for c in row.conditions
            ),
            points=tuple(
                SheetPoint(p.number, _muscle_name(p.muscle_code), draft_of(POINT, p))
                for p in row.points
            ),
            side_effects=tuple(
                SheetSideEffect(
                    e.code,
                    _label("side_effect", e.code, clip(e.other_text, "side_effect", "other_text")),
                )
                for e in row.side_effects
            ),
            adjuncts=tuple(
                _adjunct(a.code, clip(a.detail, "adjunct", "detail")) for a in row.adjuncts
            ),
            thermal_advice=row.thermal_advice,
            stretches=clip(row.stretches or "", "session", "stretches"),
            next_appointment=row.next_appointment,
            lung_risk=rules.touches_lung_risk_muscle(row.points),  # type: ignore[arg-type]
            lung_limit_muscles=_beyond_lung_limit(session, row),
            templates=resolved_texts(stored, text_set),
            text_set=text_set,
        )


def _beyond_lung_limit(session: Session, row: TreatmentSession) -> tuple[str, ...]:
    """The muscles of the points beyond this patient's lung-risk depth limit (issue 16)."""
    from ..clinical import clinical_state_in
    from ..safety.limit_settings import clinic_limits_in

    points = [draft_of(POINT, p) for p in row.points]
    settings = rules.RuleSettings(lung_limits=clinic_limits_in(session))
    state = clinical_state_in(session, row.patient_id)
    breaches = rules.lung_limit_breaches(state, points, settings)  # type: ignore[arg-type]
    return tuple(dict.fromkeys(b.muscle_name for b in breaches))


def _adjunct(code: str, detail: str) -> str:
    label = _label("adjunct", code, detail)
    if code != "other" and detail.strip():
        return f"{label}: {detail.strip()}"
    return label


def stored_texts(session: Session, language: str) -> dict[str, str]:
    """The clinic's edited blocks of the set *language*."""
    query = select(AftercareTemplate.key, AftercareTemplate.body)
    return dict(session.execute(query.where(AftercareTemplate.language == language)).all())


def resolved_texts(stored: Mapping[str, str], text_set: TextSet = ENGLISH) -> dict[str, str]:
    """Every block's text in *text_set*: the clinic's stored version (cut to its limit),
    else the default."""
    texts = {}
    for item in specs_for(text_set.translation):
        body = stored.get(item.key)
        texts[item.key] = (
            default_text(item.key, text_set.defaults)
            if body is None
            else clip_block(item.key, body, item.kind)
        )
    return texts
