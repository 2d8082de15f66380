"""A new point's defaults: the practitioner's last point on the clicked muscle, every click."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from dnt_desktop.models import NeedlingPoint, TreatmentSession
from dnt_desktop.services.point_dimensions import default_dimensions
from dnt_desktop.services.point_history import HISTORY_SESSIONS, last_dimensions
from dnt_desktop.storage.engine import Database

from .results import Figure, Goal
from .search import captured_sql, replay
from .timing import Samples, paired

GOAL = Goal("< 5 ms at any size", max_value=5.0)
"""Well inside the frame after a click; the floor is shown, not judged: two statements
through SQLAlchemy cost about 0.3 ms each above raw sqlite3 (see README, search)."""
MUSCLES = ("upper_trapezius", "quadratus_plantae")
"""A muscle needled every day and one seldom needled: the read costs the same."""


def busiest_practitioner(db: Database) -> int:
    """The practitioner with the most sessions (the longest history to search)."""
    with db.reading() as session:
        return session.execute(
            select(TreatmentSession.practitioner_id)
            .group_by(TreatmentSession.practitioner_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()


def point_defaults_figure(db: Database, path: Path, patients: int, repeat: int) -> Figure:
    """Time the defaults of a new point (history read and rules) beside the raw SQL."""
    practitioner = busiest_practitioner(db)
    raw = sqlite3.connect(path, isolation_level=None)
    app, floor = Samples(), Samples()
    found = []
    try:
        for muscle in MUSCLES:

            def defaults(muscle: str = muscle) -> object:
                return default_dimensions(muscle, last=last_dimensions(db, practitioner, muscle))

            statements = captured_sql(db, defaults)
            app_part, floor_part = paired(
                repeat, defaults, lambda statements=statements: replay(raw, statements)
            )
            app.values += app_part.values
            floor.values += floor_part.values
            found.append(last_dimensions(db, practitioner, muscle) is not None)
    finally:
        raw.close()
    with db.reading() as session:
        points = session.scalar(select(func.count()).select_from(NeedlingPoint)) or 0
    return Figure(
        key="point_defaults",
        title="a new point's defaults (last point)",
        size=patients,
        samples=app,
        floor=floor,
        floor_title="the same SQL through raw sqlite3",
        goal=GOAL,
        detail=(
            f"the busiest practitioner's sessions (at most the latest {HISTORY_SESSIONS}) "
            f"searched newest first for "
            f"{' and '.join(MUSCLES)} (found: {found}) among {points:,} points"
        ),
    )
