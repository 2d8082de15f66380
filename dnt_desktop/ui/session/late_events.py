"""Events reported after signing: the dialog to record one, the list under a signed session
and, for a serious event, its incident report (a one-page PDF)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import Severity
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.rules import describe_problems
from dnt_desktop.services.safety.late_events import (
    MAX_ONSET_HOURS,
    LateEventForm,
    LateEventView,
    is_serious,
    late_events,
    record_late_event,
)
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit
from dnt_desktop.ui.widgets.folders import documents_folder

SEVERITY_LABELS = {
    Severity.MILD: "Mild (transient, no treatment needed)",
    Severity.MODERATE: "Moderate",
    Severity.SEVERE: "Serious (needs medical care)",
}


class LateEventDialog(QDialog):
    """Record an event the patient reported after the session was signed.

    ``form_entered`` hands the form to the caller, who answers with ``show_error`` (the
    dialog stays open, nothing typed is lost) or ``accept``.
    """

    form_entered = Signal(object)

    def __init__(self, session_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("late_event_dialog")
        self.setWindowTitle("Event reported after signing")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"<b>{escape(session_label)}</b><br>The signed session stays exactly as it was "
            "signed. The event is added under it with your name and the time, counts in the "
            "Safety report, and cannot be changed afterwards."
        )
        intro.setWordWrap(True)
        self.category = WideComboBox()
        self.category.setObjectName("late_event_category")
        self.category.setAccessibleName("Event")
        for item in catalogue.side_effect_types():
            self.category.addItem(item.label, item.code)
        self.other_text = QLineEdit()
        self.other_text.setObjectName("late_event_other")
        self.other_text.setAccessibleName("Describe the event")
        self.other_text.setPlaceholderText("e.g. fainted at home and cut the chin")
        self.severity = WideComboBox()
        self.severity.setObjectName("late_event_severity")
        self.severity.setAccessibleName("Severity")
        for value, label in SEVERITY_LABELS.items():
            self.severity.addItem(label, value)
        self.onset = QDoubleSpinBox()
        self.onset.setObjectName("late_event_onset")
        self.onset.setAccessibleName("Onset, hours after the treatment")
        self.onset.setRange(0, MAX_ONSET_HOURS)
        self.onset.setDecimals(1)
        self.onset.setSuffix(" h after the treatment")
        self.onset.setValue(24)
        self.action = QPlainTextEdit()
        self.action.setObjectName("late_event_action")
        self.action.setAccessibleName("Action taken")
        self.action.setPlaceholderText("e.g. Advised a cold pack; will review at the next visit.")
        self.action.setTabChangesFocus(True)
        self.action.setFixedHeight(70)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("late_event_notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(56)
        self.serious_note = QLabel(
            "A serious event: after recording it you can save its incident report (PDF) for "
            "the clinic's incident process."
        )
        self.serious_note.setWordWrap(True)
        self.serious_note.setStyleSheet(f"color: {style.ERROR_TEXT}; font-weight: 600;")
        self.message = error_label()
        self.message.setObjectName("late_event_message")
        form = QFormLayout()
        form.addRow("&Event:", self.category)
        form.addRow("&Describe:", self.other_text)
        form.addRow("Se&verity:", self.severity)
        form.addRow("&Onset:", self.onset)
        form.addRow("Action &taken:", self.action)
        form.addRow("&Notes:", self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Record event")
        self.buttons.accepted.connect(lambda: self.form_entered.emit(self.form()))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.serious_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.category.currentIndexChanged.connect(self._update)
        self.severity.currentIndexChanged.connect(self._update)
        self._update()
        self.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        code = self.category.currentData()
        self.other_text.setEnabled(code == "other")
        self.serious_note.setVisible(is_serious(code, self.severity.currentData()))

    def choose(self, code: str, severity: Severity, onset_hours: float, action: str) -> None:
        """Fill the form (tests and the demo tour)."""
        self.category.setCurrentIndex(self.category.findData(code))
        self.severity.setCurrentIndex(self.severity.findData(severity))
        self.onset.setValue(onset_hours)
        self.action.setPlainText(action)

    def form(self) -> LateEventForm:
        """What is on screen."""
        return LateEventForm(
            code=self.category.currentData(),
            severity=self.severity.currentData(),
            onset_hours=self.onset.value(),
            action_taken=self.action.toPlainText(),
            notes=self.notes.toPlainText(),
            other_text=self.other_text.text() if self.category.currentData() == "other" else "",
        )

    def show_error(self, text: str) -> None:
        """Say why the event was not recorded; what was typed stays."""
        self.message.setText(f"Not recorded: {text}")
        self.message.setVisible(bool(text))
        grow_dialog_to_fit(self.message)


def late_events_html(items: list[LateEventView]) -> str:
    """The late events as a small HTML document, oldest first."""
    if not items:
        return f"<p style='color:{style.MUTED_TEXT}'>No events reported after signing.</p>"
    parts = []
    for item in items:
        colour = style.ERROR_TEXT if item.serious else "#1f2328"
        action = escape(item.action_taken).replace("\n", "<br>")
        notes = f"<br>{escape(item.notes)}" if item.notes else ""
        when = escape(format_datetime(item.recorded_at))
        parts.append(
            f"<p style='margin:0 0 6px 0'><b style='color:{colour}'>{escape(item.label)} "
            f"({item.severity.value}{', serious' if item.serious else ''}), "
            f"{item.onset_hours:g} h after the treatment</b><br>"
            f"<span style='color:{style.MUTED_TEXT}'>Recorded {when}"
            f" by {escape(item.recorded_by)}</span><br>Action: {action}{notes}</p>"
        )
    return "".join(parts)


class LateEventsList(QTextBrowser):
    """The late events of one session (read-only, selectable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("late_events_list")
        self.setAccessibleName("Events reported after signing")
        self.setOpenLinks(False)
        self.items: list[LateEventView] = []
        self.set_events([])

    def set_events(self, items: list[LateEventView]) -> None:
        """Show *items* (oldest first)."""
        self.items = list(items)
        self.setHtml(late_events_html(self.items))


def ask_save_path(parent: QWidget, title: str, name: str, kinds: str) -> str:
    """The file the user chooses to save to, offered in their Documents folder ('' if none)."""
    path, _kind = QFileDialog.getSaveFileName(parent, title, str(documents_folder() / name), kinds)
    return path


def save_incident_report(parent: QWidget, ctx: AppContext, event_id: int) -> Path | None:
    """Ask where, then write the incident report of *event_id* (audited)."""
    from dnt_desktop.pdf import write_atomically
    from dnt_desktop.pdf.incident import render_incident
    from dnt_desktop.services.safety.incident import incident_report

    chosen = ask_save_path(
        parent, "Save incident report", f"incident-report-{event_id}.pdf", "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
    try:
        report = incident_report(ctx.db, ctx.practitioner_id, event_id)
        write_atomically(path, render_incident(report))
    except (ServiceError, StorageError) as exc:
        QMessageBox.warning(parent, "Incident report", str(exc))
        return None
    except OSError as exc:
        QMessageBox.warning(
            parent, "Incident report", f"Could not write {path}: {exc.strerror or exc}"
        )
        return None
    return path


class LateEventsPanel(QWidget):
    """A signed session's tab: the events reported after signing, and "Report an event…".

    ``tab_title`` gives the tab's text with the number of events.
    """

    tab_title = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_id: int | None = None
        self.session_label = ""
        self.dialog: LateEventDialog | None = None
        self.setObjectName("late_events_panel")
        self.setAccessibleName("Events reported after signing")
        self.title = QLabel("Events reported after signing")
        self.title.setProperty("role", "section")
        self.incident_button = QPushButton("Incident repo&rt…")
        self.incident_button.setObjectName("incident_report_button")
        self.incident_button.setToolTip("Save the incident report of the latest serious event")
        self.incident_button.clicked.connect(self.save_incident)
        self.add_button = QPushButton("Report an e&vent…")
        self.add_button.setObjectName("late_event_button")
        self.add_button.setToolTip(
            "Record a side effect the patient reported after this session was signed"
        )
        self.add_button.clicked.connect(self.request_event)
        self.list = LateEventsList()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setMinimumHeight(60)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.incident_button)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)

    def show_for(self, session_id: int | None, session_label: str = "") -> None:
        """Show the events of a signed session."""
        self.session_id = session_id
        self.session_label = session_label
        self.add_button.setEnabled(session_id is not None)
        self.reload()

    def reload(self) -> None:
        """Read the session's late events again."""
        items: list[LateEventView] = []
        if self.session_id is not None:
            try:
                items = late_events(self.ctx.db, self.session_id)
            except (ServiceError, StorageError) as exc:
                self.title.setText(f"Could not show the events: {exc}")
                return
        count = len(items)
        self.title.setText(
            f"Events reported after signing ({count})"
            if count
            else "Events reported after signing: none"
        )
        self.list.set_events(items)
        self.incident_button.setVisible(any(i.serious for i in items))
        self.tab_title.emit(f"Reported &later ({count})" if count else "Reported &later")

    def request_event(self) -> LateEventDialog | None:
        """The window-modal dialog to record an event."""
        if self.session_id is None:
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        label = self.session_label or self.window().windowTitle() or "Signed session"
        dialog = LateEventDialog(label, self.window())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.form_entered.connect(self._record)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, _result: int) -> None:
        self.dialog = None

    def _record(self, form: LateEventForm) -> None:
        dialog, session_id = self.dialog, self.session_id
        if dialog is None or session_id is None:
            return
        try:
            done = record_late_event(self.ctx.db, self.ctx.practitioner_id, session_id, form)
        except ValidationError as exc:
            dialog.show_error(describe_problems(exc.problems))
            return
        except (ServiceError, StorageError) as exc:
            dialog.show_error(str(exc))
            return
        dialog.accept()
        self.reload()
        self.ctx.hub.publish(done.changes)
        if done.serious:
            answer = QMessageBox.question(
                self.window(),
                "Serious adverse event",
                "This is a serious adverse event. Save its incident report (a one-page PDF "
                "with the session's points, depths and needles, the event and the actions) "
                "for the clinic's incident process now?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Save:
                save_incident_report(self.window(), self.ctx, done.event_id)

    def save_incident(self) -> Path | None:
        """Save the incident report of the latest serious event."""
        serious = [i for i in self.list.items if i.serious]
        if not serious:
            return None
        return save_incident_report(self.window(), self.ctx, serious[-1].id)
