"""The embedded Unicode fonts (DejaVu Sans, then Noto for other scripts) and reportlab's
resource-loading lock-down."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dnt_desktop.paths import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@dataclass(frozen=True)
class Family:
    """A regular face and the face ``<b>`` selects (the same file when there is no bold)."""

    regular: str
    bold: str
    files: tuple[str, str]


FAMILIES: tuple[Family, ...] = (
    Family(FONT, FONT_BOLD, ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")),
    Family(
        "NotoSansBengali",
        "NotoSansBengali-Bold",
        ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    ),
    Family(
        "NotoSansDevanagari",
        "NotoSansDevanagari-Bold",
        ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    ),
    Family(
        "NotoSansArabic",
        "NotoSansArabic-Bold",
        ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ),
    Family(
        "NotoSansHebrew",
        "NotoSansHebrew-Bold",
        ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    ),
    Family("DroidSansFallback", "DroidSansFallback", ("DroidSansFallback-CJK.ttf",) * 2),
    Family("NotoEmoji", "NotoEmoji", ("NotoEmoji-Regular.ttf",) * 2),
)
"""Every shipped family, in the order a character looks for a font that draws it."""


def harden_reportlab() -> None:
    """Refuse every URL reportlab might be asked to fetch (http, ftp, file:, data:...).

    Documents never pass user text to anything that loads a resource; this is the second
    lock. It must run before reportlab's first resource read, which binds these settings.
    """
    rl_config.trustedSchemes = []
    rl_config.trustedHosts = ["no-remote-resources.invalid"]


harden_reportlab()


def fonts_dir() -> Path:
    """Folder with the bundled TrueType fonts and their licences."""
    return resources_dir() / "fonts"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans regular and bold once; returns their names (regular, bold).

    ``<b>`` in paragraph markup selects the bold face. The other scripts' fonts are
    registered on first use (:func:`register_family`): a sheet in English never reads
    them.
    """
    register_family(FAMILIES[0])
    return FONT, FONT_BOLD


@cache
def register_family(family: Family) -> Family:
    """Register *family*'s faces once, with ``<b>`` mapping to its bold face."""
    from . import shaping  # noqa: F401  (reportlab's shaping, fixed for mixed fonts)

    for name, filename in zip((family.regular, family.bold), family.files, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(family.regular, bold, italic, family.bold if bold else family.regular)
    return family


@cache
def coverage(family: Family) -> frozenset[int]:
    """The code points *family*'s regular face has a glyph for."""
    register_family(family)
    face = pdfmetrics.getFont(family.regular).face
    # Glyphs reportlab added for shaped clusters live in the private use area; they are
    # not characters a user can type.
    return frozenset(c for c in face.charToGlyph if not 0xE000 <= c <= 0xF8FF)


@cache
def coverage_chars(family: Family) -> frozenset[str]:
    """The characters *family*'s regular face has a glyph for."""
    return frozenset(chr(c) for c in coverage(family))


def family_of(font_name: str) -> Family:
    """The family a registered face name belongs to (DejaVu for an unknown name)."""
    for family in FAMILIES:
        if font_name in (family.regular, family.bold):
            return family
    return FAMILIES[0]


def covers(text: str) -> bool:
    """Whether the regular base face (DejaVu Sans) has a glyph for every character of *text*."""
    glyphs = coverage(FAMILIES[0])
    return all(ord(char) in glyphs for char in text)
