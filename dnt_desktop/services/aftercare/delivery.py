"""Recording that a sheet was printed or saved for the patient (audited), and saying so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dnt_desktop.models import AftercareDelivery, Practitioner, TreatmentSession, utcnow
from dnt_desktop.models.enums import DeliveryKind
from dnt_desktop.storage.engine import Database

from .. import audit, field_limits
from ..changes import NO_CHANGES, Changes
from ..dates import local, long_date
from ..errors import NotFoundError

MAX_DETAIL_LENGTH = 2000


@dataclass(frozen=True)
class Delivery:
    """A printed or saved sheet, as recorded against its session."""

    delivery_id: int
    session_id: int
    patient_id: int
    kind: DeliveryKind
    delivered_at: datetime
    practitioner: str = ""
    detail: str = ""
    changes: Changes = NO_CHANGES
    """What recording it changed (the session's history); empty in a listing."""


_ACTIONS = {DeliveryKind.PRINTED: "aftercare_print", DeliveryKind.SAVED: "aftercare_save"}


def record_delivery(
    db: Database, actor_id: int | None, session_id: int, kind: DeliveryKind, detail: str = ""
) -> Delivery:
    """Record that the sheet of *session_id* was printed or saved, with an audit event.

    The session row itself is not touched (signed sessions stay as signed, and an editor
    open elsewhere keeps its version).
    """
    detail = _storable(detail)[:MAX_DETAIL_LENGTH]
    with db.transaction() as session:
        row = session.get(TreatmentSession, session_id)
        if row is None:
            raise NotFoundError(f"Session {session_id} does not exist.")
        delivery = AftercareDelivery(
            session_id=session_id,
            practitioner_id=actor_id,
            delivered_at=utcnow(),
            kind=kind,
            detail=detail,
        )
        session.add(delivery)
        session.flush()
        verb = "printed" if kind == DeliveryKind.PRINTED else "saved"
        summary = f"Aftercare sheet {verb}" + (f": {detail}" if detail else "")
        audit.record(
            session,
            actor_id,
            _ACTIONS[kind],
            entity_type="session",
            entity_id=session_id,
            patient_id=row.patient_id,
            summary=summary,
        )
        return Delivery(
            delivery.id,
            session_id,
            row.patient_id,
            kind,
            delivery.delivered_at,
            "",
            detail,
            Changes.session(session_id, row.patient_id),
        )


def _storable(text: str) -> str:
    """*text* with characters no database stores (e.g. an undecodable file name's) as '?'."""
    return field_limits.UNSTORABLE.sub("?", text)


def deliveries(db: Database, session_id: int) -> list[Delivery]:
    """The session's printed and saved sheets, oldest first."""
    with db.reading() as session:
        rows = session.execute(
            select(AftercareDelivery, Practitioner.full_name, TreatmentSession.patient_id)
            .join(TreatmentSession, TreatmentSession.id == AftercareDelivery.session_id)
            .outerjoin(Practitioner, Practitioner.id == AftercareDelivery.practitioner_id)
            .where(AftercareDelivery.session_id == session_id)
            .order_by(AftercareDelivery.delivered_at, AftercareDelivery.id)
        ).all()
    return [
        Delivery(d.id, d.session_id, patient_id, d.kind, d.delivered_at, name or "", d.detail)
        for d, name, patient_id in rows
    ]


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def delivery_summary(rows: list[Delivery]) -> str:
    """One line saying what happened to the sheet: the last delivery, and how often it was
    printed and saved ("Saved 4 December 2026 at 17:30 by Sam (printed once, saved twice).").

    A sheet saved as a PDF is never called printed.
    """
    if not rows:
        return "Not yet printed or saved for the patient."
    last = rows[-1]
    when = local(last.delivered_at)
    verb = "Printed" if last.kind == DeliveryKind.PRINTED else "Saved"
    by = f" by {last.practitioner}" if last.practitioner else ""
    printed = sum(1 for row in rows if row.kind == DeliveryKind.PRINTED)
    saved = len(rows) - printed
    counts = [
        f"{label} {_times(count)}"
        for label, count in (("printed", printed), ("saved", saved))
        if count
    ]
    more = f" ({', '.join(counts)})" if len(rows) > 1 else ""
    return f"{verb} {long_date(when.date())} at {when:%H:%M}{by}{more}."
