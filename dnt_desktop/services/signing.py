"""The hashes of signed records: any later change to the record shows up.

The content hash covers every charted field of the session and of its conditions,
adjuncts, points and side effects, in a canonical JSON form, so ``dnt-desktop check`` can
prove a signed record is exactly what was signed. Which fields those are comes from the one
declaration of a session (``drafts`` and ``session_shape``): a field added there is signed.
The *seal* adds the alert acknowledgements to the content hash; it is what the signature's
audit event records (with an amendment's own hash for each amendment), so that the audit
trail vouches for every signed record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from dnt_desktop.models import TreatmentSession

from .canonical import canonical_hash, canonical_text, seal_of_text
from .session_shape import ADJUNCT, CONDITION, POINT, SESSION, SIDE_EFFECT

__all__ = [  # the field tuples stay here: what a signature covers, from the declaration
    "ACKNOWLEDGEMENT_FIELDS",
    "ADJUNCT_FIELDS",
    "AMENDMENT_FIELDS",
    "CONDITION_FIELDS",
    "EFFECT_FIELDS",
    "POINT_FIELDS",
    "SESSION_FIELDS",
    "SESSION_SIGNED_WHEN_SET",
    "acknowledgements_text",
    "amendment_hash",
    "canonical_hash",
    "canonical_text",
    "content_hash",
    "content_hash_of_row",
    "seal",
    "seal_of_text",
    "session_seal",
]

SESSION_FIELDS = SESSION.signed
CONDITION_FIELDS = CONDITION.signed
ADJUNCT_FIELDS = ADJUNCT.signed
POINT_FIELDS = POINT.signed
EFFECT_FIELDS = SIDE_EFFECT.signed
"""The columns each record's canonical content holds (declared in ``session_shape``)."""
SESSION_SIGNED_WHEN_SET = SESSION.signed_when_set
"""The session's fields left out of its content while all of them hold their defaults (the
note sections, added after sessions were signed: older signatures verify unchanged)."""
ACKNOWLEDGEMENT_FIELDS = ("code", "message", "acknowledged_by_id", "acknowledged_at")
"""An alert acknowledgement's columns in a signed session's seal."""
AMENDMENT_FIELDS = ("id", "session_id", "author_id", "created_at", "text")
"""An amendment's columns in its hash."""


_AS_IS = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # the common case first: this runs for every field of every row
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _pick(row: Any, names: Sequence[str]) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return {name: _plain(row.get(name)) for name in names}
    return {name: _plain(getattr(row, name)) for name in names}


def _session_content(session: Any) -> dict[str, Any]:
    """The session's own canonical content; a mapping without a field added later (a row
    read as it was before the field existed) holds its default."""
    content = _pick(session, SESSION_FIELDS)
    absent = () if not isinstance(session, Mapping) else set(SESSION_SIGNED_WHEN_SET) - set(session)
    if all(
        name in absent or content[name] == default
        for name, default in SESSION_SIGNED_WHEN_SET.items()
    ):
        for name in SESSION_SIGNED_WHEN_SET:
            del content[name]
    return content


def content_hash_of_row(
    session: Any,
    conditions: Sequence[Any],
    adjuncts: Sequence[Any],
    points: Sequence[Any],
    effects: Sequence[Any],
) -> str:
    """SHA-256 of a session's canonical content (rows may be ORM objects or dicts)."""
    document = {
        "session": _session_content(session),
        "conditions": [_pick(c, CONDITION_FIELDS) for c in conditions],
        "adjuncts": [_pick(a, ADJUNCT_FIELDS) for a in adjuncts],
        "points": sorted((_pick(p, POINT_FIELDS) for p in points), key=lambda p: p["number"]),
        "side_effects": [_pick(e, EFFECT_FIELDS) for e in effects],
    }
    return canonical_hash(document)


def acknowledgements_text(acknowledgements: Sequence[Any]) -> str:
    """The canonical JSON list of a session's alert acknowledgements (in id order)."""
    return canonical_text([_pick(a, ACKNOWLEDGEMENT_FIELDS) for a in acknowledgements])


def seal(content_hash: str | None, acknowledgements: Sequence[Any]) -> str:
    """What a signature's audit event records: the content hash with the acknowledgements.

    SHA-256 of ``{"acknowledgements": [...], "content_hash": "..."}`` in canonical JSON;
    the acknowledgements (rows or dicts) are given in id order.
    """
    return seal_of_text(content_hash, acknowledgements_text(acknowledgements))


def amendment_hash(amendment: Any) -> str:
    """What an amendment's audit event records: SHA-256 of its canonical JSON."""
    return canonical_hash(_pick(amendment, AMENDMENT_FIELDS))


def content_hash(row: TreatmentSession) -> str:
    """The content hash of a stored session (children in their stored order)."""
    return content_hash_of_row(row, row.conditions, row.adjuncts, row.points, row.side_effects)


def session_seal(row: TreatmentSession) -> str:
    """The seal of a stored signed session (its stored content hash and acknowledgements)."""
    return seal(row.content_hash, row.acknowledgements)
