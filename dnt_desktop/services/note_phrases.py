"""The clinic's short phrases, inserted into the session's note sections from the keyboard.

Every practitioner reads them; administrators edit the list (one phrase a line).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from dnt_desktop.models import NotePhrase
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import NOTE_PHRASES_CHANGED, Changes
from .errors import ValidationError
from .field_limits import max_length
from .practitioners import require_admin
from .rules import Problem, text_problems

MAX_PHRASES = 200


def note_phrases(db: Database) -> list[str]:
    """The clinic's phrases, in the administrators' order."""
    with db.reading() as session:
        return list(
            session.scalars(select(NotePhrase.text).order_by(NotePhrase.position, NotePhrase.id))
        )


def phrase_problems(phrases: list[str]) -> list[Problem]:
    """Validation of a new phrase list (blank lines are dropped before this)."""
    problems: list[Problem] = []
    if len(phrases) > MAX_PHRASES:
        problems.append(Problem("text", f"Keep the list to {MAX_PHRASES} phrases at most."))
    limit = max_length("note_phrase", "text")
    for number, phrase in enumerate(phrases, start=1):
        if len(phrase) > limit:
            problems.append(
                Problem("text", f"Phrase {number} is longer than {limit} characters: shorten it.")
            )
        else:
            problems += text_problems("note_phrase", {"text": phrase})
    return problems


def cleaned(text_or_lines: str | list[str]) -> list[str]:
    """The phrases of a text (one a line) or a list: trimmed, blank and repeated ones out."""
    lines = text_or_lines.splitlines() if isinstance(text_or_lines, str) else text_or_lines
    seen: set[str] = set()
    phrases = []
    for line in lines:
        phrase = " ".join(line.split())
        if phrase and phrase not in seen:
            seen.add(phrase)
            phrases.append(phrase)
    return phrases


def save_note_phrases(db: Database, actor_id: int, phrases: list[str]) -> Changes:
    """Replace the clinic's phrases (administrators only; audited)."""
    phrases = cleaned(phrases)
    problems = phrase_problems(phrases)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin(session, actor_id, "edit the clinic's note phrases")
        session.execute(delete(NotePhrase))
        session.add_all(NotePhrase(text=p, position=i) for i, p in enumerate(phrases))
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="note_phrases",
            summary=f"{len(phrases)} phrase(s)",
        )
    return NOTE_PHRASES_CHANGED
