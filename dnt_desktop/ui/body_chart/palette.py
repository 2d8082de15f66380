"""Colours and line weights of the body chart (shared by the figure and its legend)."""

from __future__ import annotations

from PySide6.QtGui import QColor

SUPERFICIAL = QColor("#1e6fd9")
"""Marker fill of a superficial point (10 mm or less)."""
DEEP = QColor("#e0531f")
"""Marker fill of a deep point."""
UNKNOWN_DEPTH = QColor("#7a8591")

FIGURE_FILL = QColor("#eef2f6")
FIGURE_STROKE = QColor("#4f5d6b")
DETAIL_STROKE = QColor("#a3afbb")
REGION_HOVER = QColor(31, 95, 153, 40)
REGION_HOVER_STROKE = QColor(31, 95, 153, 140)
AREA_HOVER = QColor(31, 95, 153, 55)
"""Over the region's shade: the muscle area a click would suggest first."""
LUNG_FILL = QColor(211, 47, 47, 46)
LUNG_STROKE = QColor(198, 40, 40, 170)
PROBLEM_RING = QColor("#c62828")
COPIED_RING = QColor("#b7791f")
"""A copied point not confirmed yet (amber, dotted: distinct from the red dashed problem)."""
SELECTED_RING = QColor("#111827")
SELECTED_HALO = QColor(255, 213, 79, 200)
TEXT = QColor("#1c2430")
MUTED_TEXT = QColor("#5a6675")
SIDE_MARK = QColor("#1f5f99")

OUTLINE_WIDTH = 1.6
DETAIL_WIDTH = 1.0


def depth_colour(depth_class: str | None) -> QColor:
    """The marker colour of a depth class."""
    if depth_class == "superficial":
        return SUPERFICIAL
    if depth_class == "deep":
        return DEEP
    return UNKNOWN_DEPTH
