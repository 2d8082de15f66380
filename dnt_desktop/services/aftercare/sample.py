"""A made-up sheet for previewing the clinic's texts and settings before saving them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from dnt_desktop.models import Clinic, catalogue
from dnt_desktop.models.enums import DepthClass, ThermalAdvice
from dnt_desktop.storage.engine import Database

from .. import body_map
from ..clinic_details import CLINIC_ID
from .languages import ENGLISH_CODE, set_in
from .settings import SheetSettings
from .sheet import (
    AftercareSheet,
    SheetPoint,
    SheetSideEffect,
    clinic_details,
    resolved_texts,
    stored_texts,
)

_POINTS = (
    ("back", "upper_trapezius", "right", DepthClass.DEEP),
    ("back", "levator_scapulae", "right", DepthClass.DEEP),
    ("back", "infraspinatus", "right", DepthClass.SUPERFICIAL),
)


def _spot(view: str, muscle: str, side: str) -> tuple[float, float]:
    """A point inside the body-chart region of *muscle* on *side*."""
    for region in body_map.figure(view).regions:
        if muscle in region.muscles and region.side == side:
            xs = [p[0] for p in region.polygon]
            ys = [p[1] for p in region.polygon]
            centre = (sum(xs) / len(xs), sum(ys) / len(ys))
            return centre if region.contains(*centre) else region.polygon[0]
    return (0.5, 0.2)


def sample_sheet(
    db: Database,
    practitioner_name: str,
    texts: Mapping[str, str] | None = None,
    settings: SheetSettings | None = None,
    language: str = ENGLISH_CODE,
) -> AftercareSheet:
    """A sheet for an invented patient with the clinic's letterhead, *texts* and *settings*,
    in the set *language*.

    It has every optional part: a point near the lung, a side effect, stretches, another
    treatment and a next appointment.
    """
    with db.reading() as session:
        clinic = clinic_details(session.get(Clinic, CLINIC_ID))
        text_set = set_in(session, language)
        stored = stored_texts(session, language)
    if settings is not None:
        clinic = replace(
            clinic,
            page_size=settings.page_size,
            avoid_alcohol_hours=settings.avoid_alcohol_hours,
            emergency_instruction=settings.emergency_instruction,
        )
    now = datetime.now().astimezone()
    points = tuple(
        SheetPoint(
            number,
            catalogue.muscle(muscle).name,
            side,
            depth,
            view,
            *_spot(view, muscle, side),
        )
        for number, (view, muscle, side, depth) in enumerate(_POINTS, start=1)
    )
    return AftercareSheet(
        session_id=0,
        patient_id=0,
        clinic=clinic,
        practitioner_name=practitioner_name,
        practitioner_registration="",
        patient_given_name="Jane",
        patient_family_name="Sample",
        patient_date_of_birth=date(1980, 5, 17),
        started_at=now,
        conditions=(catalogue.label_of("condition", "neck_pain"),),
        points=points,
        side_effects=(SheetSideEffect("bruising", catalogue.label_of("side_effect", "bruising")),),
        adjuncts=(catalogue.label_of("adjunct", "exercise"),),
        thermal_advice=ThermalAdvice.HEAT,
        stretches="Upper trapezius stretch, 3 x 30 s each side",
        next_appointment=datetime.combine(now.date() + timedelta(days=7), time(10), now.tzinfo),
        lung_risk=True,
        templates={**resolved_texts(stored, text_set), **(texts or {})},
        text_set=text_set,
    )
