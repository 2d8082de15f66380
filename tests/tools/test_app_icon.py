"""The app's icon: an SVG for Linux menus and windows, and an ICO for Windows shortcuts."""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtGui import QImage

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


def test_the_ico_holds_the_svg_drawn_from_16_to_256_pixels() -> None:
    data = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = []
    for i in range(count):
        entry = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        width, height, length, offset = entry[0], entry[1], entry[6], entry[7]
        image = QImage.fromData(data[offset : offset + length], "PNG")
        side = width or 256
        assert (width, image.width(), image.height()) == (height, side, side)
        assert image.pixelColor(side // 5, side // 2).alpha() > 200  # the blue square
        sizes.append(side)
    assert {16, 32, 48, 256} <= set(sizes)
    assert (ICONS / "app.svg").is_file()
