"""The sheet's editable text blocks: their keys, default texts and placeholders."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from dnt_desktop.models import catalogue
from dnt_desktop.paths import resources_dir


@dataclass(frozen=True)
class TemplateSpec:
    """One editable text block of the sheet: its key, title and when it is printed."""

    key: str
    title: str
    used: str
    required: bool = False


_GENERAL_SPECS: tuple[TemplateSpec, ...] = (
    TemplateSpec("title", "Title", "The sheet's title, under the letterhead.", required=True),
    TemplateSpec("intro", "Introduction", "Opening words to the patient."),
    TemplateSpec("treated", "What we treated: body chart note", "Above the body chart."),
    TemplateSpec("expect_deep", "What to expect: after deep needling", "When any point was deep."),
    TemplateSpec(
        "expect_superficial",
        "What to expect: superficial needling only",
        "When every point was superficial.",
    ),
    TemplateSpec("expect_common", "What to expect: bruising and tiredness", "Every sheet."),
    TemplateSpec("self_care", "Looking after yourself", "Every sheet (water, alcohol...)."),
    TemplateSpec("thermal_general", "Heat or ice: general advice", "Thermal advice 'general'."),
    TemplateSpec("thermal_heat", "Heat or ice: use heat", "Thermal advice 'heat'."),
    TemplateSpec("thermal_ice", "Heat or ice: use ice", "Thermal advice 'ice'."),
    TemplateSpec("stretches", "Stretches: heading", "Before the stretches of the session."),
    TemplateSpec("adjuncts", "Other treatment: heading", "Before the session's adjuncts."),
    TemplateSpec(
        "seek_help", "When to seek help", "Every sheet (infection, soreness...).", required=True
    ),
    TemplateSpec(
        "lung_warning",
        "Urgent breathing warning (pneumothorax)",
        "In a red box whenever a point was over a muscle near the lung.",
        required=True,
    ),
    TemplateSpec("next_appointment", "Next appointment", "When one is entered."),
    TemplateSpec("closing", "Closing words", "At the end of the sheet."),
)

PLACEHOLDERS: dict[str, str] = {
    "patient_first_name": "The patient's given name",
    "patient_last_name": "The patient's family name",
    "patient_name": "Given and family name",
    "date_of_birth": "The patient's date of birth",
    "session_date": "The date of the treatment",
    "practitioner_name": "The treating practitioner",
    "clinic_name": "The clinic's name",
    "clinic_phone": "The clinic's phone number",
    "clinic_email": "The clinic's e-mail address",
    "clinic_website": "The clinic's website",
    "clinic_address": "The clinic's address on one line",
    "clinic_contact": "Phone and e-mail, as available",
    "avoid_alcohol_hours": "Hours to avoid alcohol and caffeine (clinic setting)",
    "emergency_instruction": "The clinic's emergency instruction",
    "next_appointment": "Date and time of the next appointment",
}

PLACEHOLDER_PATTERN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def side_effect_key(code: str) -> str:
    """The template key of the advice for one side-effect code."""
    return f"side_effect_{code}"


@cache
def template_specs() -> tuple[TemplateSpec, ...]:
    """Every text block: the general ones, then one per side-effect type of the catalogue."""
    effects = tuple(
        TemplateSpec(
            side_effect_key(item.code),
            f"Side effect: {item.label}",
            f"Advice when '{item.label}' was recorded in the session.",
        )
        for item in catalogue.side_effect_types()
    )
    return _GENERAL_SPECS + effects


def spec(key: str) -> TemplateSpec:
    """The block with *key*; ``KeyError`` for an unknown key."""
    for item in template_specs():
        if item.key == key:
            return item
    raise KeyError(f"Unknown aftercare text block '{key}'")


@cache
def default_text(key: str) -> str:
    """The shipped text of a block (``resources/aftercare/KEY.txt``).

    A side-effect block without its own file falls back to the 'other' advice.
    """
    spec(key)
    path = resources_dir() / "aftercare" / f"{key}.txt"
    if not path.exists() and key.startswith("side_effect_") and key != side_effect_key("other"):
        return default_text(side_effect_key("other"))
    try:
        return normalise_body(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"Aftercare text {path.name} cannot be read: {exc}") from exc


def normalise_body(body: str) -> str:
    """Line endings as \\n, no trailing spaces on lines, no blank lines at either end."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


@dataclass(frozen=True)
class Piece:
    """Part of a filled template: text typed in the template, or a substituted value."""

    text: str
    from_template: bool


def fill_pieces(body: str, values: Mapping[str, str]) -> list[Piece]:
    """Split *body* at its placeholders, replacing the known ones by their values.

    Values are never scanned again (a name containing ``{clinic_phone}`` prints as
    typed); unknown placeholders stay in the template text, visible.
    """
    pieces: list[Piece] = []
    position = 0
    for match in PLACEHOLDER_PATTERN.finditer(body):
        name = match.group(1)
        if name not in values:
            continue
        if match.start() > position:
            pieces.append(Piece(body[position : match.start()], True))
        pieces.append(Piece(values[name], False))
        position = match.end()
    if position < len(body):
        pieces.append(Piece(body[position:], True))
    return pieces


def fill(body: str, values: Mapping[str, str]) -> str:
    """The template with its known placeholders replaced (plain text)."""
    return "".join(piece.text for piece in fill_pieces(body, values))


def unknown_placeholders(body: str) -> list[str]:
    """Placeholder names in *body* that are not in :data:`PLACEHOLDERS`, in order, once."""
    seen: list[str] = []
    for match in PLACEHOLDER_PATTERN.finditer(body):
        name = match.group(1)
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen
