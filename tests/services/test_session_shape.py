"""The one declaration of a session: every column signed or deliberately unsigned, and the
signature's canonical content byte for byte what it was before the declaration existed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, MetaData, String, Table

from dnt_desktop.models import Base
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
from dnt_desktop.services import signing
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.session_shape import POINT, SHAPES, RecordShape
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.storage.engine import Database


def unaccounted(shape: RecordShape, table: Table) -> set[str]:
    """Columns of *table* that are neither signed nor on the shape's unsigned list."""
    return {c.name for c in table.columns} - set(shape.signed) - set(shape.unsigned)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.table)
def test_every_column_is_signed_or_deliberately_unsigned(shape: RecordShape) -> None:
    table = Base.metadata.tables[shape.table]
    columns = {c.name for c in table.columns}
    assert unaccounted(shape, table) == set()
    assert set(shape.signed) <= columns, "a signed name that is no column"
    assert set(shape.unsigned) <= columns, "an unsigned name that is no column"
    assert not set(shape.signed) & set(shape.unsigned)
    assert all(reason.strip() for reason in shape.unsigned.values()), "say why it is unsigned"


def _point_table_with(column: Column) -> Table:
    """The needling_point table as a migration adding *column* would make it."""
    table = Base.metadata.tables[POINT.table].to_metadata(MetaData())
    table.append_column(column)
    return table


def test_a_column_added_to_a_point_is_caught_until_the_declaration_has_it() -> None:
    table = _point_table_with(Column("needle_brand", String(60)))
    assert unaccounted(POINT, table) == {"needle_brand"}

    @dataclass
    class BrandedPoint(PointDraft):
        needle_brand: str = ""

    declared = RecordShape(BrandedPoint, POINT.table, set_by_services=("number",))
    assert unaccounted(declared, table) == set()
    assert "needle_brand" in declared.signed


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.table)
def test_the_signing_field_tuples_are_the_declared_ones(shape: RecordShape) -> None:
    tuples = {
        "treatment_session": signing.SESSION_FIELDS,
        "session_condition": signing.CONDITION_FIELDS,
        "session_adjunct": signing.ADJUNCT_FIELDS,
        "needling_point": signing.POINT_FIELDS,
        "side_effect": signing.EFFECT_FIELDS,
    }
    assert tuples[shape.table] == shape.signed


# --- the canonical content is what it was ----------------------------------------------

# Computed by dnt_desktop/services/signing.py as it was before the declaration (commit
# c8e9bbf): a signed session in a database written then must still verify.
PINNED_ROWS_HASH = "1bf7693a6591e5b55e2f75ecc445f1898cee415b45a194aa157c9e70303b3ffb"
PINNED_STORED_HASH = "2c62d4fc3c0fbd0e3a7cf6e2335912fc2a2fae01325ca840a35f4c7d493b5fca"


def test_the_content_hash_of_known_rows_is_unchanged() -> None:
    session = dict(
        id=42,
        patient_id=7,
        practitioner_id=3,
        started_at=datetime(2026, 11, 20, 14, 15, 30, 123456, tzinfo=UTC),
        pain_before=7,
        pain_after=None,
        notes="Réponse locale ✓ — “twitch” x2",
        thermal_advice=ThermalAdvice.HEAT,
        stretches="Upper trapezius stretch 3 x 30 s",
        next_appointment=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        signed_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        signed_by_id=3,
        status=SessionStatus.SIGNED,
        content_hash=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 2, tzinfo=UTC),
        version=3,
    )
    conditions = [
        dict(id=1, session_id=42, code="neck_pain", other_text=""),
        dict(id=2, session_id=42, code="other", other_text="Jaw pain"),
    ]
    adjuncts = [dict(id=5, session_id=42, code="other", detail="Dry cupping")]
    common = dict(session_id=42, view=ChartView.BACK)
    points = [
        dict(
            common,
            id=9,
            number=2,
            muscle_code="gastrocnemius_medial",
            side=Side.LEFT,
            x=0.45,
            y=0.8000004,
            depth_class=DepthClass.SUPERFICIAL,
            depth_mm=8.0,
            needle_gauge_mm=0.3,
            needle_length_mm=30.0,
            insertions=1,
            twitch_response=False,
            technique=Technique.STATIC,
            notes="",
        ),
        dict(
            common,
            id=8,
            number=1,
            muscle_code="upper_trapezius",
            side=Side.RIGHT,
            x=0.4123456789,
            y=0.19,
            depth_class=DepthClass.DEEP,
            depth_mm=14.0,
            needle_gauge_mm=0.25,
            needle_length_mm=25.0,
            insertions=3,
            twitch_response=True,
            technique=Technique.PISTONING,
            notes="LTR x2",
        ),
    ]
    effects = [
        dict(
            id=4,
            session_id=42,
            code="bruising",
            other_text="",
            severity=Severity.MILD,
            onset=Onset.AFTER,
            resolved=False,
            action_taken="Ice",
            notes="small",
        )
    ]
    digest = signing.content_hash_of_row(session, conditions, adjuncts, points, effects)
    assert digest == PINNED_ROWS_HASH


def test_a_saved_session_hashes_as_before_and_reads_back_trimmed(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    assert (practitioner_id, patient_id) == (1, 1)  # the pinned content names them
    draft = SessionDraft(
        patient_id,
        practitioner_id,
        datetime(2026, 11, 20, 14, 15, tzinfo=UTC),
        conditions=[ConditionDraft("neck_pain"), ConditionDraft("other", "  Jaw pain ")],
        pain_before=7,
        pain_after=4,
        adjuncts=[AdjunctDraft("exercise"), AdjunctDraft("other", " Dry cupping ")],
        notes="  Familiar pain reproduced. ",
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
                " LTR x2 ",
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
        side_effects=[SideEffectDraft("bruising", Severity.MILD, Onset.AFTER, False, " Ice ")],
        thermal_advice=ThermalAdvice.HEAT,
        stretches=" Upper trapezius stretch 3 x 30 s\n",
        next_appointment=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
    )
    saved = save_session(db, practitioner_id, draft)
    row = load_session(db, saved.session_id)
    assert signing.content_hash(row) == PINNED_STORED_HASH
    back = draft_from(row)
    assert (back.notes, back.stretches) == (
        "Familiar pain reproduced.",
        "Upper trapezius stretch 3 x 30 s",
    )
    assert [c.other_text for c in back.conditions] == ["", "Jaw pain"]
    assert [a.detail for a in back.adjuncts] == ["", "Dry cupping"]
    assert back.points[0].notes == " LTR x2 "  # point and side-effect texts are kept as typed
    assert back.side_effects[0].action_taken == " Ice "
    assert back.points == draft.points and back.side_effects == draft.side_effects
    assert (back.session_id, back.version) == (saved.session_id, saved.version)
    assert date(2026, 11, 20) == back.started_at.date()
