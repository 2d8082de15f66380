"""How long each stored text may be: one table, by record and field, for services and widgets.

The services refuse a longer text with a message naming the field (``rules.text_problems``);
the GUI reads the same numbers for a line edit's ``maxLength`` and the counter under a
multi-line box, so nobody types past a limit without seeing it. Each limit fits what the
field is for and stays within its database column (``String(n)``), and the fields printed
on the aftercare sheet are short enough that any sheet renders in well under a second.

Lengths are counted as Qt counts them (UTF-16 code units: an emoji counts two), so a
widget's ``maxLength`` and the service agree, and a text within its limit also fits a
PostgreSQL ``VARCHAR(n)``, which counts code points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""Characters no database here stores: NUL (PostgreSQL refuses it) and lone surrogates
(halves of a UTF-16 pair, which cannot be encoded as UTF-8)."""


@dataclass(frozen=True)
class TextLimit:
    """The most characters a field holds, the name messages give it, and its shape."""

    max_length: int
    label: str
    multiline: bool = False
    printed: bool = False
    """Printed on the aftercare sheet (its limit also bounds the sheet's rendering)."""
    max_lines: int | None = None
    """For a printed multi-line field: the most lines (each prints as a paragraph)."""


def _line(max_length: int, label: str, *, printed: bool = False) -> TextLimit:
    return TextLimit(max_length, label, multiline=False, printed=printed)


def _box(
    max_length: int, label: str, *, printed: bool = False, max_lines: int | None = None
) -> TextLimit:
    return TextLimit(max_length, label, multiline=True, printed=printed, max_lines=max_lines)


FIELD_LIMITS: Mapping[str, Mapping[str, TextLimit]] = {
    "patient": {
        "family_name": _line(100, "The family name", printed=True),
        "given_name": _line(100, "The given name", printed=True),
        "chart_number": _line(40, "The chart number"),
        "phone": _line(50, "The phone number"),
        "email": _line(200, "The e-mail address"),
        "address": _box(500, "The address"),
        "emergency_contact": _box(500, "The emergency contact"),
        "medical_history": _box(10_000, "The medical history"),
        "medications": _box(4_000, "The medications"),
        "allergies": _box(2_000, "The allergies"),
        "notes": _box(10_000, "The notes"),
    },
    "screening": {
        "notes": _line(2_000, "The screening notes"),
        "detail": _line(500, "The detail"),
    },
    "consent": {
        "text_version": _line(40, "The consent form's version"),
        "notes": _line(500, "The consent notes"),
        "withdrawal_note": _line(500, "The withdrawal note"),
    },
    "session": {
        "notes": _box(10_000, "The clinical notes"),
        "subjective": _box(10_000, "Subjective"),
        "objective": _box(10_000, "Objective"),
        "assessment": _box(10_000, "Assessment"),
        "plan": _box(10_000, "Plan"),
        "stretches": _box(1_000, "The stretches and exercises", printed=True, max_lines=30),
    },
    "condition": {
        "other_text": _line(200, "The name of the condition", printed=True),
    },
    "adjunct": {
        "detail": _line(200, "The adjunct treatment", printed=True),
    },
    "point": {
        "notes": _line(500, "The point's notes"),
    },
    "side_effect": {
        "other_text": _line(200, "The description", printed=True),
        "action_taken": _line(1_000, "The action taken"),
        "notes": _line(1_000, "The notes"),
    },
    "amendment": {
        "text": _box(10_000, "The amendment"),
    },
    "attachment": {
        "description": _line(500, "The description of the file"),
    },
    "consent_text": {
        "version": _line(40, "The consent text's version"),
        "body": _box(20_000, "The consent text"),
    },
    "export": {
        "reason": _line(500, "The reason for the export"),
    },
    "disposal": {
        "reason": _line(500, "The reason for the disposal"),
    },
    "clinic": {
        "name": _line(200, "The clinic's name", printed=True),
        "address": _box(500, "The clinic's address", printed=True, max_lines=10),
        "phone": _line(50, "The clinic's phone number", printed=True),
        "email": _line(200, "The clinic's e-mail address", printed=True),
        "website": _line(200, "The clinic's website", printed=True),
        "emergency_instruction": _box(500, "The emergency instruction", printed=True, max_lines=10),
    },
    "practitioner": {
        "full_name": _line(200, "The full name", printed=True),
        "username": _line(60, "The user name"),
        "registration_number": _line(60, "The registration number", printed=True),
    },
    "setting": {
        "backup_folder": _line(1_000, "The backup folder"),
    },
    "protocol": {
        "name": _line(80, "The protocol's name"),
    },
    "note_phrase": {
        "text": _line(300, "The phrase"),
    },
    "aftercare_text": {
        "title": _box(200, "The title", printed=True, max_lines=3),
        "block": _box(1_500, "The text", printed=True, max_lines=40),
        # a heading, label or list of month or day names: one line
        "words": _line(300, "The words", printed=True),
        # a language's names of the catalogue's muscles, conditions...: one per line, only
        # looked up (a sheet prints the names of its own points, never the list)
        "names": _box(30_000, "The names", max_lines=600),
    },
}
"""Every stored text field's limit: ``FIELD_LIMITS[record][field]``.

``aftercare_text`` holds the clinic's edits of the sheet's text blocks: the title, the
paragraph blocks (``block``), the one-line words and the lists of names of a language;
``aftercare_text_limit(key, kind)`` picks one. A block's limit
holds for the text as printed, its placeholders filled with the longest values allowed.
"""


def limit(record: str, field: str) -> TextLimit:
    """The limit of *field* of *record*; ``KeyError`` naming both when there is none."""
    try:
        return FIELD_LIMITS[record][field]
    except KeyError:
        raise KeyError(f"No text limit for {record}.{field}") from None


def max_length(record: str, field: str) -> int:
    """The most characters *field* of *record* holds."""
    return limit(record, field).max_length


def aftercare_text_limit(key: str, kind: str = "text") -> TextLimit:
    """The limit of the aftercare text block *key* of *kind* ("text", "words", "names";
    the title is one short line)."""
    if kind in ("words", "names"):
        return limit("aftercare_text", kind)
    return limit("aftercare_text", "title" if key == "title" else "block")


def text_length(text: str) -> int:
    """The length of *text* as Qt counts it (UTF-16 code units; a lone surrogate counts 1)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def line_count(text: str) -> int:
    """How many lines *text* has (an empty text has one)."""
    return text.count("\n") + 1


def unstorable_character(text: str) -> tuple[int, str] | None:
    """The first character no database can store, as (0-based position, description).

    A lone surrogate (half of a UTF-16 pair, e.g. U+D800) cannot be encoded as UTF-8, and
    PostgreSQL refuses the NUL character; anything else is stored as typed.
    """
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return found.start(), "a NUL character (U+0000)"
    return found.start(), f"an unpaired surrogate U+{code:04X}"


def clip(text: str, record: str, field: str) -> str:
    """*text* cut to the field's limit, ending in '…' when something was cut.

    For printing values stored before the limits existed; new values are refused instead.
    """
    return _clip(text, limit(record, field))


def clip_block(key: str, body: str, kind: str = "text") -> str:
    """The aftercare text block *key* of *kind* cut to its limit, as ``clip``."""
    return _clip(body, aftercare_text_limit(key, kind))


def _clip(text: str, limit: TextLimit) -> str:
    if limit.max_lines is not None and line_count(text) > limit.max_lines:
        text = "\n".join(text.split("\n")[: limit.max_lines]) + "…"
    most = limit.max_length
    if text_length(text) <= most:
        return text
    kept = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > most - 1:
            break
        kept.append(char)
        used += width
    return "".join(kept) + "…"
