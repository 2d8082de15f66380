"""The sheet's editable text blocks: their keys, default texts and placeholders."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dnt_desktop.models import catalogue
from dnt_desktop.paths import resources_dir


@dataclass(frozen=True)
class TemplateSpec:
    """One editable text block of the sheet: its key, title and when it is printed.

    ``kind`` is "text" (a paragraph block with the sheet's placeholders), "words" (a fixed
    word or phrase: heading, label, date format, with its own ``placeholders``) or
    "names" (catalogue names in the language, one "English name = name" a line; only in
    translated sets).
    """

    key: str
    title: str
    used: str
    required: bool = False
    kind: str = "text"
    placeholders: tuple[str, ...] = ()


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


def _words(key: str, title: str, used: str, *placeholders: str) -> TemplateSpec:
    return TemplateSpec(key, title, used, True, "words", placeholders)


_WORD_SPECS: tuple[TemplateSpec, ...] = (
    _words("heading_treated", "Heading: what we treated", "Above the body chart."),
    _words("heading_expect", "Heading: what to expect", "Every sheet."),
    _words("heading_self_care", "Heading: looking after yourself", "Every sheet."),
    _words("heading_side_effects", "Heading: side effects", "When side effects were recorded."),
    _words("heading_seek_help", "Heading: when to seek help", "Every sheet."),
    _words("heading_next_appointment", "Heading: next appointment", "When one is entered."),
    _words("treated_for", "Label: treated for", "Before the conditions treated."),
    _words("no_points", "Note: no points recorded", "When the session has no points."),
    _words("column_number", "Table heading: number", "Table of points."),
    _words("column_muscle", "Table heading: muscle", "Table of points."),
    _words("column_side", "Table heading: side", "Table of points."),
    _words("column_needling", "Table heading: needling", "Table of points."),
    _words("side_left", "Side: left", "Table of points."),
    _words("side_right", "Side: right", "Table of points."),
    _words("side_midline", "Side: middle", "Table of points."),
    _words("depth_deep", "Needling: deep", "Table of points."),
    _words("depth_superficial", "Needling: superficial", "Table of points."),
    _words("chart_front", "Body chart: front", "Under the front view."),
    _words("chart_back", "Body chart: back", "Under the back view."),
    _words("chart_left", "Body chart: left (one letter)", "Beside the figures."),
    _words("chart_right", "Body chart: right (one letter)", "Beside the figures."),
    _words("box_patient", "Patient box: patient", "Under the title."),
    _words("box_date_of_birth", "Patient box: date of birth", "Under the title."),
    _words("box_date_of_treatment", "Patient box: date of treatment", "Under the title."),
    _words("box_practitioner", "Patient box: practitioner", "Under the title."),
    _words("box_registration", "Patient box: registration number", "Under the name."),
    _words("letterhead_phone", "Letterhead: telephone", "Before the clinic's number."),
    _words("running_header", "Page header", "At the top of pages 2 and after."),
    _words("page_number", "Page number", "Every page's footer.", "page", "pages"),
    _words("document_title", "PDF document title", "The PDF's properties."),
    _words("months", "Month names (12, with commas)", "Every date."),
    _words("weekdays", "Day names (7, Monday first, with commas)", "Next appointment."),
    _words("date_format", "Date", "Every date.", "day", "month", "year"),
    _words(
        "appointment_format",
        "Appointment date and time",
        "Next appointment.",
        "weekday",
        "date",
        "time",
    ),
    _words(
        "emergency_default",
        "Emergency instruction (default)",
        "{emergency_instruction}, unless the clinic wrote its own in the sheet settings.",
    ),
    _words("contact_phone", "Contact: by phone", "{clinic_contact}.", "phone"),
    _words("contact_email", "Contact: by e-mail", "{clinic_contact}.", "email"),
    _words("contact_or", "Contact: 'or'", "{clinic_contact}, between the two."),
    _words(
        "lung_limit_note",
        "Breathing warning: deeper than advised",
        "In the red box, when a point went beyond the patient's lung-risk depth limit.",
        "muscles",
    ),
)

NAME_CATALOGUES: dict[str, str] = {
    "names_muscles": "muscle",
    "names_conditions": "condition",
    "names_side_effects": "side_effect",
    "names_adjuncts": "adjunct",
}
"""Blocks of catalogue names in a translated set, and the catalogue each names."""

_NAME_SPECS: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        "names_muscles",
        "Names: muscles",
        "Table of points, with the Latin name beside it.",
        kind="names",
    ),
    TemplateSpec("names_conditions", "Names: conditions", "'Treated for'.", kind="names"),
    TemplateSpec("names_side_effects", "Names: side effects", "Side effects.", kind="names"),
    TemplateSpec("names_adjuncts", "Names: other treatment", "Other treatment.", kind="names"),
)


@cache
def template_specs() -> tuple[TemplateSpec, ...]:
    """Every text block: the general ones, one per side-effect type of the catalogue, the
    fixed words, and the name lists of translated sets."""
    effects = tuple(
        TemplateSpec(
            side_effect_key(item.code),
            f"Side effect: {item.label}",
            f"Advice when '{item.label}' was recorded in the session.",
        )
        for item in catalogue.side_effect_types()
    )
    return _GENERAL_SPECS + effects + _WORD_SPECS + _NAME_SPECS


def specs_for(translation: bool) -> tuple[TemplateSpec, ...]:
    """The blocks of a set: an original (English) set has no name lists."""
    return tuple(s for s in template_specs() if translation or s.kind != "names")


def spec(key: str) -> TemplateSpec:
    """The block with *key*; ``KeyError`` for an unknown key."""
    for item in template_specs():
        if item.key == key:
            return item
    raise KeyError(f"Unknown aftercare text block '{key}'")


def text_sets_dir() -> Path:
    """Folder of the shipped text sets, one sub-folder per language code."""
    return resources_dir() / "aftercare"


@cache
def default_text(key: str, language: str = "en") -> str:
    """The shipped text of a block in the set *language* (a shipped set's code).

    A paragraph block is ``KEY.txt``, a fixed word is in ``words.json``, a list of names is
    made from ``names.json``. A side-effect block without its own file falls back to the
    'other' advice; a block a translated set lacks falls back to the English text.
    """
    item = spec(key)
    folder = text_sets_dir() / language
    if not (folder / "language.json").is_file():
        raise KeyError(f"There is no shipped aftercare text set '{language}'")
    if item.kind == "words":
        words = _json(folder / "words.json")
        if key in words:
            return normalise_body(words[key])
    elif item.kind == "names":
        return _names_text(key, _json(folder / "names.json")) if language != "en" else ""
    else:
        path = folder / f"{key}.txt"
        if path.exists():
            try:
                return normalise_body(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise ValueError(f"Aftercare text {path} cannot be read: {exc}") from exc
        if key.startswith("side_effect_") and key != side_effect_key("other"):
            return default_text(side_effect_key("other"), language)
    if language != "en":
        return default_text(key, "en")
    raise ValueError(f"The English aftercare texts have no block '{key}'")


@cache
def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Aftercare text file {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"Aftercare text file {path}: expected an object")
    return data


def catalogue_names(kind: str) -> dict[str, str]:
    """Code to English (catalogue) name of every item of one catalogue."""
    if kind == "muscle":
        return {m.code: m.name for m in catalogue.muscles()}
    items = {
        "condition": catalogue.conditions,
        "side_effect": catalogue.side_effect_types,
        "adjunct": catalogue.adjuncts,
    }[kind]()
    return {item.code: item.label for item in items if not item.needs_text}


def _names_text(key: str, names: Mapping[str, Any]) -> str:
    kind = NAME_CATALOGUES[key]
    local = names.get(kind + "s", {})
    lines = [
        f"{english} = {local.get(code, '')}".rstrip()
        for code, english in catalogue_names(kind).items()
    ]
    return "\n".join(lines)


def parse_names(body: str) -> dict[str, str]:
    """English name to name in the language, from a names block ("English = name" lines;
    a line without a name after '=' is skipped)."""
    names: dict[str, str] = {}
    for line in body.splitlines():
        english, sep, local = line.partition("=")
        if sep and english.strip() and local.strip():
            names[english.strip()] = local.strip()
    return names


def names_problems(key: str, body: str) -> list[str]:
    """Lines of a names block that name nothing in the catalogue, or have no '='."""
    known = set(catalogue_names(NAME_CATALOGUES[key]).values())
    problems = []
    for line in body.splitlines():
        if not line.strip():
            continue
        english, sep, _ = line.partition("=")
        if not sep:
            problems.append(f"'{line.strip()}' has no '=' between the English name and the name.")
        elif english.strip() not in known:
            problems.append(f"'{english.strip()}' is not a name in the catalogue.")
    return problems


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


def unknown_placeholders(body: str, key: str | None = None) -> list[str]:
    """Placeholder names in *body* that the block *key* does not know, in order, once
    (the sheet's :data:`PLACEHOLDERS`, or a fixed word's own)."""
    item = spec(key) if key is not None else None
    known = item.placeholders if item is not None and item.kind != "text" else PLACEHOLDERS
    seen: list[str] = []
    for match in PLACEHOLDER_PATTERN.finditer(body):
        name = match.group(1)
        if name not in known and name not in seen:
            seen.append(name)
    return seen


def fill_words(body: str, **values: str) -> str:
    """A fixed word's text with its own placeholders replaced."""
    return PLACEHOLDER_PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), body)
