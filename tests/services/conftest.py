"""Fixtures for signed records: accounts with passwords, consent, and draft sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import (
    ChartView,
    ConsentMethod,
    DepthClass,
    Onset,
    Role,
    Severity,
    Side,
)
from dnt_desktop.services import accounts
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.clinical import record_consent
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    ConsentForm,
    PatientForm,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

ADMIN_PASSWORD = "admin-Secret-1"
PASSWORD = "correct horse battery"
SESSION_DAY = datetime(2026, 11, 20, 14, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id parameters so that tests stay fast (one test checks the real ones)."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()


@pytest.fixture
def admin_id(db: Database) -> int:
    """A clinic whose first account is an administrator."""
    save_clinic(db, None, ClinicForm(name="Test Clinic"))
    return accounts.create_first_admin(
        db, PractitionerForm("Alex Admin", "alex", "PH-0"), ADMIN_PASSWORD
    )


@pytest.fixture
def pract_id(db: Database, admin_id: int) -> int:
    """A practitioner account with PASSWORD."""
    return accounts.add_account(
        db, admin_id, PractitionerForm("Sam Physio", "sam", "PH-1", Role.PRACTITIONER), PASSWORD
    )


@pytest.fixture
def other_id(db: Database, admin_id: int) -> int:
    """A second practitioner account with PASSWORD."""
    return accounts.add_account(db, admin_id, PractitionerForm("Kim Other", "kim"), PASSWORD)


@pytest.fixture
def patient(db: Database, pract_id: int) -> int:
    """A patient who consented on 1 November 2026."""
    pid = register_patient(db, pract_id, PatientForm("Doe", "Jane", date(1980, 5, 17)))
    record_consent(db, pract_id, pid, ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN))
    return pid


def draft_for(patient_id: int, practitioner_id: int, points: int = 2) -> SessionDraft:
    """A valid session draft with *points* needling points."""
    point = PointDraft(
        "upper_trapezius", Side.RIGHT, ChartView.BACK, 0.41, 0.19, DepthClass.DEEP, 14.0, 0.25, 25.0
    )
    return SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=SESSION_DAY,
        conditions=[ConditionDraft("neck_pain")],
        adjuncts=[AdjunctDraft("exercise")],
        pain_before=6,
        pain_after=3,
        notes="Familiar pain reproduced.",
        points=[point] * points,
        side_effects=[SideEffectDraft("bruising", Severity.MILD, Onset.AFTER)],
    )


@pytest.fixture
def draft_id(db: Database, pract_id: int, patient: int) -> int:
    """A saved draft session of the practitioner, with a row in every charted table."""
    alert = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a lung-risk muscle")
    draft = draft_for(patient, pract_id)
    return save_session(db, pract_id, draft, acknowledged=[alert]).session_id


@pytest.fixture
def new_events(db: Database) -> Callable[[], list[AuditEvent]]:
    """Call it to get the audit events written since its previous call (all on the first)."""
    seen = [0]

    def collect() -> list[AuditEvent]:
        with db.reading() as s:
            rows = list(
                s.scalars(select(AuditEvent).where(AuditEvent.id > seen[0]).order_by(AuditEvent.id))
            )
            seen[0] = s.scalar(select(func.max(AuditEvent.id))) or 0
        return rows

    return collect
