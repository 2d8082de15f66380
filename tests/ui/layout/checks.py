"""What a user at a small screen would notice, as checks on real widgets.

Each check returns a list of problems (empty when all is well), each naming the widget
and what is wrong, so that a failing test says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTableView,
    QToolBar,
    QWidget,
)

from dnt_desktop.ui.widgets.alert_banner import AlertBanner
from dnt_desktop.ui.widgets.combo_box import item_text_width
from dnt_desktop.ui.widgets.labels import plain_text


def describe(widget: QWidget) -> str:
    """A widget as a person would find it: its kind, name and text."""
    name = widget.objectName() or accessible_name(widget)
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}({name!r}, {str(text)[:40]!r})"


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader reads for *widget*."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def accessible_description(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Description) if interface is not None else ""


def shown(window: QWidget) -> Iterator[QWidget]:
    """Every widget of *window* a user can see now (not hidden, not behind a closed tab)."""
    for widget in window.findChildren(QWidget):
        if widget.isVisibleTo(window) and widget.isVisible() and widget.window() is window:
            yield widget


# --- the window on the screen ------------------------------------------------------------


def frame_problems(window: QWidget) -> list[str]:
    """The window's frame (title bar included) must lie inside the available screen."""
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if area.contains(frame):
        return []
    return [f"{describe(window)} frame {frame.getRect()} is not inside the screen {area.getRect()}"]


# --- text that does not fit ---------------------------------------------------------------


def _text_width(widget: QWidget, text: str) -> int:
    metrics = QFontMetrics(widget.font())
    return max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0)


def label_problems(window: QWidget) -> list[str]:
    """No label is cut off: one-line labels get their width, wrapped ones their height."""
    problems = []
    for label in shown(window):
        if not isinstance(label, QLabel) or not label.text().strip() or label.pixmap():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(
                    f"{describe(label)} needs {needed} px of height, has {label.height()}"
                )
        elif label.sizeHint().width() > label.width() + 1:
            problems.append(
                f"{describe(label)} needs {label.sizeHint().width()} px, has {label.width()}"
            )
    return problems


def button_problems(window: QWidget) -> list[str]:
    """Buttons, check boxes and radio buttons show their whole text."""
    problems = []
    for button in shown(window):
        if not isinstance(button, QPushButton | QCheckBox | QRadioButton):
            continue
        text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not text.strip():
            continue
        if isinstance(button, QPushButton):  # its text and a little padding
            needed = _text_width(button, text) + 12
        else:  # the box or circle, the gap and the text
            needed = button.sizeHint().width()
        if needed > button.width() + 1:
            problems.append(f"{describe(button)} needs {needed} px, has {button.width()}")
    for bar in shown(window):
        if isinstance(bar, QToolBar):
            extension = bar.findChild(QAbstractButton, "qt_toolbar_ext_button")
            if extension is not None and extension.isVisible():
                problems.append(f"tool bar {bar.windowTitle()!r} hides actions behind »")
    return problems


def header_problems(window: QWidget) -> list[str]:
    """Every shown column title fits its column."""
    problems = []
    for header in shown(window):
        if not isinstance(header, QHeaderView) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        if model is None:
            continue
        font = header.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionSize(section) == 0:
                continue
            title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            needed = max((metrics.horizontalAdvance(t) for t in title.splitlines()), default=0)
            if needed + 8 > header.sectionSize(section):
                problems.append(
                    f"column {title!r} needs {needed + 8} px, has {header.sectionSize(section)}"
                )
    return problems


def tab_problems(window: QWidget) -> list[str]:
    """Every tab shows its whole title, without scroll arrows."""
    problems = []
    for bar in shown(window):
        if not isinstance(bar, QTabBar):
            continue
        for index in range(bar.count()):
            if bar.tabRect(index).width() < bar.tabSizeHint(index).width():
                problems.append(f"tab {bar.tabText(index)!r} is shortened")
        if any(b.isVisible() for b in bar.findChildren(QAbstractButton)):
            problems.append(f"tab bar {accessible_name(bar)!r} needs scroll arrows")
    return problems


def combo_problems(window: QWidget, only: QComboBox | None = None) -> list[str]:
    """Each list (or *only* that one), when opened, is wide enough for its longest item,
    and never shortens an item in the middle."""
    problems = []
    for box in [only] if only is not None else shown(window):
        if not isinstance(box, QComboBox) or box.count() == 0:
            continue
        box.showPopup()
        QApplication.processEvents()
        width = box.view().viewport().width()
        box.hidePopup()
        needed = max(item_text_width(box, row) for row in range(box.count())) + 12
        if width < needed:
            problems.append(f"{describe(box)} list is {width} px wide, its items need {needed}")
        if box.view().textElideMode() == Qt.TextElideMode.ElideMiddle:
            problems.append(f"{describe(box)} would shorten items in the middle")
    return problems


def placeholder_problems(window: QWidget) -> list[str]:
    """An empty field shows its whole placeholder."""
    problems = []
    for edit in shown(window):
        if not isinstance(edit, QLineEdit) or edit.text() or not edit.placeholderText():
            continue
        if edit.parent() is not None and isinstance(edit.parent(), QComboBox):
            continue
        needed = _text_width(edit, edit.placeholderText()) + 12
        if needed > edit.width():
            problems.append(f"{describe(edit)} placeholder needs {needed} px, has {edit.width()}")
    return problems


def cell_problems(table: QTableView) -> list[str]:
    """Every row of *table* is tall enough for its wrapped cells (muscles, side effects):
    nothing in them is cut; only one-line free text may end in '…' (with a tooltip)."""
    problems = []
    model = table.model()
    for row in range(model.rowCount()):
        needed = table.sizeHintForRow(row)
        if needed > table.rowHeight(row) + 1:
            texts = [str(model.index(row, c).data() or "") for c in range(model.columnCount())]
            problems.append(f"row {texts[:3]} needs {needed} px, has {table.rowHeight(row)}")
    for column in range(model.columnCount()):
        if table.isColumnHidden(column):
            continue
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data() or "")
            words = [w for w in text.split() if w]
            widest = max((_text_width(table, w) for w in words), default=0)
            if widest + 8 > table.columnWidth(column):
                problems.append(f"a word of {text!r} is wider than its column")
    return problems


def banner_problems(window: QWidget) -> list[str]:
    """Every alert banner shows all of its text, unclipped by what it sits in."""
    problems = []
    for banner in shown(window):
        if not isinstance(banner, AlertBanner):
            continue
        if not banner.fully_shown():
            problems.append(
                f"alert banner is {banner.height()} px high, its text needs "
                f"{banner.heightForWidth(banner.width())}: {banner.visible_text()[:60]!r}"
            )
        visible = banner.visibleRegion().boundingRect()
        if visible.height() < banner.height() or visible.width() < banner.width():
            problems.append(f"alert banner is partly hidden ({visible.getRect()})")
    return problems


def text_problems(window: QWidget) -> list[str]:
    """Every check of text that does not fit, together."""
    return (
        label_problems(window)
        + button_problems(window)
        + header_problems(window)
        + tab_problems(window)
        + combo_problems(window)
        + placeholder_problems(window)
        + banner_problems(window)
    )


# --- what a screen reader finds -----------------------------------------------------------


def focusable(window: QWidget) -> list[QWidget]:
    """The controls Tab can reach in *window* now."""
    return [
        widget
        for widget in shown(window)
        if widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget.parent(), QAbstractItemView)  # cell editors
    ]


def accessibility_problems(window: QWidget) -> list[str]:
    """Named focusable controls, and labels whose name does not hide their text."""
    problems = []
    for widget in focusable(window):
        if not accessible_name(widget).strip():
            problems.append(f"{describe(widget)} can take the focus but has no accessible name")
    for label in shown(window):
        if not isinstance(label, QLabel) or not label.accessibleName():
            continue
        text = plain_text(label.text())
        if not text:
            continue
        exposed = accessible_name(label) + "\n" + accessible_description(label)
        if text not in exposed:
            problems.append(f"{describe(label)} exposes {exposed!r}, not its text {text!r}")
    return problems


def tab_chain(start: QWidget, forward: bool = True, limit: int = 200) -> list[QWidget]:
    """The widgets Tab (or Shift+Tab) visits from *start* until it comes back to it."""
    from PySide6.QtTest import QTest

    window = start.window()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen: list[QWidget] = []
    for _ in range(limit):
        focus = QApplication.focusWidget() or window
        key = Qt.Key.Key_Tab if forward else Qt.Key.Key_Backtab
        modifier = Qt.KeyboardModifier.NoModifier if forward else Qt.KeyboardModifier.ShiftModifier
        QTest.keyClick(focus, key, modifier)
        QApplication.processEvents()
        now = QApplication.focusWidget()
        if now is None or now is start or (seen and now is seen[0] and len(seen) > 1):
            break
        seen.append(now)
    return seen
