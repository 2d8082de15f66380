"""A practitioner's last point on a muscle: where their next point on it starts.

One indexed read: the practitioner's latest ``HISTORY_SESSIONS`` sessions newest first
(index ``ix_treatment_session_practitioner_started``), each probed for points on the
muscle (index on the point's session). The look-back is bounded so that a muscle the
practitioner has never needled costs the same as one they needle daily: a few
milliseconds whatever the size of the database. Drafts count (they are the
practitioner's own work); the rules that turn the answer into a default are in
``services.point_dimensions``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import DBAPIError

from dnt_desktop.models import NeedlingPoint, TreatmentSession
from dnt_desktop.models.enums import DepthClass
from dnt_desktop.storage.engine import Database, translate_error

from .point_dimensions import Dimensions

HISTORY_SESSIONS = 500
"""How many of the practitioner's latest sessions are searched (months of daily work)."""


@cache
def _last_point(look_back: int) -> Select:
    recent = (
        select(TreatmentSession.id, TreatmentSession.started_at)
        .where(TreatmentSession.practitioner_id == bindparam("practitioner_id"))
        .order_by(TreatmentSession.started_at.desc(), TreatmentSession.id.desc())
        .limit(look_back)
        .subquery("recent")
    )
    return (
        select(
            NeedlingPoint.depth_mm,
            NeedlingPoint.depth_class,
            NeedlingPoint.needle_length_mm,
            NeedlingPoint.needle_gauge_mm,
        )
        .join(recent, NeedlingPoint.session_id == recent.c.id)
        .where(NeedlingPoint.muscle_code == bindparam("muscle_code"))
        .order_by(recent.c.started_at.desc(), recent.c.id.desc(), NeedlingPoint.number.desc())
        .limit(1)
    )


def last_dimensions(
    db: Database, practitioner_id: int, muscle_code: str, look_back: int = HISTORY_SESSIONS
) -> Dimensions | None:
    """Depth and needle of the practitioner's latest point on the muscle in their last
    *look_back* sessions (None when there is none)."""
    values = {"practitioner_id": practitioner_id, "muscle_code": muscle_code}
    try:  # one statement on a Core connection: no ORM session to set up for a click
        with db.engine.connect() as connection:
            row = connection.execute(_last_point(look_back), values).first()
    except DBAPIError as exc:
        raise (translate_error(exc) or exc) from exc
    if row is None:
        return None
    return Dimensions(
        float(row.depth_mm),
        DepthClass(row.depth_class),
        float(row.needle_length_mm),
        float(row.needle_gauge_mm),
    )


def remembered(db: Database, practitioner_id: int) -> Callable[[str], Dimensions | None]:
    """``last_dimensions`` for one practitioner, each muscle read once (an editor's memory)."""
    seen: dict[str, Dimensions | None] = {}

    def lookup(muscle_code: str) -> Dimensions | None:
        if not muscle_code:
            return None
        if muscle_code not in seen:
            seen[muscle_code] = last_dimensions(db, practitioner_id, muscle_code)
        return seen[muscle_code]

    return lookup
