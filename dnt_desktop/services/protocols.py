"""Protocols: a practitioner's named sets of points, applied to a session in one action.

A protocol keeps of each point what copy forward carries (``drafts``: muscle, side, place
on the chart, depth class, depth, needle, technique). Applying one appends its points to
the session's draft: they are then points like any placed by hand, checked by the same
rules (``rules.point_problems``) and raising the same alerts (``rules.session_alerts``)
when the session is saved, because those read only the draft.

Each practitioner sees their own protocols and those shared with the clinic. An owner
renames or deletes their own (unshared) ones; administrators share a protocol with the
clinic or stop sharing it, and rename or delete shared ones. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import Practitioner, Protocol, ProtocolPoint
from dnt_desktop.models.enums import Role
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import PROTOCOLS_CHANGED, Changes
from .drafts import PointDraft, SessionDraft, carried_fields
from .errors import NotFoundError, PermissionDeniedError, ValidationError
from .rules import Problem, point_problems, text_problems

PROTOCOL_POINT_FIELDS = carried_fields(PointDraft)
"""The point fields a protocol keeps: those copy forward carries, as declared."""
MAX_POINTS = 60


@dataclass(frozen=True)
class ProtocolView:
    """A protocol as a practitioner sees it."""

    protocol_id: int
    name: str
    owner_id: int
    owner_name: str
    shared: bool
    points: tuple[PointDraft, ...]

    @property
    def summary(self) -> str:
        """'3 points' for lists."""
        count = len(self.points)
        return f"{count} point" + ("" if count == 1 else "s")


def protocol_points(points: Sequence[PointDraft]) -> list[PointDraft]:
    """The points as a protocol keeps them (and as applying one adds them)."""
    return [PointDraft(**{n: getattr(p, n) for n in PROTOCOL_POINT_FIELDS}) for p in points]


def applied(draft: SessionDraft, protocol: ProtocolView) -> SessionDraft:
    """*draft* with the protocol's points added after its own."""
    return replace(draft, points=[*draft.points, *protocol_points(protocol.points)])


def _view(row: Protocol) -> ProtocolView:
    owner = row.owner.full_name if getattr(row, "owner", None) is not None else ""
    points = tuple(
        PointDraft(**{name: getattr(p, name) for name in PROTOCOL_POINT_FIELDS}) for p in row.points
    )
    return ProtocolView(row.id, row.name, row.owner_id, owner, row.shared, points)


def _owner_names(session: Session, rows: Sequence[Protocol]) -> dict[int, str]:
    ids = {row.owner_id for row in rows}
    if not ids:
        return {}
    found = session.execute(
        select(Practitioner.id, Practitioner.full_name).where(Practitioner.id.in_(ids))
    )
    return {pid: name for pid, name in found}


def protocols_for(db: Database, practitioner_id: int) -> list[ProtocolView]:
    """The practitioner's own protocols and the clinic's shared ones, by name."""
    with db.reading() as session:
        rows = list(
            session.scalars(
                select(Protocol)
                .where(or_(Protocol.owner_id == practitioner_id, Protocol.shared.is_(True)))
                .options(selectinload(Protocol.points))
                .order_by(Protocol.name, Protocol.id)
            )
        )
        names = _owner_names(session, rows)
        return [replace(_view(row), owner_name=names.get(row.owner_id, "")) for row in rows]


def name_problems(name: str) -> list[Problem]:
    """Validation of a protocol's name."""
    if not name.strip():
        return [Problem("name", "Enter a name for the protocol, e.g. “Lateral elbow”.")]
    return text_problems("protocol", {"name": name.strip()})


def _same_name(session: Session, owner_id: int, name: str, other_than: int | None) -> bool:
    query = select(Protocol.id).where(
        Protocol.name == name, or_(Protocol.owner_id == owner_id, Protocol.shared.is_(True))
    )
    return any(found != other_than for found in session.scalars(query))


def save_protocol(
    db: Database, actor_id: int, name: str, points: Sequence[PointDraft]
) -> tuple[int, Changes]:
    """Save *points* as the actor's new protocol *name*; returns its id and the notice.

    ValidationError: no name, a name the actor already sees, no points, a point with a
    problem (fix it in the session first), or too many points.
    """
    name = name.strip()
    problems = name_problems(name)
    kept = protocol_points(points)
    if not kept:
        problems.append(Problem("points", "Place the protocol's points in the session first."))
    if len(kept) > MAX_POINTS:
        problems.append(Problem("points", f"A protocol holds at most {MAX_POINTS} points."))
    for number, point in enumerate(kept, start=1):
        if point_problems(point):
            problems.append(
                Problem("points", f"Point {number} has a problem: fix it before saving.")
            )
            break
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        if _same_name(session, actor_id, name, None):
            raise ValidationError(
                [Problem("name", f"There is already a protocol named “{name}”: choose another.")]
            )
        row = Protocol(name=name, owner_id=actor_id, shared=False)
        row.points = [
            ProtocolPoint(number=i, **{n: getattr(p, n) for n in PROTOCOL_POINT_FIELDS})
            for i, p in enumerate(kept, start=1)
        ]
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor_id,
            "create",
            entity_type="protocol",
            entity_id=row.id,
            summary=f"{name}: {len(kept)} point(s)",
        )
        return row.id, PROTOCOLS_CHANGED


def _editable(session: Session, actor_id: int, protocol_id: int, what: str) -> Protocol:
    row = session.get(Protocol, protocol_id)
    if row is None:
        raise NotFoundError("This protocol no longer exists.")
    actor = session.get(Practitioner, actor_id)
    admin = actor is not None and actor.active and actor.role == Role.ADMIN
    if admin or (row.owner_id == actor_id and not row.shared):
        return row
    if row.shared:
        raise PermissionDeniedError(f"Only an administrator can {what} a shared protocol.")
    raise PermissionDeniedError(f"Only its owner can {what} this protocol.")


def rename_protocol(db: Database, actor_id: int, protocol_id: int, name: str) -> Changes:
    """Rename a protocol (its owner, or an administrator for a shared one)."""
    name = name.strip()
    problems = name_problems(name)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        row = _editable(session, actor_id, protocol_id, "rename")
        if _same_name(session, row.owner_id, name, protocol_id):
            raise ValidationError(
                [Problem("name", f"There is already a protocol named “{name}”: choose another.")]
            )
        old, row.name = row.name, name
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="protocol",
            entity_id=protocol_id,
            summary=f"renamed {old} -> {name}",
        )
    return PROTOCOLS_CHANGED


def delete_protocol(db: Database, actor_id: int, protocol_id: int) -> Changes:
    """Delete a protocol (its owner, or an administrator for a shared one). Sessions it
    was applied to keep their points: they were copied into them."""
    with db.transaction() as session:
        row = _editable(session, actor_id, protocol_id, "delete")
        name = row.name
        session.delete(row)
        audit.record(
            session,
            actor_id,
            "delete",
            entity_type="protocol",
            entity_id=protocol_id,
            summary=name,
        )
    return PROTOCOLS_CHANGED


def share_protocol(db: Database, actor_id: int, protocol_id: int, shared: bool) -> Changes:
    """Share a protocol with the clinic, or stop sharing it (administrators only)."""
    with db.transaction() as session:
        actor = session.get(Practitioner, actor_id)
        if actor is None or not actor.active or actor.role != Role.ADMIN:
            raise PermissionDeniedError("Only an administrator can share protocols.")
        row = session.get(Protocol, protocol_id)
        if row is None:
            raise NotFoundError("This protocol no longer exists.")
        row.shared = shared
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="protocol",
            entity_id=protocol_id,
            summary=f"{row.name}: {'shared with the clinic' if shared else 'no longer shared'}",
        )
    return PROTOCOLS_CHANGED
