"""Write ``resources/icons/app.ico`` (for Windows shortcuts) from ``resources/icons/app.svg``.

Windows shortcuts cannot show an SVG, so the app's icon also ships as an ICO holding PNG
images of 16 to 256 pixels (the format Windows Vista and later read). Run after changing
the SVG and commit both::

    python tools/make_app_icon.py

Needs PySide6 (Qt draws the SVG).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_images(svg: Path) -> list[tuple[int, bytes]]:
    """The SVG drawn at every size, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QGuiApplication, QIcon

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    icon = QIcon(str(svg))
    images = []
    for size in SIZES:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        icon.pixmap(size, size).toImage().save(buffer, "PNG")
        images.append((size, bytes(buffer.data())))
    return images


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file (ICONDIR, one ICONDIRENTRY per image, then the PNG data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        data += png
        offset += len(png)
    return header + entries + data


def main() -> None:
    """Write app.ico beside app.svg."""
    target = ICONS / "app.ico"
    target.write_bytes(ico_bytes(png_images(ICONS / "app.svg")))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
