"""Reference catalogues: conditions, regions, muscles, side effects, contraindications, adjuncts
and the needle sizes that exist.

The data lives in ``resources/catalogues/*.json``; each file is read once, validated and
turned into frozen dataclasses. A broken file raises ``ValueError`` naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from dnt_desktop.paths import resources_dir

_T = TypeVar("_T")

VIEWS: tuple[str, ...] = ("front", "back")
"""The body-chart views a muscle can be needled from."""


@dataclass(frozen=True)
class CatalogueItem:
    """A coded entry with a display label; ``needs_text`` asks for free text ("other")."""

    code: str
    label: str
    needs_text: bool = False


@dataclass(frozen=True)
class Condition(CatalogueItem):
    """A condition treated, with the muscle regions it usually involves."""

    regions: tuple[str, ...] = ()


DEPTH_CLASSES: tuple[str, ...] = ("superficial", "deep")


@dataclass(frozen=True)
class TypicalNeedling:
    """Where a point on a muscle starts: depth class, depth and needle (length x gauge)."""

    depth_class: str
    depth_mm: float
    needle_length_mm: float
    needle_gauge_mm: float


@dataclass(frozen=True)
class Muscle:
    """A commonly needled muscle; ``lung_risk`` marks a pneumothorax risk on deep needling.

    ``typical`` is where a new point on it starts until the practitioner has needled it;
    ``max_depth_mm`` a published maximum insertion (the rhomboids' 19 mm), if any.
    """

    code: str
    name: str
    region: str
    lung_risk: bool
    views: tuple[str, ...]
    max_depth_note: str | None = None
    typical: TypicalNeedling | None = None
    max_depth_mm: float | None = None


@dataclass(frozen=True)
class SideEffectType(CatalogueItem):
    """A side-effect category with its published rate per treatment (Brady 2014), if any."""

    published_rate_percent: float | None = None
    serious: bool = False


@dataclass(frozen=True)
class Contraindication(CatalogueItem):
    """A contraindication or precaution: practitioner alert and screening question."""

    alert: str = ""
    question: str = ""
    not_asked_for: tuple[str, ...] = ()
    """Sexes (``Sex`` values) for whom the question does not arise (pregnancy: male)."""
    level: str = "danger"
    """How loudly the chart warns when it is present: danger, or warning (smoking)."""


@dataclass(frozen=True)
class NeedleSizes:
    """The needle diameters and lengths a point may record, and the insertions ceiling."""

    gauges_mm: tuple[float, ...]
    lengths_mm: tuple[float, ...]
    max_insertions_per_point: int


def catalogues_dir() -> Path:
    """Return the folder holding the catalogue JSON files."""
    return resources_dir() / "catalogues"


class _Reader:
    """Checks the fields of one item of one file, raising ValueError that names the file."""

    def __init__(self, filename: str, index: int, raw: Any) -> None:
        self.filename = filename
        self.index = index
        if not isinstance(raw, dict):
            self.fail("must be an object")
        self.raw: dict[str, Any] = raw

    def fail(self, problem: str) -> NoReturn:
        raise ValueError(f"Catalogue file {self.filename}: item {self.index}: {problem}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"'{key}' must be a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(f"'{key}' must be a string or null")
        return value

    def flag(self, key: str, *, required: bool = False) -> bool:
        if required and key not in self.raw:
            self.fail(f"'{key}' is missing")
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false")
        return value

    def number(self, key: str) -> float | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fail(f"'{key}' must be a non-negative number or null")
        return float(value)

    def codes(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"'{key}' must be a list of strings")
        return tuple(value)


def _load_items(filename: str, build: Callable[[_Reader], _T]) -> tuple[_T, ...]:
    """Read ``filename``, build each item and check that codes are unique."""
    path = catalogues_dir() / filename
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Catalogue file {filename} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(f"Catalogue file {filename}: expected an object with an 'items' list")
    items = tuple(build(_Reader(filename, i, raw)) for i, raw in enumerate(data["items"]))
    seen: set[str] = set()
    for item in items:
        code = str(getattr(item, "code", ""))
        if code in seen:
            raise ValueError(f"Catalogue file {filename}: duplicate code '{code}'")
        seen.add(code)
    if not items:
        raise ValueError(f"Catalogue file {filename}: no items")
    return items


def _item(r: _Reader) -> CatalogueItem:
    return CatalogueItem(r.text("code"), r.text("label"), needs_text=r.flag("needs_text"))


@cache
def regions() -> tuple[CatalogueItem, ...]:
    """Muscle regions (head and neck, shoulder girdle, ...), in display order."""
    return _load_items("regions.json", _item)


def _region_codes() -> frozenset[str]:
    return frozenset(item.code for item in regions())


@cache
def conditions() -> tuple[Condition, ...]:
    """Conditions treated, in display order ("other" last, asking for text)."""
    known = _region_codes()

    def build(r: _Reader) -> Condition:
        item = _item(r)
        region_codes = r.codes("regions")
        for code in region_codes:
            if code not in known:
                r.fail(f"unknown region '{code}'")
        return Condition(item.code, item.label, item.needs_text, regions=region_codes)

    return _load_items("conditions.json", build)


@cache
def muscles() -> tuple[Muscle, ...]:
    """All commonly needled muscles, grouped by region."""
    known = _region_codes()

    def build(r: _Reader) -> Muscle:
        region = r.text("region")
        if region not in known:
            r.fail(f"unknown region '{region}'")
        views = r.codes("views")
        if not views or any(v not in VIEWS for v in views) or len(set(views)) != len(views):
            r.fail(f"'views' must list one or both of {', '.join(VIEWS)}")
        return Muscle(
            code=r.text("code"),
            name=r.text("name"),
            region=region,
            lung_risk=r.flag("lung_risk", required=True),
            views=views,
            max_depth_note=r.optional_text("max_depth_note"),
            typical=_typical(r),
            max_depth_mm=r.number("max_depth_mm"),
        )

    return _load_items("muscles.json", build)


def _typical(r: _Reader) -> TypicalNeedling:
    """The muscle's typical depth class, depth and needle, all four required and sound."""
    depth_class = r.text("typical_depth_class")
    if depth_class not in DEPTH_CLASSES:
        r.fail(f"'typical_depth_class' must be one of {', '.join(DEPTH_CLASSES)}")
    values = {}
    for key in ("typical_depth_mm", "typical_needle_length_mm", "typical_needle_gauge_mm"):
        value = r.number(key)
        if not value:
            r.fail(f"'{key}' must be a number above 0")
        values[key] = value
    depth, length = values["typical_depth_mm"], values["typical_needle_length_mm"]
    if depth >= length:
        r.fail("'typical_depth_mm' must be less than 'typical_needle_length_mm'")
    return TypicalNeedling(depth_class, depth, length, values["typical_needle_gauge_mm"])


@cache
def _muscles_by_code() -> dict[str, Muscle]:
    return {m.code: m for m in muscles()}


def muscle(code: str) -> Muscle:
    """Return the muscle with ``code``; ``KeyError`` if the catalogue has no such muscle."""
    try:
        return _muscles_by_code()[code]
    except KeyError:
        raise KeyError(f"Unknown muscle code '{code}' (not in muscles.json)") from None


@cache
def muscles_in_region(region: str) -> tuple[Muscle, ...]:
    """Muscles of one region code (empty for an unknown region)."""
    return tuple(m for m in muscles() if m.region == region)


@cache
def side_effect_types() -> tuple[SideEffectType, ...]:
    """Side-effect categories with published rates (Brady 2014) where known."""

    def build(r: _Reader) -> SideEffectType:
        item = _item(r)
        return SideEffectType(
            item.code,
            item.label,
            item.needs_text,
            published_rate_percent=r.number("published_rate_percent"),
            serious=r.flag("serious"),
        )

    return _load_items("side_effects.json", build)


@cache
def contraindications() -> tuple[Contraindication, ...]:
    """Contraindications and precautions screened before needling."""

    def build(r: _Reader) -> Contraindication:
        item = _item(r)
        return Contraindication(
            item.code,
            item.label,
            item.needs_text,
            alert=r.text("alert"),
            question=r.text("question"),
            not_asked_for=r.codes("not_asked_for"),
            level=_level(r),
        )

    return _load_items("contraindications.json", build)


def _level(r: _Reader) -> str:
    level = r.optional_text("level") or "danger"
    if level not in ("danger", "warning"):
        r.fail("'level' must be danger or warning")
    return level


@cache
def adjuncts() -> tuple[CatalogueItem, ...]:
    """Treatments combined with dry needling (physiotherapy, massage, ...)."""
    return _load_items("adjuncts.json", _item)


def _sizes(data: dict[str, Any], key: str, low: float, high: float) -> tuple[float, ...]:
    values = data.get(key)
    if (
        not isinstance(values, list)
        or not values
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= high
            for v in values
        )
    ):
        raise ValueError(
            f"Catalogue file needles.json: '{key}' must list sizes from {low} to {high}"
        )
    sizes = tuple(sorted(float(v) for v in values))
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"Catalogue file needles.json: '{key}' lists a size twice")
    return sizes


@cache
def needle_sizes() -> NeedleSizes:
    """The needle sizes that exist (``needles.json``), smallest first."""
    try:
        data = json.loads((catalogues_dir() / "needles.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Catalogue file needles.json cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("Catalogue file needles.json: expected an object")
    ceiling = data.get("max_insertions_per_point")
    if isinstance(ceiling, bool) or not isinstance(ceiling, int) or not 1 <= ceiling <= 1000:
        raise ValueError(
            "Catalogue file needles.json: 'max_insertions_per_point' must be a whole number "
            "from 1 to 1000"
        )
    return NeedleSizes(
        gauges_mm=_sizes(data, "gauges_mm", 0.05, 1.0),
        lengths_mm=_sizes(data, "lengths_mm", 5, 200),
        max_insertions_per_point=ceiling,
    )


_KINDS: dict[str, Callable[[], tuple[Any, ...]]] = {
    "condition": conditions,
    "side_effect": side_effect_types,
    "contraindication": contraindications,
    "adjunct": adjuncts,
    "region": regions,
    "muscle": muscles,
}


def label_of(kind: str, code: str) -> str:
    """Display label of ``code`` in catalogue ``kind`` (a muscle's name for "muscle").

    Raises ``KeyError`` for an unknown kind or code.
    """
    try:
        loader = _KINDS[kind]
    except KeyError:
        raise KeyError(f"Unknown catalogue kind '{kind}' (one of {', '.join(_KINDS)})") from None
    for item in loader():
        if item.code == code:
            return item.name if isinstance(item, Muscle) else item.label
    raise KeyError(f"Unknown {kind} code '{code}'")


def clear_cache() -> None:
    """Forget the loaded catalogues so the next call reads the files again (tests, tools)."""
    for loader in (
        regions,
        conditions,
        muscles,
        _muscles_by_code,
        muscles_in_region,
        side_effect_types,
        contraindications,
        adjuncts,
        needle_sizes,
    ):
        loader.cache_clear()
