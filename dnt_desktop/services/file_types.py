"""What a file is, judged by its first bytes (its "magic"), never by its name.

Only the three kinds a clinic scans or photographs are accepted: PDF, JPEG and PNG. A
file of any other content (a program, a script, an office document, an SVG that may run
script) is refused whatever its name says.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
"""The largest file kept (20 MiB: a multi-page scan at 300 dpi fits comfortably)."""


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: its MIME type, the name users know it by, its suffix."""

    mime: str
    label: str
    suffix: str


PDF = FileType("application/pdf", "PDF document", ".pdf")
JPEG = FileType("image/jpeg", "JPEG image", ".jpg")
PNG = FileType("image/png", "PNG image", ".png")
ACCEPTED = (PDF, JPEG, PNG)
BY_MIME = {kind.mime: kind for kind in ACCEPTED}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PDF_SIGNATURE = b"%PDF-"


def sniff(data: bytes) -> FileType | None:
    """The accepted kind *data* is (by its content), or None."""
    if data.startswith(_PNG_SIGNATURE) and len(data) > len(_PNG_SIGNATURE) + 8:
        return PNG if data[12:16] == b"IHDR" else None
    if data.startswith(_JPEG_SIGNATURE) and len(data) > 4:
        return JPEG
    if data.startswith(_PDF_SIGNATURE):  # strict: no leading bytes, so no polyglot program
        return PDF
    return None


def size_text(size: int) -> str:
    """A byte count as people read it: 812 bytes, 45 KB, 3.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def refusal(name: str, data: bytes, limit: int = MAX_ATTACHMENT_BYTES) -> str | None:
    """Why the file *name* with *data* cannot be attached (None when it can)."""
    if not data:
        return f"{name} is empty. Choose the scanned file itself."
    if len(data) > limit:
        return (
            f"{name} is {size_text(len(data))}; files up to {size_text(limit)} can be "
            "attached. Scan it again at a lower resolution (200 dpi is enough to read "
            "a letter) or save it as a smaller PDF."
        )
    if sniff(data) is None:
        return (
            f"{name} is not a PDF, JPEG or PNG file (judged by its content, not its name), "
            "so it was not attached. Scan or save the document as PDF, JPEG or PNG."
        )
    return None
