"""The pain graph of the chart: pain before and after each session (Qt Charts)."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from dnt_desktop.services.dates import format_datetime, local
from dnt_desktop.services.progress.pain_trend import PainPoint, PainTrend

BEFORE = QColor("#17506E")
AFTER = QColor("#C0662B")


class PainChart(QChartView):
    """Pain (0-10) against the sessions' dates; ``show_trend`` draws a patient's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pain over time")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(250)
        self.trend: PainTrend | None = None
        self._by_stamp: dict[float, PainPoint] = {}
        self.before = QLineSeries()
        self.after = QLineSeries()
        self.setChart(QChart())

    def show_trend(self, trend: PainTrend) -> None:
        """Draw *trend* (a new chart each time: series and axes of this patient only)."""
        self.trend = trend
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.before = QLineSeries()
        self.before.setName("Pain before the session")
        self.after = QLineSeries()
        self.after.setName("Pain after the session")
        for series, colour, style in (
            (self.before, BEFORE, Qt.PenStyle.SolidLine),
            (self.after, AFTER, Qt.PenStyle.DashLine),
        ):
            pen = QPen(colour, 2)
            pen.setStyle(style)
            series.setPen(pen)
            series.setPointsVisible(True)
        stamps = []
        self._by_stamp = {}
        for point in trend.with_pain:
            stamp = QDateTime(local(point.started_at)).toMSecsSinceEpoch()
            stamps.append(stamp)
            self._by_stamp[stamp] = point
            if point.pain_before is not None:
                self.before.append(stamp, point.pain_before)
            if point.pain_after is not None:
                self.after.append(stamp, point.pain_after)
        chart.addSeries(self.before)
        chart.addSeries(self.after)
        for series in (self.before, self.after):
            series.hovered.connect(self._hovered)
        x_axis = QDateTimeAxis()
        if stamps:
            low, high = min(stamps), max(stamps)
            if low == high:
                low, high = low - 86_400_000, high + 86_400_000
            x_axis.setRange(QDateTime.fromMSecsSinceEpoch(low), QDateTime.fromMSecsSinceEpoch(high))
            span_days = (high - low) / 86_400_000
            x_axis.setFormat("d MMM yyyy" if span_days > 180 else "d MMM")
        x_axis.setTickCount(6)
        y_axis = QValueAxis()
        y_axis.setRange(0, 10)
        y_axis.setTickCount(6)
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("Pain 0-10")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.before, self.after):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def describe_point(self, stamp: float) -> str:
        """What the tooltip of a session's point says: date, pain, conditions."""
        nearest = min(self._by_stamp, key=lambda known: abs(known - stamp), default=None)
        if nearest is None:
            return ""
        point = self._by_stamp[nearest]
        pain = " → ".join(
            "–" if value is None else f"{value}/10"
            for value in (point.pain_before, point.pain_after)
        )
        conditions = ", ".join(point.conditions) or "no condition recorded"
        return f"{format_datetime(point.started_at)}: pain {pain}\n{conditions}"

    def _hovered(self, position: QPointF, state: bool) -> None:
        if state:
            QToolTip.showText(QCursor.pos(), self.describe_point(position.x()), self)
        else:
            QToolTip.hideText()

    def points(self) -> list[tuple[float, float, float | None]]:
        """What is drawn: (time in ms, pain before, pain after or None) per session."""
        after = {p.x(): p.y() for p in self.after.points()}
        return [(p.x(), p.y(), after.get(p.x())) for p in self.before.points()]
