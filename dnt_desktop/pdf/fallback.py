"""Text in any script: each run of characters in a shipped font that draws it, right-to-left
runs in reading order, and a note of the characters no shipped font can draw.

DejaVu Sans sets what it can (every English sheet is set in it alone, exactly as before);
Bengali, Devanagari, Arabic, Hebrew, emoji and Chinese, Japanese or Korean characters go to
the Noto or Droid font that has them (:data:`.fonts.FAMILIES`). A character no font has
prints as U+FFFD (a visible replacement mark, never a blank) and is collected, so that
the app can say which characters could not be drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .fonts import FAMILIES, Family, coverage, coverage_chars

REPLACEMENT = "\ufffd"
NBSP = "\u00a0"
_STRONG_RTL = ("R", "AL")
_SKIN_TONES = (0x1F3FB, 0x1F3FF)
_missing: ContextVar[set[str] | None] = ContextVar("missing_characters", default=None)


@dataclass(frozen=True)
class Run:
    """Characters set in one font, in logical order; ``rtl`` for a right-to-left run."""

    text: str
    family: Family
    rtl: bool = False


@contextmanager
def collecting_missing() -> Iterator[set[str]]:
    """Collect, while open, every character that no shipped font could draw."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def _note_missing(char: str) -> None:
    found = _missing.get()
    if found is not None:
        found.add(char)


def _sticky(char: str) -> bool:
    """Characters that belong with what precedes them: spaces, marks, joiners, selectors."""
    code = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def _neutral(char: str) -> bool:
    """Digits and punctuation, which any font that has them may set."""
    return unicodedata.category(char)[0] in ("N", "P", "Z") or char in "+-*/=<>|~^"


def _family_for(char: str, current: Family | None, base: Family) -> Family | None:
    code = ord(char)
    if current is not None and (_sticky(char) or _neutral(char)) and code in coverage(current):
        return current
    if code in coverage(base) and not needs_shaping(char):
        return base  # Latin, Greek, Cyrillic and symbols: DejaVu, as on every English sheet
    for family in FAMILIES:
        if family is not base and code in coverage(family):
            return family  # the script's own Noto font first (DejaVu has Arabic and Hebrew too)
    if code in coverage(base):
        return base
    if current is not None and _hint(char):
        return current  # a joiner or selector the font lacks is only a hint to the shaper
    return None


def _hint(char: str) -> bool:
    """Zero-width joiners and variation selectors: they change how neighbours look."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    )


def runs(text: str, base: Family = FAMILIES[0]) -> list[Run]:
    """*text* in runs of one font each; characters no font has become U+FFFD."""
    out: list[tuple[list[str], Family]] = []
    current: Family | None = None
    previous = ""
    replaced = False
    for char in text:
        if _SKIN_TONES[0] <= ord(char) <= _SKIN_TONES[1] and previous.strip():
            continue  # the shipped emoji font is monochrome: no skin tones, not a swatch
        previous = char
        family = _family_for(char, current, base)
        if family is None:
            _note_missing(char)
            if unicodedata.category(char)[0] == "M" and replaced:
                continue  # a mark on a character already replaced: one mark a cluster
            char, family = REPLACEMENT, base
        replaced = char == REPLACEMENT
        if family is not current:
            out.append(([], family))
            current = family
        out[-1][0].append(char)
    result: list[Run] = []
    for chars, family in out:
        result += _rtl_split("".join(chars), family, base)
    return result


def _rtl_split(text: str, family: Family, base: Family) -> list[Run]:
    """A run, with its right-to-left part (first to last strong right-to-left character
    and the marks on it) apart from the spaces, digits and punctuation around it, which
    read left to right in a left-to-right paragraph."""
    strong = [i for i, c in enumerate(text) if unicodedata.bidirectional(c) in _STRONG_RTL]
    if not strong:
        return [Run(text, family)]
    start, end = strong[0], strong[-1] + 1
    while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Mc", "Me"):
        end += 1
    parts = [Run(text[start:end], family, rtl=True)]
    if start:
        parts.insert(0, Run(text[:start], family))
    if end < len(text):
        tail = text[end:]
        covered = all(ord(c) in coverage(base) for c in tail)
        parts.append(Run(tail, base if covered else family))
    return parts


_COMPLEX = re.compile("[\u0590-\u1dff\u2c00-\U0010ffff]")


def needs_shaping(text: str) -> bool:
    """True when *text* has characters HarfBuzz must arrange (any script past Greek and
    Cyrillic but the Latin and Greek extensions and symbol blocks, emoji included)."""
    return _COMPLEX.search(text) is not None


def plain(text: str, base: Family = FAMILIES[0]) -> bool:
    """True when the base font draws all of *text* unshaped: the fast path of every
    English text (checked in C, not character by character in Python)."""
    return _COMPLEX.search(text) is None and coverage_chars(base).issuperset(text)


# --- paragraph markup ---------------------------------------------------------------------

_TOKEN = re.compile(r"<[^>]*>|&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);|[^<&]+|[<&]")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}


def _unescape(entity: str) -> str:
    if entity in _ENTITIES:
        return _ENTITIES[entity]
    if entity.startswith("&#x"):
        return chr(int(entity[3:-1], 16))
    return chr(int(entity[2:-1]))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rtl_words(text: str) -> str:
    """A right-to-left run as reportlab must get it: one unbreakable word that HarfBuzz
    turns round as a whole, or, when numbers sit inside it, its words in visual order."""
    words = text.split(" ")
    if not any(c.isdigit() for c in text):
        return NBSP.join(words)
    return " ".join(reversed(words))


def _text_markup(text: str, base: Family, bold: bool) -> str:
    parts: list[str] = []
    for run in runs(text, base):
        body = _escape(_rtl_words(run.text) if run.rtl else run.text)
        if run.family is base:
            parts.append(body)
        else:
            face = run.family.bold if bold else run.family.regular
            parts.append(f'<font face="{face}">{body}</font>')
    return "".join(parts)


def markup_in_fonts(markup: str, base: Family = FAMILIES[0], bold: bool = False) -> str:
    """Paragraph *markup* with every run the base font cannot draw in a ``<font face>``.

    Tags pass unchanged; text is unescaped, split into runs and escaped again. A run in
    bold (inside ``<b>``, or everywhere when *bold*: the style's font is a bold face) gets
    its family's bold face, since ``<font face>`` would otherwise drop the bold.
    """
    if plain(markup, base):
        return markup
    out: list[str] = []
    pending: list[str] = []
    depth = 0

    def flush() -> None:
        if pending:
            out.append(_text_markup("".join(pending), base, bold or depth > 0))
            pending.clear()

    for token in _TOKEN.findall(markup):
        if token.startswith("<") and token.endswith(">"):
            flush()
            out.append(token)
            if token.lower() == "<b>":
                depth += 1
            elif token.lower() == "</b>":
                depth = max(0, depth - 1)
        elif token.startswith("&") and token.endswith(";"):
            pending.append(_unescape(token))
        else:
            pending.append(token)
    flush()
    return "".join(out)
