"""Where each piece of text of a PDF is drawn: the signature an unchanged sheet keeps.

``DNT_WRITE_LAYOUT=1 pytest tests/pdf/test_english_sheet_unchanged.py`` rewrites
``data/english_sheet_layout.json`` from the current code: only when the English sheet was
changed on purpose.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf

BASELINE = Path(__file__).with_name("data") / "english_sheet_layout.json"


def text_layout(data: bytes) -> list[list[list[object]]]:
    """Per page, every text piece as [x, y, font size, text], top to bottom, left to right."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        pieces: list[list[object]] = []

        def visit(text, cm, tm, font, size, pieces=pieces):  # type: ignore[no-untyped-def]
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] * cm[0]) or 1
            pieces.append([round(x, 1), round(y, 1), round(size * scale, 2), text.rstrip("\n")])

        page.extract_text(visitor_text=visit)
        pieces.sort(key=lambda p: (-p[1], p[0]))
        pages.append(pieces)
    return pages


def dump(layout: list[list[list[object]]]) -> str:
    """The layout as JSON, one text piece a line (readable diffs)."""
    pages = [
        "[\n" + ",\n".join(json.dumps(piece, ensure_ascii=False) for piece in page) + "\n]"
        for page in layout
    ]
    return "[\n" + ",\n".join(pages) + "\n]\n"


def load_baseline() -> list[list[list[object]]]:
    """The stored layout of the English sheet."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))
