"""The installed Qt binding must not corrupt the interpreter.

PySide6 6.12.0 returns None from void methods without taking a reference to it; under
Python 3.11 (where None is not immortal) every call then steals one, and after a few
thousand paints the interpreter aborts ('deallocating None'). pyproject.toml excludes it;
this test fails if an affected version is ever installed again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor, QImage, QPainter, QPen


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_the_reference_count_of_none(qapp) -> None:
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    pen = QPen(QColor("#000000"), 1)
    try:
        before = sys.getrefcount(None)
        for _ in range(500):
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawRect(1, 1, 4, 4)
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after - before > -50, f"None lost {before - after} references in 1500 void calls"
