"""Paragraphs and canvas strings that print any script: fonts per run, shaping, RTL.

Every piece of text of the sheet goes through here: :class:`Paragraph` for flowing text
and :func:`draw_string` for the running header, footer, page numbers and chart captions.
Text that needs neither another font nor shaping (an English sheet) is passed to
reportlab exactly as before.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as _Paragraph

from .fallback import markup_in_fonts, needs_shaping, plain, runs
from .fonts import FAMILIES, family_of

_shaped_styles: dict[int, ParagraphStyle] = {}


def shaped(style: ParagraphStyle) -> ParagraphStyle:
    """*style* with HarfBuzz shaping on (one copy per style)."""
    copy = _shaped_styles.get(id(style))
    if copy is None or copy.parent is not style:
        copy = ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)
        _shaped_styles[id(style)] = copy
    return copy


class Paragraph(_Paragraph):
    """A Platypus paragraph whose text is set in the shipped font that draws each run."""

    def __init__(
        self, text: str | None, style: ParagraphStyle, *args: object, **kwargs: object
    ) -> None:
        if text is not None:  # None: a part of a split paragraph, already converted
            family = family_of(style.fontName)
            text = markup_in_fonts(text, bold=style.fontName == family.bold != family.regular)
            if needs_shaping(text):
                style = shaped(style)
        super().__init__(text, style, *args, **kwargs)


def _pieces(text: str, bold: bool, size: float) -> list[tuple[str, str, float]]:
    """(text, face, width) of each run of *text*, left to right; complex text is shaped
    here (HarfBuzz glyphs in visual order), since reportlab's canvas strings shape only
    with its optional bidi package."""
    if plain(text):
        face = FAMILIES[0].bold if bold else FAMILIES[0].regular
        return [(text, face, stringWidth(text, face, size))]
    pieces = []
    for run in runs(text):
        face = run.family.bold if bold else run.family.regular
        words = [run.text]
        if run.rtl and any(c.isdigit() for c in run.text):
            words = " ".join(reversed(run.text.split(" "))).split(" ")
            words = [w + " " for w in words[:-1]] + words[-1:]
        for word in words:
            if needs_shaping(word):
                shaped_word = shapeStr(word, face, size)
                if isinstance(shaped_word, ShapedStr):
                    width = sum(d.x_advance for d in shaped_word.__shapeData__) * size / 1000
                    pieces.append((shaped_word, face, width))
                    continue
            pieces.append((word, face, stringWidth(word, face, size)))
    return pieces


def string_width(text: str, size: float, bold: bool = False) -> float:
    """The width *text* takes when drawn by :func:`draw_string`."""
    return sum(piece[2] for piece in _pieces(text, bold, size))


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    anchor: str = "start",
) -> float:
    """Draw *text* on one line at (*x*, *y*), starting, ending or centred there; returns
    its width. The fill colour is the canvas's."""
    pieces = _pieces(text, bold, size)
    width = sum(piece[2] for piece in pieces)
    if anchor == "end":
        x -= width
    elif anchor == "middle":
        x -= width / 2
    for word, face, piece_width in pieces:
        canvas.setFont(face, size)
        canvas.drawString(x, y, word)
        x += piece_width
    return width
