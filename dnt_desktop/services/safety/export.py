"""The Safety report as CSV: one row per category with its rate, interval and the
published rates (the PDF is ``pdf.safety_report``)."""

from __future__ import annotations

import csv
import io

from . import published
from .report import CategoryRow, SafetyReport
from .stats import Comparison

HEADER = (
    "category",
    "label",
    "events",
    "treatments",
    "rate_percent",
    "ci95_low_percent",
    "ci95_high_percent",
    "interval",
    *(f"{s.code}_percent" for s in published.studies()),
    "compared",
    "period_from",
    "period_to",
    "scope",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def compared_text(row: CategoryRow, too_few: bool) -> str:
    """'above Brady 2014', 'not above', 'too few to compare' or 'no published rate'."""
    if not row.published:
        return "no published rate"
    if too_few:
        return "too few to compare"
    if row.above:
        return "above " + " and ".join(row.above)
    if all(c == Comparison.NO_REFERENCE for c in row.comparisons.values()):
        return "no published rate"
    return "not above"


def report_csv(report: SafetyReport) -> str:
    """The report's categories and totals as CSV text (UTF-8, comma-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in (*report.categories, *report.totals):
        value = row.rate
        writer.writerow(
            (
                row.code,
                row.label,
                value.events,
                value.treatments,
                _number(value.percent),
                _number(value.low),
                _number(value.high),
                "rule of three" if value.rule_of_three else ("Wilson 95%" if value.percent else ""),
                *(
                    _number(row.published[s.code].percent) if s.code in row.published else ""
                    for s in published.studies()
                ),
                compared_text(row, report.too_few),
                report.first_day.isoformat(),
                report.last_day.isoformat(),
                report.scope,
            )
        )
    return out.getvalue()
