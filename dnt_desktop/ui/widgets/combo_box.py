"""A combo box whose list is always wide enough for its longest item.

Qt's list elides what does not fit in the middle of the text ("Extensor car...ialis
longus"), which can make two muscles indistinguishable. This list is widened to its
longest item whenever it opens (never beyond the screen), and what still does not fit
is shortened at the end, with the whole text in the item's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QStyle, QWidget

from .window_size import available_area

ITEM_PADDING = 12 + 8
"""The stylesheet's item padding (6 px each side) plus the list's frame and margins."""


def item_text_width(box: QComboBox, row: int) -> int:
    """The width of item *row*'s text in the font it is shown in."""
    font = box.itemData(row, Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font if isinstance(font, QFont) else box.view().font())
    return metrics.horizontalAdvance(box.itemText(row))


def popup_width(box: QComboBox) -> int:
    """The list width that shows every item of *box* whole."""
    widest = max((item_text_width(box, row) for row in range(box.count())), default=0)
    icon = (
        box.iconSize().width() + 4
        if any(not box.itemIcon(r).isNull() for r in range(box.count()))
        else 0
    )
    scroll = box.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    return widest + icon + ITEM_PADDING + scroll


class WideComboBox(QComboBox):
    """A QComboBox whose popup list fits its longest item (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view().setTextElideMode(Qt.TextElideMode.ElideRight)

    def fit_popup(self) -> int:
        """Widen the list to its longest item (within the screen); returns the width."""
        room = available_area(self).width() - 16
        width = min(max(popup_width(self), self.width()), room)
        self.view().setMinimumWidth(width)
        model = self.model()
        if isinstance(model, QStandardItemModel):
            for row in range(self.count()):
                item = model.item(row)
                if item is not None and not item.toolTip():
                    item.setToolTip(item.text())
        return width

    def showPopup(self) -> None:
        self.fit_popup()
        super().showPopup()
