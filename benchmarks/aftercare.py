"""The aftercare PDF of a 10-point session (front and back charts) beside a bare
reportlab document with the same text and no figure, both with the fonts registered."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from dnt_desktop.pdf import render_aftercare
from dnt_desktop.pdf.styles import styles
from dnt_desktop.services.aftercare import load_sheet, longest_sheet
from dnt_desktop.storage.engine import Database

from .results import Figure, Goal
from .timing import elapsed_ms, paired

GOAL = Goal("<= 3x floor; < 150 ms", max_ratio=3.0, max_value=150.0)


def pdf_text(data: bytes) -> list[str]:
    """The text lines of a PDF, page after page."""
    reader = PdfReader(BytesIO(data))
    return [
        line.strip()
        for page in reader.pages
        for line in (page.extract_text() or "").splitlines()
        if line.strip()
    ]


def bare_document(lines: list[str]) -> bytes:
    """A plain reportlab document: one paragraph per line, the sheet's body style."""
    buffer = BytesIO()
    style = styles().body
    document = SimpleDocTemplate(buffer, pagesize=A4)
    document.build([Paragraph(escape(line), style) for line in lines])
    return buffer.getvalue()


def aftercare_figure(db: Database, patients: int, session_id: int, repeat: int) -> Figure:
    """Load the sheet's data and render its PDF, beside the bare document."""
    sheet = load_sheet(db, session_id)
    if len(sheet.points) != 10 or {p.charted.view for p in sheet.points} != {"front", "back"}:
        raise RuntimeError(f"session {session_id} is not a 10-point session on both views")
    lines = pdf_text(render_aftercare(sheet))  # also registers the fonts: both run warm

    def app() -> bytes:
        return render_aftercare(load_sheet(db, session_id))

    samples, floor = paired(repeat, app, lambda: bare_document(lines))
    load = sorted(elapsed_ms(lambda: load_sheet(db, session_id)) for _ in range(5))[2]
    pages = len(PdfReader(BytesIO(app())).pages)
    return Figure(
        key="aftercare_pdf",
        title="aftercare PDF (10 points, front and back)",
        size=patients,
        samples=samples,
        floor=floor,
        floor_title="bare reportlab document, same text, no figure",
        goal=GOAL,
        detail=f"{pages} page(s); reading the sheet's data takes {load:.1f} ms of it",
        extra={"load_sheet_ms": load},
    )


LONGEST_GOAL = Goal("< 1000 ms", max_value=1000.0)


def longest_sheet_figure(patients: int, repeat: int) -> Figure:
    """Render the largest sheet the text limits allow (every printed field at its limit),
    beside a bare document with the same text: any sheet renders in under a second."""
    sheet = longest_sheet()
    lines = pdf_text(render_aftercare(sheet))
    samples, floor = paired(repeat, lambda: render_aftercare(sheet), lambda: bare_document(lines))
    pages = len(PdfReader(BytesIO(render_aftercare(sheet))).pages)
    return Figure(
        key="aftercare_pdf_longest",
        title="aftercare PDF, every printed field at its limit",
        size=patients,
        samples=samples,
        floor=floor,
        floor_title="bare reportlab document, same text, no figure",
        goal=LONGEST_GOAL,
        detail=f"{pages} page(s), {len(sheet.points)} points, text as long as the limits allow",
    )
