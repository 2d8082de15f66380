"""Where the application's read-only resources live (no Qt here)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Return the ``resources`` directory.

    In an installed wheel the top-level ``resources/`` folder ships as
    ``dnt_desktop/resources``; in a source checkout (editable or dev) it is the
    repository's top-level ``resources/``.
    """
    packaged = _PACKAGE_DIR / "resources"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "resources"
