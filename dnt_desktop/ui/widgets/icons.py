"""The app's SVG icons from resources/icons (an empty icon when one is missing)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from dnt_desktop.paths import resources_dir


@cache
def icon(name: str) -> QIcon:
    """The icon resources/icons/*name*.svg."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
