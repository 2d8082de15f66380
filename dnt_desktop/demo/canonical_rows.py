"""The canonical JSON of the demo's sessions, written straight from their values.

``services.signing`` builds a dict per record and lets ``json.dumps`` sort and write it;
for a million sessions that is most of the demo's time. Here each record's text comes
from a format with its keys already sorted, filled with values already in their JSON
form (strings quoted by ``json.dumps``, numbers as JSON writes them after
``signing``'s rounding to six decimals). The keys are the signed fields declared in
``services.session_shape``: a field added there and not here fails loudly (a missing
key), and ``tests/demo/test_rows.py`` proves the hashes equal ``content_hash_of_row``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

from dnt_desktop.services.signing import (
    ADJUNCT_FIELDS,
    CONDITION_FIELDS,
    EFFECT_FIELDS,
    POINT_FIELDS,
    SESSION_FIELDS,
    SESSION_SIGNED_WHEN_SET,
)
from dnt_desktop.storage.record_hashes import seal_of_text


def _format(fields: Iterable[str]) -> str:
    """``{"a":%(a)s,"b":%(b)s}``: a record's JSON object, its keys sorted as JSON sorts."""
    return "{" + ",".join(f"{json.dumps(k)}:%({k})s" for k in sorted(fields)) + "}"


_CONDITION = _format(CONDITION_FIELDS)
_ADJUNCT = _format(ADJUNCT_FIELDS)
_POINT = _format(POINT_FIELDS)
_EFFECT = _format(EFFECT_FIELDS)
_SESSION = _format(f for f in SESSION_FIELDS if f not in SESSION_SIGNED_WHEN_SET)
"""The demo's sessions leave every note section empty: those fields are not in their
content (``signing._session_content``)."""
_DOCUMENT = _format(("adjuncts", "conditions", "points", "session", "side_effects"))
_TRUE_FALSE = ("false", "true")


@cache
def text(value: str) -> str:
    """A string as canonical JSON writes it (quoted, UTF-8 unescaped)."""
    return json.dumps(value, ensure_ascii=False)


@cache
def number(value: float) -> str:
    """A float as the canonical JSON writes it (rounded to six decimals, as signing does)."""
    return json.dumps(round(value, 6))


def condition(code: str, other_text: str) -> str:
    """A condition's object."""
    return _CONDITION % {"code": text(code), "other_text": text(other_text)}


def adjunct(code: str, detail: str) -> str:
    """An adjunct's object."""
    return _ADJUNCT % {"code": text(code), "detail": text(detail)}


def point(
    depth_class: str,
    depth_mm: float,
    insertions: int,
    muscle_json: str,
    needle_gauge_mm: float,
    needle_length_mm: float,
    number_in_session: int,
    side_json: str,
    technique: str,
    twitch_response: bool,
    view_json: str,
    x_json: str,
    y_json: str,
    notes: str = "",
) -> str:
    """A needling point's object (muscle, side, view, x and y given as JSON already)."""
    return _POINT % {
        "depth_class": text(depth_class),
        "depth_mm": number(depth_mm),
        "insertions": int(insertions),
        "muscle_code": muscle_json,
        "needle_gauge_mm": number(needle_gauge_mm),
        "needle_length_mm": number(needle_length_mm),
        "notes": text(notes),
        "number": int(number_in_session),
        "side": side_json,
        "technique": text(technique),
        "twitch_response": _TRUE_FALSE[bool(twitch_response)],
        "view": view_json,
        "x": x_json,
        "y": y_json,
    }


def side_effect(
    code: str,
    severity: str,
    onset: str,
    action_taken: str,
    *,
    resolved: bool = True,
    notes: str = "",
    other_text: str = "",
) -> str:
    """A side effect's object."""
    return _EFFECT % {
        "action_taken": text(action_taken),
        "code": text(code),
        "notes": text(notes),
        "onset": text(onset),
        "other_text": text(other_text),
        "resolved": _TRUE_FALSE[bool(resolved)],
        "severity": text(severity),
    }


def session(
    *,
    session_id: int,
    notes: str,
    pain_after: int,
    pain_before: int,
    patient_id: int,
    practitioner_id: int,
    signed_at: str,
    signed_by_id: int,
    started_at: str,
    stretches: str,
    thermal_advice: str,
) -> str:
    """A signed session's own object, its note sections empty and no next appointment.

    *notes*, *stretches* and *thermal_advice* come as JSON already; *signed_at* and
    *started_at* as signing writes times (``2026-01-02T09:15:00.000000``).
    """
    return _SESSION % {
        "id": int(session_id),
        "next_appointment": "null",
        "notes": notes,
        "pain_after": int(pain_after),
        "pain_before": int(pain_before),
        "patient_id": int(patient_id),
        "practitioner_id": int(practitioner_id),
        "signed_at": f'"{signed_at}"',
        "signed_by_id": int(signed_by_id),
        "started_at": f'"{started_at}"',
        "stretches": stretches,
        "thermal_advice": thermal_advice,
    }


def session_document(
    *, adjuncts: str, conditions: str, points: str, session: str, side_effects: str
) -> str:
    """The whole signed content: each list given as its objects joined by commas."""
    return _DOCUMENT % {
        "adjuncts": f"[{adjuncts}]",
        "conditions": f"[{conditions}]",
        "points": f"[{points}]",
        "session": session,
        "side_effects": f"[{side_effects}]",
    }


def seal(content_hash: str) -> str:
    """The seal of a signed session without alert acknowledgements (``signing.seal``)."""
    return seal_of_text(content_hash, "[]")
