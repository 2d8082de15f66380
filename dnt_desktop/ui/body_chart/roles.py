"""Item-data roles through which a table model hands its points to the body chart."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

_BASE = int(Qt.ItemDataRole.UserRole) + 100


class MarkerRole(IntEnum):
    """Roles the chart reads from column 0 of each row of its model (one row = one marker)."""

    VIEW = _BASE
    """"front" or "back"."""
    X = _BASE + 1
    """Normalised x (0..1 across the figure's box)."""
    Y = _BASE + 2
    """Normalised y (0..1 down the figure's box)."""
    DEPTH_CLASS = _BASE + 3
    """"superficial" or "deep": chooses the marker's colour."""
    SUMMARY = _BASE + 4
    """One line describing the point, shown as the marker's tooltip."""
    HAS_PROBLEM = _BASE + 5
    """True when the point cannot be saved as it is (drawn with a red ring)."""
    COPIED = _BASE + 6
    """True while the point is copied from an earlier session and not confirmed (drawn
    with an amber dotted ring)."""
