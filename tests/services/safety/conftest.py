"""A signed session with one deep rhomboid point, saved and signed through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from argon2 import PasswordHasher

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import ChartView, ConsentMethod, DepthClass, Side
from dnt_desktop.services import accounts, records
from dnt_desktop.services.clinical import record_consent
from dnt_desktop.services.drafts import ConsentForm, PointDraft, SessionDraft
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

PASSWORD = "correct horse battery"


@pytest.fixture
def signed_session(
    db: Database, practitioner_id: int, patient_id: int, monkeypatch: pytest.MonkeyPatch
) -> int:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with db.transaction() as s:
        s.get(Practitioner, practitioner_id).password_hash = accounts.hash_password(PASSWORD)
    record_consent(
        db, practitioner_id, patient_id, ConsentForm(date(2026, 1, 1), ConsentMethod.WRITTEN)
    )
    point = PointDraft(
        "rhomboid_major", Side.LEFT, ChartView.BACK, 0.45, 0.3, DepthClass.DEEP, 15.0, 0.25, 25.0
    )
    draft = SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        points=[point],
    )
    session_id = save_session(db, practitioner_id, draft).session_id
    records.sign_session(db, practitioner_id, session_id, PASSWORD)
    return session_id
