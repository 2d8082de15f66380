"""The content hash of a signed session: any later change to the record shows up.

The hash covers every charted field of the session and of its conditions, adjuncts,
points and side effects, in a canonical JSON form, so ``dnt-desktop check`` can prove a
signed record is exactly what was signed. Which fields those are comes from the one
declaration of a session (``drafts`` and ``session_shape``): a field added there is signed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from dnt_desktop.models import TreatmentSession

from .session_shape import ADJUNCT, CONDITION, POINT, SESSION, SIDE_EFFECT

SESSION_FIELDS = SESSION.signed
CONDITION_FIELDS = CONDITION.signed
ADJUNCT_FIELDS = ADJUNCT.signed
POINT_FIELDS = POINT.signed
EFFECT_FIELDS = SIDE_EFFECT.signed
"""The columns each record's canonical content holds (declared in ``session_shape``)."""


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


def content_hash_of_row(
    session: Any,
    conditions: Sequence[Any],
    adjuncts: Sequence[Any],
    points: Sequence[Any],
    effects: Sequence[Any],
) -> str:
    """SHA-256 of a session's canonical content (rows may be ORM objects or dicts)."""
    document = {
        "session": _pick(session, SESSION_FIELDS),
        "conditions": [_pick(c, CONDITION_FIELDS) for c in conditions],
        "adjuncts": [_pick(a, ADJUNCT_FIELDS) for a in adjuncts],
        "points": sorted((_pick(p, POINT_FIELDS) for p in points), key=lambda p: p["number"]),
        "side_effects": [_pick(e, EFFECT_FIELDS) for e in effects],
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(row: TreatmentSession) -> str:
    """The content hash of a stored session (children in their stored order)."""
    return content_hash_of_row(row, row.conditions, row.adjuncts, row.points, row.side_effects)
