"""Administration > Lung-risk depth limits…: the clinic's maximum depth and needle length
over each lung-risk muscle, per BMI band (the shipped defaults until the clinic changes
them; each change is audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.rules import describe_problems
from dnt_desktop.services.safety.limit_settings import limit_rows, set_limits
from dnt_desktop.services.safety.lung_limits import DepthLimit, bands
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit
from dnt_desktop.ui.widgets.window_size import place_window


class LungLimitsDialog(QDialog):
    """One row per lung-risk muscle; per BMI band two cells: max depth, longest needle (mm)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lung_limits_dialog")
        self.setWindowTitle("Lung-risk depth limits")
        self.rows = limit_rows(ctx.db)
        self.muscles = list(dict.fromkeys((r.muscle_code, r.muscle_name) for r in self.rows))
        self.bands = bands()
        intro = QLabel(
            "<b>The clinic's own setting.</b> Over each muscle near the lung or pleura, the "
            "deepest advised insertion and the longest needle for a patient's BMI band. A deep "
            "point beyond them raises a danger alert that must be confirmed, and is named on the "
            "aftercare sheet; without height and weight the leftmost (leanest) band applies. "
            "The shipped values are conservative defaults from the clinical reference "
            "(rhomboids about 19 mm; pleura 10-20 mm under the upper trapezius in lean "
            "patients); changed values are shown in bold."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.muscles), 2 * len(self.bands))
        self.table.setObjectName("lung_limits_table")
        self.table.setAccessibleName("Depth limits per muscle and BMI band")
        short = {
            b.code: b.label.replace("under ", "<").replace(" to <", "–").replace(" or more", "+")
            for b in self.bands
        }
        self.table.setHorizontalHeaderLabels(
            [f"{short[b.code]}\n{what}" for b in self.bands for what in ("depth", "needle")]
        )
        for column in range(self.table.columnCount()):
            band = self.bands[column // 2]
            what = "deepest advised insertion" if column % 2 == 0 else "longest needle"
            self.table.horizontalHeaderItem(column).setToolTip(f"{band.label}: {what} (mm)")
        self.table.setVerticalHeaderLabels([name for _code, name in self.muscles])
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        by_key = {(r.muscle_code, r.band_code): r for r in self.rows}
        for i, (code, _name) in enumerate(self.muscles):
            for j, band in enumerate(self.bands):
                row = by_key[(code, band.code)]
                for k, value in enumerate((row.limit.max_depth_mm, row.limit.max_needle_length_mm)):
                    item = QTableWidgetItem(f"{value:g}")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    default = (row.default.max_depth_mm, row.default.max_needle_length_mm)[k]
                    item.setToolTip(f"Shipped default: {default:g} mm")
                    if value != default:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                        item.setForeground(QColor("#17506E"))
                    self.table.setItem(i, 2 * j + k, item)
        self.table.resizeColumnsToContents()
        bold = self.table.horizontalHeader().font()
        bold.setBold(True)  # the style draws titles bold: each column fits its bold title
        metrics = QFontMetrics(bold)
        for column in range(self.table.columnCount()):
            title = self.table.horizontalHeaderItem(column).text()
            needed = max(metrics.horizontalAdvance(t) for t in title.splitlines()) + 16
            if self.table.columnWidth(column) < needed:
                self.table.setColumnWidth(column, needed)
        self.message = error_label()
        self.message.setObjectName("lung_limits_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.placement = place_window(self, "lung_limits", 1240, 660)

    def values(self) -> dict[tuple[str, str], DepthLimit] | None:
        """What the table holds; None (and a message) when a cell is not a number."""
        values = {}
        for i, (code, name) in enumerate(self.muscles):
            for j, band in enumerate(self.bands):
                numbers = []
                for k in range(2):
                    text = self.table.item(i, 2 * j + k).text().strip().replace(",", ".")
                    try:
                        numbers.append(float(text))
                    except ValueError:
                        self._fail(f"{name}, {band.label}: '{text}' is not a number of mm.")
                        return None
                values[(code, band.code)] = DepthLimit(numbers[0], numbers[1])
        return values

    def _fail(self, text: str) -> None:
        self.message.setText(f"Not saved: {text}")
        self.message.setVisible(True)
        grow_dialog_to_fit(self.message)

    def save(self) -> bool:
        """Store the limits (audited) and close; a bad value keeps the dialog open."""
        values = self.values()
        if values is None:
            return False
        try:
            changes = set_limits(self.ctx.db, self.ctx.practitioner_id, values)
        except ValidationError as exc:
            self._fail(describe_problems(exc.problems))
            return False
        except (ServiceError, StorageError) as exc:
            self._fail(str(exc))
            return False
        self.ctx.hub.publish(changes)
        self.accept()
        return True
