"""The patient register and the registration form, driven through the real widgets."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, insert, select, text

from dnt_desktop.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M
from dnt_desktop.models import Patient
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.names import search_key
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.form_dialog import PatientFormDialog
from dnt_desktop.ui.register.model import LIMIT, PAGE_SIZE
from dnt_desktop.ui.register.panel import RegisterPanel


def patient_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Patient)) or 0)


def type_patient(
    qtbot: QtBot,
    dialog: PatientFormDialog,
    family: str = "Okonkwo",
    given: str = "Adaeze",
    born: str = "30.04.1975",
    email: str = "",
    chart: str = "",
) -> None:
    for field, value in (
        (dialog.family_name, family),
        (dialog.given_name, given),
        (dialog.date_of_birth, born),
        (dialog.email, email),
        (dialog.chart_number, chart),
    ):
        if value:
            qtbot.keyClicks(field, value)


def wait_for_search(qtbot: QtBot, panel: RegisterPanel) -> None:
    qtbot.waitUntil(lambda: not panel.search_pending(), timeout=3000)


def listed_names(panel: RegisterPanel) -> list[tuple[str, str]]:
    model = panel.model
    return [
        (model.index(row, 1).data(), model.index(row, 2).data()) for row in range(model.rowCount())
    ]


# --- registering and finding -----------------------------------------------------------


def test_register_through_the_form_then_find_by_typing(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    dialog = main_window.new_patient()
    assert dialog.isVisible()
    type_patient(qtbot, dialog, email="adaeze@example.org")
    qtbot.keyClicks(dialog.phone, "0161 496 0000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    with ctx.db.reading() as session:
        saved = session.scalars(select(Patient).where(Patient.family_name == "Okonkwo")).one()
    assert (saved.given_name, saved.date_of_birth) == ("Adaeze", date(1975, 4, 30))
    assert saved.email == "adaeze@example.org"
    # The new patient's chart opens at once.
    assert main_window.chart.patient_id == saved.id
    assert main_window.chart.name_label.text() == "Okonkwo, Adaeze"

    panel = main_window.register
    panel.search_box.clear()
    wait_for_search(qtbot, panel)
    qtbot.keyClicks(panel.search_box, "okon")
    assert panel.search_pending()  # debounced: typing does not search on every key
    wait_for_search(qtbot, panel)
    assert listed_names(panel) == [("Okonkwo", "Adaeze")]
    assert panel.count_label.text() == "1 patient found"


def test_enter_opens_the_first_match_and_down_moves_into_the_list(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    first = register_patient(
        ctx.db, ctx.practitioner_id, PatientForm("Quist", "Ann", date(1990, 1, 2))
    )
    register_patient(ctx.db, ctx.practitioner_id, PatientForm("Quist", "Bo", date(1991, 1, 2)))
    panel = main_window.register
    main_window.focus_search()
    qtbot.keyClicks(panel.search_box, "quist")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)  # searches now, opens the first
    assert main_window.chart.patient_id == first

    qtbot.keyClick(panel.search_box, Qt.Key.Key_Down)
    assert panel.table.currentIndex().row() == 0
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.table.currentIndex().row() == 1
    qtbot.waitUntil(lambda: main_window.chart.name_label.text() == "Quist, Bo", timeout=3000)


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (dict(family=""), "family_name", "Enter the family name."),
        (dict(born="01.01.2999"), "date_of_birth", "The date of birth is in the future."),
        (dict(born="31.02.1980"), "date_of_birth", "This is not a date"),
        (dict(born=""), "date_of_birth", "Enter the date of birth."),
        (dict(email="adaeze@"), "email", "The e-mail address is not valid"),
    ],
)
def test_form_shows_each_problem_next_to_its_field_and_saves_nothing(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    dialog = main_window.new_patient()
    type_patient(qtbot, dialog, **values)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    shown = dialog.errors.label(field)
    assert shown.isVisible()
    assert shown.text().startswith(message)
    assert patient_count(ctx.db) == 0
    # What was typed is still there.
    assert dialog.given_name.text() == "Adaeze"


def test_duplicate_chart_number_is_refused(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    register_patient(
        ctx.db, ctx.practitioner_id, PatientForm("Doe", "Jane", date(1980, 5, 17), "C-100")
    )
    dialog = main_window.new_patient()
    type_patient(qtbot, dialog, chart="C-100")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.errors.message("chart_number") == "Chart number C-100 is already in use."
    assert patient_count(ctx.db) == 1


def test_editing_keeps_the_version_check(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    main_window.open_patient(patient_id)
    dialog = main_window.edit_patient(patient_id)
    assert dialog.family_name.text() == "Doe"
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "0700 000 111")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "Phone 0700 000 111" in main_window.chart.facts_label.text()
    assert main_window.chart.details_tab.values["phone"].text() == "0700 000 111"


# --- archive ---------------------------------------------------------------------------


def test_archive_removes_the_patient_from_the_register(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    patient_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = main_window.register
    panel.run_search()
    assert panel.model.row_of(patient_id) is not None
    main_window.open_patient(patient_id)
    asked: list[str] = []

    def answer_yes(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    qtbot.mouseClick(main_window.chart.details_tab.archive_button, Qt.MouseButton.LeftButton)

    assert asked and "nothing is deleted" in asked[0]
    assert panel.model.row_of(patient_id) is None
    assert panel.count_label.text() == "0 patients"
    assert main_window.chart.patient is None
    panel.show_archived.setChecked(True)
    row = panel.model.row_of(patient_id)
    assert row is not None
    assert panel.model.index(row, 0).data().endswith("(archived)")


def test_archive_asks_first_and_cancel_keeps_the_patient(
    patient_id: int, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    main_window.open_patient(patient_id)
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel
    )
    assert not main_window.archive_patient(patient_id, True)
    assert main_window.register.model.row_of(patient_id) is not None
    assert not main_window.chart.patient.archived


# --- 20,000 patients ------------------------------------------------------------------

BIG = 20_000
BIRTHDAY = date(1975, 4, 30)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Iterator[Database]:
    """20,000 patients inserted in bulk (demo.generate with sessions would take a minute)."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    shutil.copyfile(_template_db, path)
    db = open_database(sqlite_url(path))
    save_clinic(db, None, ClinicForm(name="Big Clinic"))
    add_practitioner(db, None, PractitionerForm("Pat Practitioner", "pat"))
    rng = random.Random(20_000)
    given = GIVEN_NAMES_F + GIVEN_NAMES_M
    rows = []
    for number in range(1, BIG + 1):
        family, first = rng.choice(FAMILY_NAMES), rng.choice(given)
        born = BIRTHDAY if number % 997 == 0 else date(1940, 1, 1) + timedelta(rng.randrange(24800))
        rows.append(
            dict(
                chart_number=f"P{number:06d}",
                family_name=family,
                given_name=first,
                family_name_key=search_key(family),
                given_name_key=search_key(first),
                date_of_birth=born,
                phone=f"07{number:09d}",
                archived=number % 50 == 0,
            )
        )
    with db.transaction() as session:
        session.execute(insert(Patient), rows)
    yield db
    db.dispose()


@pytest.fixture
def big_panel(qtbot: QtBot, big_db: Database) -> RegisterPanel:
    ctx = AppContext(big_db, 1, "Pat Practitioner")
    panel = RegisterPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(600, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def sql_ids(db: Database, where: str, **params: object) -> list[int]:
    """The register's answer, written directly in SQL."""
    query = text(
        f"SELECT id FROM patient WHERE ({where}) AND archived = 0 "
        "ORDER BY family_name_key, given_name_key, id"
    )
    with db.reading() as session:
        return list(session.scalars(query, params))


def shown_ids(panel: RegisterPanel) -> list[int]:
    return [panel.model.patient_id(row) for row in range(panel.model.rowCount())]


def search(qtbot: QtBot, panel: RegisterPanel, typed: str) -> None:
    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, typed)
    wait_for_search(qtbot, panel)


def test_surname_prefix_gives_the_rows_sql_gives(qtbot: QtBot, big_panel: RegisterPanel) -> None:
    family = sorted(FAMILY_NAMES)[3]
    prefix = search_key(family)[:4]
    expected = sql_ids(
        big_panel.ctx.db,
        "family_name_key LIKE :p || '%' OR given_name_key LIKE :p || '%' "
        "OR chart_number LIKE upper(:p) || '%'",
        p=prefix,
    )
    assert 0 < len(expected) < LIMIT
    search(qtbot, big_panel, prefix.capitalize())
    assert shown_ids(big_panel) == expected
    assert big_panel.count_label.text() == f"{len(expected):,} patients found"
    for row in range(big_panel.model.rowCount()):
        shown = big_panel.model.index(row, 1).data()
        assert search_key(shown).startswith(prefix) or search_key(
            big_panel.model.index(row, 2).data()
        ).startswith(prefix)


def test_short_prefix_lists_the_first_500_of_all_matches(
    qtbot: QtBot, big_panel: RegisterPanel
) -> None:
    expected = sql_ids(
        big_panel.ctx.db,
        "family_name_key LIKE 'm%' OR given_name_key LIKE 'm%' OR chart_number LIKE 'M%'",
    )
    assert len(expected) > LIMIT
    search(qtbot, big_panel, "m")
    assert shown_ids(big_panel) == expected[:LIMIT]
    # Not counted: counting every match of one letter costs more than the search.
    assert big_panel.count_label.text() == (
        f"First {LIMIT} of {LIMIT}+ patients: type more to narrow"
    )


def test_chart_number_and_date_of_birth_find_exactly_their_patients(
    qtbot: QtBot, big_panel: RegisterPanel
) -> None:
    search(qtbot, big_panel, "P012345")
    assert shown_ids(big_panel) == sql_ids(big_panel.ctx.db, "chart_number = 'P012345'")
    assert len(shown_ids(big_panel)) == 1

    expected = sql_ids(big_panel.ctx.db, "date_of_birth = '1975-04-30'")
    assert len(expected) >= 19
    for typed in ("30.04.1975", "1975-04-30"):
        search(qtbot, big_panel, typed)
        assert shown_ids(big_panel) == expected
        assert {big_panel.model.index(r, 3).data()[:11] for r in range(len(expected))} == {
            "30 Apr 1975"
        }


def test_the_model_never_loads_all_patients(qtbot: QtBot, big_panel: RegisterPanel) -> None:
    search(qtbot, big_panel, "")
    model = big_panel.model
    assert model.total == BIG - BIG // 50
    assert model.rowCount() == LIMIT
    assert big_panel.count_label.text() == f"First {LIMIT} of {model.total:,}"
    big_panel.table.viewport().repaint()
    # Only the page on screen was read from the database.
    assert 0 < model.loaded_rows <= PAGE_SIZE
    assert model.pages_fetched == 1
    big_panel.table.scrollToBottom()
    big_panel.table.viewport().repaint()
    assert model.loaded_rows <= 2 * PAGE_SIZE


def test_every_page_shows_the_patients_own_details(qtbot: QtBot, big_panel: RegisterPanel) -> None:
    search(qtbot, big_panel, "m")
    model = big_panel.model
    assert model.rowCount() == LIMIT
    big_panel.table.scrollToBottom()
    big_panel.table.viewport().repaint()
    assert model.pages_fetched == 2  # the first page came with the search
    today = date.today()
    with big_panel.ctx.db.reading() as session:
        for row in (0, PAGE_SIZE - 1, PAGE_SIZE, LIMIT - 1):
            patient = session.get(Patient, model.patient_id(row))
            assert patient is not None
            born = patient.date_of_birth
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            shown = [model.index(row, column).data() for column in range(model.columnCount())]
            assert shown == [
                patient.chart_number,
                patient.family_name,
                patient.given_name,
                f"{born.day:02d} {born:%b} {born.year} ({age})",
                patient.phone,
            ]


def test_archived_patients_are_listed_muted_and_italic_when_asked_for(
    qtbot: QtBot, big_panel: RegisterPanel
) -> None:
    big_panel.show_archived.setChecked(True)
    search(qtbot, big_panel, "P00005")
    model = big_panel.model
    charts = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert sorted(charts) == ["P000050 (archived)"] + [f"P00005{n}" for n in range(1, 10)]
    archived = model.row_of(50)
    assert archived is not None and charts[archived] == "P000050 (archived)"
    cell = model.index(archived, 1)
    assert cell.data(Qt.ItemDataRole.FontRole).italic()
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == style.MUTED_TEXT
    family = cell.data()
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == f"Archived patient: {family}"
    other = model.row_of(51)
    assert other is not None and charts[other] == "P000051"
    assert model.index(other, 1).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(other, 1).data(Qt.ItemDataRole.ToolTipRole) == model.index(other, 1).data()
    assert model.index(other, 1).data(Qt.ItemDataRole.UserRole) == 51
    # The whole "P000050 (archived)" fits its column (italic, as shown).
    font = QFont(big_panel.table.font())
    font.setItalic(True)
    needed = QFontMetrics(font).horizontalAdvance(charts[archived])
    assert big_panel.table.columnWidth(0) >= needed + 8
    big_panel.show_archived.setChecked(False)
    assert model.row_of(50) is None
    assert big_panel.table.columnWidth(0) < needed


def test_a_page_that_cannot_be_read_is_reported_and_read_again_by_the_next_search(
    qtbot: QtBot, big_panel: RegisterPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnt_desktop.storage.errors import DatabaseBusyError
    from dnt_desktop.ui.register import model as model_module

    model = big_panel.model
    assert model.rowCount() > PAGE_SIZE
    real_lines = model_module.register_lines
    calls: list[int] = []

    def busy(*_args: object, **_kwargs: object) -> object:
        calls.append(1)
        raise DatabaseBusyError("The database is busy.")

    monkeypatch.setattr(model_module, "register_lines", busy)
    big_panel.table.scrollToBottom()  # the view paints rows of a later page
    row = model.rowCount() - 1
    assert model.index(row, 1).data() is None  # blank, no traceback from inside the paint
    assert model.index(row, 2).data() is None
    assert len(calls) == 1  # tried once, not at every paint
    qtbot.waitUntil(lambda: "could not be read" in big_panel.count_label.text())
    assert "busy" in big_panel.count_label.text()
    assert "Search again" in big_panel.count_label.text()

    monkeypatch.setattr(model_module, "register_lines", real_lines)
    big_panel.run_search()
    assert model.index(row, 1).data()  # read again
    assert "could not be read" not in big_panel.count_label.text()
