"""The PostgreSQL-only tests: ``db`` is overridden here, so the shared fixtures
(``practitioner_id``, ``patient_id``) and the ones below build their rows on PostgreSQL.
The cluster and its fresh databases come from ``fixtures.py`` (which tests/conftest.py also
offers to every test marked ``both_databases``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import URL

from dnt_desktop.models.enums import (
    ChartView,
    DepthClass,
    Onset,
    Severity,
    Side,
)
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.open import open_database

from ..services.conftest import (  # the same accounts and consented patient, on PostgreSQL
    ADMIN_PASSWORD,
    PASSWORD,
    admin_id,
    fast_hasher,
    patient,
    pract_id,
)
from .fixtures import admin_connection, require_psycopg, unavailable

__all__ = [
    "ADMIN_PASSWORD",
    "PASSWORD",
    "admin_connection",
    "admin_id",
    "fast_hasher",
    "patient",
    "pract_id",
    "require_psycopg",
    "unavailable",
]

SESSION_DAY = datetime(2026, 11, 20, 14, 15, 30, 123456, tzinfo=UTC)


@pytest.fixture
def db(pg_url: URL) -> Iterator[Database]:
    """The fresh PostgreSQL database, opened the way the app opens it."""
    database = open_database(pg_url)
    yield database
    database.dispose()


def draft_for(patient_id: int, practitioner_id: int, points: int = 2) -> SessionDraft:
    """A valid session draft with *points* needling points and a side effect."""
    point = PointDraft(
        "upper_trapezius",
        Side.RIGHT,
        ChartView.BACK,
        0.412345678,
        0.19,
        DepthClass.DEEP,
        14.5,
        0.25,
        25.0,
    )
    return SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=SESSION_DAY,
        conditions=[ConditionDraft("neck_pain")],
        adjuncts=[AdjunctDraft("exercise")],
        pain_before=6,
        pain_after=3,
        notes="Familiar pain reproduced. Ünïcödé ✓",
        points=[point] * points,
        side_effects=[SideEffectDraft("bruising", Severity.MILD, Onset.AFTER)],
    )
