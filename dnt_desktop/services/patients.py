"""Registering, editing, archiving and finding patients."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dnt_desktop.models import Patient
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import Changes
from .disposal_erase import erased_chart_numbers, next_patient_id
from .drafts import PatientForm
from .errors import NotFoundError, ValidationError, check_version
from .names import search_key
from .register_query import lines_statement, search_statements
from .rules import Problem, birth_date_problems, text_problems

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FORM_FIELDS = [f.name for f in fields(PatientForm)]
_TEXT_FIELDS = [
    f.name
    for f in fields(PatientForm)
    if f.name not in ("date_of_birth", "sex", "handout_language")  # a code checked on its own
]


def patient_form_problems(form: PatientForm, today: date | None = None) -> list[Problem]:
    """Validation of the registration form, each problem saying what to fix."""
    today = today or date.today()
    problems = text_problems("patient", {name: getattr(form, name) for name in _TEXT_FIELDS})
    bad = {problem.field for problem in problems}
    if "family_name" not in bad and not form.family_name.strip():
        problems.append(Problem("family_name", "Enter the family name."))
    if "given_name" not in bad and not form.given_name.strip():
        problems.append(Problem("given_name", "Enter the given name."))
    problems += birth_date_problems(form.date_of_birth, today)
    if "email" not in bad and form.email.strip() and not EMAIL_PATTERN.match(form.email.strip()):
        problems.append(Problem("email", "The e-mail address is not valid (name@example.com)."))
    return problems


def _clean(form: PatientForm) -> dict[str, object]:
    values = {name: getattr(form, name) for name in _FORM_FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    return values


def next_chart_number(session: Session) -> str:
    """The next free automatic chart number (P000001, P000002...)."""
    highest = session.scalar(
        select(func.max(Patient.chart_number)).where(Patient.chart_number.like("P______"))
    )
    taken = [highest or "", *erased_chart_numbers(session)]  # an erased number is not reused
    numbers = [int(n[1:]) for n in taken if len(n) == 7 and n[0] == "P" and n[1:].isdigit()]
    return f"P{max(numbers, default=0) + 1:06d}"


def _check_unique_chart(session: Session, chart_number: str, own_id: int | None) -> None:
    query = select(Patient.id).where(Patient.chart_number == chart_number)
    other = session.scalar(query)
    if other is not None and other != own_id:
        raise ValidationError(
            [Problem("chart_number", f"Chart number {chart_number} is already in use.")]
        )


def _check_language(session: Session, code: str) -> None:
    from .aftercare.languages import language_problems  # aftercare imports this module

    problems = language_problems(session, code, "handout_language")
    if problems:
        raise ValidationError(problems)


def register_patient(db: Database, actor_id: int, form: PatientForm) -> int:
    """Register a new patient; returns its id."""
    problems = patient_form_problems(form)
    if problems:
        raise ValidationError(problems)
    values = _clean(form)
    with db.transaction() as session:
        if not values["chart_number"]:
            values["chart_number"] = next_chart_number(session)
        _check_unique_chart(session, str(values["chart_number"]), None)
        _check_language(session, str(values["handout_language"]))
        patient = Patient(**values)
        new_id = next_patient_id(session)  # never an erased record's id (SQLite)
        if new_id is not None:
            patient.id = new_id
        _set_keys(patient)
        session.add(patient)
        session.flush()
        audit.record(
            session,
            actor_id,
            "create",
            entity_type="patient",
            entity_id=patient.id,
            patient_id=patient.id,
            # names never go into the append-only trail: a disposal could not remove them
            summary=f"Registered patient {patient.chart_number}",
        )
        return patient.id


def _set_keys(patient: Patient) -> None:
    patient.family_name_key = search_key(patient.family_name)
    patient.given_name_key = search_key(patient.given_name)


def update_patient(
    db: Database, actor_id: int, patient_id: int, form: PatientForm, version: int | None = None
) -> Changes:
    """Save edits to a patient's details; *version* guards against lost updates.

    The change names the patient even when nothing differed: the caller shows it again.
    """
    problems = patient_form_problems(form)
    if problems:
        raise ValidationError(problems)
    values = _clean(form)
    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        check_version(patient.version, version, "patient")
        if not values["chart_number"]:
            values["chart_number"] = patient.chart_number
        _check_unique_chart(session, str(values["chart_number"]), patient_id)
        _check_language(session, str(values["handout_language"]))
        changed = [name for name, value in values.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, values[name])
        if not changed:
            return Changes.patient(patient_id)
        _set_keys(patient)
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="patient",
            entity_id=patient_id,
            patient_id=patient_id,
            summary="Changed " + ", ".join(name.replace("_", " ") for name in changed),
        )
    return Changes.patient(patient_id)


def set_archived(db: Database, actor_id: int, patient_id: int, archived: bool) -> Changes:
    """Archive (hide from the register) or restore a patient; nothing is deleted."""
    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        if patient.archived == archived:
            return Changes.patient(patient_id)
        patient.archived = archived
        audit.record(
            session,
            actor_id,
            "archive" if archived else "unarchive",
            entity_type="patient",
            entity_id=patient_id,
            patient_id=patient_id,
            summary=("Archived" if archived else "Restored") + f" patient {patient.chart_number}",
        )
    return Changes.patient(patient_id)


def get_patient(db: Database, patient_id: int) -> Patient:
    """A patient with its scalar fields loaded (detached)."""
    with db.reading() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        return patient


# --- search --------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientRow:
    """One line of the register."""

    id: int
    chart_number: str
    family_name: str
    given_name: str
    date_of_birth: date
    phone: str
    archived: bool


def search_patient_ids(
    session: Session, text: str, *, include_archived: bool = False, limit: int = 500
) -> list[int]:
    """Ids of matching patients in register order (family, given name), at most *limit*."""
    statements, values = search_statements(text, include_archived)
    return list(session.scalars(statements.ids, {**values, "limit": limit}))


def count_patients(session: Session, text: str, *, include_archived: bool = False) -> int:
    """How many patients match (for 'showing 500 of 1,234')."""
    statements, values = search_statements(text, include_archived)
    return int(session.scalar(statements.count, values) or 0)


def patient_rows(session: Session, ids: list[int]) -> dict[int, PatientRow]:
    """The register lines of the given patients, fetched in one query."""
    if not ids:
        return {}
    rows = session.execute(lines_statement(), {"ids": list(ids)})
    return {row.id: PatientRow(*row) for row in rows}


def find_patients(
    db: Database, text: str, *, include_archived: bool = True, limit: int = 500
) -> list[PatientRow]:
    """Patients matching *text* in register order; only the exact chart number if it is one."""
    with db.reading() as session:
        ids = search_patient_ids(session, text, include_archived=include_archived, limit=limit)
        rows = patient_rows(session, ids)
    found = [rows[i] for i in ids if i in rows]
    exact = [r for r in found if r.chart_number.upper() == text.strip().upper()]
    return exact or found


def has_patients(db: Database) -> bool:
    """True once any patient is registered."""
    with db.reading() as session:
        return session.scalar(select(Patient.id).limit(1)) is not None
