"""The shipped Noto fonts made known to Qt, so that Bengali, Hindi, Arabic and Hebrew texts
show on screen (in the texts editor, the language lists) even where the computer has no
font for them."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

from dnt_desktop.paths import resources_dir

_FILES = (
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansDevanagari-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
)


@cache
def ensure_script_fonts() -> int:
    """Add the fonts to Qt's font database once (Qt falls back to them for those scripts);
    returns how many were added. Called by the windows that show texts in any language."""
    folder = resources_dir() / "fonts"
    return sum(QFontDatabase.addApplicationFont(str(folder / name)) >= 0 for name in _FILES)
