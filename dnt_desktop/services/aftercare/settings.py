"""The clinic's edits of the texts, and the document settings kept on the clinic row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dnt_desktop.models import AftercareTemplate, Clinic
from dnt_desktop.models.enums import PageSize
from dnt_desktop.storage.engine import Database

from .. import audit, field_limits
from ..clinic_details import CLINIC_ID
from ..errors import NotFoundError, ValidationError
from ..practitioners import require_admin
from ..rules import Problem, text_message
from .languages import ENGLISH_CODE, TextSet, clear_review, set_in
from .sheet import clinic_details, placeholder_values, resolved_texts, stored_texts
from .texts import default_text, fill, names_problems, normalise_body, spec, template_specs

MAX_AVOID_ALCOHOL_HOURS = 168


@dataclass(frozen=True)
class SheetSettings:
    """The clinic's document settings edited beside the texts."""

    page_size: PageSize
    avoid_alcohol_hours: int
    emergency_instruction: str


def template_bodies(db: Database, language: str = ENGLISH_CODE) -> dict[str, str]:
    """The current text of every block of the set *language* (the clinic's or the default)."""
    with db.reading() as session:
        text_set = set_in(session, language)
        stored = stored_texts(session, language)
    return resolved_texts(stored, text_set)


def edited_keys(db: Database, language: str = ENGLISH_CODE) -> set[str]:
    """Keys of the blocks of the set *language* the clinic changed from the default."""
    with db.reading() as session:
        return set(stored_texts(session, language))


def sheet_settings(db: Database) -> SheetSettings:
    """Page size, hours to avoid alcohol and emergency instruction (defaults before setup)."""
    with db.reading() as session:
        details = clinic_details(session.get(Clinic, CLINIC_ID))
    return SheetSettings(
        details.page_size, details.avoid_alcohol_hours, details.emergency_instruction
    )


def template_problems(bodies: Mapping[str, str]) -> list[Problem]:
    """Blocks that cannot be saved: unknown keys, empty required blocks, lists of months
    or days of the wrong length, names that are not in the catalogue."""
    known = {s.key: s for s in template_specs()}
    problems = []
    for key, body in bodies.items():
        item = known.get(key)
        if item is None:
            problems.append(Problem(key, f"There is no aftercare text block '{key}'."))
            continue
        message = _block_message(key, item.title, body)
        if message is not None:
            problems.append(Problem(key, message))
        elif item.required and not body.strip():
            problems.append(
                Problem(key, f"'{item.title}' cannot be empty: write it or reset it to default.")
            )
        else:
            problems += [Problem(key, message) for message in block_problems(key, body)]
    return problems


@cache
def longest_placeholder_values() -> dict[str, str]:
    """Each placeholder's value on the largest sheet the limits allow."""
    from .sample import longest_sheet  # the sample module builds sheets from these settings

    return placeholder_values(longest_sheet())


def _block_message(key: str, title: str, body: object) -> str | None:
    """Why a block's text cannot be stored, or None.

    The block's limit holds for the text as printed: with its placeholders filled with
    the longest values the other limits allow (a 500-character address for
    ``{clinic_address}``), so that no sheet grows beyond what the limits allow.
    """
    if not isinstance(body, str):
        return f"'{title}' must be text."
    bad = field_limits.unstorable_character(body)
    if bad is not None:
        return (
            f"There is a character in '{title}' that cannot be stored ({bad[1]} at position "
            f"{bad[0] + 1}): delete it and type the text again."
        )
    limit = field_limits.aftercare_text_limit(key, spec(key).kind)
    text = normalise_body(body)
    printed = fill(text, longest_placeholder_values())
    filled = " as printed with the longest values in its placeholders" if printed != text else ""
    length = field_limits.text_length(printed)
    if length > limit.max_length:
        return (
            f"'{title}' can have at most {limit.max_length:,} characters{filled} "
            f"({length:,} here): shorten it{' or use fewer placeholders' if filled else ''}."
        )
    lines = field_limits.line_count(printed)
    if limit.max_lines is not None and lines > limit.max_lines:
        return (
            f"'{title}' can have at most {limit.max_lines} lines{filled} ({lines} here): "
            "shorten it."
        )
    return None


_LIST_LENGTHS = {"months": 12, "weekdays": 7}


def block_problems(key: str, body: str) -> list[str]:
    """What is wrong with the text of one block, beyond being empty."""
    item = spec(key)
    if key in _LIST_LENGTHS:
        count = len([p for p in body.split(",") if p.strip()])
        if count != _LIST_LENGTHS[key] or body.count(",") != count - 1:
            return [f"'{item.title}' needs {_LIST_LENGTHS[key]} names separated by commas."]
    if item.kind == "names":
        return names_problems(key, body)
    if item.kind == "words" and "\n" in body.strip():
        return [f"'{item.title}' must be one line."]
    return []


def settings_problems(settings: SheetSettings) -> list[Problem]:
    """Validation of the document settings."""
    problems = []
    hours = settings.avoid_alcohol_hours
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int)
        or not 0 < hours <= MAX_AVOID_ALCOHOL_HOURS
    ):
        problems.append(
            Problem(
                "avoid_alcohol_hours",
                "Hours to avoid alcohol and caffeine must be a whole number from 1 to "
                f"{MAX_AVOID_ALCOHOL_HOURS}.",
            )
        )
    message = text_message("clinic", "emergency_instruction", settings.emergency_instruction)
    if message is not None:
        problems.append(Problem("emergency_instruction", message))
    elif not settings.emergency_instruction.strip():
        problems.append(
            Problem("emergency_instruction", "Enter what the patient should do in an emergency.")
        )
    if settings.page_size not in tuple(PageSize):
        problems.append(Problem("page_size", "Choose A4 or US Letter."))
    return problems


def save_templates(
    db: Database,
    actor_id: int,
    bodies: Mapping[str, str],
    settings: SheetSettings | None = None,
    language: str = ENGLISH_CODE,
) -> list[str]:
    """Store edited blocks of the set *language* (and the document settings) in one
    audited transaction.

    A block equal to its default is stored as "no edit", so later improvements of the
    default reach it. Changed texts of a reviewed set make it "not reviewed" again.
    Returns the keys whose stored text changed.
    """
    problems = template_problems(bodies)
    if settings is not None:
        problems += settings_problems(settings)
    if problems:
        raise ValidationError(problems)
    changed: list[str] = []
    with db.transaction() as session:
        require_admin(session, actor_id, "change the aftercare sheet's texts")
        text_set = set_in(session, language)
        rows = session.scalars(
            select(AftercareTemplate).where(AftercareTemplate.language == language)
        )
        stored = {row.key: row for row in rows}
        for key, raw in bodies.items():
            body = normalise_body(raw)
            row = stored.get(key)
            if body == default_text(key, text_set.defaults):
                if row is None:
                    continue
                session.delete(row)
                what = "reset to the default"
            elif row is None:
                session.add(
                    AftercareTemplate(language=language, key=key, body=body, updated_by_id=actor_id)
                )
                what = "edited"
            elif row.body != body:
                row.body, row.updated_by_id = body, actor_id
                what = "edited"
            else:
                continue
            changed.append(key)
            audit.record(
                session,
                actor_id,
                "update",
                entity_type="aftercare_template",
                summary=f"Aftercare text '{spec(key).title}'{_in(text_set)} {what}",
            )
        if changed:
            clear_review(session, actor_id, language)
        if settings is not None:
            _store_settings(session, actor_id, settings)
    return changed


def _store_settings(session: Session, actor_id: int, settings: SheetSettings) -> None:
    clinic = session.get(Clinic, CLINIC_ID)
    if clinic is None:
        raise NotFoundError("Enter the clinic's details before its aftercare settings.")
    new = {
        "page_size": settings.page_size,
        "avoid_alcohol_hours": settings.avoid_alcohol_hours,
        "emergency_instruction": settings.emergency_instruction.strip(),
    }
    changes = [name for name, value in new.items() if getattr(clinic, name) != value]
    if not changes:
        return
    for name in changes:
        setattr(clinic, name, new[name])
    session.flush()
    audit.record(
        session,
        actor_id,
        "update",
        entity_type="clinic",
        entity_id=CLINIC_ID,
        summary="Aftercare settings changed: " + ", ".join(changes),
    )


def reset_templates(
    db: Database, actor_id: int, keys: Iterable[str], language: str = ENGLISH_CODE
) -> list[str]:
    """Bring blocks of the set *language* back to their default text (audited); returns
    the keys that changed."""
    wanted = list(keys)
    for key in wanted:
        spec(key)
    with db.transaction() as session:
        require_admin(session, actor_id, "change the aftercare sheet's texts")
        text_set = set_in(session, language)
        mine = (AftercareTemplate.language == language, AftercareTemplate.key.in_(wanted))
        present = list(session.scalars(select(AftercareTemplate.key).where(*mine)))
        if present:
            session.execute(delete(AftercareTemplate).where(*mine))
        for key in present:
            audit.record(
                session,
                actor_id,
                "update",
                entity_type="aftercare_template",
                summary=f"Aftercare text '{spec(key).title}'{_in(text_set)} reset to the default",
            )
        if present:
            clear_review(session, actor_id, language)
    return present


def _in(text_set: TextSet) -> str:
    """' in Bengali' in audit summaries (nothing for English, as before languages)."""
    return "" if text_set.code == ENGLISH_CODE else f" in {text_set.name}"
