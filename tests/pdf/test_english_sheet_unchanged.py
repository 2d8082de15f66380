"""The English sheet of an English-reading patient looks exactly as it did before languages."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import DepthClass, ThermalAdvice
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.clinical import record_screening
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    ScreeningAnswerForm,
    ScreeningForm,
    SideEffectDraft,
)
from dnt_desktop.storage.engine import Database

from .conftest import LUNG_RISK, MakeSession, point
from .layout import BASELINE, dump, load_baseline, text_layout


def test_every_piece_of_text_is_where_it_was(
    db: Database, make_session: MakeSession, practitioner_id: int, patient_id: int
) -> None:
    # BMI 27.1: the deep upper trapezius point is within the lung-risk depth limit, so the
    # sheet has no "deeper than advised" note (tests/pdf/test_lung_limit_on_sheet.py)
    answers = [ScreeningAnswerForm(c.code) for c in catalogue.contraindications()]
    form = ScreeningForm(answers=answers, height_cm=175.0, weight_kg=83.0)
    record_screening(db, practitioner_id, patient_id, form)
    session_id = make_session(
        [point(LUNG_RISK), point("gluteus_medius", DepthClass.SUPERFICIAL), point("piriformis")],
        conditions=[ConditionDraft("neck_pain"), ConditionDraft("back_pain")],
        side_effects=[SideEffectDraft("bruising")],
        adjuncts=[AdjunctDraft("exercise")],
        stretches="Upper trapezius stretch, 3 x 30 s each side",
        thermal=ThermalAdvice.HEAT,
        next_appointment=datetime(2026, 11, 27, 10, 30, tzinfo=UTC),
    )
    layout = text_layout(render_aftercare(aftercare.load_sheet(db, session_id)))
    if os.environ.get("DNT_WRITE_LAYOUT") == "1":
        BASELINE.write_text(dump(layout), "utf-8")
    assert layout == load_baseline()
