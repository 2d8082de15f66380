"""Where files the user saves are offered by default: their Documents folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents_folder() -> Path:
    """The user's Documents folder (created when missing), or the home folder.

    Never the program's own folder, where a file dialog opens when given a folder that
    does not exist.
    """
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if location:
        folder = Path(location)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Path.home()
        return folder
    return Path.home()
