"""A practitioner's last point on a muscle, read from their recent sessions (indexed)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select

from dnt_desktop.models.enums import ChartView, DepthClass, Side
from dnt_desktop.services import point_history
from dnt_desktop.services.drafts import PointDraft, SessionDraft
from dnt_desktop.services.point_dimensions import Dimensions
from dnt_desktop.services.point_history import last_dimensions, remembered
from dnt_desktop.services.practitioners import PractitionerForm, insert_practitioner
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database


def point(muscle: str, depth: float, needle: float, gauge: float = 0.25) -> PointDraft:
    depth_class = DepthClass.SUPERFICIAL if depth <= 10 else DepthClass.DEEP
    return PointDraft(
        muscle, Side.LEFT, ChartView.BACK, 0.4, 0.8, depth_class, depth, gauge, needle
    )


def chart(db: Database, patient: int, practitioner: int, day: int, *points: PointDraft) -> None:
    started = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    save_session(db, practitioner, SessionDraft(patient, practitioner, started, points=[*points]))


def test_the_latest_session_and_its_last_point_on_the_muscle_win(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    assert last_dimensions(db, practitioner_id, "soleus") is None
    chart(db, patient_id, practitioner_id, 20, point("soleus", 25, 40), point("soleus", 28, 40))
    # Charted later, but started earlier: an older visit entered afterwards.
    chart(db, patient_id, practitioner_id, 10, point("soleus", 15, 30))
    chart(db, patient_id, practitioner_id, 15, point("gastrocnemius_medial", 18, 30, 0.3))
    assert last_dimensions(db, practitioner_id, "soleus") == Dimensions(
        28, DepthClass.DEEP, 40, 0.25
    )
    assert last_dimensions(db, practitioner_id, "gastrocnemius_medial") == Dimensions(
        18, DepthClass.DEEP, 30, 0.3
    )
    assert last_dimensions(db, practitioner_id, "piriformis") is None


def test_only_the_practitioners_own_points_count(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    with db.transaction() as session:  # a colleague's account, however it was made
        other = insert_practitioner(session, None, PractitionerForm("Olga Other", "olga"), None)
    chart(db, patient_id, other, 25, point("soleus", 35, 50, 0.3))
    assert last_dimensions(db, practitioner_id, "soleus") is None
    chart(db, patient_id, practitioner_id, 5, point("soleus", 8, 15, 0.2))
    assert last_dimensions(db, practitioner_id, "soleus") == Dimensions(
        8, DepthClass.SUPERFICIAL, 15, 0.2
    )
    assert last_dimensions(db, other, "soleus") == Dimensions(35, DepthClass.DEEP, 50, 0.3)


def test_the_look_back_is_bounded_to_the_latest_sessions(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    chart(db, patient_id, practitioner_id, 1, point("soleus", 25, 40))
    chart(db, patient_id, practitioner_id, 2, point("gastrocnemius_medial", 18, 30))
    assert last_dimensions(db, practitioner_id, "soleus", look_back=2) is not None
    assert last_dimensions(db, practitioner_id, "soleus", look_back=1) is None
    assert point_history.HISTORY_SESSIONS >= 100


def _plan(db: Database, statement: Select, values: dict[str, object]) -> str:
    compiled = statement.compile(dialect=db.engine.dialect)
    bound = compiled.construct_params(values)
    params = tuple(bound[name] for name in compiled.positiontup or ())
    with db.reading() as session:
        rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        return " / ".join(str(row[-1]) for row in rows)


def test_both_reads_walk_the_practitioners_sessions_by_index(db: Database) -> None:
    index = "ix_treatment_session_practitioner_started"
    oldest = _plan(db, point_history._oldest_start(500), {"practitioner_id": 1})
    assert f"COVERING INDEX {index}" in oldest, oldest
    since = datetime(2026, 1, 1, tzinfo=UTC)
    for bounded in (True, False):
        values = {"practitioner_id": 1, "muscle_code": "soleus", "since": since}
        plan = _plan(db, point_history._last_point(bounded), values)
        assert index in plan and "SCAN" not in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # stops at the first hit


def test_an_editor_reads_each_muscle_once(
    db: Database, practitioner_id: int, patient_id: int, monkeypatch
) -> None:
    chart(db, patient_id, practitioner_id, 3, point("soleus", 25, 40))
    reads: list[str] = []
    real = point_history.last_dimensions

    def counting(db_: Database, who: int, code: str) -> Dimensions | None:
        reads.append(code)
        return real(db_, who, code)

    monkeypatch.setattr(point_history, "last_dimensions", counting)
    lookup = remembered(db, practitioner_id)
    assert lookup("soleus") == lookup("soleus") == Dimensions(25, DepthClass.DEEP, 40, 0.25)
    assert lookup("piriformis") is None and lookup("piriformis") is None
    assert lookup("") is None
    assert reads == ["soleus", "piriformis"]
