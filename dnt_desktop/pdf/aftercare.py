"""The aftercare sheet handed to the patient after a session, as PDF bytes."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from dnt_desktop.models.enums import PageSize
from dnt_desktop.services.aftercare import AftercareSheet
from dnt_desktop.services.aftercare.wording import sheet_date
from dnt_desktop.services.dates import local

from .canvas import numbered_canvas
from .columns import TwoColumns, kept
from .fallback import collecting_missing
from .letterhead import FOOTER_BASELINE, letterhead, page_decorator, patient_box
from .markup import clean
from .sections import Writer

MARGIN = 18 * mm
TOP_MARGIN = 13 * mm
LATER_TOP_MARGIN = 16 * mm
BOTTOM_MARGIN = 17 * mm
PAGE_SIZES = {PageSize.A4: A4, PageSize.LETTER: LETTER}


def _story(sheet: AftercareSheet, width: float) -> list[Flowable]:
    write = Writer(sheet, width)
    story: list[Flowable] = [*letterhead(sheet, width)]
    story += write.blocks("title", style="title")
    story.append(patient_box(sheet, width))
    story += write.blocks("intro", space_before=9)
    urgent = [Spacer(1, 2 * mm), write.lung_box()] if sheet.lung_risk else []
    story += kept(write.treated(urgent))
    advice = [
        write.what_to_expect(),
        write.self_care(),
        write.side_effects(),
        write.seek_help(),
        write.next_appointment(),
        write.blocks("closing", style="closing"),
    ]
    story.append(TwoColumns(advice, gap=7 * mm, space_before=6))
    return story


def _frame(page: tuple[float, float], top: float) -> Frame:
    width, height = page
    return Frame(
        MARGIN,
        BOTTOM_MARGIN,
        width - 2 * MARGIN,
        height - top - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


@dataclass(frozen=True)
class AftercarePdf:
    """A rendered sheet and the characters no shipped font could draw (printed as �)."""

    data: bytes
    missing: tuple[str, ...] = ()

    def missing_warning(self) -> str:
        """What to tell the user about characters that could not be drawn ('' if none)."""
        if not self.missing:
            return ""
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in self.missing[:12])
        more = f" and {len(self.missing) - 12} more" if len(self.missing) > 12 else ""
        return (
            f"Some characters could not be drawn and print as �: {shown}{more}. No font "
            "shipped with dnt-desktop has them; check the names and texts on the sheet."
        )


def build_aftercare(sheet: AftercareSheet) -> AftercarePdf:
    """The sheet as a PDF, with the characters that could not be drawn."""
    with collecting_missing() as missing:
        data = render_aftercare(sheet)
    return AftercarePdf(data, tuple(sorted(missing)))


def render_aftercare(sheet: AftercareSheet) -> bytes:
    """The sheet as a PDF: letterhead, what was treated, advice and warnings.

    Only user text escaped by :mod:`.markup` reaches Platypus; nothing is loaded from a
    file or address the user typed.
    """
    page = PAGE_SIZES.get(sheet.clinic.page_size, A4)
    buffer = BytesIO()
    date = sheet_date(sheet.text, local(sheet.started_at).date())
    title = " ".join(sheet.text("document_title").split())
    first, later = page_decorator(sheet, MARGIN)
    document = BaseDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=f"{title} – {clean(' '.join(sheet.patient_name.split()))} – {date}",
        author=clean(sheet.clinic.name) or "dnt-desktop",
        subject="Aftercare advice after dry needling",
        creator="dnt-desktop",
        lang=sheet.text_set.code,
        pageTemplates=[
            PageTemplate(
                "first", [_frame(page, TOP_MARGIN)], onPage=first, autoNextPageTemplate="later"
            ),
            PageTemplate("later", [_frame(page, LATER_TOP_MARGIN)], onPage=later),
        ],
    )
    document.build(
        _story(sheet, page[0] - 2 * MARGIN),
        canvasmaker=numbered_canvas(
            page[0] - MARGIN, FOOTER_BASELINE, words=sheet.text("page_number")
        ),
    )
    return buffer.getvalue()
