"""Saving sessions: one transaction, every field back as entered, no lost updates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from dnt_desktop.models import (
    AuditEvent,
    NeedlingPoint,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
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
from dnt_desktop.services import audit
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.errors import NotFoundError, SignedRecordError, ValidationError
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import draft_from, load_session, save_session, session_history
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


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


def test_an_edited_draft_reads_back_exactly_and_keeps_its_acknowledgements(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    first_alert = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a risk muscle")
    saved = save_session(
        db, practitioner_id, make_draft(patient_id, practitioner_id), [first_alert]
    )
    created_at = load_session(db, saved.session_id).created_at
    draft = draft_from(load_session(db, saved.session_id))
    draft.points[0].depth_mm = 18.0
    draft.points.append(draft.points.pop(0))  # reordered: numbers follow the new order
    draft.conditions = [ConditionDraft("other", "Jaw pain")]
    draft.adjuncts = []
    draft.side_effects.append(SideEffectDraft("soreness", Severity.MODERATE, Onset.AFTER))
    draft.notes = "  Second look.  "
    later = Alert("anticoagulants", Level.DANGER, "Anticoagulants", "Apply pressure longer")
    again = save_session(db, practitioner_id, draft, acknowledged=[later])
    row = load_session(db, saved.session_id)
    draft.notes = "Second look."  # stored stripped, as on creation
    draft.version = again.version
    assert draft_from(row) == draft
    assert [p.number for p in row.points] == [1, 2]
    assert [a.code for a in row.acknowledgements] == ["deep_lung_risk", "anticoagulants"]
    assert row.acknowledgements[1].message == "Anticoagulants: Apply pressure longer"
    assert row.created_at == created_at < row.updated_at
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SessionCondition)) == 1
        assert s.scalar(select(func.count()).select_from(SessionAdjunct)) == 0


def test_each_save_appends_one_chained_audit_event(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    with db.reading() as s:
        before = s.scalar(select(func.max(AuditEvent.id))) or 0
    saved = save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    draft = draft_from(load_session(db, saved.session_id))
    save_session(db, practitioner_id, draft)
    with db.reading() as s:
        events = list(
            s.scalars(select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id))
        )
        assert audit.verify_chain(s) == []
    assert [(e.action, e.entity_type, e.entity_id) for e in events] == [
        ("create", "session", saved.session_id),
        ("update", "session", saved.session_id),
    ]
    assert events[0].patient_id == patient_id and events[0].actor_id == practitioner_id
    assert events[0].summary == "2 point(s), 1 side effect(s); Neck pain, Headaches"
    assert events[1].prev_hash == events[0].row_hash


def test_a_failed_audit_write_leaves_no_trace_of_the_save(
    db: Database, practitioner_id: int, patient_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    with db.reading() as s:
        for table in (TreatmentSession, NeedlingPoint, SessionCondition, SideEffect):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def test_an_unknown_patient_or_session_is_not_found_and_nothing_is_written(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    with pytest.raises(NotFoundError, match="Patient 999"):
        save_session(db, practitioner_id, make_draft(999, practitioner_id))
    missing = make_draft(patient_id, practitioner_id)
    missing.session_id, missing.version = 999, 1
    with pytest.raises(NotFoundError, match="Session 999"):
        save_session(db, practitioner_id, missing)
    with pytest.raises(NotFoundError, match="Session 999"):
        load_session(db, 999)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentSession)) == 0
        assert s.scalar(select(func.count()).select_from(NeedlingPoint)) == 0


def test_a_change_between_reading_and_writing_the_draft_is_refused(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    """The UPDATE names the version it read: a save that slipped in between is not lost."""
    saved = save_session(db, practitioner_id, make_draft(patient_id, practitioner_id))
    draft = draft_from(load_session(db, saved.session_id))
    draft.notes = "overwritten?"
    draft.version = None  # no version from the editor: only the UPDATE's own guard is left

    @event.listens_for(db.engine, "before_cursor_execute")
    def other_workstation(
        conn: object, cursor: Any, statement: str, *args: object, **kwargs: object
    ) -> None:
        if statement.startswith("UPDATE treatment_session"):
            mark = "?" if db.engine.dialect.name == "sqlite" else "%s"
            cursor.connection.execute(
                "UPDATE treatment_session SET version = version + 1, notes = 'other' "
                f"WHERE id = {mark}",
                (saved.session_id,),
            )

    try:
        with pytest.raises(ConcurrentChangeError):
            save_session(db, practitioner_id, draft)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_workstation)
    row = load_session(db, saved.session_id)
    assert row.notes == "Familiar pain reproduced." and row.version == saved.version
    assert len(row.points) == 2


def test_a_save_is_a_fixed_number_of_statements_whatever_its_size(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    """One executemany per list (no statement per point), nothing read back that is known."""
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "pg_advisory_xact_lock" not in statement:  # PostgreSQL's write locks are SELECTs
            statements.append(statement.split(None, 1)[0])

    def save(draft: SessionDraft) -> tuple[int, list[str]]:
        statements.clear()
        saved = save_session(db, practitioner_id, draft)
        return saved.session_id, list(statements)

    small, large = make_draft(patient_id, practitioner_id), make_draft(patient_id, practitioner_id)
    large.points = large.points * 6
    large.side_effects = large.side_effects * 4
    try:
        small_id, created_small = save(small)
        large_id, created_large = save(large)
        small = draft_from(load_session(db, small_id))
        large = draft_from(load_session(db, large_id))
        _, updated_small = save(small)
        _, updated_large = save(large)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert created_small == created_large and updated_small == updated_large
    # Created: the patient exists, the audit chain's last hash, the chain's ends for this
    # computer's witness (storage.witness); updated: also the draft's status and version
    # (its lists are replaced, not read).
    assert (created_small.count("SELECT"), updated_small.count("SELECT")) == (3, 4)
    assert len(created_small) <= 10 and len(updated_small) <= 15
