"""A made-up handwritten signature as a PNG, for the demo's signed consent forms."""

from __future__ import annotations

import math
import struct
import zlib


def signature_png(seed: int = 1, width: int = 360, height: int = 90) -> bytes:
    """A looping stroke in dark ink on white (a grayscale PNG)."""
    pixels = bytearray(b"\xff" * (width * height))
    phase = seed * 0.7
    for step in range(4000):
        t = step / 4000
        x = 14 + t * (width - 28)
        y = height / 2 + math.sin(t * 19 + phase) * 22 * (1 - t * 0.5) + math.cos(t * 7) * 8
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                px, py = int(x) + dx, int(y) + dy
                if 0 <= px < width and 0 <= py < height:
                    pixels[py * width + px] = 0x22
    rows = b"".join(b"\x00" + bytes(pixels[r * width : (r + 1) * width]) for r in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
