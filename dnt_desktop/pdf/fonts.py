"""The embedded Unicode fonts (DejaVu Sans) and reportlab's resource-loading lock-down."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dnt_desktop.paths import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}


def harden_reportlab() -> None:
    """Refuse every URL reportlab might be asked to fetch (http, ftp, file:, data:...).

    Documents never pass user text to anything that loads a resource; this is the second
    lock. It must run before reportlab's first resource read, which binds these settings.
    """
    rl_config.trustedSchemes = []
    rl_config.trustedHosts = ["no-remote-resources.invalid"]


harden_reportlab()


def fonts_dir() -> Path:
    """Folder with the bundled TrueType fonts and their licence."""
    return resources_dir() / "fonts"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans regular and bold once; returns their names (regular, bold).

    ``<b>`` in paragraph markup selects the bold face.
    """
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT_BOLD if bold else FONT)
    return FONT, FONT_BOLD


def covers(text: str) -> bool:
    """Whether the regular face has a glyph for every character of *text*."""
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    glyphs = face.charToGlyph
    return all(ord(char) in glyphs for char in text)
