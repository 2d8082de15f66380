"""The clinic's rates with their 95% intervals against the published rates (Qt Charts).

Each category is a row: a line from the interval's lower to its upper end, a dot at the
clinic's rate, and a marker for each study's published rate. The axes are Qt Charts' own
(a value axis in percent, a category axis naming the rows).
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from dnt_desktop.services.safety import published
from dnt_desktop.services.safety.report import CategoryRow, SafetyReport

CLINIC = QColor("#17506E")
STUDY_COLOURS = (QColor("#C77700"), QColor("#2E7D32"))


def chart_rows(report: SafetyReport) -> list[CategoryRow]:
    """The rows the chart shows: those with events or a published rate."""
    return [
        r
        for r in (*report.categories, *report.totals)
        if r.rate.percent is not None and (r.rate.events or r.published)
    ]


class RatesChart(QChartView):
    """The forest plot of one report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safety_rates_chart")
        self.setAccessibleName("Chart of the clinic's rates against the published rates")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.shown: list[CategoryRow] = []
        self.setChart(QChart())

    def show_report(self, report: SafetyReport) -> None:
        """Draw *report* (an empty chart when it has no treatments)."""
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        rows = list(reversed(chart_rows(report)))
        self.shown = rows
        x_axis = QValueAxis()
        x_axis.setTitleText("Rate per 100 treatments (%)")
        x_axis.setLabelFormat("%g")
        y_axis = QCategoryAxis()
        y_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for index, row in enumerate(rows):
            y_axis.append(row.label, index + 0.5)
        y_axis.setRange(0, max(len(rows), 1))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top = 1.0
        clinic = QScatterSeries()
        clinic.setName("Clinic (line: 95% interval)")
        clinic.setColor(CLINIC)
        clinic.setBrush(CLINIC)
        clinic.setBorderColor(QColor("#ffffff"))
        clinic.setMarkerSize(9)
        for index, row in enumerate(rows):
            y = index + 0.5
            interval = QLineSeries()
            pen = QPen(CLINIC)
            pen.setWidthF(2.2)
            interval.setPen(pen)
            interval.append(QPointF(row.rate.low or 0.0, y))
            interval.append(QPointF(row.rate.high or 0.0, y))
            chart.addSeries(interval)
            interval.attachAxis(x_axis)
            interval.attachAxis(y_axis)
            clinic.append(QPointF(row.rate.percent or 0.0, y))
            top = max(top, row.rate.high or 0.0)
        chart.addSeries(clinic)
        clinic.attachAxis(x_axis)
        clinic.attachAxis(y_axis)
        shapes = (QScatterSeries.MarkerShape.MarkerShapeRectangle,) * 2
        for study, colour, shape in zip(published.studies(), STUDY_COLOURS, shapes, strict=False):
            series = QScatterSeries()
            series.setName(f"{study.short} (published)")
            series.setColor(colour)
            series.setBrush(colour)
            series.setBorderColor(colour)
            series.setMarkerShape(shape)
            series.setMarkerSize(8 if study.code == "brady2014" else 7)
            for index, row in enumerate(rows):
                if study.code in row.published:
                    value = row.published[study.code].percent
                    series.append(QPointF(value, index + 0.5))
                    top = max(top, value)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        for marker in chart.legend().markers():
            if isinstance(marker.series(), QLineSeries):  # the intervals: one line each
                marker.setVisible(False)
        x_axis.setRange(0, top * 1.08)
        x_axis.applyNiceNumbers()
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
