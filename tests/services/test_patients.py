"""Registering, editing, archiving and searching patients through the services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.patients import (
    count_patients,
    get_patient,
    patient_rows,
    register_patient,
    search_patient_ids,
    set_archived,
    update_patient,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


def form(family: str = "Doe", given: str = "Jane", **changes: object) -> PatientForm:
    values: dict[str, object] = dict(
        family_name=family, given_name=given, date_of_birth=date(1980, 1, 2)
    )
    values.update(changes)
    return PatientForm(**values)  # type: ignore[arg-type]


def test_register_assigns_chart_numbers_and_audits(db: Database, practitioner_id: int) -> None:
    first = register_patient(db, practitioner_id, form())
    second = register_patient(db, practitioner_id, form("Roe", "Rick"))
    assert get_patient(db, first).chart_number == "P000001"
    assert get_patient(db, second).chart_number == "P000002"
    with db.reading() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.patient_id == first)).all()
    assert actions == ["create"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (dict(family_name=" "), "family_name"),
        (dict(given_name=""), "given_name"),
        (dict(date_of_birth=None), "date_of_birth"),
        (dict(date_of_birth=date(2999, 1, 1)), "date_of_birth"),
        (dict(date_of_birth=date(1850, 1, 1)), "date_of_birth"),
        (dict(email="not-an-email"), "email"),
    ],
)
def test_invalid_forms_say_what_to_fix(
    db: Database, practitioner_id: int, changes: dict[str, object], field: str
) -> None:
    values = {"family_name": "Doe", "given_name": "Jane", "date_of_birth": date(1980, 1, 2)}
    values.update(changes)
    with pytest.raises(ValidationError) as info:
        register_patient(db, practitioner_id, PatientForm(**values))  # type: ignore[arg-type]
    assert [p.field for p in info.value.problems] == [field]


def test_chart_numbers_are_unique(db: Database, practitioner_id: int) -> None:
    register_patient(db, practitioner_id, form(chart_number="A-7"))
    with pytest.raises(ValidationError, match="A-7 is already in use"):
        register_patient(db, practitioner_id, form("Other", chart_number="A-7"))


def test_update_detects_changes_made_elsewhere(db: Database, practitioner_id: int) -> None:
    pid = register_patient(db, practitioner_id, form())
    opened = get_patient(db, pid).version
    update_patient(db, practitioner_id, pid, form(phone="555"), version=opened)
    with pytest.raises(ConcurrentChangeError):
        update_patient(db, practitioner_id, pid, form(phone="666"), version=opened)
    assert get_patient(db, pid).phone == "555"


def test_archived_patients_leave_the_register_but_stay_on_record(
    db: Database, practitioner_id: int
) -> None:
    pid = register_patient(db, practitioner_id, form())
    set_archived(db, practitioner_id, pid, True)
    with db.reading() as s:
        assert search_patient_ids(s, "doe") == []
        assert search_patient_ids(s, "doe", include_archived=True) == [pid]
    assert get_patient(db, pid).archived


def test_search_by_name_prefix_accent_free_chart_number_and_birth_date(
    db: Database, practitioner_id: int
) -> None:
    zoe = register_patient(
        db, practitioner_id, form("Ångström-Nuñez", "Zoë", date_of_birth=date(1975, 4, 30))
    )
    obrien = register_patient(db, practitioner_id, form("O'Brien", "Seán", chart_number="X900"))
    smith = register_patient(db, practitioner_id, form("Smith", "Anna"))
    smithers = register_patient(db, practitioner_id, form("Smithers", "Bob"))
    with db.reading() as s:
        assert search_patient_ids(s, "angs") == [zoe]
        assert search_patient_ids(s, "ZOE") == [zoe]
        assert search_patient_ids(s, "o'br") == [obrien]
        assert search_patient_ids(s, "smith") == [smith, smithers]
        assert search_patient_ids(s, "smith anna") == [smith]
        assert search_patient_ids(s, "x90") == [obrien]
        assert search_patient_ids(s, "1975-04-30") == [zoe]
        assert search_patient_ids(s, "30.04.1975") == [zoe]
        assert search_patient_ids(s, "") == [zoe, obrien, smith, smithers]
        assert search_patient_ids(s, "", limit=2) == [zoe, obrien]
        assert count_patients(s, "smith") == 2
        rows = patient_rows(s, [smith])
    assert rows[smith].family_name == "Smith"
