"""Made-up sheets: a preview of the clinic's texts, and the largest sheet the limits allow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from dnt_desktop.models import Clinic, catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, Side, ThermalAdvice
from dnt_desktop.storage.engine import Database

from .. import body_map
from ..clinic_details import CLINIC_ID
from ..drafts import PointDraft
from ..field_limits import FIELD_LIMITS, TextLimit, aftercare_text_limit
from ..rules import MAX_POINTS_PER_SESSION as MAX_POINTS
from ..rules import MAX_SIDE_EFFECTS_PER_SESSION as MAX_SIDE_EFFECTS
from .languages import ENGLISH_CODE, set_in
from .settings import SheetSettings
from .sheet import (
    AftercareSheet,
    ClinicDetails,
    SheetPoint,
    SheetSideEffect,
    clinic_details,
    resolved_texts,
    stored_texts,
)
from .texts import template_specs

_POINTS = (
    ("back", "upper_trapezius", "right", DepthClass.DEEP, 15.0),
    ("back", "levator_scapulae", "right", DepthClass.DEEP, 20.0),
    ("back", "infraspinatus", "right", DepthClass.SUPERFICIAL, 8.0),
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
            PointDraft(
                muscle, Side(side), ChartView(view), *_spot(view, muscle, side), depth, depth_mm
            ),
        )
        for number, (view, muscle, side, depth, depth_mm) in enumerate(_POINTS, start=1)
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


def _unbroken(length: int) -> str:
    """One word of *length* letters: the slowest text to lay out (split letter by letter)."""
    return ("Abcdefghij" * (length // 10 + 1))[:length]


def _filled(limit: TextLimit, prefix: str = "", bullets: bool = False) -> str:
    """Text at *limit*: one unbroken word, or as many lines as allowed sharing the length."""
    if not limit.multiline:
        return (prefix + _unbroken(limit.max_length))[: limit.max_length]
    lines = limit.max_lines or limit.max_length // 2
    marker = "- " if bullets else ""
    room = limit.max_length - len(prefix) - (lines - 1) - lines * len(marker)
    widths = [room // lines + (1 if i < room % lines else 0) for i in range(lines)]
    return prefix + "\n".join(marker + _unbroken(width) for width in widths)


def longest_sheet() -> AftercareSheet:
    """The largest sheet the limits allow: every printed field at its maximum length.

    Single-line fields are one unbroken word, multi-line fields as many lines as allowed;
    the session has every condition and adjunct, the most points over lung-risk muscles
    and the most side effects (each 'other', so each prints its advice), and every text
    block is at its limit as printed. Tests and benchmarks render it to bound a sheet's
    size and time.
    """

    def text(record: str, field: str, prefix: str = "") -> str:
        return _filled(FIELD_LIMITS[record][field], prefix)

    clinic = ClinicDetails(
        name=text("clinic", "name"),
        address=text("clinic", "address"),
        phone=text("clinic", "phone"),
        email=text("clinic", "email"),
        website=text("clinic", "website"),
        emergency_instruction=text("clinic", "emergency_instruction"),
    )
    risky = [m for m in catalogue.muscles() if m.lung_risk]
    points = tuple(
        SheetPoint(
            number,
            muscle.name,
            PointDraft(
                muscle.code,
                Side(side),
                ChartView(muscle.views[0]),
                *_spot(muscle.views[0], muscle.code, side),
                DepthClass.DEEP,
                20.0,
            ),
        )
        for number, (muscle, side) in enumerate(
            ((risky[i % len(risky)], ("left", "right")[i % 2]) for i in range(MAX_POINTS)),
            start=1,
        )
    )
    started = datetime(2026, 11, 20, 10, 30).astimezone()
    return AftercareSheet(
        session_id=0,
        patient_id=0,
        clinic=clinic,
        practitioner_name=text("practitioner", "full_name"),
        practitioner_registration=text("practitioner", "registration_number"),
        patient_given_name=text("patient", "given_name"),
        patient_family_name=text("patient", "family_name"),
        patient_date_of_birth=date(1980, 5, 17),
        started_at=started,
        conditions=tuple(
            text("condition", "other_text", item.code) for item in catalogue.conditions()
        ),
        points=points,
        side_effects=tuple(
            SheetSideEffect("other", text("side_effect", "other_text", str(i)))
            for i in range(MAX_SIDE_EFFECTS)
        ),
        adjuncts=tuple(text("adjunct", "detail", item.code) for item in catalogue.adjuncts()),
        thermal_advice=ThermalAdvice.HEAT,
        stretches=text("session", "stretches"),
        next_appointment=started + timedelta(days=7),
        lung_risk=True,
        templates={
            item.key: _filled(aftercare_text_limit(item.key), bullets=item.key != "title")
            for item in template_specs()
            if item.kind == "text"  # words and names keep their defaults: a list of month
            # names filled with one long word would not be a sheet at all
        },
    )
