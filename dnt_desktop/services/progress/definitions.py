"""Outcome questionnaires defined as data files (``resources/measures/*.measure``).

A file is ``key: value`` lines (``#`` comments); ``resources/measures/README.md`` lists
the keys. A file that breaks a rule raises ``MeasureFileError`` naming the file and the
line, so that a clinic adding a licensed questionnaire learns what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path

from dnt_desktop.paths import resources_dir

from ..errors import ServiceError


@dataclass(frozen=True)
class Scale:
    """The answers an item takes: whole numbers from ``low`` to ``high``."""

    code: str
    low: int
    high: int
    low_label: str
    high_label: str


SCALES: dict[str, Scale] = {
    "nrs_0_10": Scale("nrs_0_10", 0, 10, "no pain", "worst pain imaginable"),
    "ability_0_10": Scale("ability_0_10", 0, 10, "unable to perform", "as before the problem"),
    "groc_15": Scale("groc_15", -7, 7, "a very great deal worse", "a very great deal better"),
}
SCORINGS = ("single", "mean", "sum")
DIRECTIONS = ("higher_is_better", "lower_is_better")
CHANGES = ("from_first", "self")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_KEYS = (
    "code",
    "name",
    "short_name",
    "scale",
    "scoring",
    "direction",
    "change",
    "mcid",
    "mcid_source",
    "source",
    "item",
    "named_items",
    "min_answered",
    "order",
)
_REQUIRED = ("code", "name", "short_name", "scale", "scoring", "direction", "mcid", "source")


class MeasureFileError(ServiceError):
    """A questionnaire file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Item:
    """One question: its code and the words asked."""

    code: str
    label: str


@dataclass(frozen=True)
class MeasureDefinition:
    """A questionnaire: its items, answer scale, scoring rule, direction and MCID."""

    code: str
    name: str
    short_name: str
    scale: Scale
    scoring: str
    direction: str
    change: str
    mcid: Fraction
    mcid_text: str
    mcid_source: str
    source: str
    items: tuple[Item, ...]
    named_items: int = 0
    """Up to this many items the patient names (PSFS); 0 when the items are fixed."""
    min_answered: int = 1
    order: int = 100
    """Where it comes in lists and letters (lower first)."""
    path: str = ""

    @property
    def slots(self) -> tuple[Item, ...]:
        """The items to answer: the fixed ones, or one per activity the patient names."""
        if self.named_items:
            return tuple(Item(f"item_{n}", "") for n in range(1, self.named_items + 1))
        return self.items


def _fail(path: Path, line: int, message: str) -> MeasureFileError:
    return MeasureFileError(f"{path.name}, line {line}: {message}. Correct the file ({path}).")


def parse_measure(path: Path) -> MeasureDefinition:
    """The questionnaire of the file *path*; MeasureFileError when it breaks a rule."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MeasureFileError(f"{path.name}: cannot be read ({exc}).") from exc
    values: dict[str, tuple[str, int]] = {}
    items: list[tuple[Item, int]] = []
    last = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        last = number
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon:
            raise _fail(path, number, f"'{line[:40]}' is not a 'key: value' line")
        if key not in _KEYS:
            raise _fail(path, number, f"unknown key '{key}' (known: {', '.join(_KEYS)})")
        if key == "item":
            code, bar, label = value.partition("|")
            code, label = code.strip(), label.strip()
            if not bar or not _CODE.match(code) or not label:
                raise _fail(path, number, "an item is written 'item: code | question'")
            if any(existing.code == code for existing, _ in items):
                raise _fail(path, number, f"item '{code}' is given twice")
            items.append((Item(code, label), number))
            continue
        if key in values:
            raise _fail(path, number, f"'{key}' is given twice")
        if not value:
            raise _fail(path, number, f"'{key}' has no value")
        values[key] = (value, number)
    for key in _REQUIRED:
        if key not in values:
            raise _fail(path, last + 1, f"the required key '{key}' is missing")

    def value(key: str, default: str = "") -> str:
        return values[key][0] if key in values else default

    def line_of(key: str) -> int:
        return values[key][1] if key in values else last + 1

    code = value("code")
    if not _CODE.match(code):
        raise _fail(path, line_of("code"), "the code takes lower-case letters, digits and _")
    scale = SCALES.get(value("scale"))
    if scale is None:
        raise _fail(
            path,
            line_of("scale"),
            f"unknown scale '{value('scale')}' (known: {', '.join(SCALES)})",
        )
    for key, allowed in (("scoring", SCORINGS), ("direction", DIRECTIONS), ("change", CHANGES)):
        if value(key, allowed[0]) not in allowed:
            raise _fail(path, line_of(key), f"{key} is one of {', '.join(allowed)}")
    try:
        mcid = Decimal(value("mcid"))
    except InvalidOperation:
        mcid = Decimal(-1)
    if not mcid.is_finite() or mcid <= 0:
        raise _fail(path, line_of("mcid"), "mcid is a number of points greater than 0")
    if "mcid_source" not in values:
        raise _fail(path, last + 1, "the required key 'mcid_source' is missing")
    named = _whole(path, values, "named_items", 0, 0, 20)
    if named and items:
        raise _fail(path, items[0][1], "give either items or named_items, not both")
    if not named and not items:
        raise _fail(path, last + 1, "an item is missing: give at least one 'item: code | question'")
    count = named or len(items)
    if value("scoring", "single") == "single" and count != 1:
        where = items[1][1] if len(items) > 1 else line_of("named_items")
        raise _fail(path, where, "scoring 'single' takes exactly one item")
    minimum = _whole(path, values, "min_answered", 1, 1, count)
    return MeasureDefinition(
        code=code,
        name=value("name"),
        short_name=value("short_name"),
        scale=scale,
        scoring=value("scoring"),
        direction=value("direction"),
        change=value("change", "from_first"),
        mcid=Fraction(mcid),
        mcid_text=str(mcid),
        mcid_source=value("mcid_source"),
        source=value("source"),
        items=tuple(item for item, _ in items),
        named_items=named,
        min_answered=minimum,
        order=_whole(path, values, "order", 100, 0, 1000),
        path=str(path),
    )


def _whole(
    path: Path, values: dict[str, tuple[str, int]], key: str, default: int, low: int, high: int
) -> int:
    if key not in values:
        return default
    text, line = values[key]
    if not text.isdigit() or not low <= int(text) <= high:
        raise _fail(path, line, f"{key} is a whole number from {low} to {high}")
    return int(text)


def shipped_dir() -> Path:
    """The folder of the questionnaires shipped with the app."""
    return resources_dir() / "measures"


def load_measures(*folders: Path) -> dict[str, MeasureDefinition]:
    """Every questionnaire of *folders* (later folders replace a code), in file order."""
    found: dict[str, MeasureDefinition] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.measure")):
            definition = parse_measure(path)
            found[definition.code] = definition
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def clinic_dir() -> Path | None:
    """The clinic's own questionnaires: ``measures`` in the data folder (may not exist)."""
    try:
        from dnt_desktop.storage.folders import data_dir

        return data_dir() / "measures"
    except Exception:  # no data folder (e.g. read-only environment): shipped ones only
        return None


def load_usable(*folders: Path) -> tuple[dict[str, MeasureDefinition], tuple[str, ...]]:
    """As ``load_measures``, but a file with a mistake is left out and its message kept:
    one clinic file with a typo must not take every questionnaire away."""
    found: dict[str, MeasureDefinition] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.measure")):
            try:
                definition = parse_measure(path)
            except MeasureFileError as exc:
                problems.append(str(exc))
                continue
            found[definition.code] = definition
    ordered = dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))
    return ordered, tuple(problems)


@cache
def _loaded() -> tuple[dict[str, MeasureDefinition], tuple[str, ...]]:
    clinic = clinic_dir()
    return load_usable(shipped_dir(), *([clinic] if clinic is not None else []))


def measures() -> dict[str, MeasureDefinition]:
    """The shipped questionnaires and the clinic's own that can be used (loaded once)."""
    return _loaded()[0]


def measure_file_problems() -> tuple[str, ...]:
    """Why a questionnaire file was left out (file, line, what to fix); empty when none."""
    return _loaded()[1]


def measure(code: str) -> MeasureDefinition:
    """The questionnaire *code*; ServiceError when there is none."""
    found = measures().get(code)
    if found is None:
        raise ServiceError(f"There is no questionnaire '{code}'.")
    return found
