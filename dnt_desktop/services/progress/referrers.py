"""Referring doctors and practices, and the one chosen on a patient's details."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from dnt_desktop.models import Patient, PatientReferrer, Referrer, utcnow
from dnt_desktop.storage.engine import Database

from .. import audit
from ..changes import Changes
from ..errors import NotFoundError, ServiceError
from ..field_limits import UNSTORABLE

LIMITS = {"name": 200, "practice": 200, "address": 1000, "email": 200, "phone": 50}


@dataclass(frozen=True)
class ReferrerForm:
    """A referrer as typed."""

    name: str
    practice: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


@dataclass(frozen=True)
class ReferrerView:
    """A referrer as listed."""

    referrer_id: int
    name: str
    practice: str
    address: str
    email: str
    phone: str
    active: bool

    @property
    def label(self) -> str:
        """'Dr Ana Ruiz, Mill Road Surgery'."""
        return ", ".join(part for part in (self.name, self.practice) if part)


def _checked(form: ReferrerForm) -> ReferrerForm:
    values = {}
    for key, limit in LIMITS.items():
        value = getattr(form, key).strip()
        if UNSTORABLE.search(value):
            raise ServiceError(f"The referrer's {key} holds a character that cannot be stored.")
        if len(value) > limit:
            raise ServiceError(f"The referrer's {key} is longer than {limit} characters.")
        values[key] = value
    if not values["name"]:
        raise ServiceError("Enter the referrer's name.")
    return ReferrerForm(**values, active=form.active)


def _view(row: Referrer) -> ReferrerView:
    return ReferrerView(
        row.id, row.name, row.practice, row.address, row.email, row.phone, row.active
    )


def save_referrer(
    db: Database, actor_id: int | None, form: ReferrerForm, referrer_id: int | None = None
) -> tuple[int, Changes]:
    """Add a referrer (*referrer_id* None) or change one; audited."""
    form = _checked(form)
    with db.transaction() as session:
        if referrer_id is None:
            row = Referrer(**form.__dict__)
            session.add(row)
            action = "referrer_add"
        else:
            row = session.get(Referrer, referrer_id)
            if row is None:
                raise NotFoundError(f"Referrer {referrer_id} does not exist.")
            for key, value in form.__dict__.items():
                setattr(row, key, value)
            action = "referrer_update"
        session.flush()
        audit.record(
            session,
            actor_id,
            action,
            entity_type="referrer",
            entity_id=row.id,
            summary=f"Referrer {_view(row).label}" + ("" if row.active else " (inactive)"),
        )
        return row.id, Changes(referrers=True)


def referrers(db: Database, *, include_inactive: bool = False) -> list[ReferrerView]:
    """The referrers by name."""
    with db.reading() as session:
        query = select(Referrer).order_by(Referrer.name, Referrer.id)
        if not include_inactive:
            query = query.where(Referrer.active.is_(True))
        return [_view(row) for row in session.scalars(query)]


def get_referrer(db: Database, referrer_id: int) -> ReferrerView:
    """One referrer; NotFoundError when there is none."""
    with db.reading() as session:
        row = session.get(Referrer, referrer_id)
        if row is None:
            raise NotFoundError(f"Referrer {referrer_id} does not exist.")
        return _view(row)


def patient_referrer(db: Database, patient_id: int) -> ReferrerView | None:
    """The referrer chosen on the patient's details (None: none chosen)."""
    with db.reading() as session:
        row = session.scalar(
            select(Referrer)
            .join(PatientReferrer, PatientReferrer.referrer_id == Referrer.id)
            .where(PatientReferrer.patient_id == patient_id)
        )
        return _view(row) if row is not None else None


def set_patient_referrer(
    db: Database, actor_id: int | None, patient_id: int, referrer_id: int | None
) -> Changes:
    """Choose the patient's referrer (None: no referrer); audited when it changes."""
    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        current = session.get(PatientReferrer, patient_id)
        if (current.referrer_id if current else None) == referrer_id:
            return Changes()
        if referrer_id is None:
            assert current is not None
            session.delete(current)
            summary = "Referrer removed"
        else:
            referrer = session.get(Referrer, referrer_id)
            if referrer is None:
                raise NotFoundError(f"Referrer {referrer_id} does not exist.")
            if current is None:
                current = PatientReferrer(patient_id=patient_id, referrer_id=referrer_id)
                session.add(current)
            current.referrer_id = referrer_id
            current.updated_at = utcnow()
            current.updated_by_id = actor_id
            summary = f"Referrer set to {_view(referrer).label}"
        audit.record(
            session,
            actor_id,
            "patient_referrer",
            entity_type="patient",
            entity_id=patient_id,
            patient_id=patient_id,
            summary=summary,
        )
        return Changes.patient(patient_id) | Changes(referrers=True)
