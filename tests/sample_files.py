"""Small real files of each accepted kind, made here (no binary test data in the tree)."""

from __future__ import annotations

import io
import struct
import zlib


def png_bytes(
    width: int = 4, height: int = 3, colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "Referral letter") -> bytes:
    """A one-page PDF that says *text*."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
ELF_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00%PDF-1.4 pretending" + b"\x00" * 64
