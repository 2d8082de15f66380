"""A practitioner's last point on a muscle: where their next point on it starts.

Two indexed statements on one connection: the start of the practitioner's
``HISTORY_SESSIONS``-th latest session (one seek in the index
``ix_treatment_session_practitioner_started``), then their sessions since then, newest
first, each probed for points on the muscle (index on the point's session) until the
first hit: a tenth of a millisecond for a muscle they needle often, and at most those
sessions (about 2 ms at any size of the database) for one they have not needled
recently. Drafts count (they are the practitioner's own work); the rules that turn the
answer into a default are in ``services.point_dimensions``.
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
def _oldest_start(look_back: int) -> Select:
    """The start of the practitioner's *look_back*-th latest session (one index seek)."""
    return (
        select(TreatmentSession.started_at)
        .where(TreatmentSession.practitioner_id == bindparam("practitioner_id"))
        .order_by(TreatmentSession.started_at.desc())
        .offset(look_back - 1)
        .limit(1)
    )


@cache
def _last_point(bounded: bool) -> Select:
    """The latest point on the muscle: sessions newest first, stopping at the first hit."""
    where = [
        TreatmentSession.practitioner_id == bindparam("practitioner_id"),
        NeedlingPoint.muscle_code == bindparam("muscle_code"),
    ]
    if bounded:
        where.append(TreatmentSession.started_at >= bindparam("since"))
    return (
        select(
            NeedlingPoint.depth_mm,
            NeedlingPoint.depth_class,
            NeedlingPoint.needle_length_mm,
            NeedlingPoint.needle_gauge_mm,
        )
        .join(TreatmentSession, NeedlingPoint.session_id == TreatmentSession.id)
        .where(*where)
        .order_by(
            TreatmentSession.started_at.desc(),
            TreatmentSession.id.desc(),
            NeedlingPoint.number.desc(),
        )
        .limit(1)
    )


def last_dimensions(
    db: Database, practitioner_id: int, muscle_code: str, look_back: int = HISTORY_SESSIONS
) -> Dimensions | None:
    """Depth and needle of the practitioner's latest point on the muscle in their last
    *look_back* sessions (None when there is none)."""
    values: dict[str, object] = {"practitioner_id": practitioner_id, "muscle_code": muscle_code}
    try:  # two statements on one Core connection: no ORM session to set up for a click
        with db.engine.connect() as connection:
            since = connection.execute(_oldest_start(look_back), values).scalar()
            if since is not None:
                values["since"] = since
            row = connection.execute(_last_point(since is not None), values).first()
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
