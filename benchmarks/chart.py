"""Opening a patient's chart: the chart view loading a patient with 100 sessions."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.patient.chart_view import PatientChartView

from .results import Figure, Goal
from .timing import paired

GOAL = Goal("< 100 ms", max_value=100.0)


def chart_figure(db: Database, patients: int, patient_id: int, repeat: int) -> Figure:
    """Time ``show_patient`` until the chart (history, alerts) is painted."""
    ctx = AppContext(db, practitioner_id=1, practitioner_name="Benchmark", is_admin=True)
    view = PatientChartView(ctx)
    view.resize(900, 700)
    view.show()
    QApplication.processEvents()

    def open_chart() -> None:
        view.show_patient(patient_id)
        QApplication.processEvents()

    def close_chart() -> None:
        view.clear()
        QApplication.processEvents()

    try:
        samples, _ = paired(repeat, open_chart, reset=close_chart)
        sessions = view.history_tab.model.rowCount()
        alerts = view.banner.alert_count()
    finally:
        view.close()
        view.deleteLater()
        QApplication.processEvents()
    if sessions < 100:
        raise RuntimeError(f"the chart patient shows {sessions} sessions, not 100")
    return Figure(
        key="open_chart",
        title="open a chart (100 sessions)",
        size=patients,
        samples=samples,
        goal=GOAL,
        detail=f"history of {sessions} sessions, {alerts} alert(s) in the banner",
    )
