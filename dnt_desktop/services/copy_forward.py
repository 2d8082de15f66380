"""Copy forward: start a follow-up session from an earlier one of the same patient.

What is copied is what the session declaration marks ``carried`` (``drafts``): the
conditions, the adjuncts and the points (muscle, side, place on the chart, depth class,
depth, needle, technique). What the patient reported and what happened in that visit
(pain scores, side effects, notes and note sections, twitches, insertions, the aftercare
choices and next appointment) are never copied; the copy holds their defaults. The
copy is a new draft in memory: nothing is written until the practitioner saves it, and
the earlier session is only read.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar

from dnt_desktop.storage.engine import Database

from .drafts import SessionDraft, carried_fields, spec_of
from .errors import NotFoundError
from .sessions import draft_from, load_session

RecordT = TypeVar("RecordT")

CARRIED_LISTS = tuple(
    f.name for f in fields(SessionDraft) if spec_of(f).carried and not spec_of(f).charted
)
"""The session's lists copy forward copies ("conditions", "adjuncts", "points")."""


def carried_copy(record: RecordT) -> RecordT:
    """A new record of the same class holding only *record*'s carried fields."""
    kind = type(record)
    return kind(**{name: getattr(record, name) for name in carried_fields(kind)})


def copied_session(
    source: SessionDraft, practitioner_id: int, started_at: datetime
) -> SessionDraft:
    """A new, unsaved draft of *source*'s patient, starting from *source*."""
    values: dict[str, Any] = {}
    for name in carried_fields(SessionDraft):
        value = getattr(source, name)
        values[name] = [carried_copy(item) for item in value] if name in CARRIED_LISTS else value
    return SessionDraft(
        patient_id=source.patient_id,
        practitioner_id=practitioner_id,
        started_at=started_at,
        **values,
    )


def copy_forward(
    db: Database, patient_id: int, source_session_id: int, practitioner_id: int, when: datetime
) -> SessionDraft:
    """A new draft for *patient_id* copied from their session *source_session_id*.

    NotFoundError when that session is not one of this patient's.
    """
    row = load_session(db, source_session_id)
    if row.patient_id != patient_id:
        raise NotFoundError(f"Session {source_session_id} is not one of this patient's.")
    return copied_session(draft_from(row), practitioner_id, when)
