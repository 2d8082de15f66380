"""Fixtures for document tests: sessions charted through the real services, and PDF text."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import pypdf
import pytest

from dnt_desktop.models.enums import ChartView, DepthClass, Side, ThermalAdvice
from dnt_desktop.services import body_map
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PatientForm,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

SESSION_START = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
LUNG_RISK = "upper_trapezius"
NO_LUNG_RISK = ("gluteus_medius", "piriformis", "vastus_lateralis", "gastrocnemius_medial")


def spot(muscle: str) -> tuple[str, str, float, float]:
    """(view, side, x, y) inside a body-chart region where *muscle* is needled."""
    for view in body_map.VIEWS:
        for region in body_map.figure(view).regions:
            if muscle in region.muscles and region.side in ("left", "right"):
                xs = [p[0] for p in region.polygon]
                ys = [p[1] for p in region.polygon]
                x, y = sum(xs) / len(xs), sum(ys) / len(ys)
                return view, region.side, x, y
    raise LookupError(muscle)


def point(muscle: str, depth: DepthClass = DepthClass.DEEP) -> PointDraft:
    """A valid point over *muscle*: 20 mm deep or 6 mm superficial."""
    view, side, x, y = spot(muscle)
    return PointDraft(
        muscle_code=muscle,
        side=Side(side),
        view=ChartView(view),
        x=x,
        y=y,
        depth_class=depth,
        depth_mm=20.0 if depth == DepthClass.DEEP else 6.0,
        needle_length_mm=30.0,
    )


def pdf_text(data: bytes) -> str:
    """All text of a PDF, pages joined by newlines."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Whitespace normalised to single spaces (line breaks depend on the layout)."""
    return " ".join(text.split())


MakeSession = Callable[..., int]


@pytest.fixture
def make_session(db: Database, practitioner_id: int, patient_id: int) -> MakeSession:
    """Chart a session through save_session and return its id."""

    def make(
        points: Sequence[PointDraft] = (),
        *,
        patient: int | None = None,
        conditions: Sequence[ConditionDraft] = (ConditionDraft("neck_pain"),),
        side_effects: Sequence[SideEffectDraft] = (),
        adjuncts: Sequence[AdjunctDraft] = (),
        stretches: str = "",
        thermal: ThermalAdvice = ThermalAdvice.GENERAL,
        next_appointment: datetime | None = None,
    ) -> int:
        draft = SessionDraft(
            patient_id=patient if patient is not None else patient_id,
            practitioner_id=practitioner_id,
            started_at=SESSION_START,
            conditions=list(conditions),
            adjuncts=list(adjuncts),
            points=list(points),
            side_effects=list(side_effects),
            thermal_advice=thermal,
            stretches=stretches,
            next_appointment=next_appointment,
        )
        return save_session(db, practitioner_id, draft).session_id

    return make


@pytest.fixture
def add_patient(db: Database, practitioner_id: int) -> Callable[[str, str], int]:
    """Register a patient with the given family and given names."""

    def add(family: str, given: str) -> int:
        return register_patient(db, practitioner_id, PatientForm(family, given, date(1980, 5, 17)))

    return add
