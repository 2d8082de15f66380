"""A canvas that knows the page count: "Page x of y" in the footer of every page."""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas

from dnt_desktop.services.aftercare.texts import fill_words

from .fonts import register_fonts
from .styles import MUTED
from .text import draw_string


def numbered_canvas(
    right: float, baseline: float, size: float = 7.8, words: str = "Page {page} of {pages}"
) -> type[Canvas]:
    """A canvasmaker writing "Page x of y" (*words*, in the sheet's language)
    right-aligned at (*right*, *baseline*).

    Pages are kept until the document is saved, when the total is known (two passes over
    the finished pages, one build).
    """
    register_fonts()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setFillColor(MUTED)
                text = fill_words(words, page=str(number), pages=str(total))
                draw_string(self, right, baseline, text, size, anchor="end")
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas
