"""The app-wide look: Fusion style, a calm light palette, readable fonts and a light stylesheet.

Colours that carry clinical meaning (danger, warning, ok) are defined here once and used by
the alert banner and the tables; the banner paints them itself so no stylesheet can hide it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 10.0
"""Base font size: readable at arm's length on a clinic PC, dense enough for 1366x768."""

ACCENT = "#1f5f99"
ACCENT_LIGHT = "#dbe8f5"
WINDOW = "#f3f5f8"
SURFACE = "#ffffff"
TEXT = "#1c2430"
MUTED_TEXT = "#5a6675"
BORDER = "#c9d1db"
ERROR_TEXT = "#b3261e"

DANGER_BACKGROUND = "#b71c1c"
DANGER_TEXT = "#ffffff"
WARNING_BACKGROUND = "#ffb300"
WARNING_TEXT = "#1a1a1a"
CAUTION_BACKGROUND = "#fff1b8"
CAUTION_TEXT = "#3d2f00"
OK_BACKGROUND = "#e3f2e6"
OK_TEXT = "#1b5e20"
DEMO_BACKGROUND = "#6a1b9a"
DEMO_TEXT = "#ffffff"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER};
    spacing: 4px; padding: 3px 6px; }}
QToolBar QToolButton {{ padding: 4px 8px; border-radius: 4px; }}
QToolBar QToolButton:hover {{ background: {ACCENT_LIGHT}; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QStatusBar QLabel {{ color: {MUTED_TEXT}; padding: 0 6px; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateEdit {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 4px 6px; }}
QComboBox {{ combobox-popup: 0; }}
QComboBox QAbstractItemView {{ background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER};
    selection-background-color: {ACCENT}; selection-color: white; outline: 0; }}
QComboBox QAbstractItemView::item {{ min-height: 22px; padding: 2px 6px; }}
QComboBox QAbstractItemView::item:selected, QComboBox QAbstractItemView::item:hover {{
    background: {ACCENT}; color: white; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus {{
    border: 1px solid {ACCENT}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 1px solid {ERROR_TEXT}; }}
QPushButton {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    padding: 5px 14px; min-height: 18px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 1px solid {ACCENT}; }}
QPushButton:default, QPushButton[primary="true"] {{ background: {ACCENT}; color: white;
    border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa4b0; background: #eef1f4; border-color: #dde2e8; }}
QGroupBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
    margin-top: 14px; padding: 10px 8px 8px 8px; font-weight: bold; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {ACCENT}; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE};
    top: -1px; }}
QTabBar::tab {{ background: #e6eaef; border: 1px solid {BORDER}; border-bottom: none;
    padding: 6px 14px; margin-right: 2px; border-top-left-radius: 4px;
    border-top-right-radius: 4px; color: {TEXT}; }}
QTabBar::tab:selected {{ background: {SURFACE}; font-weight: bold; color: {ACCENT}; }}
QTabBar::tab:hover:!selected {{ background: {ACCENT_LIGHT}; }}
QTableView {{ background: {SURFACE}; alternate-background-color: #f6f8fb;
    border: 1px solid {BORDER}; gridline-color: #e3e7ec;
    selection-background-color: {ACCENT}; selection-color: white; }}
QHeaderView::section {{ background: #e9edf2; border: none; border-right: 1px solid {BORDER};
    border-bottom: 1px solid {BORDER}; padding: 5px 6px; font-weight: bold; color: {TEXT}; }}
QLabel[role="error"] {{ color: {ERROR_TEXT}; font-weight: bold; }}
QLabel[role="hint"] {{ color: {MUTED_TEXT}; }}
QLabel[role="heading"] {{ font-size: 15pt; font-weight: bold; color: {TEXT}; }}
QLabel[role="subheading"] {{ color: {MUTED_TEXT}; }}
QLabel[role="section"] {{ font-weight: bold; color: {ACCENT}; }}
QLabel[role="placeholder"] {{ color: {MUTED_TEXT}; font-size: 12pt; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QTabWidget QScrollArea, QTabWidget QScrollArea > QWidget > QWidget {{ background: transparent; }}
QSplitter::handle {{ background: {BORDER}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
"""


def palette() -> QPalette:
    """A light palette with the clinic-blue accent."""
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f8fb"))
    pal.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Button, QColor(SURFACE))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffe8"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a94a0"))
    pal.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa4b0"))
    return pal


def base_font() -> QFont:
    """The application font at the base size."""
    font = QFont(QApplication.font())
    font.setPointSizeF(BASE_POINT_SIZE)
    return font


def apply_style(app: QApplication) -> None:
    """Give *app* the dnt-desktop look (idempotent)."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    app.setFont(base_font())
    app.setStyleSheet(STYLESHEET)
