"""The hashes that seal outcome measures, their retractions and sent letters.

Each is recorded by its audit event (``record_hash``) in the transaction that writes it,
so that ``dnt-desktop check`` proves it is what was recorded (``progress.check``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dnt_desktop.storage.record_hashes import canonical_hash, pick

MEASURE_FIELDS = (
    "id",
    "patient_id",
    "practitioner_id",
    "session_id",
    "code",
    "name",
    "scoring",
    "direction",
    "scale_min",
    "scale_max",
    "mcid",
    "taken_on",
    "notes",
    "recorded_at",
)
ANSWER_FIELDS = ("position", "item_code", "label", "value")
RETRACTION_FIELDS = ("id", "measure_id", "author_id", "created_at", "reason")
LETTER_FIELDS = (
    "id",
    "patient_id",
    "author_id",
    "referrer_id",
    "template_key",
    "recipient",
    "subject",
    "body",
    "kind",
    "pdf_sha256",
    "sent_at",
)
MEASURE_ACTION = "measure_record"
RETRACTION_ACTION = "measure_retract"
LETTER_ACTION = "letter_send"


def measure_hash(measure: Any, answers: Sequence[Any]) -> str:
    """SHA-256 of a measure's canonical content and its answers (in position order)."""
    return canonical_hash(
        {
            "measure": pick(measure, MEASURE_FIELDS),
            "answers": sorted(
                (pick(a, ANSWER_FIELDS) for a in answers), key=lambda a: a["position"]
            ),
        }
    )


def retraction_hash(retraction: Any) -> str:
    """SHA-256 of a retraction's canonical content."""
    return canonical_hash(pick(retraction, RETRACTION_FIELDS))


def letter_hash(letter: Any) -> str:
    """SHA-256 of a sent letter's canonical content (its PDF by the PDF's SHA-256)."""
    return canonical_hash(pick(letter, LETTER_FIELDS))
