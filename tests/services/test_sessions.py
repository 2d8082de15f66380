"""Saving sessions: one transaction, every field back as entered, no lost updates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from dnt_desktop.models import NeedlingPoint, TreatmentSession
from dnt_desktop.models.enums import (
    ChartView,
    DepthClass,
    Onset,
    SessionStatus,
    Severity,
    Side,
    Technique,
    ThermalAdvice,
)
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.errors import SignedRecordError, ValidationError
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import draft_from, load_session, save_session, session_history
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError


def make_draft(patient_id: int, practitioner_id: int) -> SessionDraft:
    return SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=datetime(2026, 11, 20, 14, 15, tzinfo=UTC),
        conditions=[ConditionDraft("neck_pain"), ConditionDraft("headaches")],
        pain_before=7,
        pain_after=4,
        adjuncts=[AdjunctDraft("exercise"), AdjunctDraft("other", "Dry cupping")],
        notes="Familiar pain reproduced.",
        points=[
            PointDraft(
                "upper_trapezius",
                Side.RIGHT,
                ChartView.BACK,
                0.41,
                0.19,
                DepthClass.DEEP,
                14.0,
                0.25,
                25.0,
                3,
                True,
                Technique.PISTONING,
                "LTR x2",
            ),
            PointDraft(
                "gastrocnemius_medial",
                Side.LEFT,
                ChartView.BACK,
                0.45,
                0.8,
                DepthClass.SUPERFICIAL,
                8.0,
                0.3,
                30.0,
            ),
        ],
        side_effects=[SideEffectDraft("bruising", Severity.MILD, Onset.AFTER, False, "Ice")],
        thermal_advice=ThermalAdvice.HEAT,
        stretches="Upper trapezius stretch 3 x 30 s",
    )


def test_saved_session_reads_back_exactly(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    draft = make_draft(patient_id, practitioner_id)
    alert = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a risk muscle")
    saved = save_session(db, practitioner_id, draft, acknowledged=[alert])
    assert saved.created
    row = load_session(db, saved.session_id)
    again = draft_from(row)
    draft.session_id, draft.version = saved.session_id, saved.version
    assert again == draft
    assert [a.code for a in row.acknowledgements] == ["deep_lung_risk"]
    assert row.acknowledgements[0].acknowledged_by_id == practitioner_id
    assert row.status == SessionStatus.DRAFT


def test_update_replaces_children_and_bumps_version(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    saved = save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    draft = draft_from(load_session(db, saved.session_id))
    draft.points.pop()
    again = save_session(db, practitioner_id, draft)
    assert again.version == saved.version + 1 and not again.created
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(NeedlingPoint)) == 1


def test_invalid_point_is_refused_and_nothing_is_written(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    draft = make_draft(patient_id, practitioner_id)
    draft.points[1].depth_mm = 15.0
    with pytest.raises(ValidationError, match="Point 2: Superficial needling is 10 mm or less"):
        save_session(db, practitioner_id, draft)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentSession)) == 0


def test_stale_editor_cannot_overwrite_a_newer_save(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    saved = save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    first = draft_from(load_session(db, saved.session_id))
    second = draft_from(load_session(db, saved.session_id))
    first.notes = "first"
    save_session(db, practitioner_id, first)
    second.notes = "second"
    with pytest.raises(ConcurrentChangeError):
        save_session(db, practitioner_id, second)
    assert load_session(db, saved.session_id).notes == "first"


def test_signed_sessions_cannot_be_saved_over(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    saved = save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    with db.transaction() as s:
        s.execute(
            update(TreatmentSession)
            .where(TreatmentSession.id == saved.session_id)
            .values(status=SessionStatus.SIGNED)
        )
    draft = draft_from(load_session(db, saved.session_id))
    with pytest.raises(SignedRecordError, match="amendment"):
        save_session(db, practitioner_id, draft)


def test_history_lists_newest_first_with_counts(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    older = make_draft(patient_id, practitioner_id)
    older.started_at = datetime(2026, 10, 1, 9, tzinfo=UTC)
    older.side_effects = []
    save_session(db, practitioner_id, older)
    save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    history = session_history(db, patient_id)
    assert [h.started_at.month for h in history] == [11, 10]
    assert history[0].conditions == "Neck pain, Headaches"
    assert history[0].point_count == 2
    assert history[0].side_effects.startswith("Bruising")
    assert history[1].side_effects == ""
