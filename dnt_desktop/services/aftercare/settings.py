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
from .sheet import clinic_details, placeholder_values, resolved_texts
from .texts import default_text, fill, normalise_body, spec, template_specs

MAX_AVOID_ALCOHOL_HOURS = 168


@dataclass(frozen=True)
class SheetSettings:
    """The clinic's document settings edited beside the texts."""

    page_size: PageSize
    avoid_alcohol_hours: int
    emergency_instruction: str


def template_bodies(db: Database) -> dict[str, str]:
    """The current text of every block (the clinic's version or the default)."""
    with db.reading() as session:
        stored = dict(session.execute(select(AftercareTemplate.key, AftercareTemplate.body)).all())
    return resolved_texts(stored)


def edited_keys(db: Database) -> set[str]:
    """Keys of the blocks the clinic changed from the default."""
    with db.reading() as session:
        return set(session.scalars(select(AftercareTemplate.key)))


def sheet_settings(db: Database) -> SheetSettings:
    """Page size, hours to avoid alcohol and emergency instruction (defaults before setup)."""
    with db.reading() as session:
        details = clinic_details(session.get(Clinic, CLINIC_ID))
    return SheetSettings(
        details.page_size, details.avoid_alcohol_hours, details.emergency_instruction
    )


def template_problems(bodies: Mapping[str, str]) -> list[Problem]:
    """Blocks that cannot be saved: unknown keys and empty required blocks."""
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
    limit = field_limits.aftercare_text_limit(key)
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
) -> list[str]:
    """Store edited blocks (and the document settings) in one audited transaction.

    A block equal to its default is stored as "no edit", so later improvements of the
    default reach it. Returns the keys whose stored text changed.
    """
    problems = template_problems(bodies)
    if settings is not None:
        problems += settings_problems(settings)
    if problems:
        raise ValidationError(problems)
    changed: list[str] = []
    with db.transaction() as session:
        require_admin(session, actor_id, "change the aftercare sheet's texts")
        stored = {row.key: row for row in session.scalars(select(AftercareTemplate))}
        for key, raw in bodies.items():
            body = normalise_body(raw)
            row = stored.get(key)
            if body == default_text(key):
                if row is None:
                    continue
                session.delete(row)
                what = "reset to the default"
            elif row is None:
                session.add(AftercareTemplate(key=key, body=body, updated_by_id=actor_id))
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
                summary=f"Aftercare text '{spec(key).title}' {what}",
            )
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


def reset_templates(db: Database, actor_id: int, keys: Iterable[str]) -> list[str]:
    """Bring blocks back to their default text (audited); returns the keys that changed."""
    wanted = list(keys)
    for key in wanted:
        spec(key)
    with db.transaction() as session:
        require_admin(session, actor_id, "change the aftercare sheet's texts")
        present = list(
            session.scalars(select(AftercareTemplate.key).where(AftercareTemplate.key.in_(wanted)))
        )
        if present:
            session.execute(delete(AftercareTemplate).where(AftercareTemplate.key.in_(present)))
        for key in present:
            audit.record(
                session,
                actor_id,
                "update",
                entity_type="aftercare_template",
                summary=f"Aftercare text '{spec(key).title}' reset to the default",
            )
    return present
