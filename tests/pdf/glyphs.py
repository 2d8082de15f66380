"""The glyphs a PDF of dnt-desktop draws, read back from its content streams, and HarfBuzz's
own shaping of a string to compare them with."""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pypdf
import uharfbuzz
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics

from dnt_desktop.pdf.fonts import FAMILIES, register_family
from dnt_desktop.pdf.shaping import FEATURES

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _faces() -> dict[str, object]:
    """PostScript name of every shipped face to reportlab's face (its glyph table)."""
    faces = {}
    for family in FAMILIES:
        register_family(family)
        for name in (family.regular, family.bold):
            face = pdfmetrics.getFont(name).face
            faces[face.name.decode("latin-1")] = face
    return faces


def _bytes(value: object) -> bytes:
    original = getattr(value, "get_original_bytes", None)
    return original() if original is not None else bytes(value)  # type: ignore[arg-type]


def drawn_glyphs(data: bytes) -> dict[str, list[int]]:
    """Per face (PostScript name), the glyph ids drawn with it, in drawing order.

    Codes are mapped back through the font's ToUnicode map (reportlab's subsets are one
    byte a glyph) to the character reportlab gave the glyph, then to the glyph id in the
    shipped font; code 0 is the subset's .notdef and reads as glyph 0.
    """
    faces = _faces()
    drawn: dict[str, list[int]] = defaultdict(list)
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        fonts = {}
        for key, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            codes = {}
            if "/ToUnicode" in font:
                text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                codes = {
                    int(c, 16): int(u, 16)
                    for c, u in _BFCHAR.findall(text.split("beginbfchar")[-1])
                }
            fonts[key] = (base, codes)
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts.get(operands[0])
                continue
            if operator == b"Tj":
                strings = [operands[0]]
            elif operator == b"TJ":
                strings = [item for item in operands[0] if not isinstance(item, int | float)]
            else:
                continue
            if current is None:
                continue
            base, codes = current
            face = faces.get(base)
            for string in strings:
                for code in _bytes(string):
                    char = codes.get(code) if code else None
                    glyph = face.charToGlyph.get(char, 0) if face and char else 0
                    drawn[base].append(glyph)
    return dict(drawn)


def harfbuzz_glyphs(text: str, face_name: str) -> list[int]:
    """HarfBuzz's glyph ids for *text* in the registered face *face_name* (reportlab's name),
    with the features the app shapes with, in visual order."""
    font = pdfmetrics.getFont(face_name)
    face = uharfbuzz.Face(uharfbuzz.Blob(font.face._ttf_data))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(face), buffer, FEATURES)
    return [info.codepoint for info in buffer.glyph_infos]


def postscript_name(face_name: str) -> str:
    """The PostScript name a registered face has in the PDF."""
    return pdfmetrics.getFont(face_name).face.name.decode("latin-1")


def contains(haystack: list[int], needle: list[int]) -> bool:
    """Whether *needle* occurs in *haystack* as a contiguous run."""
    return any(
        haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1)
    )
