"""How a session and its records map to their tables and to the signature.

The fields themselves are declared once, in the dataclasses of ``drafts``; each
``RecordShape`` adds what the tables hold besides them: the columns the services set
(a point's number, the signer) that the signature covers too, and the columns the
signature leaves out on purpose, each with its reason. tests/services/test_session_shape.py
fails when a table gains a column that is neither charted, signed nor listed here.

Adding a charted field: declare it in ``drafts`` (with its default), add the column of the
same name to the model and a migration; the save, ``draft_from``, the signature, the
aftercare sheet's points, the demo data and the editor's tables follow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from .drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
    charted_fields,
    spec_of,
)

_CHILD_ROW_UNSIGNED = MappingProxyType(
    {
        "id": "the row's own key: a draft save writes the rows again, so it charts nothing "
        "(the order of the rows is signed as the order of the list)",
        "session_id": "the session the row belongs to, whose own id is signed",
    }
)


@dataclass(frozen=True, eq=False)
class RecordShape:
    """One kind of session record: its draft class, its table and its signed content."""

    draft: type
    """The dataclass that declares the charted fields."""
    table: str
    """The table its rows are stored in."""
    set_by_services: tuple[str, ...] = ()
    """Signed columns the services fill in, not the practitioner (ids, numbers, signer)."""
    signed_after: tuple[str, ...] = ()
    """Signed columns that come after the charted ones in ``signed``."""
    unsigned: Mapping[str, str] = field(default_factory=lambda: _CHILD_ROW_UNSIGNED)
    """Columns deliberately outside the signature, each with the reason why."""

    @cached_property
    def charted(self) -> tuple[str, ...]:
        """The charted fields, in declaration order (columns of the same name)."""
        return charted_fields(self.draft)

    @cached_property
    def signed(self) -> tuple[str, ...]:
        """Every column the signature covers, in a fixed order."""
        return (*self.set_by_services, *self.charted, *self.signed_after)

    @cached_property
    def signed_when_set(self) -> Mapping[str, Any]:
        """The signed fields left out of the signature's content while every one of them
        holds its default (name: default): fields added after sessions were signed."""
        return MappingProxyType(
            {f.name: f.default for f in fields(self.draft) if spec_of(f).signed_when_set}
        )


SESSION = RecordShape(
    SessionDraft,
    "treatment_session",
    set_by_services=("id",),
    signed_after=("signed_at", "signed_by_id"),
    unsigned=MappingProxyType(
        {
            "status": "draft or signed: the state of the signature itself (signed_at and "
            "signed_by_id, which say who signed and when, are signed)",
            "content_hash": "the signature itself",
            "created_at": "bookkeeping: when the draft was first saved",
            "updated_at": "bookkeeping: when the row was last written, signing included",
            "version": "the edit counter that refuses lost updates; signing advances it",
        }
    ),
)
CONDITION = RecordShape(ConditionDraft, "session_condition")
ADJUNCT = RecordShape(AdjunctDraft, "session_adjunct")
POINT = RecordShape(PointDraft, "needling_point", set_by_services=("number",))
SIDE_EFFECT = RecordShape(SideEffectDraft, "side_effect")

CHILDREN: Mapping[str, RecordShape] = MappingProxyType(
    {"conditions": CONDITION, "adjuncts": ADJUNCT, "points": POINT, "side_effects": SIDE_EFFECT}
)
"""The session's lists: the draft's field, the model's relationship, the signed document's
key ("side_effects") and the record each holds."""
SHAPES = (SESSION, *CHILDREN.values())
"""Every record of a session."""


@dataclass(frozen=True)
class _Plan:
    """How to read a record's column values fast (a save reads every field of every row)."""

    names: tuple[str, ...]
    read: Callable[[Any], tuple[Any, ...]]
    trimmed: tuple[str, ...]


_PLANS: dict[type, _Plan] = {}


def _plan(record: type) -> _Plan:
    """The plan of *record*'s charted fields (worked out once per class)."""
    plan = _PLANS.get(record)
    if plan is None:
        charted = [f for f in fields(record) if spec_of(f).charted]
        names = tuple(f.name for f in charted)
        read = attrgetter(*names) if len(names) > 1 else lambda d: (getattr(d, names[0]),)
        trimmed = tuple(f.name for f in charted if spec_of(f).trimmed)
        plan = _PLANS[record] = _Plan(names, read, trimmed)
    return plan


def column_values(draft: Any, **stamped: Any) -> dict[str, Any]:
    """The charted fields of *draft* (any session record) as the columns store them, and
    the columns the services set (*stamped*: ``session_id=7, number=1``)."""
    plan = _plan(type(draft))
    values = dict(zip(plan.names, plan.read(draft), strict=True))
    for name in plan.trimmed:
        values[name] = values[name].strip()
    if stamped:
        values.update(stamped)
    return values


def draft_of(shape: RecordShape, row: Any) -> Any:
    """The draft of *shape* holding the charted fields of *row* (an ORM object)."""
    return shape.draft(**{name: getattr(row, name) for name in shape.charted})
