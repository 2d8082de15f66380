"""The demo clinic's protocols and note phrases, so both can be tried from ``--demo``."""

from __future__ import annotations

from sqlalchemy import select

from dnt_desktop.models import NotePhrase, Protocol, ProtocolPoint
from dnt_desktop.models.enums import ChartView, Side
from dnt_desktop.services import body_map
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.point_dimensions import default_dimensions
from dnt_desktop.services.protocols import PROTOCOL_POINT_FIELDS
from dnt_desktop.storage.engine import Database

DEMO_PHRASES = (
    "Reports improvement since the last session.",
    "No adverse events reported after the last session.",
    "Tender, taut band palpated; familiar pain reproduced.",
    "Local twitch responses elicited.",
    "Tolerated treatment well.",
    "Continue the home exercise programme.",
    "Review in one week.",
)
DEMO_PROTOCOLS = (
    # name, view, muscles (each on both sides where the side is not given), shared
    (
        "Lateral elbow",
        "back",
        (
            ("extensor_carpi_radialis_brevis", "right"),
            ("extensor_carpi_radialis_longus", "right"),
            ("extensor_digitorum", "right"),
        ),
        True,
    ),
    (
        "Upper trapezius bilateral",
        "back",
        (("upper_trapezius", "left"), ("upper_trapezius", "right")),
        True,
    ),
    ("Calf", "back", (("gastrocnemius_medial", "left"), ("gastrocnemius_lateral", "left")), False),
)


def demo_point(view: str, muscle: str, side: str) -> PointDraft:
    """A point at the centre of *muscle*'s area on *side* of *view*, with the catalogue's
    typical depth and needle."""
    for region in body_map.figure(view).regions:
        for area in region.areas:
            x, y = area.centre
            if area.muscle == muscle and region.side == side:
                dims = default_dimensions(muscle)
                return PointDraft(
                    muscle,
                    Side(side),
                    ChartView(view),
                    x,
                    y,
                    dims.depth_class,
                    dims.depth_mm,
                    dims.needle_gauge_mm,
                    dims.needle_length_mm,
                )
    raise LookupError(f"No area of {muscle} on the {side} of the {view} view")


def add_demo_protocols(db: Database, owner_id: int) -> None:
    """The demo protocols of *owner_id* and the clinic's phrases, unless there are some."""
    with db.transaction() as session:
        if session.scalar(select(Protocol.id).limit(1)) is None:
            for name, view, muscles, shared in DEMO_PROTOCOLS:
                row = Protocol(name=name, owner_id=owner_id, shared=shared)
                row.points = [
                    ProtocolPoint(
                        number=number,
                        **{n: getattr(point, n) for n in PROTOCOL_POINT_FIELDS},
                    )
                    for number, point in enumerate(
                        (demo_point(view, muscle, side) for muscle, side in muscles), start=1
                    )
                ]
                session.add(row)
        if session.scalar(select(NotePhrase.id).limit(1)) is None:
            session.add_all(NotePhrase(text=t, position=i) for i, t in enumerate(DEMO_PHRASES))
