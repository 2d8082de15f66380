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
from typing import Any

from dnt_desktop.models import TreatmentSession
from dnt_desktop.storage.record_hashes import (
    ACKNOWLEDGEMENT_FIELDS,
    AMENDMENT_FIELDS,
    acknowledgements_text,
    amendment_hash,
    canonical_hash,
    canonical_text,
    pick,
    seal,
    seal_of_text,
)

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


def _session_content(session: Any) -> dict[str, Any]:
    """The session's own canonical content; a mapping without a field added later (a row
    read as it was before the field existed) holds its default."""
    content = pick(session, SESSION_FIELDS)
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
        "conditions": [pick(c, CONDITION_FIELDS) for c in conditions],
        "adjuncts": [pick(a, ADJUNCT_FIELDS) for a in adjuncts],
        "points": sorted((pick(p, POINT_FIELDS) for p in points), key=lambda p: p["number"]),
        "side_effects": [pick(e, EFFECT_FIELDS) for e in effects],
    }
    return canonical_hash(document)


def content_hash(row: TreatmentSession) -> str:
    """The content hash of a stored session (children in their stored order)."""
    return content_hash_of_row(row, row.conditions, row.adjuncts, row.points, row.side_effects)


def session_seal(row: TreatmentSession) -> str:
    """The seal of a stored signed session (its stored content hash and acknowledgements)."""
    return seal(row.content_hash, row.acknowledgements)
